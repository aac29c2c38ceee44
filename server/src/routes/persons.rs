//! `/persons` (special populations), their visits, `/me/visits/due` and `/visit-intervals`.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, FixedOffset, TimeZone};
use gridwork_shared::api::{Page, Role};
use gridwork_shared::person::{
    NewPerson, NewVisit, Person, PersonCategory, PersonItem, PersonPatch, RiskLevel, Visit,
    VisitInterval,
};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::page::{self, Cursor, PageParams};
use crate::db::persons::{self as store, Filter};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, parse_query};
use crate::persons::{self as flow, scope_of};
use crate::routes::users::path_uuid;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/persons").post(create).get(list))
        .service(web::resource("/persons/{id}").get(get).patch(patch))
        .service(
            web::resource("/persons/{id}/visits")
                .post(visit)
                .get(visits),
        )
        .service(web::resource("/me/visits/due").get(due))
        .service(
            web::resource("/visit-intervals")
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
    let new: NewPerson = body.json()?;
    new.validate().map_err(ApiError::validation)?;
    let st = state.clone();
    let item = state
        .db(move |c| -> ApiResult<PersonItem> {
            let (row, _) = flow::register(&st, c, &user, &new)?;
            flow::item(&st, &row, st.clock.now())
        })
        .await?;
    Ok(HttpResponse::Created().json(item))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    cell: Option<String>,
    category: Option<String>,
    due: Option<String>,
    archived: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])),
    params(("cell" = Option<String>, Query), ("category" = Option<String>, Query),
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
    let scope = scope_of(&user)?;
    let q: ListQuery = parse_query(&req)?;
    let page = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .validate()?;
    let now = state.clock.now();
    let mut f = Filter {
        cell: q
            .cell
            .as_deref()
            .map(crate::routes::cells::parse_cell)
            .transpose()?,
        ..Filter::default()
    };
    if let Some(cat) = q.category {
        PersonCategory::parse(&cat)
            .ok_or_else(|| ApiError::invalid("category", "unknown category"))?;
        f.category = Some(cat);
    }
    let tz = FixedOffset::east_opt(state.config.calendar.utc_offset_secs).expect("valid offset");
    let today = tz
        .from_local_datetime(
            &now.with_timezone(&tz)
                .date_naive()
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )
        .single()
        .expect("fixed offset")
        .naive_utc();
    match q.due.as_deref() {
        None => {}
        Some("overdue") => f.due_to = Some(now.naive_utc()),
        Some("today") => (f.due_from, f.due_to) = (Some(today), Some(today + Duration::days(1))),
        Some("week") => (f.due_from, f.due_to) = (Some(today), Some(today + Duration::days(7))),
        Some(_) => return Err(ApiError::invalid("due", "must be overdue, today or week")),
    }
    f.include_archived = match q.archived.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("archived", "must be true or false")),
    };
    let limit = page.limit;
    let st = state.clone();
    let (items, next_cursor) = state
        .db(move |c| -> ApiResult<_> {
            let rows = store::list(c, &scope, &f, &page)?;
            let (rows, next) = page::finish(rows, limit, |r| Cursor {
                created_at: r.created_at,
                id: r.id.clone(),
            });
            let items = rows
                .iter()
                .map(|r| flow::item(&st, r, now))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok((items, next))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "the full record with the identity number; every read is audited", body = Person),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let p = state
        .db(move |c| flow::read_full(&st, c, &user, &id))
        .await?;
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
    let p: PersonPatch = body.json()?;
    p.validate().map_err(ApiError::validation)?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let item = state
        .db(move |c| -> ApiResult<PersonItem> {
            let row = flow::patch(&st, c, &user, &id, &p)?;
            flow::item(&st, &row, st.clock.now())
        })
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
    let new: NewVisit = body.json()?;
    new.validate(state.clock.now())
        .map_err(ApiError::validation)?;
    let id = path_uuid(&id)?;
    let st = state.clone();
    let v = state
        .db_write(move |c| flow::record_visit(&st, c, &user, &id, &new))
        .await?;
    Ok(HttpResponse::Created().json(flow::visit_to_wire(&v.0)?))
}

#[utoipa::path(get, path = "/api/v1/persons/{id}/visits", tag = "persons", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "the person's visits, latest first", body = Page<Visit>),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn visits(
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let scope = scope_of(&user)?;
    let page = parse_query::<PageParams>(&req)?.validate()?;
    let id = path_uuid(&id)?;
    let limit = page.limit;
    let (items, next_cursor) = state
        .db(move |c| -> ApiResult<_> {
            store::find_in_scope(c, &scope, &id)?.ok_or_else(ApiError::not_found)?;
            let rows = store::visits_of(c, &id, &page)?;
            let (rows, next) = page::finish(rows, limit, |r| Cursor {
                created_at: r.visited_at,
                id: r.id.clone(),
            });
            Ok((
                rows.iter()
                    .map(flow::visit_to_wire)
                    .collect::<ApiResult<Vec<_>>>()?,
                next,
            ))
        })
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
    let scope = scope_of(&user)?;
    let page = parse_query::<PageParams>(&req)?.validate()?;
    let limit = page.limit;
    let now = state.clock.now();
    let st = state.clone();
    let (items, next_cursor) = state
        .db(move |c| -> ApiResult<_> {
            let responsible = (user.role == Role::Worker).then_some(user.id.as_str());
            let rows = store::due(c, &scope, responsible, &page)?;
            let (rows, next) = page::finish(rows, limit, |r| Cursor {
                created_at: r.next_visit_due.expect("filtered on"),
                id: r.id.clone(),
            });
            let items = rows
                .iter()
                .map(|r| flow::item(&st, r, now))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok((items, next))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/visit-intervals", tag = "persons", security(("bearer" = [])),
    responses((status = 200, description = "days between visits per category and risk level", body = Vec<VisitInterval>),
        (status = 403, body = gridwork_shared::Problem)))]
pub async fn intervals(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    scope_of(&user)?;
    let rows = state.db(store::intervals).await?;
    let out: Vec<VisitInterval> = rows
        .into_iter()
        .filter_map(|(c, r, d)| {
            Some(VisitInterval {
                category: PersonCategory::parse(&c)?,
                risk_level: RiskLevel::parse(&r)?,
                days: i64::from(d),
            })
        })
        .collect();
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
    let v: VisitInterval = body.json()?;
    if !(1..=366).contains(&v.days) {
        return Err(ApiError::invalid("days", "must be from 1 to 366"));
    }
    let st = state.clone();
    let out = v.clone();
    state
        .db(move |c| flow::set_interval(&st, c, &user, v.category, v.risk_level, v.days))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
