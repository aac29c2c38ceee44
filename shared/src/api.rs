//! Wire types of the HTTP API (`/api/v1`). Requests reject unknown fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::{RegionCode, RegionLevel};
use crate::validate::{self, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    Worker,
    Volunteer,
    /// Staff of one district department: sees only what is dispatched or assigned to it.
    Department,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Worker => "worker",
            Role::Volunteer => "volunteer",
            Role::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Role::Admin),
            "supervisor" => Some(Role::Supervisor),
            "worker" => Some(Role::Worker),
            "volunteer" => Some(Role::Volunteer),
            "department" => Some(Role::Department),
            _ => None,
        }
    }
}

/// Checks a role/region pair: an admin's region is `""`, department staff's is the
/// district's (`""` lets the server fill it in), everyone else needs a real region.
pub fn validate_role_region(errors: &mut FieldErrors, role: Role, region_code: &str) {
    if role == Role::Admin {
        if !region_code.is_empty() {
            errors.push("region_code", "an admin's region_code is \"\"");
        }
    } else if role == Role::Department {
        if !region_code.is_empty() && region_code.len() != 6 {
            errors.push(
                "region_code",
                "department staff belong to the district: its 6-digit code, or \"\"",
            );
        }
    } else if let Err(msg) = RegionCode::parse(region_code) {
        errors.push("region_code", msg);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: i64,
    pub user: Me,
}

/// The caller, as `GET /me` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub region_code: String,
    pub display_name: String,
    /// The caller's department (department staff only).
    #[serde(default)]
    pub department_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 256))]
    pub new: String,
}

/// A user as admins and supervisors list them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub region_code: String,
    pub display_name: String,
    pub active: bool,
    /// The department of a `department` user; null for every other role.
    #[serde(default)]
    pub department_id: Option<Uuid>,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._-]{2,64}$"))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 256))]
    pub password: String,
    pub role: Role,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^([0-9]{6}([0-9]{3}){0,2})?$"))]
    pub region_code: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub display_name: Option<String>,
    /// Required for role `department`, refused for every other role.
    #[serde(default)]
    pub department_id: Option<Uuid>,
}

/// `department_id` goes with role `department` and with no other.
pub fn validate_role_department(errors: &mut FieldErrors, role: Role, department: Option<Uuid>) {
    match (role, department) {
        (Role::Department, None) => errors.push("department_id", "department staff need one"),
        (Role::Department, Some(_)) | (_, None) => {}
        (_, Some(_)) => errors.push("department_id", "only department staff have one"),
    }
}

impl NewUser {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::username(&mut e, "username", &self.username);
        validate::password(&mut e, "password", &self.password);
        validate_role_region(&mut e, self.role, &self.region_code);
        validate_role_department(&mut e, self.role, self.department_id);
        if let Some(n) = &self.display_name {
            validate::name(&mut e, "display_name", n, 100);
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub display_name: Option<String>,
    pub role: Option<Role>,
    #[cfg_attr(feature = "openapi", schema(pattern = "^([0-9]{6}([0-9]{3}){0,2})?$"))]
    pub region_code: Option<String>,
    pub active: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 256))]
    pub password: Option<String>,
    /// The department of a `department` user (moving staff to another department, or
    /// with `role: "department"`).
    pub department_id: Option<Uuid>,
}

impl UserPatch {
    /// Validates the patch against the user's current role, region and department.
    pub fn validate(
        &self,
        current_role: Role,
        current_region: &str,
        current_department: Option<Uuid>,
    ) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if let Some(n) = &self.display_name {
            validate::name(&mut e, "display_name", n, 100);
        }
        if let Some(p) = &self.password {
            validate::password(&mut e, "password", p);
        }
        if self.role.is_some() || self.region_code.is_some() {
            let role = self.role.unwrap_or(current_role);
            let region = self.region_code.as_deref().unwrap_or(current_region);
            validate_role_region(&mut e, role, region);
        }
        if self.role.is_some() || self.department_id.is_some() {
            let role = self.role.unwrap_or(current_role);
            // Leaving the department role drops the department.
            let department = match self.department_id {
                Some(d) => Some(d),
                None if role == Role::Department => current_department,
                None => None,
            };
            validate_role_department(&mut e, role, department);
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRegion {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}([0-9]{3}){0,2}$"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub level: RegionLevel,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{6}([0-9]{3})?$"))]
    pub parent_code: Option<String>,
}

impl NewRegion {
    /// Checks the code's shape against `level` and `parent_code`.
    pub fn validate(&self) -> Result<RegionCode, FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, 100);
        let code = match RegionCode::parse(&self.code) {
            Ok(c) => Some(c),
            Err(msg) => {
                e.push("code", msg);
                None
            }
        };
        if let Some(c) = &code {
            if c.level() != self.level {
                e.push(
                    "level",
                    format!(
                        "a {}-digit code is a {}",
                        c.as_str().len(),
                        c.level().as_str()
                    ),
                );
            }
            let expected = c.parent();
            if self.parent_code.as_deref() != expected.as_ref().map(RegionCode::as_str) {
                match expected {
                    None => e.push("parent_code", "a district has no parent: use null"),
                    Some(p) => e.push(
                        "parent_code",
                        format!("must be {p}, the code minus its last 3 digits"),
                    ),
                }
            }
        }
        e.into_result()?;
        Ok(code.expect("checked above"))
    }
}

/// Answer of `GET /cells/locate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocatedCell {
    pub code: String,
    pub name: String,
    pub community_code: String,
}

/// A cell as a list item (`GET /me/cells`); geometry is in the GeoJSON endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellSummary {
    pub code: String,
    pub name: String,
    pub community_code: String,
    #[serde(with = "crate::utc")]
    pub valid_from: DateTime<Utc>,
    #[serde(default, with = "crate::utc::option")]
    pub valid_to: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub geometry: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub created: u64,
    pub updated: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CellWorkers {
    pub worker_ids: Vec<Uuid>,
}

/// A cell's assignment as `PUT /cells/{code}/workers` answers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellAssignment {
    pub code: String,
    pub worker_ids: Vec<Uuid>,
    pub workers: Vec<User>,
}

/// A page of a list endpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_parent_must_match() {
        let r = NewRegion {
            code: "500117001".into(),
            name: "南津街街道".into(),
            level: RegionLevel::Town,
            parent_code: Some("500118".into()),
        };
        let e = r.validate().unwrap_err();
        assert_eq!(e.0[0].field, "parent_code");
    }

    #[test]
    fn admin_has_no_region() {
        let u = NewUser {
            username: "root".into(),
            password: "long enough".into(),
            role: Role::Admin,
            region_code: "500117".into(),
            display_name: None,
            department_id: None,
        };
        assert_eq!(u.validate().unwrap_err().0[0].field, "region_code");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let r: Result<LoginRequest, _> =
            serde_json::from_str(r#"{"username":"a","password":"b","x":1}"#);
        assert!(r.is_err());
    }
}

/// One entry of the append-only audit log (`GET /audit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    #[serde(with = "crate::utc")]
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub outcome: String,
    pub ip: Option<String>,
    /// What was read or changed: `count=N` for a bulk read of persons, `field: old → new`
    /// for a change of a user, the username a failed login tried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The purpose the reader gave for a full read of a person (`GET /persons/{id}?reason=`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The `type` of a GeoJSON Feature.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeatureType {
    #[default]
    Feature,
}

/// The `type` of a GeoJSON FeatureCollection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollectionType {
    #[default]
    FeatureCollection,
}

/// A GeoJSON Feature whose `properties` are `P` and `geometry` a `G` (GeoJSON geometry
/// as a value, or pre-serialized text on the server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feature<P, G = serde_json::Value> {
    #[serde(rename = "type")]
    pub kind: FeatureType,
    pub id: String,
    pub geometry: G,
    pub properties: P,
}

/// A GeoJSON FeatureCollection of [`Feature`]s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureCollection<P, G = serde_json::Value> {
    #[serde(rename = "type")]
    pub kind: CollectionType,
    pub features: Vec<Feature<P, G>>,
}

impl<P, G> FeatureCollection<P, G> {
    pub fn new(features: Vec<Feature<P, G>>) -> Self {
        FeatureCollection {
            kind: CollectionType::FeatureCollection,
            features,
        }
    }
}

/// The properties of a cell as `GET /cells`, `GET /cells/{code}` and `/sync/pull` give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellProperties {
    pub code: String,
    pub name: String,
    pub community_code: String,
    #[serde(with = "crate::utc")]
    pub valid_from: DateTime<Utc>,
    #[serde(default, with = "crate::utc::option")]
    pub valid_to: Option<DateTime<Utc>>,
}

/// A cell as a GeoJSON Feature.
pub type Cell = Feature<CellProperties>;
