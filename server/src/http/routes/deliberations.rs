//! `/deliberations`: the deliberation hall (议事厅) — items, their steps and sessions.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::deliberation::{
    Deliberation, DeliberationActionRequest, DeliberationDetail, NewDeliberation, NewSession,
    Session,
};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::deliberations::{self as flow, ListQuery};
use crate::http::error::ApiResult;
use crate::http::extract::{Body, parse_query, path_uuid};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/deliberations").post(create).get(list))
        .service(resource("/deliberations/{id}").get(get))
        .service(resource("/deliberations/{id}/actions").post(act))
        .service(resource("/deliberations/{id}/sessions").post(session));
}

#[utoipa::path(post, path = "/api/v1/deliberations", tag = "deliberations", security(("bearer" = [])),
    request_body = NewDeliberation,
    responses((status = 201, description = "raised (or replayed): status `raised`, version 1", body = Deliberation),
        (status = 404, description = "the community is outside the caller's scope, or the source incident is one it cannot see", body = gridwork_shared::Problem),
        (status = 409, description = "id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "validation_failed: region_code must name a community (12 digits)", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewDeliberation = body.json().await?;
    let st = state.clone();
    let item = state
        .db_write(move |c| flow::raise_wire(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(item))
}

#[utoipa::path(get, path = "/api/v1/deliberations", tag = "deliberations", security(("bearer" = [])),
    params(("region" = Option<String>, Query, description = "items of communities at or under this region"),
        ("status" = Option<String>, Query, description = "raised | accepted | declined | decided | implementing | done"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "items the caller may read, newest first: workers those of their cells' \
        communities, supervisors those under their region, volunteers those they raised and every `done` item of \
        their community", body = Page<Deliberation>),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let (items, next_cursor) = state.db(move |c| flow::list(c, &user, &q, &page)).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/deliberations/{id}", tag = "deliberations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "the item with its sessions (in the order held) and history", body = DeliberationDetail),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let id = path_uuid(&id)?;
    let d = state.db(move |c| flow::detail(c, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/deliberations/{id}/actions", tag = "deliberations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = DeliberationActionRequest,
    responses((status = 200, description = "the item after the step, with its sessions and history; the step is audited", body = DeliberationDetail),
        (status = 403, description = "volunteers take no step; accept, decline and decide are for supervisors of the \
            community or above (and admins); implement and complete for workers and supervisors in scope", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "invalid_transition (checked before any other 409), version_conflict, or \
            vote_not_passed (decide needs a session whose vote passed: for × 2 > attendees)", body = gridwork_shared::Problem),
        (status = 422, description = "decide needs a non-empty decision, complete a note", body = gridwork_shared::Problem)))]
pub async fn act(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor, Role::Worker])?;
    let req: DeliberationActionRequest = body.json().await?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let d = state
        .db_write(move |c| flow::act_detail(&st, c, &user, &id, &req))
        .await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/deliberations/{id}/sessions", tag = "deliberations", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NewSession,
    responses((status = 201, description = "recorded (or replayed); `passed` when for × 2 > attendees. The item's version \
        does not change", body = Session),
        (status = 403, description = "volunteers record no session", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "invalid_transition: the item is not accepted; id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "for + against + abstain must not exceed attendees", body = gridwork_shared::Problem)))]
pub async fn session(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor, Role::Worker])?;
    let new: NewSession = body.json().await?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let now = state.clock.now();
    let s = state
        .db_write(move |c| flow::session_wire(&st, c, &user, &id, &new, now))
        .await?;
    Ok(HttpResponse::Created().json(s))
}
