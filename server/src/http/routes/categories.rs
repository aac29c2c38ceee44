//! `GET /categories`, `PATCH /categories/{code}` (admin).

use actix_web::{HttpResponse, web};
use gridwork_shared::api::Role;
use gridwork_shared::incident::{Category, CategoryPatch};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::categories;
use crate::http::error::ApiResult;
use crate::http::extract::Body;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/categories").get(list))
        .service(resource("/categories/{code}").patch(patch));
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "incidents", security(("bearer" = [])),
    responses((status = 200, description = "coded categories (2-digit class + 2-digit subclass) with \
        deadline hours per handling level, counted in working hours (clock hours when urgent)",
        body = Vec<Category>)))]
pub async fn list(_user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let list = state.db(categories::list).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(patch, path = "/api/v1/categories/{code}", tag = "incidents", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = CategoryPatch,
    responses((status = 200, body = Category), (status = 403, body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn patch(
    user: CurrentUser,
    code: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let p: CategoryPatch = body.json().await?;
    let code = code.into_inner();
    let category = state
        .db(move |c| categories::update(c, &user, &code, &p))
        .await?;
    Ok(HttpResponse::Ok().json(category))
}
