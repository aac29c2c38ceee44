//! Refresh tokens (stored hashed, rotated on every use, chains revoked on reuse) and
//! login attempts for throttling.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::DbConn;
use super::models::{LoginAttemptRow, RefreshTokenRow};
use super::schema::login_attempts::dsl as la;
use super::schema::refresh_tokens::dsl as rt;

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a refresh token in `chain_id` and returns the plain token (shown once).
pub fn issue(
    c: &mut DbConn,
    user_id: &str,
    chain_id: &str,
    now: NaiveDateTime,
    ttl_secs: i64,
) -> QueryResult<String> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = URL_SAFE_NO_PAD.encode(raw);
    let row = RefreshTokenRow {
        id: Uuid::now_v7().to_string(),
        user_id: user_id.to_string(),
        chain_id: chain_id.to_string(),
        token_hash: hash_token(&token),
        created_at: now,
        expires_at: now + Duration::seconds(ttl_secs),
        spent_at: None,
        revoked_at: None,
    };
    diesel::insert_into(rt::refresh_tokens)
        .values(&row)
        .execute(c)?;
    Ok(token)
}

pub enum Spend {
    /// The token was live; it is now spent. Carries (user id, chain id).
    Ok(String, String),
    /// Unknown, expired or revoked.
    Invalid,
    /// Already spent: the chain has been revoked.
    Reused,
}

/// Spends a refresh token. Reuse of a spent token revokes its whole chain.
pub fn spend(c: &mut DbConn, token: &str, now: NaiveDateTime) -> QueryResult<Spend> {
    let Some(row) = rt::refresh_tokens
        .filter(rt::token_hash.eq(hash_token(token)))
        .select(RefreshTokenRow::as_select())
        .first(c)
        .optional()?
    else {
        return Ok(Spend::Invalid);
    };
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Ok(Spend::Invalid);
    }
    // Conditional update: of two concurrent refreshes with one token, exactly one wins.
    let won = diesel::update(
        rt::refresh_tokens
            .find(&row.id)
            .filter(rt::spent_at.is_null()),
    )
    .set(rt::spent_at.eq(now))
    .execute(c)?;
    if won == 1 {
        Ok(Spend::Ok(row.user_id, row.chain_id))
    } else {
        revoke_chain(c, &row.chain_id, now)?;
        Ok(Spend::Reused)
    }
}

pub fn revoke_chain(c: &mut DbConn, chain_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        rt::refresh_tokens
            .filter(rt::chain_id.eq(chain_id))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(now))
    .execute(c)
}

/// The chain a token belongs to, if the token exists.
pub fn chain_of(c: &mut DbConn, token: &str) -> QueryResult<Option<(String, String)>> {
    rt::refresh_tokens
        .filter(rt::token_hash.eq(hash_token(token)))
        .select((rt::chain_id, rt::user_id))
        .first(c)
        .optional()
}

/// Revokes every refresh token of a user (deactivation, password change).
pub fn revoke_user(c: &mut DbConn, user_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        rt::refresh_tokens
            .filter(rt::user_id.eq(user_id))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(now))
    .execute(c)
}

/// Serializes logins of one username until the transaction ends (PostgreSQL: an advisory
/// lock on the name's hash; SQLite's `BEGIN IMMEDIATE` already serializes every writer).
pub fn lock_username(c: &mut DbConn, username: &str) -> QueryResult<()> {
    match c {
        DbConn::Pg(pg) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked")
                .bind::<diesel::sql_types::Text, _>(username)
                .execute(pg)
                .map(|_| ())
        }
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// Counts an attempt as failed before its password is checked (so that concurrent
/// attempts see it); `succeeded` turns it around. Returns its id.
pub fn reserve_attempt(
    c: &mut DbConn,
    username: &str,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let row = LoginAttemptRow {
        id: Uuid::now_v7().to_string(),
        username: username.to_string(),
        ip: ip.to_string(),
        at: now,
        success: false,
    };
    diesel::insert_into(la::login_attempts)
        .values(&row)
        .execute(c)
        .map(|_| row.id)
}

/// Marks a reserved attempt as a success.
pub fn succeeded(c: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::update(la::login_attempts.find(id))
        .set(la::success.eq(true))
        .execute(c)
        .map(|_| ())
}

/// Failed attempts for a username since `since`, oldest first.
pub fn failures_for_username(
    c: &mut DbConn,
    username: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<NaiveDateTime>> {
    la::login_attempts
        .filter(la::username.eq(username))
        .filter(la::success.eq(false))
        .filter(la::at.gt(since))
        .select(la::at)
        .order(la::at.asc())
        .load(c)
}

pub fn failures_for_ip(
    c: &mut DbConn,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<NaiveDateTime>> {
    la::login_attempts
        .filter(la::ip.eq(ip))
        .filter(la::success.eq(false))
        .filter(la::at.gt(since))
        .select(la::at)
        .order(la::at.asc())
        .load(c)
}

/// A successful login or an admin's unlock clears the username's failures.
pub fn clear_failures(c: &mut DbConn, username: &str) -> QueryResult<usize> {
    diesel::delete(
        la::login_attempts
            .filter(la::username.eq(username))
            .filter(la::success.eq(false)),
    )
    .execute(c)
}

/// Drops attempts older than the throttle window (housekeeping).
pub fn prune_attempts(c: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(la::login_attempts.filter(la::at.lt(before))).execute(c)
}
