//! `/api-keys` (admin): the keys other systems post Open311 service requests with.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::open311::{ApiKey, IssuedApiKey, NewApiKey};

use crate::app::state::AppState;
use crate::flow::api_keys;
use crate::flow::caller::CurrentUser;
use crate::http::error::ApiResult;
use crate::http::extract::{Body, parse_query};
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/api-keys").post(create).get(list))
        .service(resource("/api-keys/{id}").delete(revoke));
}

#[utoipa::path(post, path = "/api/v1/api-keys", tag = "open311", security(("bearer" = [])),
    request_body = NewApiKey,
    responses((status = 201, description = "the key, shown only in this answer (32 random bytes, hex); only its SHA-256 \
            is kept. The key owns an inactive user that never signs in: the reporter of what is posted with it. Audited \
            (`api_key_create`).", body = IssuedApiKey),
        (status = 403, description = "only admins", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let new: NewApiKey = body.json().await?;
    let issued = state.db(move |c| api_keys::issue(c, &user, &new)).await?;
    Ok(HttpResponse::Created().json(issued))
}

#[utoipa::path(get, path = "/api/v1/api-keys", tag = "open311", security(("bearer" = [])),
    params(("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "the keys, newest first, revoked ones with revoked_at; never the key itself",
        body = Page<ApiKey>),
        (status = 403, description = "only admins", body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let page = parse_query::<crate::http::paging::PageParams>(&req)?.validate()?;
    let (items, next_cursor) = state.db(move |c| api_keys::list(c, &page)).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(delete, path = "/api/v1/api-keys/{id}", tag = "open311", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204, description = "revoked at once (again: nothing changes); audited (`api_key_revoke`)"),
        (status = 403, description = "only admins", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn revoke(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let id = id.into_inner();
    state.db(move |c| api_keys::revoke(c, &user, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
