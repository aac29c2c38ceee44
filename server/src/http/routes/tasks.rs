//! `/tasks`: the responsibility tasks, their units, progress reports and scores.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::Page;
use gridwork_shared::responsibility::{
    NewProgress, NewTask, Progress, ScoresRequest, Task, TaskDetail, UnitsRequest,
};
use serde::Deserialize;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::tasks::{self as flow, ListQuery};
use crate::http::error::ApiResult;
use crate::http::extract::{Body, parse_query};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/tasks").post(create).get(list))
        .service(resource("/tasks/{id}").get(get))
        .service(resource("/tasks/{id}/units").put(put_units))
        .service(resource("/tasks/{id}/progress").post(progress))
        .service(resource("/tasks/{id}/scores").put(put_scores));
}

#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", security(("bearer" = [])),
    request_body = NewTask,
    responses((status = 201, description = "the task (a replay of the same id and body answers the same); audited", body = TaskDetail),
        (status = 403, description = "only admins and district supervisors", body = gridwork_shared::Problem),
        (status = 409, description = "`code_taken`, or `id_conflict` for the same id with another body", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewTask = body.json().await?;
    let st = state.clone();
    let task = state
        .db_write(move |c| flow::create(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(task))
}

#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", security(("bearer" = [])),
    params(("year" = Option<i32>, Query), ("department" = Option<String>, Query, description = "a department's id"),
        ("region" = Option<String>, Query, description = "tasks with a town at or under this region"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "tasks in the caller's scope, in creation order: admins and district supervisors \
        all; a town's supervisors their town's; department staff their department's", body = Page<Task>),
        (status = 403, description = "workers and volunteers", body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let page = paging::page(&q.limit, &q.cursor)?;
    let st = state.clone();
    let (items, next_cursor) = state
        .db(move |c| flow::list(&st, c, &user, &q, &page))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetailQuery {
    period: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path),
        ("period" = Option<String>, Query, description = "YYYY or YYYY-MM: whose scores the units show (default: the task's year)")),
    responses((status = 200, description = "the task with its units (progress: the latest report's cumulative value; \
        completion = min(1, progress ÷ target); the period's score; overdue past the due date and not complete) and its \
        newest 200 progress reports", body = TaskDetail),
        (status = 403, description = "workers and volunteers", body = gridwork_shared::Problem)))]
pub async fn get(
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: DetailQuery = parse_query(&req)?;
    let st = state.clone();
    let task = state
        .db(move |c| flow::detail(&st, c, &user, &id, q.period.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(task))
}

#[utoipa::path(put, path = "/api/v1/tasks/{id}/units", tag = "tasks", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = UnitsRequest,
    responses((status = 200, description = "the task with its new units (the set is replaced); each a department or a \
        town (9-digit region) that exists, named once, with a target > 0; audited", body = TaskDetail),
        (status = 403, description = "only admins and district supervisors", body = gridwork_shared::Problem)))]
pub async fn put_units(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let req: UnitsRequest = body.json().await?;
    let st = state.clone();
    let task = state
        .db_write(move |c| flow::put_units(&st, c, &user, &id, &req))
        .await?;
    Ok(HttpResponse::Ok().json(task))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/progress", tag = "tasks", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NewProgress,
    responses((status = 201, description = "the report: a unit's cumulative value, by its own staff (its department's \
        staff; its town's supervisors). A replay of the same id and body answers the same.", body = Progress),
        (status = 403, description = "not the unit's staff", body = gridwork_shared::Problem),
        (status = 409, description = "`id_conflict`: the same id with another body", body = gridwork_shared::Problem)))]
pub async fn progress(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewProgress = body.json().await?;
    let st = state.clone();
    let (report, _) = state
        .db_write(move |c| flow::report_progress(&st, c, &user, &id, &new))
        .await?;
    Ok(HttpResponse::Created().json(report))
}

#[utoipa::path(put, path = "/api/v1/tasks/{id}/scores", tag = "tasks", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = ScoresRequest,
    responses((status = 200, description = "the task with the period's scores: each replaces that unit's score for the \
        period (0–100); the period lies in the task's year; audited", body = TaskDetail),
        (status = 403, description = "only admins and district supervisors", body = gridwork_shared::Problem)))]
pub async fn put_scores(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let req: ScoresRequest = body.json().await?;
    let st = state.clone();
    let task = state
        .db_write(move |c| flow::put_scores(&st, c, &user, &id, &req))
        .await?;
    Ok(HttpResponse::Ok().json(task))
}
