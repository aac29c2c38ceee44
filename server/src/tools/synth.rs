//! `gridwork synth`: synthetic data at district or province scale for benchmarks, written
//! straight into either engine with multi-row inserts inside large transactions.
//!
//! The grid is a lattice of irregular cells with shared borders: every inner corner is moved
//! by up to 20% of a cell, and every edge carries 5–15 vertices (so a cell has 20–60)
//! on a smooth bend of up to 8% of a cell; a shared edge is computed once from its
//! two corners, so neighbours agree exactly. Districts are blocks of 55 × 55 cells, towns
//! bands of 5 columns, communities blocks of 5 × 2 cells. People cluster: each community has
//! one to four settlements of heavy-tailed size, and incidents, persons and units are placed
//! around them (normal spread of 100–500 m), then located in the grid like a phone report.
//!
//! Everything follows from `--seed`, so a run is repeatable. The generated users share one
//! password ([`PASSWORD`]); a JSON manifest names the logins and places a load generator
//! needs.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use geo::MultiPolygon;
use gridwork_shared::geometry::{GridIndex, IndexedCell};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::core::crypto::Keyring;
use crate::core::geo_json::shape_to_text;
use crate::db::bulk::{self, Inserter, Lit, Table, lit};
use crate::db::{self, DbConn};
use crate::tools::lattice::Lattice;

mod duty;

/// The password of every generated user.
pub const PASSWORD: &str = "gridwork-bench";

/// Cells per district side; towns are 5 columns wide, communities 5 × 2 cells.
const DISTRICT_SIDE: usize = 55;
/// Size of a cell in degrees (about 500 m).
const STEP: f64 = 0.005;
const ORIGIN: (f64, f64) = (106.0, 30.4);

/// How much to generate.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scale {
    /// Cells per side of the lattice (the grid has `side²` cells).
    pub side: usize,
    pub users: usize,
    pub incidents: u64,
    pub persons: u64,
    pub units: u64,
    /// Volunteer teams (群防群治), each with a zone, members and a year of patrols.
    pub teams: usize,
    /// Their members (volunteers besides the users above).
    pub volunteers: usize,
    /// The first district's departments (two staff each) and its tasks of a year.
    pub departments: usize,
    pub tasks: usize,
}

impl Scale {
    pub fn named(name: &str) -> Option<Scale> {
        match name {
            // ≈ 3,000 cells, 3,000 users, 1 M incidents, 50 k persons, 30 k units.
            "district" => Some(Scale {
                side: 55,
                users: 3_000,
                incidents: 1_000_000,
                persons: 50_000,
                units: 30_000,
                // Hechuan's: 417 teams, 11,000 volunteers.
                teams: 417,
                volunteers: 11_000,
                // Hechuan's responsibility system: 44 departments, 86 tasks a year.
                departments: 44,
                tasks: 86,
            }),
            // ≈ 100,000 cells and 10 M incidents; people and units grow with the cells.
            "province" => Some(Scale {
                side: 317,
                users: 100_000,
                incidents: 10_000_000,
                persons: 1_600_000,
                units: 1_000_000,
                teams: 14_000,
                volunteers: 370_000,
                departments: 44,
                tasks: 86,
            }),
            _ => None,
        }
    }
}

/// One synthetic cell: lattice position, codes and shape.
#[derive(Debug, Clone)]
pub struct GenCell {
    pub col: usize,
    pub row: usize,
    /// Cells per side of the lattice it belongs to.
    pub side: usize,
    pub code: String,
    pub community_code: String,
    pub shape: MultiPolygon<f64>,
}

impl GenCell {
    /// A point well inside the cell (its lattice centre).
    pub fn centre(&self) -> (f64, f64) {
        grid(self.side, 0).point(self.col as f64 + 0.5, self.row as f64 + 0.5)
    }
}

/// The benchmark lattice of `side × side` cells.
fn grid(side: usize, seed: u64) -> Lattice {
    Lattice {
        origin: ORIGIN,
        step: (STEP, STEP),
        cols: side,
        rows: side,
        seed,
    }
}

/// The codes of the cell at (col, row): district, town, community, cell.
fn codes(col: usize, row: usize) -> (String, String, String, String) {
    let per_row = 6; // districts per lattice row of districts (a province is ≤ 6 × 6)
    let d = (row / DISTRICT_SIDE) * per_row + col / DISTRICT_SIDE + 1;
    let (lc, lr) = (col % DISTRICT_SIDE, row % DISTRICT_SIDE);
    let district = format!("5001{d:02}");
    let town = format!("{district}{:03}", lc / 5 + 1);
    let community = format!("{town}{:03}", lr / 2 + 1);
    let cell = format!("{community}{:03}", (lr % 2) * 5 + lc % 5 + 1);
    (district, town, community, cell)
}

/// The synthetic lattice of `side × side` cells.
pub fn lattice(side: usize, seed: u64) -> Vec<GenCell> {
    let l = grid(side, seed);
    let mut cells = Vec::with_capacity(side * side);
    for row in 0..side {
        for col in 0..side {
            let (_, _, community_code, code) = codes(col, row);
            cells.push(GenCell {
                col,
                row,
                side,
                code,
                community_code,
                shape: l.cell(col, row),
            });
        }
    }
    cells
}

/// The spatial index of a generated lattice (what the server builds from the same cells).
pub fn index(cells: &[GenCell]) -> GridIndex {
    GridIndex::new(
        cells
            .iter()
            .map(|c| {
                IndexedCell::new(
                    c.code.clone(),
                    c.code.clone(),
                    c.community_code.clone(),
                    c.shape.clone(),
                )
            })
            .collect(),
    )
}

/// What a load generator needs to know about the generated data.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub scale: Scale,
    pub seed: u64,
    pub password: &'static str,
    /// [min_lon, min_lat, max_lon, max_lat] of the whole grid.
    pub bbox: [f64; 4],
    pub admin: String,
    /// Town supervisors with their town and its bounding box.
    pub towns: Vec<ManifestTown>,
    /// Workers with one of their cells and a point inside it (the first 2,000).
    pub workers: Vec<ManifestWorker>,
    /// Teams with the supervisor of their town and one member (the first 2,000).
    pub teams: Vec<ManifestTeam>,
}

#[derive(Debug, Serialize)]
pub struct ManifestTeam {
    pub id: String,
    pub town: String,
    pub supervisor: String,
    pub volunteer: String,
}

#[derive(Debug, Serialize)]
pub struct ManifestTown {
    pub code: String,
    pub supervisor: String,
}

#[derive(Debug, Serialize)]
pub struct ManifestWorker {
    pub username: String,
    pub cell: String,
    pub point: [f64; 2],
}

fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.r#gen())
        .into_uuid()
        .to_string()
}

/// A standard normal sample (Box–Muller).
fn gauss(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.r#gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Picks an index by cumulative weight.
fn pick(rng: &mut StdRng, cumulative: &[f64]) -> usize {
    let x = rng.r#gen::<f64>() * cumulative.last().copied().unwrap_or(1.0);
    cumulative
        .partition_point(|&w| w < x)
        .min(cumulative.len() - 1)
}

fn cumulate(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .into_iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// Settlements: where people live, with heavy-tailed sizes.
struct Settlements {
    centres: Vec<(f64, f64, f64)>, // lon, lat, spread in degrees
    cumulative: Vec<f64>,
}

impl Settlements {
    fn new(rng: &mut StdRng, cells: &[GenCell]) -> Settlements {
        let mut by_community: HashMap<&str, Vec<&GenCell>> = HashMap::new();
        for c in cells {
            by_community.entry(&c.community_code).or_default().push(c);
        }
        let mut communities: Vec<_> = by_community.into_iter().collect();
        communities.sort_by(|a, b| a.0.cmp(b.0));
        let mut centres = Vec::new();
        let mut weights = Vec::new();
        for (_, members) in communities {
            let size = (gauss(rng) * 1.0).exp(); // log-normal community population
            let n = rng.gen_range(1..=4);
            for k in 0..n {
                let cell = members[rng.gen_range(0..members.len())];
                let (x, y) = cell.centre();
                let spread_m = rng.gen_range(100.0..500.0);
                centres.push((
                    x + rng.gen_range(-0.4..0.4) * STEP,
                    y + rng.gen_range(-0.4..0.4) * STEP,
                    spread_m / 111_000.0,
                ));
                weights.push(size / (k as f64 + 1.0)); // the first settlement is the largest
            }
        }
        Settlements {
            cumulative: cumulate(weights),
            centres,
        }
    }

    /// A place where someone would be, inside the grid, with its cell.
    fn place<'g>(&self, rng: &mut StdRng, grid: &'g GridIndex) -> (f64, f64, &'g IndexedCell) {
        loop {
            let (x, y, s) = self.centres[pick(rng, &self.cumulative)];
            let (lon, lat) = (x + gauss(rng) * s, y + gauss(rng) * s);
            if let Some(cell) = grid.locate(lon, lat) {
                return (round6(lon), round6(lat), cell);
            }
        }
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

const TOWN_A: [&str; 12] = [
    "龙", "凤", "金", "石", "白", "青", "双", "清", "桃", "柳", "长", "南",
];
const TOWN_B: [&str; 10] = ["山", "溪", "河", "桥", "坪", "湾", "岗", "塘", "林", "坝"];

fn place_name(i: usize, suffix: &str) -> String {
    format!(
        "{}{}{}",
        TOWN_A[i % TOWN_A.len()],
        TOWN_B[(i / TOWN_A.len()) % TOWN_B.len()],
        suffix
    )
}

/// Incident categories with how often they come up.
const CATEGORIES: &[(&str, f64, &str)] = &[
    ("0101", 12.0, "邻里纠纷"),
    ("0102", 5.0, "婚姻家庭纠纷"),
    ("0103", 2.0, "土地山林纠纷"),
    ("0104", 3.0, "劳资纠纷"),
    ("0105", 5.0, "物业纠纷"),
    ("0201", 6.0, "消防安全隐患"),
    ("0203", 3.0, "燃气安全隐患"),
    ("0204", 2.0, "房屋安全隐患"),
    ("0205", 3.0, "交通安全隐患"),
    ("0301", 4.0, "治安问题"),
    ("0401", 14.0, "垃圾堆放"),
    ("0402", 3.0, "污水排放"),
    ("0403", 6.0, "噪声扰民"),
    ("0405", 4.0, "违法建设"),
    ("0501", 8.0, "道路损坏"),
    ("0502", 7.0, "路灯故障"),
    ("0503", 2.0, "井盖缺失"),
    ("0505", 6.0, "公共设施损坏"),
    ("0604", 0.5, "火灾事故"),
    ("9901", 3.5, "其他事项"),
];

const PERSON_CATEGORIES: &[(&str, f64)] = &[
    ("community_correction", 15.0),
    ("released_prisoner", 20.0),
    ("drug_user", 15.0),
    ("severe_mental_disorder", 25.0),
    ("key_youth", 15.0),
    ("aids_risk", 5.0),
    ("cult", 5.0),
];

const UNIT_KINDS: &[(&str, f64)] = &[
    ("household", 40.0),
    ("shop", 25.0),
    ("enterprise", 12.0),
    ("market", 3.0),
    ("school", 3.0),
    ("hospital", 1.0),
    ("construction_site", 6.0),
    ("community", 5.0),
    ("other", 5.0),
];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华";

fn chinese_name(rng: &mut StdRng) -> String {
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let mut name = String::new();
    name.push(s[rng.gen_range(0..s.len())]);
    for _ in 0..rng.gen_range(1..=2) {
        name.push(g[rng.gen_range(0..g.len())]);
    }
    name
}

/// A valid GB 11643 identity number born between 1950 and 2005.
fn identity_number(rng: &mut StdRng) -> String {
    let birth = format!(
        "{}{:02}{:02}",
        rng.gen_range(1950..2006),
        rng.gen_range(1..13),
        rng.gen_range(1..29)
    );
    let raw = format!("500117{birth}{:03}0", rng.gen_range(0..1000));
    crate::tools::demo::fix_check_digit(&raw)
}

/// Progress on a terminal; silent when output is not a terminal.
fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// Rows per transaction: large enough that commits cost nothing, small enough to show progress.
const ROWS_PER_TX: u64 = 20_000;

/// Runs `f` for `0..n` in transactions of [`ROWS_PER_TX`] rows; `f` only adds rows to `ins`.
/// Whenever one statement is full, and at each commit, every inserter is written in the
/// order given — parents before the rows that refer to them.
fn chunked(
    c: &mut DbConn,
    n: u64,
    what: &str,
    ins: &mut [&mut Inserter],
    mut f: impl FnMut(u64, &mut [&mut Inserter]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let bar = bar(n, what);
    let mut i = 0;
    while i < n {
        let end = (i + ROWS_PER_TX).min(n);
        bulk::transaction(c, |c| {
            for k in i..end {
                f(k, ins)?;
                if ins.iter().any(|x| x.is_full()) {
                    for x in ins.iter_mut() {
                        x.flush(c)?;
                    }
                }
            }
            for x in ins.iter_mut() {
                x.flush(c)?;
            }
            Ok(())
        })?;
        bar.set_position(end);
        i = end;
    }
    bar.finish_with_message(format!("{what} ✓"));
    Ok(())
}

/// Options of one generation run.
#[derive(Debug, Clone)]
pub struct Options {
    pub scale: Scale,
    pub seed: u64,
    /// Cells, regions and users only (for geometry comparisons).
    pub cells_only: bool,
}

/// Generates everything into an empty database and returns the manifest. The phases
/// run in a fixed order from one seeded generator, so a seed always gives the same data.
pub fn generate(c: &mut DbConn, keyring: &Keyring, opts: &Options) -> anyhow::Result<Manifest> {
    let existing = bulk::cell_count(c)?;
    if existing > 0 {
        anyhow::bail!("the database already holds {existing} cells; generate into an empty one");
    }
    let scale = opts.scale;
    let rng = &mut StdRng::seed_from_u64(opts.seed);
    let now = db::now();
    let start = std::time::Instant::now();
    let valid_from = now - Duration::days(800);

    let cells = lattice(scale.side, opts.seed);
    let grid = index(&cells);
    let regions = regions_of(&cells);
    write_regions(c, &regions, now)?;
    write_cells(c, rng, &cells, valid_from)?;
    let people = people(rng, scale, &regions, &cells);
    write_users(c, rng, &people, valid_from)?;
    write_assignments(c, &cells, &people, valid_from)?;
    let manifest = manifest_of(opts, &people, &cells);
    if opts.cells_only {
        return Ok(manifest);
    }

    // The first district's departments and staff, before the incidents dispatched to them.
    let district = &regions
        .iter()
        .find(|r| r.1 == "district")
        .expect("a district")
        .0;
    let mut duty = duty::Duty::new(opts.seed, scale.departments);
    duty.write(c, district, valid_from)?;

    let settlements = Settlements::new(rng, &cells);
    let w = World {
        now,
        grid: &grid,
        settlements: &settlements,
        people: &people,
        cell_at: cells
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i))
            .collect(),
        user_ids: people
            .users
            .iter()
            .map(|(id, name, _, _)| (name.as_str(), id.as_str()))
            .collect(),
    };
    write_incidents(c, rng, &w, &mut duty, scale.incidents)?;
    write_persons(c, rng, &w, keyring, scale.persons)?;
    write_units(c, rng, &w, scale.units)?;
    // About one deliberation item per cell, and each year's campaigns of every region.
    write_deliberations(c, rng, &w, (scale.side * scale.side) as u64)?;
    write_selections(c, rng, &w, &regions)?;
    // Teams last, from a generator of their own: the phases before them stay as they were.
    let mut manifest = manifest;
    manifest.teams = write_teams(c, opts, &cells, &w)?;
    let towns: Vec<String> = people
        .towns
        .iter()
        .filter(|t| t.starts_with(district.as_str()))
        .cloned()
        .collect();
    duty.write_tasks(c, &w, &towns, scale.tasks)?;
    bulk::analyze(c)?;
    tracing::info!(secs = start.elapsed().as_secs_f64(), "generated");
    Ok(manifest)
}

/// A region: code, level and parent.
type GenRegion = (String, &'static str, Option<String>);

/// The district, towns and communities the lattice's cells belong to.
fn regions_of(cells: &[GenCell]) -> Vec<GenRegion> {
    let mut regions: Vec<GenRegion> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for cell in cells {
        let (d, t, m, _) = codes(cell.col, cell.row);
        for (code, level, parent) in [
            (d.clone(), "district", None),
            (t.clone(), "town", Some(d.clone())),
            (m.clone(), "community", Some(t.clone())),
        ] {
            if seen.insert(code.clone()) {
                regions.push((code, level, parent));
            }
        }
    }
    regions
}

fn write_regions(c: &mut DbConn, regions: &[GenRegion], now: NaiveDateTime) -> anyhow::Result<()> {
    let mut region_ins = Inserter::new(Table::Regions);
    chunked(
        c,
        regions.len() as u64,
        "regions",
        &mut [&mut region_ins],
        |i, ins| {
            let i = i as usize;
            let (code, level, parent) = &regions[i];
            let name = match *level {
                "district" => format!("{}区", place_name(i, "")),
                "town" => place_name(i, "镇"),
                _ => place_name(i, "社区"),
            };
            ins[0].row(&[
                lit(code),
                lit(&name),
                lit(level),
                lit(parent.as_deref()),
                lit(now),
            ]);
            Ok(())
        },
    )
}

fn write_cells(
    c: &mut DbConn,
    rng: &mut StdRng,
    cells: &[GenCell],
    valid_from: NaiveDateTime,
) -> anyhow::Result<()> {
    let mut cell_ins = Inserter::new(Table::Cells);
    chunked(
        c,
        cells.len() as u64,
        "cells",
        &mut [&mut cell_ins],
        |k, ins| {
            let cell = &cells[k as usize];
            let env = geo::BoundingRect::bounding_rect(&cell.shape).expect("cells are not empty");
            let id = uuid(rng);
            let name = format!("第{}网格", cell.code[12..].trim_start_matches('0'));
            ins[0].row(&[
                lit(&id),
                lit(&cell.code),
                lit(&name),
                lit(&cell.community_code),
                lit(shape_to_text(&cell.shape)),
                lit(env.min().x),
                lit(env.min().y),
                lit(env.max().x),
                lit(env.max().y),
                lit(valid_from),
                Lit::Null,
                lit(valid_from),
            ]);
            Ok(())
        },
    )
}

/// Who uses the generated district: an admin, a supervisor per district, town and
/// community, volunteers, and workers for the rest; every cell gets a worker.
struct People {
    /// id, username, role, region
    users: Vec<(String, String, &'static str, String)>,
    worker_ids: Vec<String>,
    workers: usize,
    admin: String,
    towns: Vec<String>,
}

fn people(rng: &mut StdRng, scale: Scale, regions: &[GenRegion], cells: &[GenCell]) -> People {
    let districts: Vec<&String> = regions
        .iter()
        .filter(|r| r.1 == "district")
        .map(|r| &r.0)
        .collect();
    let towns: Vec<&String> = regions
        .iter()
        .filter(|r| r.1 == "town")
        .map(|r| &r.0)
        .collect();
    let communities: Vec<&String> = regions
        .iter()
        .filter(|r| r.1 == "community")
        .map(|r| &r.0)
        .collect();
    let mut users: Vec<(String, String, &'static str, String)> = Vec::new(); // id, username, role, region
    let admin = "admin".to_string();
    users.push((uuid(rng), admin.clone(), "admin", districts[0].clone()));
    for d in &districts {
        users.push((uuid(rng), format!("sup-{d}"), "supervisor", (*d).clone()));
    }
    for t in &towns {
        users.push((uuid(rng), format!("sup-{t}"), "supervisor", (*t).clone()));
    }
    for m in &communities {
        users.push((uuid(rng), format!("sup-{m}"), "supervisor", (*m).clone()));
    }
    let volunteers = scale.users / 30;
    let workers = scale
        .users
        .saturating_sub(users.len() + volunteers)
        .max(1)
        .min(cells.len());
    // Worker w looks after the cells w, w + workers, …; its region is the community of
    // its first cell.
    let mut worker_ids = Vec::with_capacity(workers);
    for (w, first) in cells.iter().take(workers).enumerate() {
        let id = uuid(rng);
        users.push((
            id.clone(),
            format!("w{:06}", w + 1),
            "worker",
            first.community_code.clone(),
        ));
        worker_ids.push(id);
    }
    for v in 0..volunteers {
        let cell = &cells[(v * 7919) % cells.len()];
        users.push((
            uuid(rng),
            format!("v{:06}", v + 1),
            "volunteer",
            cell.community_code.clone(),
        ));
    }
    People {
        users,
        worker_ids,
        workers,
        admin,
        towns: towns.into_iter().cloned().collect(),
    }
}

fn write_users(
    c: &mut DbConn,
    rng: &mut StdRng,
    people: &People,
    valid_from: NaiveDateTime,
) -> anyhow::Result<()> {
    let hash = crate::core::password::hash(PASSWORD)?;
    let mut user_ins = Inserter::new(Table::Users);
    chunked(
        c,
        people.users.len() as u64,
        "users",
        &mut [&mut user_ins],
        |k, ins| {
            let (id, username, role, region) = &people.users[k as usize];
            let name = chinese_name(rng);
            ins[0].row(&[
                lit(id),
                lit(username),
                lit(&hash),
                lit(role),
                lit(region),
                lit(&name),
                lit(true),
                lit(valid_from),
                lit(valid_from),
            ]);
            Ok(())
        },
    )
}

/// Worker w looks after the cells w, w + workers, …
fn write_assignments(
    c: &mut DbConn,
    cells: &[GenCell],
    people: &People,
    valid_from: NaiveDateTime,
) -> anyhow::Result<()> {
    let mut assign_ins = Inserter::new(Table::CellWorkers);
    chunked(
        c,
        cells.len() as u64,
        "assign",
        &mut [&mut assign_ins],
        |k, ins| {
            let k = k as usize;
            ins[0].row(&[
                lit(&cells[k].code),
                lit(&people.worker_ids[k % people.workers]),
                lit(valid_from),
            ]);
            Ok(())
        },
    )
}

/// The town supervisor of a cell.
fn town_supervisor(code: &str) -> String {
    format!("sup-{}", &code[..9])
}

fn manifest_of(opts: &Options, people: &People, cells: &[GenCell]) -> Manifest {
    let scale = opts.scale;
    Manifest {
        scale,
        seed: opts.seed,
        password: PASSWORD,
        bbox: [
            ORIGIN.0,
            ORIGIN.1 - scale.side as f64 * STEP,
            ORIGIN.0 + scale.side as f64 * STEP,
            ORIGIN.1,
        ],
        admin: people.admin.clone(),
        towns: people
            .towns
            .iter()
            .map(|t| ManifestTown {
                code: t.clone(),
                supervisor: town_supervisor(t),
            })
            .collect(),
        teams: Vec::new(),
        workers: (0..people.workers.min(2_000))
            .map(|w| ManifestWorker {
                username: format!("w{:06}", w + 1),
                cell: cells[w].code.clone(),
                point: {
                    let (x, y) = cells[w].centre();
                    [round6(x), round6(y)]
                },
            })
            .collect(),
    }
}

/// What the phases after the grid and the people share.
struct World<'a> {
    now: NaiveDateTime,
    grid: &'a GridIndex,
    settlements: &'a Settlements,
    people: &'a People,
    cell_at: HashMap<&'a str, usize>,
    user_ids: HashMap<&'a str, &'a str>,
}

impl World<'_> {
    /// The worker of a cell.
    fn worker_of(&self, code: &str) -> &str {
        &self.people.worker_ids[self.cell_at[code] % self.people.workers]
    }

    /// The user id of a cell's community supervisor.
    fn community_sup(&self, code: &str) -> &str {
        self.user_ids[format!("sup-{}", &code[..12]).as_str()]
    }
}

/// Incidents over the last two years, more of them recent; old ones are closed.
fn write_incidents(
    c: &mut DbConn,
    rng: &mut StdRng,
    w: &World,
    duty: &mut duty::Duty,
    n: u64,
) -> anyhow::Result<()> {
    let cat_weights = cumulate(CATEGORIES.iter().map(|c| c.1));
    let mut inc_ins = Inserter::new(Table::Incidents);
    let mut hist_ins = Inserter::new(Table::IncidentHistory);
    chunked(
        c,
        n,
        "incidents",
        &mut [&mut inc_ins, &mut hist_ins],
        |_, ins| {
            let id = uuid(rng);
            let (lon, lat, cell) = w.settlements.place(rng, w.grid);
            let (cat, _, cat_name) = CATEGORIES[pick(rng, &cat_weights)];
            let age_days = 730.0 * rng.r#gen::<f64>().powi(2);
            let created = w.now - Duration::seconds((age_days * 86_400.0) as i64);
            let occurred = created - Duration::minutes(rng.gen_range(0..180));
            let severity = match rng.gen_range(0..100) {
                0..40 => "low",
                40..80 => "medium",
                80..95 => "high",
                _ => "urgent",
            };
            let level = match rng.gen_range(0..100) {
                0..90 => "community",
                90..98 => "town",
                _ => "district",
            };
            let status = if age_days > 30.0 {
                match rng.gen_range(0..100) {
                    0..93 => "closed",
                    93..98 => "rejected",
                    _ => "resolved",
                }
            } else {
                match rng.gen_range(0..100) {
                    0..12 => "reported",
                    12..22 => "accepted",
                    22..27 => "rejected",
                    27..40 => "dispatched",
                    40..55 => "in_progress",
                    55..65 => "resolved",
                    65..67 => "rework",
                    _ => "closed",
                }
            };
            let hours = match severity {
                "urgent" => 4,
                "high" => 24,
                _ => 72,
            };
            let due = created + Duration::hours(hours);
            let worker = w.worker_of(&cell.code);
            let handled = !matches!(status, "reported" | "accepted" | "rejected");
            // Some of what was dispatched went to a department instead of the worker.
            let department = duty.dispatch(status);
            let handler = department.as_ref().map_or(worker, |d| d.staff.as_str());
            let assignee = (handled && department.is_none()).then_some(worker);
            let resolver = matches!(status, "resolved" | "closed").then_some(handler);
            let closed_at = matches!(status, "closed" | "rejected")
                .then(|| created + Duration::hours(rng.gen_range(1..hours * 2)));
            let updated = closed_at.unwrap_or_else(|| {
                (created + Duration::minutes(rng.gen_range(0..60 * 24))).min(w.now)
            });
            let row = [
                lit(&id),
                lit(cat),
                lit(format!("{cat_name}（{}）", &cell.code[12..])),
                lit("巡查中发现，现场已拍照记录。"),
                lit(lon),
                lit(lat),
                lit(&cell.code),
                lit(occurred),
                lit(severity),
                lit(status),
                lit(level),
                lit(due),
                lit(worker),
                lit(assignee),
                lit(resolver),
                Lit::Null,
                lit(false),
                lit(i32::from(status == "rework")),
                lit(if status == "reported" { 1 } else { 2 }),
                lit("gen"),
                lit(created),
                lit(updated),
                lit(closed_at),
                lit(department.as_ref().map(|d| d.department.as_str())),
            ];
            ins[0].row(&row);
            let dispatch_data = department
                .as_ref()
                .map(|d| format!("{{\"department_id\":\"{}\"}}", d.department));
            ins[1].row(&[
                lit(uuid(rng)),
                lit(&id),
                lit(created),
                lit(worker),
                lit("report"),
                Lit::Null,
                lit("reported"),
                Lit::Null,
                lit(false),
                Lit::Null,
            ]);
            if status != "reported" {
                let action = match status {
                    "accepted" => "accept",
                    "rejected" => "reject",
                    "dispatched" => "dispatch",
                    "in_progress" => "start",
                    "resolved" => "resolve",
                    "closed" => "verify",
                    _ => "rework",
                };
                // A department's staff take its steps; the dispatch to it names it.
                let actor = match action {
                    "start" | "resolve" => handler,
                    _ => worker,
                };
                let last_is_dispatch = action == "dispatch";
                ins[1].row(&[
                    lit(uuid(rng)),
                    lit(&id),
                    lit(updated),
                    lit(actor),
                    lit(action),
                    Lit::Null,
                    lit(status),
                    Lit::Null,
                    lit(false),
                    lit(dispatch_data.as_deref().filter(|_| last_is_dispatch)),
                ]);
                if let (Some(d), false) = (&department, last_is_dispatch) {
                    ins[1].row(&[
                        lit(&d.step_id),
                        lit(&id),
                        lit((created + Duration::hours(1)).min(updated)),
                        lit(w.community_sup(&cell.code)),
                        lit("dispatch"),
                        lit("accepted"),
                        lit("dispatched"),
                        Lit::Null,
                        lit(false),
                        lit(dispatch_data.as_deref()),
                    ]);
                }
            }
            Ok(())
        },
    )
}

/// Special-population persons with visit histories over the last half year.
fn write_persons(
    c: &mut DbConn,
    rng: &mut StdRng,
    w: &World,
    keyring: &Keyring,
    n: u64,
) -> anyhow::Result<()> {
    let pcat = cumulate(PERSON_CATEGORIES.iter().map(|c| c.1));
    let mut person_ins = Inserter::new(Table::Persons);
    let mut visit_ins = Inserter::new(Table::Visits);
    chunked(
        c,
        n,
        "persons",
        &mut [&mut person_ins, &mut visit_ins],
        |_, ins| {
            let id = uuid(rng);
            let (lon, lat, cell) = w.settlements.place(rng, w.grid);
            let category = PERSON_CATEGORIES[pick(rng, &pcat)].0;
            let (risk, days) = match rng.gen_range(0..100) {
                0..15 => ("high", 7),
                15..50 => ("medium", 14),
                _ => ("low", 30),
            };
            let worker = w.worker_of(&cell.code);
            let registered = w.now - Duration::days(rng.gen_range(30..1500));
            let id_number = identity_number(rng);
            let address = format!(
                "{}{}号",
                place_name(rng.gen_range(0..120), "路"),
                rng.gen_range(1..300)
            );
            // Visits from half a year ago (or registration) at about the interval; a few late.
            let mut t = registered.max(w.now - Duration::days(180));
            let (mut last_visit, mut last_outcome, mut last_met) = (None, None, None);
            let mut due = t + Duration::days(days);
            loop {
                let late = rng.gen_range(0..100) < 12;
                let next = due - Duration::days(rng.gen_range(0..3))
                    + Duration::days(if late { rng.gen_range(1..10) } else { 0 });
                if next >= w.now {
                    break;
                }
                t = next;
                let outcome = match rng.gen_range(0..100) {
                    0..85 => "met",
                    85..95 => "not_home",
                    _ => "refused",
                };
                let met = outcome == "met";
                let distance = rng.gen_range(0.0..120.0_f64).round();
                ins[1].row(&[
                    lit(uuid(rng)),
                    lit(&id),
                    lit(worker),
                    lit(t),
                    lit(lon),
                    lit(lat),
                    lit(outcome),
                    lit("走访正常，情绪稳定。"),
                    Lit::Null,
                    lit(distance),
                    lit(false),
                    lit(met.then_some(due)),
                    lit(met.then_some(t <= due)),
                    lit("gen"),
                    lit(t),
                ]);
                last_visit = Some(t);
                last_outcome = Some(outcome);
                if met {
                    last_met = Some(t);
                    due = t + Duration::days(days);
                }
            }
            let next_due = last_met.unwrap_or(registered) + Duration::days(days);
            ins[0].row(&[
                lit(&id),
                lit(category),
                lit(keyring.encrypt(&chinese_name(rng), &format!("person:{id}:name"))),
                lit(keyring.encrypt(&id_number, &format!("person:{id}:id_number"))),
                lit(gridwork_shared::person::mask_id_number(&id_number)),
                lit(keyring.encrypt(&address, &format!("person:{id}:address"))),
                lit(lon),
                lit(lat),
                lit(&cell.code),
                lit(risk),
                lit(worker),
                lit(true),
                lit(last_visit),
                lit(last_outcome),
                lit(last_met),
                lit(next_due),
                lit(1_i64),
                lit("gen"),
                lit(w.community_sup(&cell.code)),
                lit(registered),
                lit(last_visit.unwrap_or(registered)),
            ]);
            Ok(())
        },
    )
}

/// Safety units, inspected a few times a year; one in ten has an open hazard.
fn write_units(c: &mut DbConn, rng: &mut StdRng, w: &World, n: u64) -> anyhow::Result<()> {
    let kinds = cumulate(UNIT_KINDS.iter().map(|k| k.1));
    let mut unit_ins = Inserter::new(Table::SafetyUnits);
    let mut insp_ins = Inserter::new(Table::Inspections);
    let mut hazard_ins = Inserter::new(Table::Hazards);
    chunked(
        c,
        n,
        "units",
        &mut [&mut unit_ins, &mut insp_ins, &mut hazard_ins],
        |k, ins| {
            let id = uuid(rng);
            let (lon, lat, cell) = w.settlements.place(rng, w.grid);
            let kind = UNIT_KINDS[pick(rng, &kinds)].0;
            let worker = w.worker_of(&cell.code);
            let created = w.now - Duration::days(rng.gen_range(60..900));
            let inspections = rng.gen_range(0..5);
            let mut t = w.now - Duration::days(365).min(w.now - created);
            let mut last = None;
            let (mut open, mut earliest) = (0, None);
            for n in 0..inspections {
                t += Duration::days(rng.gen_range(20..90));
                if t >= w.now {
                    break;
                }
                let hazard = n + 1 == inspections && rng.gen_range(0..10) == 0;
                let insp = uuid(rng);
                ins[1].row(&[
                    lit(&insp),
                    lit(&id),
                    lit(worker),
                    lit(t),
                    lit(lon),
                    lit(lat),
                    lit(if hazard { "hazard" } else { "safe" }),
                    lit(if hazard {
                        "发现隐患，已告知整改。"
                    } else {
                        "检查正常。"
                    }),
                    lit("gen"),
                    lit(t),
                ]);
                if hazard {
                    let deadline = t + Duration::days(rng.gen_range(3..30));
                    ins[2].row(&[
                        lit(uuid(rng)),
                        lit(&id),
                        lit(&insp),
                        lit("消防通道堵塞"),
                        lit(deadline),
                        Lit::Null,
                        Lit::Null,
                    ]);
                    open = 1;
                    earliest = Some(deadline);
                }
                last = Some(t);
            }
            let (cert, cert_at, cert_by) = match rng.gen_range(0..100) {
                0..20 if last.is_some() && open == 0 => {
                    ("town", last, Some(town_supervisor(&cell.code)))
                }
                20..25 if last.is_some() && open == 0 => {
                    ("district", last, Some(format!("sup-{}", &cell.code[..6])))
                }
                _ => ("none", None, None),
            };
            let cert_by = cert_by.map(|u| w.user_ids[u.as_str()]);
            ins[0].row(&[
                lit(&id),
                lit(kind),
                lit(format!(
                    "{}{}",
                    place_name(k as usize, ""),
                    match kind {
                        "shop" => "商店",
                        "enterprise" => "公司",
                        "school" => "学校",
                        "hospital" => "卫生院",
                        "market" => "市场",
                        "construction_site" => "工地",
                        _ => "住户",
                    }
                )),
                lit(format!(
                    "{}{}号",
                    place_name(rng.gen_range(0..120), "路"),
                    rng.gen_range(1..300)
                )),
                lit(lon),
                lit(lat),
                lit(&cell.code),
                lit(cert),
                lit(cert_at),
                lit(cert_by),
                lit(last),
                lit(open),
                lit(earliest),
                lit(1_i64),
                lit("gen"),
                lit(w.community_sup(&cell.code)),
                lit(created),
                lit(last.unwrap_or(created)),
            ]);
            Ok(())
        },
    )
}

/// Volunteer teams over the communities (every seventh a town's), each with its
/// community's cells as its zone, its community's (or town's) supervisor as leader, about
/// `volunteers / teams` members, two patrols a week on average over the last year, and
/// reports of its members (most accepted, some rejected). Returns the manifest's teams.
fn write_teams(
    c: &mut DbConn,
    opts: &Options,
    cells: &[GenCell],
    w: &World,
) -> anyhow::Result<Vec<ManifestTeam>> {
    let scale = opts.scale;
    if scale.teams == 0 {
        return Ok(Vec::new());
    }
    let rng = &mut StdRng::seed_from_u64(opts.seed ^ 0x7EA5_7EA5);
    let now = w.now;
    let since = now - Duration::days(400);
    let mut communities: Vec<&str> = cells.iter().map(|c| c.community_code.as_str()).collect();
    communities.sort_unstable();
    communities.dedup();
    let mut zone_of: HashMap<&str, Vec<&GenCell>> = HashMap::new();
    for cell in cells {
        zone_of
            .entry(cell.community_code.as_str())
            .or_default()
            .push(cell);
    }
    const KINDS: [(&str, &str); 4] = [
        ("safety_sisters", "平安大嫂"),
        ("red_armband", "红袖标"),
        ("neighbour_help", "乡亲帮帮队"),
        ("other", "志愿服务队"),
    ];
    // (id, community, region, kind)
    let teams: Vec<(String, &str, String, usize)> = (0..scale.teams)
        .map(|t| {
            let community = communities[t % communities.len()];
            let region = if t % 7 == 6 {
                community[..9].to_string()
            } else {
                community.to_string()
            };
            (uuid(rng), community, region, t % KINDS.len())
        })
        .collect();
    let mut team_ins = Inserter::new(Table::Teams);
    let mut cell_ins = Inserter::new(Table::TeamCells);
    chunked(
        c,
        teams.len() as u64,
        "teams",
        &mut [&mut team_ins, &mut cell_ins],
        |k, ins| {
            let (id, community, region, kind) = &teams[k as usize];
            let leader = w.user_ids[format!("sup-{region}").as_str()];
            ins[0].row(&[
                lit(id),
                lit(format!(
                    "{}{}第{}队",
                    &community[6..],
                    KINDS[*kind].1,
                    k + 1
                )),
                lit(KINDS[*kind].0),
                lit(region),
                lit(leader),
                lit(true),
                lit(1i64),
                lit("gen"),
                lit(w.user_ids[w.people.admin.as_str()]),
                lit(since),
                lit(since),
            ]);
            for cell in &zone_of[community] {
                ins[1].row(&[lit(id), lit(&cell.code)]);
            }
            Ok(())
        },
    )?;
    // Volunteer v is a member of team v mod teams, living in its community.
    let members: Vec<(String, usize)> = (0..scale.volunteers)
        .map(|v| (uuid(rng), v % teams.len()))
        .collect();
    let hash = crate::core::password::hash(PASSWORD)?;
    let mut user_ins = Inserter::new(Table::Users);
    let mut member_ins = Inserter::new(Table::TeamMembers);
    chunked(
        c,
        members.len() as u64,
        "volunteers",
        &mut [&mut user_ins, &mut member_ins],
        |k, ins| {
            let (id, team) = &members[k as usize];
            let name = chinese_name(rng);
            ins[0].row(&[
                lit(id),
                lit(format!("tv{:06}", k + 1)),
                lit(&hash),
                lit("volunteer"),
                lit(teams[*team].1),
                lit(&name),
                lit(true),
                lit(since),
                lit(since),
            ]);
            ins[1].row(&[lit(&teams[*team].0), lit(id), lit(since), lit(true)]);
            Ok(())
        },
    )?;
    let mut by_team: Vec<Vec<&str>> = vec![Vec::new(); teams.len()];
    for (id, team) in &members {
        by_team[*team].push(id);
    }
    // Two patrols a week on average, in the daytime (China Standard Time), of 30 minutes
    // to four hours, two to five members each; one in ten keeps a short route.
    let mut patrol_ins = Inserter::new(Table::Patrols);
    let mut pm_ins = Inserter::new(Table::PatrolMembers);
    chunked(
        c,
        teams.len() as u64,
        "patrols",
        &mut [&mut patrol_ins, &mut pm_ins],
        |k, ins| {
            let crew = &by_team[k as usize];
            if crew.is_empty() {
                return Ok(());
            }
            let zone = &zone_of[teams[k as usize].1];
            for day in 1..=365 {
                if rng.r#gen::<f64>() >= 2.0 / 7.0 {
                    continue;
                }
                let local_start = rng.gen_range(8..20) * 60 + rng.gen_range(0..60);
                let started = (now - Duration::days(day))
                    .date()
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    + Duration::minutes(local_start - 8 * 60);
                let minutes: i64 = rng.gen_range(30..=240);
                let ended = started + Duration::minutes(minutes);
                let id = uuid(rng);
                let route = (rng.gen_range(0..10) == 0).then(|| {
                    let fixes: Vec<String> = (0..30)
                        .map(|i| {
                            let (x, y) = zone[i % zone.len()].centre();
                            format!("[{},{}]", round6(x), round6(y))
                        })
                        .collect();
                    format!(
                        "{{\"type\":\"LineString\",\"coordinates\":[{}]}}",
                        fixes.join(",")
                    )
                });
                let n = rng.gen_range(2..=5).min(crew.len());
                let first = rng.gen_range(0..crew.len());
                ins[0].row(&[
                    lit(&id),
                    lit(&teams[k as usize].0),
                    lit(started),
                    lit(ended),
                    lit(minutes * 60),
                    lit(route),
                    lit("沿街巡查"),
                    lit(crew[first]),
                    lit("gen"),
                    lit(ended),
                ]);
                for j in 0..n {
                    ins[1].row(&[lit(&id), lit(crew[(first + j) % crew.len()])]);
                }
            }
            Ok(())
        },
    )?;
    // Members' reports over the last year: 0 to 4 each; 75 % accepted and closed since,
    // 15 % rejected, the rest still waiting.
    let mut inc_ins = Inserter::new(Table::Incidents);
    let mut hist_ins = Inserter::new(Table::IncidentHistory);
    chunked(
        c,
        members.len() as u64,
        "reports",
        &mut [&mut inc_ins, &mut hist_ins],
        |k, ins| {
            let (reporter, team) = &members[k as usize];
            let zone = &zone_of[teams[*team].1];
            for _ in 0..rng.gen_range(0..=4) {
                let cell = zone[rng.gen_range(0..zone.len())];
                let (x, y) = cell.centre();
                let created = now - Duration::minutes(rng.gen_range(60..365 * 24 * 60));
                let roll = rng.gen_range(0..100);
                let status = match roll {
                    0..75 => "closed",
                    75..90 => "rejected",
                    _ => "reported",
                };
                let worker = w.worker_of(&cell.code);
                let closed_at = (status != "reported").then(|| created + Duration::hours(30));
                let id = uuid(rng);
                ins[0].row(&[
                    lit(&id),
                    lit("0301"),
                    lit(format!("巡逻发现可疑情况（{}）", &cell.code[12..])),
                    lit("群防群治队员上报。"),
                    lit(round6(x + (rng.r#gen::<f64>() - 0.5) * STEP * 0.5)),
                    lit(round6(y + (rng.r#gen::<f64>() - 0.5) * STEP * 0.5)),
                    lit(&cell.code),
                    lit(created - Duration::minutes(20)),
                    lit("low"),
                    lit(status),
                    lit("community"),
                    lit(created + Duration::hours(72)),
                    lit(reporter),
                    lit((status == "closed").then_some(worker)),
                    lit((status == "closed").then_some(worker)),
                    Lit::Null,
                    lit(false),
                    lit(0),
                    lit(match status {
                        "closed" => 3,
                        "rejected" => 2,
                        _ => 1,
                    }),
                    lit("gen"),
                    lit(created),
                    lit(closed_at.unwrap_or(created)),
                    lit(closed_at),
                    Lit::Null,
                ]);
                let sup = w.community_sup(&cell.code);
                let mut step = |at, actor: &str, action: &str, from: Option<&str>, to: &str| {
                    ins[1].row(&[
                        lit(uuid(rng)),
                        lit(&id),
                        lit(at),
                        lit(actor),
                        lit(action),
                        lit(from),
                        lit(to),
                        Lit::Null,
                        lit(false),
                        Lit::Null,
                    ]);
                };
                step(created, reporter, "report", None, "reported");
                match status {
                    "closed" => {
                        step(
                            created + Duration::hours(1),
                            sup,
                            "accept",
                            Some("reported"),
                            "accepted",
                        );
                        step(
                            created + Duration::hours(30),
                            sup,
                            "verify",
                            Some("resolved"),
                            "closed",
                        );
                    }
                    "rejected" => step(
                        created + Duration::hours(30),
                        sup,
                        "reject",
                        Some("reported"),
                        "rejected",
                    ),
                    _ => {}
                }
            }
            Ok(())
        },
    )?;
    Ok(teams
        .iter()
        .zip(&by_team)
        .take(2_000)
        .filter_map(|((id, community, _, _), crew)| {
            let first = crew.first()?;
            let k = members.iter().position(|(m, _)| m == first)?;
            Some(ManifestTeam {
                id: id.clone(),
                town: community[..9].to_string(),
                supervisor: town_supervisor(community),
                volunteer: format!("tv{:06}", k + 1),
            })
        })
        .collect())
}

/// Deliberation items over the last two years in the communities, in every state: the
/// older an item, the further along it is.
fn write_deliberations(c: &mut DbConn, rng: &mut StdRng, w: &World, n: u64) -> anyhow::Result<()> {
    const TITLES: &[&str] = &[
        "小区停车位规划",
        "老旧楼栋加装电梯",
        "背街小巷路灯维修",
        "闲置空地改建小花园",
        "饮水管道改造",
        "垃圾分类投放点选址",
    ];
    let mut ins = Inserter::new(Table::Deliberations);
    chunked(c, n, "deliberations", &mut [&mut ins], |_, ins| {
        let id = uuid(rng);
        let (_, _, cell) = w.settlements.place(rng, w.grid);
        let community = &cell.code[..12];
        let age_days = rng.gen_range(1..730);
        let created = w.now - Duration::days(age_days);
        let status = match (age_days, rng.gen_range(0..10)) {
            (_, 0) => "declined",
            (0..14, _) => "raised",
            (14..45, _) => "accepted",
            (45..90, _) => "decided",
            (90..180, _) => "implementing",
            _ => "done",
        };
        let version = match status {
            "raised" => 1,
            "accepted" | "declined" => 2,
            "decided" => 3,
            "implementing" => 4,
            _ => 5,
        };
        let decided = matches!(status, "decided" | "implementing" | "done");
        let done = (status == "done").then(|| created + Duration::days(rng.gen_range(60..170)));
        ins[0].row(&[
            lit(&id),
            lit(community),
            lit(TITLES[rng.gen_range(0..TITLES.len())]),
            lit("居民提出，经网格员整理上报。"),
            lit(status),
            lit(decided.then_some("经议事会表决通过，按方案实施。")),
            lit(done.map(|_| "已按决议完成，结果张榜公示。")),
            lit(w.worker_of(&cell.code)),
            lit(version),
            lit("gen"),
            lit(created),
            lit(done.unwrap_or(created)),
            lit(done),
        ]);
        Ok(())
    })
}

/// This year's and last year's campaigns of every region, each award at its level, with
/// a few nominations in every state; last year's are announced.
fn write_selections(
    c: &mut DbConn,
    rng: &mut StdRng,
    w: &World,
    regions: &[GenRegion],
) -> anyhow::Result<()> {
    use chrono::Datelike;
    use gridwork_shared::selection::Award;
    let mut k_ins = Inserter::new(Table::Campaigns);
    let mut n_ins = Inserter::new(Table::Nominations);
    let jobs: Vec<(&str, Award, i64)> = regions
        .iter()
        .flat_map(|(code, level, _)| {
            Award::ALL
                .into_iter()
                .filter(move |a| a.level().as_str() == *level)
                .flat_map(move |a| [(code.as_str(), a, 0), (code.as_str(), a, 1)])
        })
        .collect();
    let admin = w.people.admin.clone();
    let admin_id = w.user_ids[admin.as_str()];
    chunked(
        c,
        jobs.len() as u64,
        "campaigns",
        &mut [&mut k_ins, &mut n_ins],
        |i, ins| {
            let (region, award, years_ago) = jobs[i as usize];
            let id = uuid(rng);
            let year = w.now.year() - years_ago as i32;
            let created = w.now - Duration::days(30 + 365 * years_ago);
            let announced = years_ago > 0;
            let quota = rng.gen_range(1..4);
            let nominees = rng.gen_range(2..7);
            let mut selected = 0;
            for n in 0..nominees {
                let status = match (announced, n % 4) {
                    (true, _) if selected < quota && n % 2 == 0 => "selected",
                    (true, _) => "declined",
                    (false, 0) => "nominated",
                    (false, 1) => "shortlisted",
                    (false, 2) if selected < quota => "selected",
                    _ => "declined",
                };
                if status == "selected" {
                    selected += 1;
                }
                let version = match status {
                    "nominated" => 1,
                    "shortlisted" => 2,
                    _ => 3,
                };
                let at = created + Duration::days(rng.gen_range(1..20));
                ins[1].row(&[
                    lit(uuid(rng)),
                    lit(&id),
                    lit(chinese_name(rng)),
                    lit(region),
                    lit("热心公益，邻里称道。"),
                    lit(status),
                    lit(admin_id),
                    lit(version),
                    lit("gen"),
                    lit(at),
                    lit(at),
                ]);
            }
            ins[0].row(&[
                lit(&id),
                lit(award.as_str()),
                lit(award.level().as_str()),
                lit(region),
                lit(i64::from(year)),
                lit(quota),
                lit(selected),
                lit(created + Duration::days(60)),
                lit(if announced { "announced" } else { "open" }),
                lit(admin_id),
                lit(if announced { 3 } else { 1 }),
                lit("gen"),
                lit(created),
                lit(created),
            ]);
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_is_valid_and_holds_its_centre() {
        use geo::algorithm::Validation;
        for c in lattice(150, 2) {
            assert!(c.shape.is_valid(), "{} is not a valid polygon", c.code);
        }
        let cells = lattice(55, 1);
        let grid = index(&cells);
        for c in &cells {
            let n = c.shape.0[0].exterior().0.len() - 1;
            assert!((20..=60).contains(&n), "{} has {n} vertices", c.code);
            assert!(
                c.shape.is_valid(),
                "{} is not a valid polygon: {:?}",
                c.code,
                c.shape.check_validation()
            );
            let (x, y) = c.centre();
            assert_eq!(
                grid.locate(x, y).map(|h| h.code.as_str()),
                Some(c.code.as_str())
            );
        }
    }
}
