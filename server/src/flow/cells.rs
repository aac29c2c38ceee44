//! Cells: who sees which, listing and locating them, importing a grid and assigning
//! workers to a cell.

use gridwork_shared::api::{
    Cell, CellAssignment, CellProperties, CellSummary, CellWorkers, Feature, FeatureCollection,
    FeatureType, ImportResult, LocatedCell, Role,
};
use gridwork_shared::{ErrorCode, FieldErrors};
use serde_json::Value;

use crate::app::state::AppState;
use crate::db::cells::{self, BBox, CellScope};
use crate::db::models::CellRow;
use crate::db::{self, DbConn, audit, to_utc, users};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::import;
use crate::flow::users::user_of;

/// The cells a caller may see: admin all; worker its assigned cells; supervisor the cells
/// under its region; volunteer those too (it needs the grid of its area to report from
/// it) and the zone of its team.
pub fn cell_scope(user: &CurrentUser) -> CellScope {
    match user.role {
        Role::Admin => CellScope::All,
        Role::Worker | Role::Department => CellScope::Assigned(user.id.clone()),
        Role::Supervisor => CellScope::Region(user.region_code.clone()),
        Role::Volunteer => CellScope::Volunteer {
            region: user.region_code.clone(),
            user: user.id.clone(),
        },
    }
}

/// A cell as a GeoJSON Feature with `{code, name, community_code, valid_from, valid_to}`.
pub fn cell_feature(row: &CellRow) -> Cell {
    Feature {
        kind: FeatureType::Feature,
        id: row.code.clone(),
        geometry: serde_json::from_str(&row.geometry).unwrap_or(Value::Null),
        properties: CellProperties {
            code: row.code.clone(),
            name: row.name.clone(),
            community_code: row.community_code.clone(),
            valid_from: to_utc(row.valid_from),
            valid_to: row.valid_to.map(to_utc),
        },
    }
}

/// A `bbox` filter: `minlon,minlat,maxlon,maxlat` in WGS84 with min ≤ max (422 otherwise).
pub fn parse_bbox(s: &str) -> Result<BBox> {
    let parts: Vec<f64> = s.split(',').filter_map(|p| p.trim().parse().ok()).collect();
    let bad = || {
        Error::invalid(
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

/// A `cell` filter: a 15-digit cell code (422 otherwise).
pub fn parse_cell(s: &str) -> Result<String> {
    gridwork_shared::codes::cell_community(s).map_err(|m| Error::invalid("cell", m))?;
    Ok(s.to_string())
}

/// Imports a GeoJSON FeatureCollection of cells: every bad feature is reported, nothing
/// is written unless the whole file is good.
pub fn import(c: &mut DbConn, user: &CurrentUser, doc: &Value) -> Result<ImportResult> {
    let parsed = import::parse_collection(doc, &|_, _, _| {});
    import::apply(
        c,
        parsed,
        import::Actor {
            id: Some(&user.id),
            ip: Some(&user.ip),
        },
        &|_, _, _| {},
    )
}

/// Live cells in the caller's scope, optionally under a region and within a box, as a
/// GeoJSON FeatureCollection.
pub fn list(
    c: &mut DbConn,
    user: &CurrentUser,
    region: Option<&str>,
    bbox: Option<BBox>,
) -> Result<FeatureCollection<CellProperties>> {
    let rows = cells::list_live(c, &cell_scope(user), region, bbox)?;
    Ok(FeatureCollection::new(
        rows.iter().map(cell_feature).collect(),
    ))
}

/// One live cell in the caller's scope, as a GeoJSON Feature.
pub fn get(c: &mut DbConn, user: &CurrentUser, code: &str) -> Result<Cell> {
    let row = cells::live_in_scope(c, &cell_scope(user), code)?.ok_or_else(Error::not_found)?;
    Ok(cell_feature(&row))
}

/// A point given as `lon` and `lat` text: both in range (422 naming each one that is not).
pub fn point(lon: Option<&str>, lat: Option<&str>) -> Result<(f64, f64)> {
    let read = |v: Option<&str>, limit: f64| {
        v.and_then(|s| s.parse::<f64>().ok())
            .filter(|v| (-limit..=limit).contains(v))
    };
    let (lon, lat) = (read(lon, 180.0), read(lat, 90.0));
    let mut e = FieldErrors::new();
    if lon.is_none() {
        e.push("lon", "must be a longitude between -180 and 180");
    }
    if lat.is_none() {
        e.push("lat", "must be a latitude between -90 and 90");
    }
    e.into_result().map_err(Error::validation)?;
    Ok((lon.expect("checked"), lat.expect("checked")))
}

/// The cell holding a point, if the caller may see it (a worker locates within its
/// region: it reports from anywhere in its area; a volunteer within its region and its
/// team's zone); `outside_grid` otherwise.
pub fn locate(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    lon: f64,
    lat: f64,
) -> Result<LocatedCell> {
    let grid = state.grid.current(c)?;
    let visible = match grid.index.locate(lon, lat) {
        Some(cell) => match cell_scope(user) {
            CellScope::All => Some(cell),
            CellScope::Region(r) => cell.code.starts_with(&r).then_some(cell),
            CellScope::Assigned(_) => cell.code.starts_with(&user.region_code).then_some(cell),
            CellScope::Volunteer { region, user } => (cell.code.starts_with(&region)
                || db::teams::zone_of_member(c, &user)?.contains(&cell.code))
            .then_some(cell),
        },
        None => None,
    };
    let cell = visible.ok_or_else(|| {
        Error::new(
            ErrorCode::OutsideGrid,
            "the point is in no cell of the grid",
        )
    })?;
    Ok(LocatedCell {
        code: cell.code.clone(),
        name: cell.name.clone(),
        community_code: cell.community_code.clone(),
    })
}

fn assignment(c: &mut DbConn, code: &str) -> Result<CellAssignment> {
    let ids = cells::workers_of(c, code)?;
    let workers = users::find_many(c, &ids)?
        .iter()
        .map(user_of)
        .collect::<Result<Vec<_>>>()?;
    Ok(CellAssignment {
        code: code.to_string(),
        worker_ids: workers.iter().map(|w| w.id).collect(),
        workers,
    })
}

/// Replaces a cell's workers (admins): every id must be an active worker (422 naming
/// `worker_ids[N]`), the cell a live one (404). Audited.
pub fn set_workers(
    c: &mut DbConn,
    actor: &CurrentUser,
    code: &str,
    req: &CellWorkers,
) -> Result<CellAssignment> {
    let mut ids: Vec<String> = req.worker_ids.iter().map(|u| u.to_string()).collect();
    db::write_tx(c, |c| -> Result<CellAssignment> {
        let found = users::find_many(c, &ids)?;
        let mut e = FieldErrors::new();
        for (i, id) in ids.iter().enumerate() {
            match found.iter().find(|u| &u.id == id) {
                Some(u) if Role::parse(&u.role) == Some(Role::Worker) && u.active => {}
                Some(_) => e.push(format!("worker_ids[{i}]"), "is not an active worker"),
                None => e.push(format!("worker_ids[{i}]"), "no such user"),
            }
        }
        e.into_result().map_err(Error::validation)?;
        cells::live_by_code(c, code)?.ok_or_else(Error::not_found)?;
        ids.sort();
        ids.dedup();
        let now = db::now();
        cells::set_workers(c, code, &ids, now)?;
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: Some(&actor.id),
                action: "cell_assign",
                entity_type: "cell",
                entity_id: code,
                outcome: "success",
                ip: Some(&actor.ip),
                detail: None,
            },
        )?;
        assignment(c, code)
    })
}

/// A live cell's workers, if the cell is in the caller's scope.
pub fn workers(c: &mut DbConn, user: &CurrentUser, code: &str) -> Result<CellAssignment> {
    cells::live_in_scope(c, &cell_scope(user), code)?.ok_or_else(Error::not_found)?;
    assignment(c, code)
}

/// The caller's live cells with geometry, by code.
pub fn mine(c: &mut DbConn, user: &CurrentUser) -> Result<Vec<CellSummary>> {
    let rows = cells::list_live(c, &cell_scope(user), None, None)?;
    Ok(rows
        .into_iter()
        .map(|r| CellSummary {
            geometry: serde_json::from_str(&r.geometry).unwrap_or(Value::Null),
            code: r.code,
            name: r.name,
            community_code: r.community_code,
            valid_from: to_utc(r.valid_from),
            valid_to: r.valid_to.map(to_utc),
        })
        .collect())
}
