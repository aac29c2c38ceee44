//! `POST /auth/login`, `/auth/refresh`, `/auth/logout`.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::ErrorCode;
use gridwork_shared::api::{LoginRequest, RefreshRequest, TokenResponse};
use uuid::Uuid;

use crate::auth::{password, throttle};
use crate::db::{self, audit, tokens, users};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, client_ip};
use crate::routes::users::me_of;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/login").post(login))
        .service(web::resource("/auth/refresh").post(refresh))
        .service(web::resource("/auth/logout").post(logout));
}

/// Issues an access token and a new refresh chain (or continues `chain`).
pub(crate) fn issue_pair(
    state: &AppState,
    c: &mut db::DbConn,
    user: &db::models::UserRow,
    chain: Option<&str>,
) -> ApiResult<TokenResponse> {
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

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "invalid_credentials", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem),
        (status = 429, description = "too_many_attempts, with Retry-After", body = gridwork_shared::Problem)))]
pub async fn login(
    req: HttpRequest,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let creds: LoginRequest = body.json()?;
    let ip = client_ip(&req);
    let username = creds.username.trim().to_string();

    // 1. Throttle check and user lookup.
    let (u, ip2) = (username.clone(), ip.clone());
    let user = state
        .db(move |c| -> ApiResult<_> {
            let now = db::now();
            let since = now - throttle::window();
            let by_name = tokens::failures_for_username(c, &u, since)?;
            if let Some(secs) =
                throttle::retry_after(&by_name, throttle::MAX_FAILURES_PER_USERNAME, now)
            {
                return Err(ApiError::too_many_attempts(secs));
            }
            let by_ip = tokens::failures_for_ip(c, &ip2, since)?;
            if let Some(secs) =
                throttle::retry_after(&by_ip, throttle::MAX_FAILURES_PER_ADDRESS, now)
            {
                return Err(ApiError::too_many_attempts(secs));
            }
            Ok(users::find_by_username(c, &u)?)
        })
        .await?;

    // 2. Verify the password off the async workers (argon2 is deliberately slow).
    let pw = creds.password;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = web::block(move || match stored {
        Some(h) => password::verify(&pw, &h),
        None => {
            password::burn_time(&pw);
            false
        }
    })
    .await?;
    let ok = ok && user.as_ref().is_some_and(|u| u.active);

    // 3. Record the attempt; issue tokens on success.
    let st = state.clone();
    state
        .db(move |c| {
            db::write_tx(c, |c| -> ApiResult<_> {
                let now = db::now();
                tokens::record_attempt(c, &username, &ip, now, ok)?;
                let user_id = user.as_ref().map(|u| u.id.clone()).unwrap_or_default();
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
                    },
                )?;
                match (ok, user) {
                    (true, Some(user)) => {
                        tokens::clear_failures(c, &username)?;
                        Ok(Some(issue_pair(&st, c, &user, None)?))
                    }
                    _ => Ok(None),
                }
            })
        })
        .await?
        .map(|pair| HttpResponse::Ok().json(pair))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidCredentials,
                "the username or password is wrong",
            )
        })
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "a new pair; the old refresh token is spent", body = TokenResponse),
        (status = 401, description = "unknown, expired, revoked or reused token (reuse revokes the whole chain)", body = gridwork_shared::Problem)))]
pub async fn refresh(body: Body, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let r: RefreshRequest = body.json()?;
    let st = state.clone();
    state
        .db(move |c| {
            // The spend (and a reuse's chain revocation) commits even when we answer 401.
            let spent = db::write_tx(c, |c| tokens::spend(c, &r.refresh_token, db::now()))?;
            match spent {
                tokens::Spend::Ok(user_id, chain) => db::write_tx(c, |c| -> ApiResult<_> {
                    let user = users::find_by_id(c, &user_id)?
                        .filter(|u| u.active)
                        .ok_or_else(|| ApiError::unauthorized("the account is deactivated"))?;
                    issue_pair(&st, c, &user, Some(&chain))
                }),
                tokens::Spend::Reused => {
                    tracing::warn!("a spent refresh token was presented; its chain is revoked");
                    Err(ApiError::unauthorized(
                        "this refresh token was already used; every token of its session is revoked",
                    ))
                }
                tokens::Spend::Invalid => {
                    Err(ApiError::unauthorized("the refresh token is invalid or expired"))
                }
            }
        })
        .await
        .map(|pair| HttpResponse::Ok().json(pair))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "the refresh token's session is revoked")))]
pub async fn logout(body: Body, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let r: RefreshRequest = body.json()?;
    state
        .db(move |c| -> ApiResult<_> {
            if let Some((chain, _user)) = tokens::chain_of(c, &r.refresh_token)? {
                db::write_tx(c, |c| tokens::revoke_chain(c, &chain, db::now()))?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
