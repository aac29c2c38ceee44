//! `POST /auth/login`, `/auth/refresh`, `/auth/logout`.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{LoginRequest, RefreshRequest, TokenResponse};

use crate::app::state::AppState;
use crate::flow::auth;
use crate::http::error::ApiResult;
use crate::http::extract::{Body, client_ip};
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/auth/login").post(login))
        .service(resource("/auth/refresh").post(refresh))
        .service(resource("/auth/logout").post(logout));
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
    let creds: LoginRequest = body.json().await?;
    let pair = auth::login(&state.into_inner(), creds, client_ip(&req)).await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "a new pair; the old refresh token is spent", body = TokenResponse),
        (status = 401, description = "unknown, expired, revoked or reused token (reuse revokes the whole chain)", body = gridwork_shared::Problem)))]
pub async fn refresh(body: Body, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let r: RefreshRequest = body.json().await?;
    let pair = auth::refresh(&state.into_inner(), r).await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "the refresh token's session is revoked")))]
pub async fn logout(body: Body, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let r: RefreshRequest = body.json().await?;
    auth::logout(&state, r).await?;
    Ok(HttpResponse::NoContent().finish())
}
