//! `cargo xtask bench`: every benchmark in one run, printed as the tables of BENCHMARKS.md.
//!
//! 1. Point → cell in process (criterion, `server/benches/locate.rs`).
//! 2. PostGIS `ST_Contains` with a GiST index on the very same cells (installed from Debian's
//!    packages when missing): per lookup inside the database (a batch join) and per query
//!    from a client (pgbench, prepared statements).
//! 3. The HTTP API on each engine against `gridwork synth` data with 10 k and 1 M
//!    incidents: the release server pinned to core 0, `gridwork-load` pinned to core 1,
//!    requests/s (= per core), p50/p99, errors, and the server's peak memory; plus the bare
//!    handler (`server/examples/bare.rs`) doing the incident list's query with no auth.
//!
//! Generated datasets are kept under `$CARGO_TARGET_DIR/bench` (SQLite files, PostgreSQL
//! template databases) and each run starts from a pristine copy, so a rerun skips the
//! generation. Options: `--quick` (10 k incidents only, short runs), `--engines sqlite,postgres`,
//! `--sizes 10000,1000000`, `--duration SECS`, `--clients N`, `--no-postgis`, `--no-criterion`,
//! `--scenarios map,record` (some of the HTTP scenarios only).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::server::Server;
use crate::{cargo, ok, output, root, run, target_dir};

const PG: &str = "postgres://postgres@127.0.0.1:5432";

struct Opts {
    engines: Vec<String>,
    sizes: Vec<u64>,
    duration: f64,
    warmup: f64,
    clients: usize,
    postgis: bool,
    criterion: bool,
    /// The HTTP scenarios to run, in this order (reads first, writes last).
    scenarios: Vec<String>,
}

/// Every HTTP scenario: reads first, then logins, then writes (which change the data).
const SCENARIOS: &[&str] = &[
    "locate", "map", "list", "pull", "team", "teams", "halls", "honours", "board", "record",
    "login", "create",
];

fn opts(args: &[String]) -> anyhow::Result<Opts> {
    let mut o = Opts {
        engines: vec!["sqlite".into(), "postgres".into()],
        sizes: vec![10_000, 1_000_000],
        duration: 10.0,
        warmup: 3.0,
        clients: 200,
        postgis: true,
        criterion: true,
        scenarios: SCENARIOS.iter().map(|s| s.to_string()).collect(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().context("a value is missing");
        match a.as_str() {
            "--quick" => {
                o.sizes = vec![10_000];
                o.duration = 4.0;
                o.warmup = 1.0;
            }
            "--engines" => o.engines = value()?.split(',').map(str::to_string).collect(),
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(|s| s.parse())
                    .collect::<Result<_, _>>()?
            }
            "--duration" => o.duration = value()?.parse()?,
            "--clients" => o.clients = value()?.parse()?,
            "--no-postgis" => o.postgis = false,
            "--no-criterion" => o.criterion = false,
            "--scenarios" => {
                let wanted: Vec<String> = value()?.split(',').map(str::to_string).collect();
                if let Some(w) = wanted.iter().find(|w| !SCENARIOS.contains(&w.as_str())) {
                    bail!(
                        "unknown scenario {w}; the scenarios are {}",
                        SCENARIOS.join(", ")
                    );
                }
                // Kept in the harness's order, whatever order they were named in.
                o.scenarios = SCENARIOS
                    .iter()
                    .filter(|s| wanted.iter().any(|w| w == *s))
                    .map(|s| s.to_string())
                    .collect();
            }
            other => bail!("unknown option {other}"),
        }
    }
    Ok(o)
}

/// psql on the local server, stopping at the first error.
fn psql_cmd(db: &str) -> Command {
    let mut c = Command::new("psql");
    c.args([
        "-X",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        db,
    ]);
    c
}

fn psql(db: &str, sql: &str) -> anyhow::Result<String> {
    output(psql_cmd(db).args(["-q", "-c", sql]))
}

fn pg_database_exists(name: &str) -> anyhow::Result<bool> {
    let out = psql(
        "postgres",
        &format!("SELECT 'yes' FROM pg_database WHERE datname = '{name}'"),
    )?;
    Ok(out.contains("yes"))
}

/// A short fingerprint of the generator's source: a changed generator means new datasets.
fn generator_version() -> anyhow::Result<String> {
    let src = std::fs::read(root().join("server/src/tools/synth.rs"))?;
    Ok(crate::short_hash(&src))
}

struct Paths {
    gridwork: PathBuf,
    bare: PathBuf,
    load: PathBuf,
    work: PathBuf,
}

impl Paths {
    fn data_dir(&self) -> PathBuf {
        self.work.join("keys")
    }
}

/// `gridwork synth` into `url`, manifest to `manifest`.
fn synth(p: &Paths, url: &str, args: &[&str], manifest: &Path) -> anyhow::Result<()> {
    run(Command::new(&p.gridwork)
        .arg("synth")
        .args(args)
        .arg("--manifest")
        .arg(manifest)
        .env("GRIDWORK_DATABASE_URL", url)
        .env("GRIDWORK_DATA_DIR", p.data_dir())
        .env("RUST_LOG", "warn"))
}

/// A fresh database for one run, copied from the pristine generated one (generated first
/// when missing). Returns its URL and the manifest path.
fn fresh_database(p: &Paths, engine: &str, incidents: u64) -> anyhow::Result<(String, PathBuf)> {
    let version = generator_version()?;
    let key = format!("{engine}_{incidents}_{version}");
    let manifest = p.work.join(format!("manifest_{key}.json"));
    match engine {
        "sqlite" => {
            let pristine = p.work.join(format!("pristine_{key}.db"));
            if !pristine.exists() || !manifest.exists() {
                let tmp = p.work.join("generating.db");
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
                }
                let url = format!("sqlite://{}", tmp.display());
                synth(p, &url, &["--incidents", &incidents.to_string()], &manifest)?;
                // The generator's last connection folded the write-ahead log into the file
                // when it closed.
                if Path::new(&format!("{}-wal", tmp.display())).exists() {
                    bail!("{} still has a write-ahead log", tmp.display());
                }
                std::fs::rename(&tmp, &pristine)?;
            }
            let run_db = p.work.join("run.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", run_db.display()));
            }
            std::fs::copy(&pristine, &run_db)?;
            Ok((format!("sqlite://{}", run_db.display()), manifest))
        }
        "postgres" => {
            let pristine = format!("gwbench_{key}");
            if !pg_database_exists(&pristine)? || !manifest.exists() {
                psql("postgres", &format!("DROP DATABASE IF EXISTS {pristine}"))?;
                psql("postgres", "DROP DATABASE IF EXISTS gwbench_generating")?;
                psql("postgres", "CREATE DATABASE gwbench_generating")?;
                synth(
                    p,
                    &format!("{PG}/gwbench_generating"),
                    &["--incidents", &incidents.to_string()],
                    &manifest,
                )?;
                psql(
                    "postgres",
                    &format!("ALTER DATABASE gwbench_generating RENAME TO {pristine}"),
                )?;
            }
            psql("postgres", "DROP DATABASE IF EXISTS gwbench_run")?;
            psql(
                "postgres",
                &format!("CREATE DATABASE gwbench_run TEMPLATE {pristine}"),
            )?;
            // Fresh statistics and visibility map, as a database in service has (index-only
            // scans need the latter).
            psql("gwbench_run", "VACUUM ANALYZE")?;
            Ok((format!("{PG}/gwbench_run"), manifest))
        }
        other => bail!("unknown engine {other}"),
    }
}

fn pinned(core: &str, program: &Path) -> Command {
    let mut c = Command::new("taskset");
    c.args(["-c", core]).arg(program);
    c
}

#[derive(Debug, Clone)]
struct LoadResult {
    scenario: String,
    clients: u64,
    rps: f64,
    p50: f64,
    p99: f64,
    errors: u64,
    /// p50 and p99 with [`OFFERED`] requests/s offered on a fixed schedule (reads only).
    at_offered: Option<(f64, f64)>,
}

/// The load at which the read goal is judged: 1,000 requests/s from 200 clients.
const OFFERED: f64 = 1000.0;

fn is_read(scenario: &str) -> bool {
    matches!(
        scenario,
        "locate"
            | "map"
            | "list"
            | "pull"
            | "team"
            | "teams"
            | "halls"
            | "honours"
            | "board"
            | "record"
            | "bare"
    )
}

fn load(
    p: &Paths,
    o: &Opts,
    base: &str,
    manifest: &Path,
    scenario: &str,
) -> anyhow::Result<LoadResult> {
    let mut r = load_once(p, o, base, manifest, scenario, None)?;
    // Offering more than the server can do only measures its queue: skip it then.
    if is_read(scenario) && r.rps >= OFFERED {
        let open = load_once(p, o, base, manifest, scenario, Some(OFFERED))?;
        r.at_offered = Some((open.p50, open.p99));
        r.errors += open.errors;
    }
    Ok(r)
}

fn load_once(
    p: &Paths,
    o: &Opts,
    base: &str,
    manifest: &Path,
    scenario: &str,
    rate: Option<f64>,
) -> anyhow::Result<LoadResult> {
    // Logins are argon2id-bound on purpose: a handful of clients saturate the core.
    // So is a town's performance record (a year of its figures): more clients would only
    // queue behind one another.
    let clients = if matches!(scenario, "login" | "record") {
        8
    } else {
        o.clients
    };
    let out = output(
        pinned("1", &p.load)
            .args(["--base", base, "--scenario", scenario])
            .arg("--manifest")
            .arg(manifest)
            .args(["--clients", &clients.to_string()])
            .args(["--duration", &o.duration.to_string()])
            .args(["--warmup", &o.warmup.to_string()])
            .args(
                rate.map(|r| ["--rate".to_string(), r.to_string()])
                    .into_iter()
                    .flatten(),
            ),
    )?;
    let v: serde_json::Value = serde_json::from_str(out.trim())
        .with_context(|| format!("gridwork-load printed {out:?}"))?;
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let r = LoadResult {
        scenario: scenario.into(),
        clients: clients as u64,
        rps: f("rps"),
        p50: f("p50_ms"),
        p99: f("p99_ms"),
        errors: v["errors"].as_u64().unwrap_or(0),
        at_offered: None,
    };
    let mode = rate.map_or("most".to_string(), |r| format!("at {r:.0}/s"));
    eprintln!(
        "  {scenario:<7} {mode:<10} {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
        r.rps, r.p50, r.p99, r.errors
    );
    Ok(r)
}

struct EngineRun {
    engine: String,
    incidents: u64,
    results: Vec<LoadResult>,
    peak_mib: f64,
    /// Of which, at the end, pages of the memory-mapped database file.
    mapped_mib: f64,
}

fn http_runs(p: &Paths, o: &Opts) -> anyhow::Result<Vec<EngineRun>> {
    let mut runs = Vec::new();
    for engine in &o.engines {
        for &incidents in &o.sizes {
            eprintln!("== {engine}, {incidents} incidents");
            let (url, manifest) = fresh_database(p, engine, incidents)?;
            let mut results = Vec::new();
            let (peak_mib, mapped_mib);
            // The bare handler first, on the same untouched data the list will see (the
            // writes come last).
            let bare = {
                let mut cmd = pinned("0", &p.bare);
                cmd.env("GRIDWORK_DATABASE_URL", &url)
                    .env("GRIDWORK_BIND", "127.0.0.1:0");
                let bare = Server::start(&mut cmd, &p.work.join("bare.log"))?;
                load(p, o, &bare.base, &manifest, "bare")?
            };
            {
                let mut cmd = pinned("0", &p.gridwork);
                cmd.arg("serve")
                    .env("GRIDWORK_DATABASE_URL", &url)
                    .env("GRIDWORK_BIND", "127.0.0.1:0")
                    .env("GRIDWORK_WORKERS", "1")
                    // A few dozen clients stand for thousands of users: lift the per-user
                    // write limit, which would otherwise be what the write scenario measures.
                    .env("GRIDWORK_WRITE_LIMIT", "1000000000/1000000000")
                    .env("GRIDWORK_DB_POOL_SIZE", "8")
                    .env("GRIDWORK_DATA_DIR", p.data_dir())
                    .env("GRIDWORK_WEB_DIR", p.work.join("no-web"))
                    .env("RUST_LOG", "warn");
                let server = Server::start(&mut cmd, &p.work.join("server.log"))?;
                server.wait_ready()?;
                for scenario in &o.scenarios {
                    results.push(load(p, o, &server.base, &manifest, scenario)?);
                }
                peak_mib = server.memory_mib("VmHWM");
                mapped_mib = server.memory_mib("RssFile");
                eprintln!("  peak memory {peak_mib:.0} MiB ({mapped_mib:.0} MiB file-backed)");
            }
            results.push(bare);
            runs.push(EngineRun {
                engine: engine.clone(),
                incidents,
                results,
                peak_mib,
                mapped_mib,
            });
        }
    }
    Ok(runs)
}

/// Criterion's medians (ns) by benchmark name.
fn criterion_runs() -> anyhow::Result<Vec<(String, f64)>> {
    let out = output(
        cargo()
            .args([
                "bench",
                "-p",
                "gridwork-server",
                "--bench",
                "locate",
                "--",
                "--output-format",
                "bencher",
            ])
            .current_dir(root()),
    )?;
    // "test locate/district_3k_cells ... bench:         512 ns/iter (+/- 3)"
    let mut r = Vec::new();
    for line in out.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("test") {
            continue;
        }
        let name = words.next().unwrap_or_default().to_string();
        let ns = line
            .split("bench:")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .map(|s| s.replace(',', ""))
            .and_then(|s| s.parse::<f64>().ok());
        if let Some(ns) = ns {
            eprintln!("  {name}: {ns} ns");
            r.push((name, ns));
        }
    }
    Ok(r)
}

fn ensure_postgis() -> anyhow::Result<()> {
    let have = std::fs::read_dir("/usr/share/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|d| d.path().join("extension/postgis.control").exists());
    if have {
        return Ok(());
    }
    let version = std::fs::read_dir("/etc/postgresql")
        .context("PostgreSQL is not installed the Debian way")?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .next()
        .context("no PostgreSQL cluster")?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .arg(format!("postgresql-{version}-postgis-3"))
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

struct PostgisRun {
    label: &'static str,
    cells: u64,
    batch_us: f64,
    query_us: f64,
    query_tps: f64,
}

/// PostGIS on the same cells as the criterion bench: a GiST index, then 100,000 random
/// points located inside the database (per-lookup cost), and pgbench running the one-point
/// query from a client for `duration` seconds.
fn postgis_runs(p: &Paths, o: &Opts) -> anyhow::Result<Vec<PostgisRun>> {
    ensure_postgis()?;
    let version = generator_version()?;
    let mut runs = Vec::new();
    for (label, scale, side) in [
        ("district_3k_cells", "district", 55.0),
        ("province_100k_cells", "province", 317.0),
    ] {
        let db = format!("gwbench_postgis_{scale}_{version}");
        if !pg_database_exists(&db)? {
            psql("postgres", "DROP DATABASE IF EXISTS gwbench_generating")?;
            psql("postgres", "CREATE DATABASE gwbench_generating")?;
            synth(
                p,
                &format!("{PG}/gwbench_generating"),
                &["--scale", scale, "--cells-only"],
                &p.work.join(format!("manifest_postgis_{scale}.json")),
            )?;
            psql(
                "gwbench_generating",
                "CREATE EXTENSION IF NOT EXISTS postgis; \
                 ALTER TABLE cells ADD COLUMN geom geometry(MultiPolygon, 4326); \
                 UPDATE cells SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)); \
                 CREATE INDEX cells_geom ON cells USING gist (geom);",
            )?;
            psql("gwbench_generating", "VACUUM ANALYZE cells")?;
            psql(
                "postgres",
                &format!("ALTER DATABASE gwbench_generating RENAME TO {db}"),
            )?;
        }
        let span = side * 0.005;
        let cells: u64 =
            output(psql_cmd(&db).args(["-t", "-A", "-c", "SELECT count(*) FROM cells"]))?
                .trim()
                .parse()?;
        // In the database: the best case for PostGIS (no round trips).
        let n = 100_000;
        let sql = format!(
            "CREATE TEMP TABLE pts AS SELECT ST_SetSRID(ST_MakePoint(106.0 + random() * {span}, \
             30.4 - random() * {span}), 4326) AS g FROM generate_series(1, {n});\n\
             SELECT count(*) FROM pts p CROSS JOIN LATERAL (SELECT code FROM cells c \
             WHERE c.valid_to IS NULL AND ST_Contains(c.geom, p.g) ORDER BY code LIMIT 1) x;\n\
             \\timing on\n\
             SELECT count(*) FROM pts p CROSS JOIN LATERAL (SELECT code FROM cells c \
             WHERE c.valid_to IS NULL AND ST_Contains(c.geom, p.g) ORDER BY code LIMIT 1) x;"
        );
        let script = p.work.join("postgis.sql");
        std::fs::write(&script, sql)?;
        let out = output(psql_cmd(&db).arg("-f").arg(&script))?;
        let ms = out
            .lines()
            .rev()
            .filter_map(|l| l.strip_prefix("Time: "))
            .find_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
            .context("psql printed no timing")?;
        let batch_us = ms * 1000.0 / n as f64;
        // From a client, one point per query (prepared), one connection.
        let bench = p.work.join("postgis-pgbench.sql");
        std::fs::write(
            &bench,
            format!(
                "\\set x random(0, 1000000)\n\\set y random(0, 1000000)\n\
                 SELECT code FROM cells WHERE valid_to IS NULL AND ST_Contains(geom, \
                 ST_SetSRID(ST_MakePoint(106.0 + :x * {span} / 1000000.0, \
                 30.4 - :y * {span} / 1000000.0), 4326)) ORDER BY code LIMIT 1;\n"
            ),
        )?;
        let pgbench = pg_tool("pgbench")?;
        let out = output(
            pinned("1", &pgbench)
                .args(["-n", "-h", "127.0.0.1", "-U", "postgres", "-M", "prepared"])
                .args(["-c", "1", "-j", "1", "-T"])
                .arg(format!("{}", o.duration.max(1.0) as u64))
                .arg("-f")
                .arg(&bench)
                .arg(&db),
        )?;
        let find = |prefix: &str| -> f64 {
            out.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .and_then(|l| l.split_whitespace().next()?.parse().ok())
                .unwrap_or(f64::NAN)
        };
        let query_us = find("latency average = ") * 1000.0;
        let query_tps = find("tps = ");
        eprintln!(
            "  PostGIS {label}: {batch_us:.2} µs per lookup in the database, {query_us:.1} µs per query from a client"
        );
        runs.push(PostgisRun {
            label,
            cells,
            batch_us,
            query_us,
            query_tps,
        });
    }
    Ok(runs)
}

/// A PostgreSQL tool from the Debian layout (not always on PATH).
fn pg_tool(name: &str) -> anyhow::Result<PathBuf> {
    if ok(Command::new("which").arg(name)) {
        return Ok(PathBuf::from(name));
    }
    std::fs::read_dir("/usr/lib/postgresql")?
        .flatten()
        .map(|d| d.path().join("bin").join(name))
        .find(|p| p.exists())
        .with_context(|| format!("{name} not found"))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    format!("{cores} cores ({cpu}), {mem:.0} GiB")
}

fn goal(scenario: &str, engine: &str) -> Option<(f64, &'static str)> {
    match (scenario, engine) {
        ("create", "sqlite") => Some((1250.0, "≥ 1,250/s")),
        ("create", _) => Some((500.0, "≥ 500/s")),
        ("locate" | "map" | "list" | "pull", _) => {
            Some((OFFERED, "≥ 1,000/s; p99 < 50 ms at 1,000/s"))
        }
        // "A town's record must be computed in well under a second with a million incidents."
        ("record", _) => Some((2.0, "≤ 0.5 s each (≥ 2/s per core)")),
        _ => None,
    }
}

fn report(o: &Opts, crit: &[(String, f64)], postgis: &[PostgisRun], runs: &[EngineRun]) -> String {
    let mut s = String::new();
    let date = output(Command::new("date").args(["-u", "+%Y-%m-%d"]))
        .unwrap_or_default()
        .trim()
        .to_string();
    s += &format!("Machine: {}. Date: {date}.\n\n", machine());
    if !crit.is_empty() || !postgis.is_empty() {
        s += "### Point → cell: in process against PostGIS on the same cells\n\n";
        s += "| cells | in process (criterion median) | PostGIS in the database (batch of 100 k) | ratio | PostGIS per query from a client (pgbench, 1 connection) | goal |\n|---|---|---|---|---|---|\n";
        for (label, _, _) in [("district_3k_cells", 0, 0), ("province_100k_cells", 0, 0)] {
            let ours = crit
                .iter()
                .find(|(n, _)| n == &format!("locate/{label}"))
                .map(|(_, ns)| ns / 1000.0);
            let theirs = postgis.iter().find(|r| r.label == label);
            let goal = if label.starts_with("province") {
                match ours {
                    Some(us) if us <= 2.0 => "≤ 2 µs: met",
                    Some(_) => "≤ 2 µs: missed",
                    None => "≤ 2 µs",
                }
            } else {
                "—"
            };
            s += &format!(
                "| {} | {} | {} | {} | {} | {goal} |\n",
                theirs.map_or(label.to_string(), |t| format!("{label} ({})", t.cells)),
                ours.map_or("—".into(), |us| format!("{us:.2} µs")),
                theirs.map_or("—".into(), |t| format!("{:.1} µs", t.batch_us)),
                match (ours, theirs) {
                    (Some(o), Some(t)) => format!("{:.0}× faster", t.batch_us / o),
                    _ => "—".into(),
                },
                theirs.map_or("—".into(), |t| format!(
                    "{:.0} µs ({:.0} queries/s)",
                    t.query_us, t.query_tps
                )),
            );
        }
        if let Some((_, ns)) = crit.iter().find(|(n, _)| n.starts_with("build_index")) {
            s += &format!(
                "\nRebuilding the index of 3,025 cells after an import: {:.1} ms.\n",
                ns / 1e6
            );
        }
        s += "\n";
    }
    if !runs.is_empty() {
        s += &format!(
            "### HTTP API (server pinned to one core, load from the other; {} clients, {} s after {} s warm-up)\n\n",
            o.clients, o.duration, o.warmup
        );
        s += &format!(
            "| engine | incidents | scenario | most req/s per core | p50 | p99 | p50 / p99 at {OFFERED:.0} req/s offered | errors | goal | |\n|---|---|---|---|---|---|---|---|---|---|\n"
        );
        for r in runs {
            for x in &r.results {
                let (goal_text, verdict) = match goal(&x.scenario, &r.engine) {
                    Some((min, text)) => {
                        let p99_ok = x.at_offered.is_none_or(|(_, p99)| p99 < 50.0);
                        let met = x.rps >= min && p99_ok && x.errors == 0;
                        (text.to_string(), if met { "met" } else { "missed" })
                    }
                    None => ("—".into(), ""),
                };
                let label = match x.scenario.as_str() {
                    "bare" => "bare handler, same query as list (no auth)".to_string(),
                    "login" | "record" => format!("{} ({} clients)", x.scenario, x.clients),
                    other => other.to_string(),
                };
                let offered = x
                    .at_offered
                    .map_or("—".into(), |(p50, p99)| format!("{p50:.1} / {p99:.1} ms"));
                s += &format!(
                    "| {} | {} | {label} | {:.0} | {:.1} ms | {:.1} ms | {offered} | {} | {goal_text} | {verdict} |\n",
                    r.engine, r.incidents, x.rps, x.p50, x.p99, x.errors
                );
            }
        }
        s += "\nPeak server memory (VmHWM; in brackets the file-backed part at the end, i.e. the \
              memory-mapped SQLite file, shared with the page cache):";
        for r in runs {
            s += &format!(
                " {} {} incidents {:.0} MiB ({:.0});",
                r.engine, r.incidents, r.peak_mib, r.mapped_mib
            );
        }
        s.pop();
        s += ".\n\n";
        // Growth between the smallest and the largest data set, per engine and scenario.
        // Per-request cost at saturation (closed-loop p50) from the smallest to the largest
        // data set, per engine and scenario.
        let (mut rows, mut sizes) = (String::new(), None);
        for engine in &o.engines {
            let mine: Vec<&EngineRun> = runs.iter().filter(|r| &r.engine == engine).collect();
            if let (Some(small), Some(large)) = (mine.first(), mine.last())
                && small.incidents != large.incidents
            {
                sizes = Some((small.incidents, large.incidents));
                for x in &small.results {
                    if let Some(y) = large.results.iter().find(|y| y.scenario == x.scenario) {
                        let ratio = y.p50 / x.p50;
                        rows += &format!(
                            "| {engine} | {} | {:.1} ms → {:.1} ms | {ratio:.2}× | {} |\n",
                            x.scenario,
                            x.p50,
                            y.p50,
                            if ratio <= 1.5 { "met" } else { "missed" }
                        );
                    }
                }
            }
        }
        if let Some((small, large)) = sizes {
            s += &format!(
                "### How latency grows: {small} → {large} incidents (goal: within 1.5×)\n\n| engine | scenario | p50 | ratio | |\n|---|---|---|---|---|\n{rows}\n"
            );
        }
    }
    s
}

pub fn bench(args: &[String]) -> anyhow::Result<()> {
    let o = opts(args)?;
    crate::ensure_postgres()?;
    let work = target_dir().join("bench");
    std::fs::create_dir_all(&work)?;
    run(cargo()
        .args([
            "build",
            "--release",
            "-p",
            "gridwork-server",
            "--bin",
            "gridwork",
        ])
        .args([
            "--example",
            "bare",
            "-p",
            "gridwork-tests",
            "--bin",
            "gridwork-load",
        ])
        .current_dir(root()))?;
    let release = target_dir().join("release");
    let p = Paths {
        gridwork: release.join("gridwork"),
        bare: release.join("examples/bare"),
        load: release.join("gridwork-load"),
        work,
    };
    let crit = if o.criterion {
        eprintln!("== point → cell in process (criterion)");
        criterion_runs()?
    } else {
        Vec::new()
    };
    let postgis = if o.postgis {
        eprintln!("== PostGIS ST_Contains on the same cells");
        postgis_runs(&p, &o)?
    } else {
        Vec::new()
    };
    let runs = http_runs(&p, &o)?;
    let text = report(&o, &crit, &postgis, &runs);
    let out = p.work.join("report.md");
    std::fs::write(&out, &text)?;
    println!("{text}");
    eprintln!("(also written to {})", out.display());
    Ok(())
}

/// Brotli at quality 11 (what the build ships and what the size table counts).
pub fn brotli(bytes: &[u8], out: &mut Vec<u8>) -> std::io::Result<()> {
    let params = ::brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    ::brotli::BrotliCompress(&mut &bytes[..], out, &params).map(|_| ())
}

/// `cargo xtask bench-web`: the web client's size (brotli, quality 11) and its time to
/// interactive on a throttled connection (400 Kbps, 400 ms round trip, CPU 4× slower), cold
/// and from the service-worker cache, measured in headless Chromium.
pub fn bench_web() -> anyhow::Result<()> {
    crate::setup()?;
    crate::web()?;
    let dist = root().join("web-client/dist");
    let mut first = Vec::new();
    let mut screens = Vec::new();
    let mut shared_chunks = Vec::new();
    let mut map_only = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dist)?
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    for name in names {
        if name.ends_with(".br") {
            continue;
        }
        let bytes = std::fs::read(dist.join(&name))?;
        let mut out = Vec::new();
        brotli(&bytes, &mut out)?;
        let row = (name.clone(), bytes.len(), out.len());
        if name.starts_with("leaflet-") || name.starts_with("gridmap-") {
            map_only.push(row);
        } else if name.starts_with("split_") || name.starts_with("screens-") {
            screens.push(row);
        } else if name.starts_with("chunk_") {
            shared_chunks.push(row);
        } else if name == "index.html"
            || (name.starts_with("gridwork-") && (name.ends_with(".wasm") || name.ends_with(".js")))
            || (name.starts_with("styles-") && name.ends_with(".css"))
        {
            first.push(row);
        }
    }
    // The measurement itself is an ignored browser test: it shares the test harness.
    let out = output(
        cargo()
            .args(["test", "-p", "gridwork-tests", "--test", "browser", "--"])
            .args([
                "--ignored",
                "--exact",
                "field::time_to_interactive",
                "--nocapture",
            ])
            .current_dir(root()),
    )?;
    let tti: serde_json::Value = out
        .lines()
        .find_map(|l| l.strip_prefix("TTI "))
        .context("the measurement printed no result")
        .and_then(|j| Ok(serde_json::from_str(j)?))?;
    let kb = |n: usize| n as f64 / 1024.0;
    let mut s = format!(
        "Machine: {}. Date: {}.\n\n| file | raw | brotli |\n|---|---|---|\n",
        machine(),
        output(Command::new("date").args(["-u", "+%Y-%m-%d"]))?.trim()
    );
    let total: usize = first.iter().map(|r| r.2).sum();
    for (name, raw, br) in &first {
        s += &format!("| `{name}` | {:.1} KB | {:.1} KB |\n", kb(*raw), kb(*br));
    }
    s += &format!(
        "| **before the first screen** | | **{:.1} KB** (goal ≤ 150 KB: {}) |\n",
        kb(total),
        if kb(total) <= 150.0 { "met" } else { "missed" }
    );
    let sum = |rows: &[(String, usize, usize)]| -> (usize, usize) {
        rows.iter().fold((0, 0), |(a, b), r| (a + r.1, b + r.2))
    };
    let (screens_raw, screens_br) = sum(&screens);
    let (shared_raw, shared_br) = sum(&shared_chunks);
    s += &format!(
        "| other screens, each fetched when first opened and precached by the service worker \
         (brotli per screen group: {}; {} shared chunks {:.1} KB) | {:.1} KB | {:.1} KB |\n",
        screens
            .iter()
            .map(|r| {
                let group = r.0.trim_start_matches("split_");
                let group = group.split('-').next().unwrap_or(group);
                format!("{group} {:.1} KB", kb(r.2))
            })
            .collect::<Vec<_>>()
            .join(", "),
        shared_chunks.len(),
        kb(shared_br),
        kb(screens_raw + shared_raw),
        kb(screens_br + shared_br)
    );
    let map_total = sum(&map_only);
    s += &format!(
        "| maps only: the grid map and the report's place picker ({}) | {:.1} KB | {:.1} KB |\n\n",
        map_only
            .iter()
            .map(|r| format!("`{}`", r.0))
            .collect::<Vec<_>>()
            .join(", "),
        kb(map_total.0),
        kb(map_total.1)
    );
    let f = |k: &str| tti[k].as_f64().unwrap_or(f64::NAN);
    s += &format!(
        "| time to interactive (median of {}) | measured | over the network | goal | |\n|---|---|---|---|---|\n\
         | cold (empty cache, no service worker) | {:.2} s | {:.1} KB | ≤ 5 s | {} |\n\
         | from the service-worker cache | {:.2} s | {:.1} KB | ≤ 1 s | {} |\n",
        tti["runs"],
        f("cold_ms") / 1000.0,
        f("cold_bytes") / 1024.0,
        if f("cold_ms") <= 5000.0 {
            "met"
        } else {
            "missed"
        },
        f("cached_ms") / 1000.0,
        f("cached_bytes") / 1024.0,
        if f("cached_ms") <= 1000.0 {
            "met"
        } else {
            "missed"
        },
    );
    let path = target_dir().join("bench/web-report.md");
    std::fs::create_dir_all(path.parent().expect("has a parent"))?;
    std::fs::write(&path, &s)?;
    println!("{s}");
    eprintln!("(also written to {})", path.display());
    Ok(())
}
