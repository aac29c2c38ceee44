//! `/performance`: the performance records (实绩档案), their export and their snapshots.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::Page;
use gridwork_shared::responsibility::{NewSnapshot, PerformanceRecord, Snapshot};
use gridwork_shared::stats::WorkerFigures;
use serde::Deserialize;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::performance as flow;
use crate::flow::stats::Table;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Body, parse_query};
use crate::http::register::{Api, resource};
use crate::http::routes::stats::send_table;

pub fn configure(api: &mut Api) {
    api.service(resource("/performance").get(records))
        .service(resource("/performance/workers").get(workers))
        .service(resource("/performance/export").get(export))
        .service(
            resource("/performance/snapshots")
                .post(snapshot)
                .get(snapshots),
        )
        .service(resource("/performance/snapshots/{id}").get(snapshot_document));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordsQuery {
    period: Option<String>,
    department: Option<String>,
    region: Option<String>,
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/performance", tag = "performance", security(("bearer" = [])),
    params(("period" = String, Query, description = "YYYY or YYYY-MM (China Standard Time)"),
        ("department" = Option<String>, Query, description = "one department's record"),
        ("region" = Option<String>, Query, description = "towns at or under this region")),
    responses((status = 200, description = "the record of each responsible unit the caller sees (a bare array): its tasks \
        of the period's year (weight, completion from the progress reported up to the period's end, the period's score), \
        weighted_score = Σ weight × score ÷ Σ weight over its scored tasks (null when none); a town also has the \
        period's figures as /stats counts them, teams_points and deliberations_done; a department handled (incidents \
        dispatched to it in the period) and closed_on_time_rate (over those closed)", body = Vec<PerformanceRecord>),
        (status = 403, description = "workers and volunteers", body = gridwork_shared::Problem),
        (status = 404, description = "a department or region outside the caller's scope", body = gridwork_shared::Problem)))]
pub async fn records(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: RecordsQuery = parse_query(&req)?;
    if q.format.is_some() {
        return Err(ApiError::invalid("format", "is for /performance/export"));
    }
    let st = state.clone();
    let items = state
        .db(move |c| {
            flow::records(
                &st,
                c,
                &user,
                q.period.as_deref(),
                q.department.as_deref(),
                q.region.as_deref(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

#[utoipa::path(get, path = "/api/v1/performance/export", tag = "performance", security(("bearer" = [])),
    params(("format" = String, Query, description = "csv | xlsx"), ("period" = String, Query),
        ("department" = Option<String>, Query), ("region" = Option<String>, Query)),
    responses((status = 200, description = "the records of /performance as a table for the appraisal meeting, one row per \
        unit; a text cell beginning with =, +, - or @ is written with a leading '", content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem)))]
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: RecordsQuery = parse_query(&req)?;
    let csv = match q.format.as_deref() {
        Some("csv") => true,
        Some("xlsx") => false,
        _ => return Err(ApiError::invalid("format", "must be csv or xlsx")),
    };
    let st = state.clone();
    let period = q.period.clone().unwrap_or_default();
    let items = state
        .db(move |c| {
            flow::records(
                &st,
                c,
                &user,
                q.period.as_deref(),
                q.department.as_deref(),
                q.region.as_deref(),
            )
        })
        .await?;
    send_table(
        Table::Performance(items),
        &format!("gridwork-performance-{period}"),
        csv,
    )
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkersQuery {
    period: Option<String>,
    region: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/performance/workers", tag = "performance", security(("bearer" = [])),
    params(("period" = String, Query, description = "YYYY or YYYY-MM"),
        ("region" = Option<String>, Query, description = "default: the caller's region")),
    responses((status = 200, description = "each worker's figures for the period (filed: the incidents it reported)",
        body = Vec<WorkerFigures>),
        (status = 403, description = "only supervisors and admins", body = gridwork_shared::Problem),
        (status = 404, description = "a region outside the caller's scope", body = gridwork_shared::Problem)))]
pub async fn workers(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: WorkersQuery = parse_query(&req)?;
    let st = state.clone();
    let items = state
        .db(move |c| flow::workers(&st, c, &user, q.period.as_deref(), q.region.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

#[utoipa::path(post, path = "/api/v1/performance/snapshots", tag = "performance", security(("bearer" = [])),
    request_body = NewSnapshot,
    responses((status = 201, description = "the period's records frozen: every unit's and every worker's, as one JSON \
        document whose SHA-256 this answers; never edited or deleted; audited (`performance_snapshot`)", body = Snapshot),
        (status = 403, description = "only admins", body = gridwork_shared::Problem)))]
pub async fn snapshot(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let new: NewSnapshot = body.json().await?;
    let st = state.clone();
    let snap = state
        .db_write(move |c| flow::take_snapshot(&st, c, &user, &new.period))
        .await?;
    Ok(HttpResponse::Created().json(snap))
}

#[utoipa::path(get, path = "/api/v1/performance/snapshots", tag = "performance", security(("bearer" = [])),
    params(("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, description = "snapshots, newest first (without their documents)", body = Page<Snapshot>),
        (status = 403, description = "only admins and district supervisors", body = gridwork_shared::Problem)))]
pub async fn snapshots(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let page = parse_query::<crate::http::paging::PageParams>(&req)?.validate()?;
    let (items, next_cursor) = state.db(move |c| flow::snapshots(c, &user, &page)).await?;
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[utoipa::path(get, path = "/api/v1/performance/snapshots/{id}", tag = "performance", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "the frozen document, byte for byte as when it was taken (its SHA-256 is the \
        snapshot's `sha256`)", body = gridwork_shared::responsibility::SnapshotDocument),
        (status = 403, description = "only admins and district supervisors", body = gridwork_shared::Problem)))]
pub async fn snapshot_document(
    user: CurrentUser,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let doc = state
        .db(move |c| flow::snapshot_document(c, &user, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "no-store"))
        .body(doc))
}
