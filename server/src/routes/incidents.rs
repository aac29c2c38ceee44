//! `/incidents`: report, list, read, act, mediate.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::Page;
use gridwork_shared::incident::{
    self as rules, Action, ActionRequest, Facts, HistoryEntry, Incident, Level, Mediation,
    NewIncident, NewMediation, Status,
};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::db::incidents::{self as store, Filter};
use crate::db::page::{self, Cursor, PageParams};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, parse_query};
use crate::incidents::{self as flow, Reported, level_of, scope_of, status_of};
use crate::routes::cells::{parse_cell, parse_region};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/incidents").post(create).get(list))
        .service(web::resource("/incidents/{id}").get(get))
        .service(web::resource("/incidents/{id}/actions").post(act))
        .service(web::resource("/incidents/{id}/mediations").post(mediate));
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
    let new: NewIncident = body.json()?;
    new.validate(state.clock.now())
        .map_err(ApiError::validation)?;
    let st = state.clone();
    let (reported, _created) = state
        .db_write(move |c| flow::report(&st, c, &user, &new))
        .await?;
    Ok(HttpResponse::Created().json(reported))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    cell: Option<String>,
    region: Option<String>,
    category: Option<String>,
    level: Option<String>,
    overdue: Option<String>,
    assignee: Option<String>,
    reporter: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

fn me_or_id(user: &CurrentUser, field: &str, v: &str) -> ApiResult<String> {
    if v == "me" {
        return Ok(user.id.clone());
    }
    uuid::Uuid::parse_str(v)
        .map(|u| u.to_string())
        .map_err(|_| ApiError::invalid(field, "must be `me` or a user id"))
}

fn filter_of(user: &CurrentUser, q: &ListQuery, now: chrono::NaiveDateTime) -> ApiResult<Filter> {
    let mut f = Filter::default();
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        for part in s.split(',') {
            let st = Status::parse(part.trim())
                .ok_or_else(|| ApiError::invalid("status", format!("unknown status {part}")))?;
            f.statuses.push(st.as_str().to_string());
        }
    }
    f.cell = q.cell.as_deref().map(parse_cell).transpose()?;
    f.region = q.region.as_deref().map(parse_region).transpose()?;
    if let Some(cat) = &q.category {
        if !(cat.len() == 2 || cat.len() == 4) || !cat.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::invalid(
                "category",
                "must be a 2-digit class or a 4-digit category",
            ));
        }
        f.category = Some(cat.clone());
    }
    if let Some(l) = &q.level {
        f.level = Some(
            Level::parse(l)
                .ok_or_else(|| ApiError::invalid("level", "must be community, town or district"))?
                .as_str()
                .into(),
        );
    }
    match q.overdue.as_deref() {
        None | Some("false") => {}
        Some("true") => f.overdue_at = Some(now),
        Some(_) => return Err(ApiError::invalid("overdue", "must be true or false")),
    }
    if let Some(a) = &q.assignee {
        f.assignee = Some(me_or_id(user, "assignee", a)?);
    }
    if let Some(r) = &q.reporter {
        f.reporter = Some(me_or_id(user, "reporter", r)?);
    }
    Ok(f)
}

#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "one status or a comma list"),
        ("cell" = Option<String>, Query), ("region" = Option<String>, Query),
        ("category" = Option<String>, Query, description = "4-digit category or 2-digit class"),
        ("level" = Option<String>, Query), ("overdue" = Option<bool>, Query),
        ("assignee" = Option<String>, Query, description = "`me` or a user id"),
        ("reporter" = Option<String>, Query, description = "`me` or a user id"),
        ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "incidents in the caller's scope, newest first", body = Page<Incident>),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let page = PageParams {
        limit: q.limit.clone(),
        cursor: q.cursor.clone(),
    }
    .validate()?;
    let now = state.clock.now_naive();
    let filter = filter_of(&user, &q, now)?;
    let scope = scope_of(&user);
    let limit = page.limit;
    let (items, next_cursor) = state
        .db(move |c| -> ApiResult<_> {
            let rows = store::list(c, &scope, &filter, &page)?;
            let (rows, next) = page::finish(rows, limit, |r| Cursor {
                created_at: r.created_at,
                id: r.id.clone(),
            });
            Ok((flow::rows_to_wire(c, &rows, now)?, next))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// `GET /incidents/{id}`: the incident with its history, mediation sessions and the
/// steps the caller can take now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    pub history: Vec<HistoryEntry>,
    /// Parties' names and phones are masked unless the caller handles the case.
    pub mediations: Vec<Mediation>,
    pub available_actions: Vec<Action>,
}

fn detail(
    state: &AppState,
    c: &mut crate::db::DbConn,
    user: &CurrentUser,
    id: &str,
) -> ApiResult<IncidentDetail> {
    let row = store::find_in_scope(c, &scope_of(user), id)?.ok_or_else(ApiError::not_found)?;
    let now = state.clock.now_naive();
    let incident = flow::rows_to_wire(c, std::slice::from_ref(&row), now)?.remove(0);
    let history = flow::history_to_wire(&store::history(c, id)?);
    let full = flow::sees_parties(user, &row)?;
    let mediations = store::mediations(c, id)?
        .iter()
        .map(|m| flow::mediation_to_wire(m, full))
        .collect();
    let facts = Facts {
        status: status_of(&row)?,
        level: level_of(&row)?,
        cell_code: &row.cell_code,
        reporter_id: &row.reporter_id,
        assignee_id: row.assignee_id.as_deref(),
        resolver_id: row.resolver_id.as_deref(),
        conflict: row.conflict,
    };
    let actor = rules::Actor {
        id: &user.id,
        role: user.role,
        region_code: &user.region_code,
    };
    Ok(IncidentDetail {
        incident,
        history,
        mediations,
        available_actions: rules::available(&actor, &facts),
    })
}

fn path_id(raw: &str) -> ApiResult<String> {
    crate::routes::users::path_uuid(raw)
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = IncidentDetail), (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let st = state.clone();
    let d = state.db(move |c| detail(&st, c, &user, &id)).await?;
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
    let req: ActionRequest = body.json()?;
    req.validate().map_err(ApiError::validation)?;
    let id = path_id(&id)?;
    let st = state.clone();
    let d = state
        .db_write(move |c| -> ApiResult<IncidentDetail> {
            flow::act(&st, c, &user, &id, &req)?;
            detail(&st, c, &user, &id)
        })
        .await?;
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
    let new: NewMediation = body.json()?;
    new.validate(state.clock.now())
        .map_err(ApiError::validation)?;
    let id = path_id(&id)?;
    let st = state.clone();
    let m = state
        .db(move |c| flow::record_mediation(&st, c, &user, &id, &new))
        .await?;
    Ok(HttpResponse::Created().json(flow::mediation_to_wire(&m.0, true)))
}
