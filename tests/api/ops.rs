use gridwork_tests::fixtures::World;
use gridwork_tests::{Engine, TestApp, both_engines};
use reqwest::Method;

async fn health_readiness_and_metrics(app: TestApp) {
    let w = World::build(&app).await;
    let h = app.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(h.status, 200);
    let r = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.status, 200);
    app.get("/api/v1/cells", &w.admin.token).await.ok(200);
    let m = app.call(Method::GET, "/metrics", None, None).await;
    assert_eq!(m.status, 200);
    assert!(
        m.text.contains(
            "gridwork_http_requests_total{method=\"GET\",route=\"/api/v1/cells\",status=\"200\"}"
        ),
        "{}",
        m.text
    );
    assert!(m.text.contains("gridwork_grid_cells 4"), "{}", m.text);
}

/// The published spec is the committed snapshot (`cargo xtask openapi` regenerates it).
async fn openapi_matches_the_snapshot(app: TestApp) {
    let spec = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    let live = spec.ok(200).clone();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default())
            .unwrap_or_default();
    assert!(
        live == committed,
        "the OpenAPI spec changed; review it and run `cargo xtask openapi` to update {path}"
    );
}

/// Made-up request methods all count under one label: they cannot grow `/metrics`.
async fn made_up_methods_do_not_grow_the_metrics(app: TestApp) {
    let before = app
        .call(Method::GET, "/metrics", None, None)
        .await
        .text
        .len();
    for i in 0..50u8 {
        let mut name = vec![b'X'; 2000];
        name[0] = b'A' + (i % 26);
        name[1] = b'A' + (i / 26);
        let method = Method::from_bytes(&name).expect("a token");
        let r = app.call(method, "/api/v1/cells", None, None).await;
        assert!(r.status.as_u16() >= 400, "{}", r.status);
    }
    let m = app.call(Method::GET, "/metrics", None, None).await;
    assert_eq!(m.status, 200);
    assert!(m.text.contains("method=\"OTHER\""), "{}", m.text);
    assert!(
        m.text.len() < before + 4_000,
        "/metrics grew from {before} to {} bytes",
        m.text.len()
    );
}

both_engines!(
    health_readiness_and_metrics,
    openapi_matches_the_snapshot,
    made_up_methods_do_not_grow_the_metrics
);

/// With `GRIDWORK_METRICS_TOKEN` set, `/metrics` answers only that bearer token.
async fn metrics_need_the_token_when_one_is_set(engine: Engine) {
    let token = "a-metrics-token-of-some-length";
    let app = TestApp::spawn_with(engine, |c| c.metrics_token = Some(token.into())).await;
    app.call(Method::GET, "/metrics", None, None)
        .await
        .problem(401, "unauthorized");
    app.call(
        Method::GET,
        "/metrics",
        Some("a-metrics-token-of-other-length"),
        None,
    )
    .await
    .problem(401, "unauthorized");
    let right = app.call(Method::GET, "/metrics", Some(token), None).await;
    assert_eq!(right.status, 200);
    assert!(right.text.contains("gridwork_http_requests_total"));
    // The health probes stay open.
    assert_eq!(
        app.call(Method::GET, "/healthz", None, None).await.status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_when_one_is_set_sqlite() {
    metrics_need_the_token_when_one_is_set(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_when_one_is_set_postgres() {
    metrics_need_the_token_when_one_is_set(Engine::Postgres).await
}

/// A server with no web directory serves the client its binary carries (unpacked once into
/// its data directory), its files, and the API documentation; one told not to answers
/// without a client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_a_web_directory_serves_the_client_it_carries() {
    let app = TestApp::spawn_with(Engine::Sqlite, |c| {
        c.embedded_client = true;
        c.web_dir = c.data_dir.join("no-such-directory");
    })
    .await;
    let page = app.call(Method::GET, "/", None, None).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("gridwork-web-"), "{}", page.text);
    let wasm = page
        .text
        .split(['"', '\''])
        .find(|s| s.ends_with("_bg.wasm"))
        .expect("the page names its wasm module")
        .to_string();
    let module = app
        .http
        .get(format!("{}/{}", app.base, wasm.trim_start_matches('/')))
        .send()
        .await
        .unwrap();
    assert_eq!(module.status(), 200);
    assert_eq!(module.headers()["content-type"], "application/wasm");
    // A route of the app opens the app.
    let deep = app.call(Method::GET, "/persons/new", None, None).await;
    assert_eq!(deep.status, 200);
    assert!(deep.text.contains("gridwork-web-"));
    let docs = app.call(Method::GET, "/api/docs", None, None).await;
    assert_eq!(docs.status, 200);
    assert!(docs.text.contains("swagger-ui-bundle-"), "{}", docs.text);
    let unpacked: Vec<_> = std::fs::read_dir(&app.state.config.data_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("web-"))
        .collect();
    assert_eq!(unpacked.len(), 1, "one copy of the client");

    let bare = TestApp::spawn(Engine::Sqlite).await;
    let page = bare.call(Method::GET, "/", None, None).await;
    assert!(page.text.contains("has not been built"), "{}", page.text);
    bare.call(Method::GET, "/api/docs", None, None)
        .await
        .problem(404, "not_found");
}
