//! `GET /regions`, `POST /regions` (admin).

use actix_web::{HttpResponse, web};
use gridwork_shared::api::{NewRegion, Region, Role};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::regions;
use crate::http::error::ApiResult;
use crate::http::extract::Body;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/regions").get(list).post(create));
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", security(("bearer" = [])),
    responses((status = 200, description = "regions in the caller's scope by code: an admin's all; \
        others the subtree of their region; a worker also the regions above its assigned cells",
        body = Vec<Region>)))]
pub async fn list(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let out = state.db(move |c| regions::list(c, &user)).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(post, path = "/api/v1/regions", tag = "regions", security(("bearer" = [])),
    request_body = NewRegion,
    responses((status = 201, body = Region), (status = 403, body = gridwork_shared::Problem),
        (status = 409, description = "code_taken", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let new: NewRegion = body.json().await?;
    let region = state
        .db(move |c| regions::create(c, &new, Some(&user)))
        .await?;
    Ok(HttpResponse::Created().json(region))
}
