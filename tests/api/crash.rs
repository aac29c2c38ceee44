//! The server process killed (SIGKILL) three times under concurrent writes: every report
//! acknowledged before a kill is there afterwards, exactly once, and reports sent again
//! after getting no answer never land twice. The server runs as its own process (the
//! `gridwork` binary, see `gridwork_bin`); the in-process app only seeds the database and
//! reads it at the end.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use gridwork_tests::fixtures::{PW, World};
use gridwork_tests::writers::Writers;
use gridwork_tests::{Engine, TestApp, gridwork_bin};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

const WRITERS: usize = 8;
const KILLS: usize = 3;
/// Reports acknowledged in each life of the server before it is killed.
const PER_LIFE: usize = 30;

/// The server as a process of its own.
struct Server {
    child: tokio::process::Child,
    base: String,
}

struct Setup {
    bin: PathBuf,
    database_url: String,
    data_dir: PathBuf,
    log: PathBuf,
}

impl Setup {
    /// Starts `gridwork serve` on a port of its choosing and waits until it is ready.
    async fn start(&self) -> Server {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("server log");
        let mut child = tokio::process::Command::new(&self.bin)
            .arg("serve")
            .env("GRIDWORK_DATABASE_URL", &self.database_url)
            .env("GRIDWORK_BIND", "127.0.0.1:0")
            .env("GRIDWORK_DATA_DIR", &self.data_dir)
            .env("GRIDWORK_WEB_DIR", self.data_dir.join("no-web-client"))
            // Fixed, so that tokens outlive a restart (as the generated key file would).
            .env("GRIDWORK_JWT_SECRET", "crash-test-secret-0123456789abcdef")
            .env("GRIDWORK_WRITE_LIMIT", "1000000/1000000")
            .env("GRIDWORK_WORKERS", "2")
            .env("GRIDWORK_DB_POOL_SIZE", "4")
            .env_remove("GRIDWORK_LOG_FORMAT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", self.bin.display()));
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        // It prints its address once it listens.
        let found = tokio::time::timeout(Duration::from_secs(20), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some((_, addr)) = line.split_once("serving on ") {
                    return Some(addr.trim().to_string());
                }
            }
            None
        })
        .await;
        let base = match found {
            Ok(Some(base)) => base,
            _ => panic!(
                "the server did not start; its log:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            ),
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = http.get(format!("{base}/readyz")).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{base}/readyz never answered 200"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Server { child, base }
    }
}

impl Server {
    /// SIGKILL: no shutdown, no flush, connections cut mid-request.
    async fn kill(mut self) {
        self.child.kill().await.expect("SIGKILL the server");
    }
}

async fn login(base: &str, username: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": PW}))
        .send()
        .await
        .expect("login reaches the server");
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = r.json().await.expect("token JSON");
    body["access_token"]
        .as_str()
        .expect("access token")
        .to_string()
}

async fn acknowledged_writes_survive_sigkill(engine: Engine) {
    let started = Instant::now();
    let app = TestApp::spawn(engine).await;
    World::build(&app).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let setup = Setup {
        bin: gridwork_bin(),
        database_url: app.database_url.clone(),
        data_dir: dir.path().join("data"),
        log: dir.path().join("server.log"),
    };
    let mut server = setup.start().await;
    let token = login(&server.base, "worker1").await;
    let writers = Writers::start(&server.base, &token, WRITERS);
    for _ in 0..KILLS {
        writers
            .wait_for_acks(writers.acked_count() + PER_LIFE)
            .await;
        server.kill().await;
        server = setup.start().await;
        writers.set_base(&server.base);
    }
    // The last life serves too, and takes every report left unanswered.
    writers
        .wait_for_acks(writers.acked_count() + PER_LIFE)
        .await;
    let report = writers.finish().await;

    let acked: HashSet<String> = report.acked.iter().cloned().collect();
    assert_eq!(acked.len(), report.acked.len(), "each id acknowledged once");
    assert_eq!(
        acked, report.sent,
        "every report sent was acknowledged in the end"
    );
    assert!(
        !report.retried.is_empty(),
        "some reports went unanswered and were sent again"
    );

    // The database holds each report exactly once: one row, one `report` step, one change.
    let (ids, reported, changes) = app
        .with_db(|c| {
            use diesel::prelude::*;
            use gridwork_server::db::schema::{change_log, incident_history, incidents};
            let ids = incidents::table
                .select(incidents::id)
                .load::<String>(c)
                .expect("incidents");
            let reported = incident_history::table
                .filter(incident_history::action.eq("report"))
                .select(incident_history::incident_id)
                .load::<String>(c)
                .expect("history");
            let changes = change_log::table
                .filter(change_log::entity_type.eq("incident"))
                .select(change_log::entity_id)
                .load::<String>(c)
                .expect("change log");
            (ids, reported, changes)
        })
        .await;
    assert_eq!(ids.len(), acked.len(), "one row per report, no more");
    assert_eq!(ids.iter().cloned().collect::<HashSet<_>>(), acked);
    for (what, list) in [("report step", &reported), ("change", &changes)] {
        let mut times: HashMap<&String, usize> = HashMap::new();
        for id in list {
            *times.entry(id).or_default() += 1;
        }
        assert_eq!(times.len(), acked.len(), "a {what} for every report");
        if let Some((id, n)) = times.iter().find(|(_, n)| **n != 1) {
            panic!("incident {id} has {n} {what}s");
        }
    }
    // And the restarted server answers every one of them.
    let http = reqwest::Client::new();
    for id in &acked {
        let r = http
            .get(format!("{}/api/v1/incidents/{id}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("the server answers");
        assert_eq!(r.status().as_u16(), 200, "incident {id}");
    }
    server.kill().await;
    eprintln!(
        "{engine:?}: {} reports over {KILLS} kills, {} sent again after no answer \
         ({} failed tries), {:.1} s",
        acked.len(),
        report.retried.len(),
        report.failures,
        started.elapsed().as_secs_f64()
    );
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn acknowledged_writes_survive_sigkill() {
        super::acknowledged_writes_survive_sigkill(gridwork_tests::Engine::Sqlite).await
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn acknowledged_writes_survive_sigkill() {
        super::acknowledged_writes_survive_sigkill(gridwork_tests::Engine::Postgres).await
    }
}
