//! Logging in, refreshing and logging out: throttled logins, refresh-token chains.

use std::sync::Arc;

use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::api::{LoginRequest, RefreshRequest, TokenResponse};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::core::{password, throttle};
use crate::db::{self, audit, tokens, users};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::hashing;
use crate::flow::users::me_of;

/// Issues an access token and a new refresh chain (or continues `chain`).
pub fn issue_pair(
    state: &AppState,
    c: &mut db::DbConn,
    user: &db::models::UserRow,
    chain: Option<&str>,
) -> Result<TokenResponse> {
    let now = db::now();
    let chain = chain
        .map(str::to_string)
        .unwrap_or_else(|| Uuid::now_v7().to_string());
    let refresh_token = tokens::issue(c, &user.id, &chain, now, state.config.refresh_ttl_secs)?;
    let access_token = state.jwt.issue(
        &user.id,
        now.and_utc().timestamp(),
        state.config.access_ttl_secs,
    )?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: state.config.access_ttl_secs,
        user: me_of(user)?,
    })
}

/// The login throttle for one password guess against `username` from `ip`: refused (429)
/// when the username or the address is locked; else the guess is counted as failed before
/// its password is checked (under a lock on the username, so that concurrent guesses see
/// each other), and the attempt's id returned for `tokens::succeeded`. Must run in a write
/// transaction.
pub fn reserve_attempt(c: &mut db::DbConn, username: &str, ip: &str) -> Result<String> {
    tokens::lock_username(c, username)?;
    let now = db::now();
    let since = now - throttle::window();
    let by_name = tokens::failures_for_username(c, username, since)?;
    if let Some(secs) = throttle::retry_after(&by_name, throttle::MAX_FAILURES_PER_USERNAME, now) {
        return Err(Error::too_many_attempts(secs));
    }
    let by_ip = tokens::failures_for_ip(c, ip, since)?;
    if let Some(secs) = throttle::retry_after(&by_ip, throttle::MAX_FAILURES_PER_ADDRESS, now) {
        return Err(Error::too_many_attempts(secs));
    }
    Ok(tokens::reserve_attempt(c, username, ip, now)?)
}

/// Checks a username and password: the throttle first (429), then the password on a
/// blocking thread, then the attempt is recorded and audited; tokens on success.
pub async fn login(
    state: &Arc<AppState>,
    creds: LoginRequest,
    ip: String,
) -> Result<TokenResponse> {
    let username = creds.username.trim().to_string();

    // 1. The throttle, and the attempt counted as failed before the password is checked,
    //    under a lock on the username: however many attempts arrive at once, at most
    //    MAX_FAILURES_PER_USERNAME passwords are verified in a window.
    let (u, ip2) = (username.clone(), ip.clone());
    let (user, attempt) = state
        .db(move |c| {
            db::write_tx(c, |c| -> Result<_> {
                let attempt = reserve_attempt(c, &u, &ip2)?;
                Ok((users::find_by_username(c, &u)?, attempt))
            })
        })
        .await?;

    // 2. Verify the password on the bounded hashing pool (argon2 is deliberately slow).
    let pw = creds.password;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = hashing(move || match stored {
        Some(h) => password::verify(&pw, &h),
        None => {
            password::burn_time(&pw);
            false
        }
    })
    .await?;
    let ok = ok && user.as_ref().is_some_and(|u| u.active);

    // 3. Audit the attempt; on success, turn it around and issue tokens.
    let st = Arc::clone(state);
    state
        .db(move |c| {
            db::write_tx(c, |c| -> Result<_> {
                let now = db::now();
                let user_id = user.as_ref().map(|u| u.id.clone()).unwrap_or_default();
                // An unknown username is recorded as tried (cut to a sane length).
                let tried = user
                    .is_none()
                    .then(|| format!("username={}", username.chars().take(64).collect::<String>()));
                audit::append(
                    c,
                    now,
                    audit::Entry {
                        actor_id: user.as_ref().map(|u| u.id.as_str()),
                        action: "login",
                        entity_type: "user",
                        entity_id: &user_id,
                        outcome: if ok { "success" } else { "failure" },
                        ip: Some(&ip),
                        detail: tried.as_deref(),
                    },
                )?;
                match (ok, user) {
                    (true, Some(user)) => {
                        tokens::clear_failures(c, &username)?;
                        tokens::succeeded(c, &attempt)?;
                        Ok(Some(issue_pair(&st, c, &user, None)?))
                    }
                    _ => Ok(None),
                }
            })
        })
        .await?
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidCredentials,
                "the username or password is wrong",
            )
        })
}

/// Spends a refresh token for a new pair; a reused token revokes its whole chain.
pub async fn refresh(state: &Arc<AppState>, r: RefreshRequest) -> Result<TokenResponse> {
    let st = Arc::clone(state);
    state
        .db(move |c| {
            // The spend (and a reuse's chain revocation) commits even when we answer 401.
            let spent = db::write_tx(c, |c| tokens::spend(c, &r.refresh_token, db::now()))?;
            match spent {
                tokens::Spend::Ok(user_id, chain) => db::write_tx(c, |c| -> Result<_> {
                    let user = users::find_by_id(c, &user_id)?
                        .filter(|u| u.active)
                        .ok_or_else(|| Error::unauthorized("the account is deactivated"))?;
                    issue_pair(&st, c, &user, Some(&chain))
                }),
                tokens::Spend::Reused => {
                    tracing::warn!("a spent refresh token was presented; its chain is revoked");
                    Err(Error::unauthorized(
                        "this refresh token was already used; every token of its session is revoked",
                    ))
                }
                tokens::Spend::Invalid => {
                    Err(Error::unauthorized("the refresh token is invalid or expired"))
                }
            }
        })
        .await
}

/// Revokes the refresh token's session.
pub async fn logout(state: &AppState, r: RefreshRequest) -> Result<()> {
    state
        .db(move |c| -> Result<_> {
            if let Some((chain, _user)) = tokens::chain_of(c, &r.refresh_token)? {
                db::write_tx(c, |c| tokens::revoke_chain(c, &chain, db::now()))?;
            }
            Ok(())
        })
        .await
}

/// The active user a verified access token names, as a caller calling from `ip`; `None`
/// for an unknown or deactivated account.
pub fn caller(c: &mut db::DbConn, user_id: &str, ip: String) -> Result<Option<CurrentUser>> {
    let Some(user) = users::find_by_id(c, user_id)?.filter(|u| u.active) else {
        return Ok(None);
    };
    Ok(Some(CurrentUser {
        role: Role::parse(&user.role)
            .ok_or_else(|| anyhow::anyhow!("bad role in database: {}", user.role))?,
        id: user.id,
        username: user.username,
        region_code: user.region_code,
        display_name: user.display_name,
        department_id: user.department_id,
        ip,
    }))
}
