use gridwork_tests::fixtures::World;
use gridwork_tests::{TestApp, both_engines};
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

both_engines!(health_readiness_and_metrics, openapi_matches_the_snapshot);
