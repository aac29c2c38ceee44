//! The `CurrentUser` extractor: the bearer token, checked, and the user loaded from the
//! database on every request, so a deactivated user or a changed role takes effect at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::http::error::ApiError;

/// The bearer token of a request, if it has one.
pub fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<CurrentUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        let ip = crate::http::extract::client_ip(req);
        let writes = !matches!(
            *req.method(),
            actix_web::http::Method::GET
                | actix_web::http::Method::HEAD
                | actix_web::http::Method::OPTIONS
        );
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("AppState missing"))?;
            let user = caller_of(&state, token, ip).await?;
            if writes {
                state.writes.take(&user.id)?;
            }
            Ok(user)
        })
    }
}

/// The user an access token names, checked and loaded (401 when there is none, it is
/// invalid or expired, or the account is gone or deactivated).
pub async fn caller_of(
    state: &AppState,
    token: Option<String>,
    ip: String,
) -> Result<CurrentUser, ApiError> {
    let token = token.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
    let claims = state
        .jwt
        .verify(&token)
        .ok_or_else(|| ApiError::unauthorized("the token is invalid or expired"))?;
    state
        .db(move |c| crate::flow::auth::caller(c, &claims.sub, ip))
        .await?
        .ok_or_else(|| ApiError::unauthorized("the account is unknown or deactivated"))
}
