//! `/incidents`: report, list, read, act, mediate.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::incident::{
    ActionRequest, Incident, IncidentDetail, Mediation, NewIncident, NewMediation, Reported,
};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::incidents::{self as flow, ListQuery};
use crate::http::error::{ApiError, ApiResult};
use crate::http::export;
use crate::http::extract::{Body, parse_query, path_uuid};
use crate::http::paging;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/incidents").post(create).get(list))
        .service(resource("/incidents/export").get(export))
        .service(resource("/incidents/{id}").get(get))
        .service(resource("/incidents/{id}/actions").post(act))
        .service(resource("/incidents/{id}/mediations").post(mediate));
}

#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", security(("bearer" = [])),
    request_body = NewIncident,
    responses(
        (status = 201, description = "registered (or the same report replayed): status reported, level community, \
            due_at in working hours; possible_duplicates lists open incidents of the category within 50 m in 7 days",
            body = Reported),
        (status = 409, description = "id_conflict: the id names another record", body = gridwork_shared::Problem),
        (status = 422, description = "validation_failed, or outside_grid when the location is in no cell",
            body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewIncident = body.json().await?;
    new.validate(state.clock.now())
        .map_err(ApiError::validation)?;
    let st = state.clone();
    let (reported, _created) = state
        .db_write(move |c| flow::report(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(reported))
}

#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "one status or a comma list"),
        ("cell" = Option<String>, Query), ("region" = Option<String>, Query),
        ("category" = Option<String>, Query, description = "4-digit category or 2-digit class"),
        ("level" = Option<String>, Query), ("overdue" = Option<bool>, Query),
        ("assignee" = Option<String>, Query, description = "`me` or a user id"),
        ("reporter" = Option<String>, Query, description = "`me` or a user id"),
        ("department" = Option<String>, Query, description = "a department's id"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "incidents in the caller's scope, newest first", body = Page<Incident>),
        (status = 422, body = gridwork_shared::Problem)))]
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

#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = IncidentDetail), (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let id = path_uuid(&id)?;
    let st = state.clone();
    let d = state.db(move |c| flow::detail(&st, c, &user, &id)).await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/actions", tag = "incidents", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = ActionRequest,
    responses(
        (status = 200, description = "the incident after the step, with its history", body = IncidentDetail),
        (status = 403, description = "the caller may not take this step", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "version_conflict (stale version) or invalid_transition", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn act(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let req: ActionRequest = body.json().await?;
    let st = state.clone();
    let d = state
        .db_write(move |c| flow::act_detail(&st, c, &user, &id, &req))
        .await?;
    state.ring();
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/incidents/{id}/mediations", tag = "incidents", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NewMediation,
    responses(
        (status = 201, description = "recorded (or the same record replayed); it shows in the incident's history", body = Mediation),
        (status = 403, description = "only those who handle the dispute", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem),
        (status = 409, description = "id_conflict, or invalid_transition when the incident is not a dispute", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn mediate(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewMediation = body.json().await?;
    new.validate(state.clock.now())
        .map_err(ApiError::validation)?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let m = state
        .db(move |c| flow::record_mediation(&st, c, &user, &id, &new))
        .await?;
    Ok(HttpResponse::Created().json(flow::mediation_to_wire(&m.0, true)))
}

#[utoipa::path(get, path = "/api/v1/incidents/export", tag = "incidents", security(("bearer" = [])),
    params(("format" = String, Query, description = "csv | xlsx"), ("status" = Option<String>, Query), ("cell" = Option<String>, Query), ("region" = Option<String>, Query), ("category" = Option<String>, Query), ("level" = Option<String>, Query), ("overdue" = Option<String>, Query), ("assignee" = Option<String>, Query), ("reporter" = Option<String>, Query), ("department" = Option<String>, Query)),
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
        ("incidents", "incident", filters),
        std::sync::Arc::new(move |st, c, u, page| flow::list(st, c, u, &q, page)),
    )
    .await
}
