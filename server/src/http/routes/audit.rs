//! `GET /audit` (admin): the append-only audit log, newest first.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{AuditEntry, Page, Role};

use crate::app::state::AppState;
use crate::flow::audit::{self, Query};
use crate::flow::caller::CurrentUser;
use crate::http::error::ApiResult;
use crate::http::extract::parse_query;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/audit").get(list));
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(("actor" = Option<String>, Query, description = "actor user id"),
        ("entity" = Option<String>, Query, description = "entity id or entity type"),
        ("from" = Option<String>, Query, description = "RFC 3339 or date"),
        ("to" = Option<String>, Query, description = "RFC 3339 or date"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let q: Query = parse_query(&req)?;
    let (items, next_cursor) = audit::list(&state, q).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}
