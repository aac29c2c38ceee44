//! The black-box test harness: the real server on port 0 with a fresh database per test,
//! on SQLite (a temp file) or PostgreSQL (a schema of its own in a database made for this
//! test run), driven over HTTP.

use std::sync::OnceLock;

use actix_web::web;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use gridwork_server::app::config::Config;
use gridwork_server::app::startup::Application;
use gridwork_server::app::state::AppState;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub mod fixtures;
pub mod writers;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the tests use (`GRIDWORK_TEST_PG`, default the local trust-auth one).
pub fn pg_base() -> String {
    std::env::var("GRIDWORK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// One database per test run, created on first use; stale ones of dead runs are dropped.
fn pg_run_database() -> &'static str {
    static DB: OnceLock<String> = OnceLock::new();
    DB.get_or_init(|| {
        let mut admin = diesel::PgConnection::establish(&format!("{}/postgres", pg_base()))
            .expect("PostgreSQL must be reachable for the tests (see README: .ci/run starts it)");
        #[derive(diesel::QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            datname: String,
        }
        use diesel::RunQueryDsl;
        let stale: Vec<Name> = diesel::sql_query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'gridwork\\_test\\_%'",
        )
        .load(&mut admin)
        .expect("list databases");
        for n in stale {
            let pid = n
                .datname
                .split('_')
                .nth(2)
                .and_then(|p| p.parse::<u32>().ok());
            let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
            if !alive {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{}\"", n.datname));
            }
        }
        let name = format!(
            "gridwork_test_{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp()
        );
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create the test run's database");
        name
    })
}

/// A new, empty database of this test run's (named like the run's own, so a dead run's is
/// dropped by the next run); returns its name.
pub fn pg_fresh_database() -> String {
    let mut admin = diesel::PgConnection::establish(&format!("{}/postgres", pg_base()))
        .expect("PostgreSQL must be reachable for the tests");
    let name = format!(
        "gridwork_test_{}_{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .expect("create a database");
    name
}

/// Drops a database made by [`pg_fresh_database`], closing its connections.
pub fn pg_drop_database(name: &str) {
    if let Ok(mut admin) = diesel::PgConnection::establish(&format!("{}/postgres", pg_base())) {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }
}

/// The `gridwork` binary, for tests that run the server as a process of its own:
/// `GRIDWORK_BIN` (set by `cargo xtask test`, which builds it first), else the one beside
/// this test's executable in the target directory (`cargo build -p gridwork-server --bin
/// gridwork` builds it).
pub fn gridwork_bin() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("GRIDWORK_BIN") {
        return p.into();
    }
    let exe = std::env::current_exe().expect("the test's executable");
    // target/debug/deps/api-… → target/debug/gridwork
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("gridwork"))
        .expect("the test runs from a target directory");
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build -p gridwork-server --bin gridwork` first (or set \
         GRIDWORK_BIN; `cargo xtask test` does both)",
        bin.display()
    );
    bin
}

pub struct TestApp {
    pub engine: Engine,
    pub base: String,
    pub http: reqwest::Client,
    pub state: web::Data<AppState>,
    pub database_url: String,
    _dir: tempfile::TempDir,
}

/// A response: status, headers and the body parsed as JSON (Null when empty or not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    /// Asserts a problem+json answer with this status and code.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        let ct = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            ct.starts_with("application/problem+json"),
            "content-type {ct}; body: {}",
            self.text
        );
        assert_eq!(self.body["code"], code, "body: {}", self.text);
        assert_eq!(self.body["status"], status);
        for k in ["type", "title", "detail"] {
            assert!(self.body[k].is_string(), "problem lacks {k}: {}", self.text);
        }
        self
    }

    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        &self.body
    }

    /// The `field`s of a validation problem.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        Self::spawn_with(engine, |_| {}).await
    }

    /// A server whose configuration `configure` adjusts first.
    pub async fn spawn_with(engine: Engine, configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = match engine {
            Engine::Sqlite => format!("sqlite://{}", dir.path().join("test.db").display()),
            Engine::Postgres => {
                let db = pg_run_database();
                let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
                let url = format!("{}/{db}", pg_base());
                let mut c =
                    diesel::PgConnection::establish(&url).expect("connect to the run database");
                c.batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create schema");
                format!("{url}?options=-csearch_path%3D{schema}")
            }
        };
        let mut config = Config::for_database(&database_url, dir.path());
        configure(&mut config);
        Self::start(engine, config, dir).await
    }

    /// A server that also serves the built web client (`cargo xtask web` builds it).
    pub async fn spawn_with_web(engine: Engine) -> TestApp {
        let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web-client/dist");
        assert!(
            dist.join("index.html").is_file(),
            "the web client is not built: run `cargo xtask web` (cargo xtask test does)"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        assert_eq!(engine, Engine::Sqlite, "browser tests run on SQLite");
        let mut config = Config::for_database(&url, dir.path());
        config.web_dir = dist;
        Self::start(engine, config, dir).await
    }

    /// A second server process on the same database with the same secrets (as when
    /// several share PostgreSQL behind a load balancer).
    pub async fn spawn_sharing(other: &TestApp) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = (*other.state.config).clone();
        config.data_dir = dir.path().to_path_buf();
        Self::start(other.engine, config, dir).await
    }

    async fn start(engine: Engine, mut config: Config, dir: tempfile::TempDir) -> TestApp {
        config.pool_size = 4;
        config.sweep_secs = 1;
        let database_url = config.database_url.clone();
        let app = Application::build(config).await.expect("the server starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state.clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            engine,
            base,
            http: reqwest::Client::new(),
            state,
            database_url,
            _dir: dir,
        }
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Res {
        let mut rb = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(b);
        }
        Self::finish(rb).await
    }

    /// Sends raw bytes with a content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Res {
        let mut rb = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        Self::finish(rb).await
    }

    async fn finish(rb: reqwest::RequestBuilder) -> Res {
        let res = rb.send().await.expect("the request reaches the server");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::POST, path, Some(token), Some(&body))
            .await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::PUT, path, Some(token), Some(&body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Res {
        self.call(Method::PATCH, path, Some(token), Some(&body))
            .await
    }

    /// Logs in and returns the whole token response.
    pub async fn login_full(&self, username: &str, password: &str) -> Res {
        self.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&json!({"username": username, "password": password})),
        )
        .await
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let r = self.login_full(username, password).await;
        r.ok(200)["access_token"]
            .as_str()
            .expect("access token")
            .to_string()
    }

    /// Moves the server's domain clock forward (deadlines, overdue, escalation).
    pub fn advance(&self, by: chrono::Duration) {
        self.state.clock.advance(by);
    }

    /// Polls `probe` until it yields a value (every 50 ms, at most 20 s).
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Runs blocking code against the app's database.
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut gridwork_server::db::DbConn) -> T + Send + 'static,
    ) -> T {
        let pool = self.state.pool.clone();
        tokio::task::spawn_blocking(move || f(&mut pool.get().expect("a connection")))
            .await
            .expect("db task")
    }
}

/// Declares each listed `async fn(TestApp)` as two tests, one per engine.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn($crate::Engine::Sqlite).await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::TestApp::spawn($crate::Engine::Postgres).await).await
                }
            )*
        }
    };
}

/// A loopback TCP proxy in front of a server that a test can switch off, to take the
/// server away from a browser (DevTools' offline mode does not stop a service worker).
pub struct Proxy {
    pub port: u16,
    on: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Proxy {
    pub async fn start(upstream: u16) -> Proxy {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let on = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let flag = on.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                if !flag.load(Ordering::SeqCst) {
                    drop(inbound); // the server is "away": the connection is refused at once
                    continue;
                }
                let flag = flag.clone();
                tokio::spawn(async move {
                    if let Ok(mut out) =
                        tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await
                    {
                        // Copy until either side closes or the proxy is switched off.
                        let copy = tokio::io::copy_bidirectional(&mut inbound, &mut out);
                        tokio::pin!(copy);
                        loop {
                            tokio::select! {
                                _ = &mut copy => break,
                                _ = tokio::time::sleep(std::time::Duration::from_millis(100)) => {
                                    if !flag.load(Ordering::SeqCst) { break; }
                                }
                            }
                        }
                    }
                });
            }
        });
        Proxy { port, on }
    }

    pub fn set(&self, on: bool) {
        self.on.store(on, std::sync::atomic::Ordering::SeqCst);
    }
}
