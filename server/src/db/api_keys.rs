//! API keys for Open311 posting, and the user row each key owns.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::models::{ApiKeyRow, UserRow};
use super::schema::api_keys::dsl as k;

/// Inserts a key and the user row it owns, in the caller's transaction.
pub fn insert(c: &mut DbConn, user: &UserRow, key: &ApiKeyRow) -> QueryResult<()> {
    super::users::insert(c, user)?;
    diesel::insert_into(k::api_keys)
        .values(key)
        .execute(c)
        .map(|_| ())
}

/// Every key, newest first (there are few).
/// Keys newest first, after the cursor (a page's last key).
pub fn list(
    c: &mut DbConn,
    after: Option<&super::page::Cursor>,
    limit: i64,
) -> QueryResult<Vec<ApiKeyRow>> {
    let mut q = k::api_keys.into_boxed();
    if let Some(a) = after {
        q = q.filter(
            k::created_at
                .lt(a.created_at)
                .or(k::created_at.eq(a.created_at).and(k::id.lt(a.id.clone()))),
        );
    }
    q.select(ApiKeyRow::as_select())
        .order((k::created_at.desc(), k::id.desc()))
        .limit(limit)
        .load(c)
}

pub fn find(c: &mut DbConn, id: &str) -> QueryResult<Option<ApiKeyRow>> {
    k::api_keys
        .find(id)
        .select(ApiKeyRow::as_select())
        .first(c)
        .optional()
}

/// The key whose SHA-256 is `hash`, revoked or not.
pub fn find_by_hash(c: &mut DbConn, hash: &str) -> QueryResult<Option<ApiKeyRow>> {
    k::api_keys
        .filter(k::key_hash.eq(hash))
        .select(ApiKeyRow::as_select())
        .first(c)
        .optional()
}

/// Revokes a key that is not revoked yet; false when it already was.
pub fn revoke(c: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(k::api_keys.find(id).filter(k::revoked_at.is_null()))
        .set(k::revoked_at.eq(Some(at)))
        .execute(c)?;
    Ok(n == 1)
}

/// Whether a user row is an API key's own.
pub fn is_key_user(c: &mut DbConn, user_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        k::api_keys.filter(k::user_id.eq(user_id)),
    ))
    .get_result(c)
}
