//! Users: accounts, roles and regions, passwords, unlocking — all audited.

use gridwork_shared::api::{Me, NewUser, PasswordChange, Role, User, UserPatch};
use gridwork_shared::codes::RegionCode;
use gridwork_shared::{ErrorCode, FieldErrors, validate};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::core::password;
use crate::db::models::UserRow;
use crate::db::page::{Cursor, PageRequest};
use crate::db::{self, DbConn, audit, regions, to_utc, tokens, users};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::page_of;
use crate::flow::parse_id;

fn role_of(row: &UserRow) -> Result<Role> {
    Role::parse(&row.role).ok_or_else(|| anyhow::anyhow!("bad role {}", row.role).into())
}

pub fn me_of(row: &UserRow) -> Result<Me> {
    Ok(Me {
        id: row.id.parse().map_err(anyhow::Error::from)?,
        username: row.username.clone(),
        role: role_of(row)?,
        region_code: row.region_code.clone(),
        display_name: row.display_name.clone(),
        department_id: row.department_id.as_deref().and_then(|d| d.parse().ok()),
    })
}

/// The caller's own profile.
pub fn me(user: &CurrentUser) -> Result<Me> {
    Ok(Me {
        id: user.id.parse().map_err(anyhow::Error::from)?,
        username: user.username.clone(),
        role: user.role,
        region_code: user.region_code.clone(),
        display_name: user.display_name.clone(),
        department_id: user.department_id.as_deref().and_then(|d| d.parse().ok()),
    })
}

pub fn user_of(row: &UserRow) -> Result<User> {
    Ok(User {
        id: row.id.parse().map_err(anyhow::Error::from)?,
        username: row.username.clone(),
        role: role_of(row)?,
        region_code: row.region_code.clone(),
        display_name: row.display_name.clone(),
        active: row.active,
        department_id: row.department_id.as_deref().and_then(|d| d.parse().ok()),
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    })
}

/// Hashes a password on a blocking thread (argon2id takes tens of milliseconds).
pub async fn hash_password(pw: String) -> Result<String> {
    crate::flow::hashing(move || password::hash(&pw))
        .await?
        .map_err(Error::from)
}

/// An audit entry of `actor` on the user `id`.
fn audit_user(c: &mut DbConn, actor: Option<&CurrentUser>, action: &str, id: &str) -> Result<()> {
    audit_user_detail(c, actor, action, id, None)
}

/// An audit entry of `actor` on the user `id`, saying what changed.
fn audit_user_detail(
    c: &mut DbConn,
    actor: Option<&CurrentUser>,
    action: &str,
    id: &str,
    detail: Option<&str>,
) -> Result<()> {
    audit::append(
        c,
        db::now(),
        audit::Entry {
            actor_id: actor.map(|a| a.id.as_str()),
            action,
            entity_type: "user",
            entity_id: id,
            outcome: "success",
            ip: actor.map(|a| a.ip.as_str()),
            detail,
        },
    )?;
    Ok(())
}

/// Changes the caller's own password when `current` is right; every refresh token of the
/// user is revoked.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    change: PasswordChange,
) -> Result<()> {
    let mut e = FieldErrors::new();
    validate::password(&mut e, "new", &change.new);
    e.into_result().map_err(Error::validation)?;
    // A wrong `current` is a password guess like a failed login, and throttled with them.
    let (id, name, ip) = (user.id.clone(), user.username.clone(), user.ip.clone());
    let (row, attempt) = state
        .db(move |c| {
            db::write_tx(c, |c| -> Result<_> {
                let attempt = crate::flow::auth::reserve_attempt(c, &name, &ip)?;
                Ok((users::find_by_id(c, &id)?, attempt))
            })
        })
        .await?;
    let row = row.ok_or_else(Error::not_found)?;
    let (current, stored, new) = (change.current, row.password_hash.clone(), change.new);
    let new_hash = crate::flow::hashing(move || -> Result<String> {
        if !password::verify(&current, &stored) {
            return Err(Error::invalid("current", "is not the current password"));
        }
        Ok(password::hash(&new)?)
    })
    .await??;
    let user = user.clone();
    state
        .db(move |c| {
            db::write_tx(c, |c| -> Result<()> {
                let now = db::now();
                let mut row = row;
                row.password_hash = new_hash;
                row.updated_at = now;
                users::update(c, &row)?;
                tokens::revoke_user(c, &row.id, now)?;
                tokens::succeeded(c, &attempt)?;
                audit_user(c, Some(&user), "password_change", &row.id)
            })
        })
        .await
}

/// Checks that a non-admin's region exists (422 otherwise).
fn check_region_exists(c: &mut DbConn, role: Role, region: &str) -> Result<()> {
    if role != Role::Admin && regions::find(c, region)?.is_none() {
        return Err(Error::invalid("region_code", "no such region"));
    }
    Ok(())
}

/// The region of department staff: the district's. `""` names the district when there is
/// exactly one; any other code must be a district's (6 digits).
fn department_region(c: &mut DbConn, given: &str) -> Result<String> {
    if !given.is_empty() {
        return Ok(given.to_string());
    }
    let districts: Vec<String> = regions::list_under(c, "")?
        .into_iter()
        .filter(|r| r.code.len() == 6)
        .map(|r| r.code)
        .collect();
    match districts.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(Error::invalid(
            "region_code",
            "name the district the department belongs to",
        )),
    }
}

/// Checks that a department user's department exists (422 otherwise).
fn check_department_exists(c: &mut DbConn, department: Option<&str>) -> Result<()> {
    if let Some(d) = department
        && db::departments::find(c, d)?.is_none()
    {
        return Err(Error::invalid("department_id", "no such department"));
    }
    Ok(())
}

/// Validates a new user, hashes its password and inserts it.
pub async fn create(state: &AppState, actor: &CurrentUser, new: NewUser) -> Result<User> {
    new.validate().map_err(Error::validation)?;
    let hash = hash_password(new.password.clone()).await?;
    let actor = actor.clone();
    let row = state
        .db(move |c| create_user(c, &new, hash, Some(&actor)))
        .await?;
    user_of(&row)
}

/// Inserts a validated user whose password is already hashed (shared by the API, the
/// command line and the demo seeder).
pub fn create_user(
    c: &mut DbConn,
    new: &NewUser,
    password_hash: String,
    actor: Option<&CurrentUser>,
) -> Result<UserRow> {
    let taken = || Error::new(ErrorCode::UsernameTaken, "that username is taken");
    db::write_tx(c, |c| {
        let region_code = if new.role == Role::Department {
            department_region(c, &new.region_code)?
        } else {
            new.region_code.clone()
        };
        check_region_exists(c, new.role, &region_code)?;
        let department_id = new.department_id.map(|d| d.to_string());
        check_department_exists(c, department_id.as_deref())?;
        if users::find_by_username(c, &new.username)?.is_some() {
            return Err(taken());
        }
        let now = db::now();
        let row = UserRow {
            id: Uuid::now_v7().to_string(),
            username: new.username.clone(),
            password_hash,
            role: new.role.as_str().to_string(),
            region_code,
            display_name: new
                .display_name
                .clone()
                .map(|n| n.trim().to_string())
                .unwrap_or_else(|| new.username.clone()),
            active: true,
            created_at: now,
            updated_at: now,
            department_id,
        };
        users::insert(c, &row).map_err(|e| {
            if db::is_unique_violation(&e) {
                taken()
            } else {
                e.into()
            }
        })?;
        audit_user(c, actor, "user_create", &row.id)?;
        Ok(row)
    })
}

/// The users list's query string: `q` (part of the username or the display name), `role`,
/// `region` (users at or under that region) and `active`; empty values filter nothing.
/// `limit` and `cursor` are read by the edge.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub q: Option<String>,
    pub role: Option<String>,
    pub region: Option<String>,
    pub active: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl ListQuery {
    /// The filter the query asks for; 422 naming each bad parameter.
    pub fn filter(&self) -> Result<users::Filter> {
        let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let mut e = FieldErrors::new();
        let text = given(&self.q).map(|q| q.trim().to_lowercase());
        if text.as_ref().is_some_and(|t| t.chars().count() > 100) {
            e.push("q", "must have at most 100 characters");
        }
        let role = given(&self.role);
        if role.as_deref().is_some_and(|r| Role::parse(r).is_none()) {
            e.push(
                "role",
                "must be admin, supervisor, worker, volunteer or department",
            );
        }
        let region = given(&self.region);
        if let Some(Err(msg)) = region.as_deref().map(RegionCode::parse) {
            e.push("region", msg);
        }
        let active = match given(&self.active).as_deref() {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => {
                e.push("active", "must be true or false");
                None
            }
        };
        e.into_result().map_err(Error::validation)?;
        Ok(users::Filter {
            text,
            role,
            region,
            active,
        })
    }
}

/// Users in the caller's scope that match `filter`, newest first.
pub fn list(
    c: &mut DbConn,
    user: &CurrentUser,
    filter: &users::Filter,
    page: &PageRequest,
) -> Result<(Vec<User>, Option<String>)> {
    let rows = users::list(c, user.region_scope(), filter, page)?;
    page_of(rows, page, |r| Cursor::new(r.created_at, &r.id), user_of)
}

/// One user in the caller's scope.
pub fn get(c: &mut DbConn, user: &CurrentUser, id: &str) -> Result<User> {
    let id = parse_id(id)?;
    let row = users::find_in_scope(c, &id, user.region_scope())?.ok_or_else(Error::not_found)?;
    user_of(&row)
}

/// Changes a user's name, role, region, activity or password (admins). Deactivating a
/// user or setting its password revokes its refresh tokens.
pub async fn update(
    state: &AppState,
    actor: &CurrentUser,
    id: &str,
    patch: UserPatch,
) -> Result<User> {
    let id = parse_id(id)?;
    let lookup = id.clone();
    let current = state
        .db(move |c| users::find_by_id(c, &lookup))
        .await?
        .ok_or_else(Error::not_found)?;
    patch
        .validate(
            role_of(&current)?,
            &current.region_code,
            current
                .department_id
                .as_deref()
                .and_then(|d| d.parse().ok()),
        )
        .map_err(Error::validation)?;
    if patch.active == Some(true) || patch.password.is_some() || patch.role.is_some() {
        let lookup = id.clone();
        if state
            .db(move |c| crate::flow::api_keys::is_key_user(c, &lookup))
            .await?
        {
            return Err(Error::invalid(
                "active",
                "the user of an API key never signs in: revoke the key instead",
            ));
        }
    }
    if id == actor.id
        && (patch.active == Some(false) || patch.role.is_some_and(|r| r != Role::Admin))
    {
        return Err(Error::invalid(
            "active",
            "an admin cannot deactivate or demote itself",
        ));
    }
    let new_hash = match patch.password.clone() {
        Some(pw) => Some(hash_password(pw).await?),
        None => None,
    };
    let actor = actor.clone();
    let row = state
        .db(move |c| {
            db::write_tx(c, |c| -> Result<UserRow> {
                let now = db::now();
                let mut row = users::find_by_id(c, &id)?.ok_or_else(Error::not_found)?;
                let before = row.clone();
                let mut revoke = false;
                if let Some(n) = &patch.display_name {
                    row.display_name = n.trim().to_string();
                }
                if let Some(r) = patch.role {
                    row.role = r.as_str().to_string();
                }
                if let Some(rc) = &patch.region_code {
                    row.region_code = rc.clone();
                }
                let role = role_of(&row)?;
                if role == Role::Department {
                    if let Some(d) = patch.department_id {
                        row.department_id = Some(d.to_string());
                    }
                    // Department staff belong to the district.
                    if row.region_code.len() != 6 {
                        row.region_code = department_region(c, "")?;
                    }
                } else {
                    row.department_id = None;
                }
                check_region_exists(c, role, &row.region_code)?;
                check_department_exists(c, row.department_id.as_deref())?;
                if let Some(a) = patch.active {
                    revoke |= row.active && !a;
                    row.active = a;
                }
                let new_hash_set = new_hash.is_some();
                if let Some(h) = new_hash {
                    row.password_hash = h;
                    revoke = true;
                }
                row.updated_at = now;
                users::update(c, &row)?;
                if revoke {
                    tokens::revoke_user(c, &row.id, now)?;
                }
                let changes = changes_of(&before, &row, new_hash_set);
                audit_user_detail(c, Some(&actor), "user_update", &row.id, Some(&changes))?;
                Ok(row)
            })
        })
        .await?;
    user_of(&row)
}

/// What a change of a user changed, as `field: old → new` parts.
fn changes_of(before: &UserRow, after: &UserRow, password: bool) -> String {
    let mut parts = Vec::new();
    for (field, old, new) in [
        ("display_name", &before.display_name, &after.display_name),
        ("role", &before.role, &after.role),
        ("region_code", &before.region_code, &after.region_code),
        (
            "department_id",
            &before.department_id.clone().unwrap_or_default(),
            &after.department_id.clone().unwrap_or_default(),
        ),
    ] {
        if old != new {
            parts.push(format!("{field}: {old} → {new}"));
        }
    }
    if before.active != after.active {
        parts.push(format!("active: {} → {}", before.active, after.active));
    }
    if password {
        parts.push("password: set".to_string());
    }
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join("; ")
    }
}

/// Forgets a user's failed logins (admins).
pub fn unlock(c: &mut DbConn, actor: &CurrentUser, id: &str) -> Result<()> {
    let id = parse_id(id)?;
    db::write_tx(c, |c| -> Result<()> {
        let row = users::find_by_id(c, &id)?.ok_or_else(Error::not_found)?;
        tokens::clear_failures(c, &row.username)?;
        audit_user(c, Some(actor), "user_unlock", &row.id)
    })
}
