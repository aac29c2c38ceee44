//! The supervisor's map colours and the assessment figures (考评).

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use gridwork_shared::api::Role;
use gridwork_shared::api::{Feature, FeatureCollection, FeatureType};
use gridwork_shared::safety::{UnitStatus, unit_status};
use gridwork_shared::stats::{
    MapCellProperties, MapColor, StatFigures, StatRow, Stats, UnitCounts, WorkerFigures,
};
use serde_json::value::RawValue;

use crate::app::state::AppState;
use crate::db::cells::BBox;
use crate::db::stats::{self, Figures};
use crate::db::{self, DbConn, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::cells::cell_scope;
use crate::flow::error::{Error, Result};

/// `GET /map/cells`: cells in scope with their figures, geometry simplified to about a
/// thousandth of the view's width (shapes come from the grid's cache; see
/// [`crate::flow::grid::LoadedGrid::map_shapes`]). Answers the serialized FeatureCollection.
pub fn map_cells(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    region: Option<&str>,
    bbox: Option<BBox>,
) -> Result<String> {
    let grid = state.grid.current(c)?;
    let rows = db::cells::list_live_meta(c, &cell_scope(user), region, bbox)?;
    let codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
    let now = state.clock.now();
    let nn = now.naive_utc();
    let as_map = |v: Vec<(String, i64)>| -> HashMap<String, i64> { v.into_iter().collect() };
    let open = as_map(stats::open_incidents(c, &codes)?);
    let overdue = as_map(stats::overdue_incidents(c, &codes, nn)?);
    let visits = as_map(stats::overdue_visits(c, &codes, nn)?);
    let mut units: HashMap<String, UnitCounts> = HashMap::new();
    for (cell, inspected, open_h, earliest) in stats::unit_facts(c, &codes)? {
        let e = units.entry(cell).or_default();
        match unit_status(inspected, i64::from(open_h), earliest.map(to_utc), now) {
            UnitStatus::Safe => e.safe += 1,
            UnitStatus::Hazard => e.hazard += 1,
            UnitStatus::Overdue => e.overdue += 1,
            UnitStatus::Unknown => e.unknown += 1,
        }
    }
    let width = match bbox {
        Some([a, _, b, _]) => b - a,
        None => {
            let min = rows.iter().map(|r| r.min_lon).fold(f64::INFINITY, f64::min);
            let max = rows
                .iter()
                .map(|r| r.max_lon)
                .fold(f64::NEG_INFINITY, f64::max);
            if min.is_finite() { max - min } else { 0.0 }
        }
    };
    let level = crate::flow::grid::simplification_level(width);
    let wanted: Vec<&str> = codes.iter().map(String::as_str).collect();
    let shapes = grid.map_shapes(level, &wanted, |missing| {
        db::cells::live_geometries(c, missing)
    })?;
    let features: Vec<Feature<MapCellProperties<&str>, Option<&RawValue>>> = rows
        .iter()
        .map(|r| {
            let o = *open.get(&r.code).unwrap_or(&0);
            let d = *overdue.get(&r.code).unwrap_or(&0);
            let v = *visits.get(&r.code).unwrap_or(&0);
            let u = units.remove(&r.code).unwrap_or_default();
            Feature {
                kind: FeatureType::Feature,
                id: r.code.clone(),
                geometry: shapes.get(&r.code).map(|s| &***s),
                properties: MapCellProperties {
                    code: r.code.as_str(),
                    name: r.name.as_str(),
                    community_code: r.community_code.as_str(),
                    open_incidents: o,
                    overdue_incidents: d,
                    overdue_visits: v,
                    color: MapColor::of(o, d, v, &u),
                    units: u,
                },
            }
        })
        .collect();
    let fc = FeatureCollection::new(features);
    Ok(serde_json::to_string(&fc).map_err(anyhow::Error::from)?)
}

/// A date range in China Standard Time, `to` inclusive, as UTC instants `[from, to+1d)`.
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

pub fn range(state: &AppState, from: Option<&str>, to: Option<&str>) -> Result<Range> {
    let calendar = &state.config.calendar;
    let today = calendar.local_date(state.clock.now());
    let date = |field: &str, v: Option<&str>, default: NaiveDate| -> Result<NaiveDate> {
        match v {
            None | Some("") => Ok(default),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .filter(|d| gridwork_shared::utc::date_in_range(*d))
                .ok_or_else(|| {
                    Error::invalid(field, "must be a date YYYY-MM-DD between 1900 and 2199")
                }),
        }
    };
    let to = date("to", to, today)?;
    let from = date("from", from, to - Duration::days(29))?;
    if from > to {
        return Err(Error::invalid("from", "must not be after `to`"));
    }
    if (to - from).num_days() > 3660 {
        return Err(Error::invalid("from", "a range is at most ten years"));
    }
    let utc = |d: NaiveDate| calendar.day_start(d).naive_utc();
    Ok(Range {
        from,
        to,
        start: utc(from),
        end: utc(to + Duration::days(1)),
    })
}

/// The region whose figures a caller may ask for: within its scope, else 404.
pub fn region_for(user: &CurrentUser, region: Option<&str>) -> Result<String> {
    match user.role {
        Role::Admin | Role::Supervisor => {}
        _ => {
            return Err(Error::forbidden("figures are for supervisors and admins"));
        }
    }
    let r = match region {
        None | Some("") => user.region_scope().to_string(),
        Some(r) => crate::flow::regions::parse_region(r)?,
    };
    if !r.starts_with(user.region_scope()) {
        return Err(Error::not_found());
    }
    Ok(r)
}

pub fn stats(state: &AppState, c: &mut DbConn, region: &str, range: &Range) -> Result<Stats> {
    let len: i32 = match region.len() {
        0 => 6,
        6 => 9,
        9 => 12,
        _ => 15,
    };
    let now = state.clock.now_naive();
    let mut by: BTreeMap<String, StatFigures> = BTreeMap::new();
    for f in stats::incident_figures(c, region, len, range.start, range.end)? {
        let e = by.entry(f.k.clone()).or_default();
        (e.filed, e.closed, e.closed_on_time) = (f.a, f.b, f.c);
    }
    for f in stats::rework_figures(c, region, len, range.start, range.end)? {
        let e = by.entry(f.k.clone()).or_default();
        (e.verified, e.reworked) = (f.a, f.b);
    }
    for f in stats::visit_figures(c, region, len, range.start, range.end, now)? {
        let e = by.entry(f.k.clone()).or_default();
        (e.visits_due, e.visits_on_time) = (f.a + f.c, f.b);
    }
    for Figures { k, a, b, .. } in stats::safety_figures(c, region, len, range.start, range.end)? {
        let e = by.entry(k).or_default();
        (e.inspections, e.hazards_open) = (a, b);
    }
    // Every child region appears, even with nothing to count.
    let names: BTreeMap<String, String> = if len == 15 {
        db::cells::list_live_meta(
            c,
            &db::cells::CellScope::Region(region.to_string()),
            None,
            None,
        )?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect()
    } else {
        db::regions::list_under(c, region)?
            .into_iter()
            .filter(|r| r.code.len() == len as usize)
            .map(|r| (r.code, r.name))
            .collect()
    };
    for code in names.keys() {
        by.entry(code.clone()).or_default();
    }
    let mut overall = StatFigures::default();
    let children = by
        .into_iter()
        .map(|(k, f)| {
            overall.add(&f);
            StatRow {
                name: names.get(&k).cloned().unwrap_or_default(),
                region_code: k,
                figures: f.finish(),
            }
        })
        .collect();
    Ok(Stats {
        region_code: region.to_string(),
        from: range.from,
        to: range.to,
        overall: overall.finish(),
        children,
    })
}

/// The table as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese names).
pub fn to_csv(s: &Stats) -> String {
    let mut out = String::from(
        "\u{feff}region_code,name,filed,closed,closed_on_time_rate,rework_rate,visits_due,visits_on_time_rate,inspections,hazards_open\n",
    );
    let rate = |r: Option<f64>| r.map(|v| format!("{v:.4}")).unwrap_or_default();
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut line = |code: &str, name: &str, f: &StatFigures| {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            quote(code),
            quote(name),
            f.filed,
            f.closed,
            rate(f.closed_on_time_rate),
            rate(f.rework_rate),
            f.visits_due,
            rate(f.visits_on_time_rate),
            f.inspections,
            f.hazards_open
        ));
    };
    line(&s.region_code, "合计 total", &s.overall);
    for c in &s.children {
        line(&c.region_code, &c.name, &c.figures);
    }
    out
}

/// The table as an Excel workbook.
pub fn to_xlsx(s: &Stats) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("考评")?;
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let heads = [
        "区划代码 region",
        "名称 name",
        "上报 filed",
        "结案 closed",
        "按期结案率 on-time",
        "返工率 rework",
        "应走访 visits due",
        "按期走访率 visits on time",
        "检查 inspections",
        "未整改隐患 hazards open",
    ];
    for (i, h) in heads.iter().enumerate() {
        ws.write_with_format(0, i as u16, *h, &bold)?;
    }
    let mut row = 1u32;
    let mut put = |code: &str, name: &str, f: &StatFigures| -> anyhow::Result<()> {
        ws.write(row, 0, code)?;
        ws.write(row, 1, name)?;
        ws.write(row, 2, f.filed as f64)?;
        ws.write(row, 3, f.closed as f64)?;
        for (col, r) in [
            (4u16, f.closed_on_time_rate),
            (5, f.rework_rate),
            (7, f.visits_on_time_rate),
        ] {
            if let Some(v) = r {
                ws.write_with_format(row, col, v, &pct)?;
            }
        }
        ws.write(row, 6, f.visits_due as f64)?;
        ws.write(row, 8, f.inspections as f64)?;
        ws.write(row, 9, f.hazards_open as f64)?;
        row += 1;
        Ok(())
    };
    put(&s.region_code, "合计 total", &s.overall)?;
    for c in &s.children {
        put(&c.region_code, &c.name, &c.figures)?;
    }
    Ok(wb.save_to_buffer()?)
}

pub fn worker_stats(c: &mut DbConn, region: &str, range: &Range) -> Result<Vec<WorkerFigures>> {
    let db::stats::WorkerCounts {
        workers,
        filed,
        closed,
        visits,
        answered,
        on_time,
        inspections,
    } = db::stats::worker_counts(c, region, range.start, range.end)?;
    let get = |m: &HashMap<String, i64>, k: &str| *m.get(k).unwrap_or(&0);
    Ok(workers
        .into_iter()
        .map(|(id, username, display_name, region_code)| WorkerFigures {
            filed: get(&filed, &id),
            closed: get(&closed, &id),
            visits: get(&visits, &id),
            visits_due_answered: get(&answered, &id),
            visits_on_time: get(&on_time, &id),
            inspections: get(&inspections, &id),
            worker_id: id,
            username,
            display_name,
            region_code,
        })
        .collect())
}
