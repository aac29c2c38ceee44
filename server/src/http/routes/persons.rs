//! `/persons` (special populations), their visits, `/me/visits/due` and `/visit-intervals`.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::person::{
    NewPerson, NewVisit, Person, PersonItem, PersonPatch, Visit, VisitInterval,
};

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::persons::{self as flow, ListQuery, ReadQuery, scope_of};
use crate::http::error::{ApiError, ApiResult};
use crate::http::export;
use crate::http::extract::{Body, parse_query, path_uuid};
use crate::http::paging::{self, PageParams};
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/persons").post(create).get(list))
        .service(resource("/persons/export").get(export))
        .service(resource("/persons/{id}").get(get).patch(patch))
        .service(resource("/persons/{id}/visits").post(visit).get(visits))
        .service(resource("/me/visits/due").get(due))
        .service(
            resource("/visit-intervals")
                .get(intervals)
                .put(put_interval),
        );
}

#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])),
    request_body = NewPerson,
    responses((status = 201, description = "registered (or the same registration replayed); the identity number masked", body = PersonItem),
        (status = 403, body = gridwork_shared::Problem), (status = 409, description = "id_conflict", body = gridwork_shared::Problem),
        (status = 422, description = "validation_failed (e.g. a bad GB 11643 check digit) or outside_grid", body = gridwork_shared::Problem)))]
pub async fn create(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let new: NewPerson = body.json().await?;
    let st = state.clone();
    let item = state
        .db(move |c| flow::register_item(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(item))
}

#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])),
    params(("id" = Option<uuid::Uuid>, Query, description = "one person (its page), masked like the rest of the list"),
        ("cell" = Option<String>, Query), ("category" = Option<String>, Query),
        ("due" = Option<String>, Query, description = "overdue | today | week (China Standard Time day / the 7 days from today)"),
        ("archived" = Option<bool>, Query, description = "include archived persons"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "persons in scope, newest first, identity numbers masked", body = Page<PersonItem>),
        (status = 403, description = "volunteers", body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
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

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path),
        ("reason" = Option<String>, Query, max_length = 200,
            description = "why the record is opened (PIPL: the purpose of each use), kept in the audit entry as `reason`; one line, at most 200 characters")),
    responses((status = 200, description = "the full record with the identity number; every read is audited, with its reason", body = Person),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 422, description = "a reason too long or not one line, or an unknown parameter", body = gridwork_shared::Problem)))]
pub async fn get(
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let state = state.into_inner();
    flow::may_read(&state, &user, &id).await?;
    let q: ReadQuery = parse_query(&req)?;
    let p = flow::read(&state, &user, &id, q).await?;
    Ok(HttpResponse::Ok().json(p))
}

#[utoipa::path(patch, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = PersonPatch,
    responses((status = 200, body = PersonItem), (status = 403, body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem), (status = 409, description = "version_conflict", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn patch(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let p: PersonPatch = body.json().await?;
    let st = state.clone();
    let item = state
        .db(move |c| flow::patch_item(&st, c, &user, &id, &p))
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

#[utoipa::path(post, path = "/api/v1/persons/{id}/visits", tag = "persons", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)), request_body = NewVisit,
    responses((status = 201, description = "recorded (or replayed), with distance_m from the registered location and far", body = Visit),
        (status = 403, body = gridwork_shared::Problem),
        (status = 404, description = "not a person the caller is responsible for or whose cell it works", body = gridwork_shared::Problem),
        (status = 409, description = "id_conflict, or invalid_transition for an archived person", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn visit(
    user: CurrentUser,
    id: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let new: NewVisit = body.json().await?;
    new.validate(state.clock.now())
        .map_err(ApiError::validation)?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let v = state
        .db_write(move |c| flow::record_visit(&st, c, &user, &id, &new))
        .await?;
    Ok(HttpResponse::Created().json(flow::visit_to_wire(&v.0, &[])?))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/visits", tag = "persons", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "the person's visits, latest first, each with its photos", body = Page<Visit>),
        (status = 403, description = "volunteers", body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn visits(
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let page = parse_query::<PageParams>(&req)?.validate()?;
    let id = path_uuid(&id)?;
    let (items, next_cursor) = state
        .db(move |c| flow::visits(c, &user, &id, &page))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/me/visits/due", tag = "persons", security(("bearer" = [])),
    params(("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "the caller's persons (a worker's: those it is responsible for) with a visit due, soonest first",
        body = Page<PersonItem>), (status = 403, body = gridwork_shared::Problem)))]
pub async fn due(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let page = parse_query::<PageParams>(&req)?.validate()?;
    let st = state.clone();
    let (items, next_cursor) = state.db(move |c| flow::due(&st, c, &user, &page)).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/visit-intervals", tag = "persons", security(("bearer" = [])),
    responses((status = 200, description = "days between visits per category and risk level", body = Vec<VisitInterval>),
        (status = 403, body = gridwork_shared::Problem)))]
pub async fn intervals(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let out = state.db(flow::intervals).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(put, path = "/api/v1/visit-intervals", tag = "persons", security(("bearer" = [])),
    request_body = VisitInterval,
    responses((status = 200, description = "set; the persons concerned are rescheduled", body = VisitInterval),
        (status = 403, body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn put_interval(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let v: VisitInterval = body.json().await?;
    let st = state.clone();
    let out = v.clone();
    state
        .db(move |c| flow::set_interval(&st, c, &user, v.category, v.risk_level, v.days))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/persons/export", tag = "persons", security(("bearer" = [])),
    params(("format" = String, Query, description = "csv | xlsx"), ("cell" = Option<String>, Query), ("category" = Option<String>, Query), ("due" = Option<String>, Query, description = "overdue | today | week"), ("archived" = Option<String>, Query)),
    responses((status = 200, description = "every matching person in the caller's scope, masked (the identity number as the list masks it, no address), streamed: CSV (UTF-8 with a \
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
        ("persons", "person", filters),
        std::sync::Arc::new(move |st, c, u, page| flow::list(st, c, u, &q, page)),
    )
    .await
}
