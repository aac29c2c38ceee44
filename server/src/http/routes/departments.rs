//! `/departments`: the district's departments.

use actix_web::{HttpResponse, web};
use gridwork_shared::api::Role;
use gridwork_shared::responsibility::{Department, NewDepartment};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::departments as flow;
use crate::http::error::ApiResult;
use crate::http::extract::Body;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/departments").post(create).get(list));
}

#[utoipa::path(post, path = "/api/v1/departments", tag = "departments", security(("bearer" = [])),
    request_body = NewDepartment,
    responses((status = 201, description = "created (a replay of the same id and body answers the same); audited", body = Department),
        (status = 403, description = "only admins", body = gridwork_shared::Problem),
        (status = 409, description = "`code_taken`, or `id_conflict` for the same id with another body", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let new: NewDepartment = body.json().await?;
    let (department, _) = state
        .db_write(move |c| flow::create(c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(department))
}

#[utoipa::path(get, path = "/api/v1/departments", tag = "departments", security(("bearer" = [])),
    responses((status = 200, description = "every department, by code (a bare array)", body = Vec<Department>),
        (status = 403, description = "volunteers", body = gridwork_shared::Problem)))]
pub async fn list(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let items = state.db(move |c| flow::list(c, &user)).await?;
    Ok(HttpResponse::Ok().json(items))
}
