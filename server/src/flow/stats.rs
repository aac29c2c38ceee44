//! The supervisor's map colours and the assessment figures (考评).

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use gridwork_shared::api::Role;
use gridwork_shared::api::{Feature, FeatureCollection, FeatureType};
use gridwork_shared::responsibility::{PerformanceRecord, RecordKind};
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

/// A table of figures as `GET /stats/export` writes it: the regions' (`/stats`) or the
/// workers' (`/stats/workers`); or the units' performance records (`GET
/// /performance/export`).
pub enum Table {
    Regions(Stats),
    Workers(Vec<WorkerFigures>),
    Performance(Vec<PerformanceRecord>),
}

/// A value of a table's cell.
enum Value<'a> {
    Text(&'a str),
    Count(i64),
    /// A fraction 0–1; none when nothing was due.
    Rate(Option<f64>),
    /// A number with decimals (a score, a weight); none when there is none.
    Number(Option<f64>),
    /// Text made for the table.
    Owned(String),
}

/// Text as an export writes it: one beginning with `=`, `+`, `-` or `@` gets a leading `'`,
/// so that a spreadsheet program shows it rather than running it as a formula.
pub fn export_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

const REGION_HEADS: [(&str, &str); 10] = [
    ("region_code", "区划代码 region"),
    ("name", "名称 name"),
    ("filed", "上报 filed"),
    ("closed", "结案 closed"),
    ("closed_on_time_rate", "按期结案率 on-time"),
    ("rework_rate", "返工率 rework"),
    ("visits_due", "应走访 visits due"),
    ("visits_on_time_rate", "按期走访率 visits on time"),
    ("inspections", "检查 inspections"),
    ("hazards_open", "未整改隐患 hazards open"),
];

const WORKER_HEADS: [(&str, &str); 10] = [
    ("worker_id", "用户编号 worker id"),
    ("username", "用户名 username"),
    ("display_name", "姓名 name"),
    ("region_code", "区划代码 region"),
    ("filed", "上报 filed"),
    ("closed", "结案 closed"),
    ("visits", "走访 visits"),
    ("visits_due_answered", "应走访已走访 due visits made"),
    ("visits_on_time", "按期走访 visits on time"),
    ("inspections", "检查 inspections"),
];

fn region_row<'a>(code: &'a str, name: &'a str, f: &StatFigures) -> Vec<Value<'a>> {
    vec![
        Value::Text(code),
        Value::Text(name),
        Value::Count(f.filed),
        Value::Count(f.closed),
        Value::Rate(f.closed_on_time_rate),
        Value::Rate(f.rework_rate),
        Value::Count(f.visits_due),
        Value::Rate(f.visits_on_time_rate),
        Value::Count(f.inspections),
        Value::Count(f.hazards_open),
    ]
}

const PERFORMANCE_HEADS: [(&str, &str); 15] = [
    ("kind", "类别 kind"),
    ("unit", "单位编号 unit"),
    ("name", "名称 name"),
    ("period", "期间 period"),
    ("tasks", "任务数 tasks"),
    ("tasks_complete", "已完成 tasks complete"),
    ("tasks_scored", "已评分 tasks scored"),
    ("weighted_score", "加权得分 weighted score"),
    ("handled", "受理派单 dispatched to it"),
    ("closed", "结案 closed"),
    ("closed_on_time_rate", "按期结案率 on-time"),
    ("filed", "上报 filed"),
    ("inspections", "检查 inspections"),
    ("teams_points", "志愿积分 team points"),
    ("deliberations_done", "议事办结 deliberations done"),
];

fn performance_row(r: &PerformanceRecord) -> Vec<Value<'_>> {
    let (kind, unit) = match r.kind {
        RecordKind::Department => ("department", r.department_id.map(|d| d.to_string())),
        RecordKind::Town => ("town", r.region_code.clone()),
    };
    let count = |n: Option<i64>| Value::Number(n.map(|n| n as f64));
    let town = r.town.as_ref();
    let department = r.department.as_ref();
    vec![
        Value::Text(kind),
        Value::Owned(unit.unwrap_or_default()),
        Value::Text(&r.name),
        Value::Text(&r.period),
        Value::Count(r.tasks.len() as i64),
        Value::Count(r.tasks.iter().filter(|t| t.completion >= 1.0).count() as i64),
        Value::Count(r.tasks.iter().filter(|t| t.score.is_some()).count() as i64),
        Value::Number(r.weighted_score),
        count(department.map(|d| d.handled)),
        count(
            department
                .map(|d| d.closed)
                .or(town.map(|t| t.figures.closed)),
        ),
        Value::Rate(
            department
                .and_then(|d| d.closed_on_time_rate)
                .or(town.and_then(|t| t.figures.closed_on_time_rate)),
        ),
        count(town.map(|t| t.figures.filed)),
        count(town.map(|t| t.figures.inspections)),
        count(town.map(|t| t.teams_points)),
        count(town.map(|t| t.deliberations_done)),
    ]
}

fn worker_row(w: &WorkerFigures) -> Vec<Value<'_>> {
    vec![
        Value::Text(&w.worker_id),
        Value::Text(&w.username),
        Value::Text(&w.display_name),
        Value::Text(&w.region_code),
        Value::Count(w.filed),
        Value::Count(w.closed),
        Value::Count(w.visits),
        Value::Count(w.visits_due_answered),
        Value::Count(w.visits_on_time),
        Value::Count(w.inspections),
    ]
}

impl Table {
    /// The column heads (field name, words for people) and the rows.
    fn rows(&self) -> (&'static [(&'static str, &'static str)], Vec<Vec<Value<'_>>>) {
        match self {
            Table::Regions(s) => {
                let mut rows = vec![region_row(&s.region_code, "合计 total", &s.overall)];
                rows.extend(
                    s.children
                        .iter()
                        .map(|c| region_row(&c.region_code, &c.name, &c.figures)),
                );
                (&REGION_HEADS, rows)
            }
            Table::Workers(ws) => (&WORKER_HEADS, ws.iter().map(worker_row).collect()),
            Table::Performance(rs) => {
                (&PERFORMANCE_HEADS, rs.iter().map(performance_row).collect())
            }
        }
    }

    /// The table as CSV: UTF-8 with a byte-order mark so that spreadsheet programs read the
    /// Chinese names, the field names as the head, text quoted.
    pub fn to_csv(&self) -> String {
        let (heads, rows) = self.rows();
        let mut out = String::from("\u{feff}");
        out.push_str(&heads.iter().map(|h| h.0).collect::<Vec<_>>().join(","));
        out.push('\n');
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .map(|v| match v {
                    Value::Text(s) => format!("\"{}\"", export_text(s).replace('"', "\"\"")),
                    Value::Owned(s) => format!("\"{}\"", export_text(s).replace('"', "\"\"")),
                    Value::Count(n) => n.to_string(),
                    Value::Rate(r) => r.map(|v| format!("{v:.4}")).unwrap_or_default(),
                    Value::Number(n) => n.map(|v| format!("{v:.2}")).unwrap_or_default(),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// The table as an Excel workbook: heads in both languages, rates as percentages.
    pub fn to_xlsx(&self) -> anyhow::Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(match self {
            Table::Regions(_) => "考评",
            Table::Workers(_) => "网格员考评",
            Table::Performance(_) => "实绩档案",
        })?;
        let bold = Format::new().set_bold();
        let pct = Format::new().set_num_format("0.0%");
        let (heads, rows) = self.rows();
        for (i, h) in heads.iter().enumerate() {
            ws.write_with_format(0, i as u16, h.1, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, v) in row.iter().enumerate() {
                let col = col as u16;
                match v {
                    Value::Text(s) => {
                        ws.write(r, col, export_text(s).as_ref())?;
                    }
                    Value::Owned(s) => {
                        ws.write(r, col, export_text(s).as_ref())?;
                    }
                    Value::Number(Some(v)) => {
                        ws.write(r, col, *v)?;
                    }
                    Value::Number(None) => {}
                    Value::Count(n) => {
                        ws.write(r, col, *n as f64)?;
                    }
                    Value::Rate(Some(v)) => {
                        ws.write_with_format(r, col, *v, &pct)?;
                    }
                    Value::Rate(None) => {}
                }
            }
        }
        Ok(wb.save_to_buffer()?)
    }
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
