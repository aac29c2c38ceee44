//! The caller of a rule: who it is, its role and the scope of what it may see. The HTTP
//! edge builds it from a bearer token (`http::auth`); tools build it themselves.

use gridwork_shared::api::Role;

use crate::flow::error::{Error, Result};

/// The authenticated, active caller. Loaded from the database on every request, so a
/// deactivated user or a changed role takes effect at once.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub region_code: String,
    pub display_name: String,
    /// The department of department staff; none for every other role.
    pub department_id: Option<String>,
    pub ip: String,
}

impl CurrentUser {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Error::forbidden(format!(
                "a {} may not use this endpoint",
                self.role.as_str()
            )))
        }
    }

    /// The caller's department: department staff only (403 for everyone else).
    pub fn department(&self) -> Option<&str> {
        (self.role == Role::Department)
            .then_some(self.department_id.as_deref())
            .flatten()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The region prefix that bounds what the caller sees: `""` for an admin.
    pub fn region_scope(&self) -> &str {
        if self.is_admin() {
            ""
        } else {
            &self.region_code
        }
    }
}
