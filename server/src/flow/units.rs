//! Safety units (平安细胞): registration, inspections with hazards, certification and the
//! roll-up of their status per region.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use geo::{Distance, Haversine, Point};
use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::geometry::Location;
use gridwork_shared::incident::Level;
use gridwork_shared::safety::{
    self as rules, Certification, CertificationRequest, Hazard, Inspection, InspectionResult,
    NewInspection, NewUnit, Rollup, RollupChild, Tally, Unit, UnitDetail, UnitKind, UnitStatus,
};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::models::{HazardRow, InspectionRow, UnitRow};
use crate::db::page::{Cursor, PageRequest};
use crate::db::units::{self as store, Filter, UnitScope};
use crate::db::{self, DbConn, audit, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::cells::parse_cell;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;
use crate::flow::page_of;
use crate::flow::regions::parse_region;

pub fn scope_of(user: &CurrentUser) -> Result<UnitScope> {
    match user.role {
        Role::Admin => Ok(UnitScope::All),
        Role::Supervisor => Ok(UnitScope::Region(user.region_code.clone())),
        Role::Worker => Ok(UnitScope::Worker(user.id.clone())),
        Role::Volunteer | Role::Department => Err(Error::forbidden(
            "only grid workers, supervisors and admins see safety units",
        )),
    }
}

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

fn bad(what: &str, v: &str) -> Error {
    Error::Unexpected(anyhow::anyhow!("stored {what} is invalid: {v}"))
}

pub fn status_of(row: &UnitRow, now: DateTime<Utc>) -> UnitStatus {
    rules::unit_status(
        row.last_inspected_at.is_some(),
        i64::from(row.open_hazards),
        row.earliest_open_deadline.map(to_utc),
        now,
    )
}

pub fn to_wire(row: &UnitRow, now: DateTime<Utc>) -> Result<Unit> {
    Ok(Unit {
        id: uuid(&row.id),
        kind: UnitKind::parse(&row.kind).ok_or_else(|| bad("kind", &row.kind))?,
        name: row.name.clone(),
        address: row.address.clone(),
        location: Location {
            lon: row.lon,
            lat: row.lat,
        },
        cell_code: row.cell_code.clone(),
        status: status_of(row, now),
        open_hazards: i64::from(row.open_hazards),
        certification: Certification::parse(&row.certification)
            .ok_or_else(|| bad("certification", &row.certification))?,
        certified_at: row.certified_at.map(to_utc),
        last_inspected_at: row.last_inspected_at.map(to_utc),
        version: row.version,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    })
}

fn hazard_to_wire(h: &HazardRow, now: DateTime<Utc>) -> Hazard {
    Hazard {
        id: uuid(&h.id),
        description: h.description.clone(),
        deadline: to_utc(h.deadline),
        closed_at: h.closed_at.map(to_utc),
        overdue: h.closed_at.is_none() && to_utc(h.deadline) < now,
    }
}

pub fn inspection_to_wire(
    i: &InspectionRow,
    hazards: &[HazardRow],
    now: DateTime<Utc>,
) -> Result<Inspection> {
    Ok(Inspection {
        id: uuid(&i.id),
        unit_id: uuid(&i.unit_id),
        inspector_id: uuid(&i.inspector_id),
        inspected_at: to_utc(i.inspected_at),
        location: Location {
            lon: i.lon,
            lat: i.lat,
        },
        result: InspectionResult::parse(&i.result).ok_or_else(|| bad("result", &i.result))?,
        hazards: hazards
            .iter()
            .filter(|h| h.inspection_id == i.id)
            .map(|h| hazard_to_wire(h, now))
            .collect(),
        note: i.note.clone(),
        distance_m: i.distance_m,
        far: i.far,
        accuracy_m: i.accuracy_m,
        picked_on_map: i.picked_on_map,
        created_at: to_utc(i.created_at),
    })
}

pub fn detail(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
) -> Result<UnitDetail> {
    let row = store::find_in_scope(c, &scope_of(user)?, id)?.ok_or_else(Error::not_found)?;
    let now = state.clock.now();
    let hazards = store::hazards_of(c, id)?;
    let inspections = store::inspections_of(c, id)?
        .iter()
        .map(|i| inspection_to_wire(i, &hazards, now))
        .collect::<Result<Vec<_>>>()?;
    Ok(UnitDetail {
        unit: to_wire(&row, now)?,
        inspections,
    })
}

/// Registers a unit (idempotent by its client id) in a cell of the caller's region.
pub fn create(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewUnit,
) -> Result<(UnitRow, bool)> {
    scope_of(user)?;
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash && existing.created_by == user.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let grid = state.grid.current(c)?;
        let cell = grid
            .index
            .locate(new.location.lon, new.location.lat)
            .ok_or_else(|| Error::OffGrid)?;
        if !cell.code.starts_with(user.region_scope()) {
            return Err(Error::invalid("location", "is outside your region"));
        }
        let now = state.clock.now_naive();
        let row = UnitRow {
            id: id.clone(),
            kind: new.kind.as_str().into(),
            name: new.name.trim().into(),
            address: new.address.trim().into(),
            lon: new.location.lon,
            lat: new.location.lat,
            cell_code: cell.code.clone(),
            certification: Certification::None.as_str().into(),
            certified_at: None,
            certified_by: None,
            last_inspected_at: None,
            open_hazards: 0,
            earliest_open_deadline: None,
            version: 1,
            body_hash: hash.clone(),
            created_by: user.id.clone(),
            created_at: now,
            updated_at: now,
        };
        store::insert(c, &row)?;
        Ok((row, true))
    })
}

/// Records an inspection (idempotent by its id). A `hazard` inspection opens its hazards;
/// a `safe` one closes every open hazard of the unit.
pub fn inspect(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    unit_id: &str,
    new: &NewInspection,
) -> Result<(InspectionRow, bool)> {
    let hash = body_hash(new);
    db::write_tx(c, |c| {
        let unit =
            store::find_in_scope(c, &scope_of(user)?, unit_id)?.ok_or_else(Error::not_found)?;
        if let Some(existing) = store::inspection(c, &new.id.to_string())? {
            if existing.body_hash == hash && existing.unit_id == unit.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let now = state.clock.now_naive();
        let distance = Haversine.distance(
            Point::new(unit.lon, unit.lat),
            Point::new(new.location.lon, new.location.lat),
        );
        let ins = InspectionRow {
            id: new.id.to_string(),
            unit_id: unit.id.clone(),
            inspector_id: user.id.clone(),
            inspected_at: crate::core::time::to_db(new.inspected_at),
            lon: new.location.lon,
            lat: new.location.lat,
            result: new.result.as_str().into(),
            note: new.note.trim().into(),
            body_hash: hash.clone(),
            created_at: now,
            accuracy_m: new.accuracy_m,
            picked_on_map: new.picked_on_map,
            distance_m: Some((distance * 10.0).round() / 10.0),
            far: distance > state.config.visit_far_m,
        };
        store::insert_inspection(c, &ins)?;
        match new.result {
            InspectionResult::Safe => {
                store::close_hazards(c, &unit.id, &ins.id, ins.inspected_at)?;
            }
            InspectionResult::Hazard => {
                for h in &new.hazards {
                    store::insert_hazard(
                        c,
                        &HazardRow {
                            id: Uuid::now_v7().to_string(),
                            unit_id: unit.id.clone(),
                            inspection_id: ins.id.clone(),
                            description: h.description.trim().into(),
                            deadline: crate::core::time::to_db(h.deadline),
                            closed_at: None,
                            closed_by: None,
                        },
                    )?;
                }
            }
        }
        let open: Vec<HazardRow> = store::hazards_of(c, &unit.id)?
            .into_iter()
            .filter(|h| h.closed_at.is_none())
            .collect();
        let mut row = unit.clone();
        row.open_hazards = open.len() as i32;
        row.earliest_open_deadline = open.iter().map(|h| h.deadline).min();
        row.last_inspected_at = Some(
            row.last_inspected_at
                .map_or(ins.inspected_at, |t| t.max(ins.inspected_at)),
        );
        row.version += 1;
        row.updated_at = now;
        if !store::update_if_version(c, &row, unit.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the unit changed meanwhile; try again",
            ));
        }
        Ok((ins, true))
    })
}

/// Certifies a unit at town or district level (or withdraws it): town certification needs a
/// town or district supervisor over the unit, district certification — setting it, changing
/// it or withdrawing it — a district one.
pub fn certify(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    unit_id: &str,
    req: &CertificationRequest,
) -> Result<UnitRow> {
    db::write_tx(c, |c| {
        let unit =
            store::find_in_scope(c, &scope_of(user)?, unit_id)?.ok_or_else(Error::not_found)?;
        // A district certification is set, changed and withdrawn by the district alone.
        let needed = match (req.level, Certification::parse(&unit.certification)) {
            (Certification::District, _) | (_, Some(Certification::District)) => Level::District,
            _ => Level::Town,
        };
        let allowed = user.role == Role::Admin
            || (user.role == Role::Supervisor
                && Level::of_region_code(&user.region_code).is_some_and(|l| l >= needed));
        if !allowed {
            return Err(Error::forbidden(format!(
                "needs a {} supervisor",
                needed.as_str()
            )));
        }
        if req.version != unit.version {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                format!(
                    "the unit is at version {}, not {}",
                    unit.version, req.version
                ),
            ));
        }
        let now = state.clock.now_naive();
        let mut row = unit.clone();
        row.certification = req.level.as_str().into();
        (row.certified_at, row.certified_by) = match req.level {
            Certification::None => (None, None),
            _ => (Some(now), Some(user.id.clone())),
        };
        row.version += 1;
        row.updated_at = now;
        if !store::update_if_version(c, &row, unit.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the unit changed meanwhile; read it again",
            ));
        }
        audit::append(
            c,
            now,
            audit::Entry {
                actor_id: Some(&user.id),
                action: "unit_certify",
                entity_type: "safety_unit",
                entity_id: &row.id,
                outcome: req.level.as_str(),
                ip: Some(&user.ip),
                detail: None,
            },
        )?;
        Ok(row)
    })
}

/// Counts one unit into a tally.
fn count(tally: &mut Tally, row: &UnitRow, now: DateTime<Utc>) {
    let certification = Certification::parse(&row.certification).unwrap_or(Certification::None);
    tally.add(status_of(row, now), certification);
}

pub fn rollup(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    region: &str,
) -> Result<Rollup> {
    let rows = store::all_in(
        c,
        &scope_of(user)?,
        &Filter {
            region: Some(region.to_string()),
            ..Filter::default()
        },
    )?;
    let now = state.clock.now();
    // Children are one level down: 6 → 9 → 12 digits, then cells (15).
    let child_len = match region.len() {
        0 => 6,
        6 => 9,
        9 => 12,
        _ => 15,
    };
    let mut overall = Tally::default();
    let mut children: BTreeMap<String, Tally> = BTreeMap::new();
    for r in &rows {
        count(&mut overall, r, now);
        let key = r
            .cell_code
            .get(..child_len)
            .unwrap_or(&r.cell_code)
            .to_string();
        count(children.entry(key).or_default(), r, now);
    }
    // Names, so that a screen shows places rather than codes: the region's, and its
    // children's (regions, or the live cells of a community).
    let name = match region {
        "" => String::new(),
        r => db::regions::find(c, r)?.map(|r| r.name).unwrap_or_default(),
    };
    let names: BTreeMap<String, String> = if child_len == 15 {
        db::cells::list_live_meta(
            c,
            &db::cells::CellScope::Region(region.to_string()),
            None,
            None,
        )?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect()
    } else {
        let codes: Vec<String> = children.keys().cloned().collect();
        db::regions::list_codes(c, &codes)?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect()
    };
    Ok(Rollup {
        region_code: region.to_string(),
        name,
        overall,
        children: children
            .into_iter()
            .map(|(code, tally)| RollupChild {
                name: names.get(&code).cloned().unwrap_or_default(),
                code,
                tally,
            })
            .collect(),
    })
}

/// Registers a unit (the body is validated) and answers it.
pub fn create_unit(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewUnit,
) -> Result<Unit> {
    new.validate().map_err(Error::validation)?;
    let (row, _) = create(state, c, user, new)?;
    to_wire(&row, state.clock.now())
}

/// The unit list's query string (`limit` and `cursor` are read by the edge).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub cell: Option<String>,
    pub region: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// Units in the caller's scope, newest first.
pub fn list(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    q: &ListQuery,
    page: &PageRequest,
) -> Result<(Vec<Unit>, Option<String>)> {
    let scope = scope_of(user)?;
    let now = state.clock.now();
    let mut f = Filter {
        cell: q.cell.as_deref().map(parse_cell).transpose()?,
        region: q.region.as_deref().map(parse_region).transpose()?,
        ..Filter::default()
    };
    if let Some(k) = &q.kind {
        UnitKind::parse(k).ok_or_else(|| Error::invalid("kind", "unknown kind"))?;
        f.kind = Some(k.clone());
    }
    if let Some(s) = &q.status {
        UnitStatus::parse(s)
            .ok_or_else(|| Error::invalid("status", "must be unknown, safe, hazard or overdue"))?;
        f.status = Some((s.clone(), now.naive_utc()));
    }
    let rows = store::list(c, &scope, &f, page)?;
    page_of(
        rows,
        page,
        |r| Cursor::new(r.created_at, &r.id),
        |r| to_wire(r, now),
    )
}

/// Records an inspection and answers it with its hazards.
pub fn inspect_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    new: &NewInspection,
) -> Result<Inspection> {
    let (ins, _) = inspect(state, c, user, id, new)?;
    let hazards = store::hazards_of(c, id)?;
    inspection_to_wire(&ins, &hazards, state.clock.now())
}

/// Certifies a unit and answers it.
pub fn certify_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &CertificationRequest,
) -> Result<Unit> {
    let row = certify(state, c, user, id, req)?;
    to_wire(&row, state.clock.now())
}

/// The roll-up of `region` (default: the caller's region).
pub fn rollup_of(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    region: Option<&str>,
) -> Result<Rollup> {
    let region = match region {
        Some(r) => parse_region(r)?,
        None => user.region_scope().to_string(),
    };
    rollup(state, c, user, &region)
}
