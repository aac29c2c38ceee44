//! Authentication (who is calling) and the caller's scope (what it may see).

pub mod jwt;
pub mod password;
pub mod throttle;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use gridwork_shared::api::Role;

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The authenticated, active caller. Loaded from the database on every request, so a
/// deactivated user or a changed role takes effect at once.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub region_code: String,
    pub display_name: String,
    pub ip: String,
}

impl CurrentUser {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "a {} may not use this endpoint",
                self.role.as_str()
            )))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The region prefix that bounds what the caller sees: `""` for an admin.
    pub fn region_scope(&self) -> &str {
        if self.is_admin() {
            ""
        } else {
            &self.region_code
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
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
        let ip = crate::extract::client_ip(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("AppState missing"))?;
            let token =
                token.ok_or_else(|| ApiError::unauthorized("a bearer token is required"))?;
            let claims = state
                .jwt
                .verify(&token)
                .ok_or_else(|| ApiError::unauthorized("the token is invalid or expired"))?;
            let user = state
                .db(move |c| db::users::find_by_id(c, &claims.sub))
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| ApiError::unauthorized("the account is unknown or deactivated"))?;
            Ok(CurrentUser {
                role: Role::parse(&user.role)
                    .ok_or_else(|| anyhow::anyhow!("bad role in database: {}", user.role))?,
                id: user.id,
                username: user.username,
                region_code: user.region_code,
                display_name: user.display_name,
                ip,
            })
        })
    }
}
