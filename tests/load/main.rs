//! `gridwork-load`: a closed-loop HTTP load generator for `cargo xtask bench`.
//!
//! Logs in the users it needs from a `gridwork synth` manifest, then runs one scenario with
//! N concurrent clients for a fixed time (after a warm-up whose requests are not counted)
//! and prints one JSON line: requests/s, p50/p99 latency, errors. Closed loop by default
//! (each client sends as soon as its last answer is in: the most the server can do);
//! `--rate R` offers R requests/s in total on a fixed schedule (open loop: the latency at
//! that load, counted from when each request was due).
//!
//! Scenarios: `create` (a worker reports an incident with a fresh client id), `list` (a town
//! supervisor's incident queue, first page), `pull` (a worker's first sync page), `map` (the
//! map of a town), `locate` (point → cell over HTTP), `login`, `team` (a volunteer's team with
//! its members' points, `/me/team`), `teams` (a town supervisor's team figures,
//! `/stats/teams` of its town over all time), and `bare` (the same query as `list` served by
//! the bare handler of `server/examples/bare.rs`, no auth).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
struct Manifest {
    password: String,
    #[serde(default)]
    admin: String,
    towns: Vec<Town>,
    workers: Vec<Worker>,
    #[serde(default)]
    teams: Vec<TeamMember>,
}

#[derive(Debug, Deserialize)]
struct TeamMember {
    volunteer: String,
}

#[derive(Debug, Deserialize)]
struct Town {
    code: String,
    supervisor: String,
}

#[derive(Debug, Deserialize)]
struct Worker {
    username: String,
    point: [f64; 2],
}

struct Args {
    base: String,
    manifest: String,
    scenario: String,
    clients: usize,
    duration: Duration,
    warmup: Duration,
    /// Requests per second offered by all clients together (open loop); none: closed loop.
    rate: Option<f64>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        base: String::new(),
        manifest: String::new(),
        scenario: String::new(),
        clients: 200,
        duration: Duration::from_secs(10),
        warmup: Duration::from_secs(2),
        rate: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let secs = |v: &str| v.parse::<f64>().map(Duration::from_secs_f64);
        match flag.as_str() {
            "--base" => a.base = value,
            "--manifest" => a.manifest = value,
            "--scenario" => a.scenario = value,
            "--clients" => a.clients = value.parse().map_err(|e| format!("{e}"))?,
            "--duration" => a.duration = secs(&value).map_err(|e| format!("{e}"))?,
            "--warmup" => a.warmup = secs(&value).map_err(|e| format!("{e}"))?,
            "--rate" => a.rate = Some(value.parse().map_err(|e| format!("{e}"))?),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    if a.base.is_empty() || a.manifest.is_empty() || a.scenario.is_empty() {
        return Err("usage: gridwork-load --base URL --manifest FILE --scenario NAME [--clients N] [--duration S] [--warmup S] [--rate REQ_PER_S]".into());
    }
    Ok(a)
}

/// Logs in and returns the access token.
async fn login(
    http: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
) -> Result<String, String> {
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !res.status().is_success() {
        return Err(format!("login {user}: {}", res.status()));
    }
    let body: Value = res.json().await.map_err(|e| e.to_string())?;
    Ok(body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

/// This year in China Standard Time, where the district's periods are counted.
fn this_year() -> i32 {
    use chrono::Datelike;
    (chrono::Utc::now() + chrono::Duration::hours(8)).year()
}

/// What one client does in a loop.
#[derive(Clone)]
struct Client {
    token: String,
    user: String,
    point: [f64; 2],
    town: String,
}

/// A cheap per-client random sequence (xorshift).
struct Rand(u64);

impl Rand {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

async fn one(
    http: &reqwest::Client,
    base: &str,
    scenario: &str,
    c: &Client,
    m: &Manifest,
    rnd: &mut Rand,
) -> Result<bool, reqwest::Error> {
    let get = |path: String| http.get(format!("{base}{path}")).bearer_auth(&c.token);
    let req = match scenario {
        "create" => http
            .post(format!("{base}/api/v1/incidents"))
            .bearer_auth(&c.token)
            .json(&json!({
                "id": uuid::Uuid::new_v4(),
                "category": "0401",
                "title": "垃圾堆放",
                "description": "巡查中发现，现场已拍照记录。",
                "location": {
                    "lon": c.point[0] + (rnd.next() - 0.5) * 0.0016,
                    "lat": c.point[1] + (rnd.next() - 0.5) * 0.0016,
                },
                "occurred_at": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                "severity": "low",
            })),
        "list" => get(format!("/api/v1/incidents?region={}", c.town)),
        "bare" => http.get(format!("{base}/bare/incidents?region={}", c.town)),
        "pull" => get("/api/v1/sync/pull".into()),
        "map" => get(format!("/api/v1/map/cells?region={}", c.town)),
        "team" => get("/api/v1/me/team".into()),
        "teams" => get(format!("/api/v1/stats/teams?region={}", c.town)),
        "halls" => get(format!("/api/v1/deliberations?region={}", c.town)),
        "honours" => get(format!("/api/v1/honours?region={}", c.town)),
        // The district's task board: this year's tasks with their units' completion.
        "board" => get(format!("/api/v1/tasks?year={}", this_year())),
        // A town's performance record for this year, with the figures it rests on.
        "record" => get(format!(
            "/api/v1/performance?period={}&region={}",
            this_year(),
            c.town
        )),
        // Where a worker stands: around its cell (point → cell is scoped to its region).
        "locate" => get(format!(
            "/api/v1/cells/locate?lon={:.6}&lat={:.6}",
            c.point[0] + (rnd.next() - 0.5) * 0.0016,
            c.point[1] + (rnd.next() - 0.5) * 0.0016
        )),
        "login" => http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": c.user, "password": m.password})),
        other => panic!("unknown scenario {other}"),
    };
    let res = req.send().await?;
    let ok = res.status().is_success();
    // Read the whole body: the cost of producing it is part of the request.
    let _ = res.bytes().await?;
    Ok(ok)
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    errors: u64,
    /// Answers that came back before the measuring window closed (the throughput).
    in_window: u64,
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(a));
}

async fn run(a: Args) {
    let m: Manifest = serde_json::from_slice(&std::fs::read(&a.manifest).expect("manifest"))
        .expect("manifest JSON");
    let m = Arc::new(m);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(a.clients)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    // Tokens: workers for worker scenarios, town supervisors for supervisor ones, team
    // members for the volunteer's.
    let supervisor = matches!(
        a.scenario.as_str(),
        "list" | "map" | "bare" | "teams" | "halls" | "honours" | "record"
    );
    let volunteer = a.scenario == "team";
    let admin = a.scenario == "board";
    let people = if admin {
        1
    } else if supervisor {
        m.towns.len()
    } else if volunteer {
        m.teams.len().min(a.clients)
    } else {
        m.workers.len().min(a.clients)
    };
    let mut clients = Vec::with_capacity(people);
    for i in 0..people {
        let (user, point, town) = if admin {
            (m.admin.clone(), [0.0, 0.0], String::new())
        } else if supervisor {
            let t = &m.towns[i];
            (t.supervisor.clone(), [0.0, 0.0], t.code.clone())
        } else if volunteer {
            (m.teams[i].volunteer.clone(), [0.0, 0.0], String::new())
        } else {
            let w = &m.workers[i];
            (w.username.clone(), w.point, String::new())
        };
        let token = if a.scenario == "bare" || a.scenario == "login" {
            String::new()
        } else {
            match login(&http, &a.base, &user, &m.password).await {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            }
        };
        clients.push(Client {
            token,
            user,
            point,
            town,
        });
    }
    let start = Instant::now();
    let measure_from = start + a.warmup;
    let end = measure_from + a.duration;
    let mut tasks = Vec::with_capacity(a.clients);
    let (rate, n_clients) = (a.rate, a.clients as u64);
    for i in 0..a.clients {
        let client = clients[i % clients.len()].clone();
        let http = http.clone();
        let m = m.clone();
        let base = a.base.clone();
        let scenario = a.scenario.clone();
        tasks.push(tokio::spawn(async move {
            let mut t = Tally::default();
            let mut rnd =
                Rand(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9));
            for k in 0u64.. {
                // Open loop: request k of client i is due at a fixed time and its latency
                // counts from then, so a slow server cannot hide its queue (no coordinated
                // omission). Closed loop: send when the previous answer is in.
                let sent = match rate {
                    Some(rate) => {
                        let due = start
                            + Duration::from_secs_f64((k * n_clients + i as u64) as f64 / rate);
                        tokio::time::sleep_until(due.into()).await;
                        due
                    }
                    None => Instant::now(),
                };
                if sent >= end {
                    break;
                }
                let ok = one(&http, &base, &scenario, &client, &m, &mut rnd).await;
                if sent >= measure_from {
                    let took = sent.elapsed().as_micros().min(u32::MAX as u128) as u32;
                    if Instant::now() <= end {
                        t.in_window += 1;
                    }
                    match ok {
                        Ok(true) => t.latencies_us.push(took),
                        _ => t.errors += 1,
                    }
                }
            }
            t
        }));
    }
    let mut all = Tally::default();
    for task in tasks {
        let t = task.await.expect("client task");
        all.latencies_us.extend(t.latencies_us);
        all.errors += t.errors;
        all.in_window += t.in_window;
    }
    all.latencies_us.sort_unstable();
    let n = all.latencies_us.len();
    let pct = |p: f64| -> f64 {
        if n == 0 {
            return 0.0;
        }
        let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
        f64::from(all.latencies_us[i]) / 1000.0
    };
    let secs = a.duration.as_secs_f64();
    println!(
        "{}",
        json!({
            "scenario": a.scenario,
            "clients": a.clients,
            "offered_rps": a.rate,
            "requests": n,
            "errors": all.errors,
            "secs": secs,
            "rps": all.in_window as f64 / secs,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
        })
    );
}
