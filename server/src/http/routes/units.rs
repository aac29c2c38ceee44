//! `/safety-units`: registration, inspections, certification and roll-ups.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::safety::{
    CertificationRequest, Inspection, NewInspection, NewUnit, Rollup, Unit, UnitDetail,
};
use serde::Deserialize;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::units::{self as flow, ListQuery, scope_of};
use crate::http::error::{ApiError, ApiResult};
use crate::http::export;
use crate::http::extract::{Body, parse_query, path_uuid};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/safety-units").post(create).get(list))
        .service(resource("/safety-units/export").get(export))
        .service(resource("/safety-units/rollup").get(rollup))
        .service(resource("/safety-units/{id}").get(get))
        .service(resource("/safety-units/{id}/inspections").post(inspect))
        .service(resource("/safety-units/{id}/certification").put(certify));
}

#[utoipa::path(post, path = "/api/v1/safety-units", tag = "safety", security(("bearer" = [])),
    request_body = NewUnit,
    responses((status = 201, description = "registered (or replayed); status unknown until inspected", body = Unit),
        (status = 403, body = gridwork_shared::Problem), (status = 409, description = "id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "validation_failed or outside_grid", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let new: NewUnit = body.json().await?;
    let st = state.clone();
    let unit = state
        .db(move |c| flow::create_unit(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(unit))
}

#[utoipa::path(get, path = "/api/v1/safety-units", tag = "safety", security(("bearer" = [])),
    params(("cell" = Option<String>, Query), ("region" = Option<String>, Query),
        ("status" = Option<String>, Query, description = "unknown | safe | hazard | overdue"),
        ("kind" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "units in scope, newest first", body = Page<Unit>),
        (status = 403, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let q: ListQuery = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let st = state.clone();
    let (items, next_cursor) = state
        .db(move |c| flow::list(&st, c, &user, &q, &page))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/safety-units/{id}", tag = "safety", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "the unit with its inspections, latest first", body = UnitDetail),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let d = state.db(move |c| flow::detail(&st, c, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/safety-units/{id}/inspections", tag = "safety", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NewInspection,
    responses((status = 201, description = "recorded (or replayed); a safe inspection closes every open hazard", body = Inspection),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "a hazard inspection needs hazards, a safe one none", body = gridwork_shared::Problem)))]
pub async fn inspect(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let new: NewInspection = body.json().await?;
    new.validate(state.clock.now())
        .map_err(ApiError::validation)?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let out = state
        .db_write(move |c| flow::inspect_wire(&st, c, &user, &id, &new))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[utoipa::path(put, path = "/api/v1/safety-units/{id}/certification", tag = "safety", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = CertificationRequest,
    responses((status = 200, body = Unit),
        (status = 403, description = "town certification needs a town or district supervisor, district a district one", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem), (status = 409, description = "version_conflict", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn certify(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let req: CertificationRequest = body.json().await?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let unit = state
        .db(move |c| flow::certify_wire(&st, c, &user, &id, &req))
        .await?;
    Ok(HttpResponse::Ok().json(unit))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RollupQuery {
    region: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/safety-units/rollup", tag = "safety", security(("bearer" = [])),
    params(("region" = Option<String>, Query, description = "default: the caller's region")),
    responses((status = 200, description = "counts by status and certification for the region and each child \
        (towns of a district, communities of a town, cells of a community)", body = Rollup),
        (status = 403, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn rollup(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let q: RollupQuery = parse_query(&req)?;
    let st = state.clone();
    let out = state
        .db(move |c| flow::rollup_of(&st, c, &user, q.region.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/safety-units/export", tag = "safety", security(("bearer" = [])),
    params(("format" = String, Query, description = "csv | xlsx"), ("status" = Option<String>, Query), ("kind" = Option<String>, Query), ("cell" = Option<String>, Query), ("region" = Option<String>, Query)),
    responses((status = 200, description = "every matching record in the caller's scope, streamed: CSV (UTF-8 with a \
            byte-order mark, the list items' fields as the head) or Excel (a sheet per 1,048,575 rows); a text cell \
            beginning with =, +, - or @ is written with a leading '. Each export is audited (`export`).", content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let (format, q, filters) = export::query::<ListQuery>(&req)?;
    export::respond(
        state,
        user,
        format,
        ("safety-units", "safety_unit", filters),
        std::sync::Arc::new(move |st, c, u, page| flow::list(st, c, u, &q, page)),
    )
    .await
}
