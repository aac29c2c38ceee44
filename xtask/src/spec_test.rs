//! `cargo xtask spec-test`: the property-based API tester (schemathesis) driven by the
//! OpenAPI document the server serves, against the real `gridwork` binary on each engine and
//! as each role.
//!
//! For SQLite (a file in a temporary directory) and PostgreSQL (a fresh database, dropped
//! afterwards): `gridwork demo` seeds the demo district, `gridwork serve` listens on a free
//! port, and for each of the demo's admin, district supervisor, worker and volunteer the
//! tester logs in and runs with that bearer token, a fixed seed and a bounded number of
//! examples per operation. Checks: no 5xx, every status documented, every content type
//! and body as documented. A failure fails the command with the tester's output above it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::server::Server;
use crate::{cargo, ensure_postgres, root, run, target_dir};

/// The tester, pinned: a new release may bring new checks or other generated data.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// What every run checks (schemathesis 4 names).
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance";

/// The same generated requests on every run.
const SEED: &str = "20261201";

/// Generated test cases per operation (fuzzing), besides the coverage phase's boundary
/// values: 4 roles × 2 engines stay within a few minutes on two cores.
const MAX_EXAMPLES: &str = "8";

/// The demo's logins (`server/src/tools/demo.rs`), one per role; all share its password.
/// The admin runs last: its generated writes (a user's role or password, a cell's workers)
/// may change what the others could do.
const ROLES: &[(&str, &str)] = &[
    ("volunteer", "volunteer1"),
    ("worker", "worker1"),
    ("supervisor", "district"),
    ("admin", "admin"),
];
const DEMO_PASSWORD: &str = "gridwork-demo";

/// Operations left out of generated testing, each with its reason (regular expressions on
/// the path, as the tester's `--exclude-path-regex` takes them).
/// Generated tokens and passwords never match real ones (refresh → 401, logout → 204, a
/// password change → 422), generated ids name no record, and every role logs in before the
/// first run, since generated logins soon lock the address (429); so only this is left out:
const EXCLUDED: &[(&str, &str)] = &[(
    "^/api/v1/me/notifications/stream$",
    "a Server-Sent Events stream stays open for minutes (the tester would time out on every \
     example); tests/api/notifications.rs checks it",
)];

/// `cargo xtask spec-test`.
pub fn spec_test() -> anyhow::Result<()> {
    let r = root();
    run(cargo()
        .args(["build", "-p", "gridwork-server", "--bin", "gridwork"])
        .current_dir(&r))?;
    let work = target_dir().join(format!("spec-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    // A copy of the binary just built: other checkouts sharing the target directory may
    // build theirs over `debug/gridwork` while this runs.
    let bin = work.join("gridwork");
    std::fs::copy(target_dir().join("debug/gridwork"), &bin)?;
    let st = schemathesis()?;
    ensure_postgres()?;
    let mut failed = Vec::new();
    for engine in ["sqlite", "postgres"] {
        let dir = work.join(engine);
        std::fs::create_dir_all(&dir)?;
        let db = Database::fresh(engine, &dir)?;
        let outcome = engine_run(&bin, &st, &db.url, &dir);
        drop(db);
        match outcome {
            Ok(mut f) => failed.append(&mut f),
            Err(e) => failed.push(format!("{engine}: {e:#}")),
        }
    }
    if failed.is_empty() {
        let _ = std::fs::remove_dir_all(&work);
        eprintln!("spec-test: no failures on either engine, as any role");
        Ok(())
    } else {
        bail!(
            "spec-test failed (logs under {}):\n  {}",
            work.display(),
            failed.join("\n  ")
        )
    }
}

/// The `st` program of a virtual environment under the target directory, installed there
/// with pip (from PyPI) when it is not already.
fn schemathesis() -> anyhow::Result<PathBuf> {
    let venv = target_dir().join("schemathesis-venv");
    let st = venv.join("bin/st");
    let version = SCHEMATHESIS.split("==").nth(1).unwrap_or_default();
    let installed = Command::new(&st)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(version));
    if !installed {
        if !venv.join("bin/pip").exists() {
            run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        }
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            SCHEMATHESIS,
        ]))?;
    }
    Ok(st)
}

/// A fresh database for one engine, removed on drop.
struct Database {
    url: String,
    pg_name: Option<String>,
}

impl Database {
    fn fresh(engine: &str, dir: &Path) -> anyhow::Result<Database> {
        if engine == "sqlite" {
            return Ok(Database {
                url: format!("sqlite://{}", dir.join("gridwork.db").display()),
                pg_name: None,
            });
        }
        let name = format!("gridwork_spec_{}", std::process::id());
        psql(&format!("DROP DATABASE IF EXISTS \"{name}\""))?;
        psql(&format!("CREATE DATABASE \"{name}\""))?;
        Ok(Database {
            url: format!("{}/{name}", pg_base()),
            pg_name: Some(name),
        })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            let _ = psql(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        }
    }
}

/// The PostgreSQL server (`GRIDWORK_TEST_PG`, as the tests use, else the local one).
fn pg_base() -> String {
    std::env::var("GRIDWORK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
        .trim_end_matches('/')
        .to_string()
}

fn psql(sql: &str) -> anyhow::Result<()> {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1"])
        .arg(format!("{}/postgres", pg_base()))
        .args(["-c", sql])
        .output()
        .context("running psql")?;
    if !out.status.success() {
        bail!("psql {sql}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// The server's environment: its database and data directory, no web client, the write
/// limit lifted (the tester writes far faster than a person).
fn server_cmd(bin: &Path, url: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.env("GRIDWORK_DATABASE_URL", url)
        .env("GRIDWORK_DATA_DIR", dir.join("data"))
        .env("GRIDWORK_WEB_DIR", dir.join("no-web"))
        .env("GRIDWORK_BIND", "127.0.0.1:0")
        .env("GRIDWORK_WRITE_LIMIT", "1000000000/1000000000")
        .env("RUST_LOG", "warn");
    cmd
}

/// Seeds, serves and runs the tester as every role; the failures, one line each.
fn engine_run(bin: &Path, st: &Path, url: &str, dir: &Path) -> anyhow::Result<Vec<String>> {
    let engine = url.split(':').next().unwrap_or("");
    eprintln!("== spec-test on {engine}");
    let seed = server_cmd(bin, url, dir)
        .arg("demo")
        .output()
        .context("running gridwork demo")?;
    if !seed.status.success() {
        bail!(
            "gridwork demo failed: {}",
            String::from_utf8_lossy(&seed.stderr)
        );
    }
    let log = dir.join("server.log");
    let server = Server::start(server_cmd(bin, url, dir).arg("serve"), &log)?;
    server.wait_ready()?;
    let mut tokens = Vec::new();
    for (role, username) in ROLES {
        tokens.push((role, username, login(server.addr(), username)?));
    }
    let config = dir.join("schemathesis.toml");
    let admin = tokens
        .iter()
        .find(|t| *t.0 == "admin")
        .context("no admin login")?;
    std::fs::write(&config, known_records(server.addr(), &admin.2)?)?;
    let mut failed = Vec::new();
    for (role, username, token) in tokens {
        let started = Instant::now();
        let mut cmd = Command::new(st);
        cmd.arg("--config-file")
            .arg(&config)
            .arg("run")
            .arg(format!("http://{}/api/v1/openapi.json", server.addr()))
            .args(["--url", &format!("http://{}", server.addr())])
            .args(["--checks", CHECKS])
            .args(["--seed", SEED])
            .args(["--max-examples", MAX_EXAMPLES])
            // One worker: with two threads, hypothesis describes its filters by parsing
            // their source concurrently, and CPython's parser can fail with "AST constructor
            // recursion depth mismatch", a runtime error that fails the run at random.
            .args(["--workers", "1"])
            .args(["--request-timeout", "30"])
            .args(["--suppress-health-check", "all"])
            .args(["--no-color"])
            .args(["-H", &format!("Authorization: Bearer {token}")]);
        for (path, _why) in EXCLUDED {
            cmd.args(["--exclude-path-regex", path]);
        }
        cmd.env("SCHEMATHESIS_HOOKS", "")
            .current_dir(dir)
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        eprintln!("-- {engine} as {role} ({username})");
        let status = cmd.status().context("running schemathesis")?;
        eprintln!(
            "-- {engine} as {role}: {} in {:.0} s",
            if status.success() { "passed" } else { "FAILED" },
            started.elapsed().as_secs_f64()
        );
        if !status.success() {
            failed.push(format!(
                "{engine} as {role}: schemathesis failed ({status})"
            ));
        }
    }
    drop(server);
    Ok(failed)
}

/// A schemathesis configuration that draws path ids and cell codes, half of the time, from
/// records the demo seeded, so that generated requests reach real records and their
/// answers' schemas are checked too (not only the 404 of an unknown id). Users are left
/// out: a generated patch could lock a role's account out of its own run.
fn known_records(addr: &str, admin: &str) -> anyhow::Result<String> {
    let get = |path: &str| -> anyhow::Result<serde_json::Value> {
        let (status, body) =
            request_as(addr, "GET", path, None, Some(admin)).map_err(anyhow::Error::msg)?;
        if status != 200 {
            bail!("GET {path}: {status} {body}");
        }
        Ok(serde_json::from_str(&body)?)
    };
    let ids_of = |v: &serde_json::Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["id"].as_str().map(str::to_string))
            .collect()
    };
    let mut ids = Vec::new();
    ids.extend(ids_of(&get("/api/v1/incidents?limit=10")?, "items"));
    let persons = ids_of(&get("/api/v1/persons?limit=5")?, "items");
    for p in persons.iter().take(2) {
        ids.extend(ids_of(
            &get(&format!("/api/v1/persons/{p}/visits?limit=3"))?,
            "items",
        ));
    }
    ids.extend(persons);
    let units = ids_of(&get("/api/v1/safety-units?limit=5")?, "items");
    for u in units.iter().take(2) {
        ids.extend(ids_of(
            &get(&format!("/api/v1/safety-units/{u}"))?,
            "inspections",
        ));
    }
    ids.extend(units);
    let cells: Vec<String> = get("/api/v1/cells")?["features"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["properties"]["code"].as_str().map(str::to_string))
        .take(6)
        .collect();
    if ids.is_empty() || cells.is_empty() {
        bail!("the demo seeded no records to test with");
    }
    let list = |v: &[String]| {
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(format!(
        "# Written by cargo xtask spec-test: records of the seeded demo.\n\
         [dictionaries.records]\nvalues = [{}]\n\n\
         [dictionaries.cells]\nvalues = [{}]\n\n\
         [parameters]\n\
         \"path.id\" = {{ dictionary = \"records\", probability = 0.5 }}\n\
         \"path.code\" = {{ dictionary = \"cells\", probability = 0.5 }}\n\n\
         # Methods a path does not serve answer 405 from actix; not what this run checks.\n\
         [phases.coverage]\nunexpected-methods = []\n",
        list(&ids),
        list(&cells)
    ))
}

/// An access token for a demo user.
fn login(addr: &str, username: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({"username": username, "password": DEMO_PASSWORD}).to_string();
    let (status, answer) =
        request(addr, "POST", "/api/v1/auth/login", Some(&body)).map_err(anyhow::Error::msg)?;
    if status != 200 {
        bail!("login as {username}: {status} {answer}");
    }
    let v: serde_json::Value = serde_json::from_str(&answer)?;
    v["access_token"]
        .as_str()
        .map(str::to_string)
        .context("no access_token in the login answer")
}

/// One HTTP/1.0 request with an optional JSON body: (status, body).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    json: Option<&str>,
) -> Result<(u16, String), String> {
    request_as(addr, method, path, json, None)
}

/// [`request`] with an optional bearer token.
fn request_as(
    addr: &str,
    method: &str,
    path: &str,
    json: Option<&str>,
    token: Option<&str>,
) -> Result<(u16, String), String> {
    let mut s = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let body = json.unwrap_or("");
    let mut head = format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if json.is_some() {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())
        .and_then(|()| s.write_all(body.as_bytes()))
        .map_err(|e| e.to_string())?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).map_err(|e| e.to_string())?;
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status line in {raw:?}"))?;
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}
