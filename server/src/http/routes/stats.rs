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
}

async fn compute(
    req: &HttpRequest,
    user: CurrentUser,
    state: &web::Data<AppState>,
) -> ApiResult<(Stats, Option<String>)> {
    let q: StatsQuery = parse_query(req)?;
    let region = stats::region_for(&user, q.region.as_deref())?;
    let range = stats::range(state, q.from.as_deref(), q.to.as_deref())?;
    let st = state.clone();
    let s = state
        .db(move |c| stats::stats(&st, c, &region, &range))
        .await?;
    Ok((s, q.format))
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
    let (s, format) = compute(&req, user, &state).await?;
    if format.is_some() {
        return Err(ApiError::invalid("format", "use /stats/export for files"));
    }
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
    let q: StatsQuery = parse_query(&req)?;
    let region = stats::region_for(&user, q.region.as_deref())?;
    let range = stats::range(&state, q.from.as_deref(), q.to.as_deref())?;
    let out = state
        .db(move |c| stats::worker_stats(c, &region, &range))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/stats/export", tag = "stats", security(("bearer" = [])),
    params(("format" = String, Query, description = "csv | xlsx"), ("region" = Option<String>, Query),
        ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, description = "the figures' table as a file: CSV (UTF-8) or Excel", content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let (s, format) = compute(&req, user, &state).await?;
    let name = format!(
        "gridwork-stats-{}-{}-{}",
        if s.region_code.is_empty() {
            "all"
        } else {
            &s.region_code
        },
        s.from,
        s.to
    );
    match format.as_deref() {
        Some("csv") => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ))
            .body(stats::to_csv(&s))),
        Some("xlsx") => {
            let bytes = web::block(move || stats::to_xlsx(&s)).await??;
            Ok(HttpResponse::Ok()
                .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.xlsx\""),
                ))
                .body(bytes))
        }
        _ => Err(ApiError::invalid("format", "must be csv or xlsx")),
    }
}
