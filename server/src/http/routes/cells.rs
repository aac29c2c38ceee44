//! `/cells`: import, bbox listing, one cell, point location, worker assignment; `/me/cells`.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{
    CellAssignment, CellSummary, CellWorkers, ImportResult, LocatedCell, Role,
};
use serde::Deserialize;

use crate::app::state::AppState;
use crate::flow::caller::CurrentUser;
use crate::flow::{cells, regions};
use crate::http::error::ApiResult;
use crate::http::extract::{Body, BodyLimit, parse_query};
use crate::http::register::{Api, resource};

/// Cell imports may be up to 50 MiB.
pub const IMPORT_LIMIT: usize = 50 * 1024 * 1024;

pub fn configure(api: &mut Api) {
    api.service(resource("/me/cells").get(my_cells))
        .service(
            resource("/cells/import")
                .app_data(BodyLimit(IMPORT_LIMIT))
                .post(import_cells),
        )
        .service(resource("/cells/locate").get(locate))
        .service(resource("/cells").get(list))
        .service(resource("/cells/{code}").get(get))
        .service(
            resource("/cells/{code}/workers")
                .put(put_workers)
                .get(get_workers),
        );
}

#[utoipa::path(post, path = "/api/v1/cells/import", tag = "cells", security(("bearer" = [])),
    request_body(content = Object, description = "GeoJSON FeatureCollection of Polygon/MultiPolygon \
        features with properties {code, name, valid_from?}", content_type = "application/geo+json"),
    responses((status = 200, body = ImportResult),
        (status = 403, body = gridwork_shared::Problem),
        (status = 413, description = "over 50 MiB", body = gridwork_shared::Problem),
        (status = 422, description = "every bad feature, fields starting with features[N]; nothing written",
            body = gridwork_shared::Problem)))]
pub async fn import_cells(
    user: CurrentUser,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let doc: serde_json::Value = crate::flow::decode::json(&body.json_bytes().await?)?;
    let result = state.db(move |c| cells::import(c, &user, &doc)).await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    bbox: Option<String>,
    region: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cells", tag = "cells", security(("bearer" = [])),
    params(("bbox" = Option<String>, Query, description = "minlon,minlat,maxlon,maxlat"),
        ("region" = Option<String>, Query, description = "a region code: only cells under it")),
    responses((status = 200, description = "GeoJSON FeatureCollection of live cells in scope", body = Object,
            content_type = "application/geo+json"),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let bbox = q.bbox.as_deref().map(cells::parse_bbox).transpose()?;
    let region = q.region.as_deref().map(regions::parse_region).transpose()?;
    let collection = state
        .db(move |c| cells::list(c, &user, region.as_deref(), bbox))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(collection))
}

#[utoipa::path(get, path = "/api/v1/cells/{code}", tag = "cells", security(("bearer" = [])),
    params(("code" = String, Path, description = "15-digit cell code")),
    responses((status = 200, description = "GeoJSON Feature of the live cell", body = Object,
            content_type = "application/geo+json"),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    code: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let feature = state.db(move |c| cells::get(c, &user, &code)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(feature))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocateQuery {
    lon: Option<String>,
    lat: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/cells/locate", tag = "cells", security(("bearer" = [])),
    params(("lon" = f64, Query), ("lat" = f64, Query)),
    responses((status = 200, description = "the cell holding the point; a point on a shared border \
        belongs to the cell with the lowest code", body = LocatedCell),
        (status = 404, description = "outside_grid: in no live cell the caller may see", body = gridwork_shared::Problem),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn locate(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: LocateQuery = parse_query(&req)?;
    let (lon, lat) = cells::point(q.lon.as_deref(), q.lat.as_deref())?;
    let st = state.clone();
    let cell = state
        .db(move |c| cells::locate(&st, c, &user, lon, lat))
        .await?;
    Ok(HttpResponse::Ok().json(cell))
}

#[utoipa::path(put, path = "/api/v1/cells/{code}/workers", tag = "cells", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = CellWorkers,
    responses((status = 200, description = "the cell's assignment, replacing the previous one", body = CellAssignment),
        (status = 403, body = gridwork_shared::Problem), (status = 404, body = gridwork_shared::Problem),
        (status = 422, description = "an id that is not an active worker: worker_ids[N]", body = gridwork_shared::Problem)))]
pub async fn put_workers(
    user: CurrentUser,
    code: web::Path<String>,
    body: Body,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let req: CellWorkers = body.json().await?;
    let out = state
        .db(move |c| cells::set_workers(c, &user, &code, &req))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/cells/{code}/workers", tag = "cells", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, description = "who looks after a live cell: for admins, for supervisors of its region, \
            and for the workers assigned to it (their colleagues on the cell)", body = CellAssignment),
        (status = 403, description = "volunteers", body = gridwork_shared::Problem),
        (status = 404, description = "no live cell in the caller's scope", body = gridwork_shared::Problem)))]
pub async fn get_workers(
    user: CurrentUser,
    code: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor, Role::Worker])?;
    let out = state.db(move |c| cells::workers(c, &user, &code)).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/me/cells", tag = "cells", security(("bearer" = [])),
    responses((status = 200, description = "the caller's live cells with geometry, by code", body = Vec<CellSummary>)))]
pub async fn my_cells(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let out = state.db(move |c| cells::mine(c, &user)).await?;
    Ok(HttpResponse::Ok().json(out))
}
