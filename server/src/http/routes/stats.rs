//! `GET /map/cells`, `GET /stats`, `GET /stats/workers`, `GET /stats/export`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::Role;
use serde::Deserialize;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use gridwork_shared::stats::{Stats, WorkerFigures};

use crate::flow::stats;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::parse_query;
use crate::http::register::{Api, resource};

pub fn configure(api: &mut Api) {
    api.service(resource("/map/cells").get(map_cells))
        .service(resource("/stats").get(stats))
        .service(resource("/stats/workers").get(workers))
        .service(resource("/stats/export").get(export));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapQuery {
    bbox: Option<String>,
    region: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/map/cells", tag = "map", security(("bearer" = [])),
    params(("bbox" = Option<String>, Query, description = "minlon,minlat,maxlon,maxlat"), ("region" = Option<String>, Query)),
    responses((status = 200, description = "GeoJSON FeatureCollection of cells in scope with open_incidents, overdue_incidents, \
        overdue_visits, units {safe, hazard, overdue, unknown} and color: red when any incident, visit or hazard is overdue, \
        yellow when any incident or hazard is open, green otherwise; geometry simplified to the view", body = Object,
        content_type = "application/geo+json"),
        (status = 403, description = "volunteers", body = gridwork_shared::Problem), (status = 422, body = gridwork_shared::Problem)))]
pub async fn map_cells(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor, Role::Worker])?;
    let q: MapQuery = parse_query(&req)?;
    let bbox = q
        .bbox
        .as_deref()
        .map(crate::flow::cells::parse_bbox)
        .transpose()?;
    let region = q
        .region
        .as_deref()
        .map(crate::flow::regions::parse_region)
        .transpose()?;
    let st = state.clone();
    let fc = state
        .db(move |c| stats::map_cells(&st, c, &user, region.as_deref(), bbox))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .body(fc))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatsQuery {
    region: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
    table: Option<String>,
}

/// What a figures request asks for: the region (in the caller's scope) and the range.
fn figures_query(
    req: &HttpRequest,
    user: &CurrentUser,
    state: &web::Data<AppState>,
) -> ApiResult<(StatsQuery, String, stats::Range)> {
    let q: StatsQuery = parse_query(req)?;
    let region = stats::region_for(user, q.region.as_deref())?;
    let range = stats::range(state, q.from.as_deref(), q.to.as_deref())?;
    Ok((q, region, range))
}

#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", security(("bearer" = [])),
    params(("region" = Option<String>, Query, description = "default: the caller's region"),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD, China Standard Time; default 29 days before `to`"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD inclusive; default today")),
    responses((status = 200, description = "overall and per child region (towns, communities, then cells); rates are \
        fractions 0–1, or null when nothing was due", body = Stats),
        (status = 403, body = gridwork_shared::Problem), (status = 404, description = "a region outside the caller's scope", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn stats(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let (q, region, range) = figures_query(&req, &user, &state)?;
    if q.format.is_some() || q.table.is_some() {
        return Err(ApiError::invalid("format", "use /stats/export for files"));
    }
    let st = state.clone();
    let s = state
        .db(move |c| stats::stats(&st, c, &region, &range))
        .await?;
    Ok(HttpResponse::Ok().json(s))
}

#[utoipa::path(get, path = "/api/v1/stats/workers", tag = "stats", security(("bearer" = [])),
    params(("region" = Option<String>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, description = "per worker of the region: filed, closed, visits, visits on time, inspections",
        body = Vec<WorkerFigures>), (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem)))]
pub async fn workers(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let (q, region, range) = figures_query(&req, &user, &state)?;
    if q.format.is_some() || q.table.is_some() {
        return Err(ApiError::invalid(
            "format",
            "use /stats/export?table=workers for files",
        ));
    }
    let out = state
        .db(move |c| stats::worker_stats(c, &region, &range))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/stats/export", tag = "stats", security(("bearer" = [])),
    params(("format" = String, Query, description = "csv | xlsx"),
        ("table" = Option<String>, Query, description = "regions (default): the figures of `/stats`, overall then \
            per child region; workers: the figures of `/stats/workers`, one row per worker"),
        ("region" = Option<String>, Query), ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, description = "the table as a file: CSV (UTF-8 with a byte-order mark) or Excel; a text \
            cell beginning with =, +, - or @ is written with a leading '", content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let (q, region, range) = figures_query(&req, &user, &state)?;
    let csv = match q.format.as_deref() {
        Some("csv") => true,
        Some("xlsx") => false,
        _ => return Err(ApiError::invalid("format", "must be csv or xlsx")),
    };
    let workers = match q.table.as_deref() {
        None | Some("regions") => false,
        Some("workers") => true,
        Some(_) => return Err(ApiError::invalid("table", "must be regions or workers")),
    };
    let name = format!(
        "gridwork-{}-{}-{}-{}",
        if workers { "workers" } else { "stats" },
        if region.is_empty() { "all" } else { &region },
        range.from,
        range.to
    );
    let table = if workers {
        let rows = state
            .db(move |c| stats::worker_stats(c, &region, &range))
            .await?;
        stats::Table::Workers(rows)
    } else {
        let st = state.clone();
        let s = state
            .db(move |c| stats::stats(&st, c, &region, &range))
            .await?;
        stats::Table::Regions(s)
    };
    send_table(table, &name, csv).await
}

/// A table of figures as a download named `name`: CSV or an Excel workbook.
pub async fn send_table(table: stats::Table, name: &str, csv: bool) -> ApiResult<HttpResponse> {
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ))
            .body(table.to_csv()));
    }
    let bytes = web::block(move || table.to_xlsx()).await??;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.xlsx\""),
        ))
        .body(bytes))
}
