//! API keys an admin issues to other systems for posting Open311 service requests.
//!
//! A key is 32 random bytes, shown once as hex; only its SHA-256 is stored. Each key owns a
//! user row, created with it: the reporter of every incident posted with the key. That user
//! is a volunteer (it sees only its own reports), inactive, with a password hash no password
//! matches, so it can never sign in; an admin cannot activate it or give it a password.

use gridwork_shared::api::Role;
use gridwork_shared::open311::{ApiKey, IssuedApiKey, NewApiKey};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::models::{ApiKeyRow, UserRow};
use crate::db::{self, DbConn, api_keys as store, audit, to_utc, users};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::parse_id;

/// The SHA-256 of a key, hex: what is stored and looked up.
fn hash_of(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

pub fn to_wire(r: &ApiKeyRow) -> ApiKey {
    ApiKey {
        id: uuid(&r.id),
        name: r.name.clone(),
        created_by: uuid(&r.created_by),
        created_at: to_utc(r.created_at),
        revoked_at: r.revoked_at.map(to_utc),
    }
}

fn audit_key(c: &mut DbConn, actor: &CurrentUser, action: &str, r: &ApiKeyRow) -> Result<()> {
    audit::append(
        c,
        db::now(),
        audit::Entry {
            actor_id: Some(&actor.id),
            action,
            entity_type: "api_key",
            entity_id: &r.id,
            outcome: "success",
            ip: Some(&actor.ip),
            detail: Some(&r.name),
        },
    )?;
    Ok(())
}

/// Issues a key named `new.name` (validated), with its user; audited. The answer is the
/// only place the key is ever shown.
pub fn issue(c: &mut DbConn, actor: &CurrentUser, new: &NewApiKey) -> Result<IssuedApiKey> {
    new.validate().map_err(Error::validation)?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = hex::encode(bytes);
    let id = Uuid::now_v7();
    let now = db::now();
    let name = new.name.trim().to_string();
    let user = UserRow {
        department_id: None,
        id: Uuid::now_v7().to_string(),
        username: format!("open311-{}", id.simple()),
        // Not a PHC string: no password ever verifies against it.
        password_hash: "!api-key".to_string(),
        role: Role::Volunteer.as_str().to_string(),
        region_code: actor.region_code.clone(),
        display_name: format!("Open311 · {}", name.chars().take(90).collect::<String>()),
        active: false,
        created_at: now,
        updated_at: now,
    };
    let row = ApiKeyRow {
        id: id.to_string(),
        name: name.clone(),
        key_hash: hash_of(&key),
        user_id: user.id.clone(),
        created_by: actor.id.clone(),
        created_at: now,
        revoked_at: None,
    };
    db::write_tx(c, |c| -> Result<()> {
        store::insert(c, &user, &row)?;
        audit_key(c, actor, "api_key_create", &row)
    })?;
    Ok(IssuedApiKey { id, name, key })
}

/// Every key, newest first, without the keys.
pub fn list(
    c: &mut DbConn,
    page: &crate::flow::PageRequest,
) -> Result<(Vec<ApiKey>, Option<String>)> {
    let rows = store::list(c, page.after.as_ref(), page.limit + 1)?;
    let (rows, next) = crate::db::page::finish(rows, page.limit, |r| {
        crate::db::page::Cursor::new(r.created_at, &r.id)
    });
    Ok((rows.iter().map(to_wire).collect(), next))
}

/// Revokes a key (at once: the next post with it is refused); audited. Revoking a revoked
/// key changes nothing.
pub fn revoke(c: &mut DbConn, actor: &CurrentUser, id: &str) -> Result<()> {
    let id = parse_id(id)?;
    db::write_tx(c, |c| -> Result<()> {
        let row = store::find(c, &id)?.ok_or_else(Error::not_found)?;
        if store::revoke(c, &id, db::now())? {
            audit_key(c, actor, "api_key_revoke", &row)?;
        }
        Ok(())
    })
}

/// The caller a key stands for: its user, as the rules see a caller. A missing, unknown or
/// revoked key is refused alike (403).
pub fn holder(c: &mut DbConn, key: Option<&str>, ip: String) -> Result<CurrentUser> {
    let refused = || Error::forbidden("a valid api_key is required");
    let key = key
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200);
    let key = key.ok_or_else(refused)?;
    let row = store::find_by_hash(c, &hash_of(key))?
        .filter(|r| r.revoked_at.is_none())
        .ok_or_else(refused)?;
    let user = users::find_by_id(c, &row.user_id)?.ok_or_else(refused)?;
    Ok(CurrentUser {
        id: user.id,
        username: user.username,
        role: Role::Volunteer,
        region_code: user.region_code,
        display_name: user.display_name,
        department_id: None,
        ip,
    })
}

/// Whether `user_id` is a key's own user (which never signs in).
pub fn is_key_user(c: &mut DbConn, user_id: &str) -> Result<bool> {
    Ok(store::is_key_user(c, user_id)?)
}
