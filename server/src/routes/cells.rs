//! `/cells`: import, bbox listing, one cell, point location, worker assignment; `/me/cells`.

use actix_web::{HttpRequest, HttpResponse, web};
use gridwork_shared::api::{
    CellAssignment, CellSummary, CellWorkers, ImportResult, LocatedCell, Role,
};
use gridwork_shared::{ErrorCode, FieldErrors, RegionCode};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::cells::{self, BBox, CellScope};
use crate::db::{self, audit, to_utc, users};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, BodyLimit, parse_json, parse_query};
use crate::geo_json::{cell_feature, feature_collection};
use crate::import;
use crate::routes::users::user_of;
use crate::state::AppState;

/// Cell imports may be up to 50 MiB.
pub const IMPORT_LIMIT: usize = 50 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me/cells").get(my_cells))
        .service(
            web::resource("/cells/import")
                .app_data(BodyLimit(IMPORT_LIMIT))
                .post(import_cells),
        )
        .service(web::resource("/cells/locate").get(locate))
        .service(web::resource("/cells").get(list))
        .service(web::resource("/cells/{code}").get(get))
        .service(
            web::resource("/cells/{code}/workers")
                .put(put_workers)
                .get(get_workers),
        );
}

/// The cells a caller may see: admin all; worker its assigned cells; supervisor and
/// volunteer the cells under their region (a volunteer needs the grid of its area to
/// report from it).
pub fn cell_scope(user: &CurrentUser) -> CellScope {
    match user.role {
        Role::Admin => CellScope::All,
        Role::Worker => CellScope::Assigned(user.id.clone()),
        Role::Supervisor | Role::Volunteer => CellScope::Region(user.region_code.clone()),
    }
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
    let doc: serde_json::Value = parse_json(body.json_bytes()?)?;
    let result = state
        .db(move |c| -> ApiResult<ImportResult> {
            let parsed = import::parse_collection(&doc, &|_, _, _| {});
            import::apply(
                c,
                parsed,
                import::Actor {
                    id: Some(&user.id),
                    ip: Some(&user.ip),
                },
                &|_, _, _| {},
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    bbox: Option<String>,
    region: Option<String>,
}

pub fn parse_bbox(s: &str) -> ApiResult<BBox> {
    let parts: Vec<f64> = s.split(',').filter_map(|p| p.trim().parse().ok()).collect();
    let bad = || {
        ApiError::invalid(
            "bbox",
            "must be minlon,minlat,maxlon,maxlat in WGS84 with min ≤ max",
        )
    };
    let [a, b, c, d] = <[f64; 4]>::try_from(parts).map_err(|_| bad())?;
    let ok = [a, c].iter().all(|x| (-180.0..=180.0).contains(x))
        && [b, d].iter().all(|y| (-90.0..=90.0).contains(y))
        && a <= c
        && b <= d;
    if ok { Ok([a, b, c, d]) } else { Err(bad()) }
}

/// A `cell` query parameter: a 15-digit cell code (422 otherwise).
pub fn parse_cell(s: &str) -> ApiResult<String> {
    gridwork_shared::codes::cell_community(s).map_err(|m| ApiError::invalid("cell", m))?;
    Ok(s.to_string())
}

/// A `region` query parameter: a 6-, 9- or 12-digit region code (422 otherwise).
pub fn parse_region(s: &str) -> ApiResult<String> {
    RegionCode::parse(s)
        .map(|c| c.as_str().to_string())
        .map_err(|m| ApiError::invalid("region", m))
}

#[utoipa::path(get, path = "/api/v1/cells", tag = "cells", security(("bearer" = [])),
    params(("bbox" = Option<String>, Query, description = "minlon,minlat,maxlon,maxlat"),
        ("region" = Option<String>, Query, description = "a region code: only cells under it")),
    responses((status = 200, description = "GeoJSON FeatureCollection of live cells in scope", body = Object),
        (status = 422, body = gridwork_shared::Problem)))]
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let bbox = q.bbox.as_deref().map(parse_bbox).transpose()?;
    let region = q.region.as_deref().map(parse_region).transpose()?;
    let scope = cell_scope(&user);
    let rows = state
        .db(move |c| cells::list_live(c, &scope, region.as_deref(), bbox))
        .await?;
    let features = rows.iter().map(cell_feature).collect();
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(feature_collection(features)))
}

#[utoipa::path(get, path = "/api/v1/cells/{code}", tag = "cells", security(("bearer" = [])),
    params(("code" = String, Path, description = "15-digit cell code")),
    responses((status = 200, description = "GeoJSON Feature of the live cell", body = Object),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn get(
    user: CurrentUser,
    code: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    let scope = cell_scope(&user);
    let row = state
        .db(move |c| cells::live_in_scope(c, &scope, &code))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(cell_feature(&row)))
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
    let mut e = FieldErrors::new();
    let lon = q
        .lon
        .as_deref()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|v| (-180.0..=180.0).contains(v));
    let lat = q
        .lat
        .as_deref()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|v| (-90.0..=90.0).contains(v));
    if lon.is_none() {
        e.push("lon", "must be a longitude between -180 and 180");
    }
    if lat.is_none() {
        e.push("lat", "must be a latitude between -90 and 90");
    }
    e.into_result().map_err(ApiError::validation)?;
    let (lon, lat) = (lon.expect("checked"), lat.expect("checked"));
    let st = state.clone();
    let found = state
        .db(move |c| -> ApiResult<Option<LocatedCell>> {
            let grid = st.grid.current(c)?;
            let Some(cell) = grid.index.locate(lon, lat) else {
                return Ok(None);
            };
            let visible = match cell_scope(&user) {
                CellScope::All => true,
                CellScope::Region(r) => cell.code.starts_with(&r),
                // A worker locates within its region: it reports from anywhere in its area.
                CellScope::Assigned(_) => cell.code.starts_with(&user.region_code),
            };
            Ok(visible.then(|| LocatedCell {
                code: cell.code.clone(),
                name: cell.name.clone(),
                community_code: cell.community_code.clone(),
            }))
        })
        .await?;
    match found {
        Some(cell) => Ok(HttpResponse::Ok().json(cell)),
        None => Err(ApiError::new(
            ErrorCode::OutsideGrid,
            "the point is in no cell of the grid",
        )),
    }
}

fn assignment(c: &mut db::DbConn, code: &str) -> ApiResult<CellAssignment> {
    let ids = cells::workers_of(c, code)?;
    let workers = users::find_many(c, &ids)?
        .iter()
        .map(user_of)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(CellAssignment {
        code: code.to_string(),
        worker_ids: workers.iter().map(|w| w.id).collect(),
        workers,
    })
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
    let req: CellWorkers = body.json()?;
    let code = code.into_inner();
    let mut ids: Vec<String> = req.worker_ids.iter().map(|u| u.to_string()).collect();
    let out = state
        .db(move |c| {
            db::write_tx(c, |c| -> ApiResult<CellAssignment> {
                let found = users::find_many(c, &ids)?;
                let mut e = FieldErrors::new();
                for (i, id) in ids.iter().enumerate() {
                    match found.iter().find(|u| &u.id == id) {
                        Some(u) if u.role == "worker" && u.active => {}
                        Some(_) => e.push(format!("worker_ids[{i}]"), "is not an active worker"),
                        None => e.push(format!("worker_ids[{i}]"), "no such user"),
                    }
                }
                e.into_result().map_err(ApiError::validation)?;
                cells::live_by_code(c, &code)?.ok_or_else(ApiError::not_found)?;
                ids.sort();
                ids.dedup();
                let now = db::now();
                cells::set_workers(c, &code, &ids, now)?;
                audit::append(
                    c,
                    now,
                    audit::Entry {
                        actor_id: Some(&user.id),
                        action: "cell_assign",
                        entity_type: "cell",
                        entity_id: &code,
                        outcome: "success",
                        ip: Some(&user.ip),
                    },
                )?;
                assignment(c, &code)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/cells/{code}/workers", tag = "cells", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = CellAssignment), (status = 403, body = gridwork_shared::Problem),
        (status = 404, body = gridwork_shared::Problem)))]
pub async fn get_workers(
    user: CurrentUser,
    code: web::Path<String>,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let code = code.into_inner();
    let scope = cell_scope(&user);
    let out = state
        .db(move |c| -> ApiResult<CellAssignment> {
            cells::live_in_scope(c, &scope, &code)?.ok_or_else(ApiError::not_found)?;
            assignment(c, &code)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[utoipa::path(get, path = "/api/v1/me/cells", tag = "cells", security(("bearer" = [])),
    responses((status = 200, description = "the caller's live cells with geometry, by code", body = Vec<CellSummary>)))]
pub async fn my_cells(user: CurrentUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let scope = cell_scope(&user);
    let rows = state
        .db(move |c| cells::list_live(c, &scope, None, None))
        .await?;
    let out: Vec<CellSummary> = rows
        .into_iter()
        .map(|r| CellSummary {
            geometry: serde_json::from_str(&r.geometry).unwrap_or(serde_json::Value::Null),
            code: r.code,
            name: r.name,
            community_code: r.community_code,
            valid_from: to_utc(r.valid_from),
            valid_to: r.valid_to.map(to_utc),
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}
