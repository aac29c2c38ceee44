//! Concurrent field writers: tasks that report incidents with ids of their own as fast as
//! the server answers, and send an unanswered report again — the same id and the same
//! body — until it is acknowledged, as a phone's queue does. For tests that take the
//! server away under writes (backups, crashes).

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Shared {
    base: RwLock<String>,
    token: String,
    stop: AtomicBool,
    /// Ids whose report was answered 201, in the order the answers came.
    acked: Mutex<Vec<String>>,
    /// Ids whose report was sent at least once.
    sent: Mutex<HashSet<String>>,
    /// Ids sent again after a try that got no answer (the server was gone).
    retried: Mutex<HashSet<String>>,
    failures: AtomicU64,
}

pub struct Writers {
    shared: Arc<Shared>,
    handles: Vec<tokio::task::JoinHandle<()>>,
}

/// What the writers did, once they stopped.
#[derive(Debug)]
pub struct Report {
    pub acked: Vec<String>,
    pub sent: HashSet<String>,
    pub retried: HashSet<String>,
    /// Tries that got no answer (or a 5xx) and were sent again.
    pub failures: u64,
}

/// A report of category 0401 at a point of cell `500117001001001` (worker1's) picked from
/// the id, so reports do not pile up on one spot.
pub fn spread_incident() -> Value {
    let id = uuid::Uuid::new_v4();
    let b = id.as_bytes();
    let dx = f64::from(u16::from_le_bytes([b[0], b[1]])) / 65536.0;
    let dy = f64::from(u16::from_le_bytes([b[2], b[3]])) / 65536.0;
    json!({
        "id": id,
        "category": "0401",
        "title": "楼道堆放杂物",
        "description": "三单元楼道堆满纸箱，影响通行",
        "location": {"lon": 106.0005 + dx * 0.009, "lat": 29.0005 + dy * 0.009},
        "occurred_at": chrono::Utc::now().to_rfc3339(),
        "severity": "low",
    })
}

impl Writers {
    /// Starts `n` writers reporting to the server at `base` with `token`.
    pub fn start(base: &str, token: &str, n: usize) -> Writers {
        let shared = Arc::new(Shared {
            base: RwLock::new(base.to_string()),
            token: token.to_string(),
            stop: AtomicBool::new(false),
            acked: Mutex::new(Vec::new()),
            sent: Mutex::new(HashSet::new()),
            retried: Mutex::new(HashSet::new()),
            failures: AtomicU64::new(0),
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("http client");
        let handles = (0..n)
            .map(|_| tokio::spawn(write(shared.clone(), http.clone())))
            .collect();
        Writers { shared, handles }
    }

    /// Points the writers at a server that took over (a restarted process).
    pub fn set_base(&self, base: &str) {
        *self.shared.base.write().expect("base") = base.to_string();
    }

    /// The ids acknowledged so far.
    pub fn acked(&self) -> Vec<String> {
        self.shared.acked.lock().expect("acked").clone()
    }

    pub fn acked_count(&self) -> usize {
        self.shared.acked.lock().expect("acked").len()
    }

    /// Waits until at least `n` reports in all were acknowledged (at most 20 s).
    pub async fn wait_for_acks(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.acked_count() < n {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {n} acknowledged reports ({} so far)",
                self.acked_count()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops the writers: each sends no new report, but sends its unanswered one again until
    /// it is acknowledged (at most 30 s in all).
    pub async fn finish(self) -> Report {
        self.shared.stop.store(true, Ordering::SeqCst);
        let all = futures_util::future::join_all(self.handles);
        let results = tokio::time::timeout(Duration::from_secs(30), all)
            .await
            .expect("the writers finish their retries within 30 s");
        for r in results {
            r.expect("a writer panicked");
        }
        let s = &self.shared;
        Report {
            acked: s.acked.lock().expect("acked").clone(),
            sent: s.sent.lock().expect("sent").clone(),
            retried: s.retried.lock().expect("retried").clone(),
            failures: s.failures.load(Ordering::SeqCst),
        }
    }
}

async fn write(s: Arc<Shared>, http: reqwest::Client) {
    let mut pending: Option<Value> = None;
    loop {
        let body = match pending.take() {
            Some(b) => b,
            None if s.stop.load(Ordering::SeqCst) => return,
            None => spread_incident(),
        };
        let id = body["id"].as_str().expect("id").to_string();
        let first = s.sent.lock().expect("sent").insert(id.clone());
        if !first {
            s.retried.lock().expect("retried").insert(id.clone());
        }
        let base = s.base.read().expect("base").clone();
        let sent = http
            .post(format!("{base}/api/v1/incidents"))
            .bearer_auth(&s.token)
            .json(&body)
            .send()
            .await;
        match sent {
            Ok(res) if res.status().as_u16() == 201 => {
                s.acked.lock().expect("acked").push(id);
            }
            Ok(res) if res.status().is_server_error() => {
                s.failures.fetch_add(1, Ordering::SeqCst);
                pending = Some(body);
            }
            Ok(res) => {
                let status = res.status();
                let text = res.text().await.unwrap_or_default();
                panic!("report {id} answered {status}: {text}");
            }
            Err(_) => {
                // No answer: the server is gone (or going). Same id, same body, again.
                s.failures.fetch_add(1, Ordering::SeqCst);
                pending = Some(body);
                // Pacing while the server is away, not a wait for correctness.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}
