//! District departments (区级部门): the bodies that handle what a grid worker cannot. An
//! admin creates them; every signed-in user but volunteers may list them (a supervisor
//! picks one to dispatch to, department staff see their own).

use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::responsibility::{Department, NewDepartment};
use uuid::Uuid;

use crate::db::models::DepartmentRow;
use crate::db::{self, DbConn, audit, departments as store};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;

pub fn to_wire(r: &DepartmentRow) -> Department {
    Department {
        id: Uuid::parse_str(&r.id).unwrap_or_default(),
        code: r.code.clone(),
        name: r.name.clone(),
    }
}

/// Creates a department (admins). Replaying the same id and body answers the first
/// creation; the same id with another body is 409 `id_conflict`; a code in use is 409
/// `code_taken`. Returns whether this call created it.
pub fn create(
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewDepartment,
) -> Result<(Department, bool)> {
    new.validate().map_err(Error::validation)?;
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash {
                return Ok((to_wire(&existing), false));
            }
            return Err(Error::id_conflict());
        }
        if store::find_by_code(c, &new.code)?.is_some() {
            return Err(Error::new(
                ErrorCode::CodeTaken,
                format!("department code {} is taken", new.code),
            ));
        }
        let row = DepartmentRow {
            id: id.clone(),
            code: new.code.clone(),
            name: new.name.trim().to_string(),
            body_hash: hash.clone(),
            created_at: db::now(),
        };
        store::insert(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                Error::new(ErrorCode::CodeTaken, "the department's code or id is taken")
            } else {
                e.into()
            }
        })?;
        audit::append(
            c,
            row.created_at,
            audit::Entry {
                actor_id: Some(&user.id),
                action: "department_create",
                entity_type: "department",
                entity_id: &row.id,
                outcome: "success",
                ip: Some(&user.ip),
                detail: Some(&row.code),
            },
        )?;
        Ok((to_wire(&row), true))
    })
}

/// The id of the department with this code.
pub fn id_of_code(c: &mut DbConn, code: &str) -> Result<Option<Uuid>> {
    Ok(store::find_by_code(c, code)?.and_then(|r| Uuid::parse_str(&r.id).ok()))
}

/// Every department (volunteers: 403).
pub fn list(c: &mut DbConn, user: &CurrentUser) -> Result<Vec<Department>> {
    if user.role == Role::Volunteer {
        return Err(Error::forbidden("volunteers do not see departments"));
    }
    Ok(store::all(c)?.iter().map(to_wire).collect())
}
