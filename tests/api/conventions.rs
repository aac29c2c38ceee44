//! The contract's conventions that hold for every route.

use gridwork_tests::fixtures::World;
use gridwork_tests::{TestApp, both_engines};
use reqwest::Method;

/// Every route the server publishes, with a method, answers 401 without a token.
async fn every_authenticated_route_needs_a_token(app: TestApp) {
    let spec = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    let paths = spec.ok(200)["paths"].as_object().unwrap().clone();
    let open = [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/openapi.json",
    ];
    let mut checked = 0;
    for (path, item) in paths {
        if !path.starts_with("/api/v1/") || open.contains(&path.as_str()) {
            continue;
        }
        let concrete = path
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{code}", "500117001001001");
        for method in item.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            app.call(m, &concrete, None, None)
                .await
                .problem(401, "unauthorized");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} routes checked");
}

async fn bodies_over_the_limit_are_413(app: TestApp) {
    let w = World::build(&app).await;
    let big = format!("{{\"code\":\"{}\"}}", "9".repeat(1024 * 1024 + 10));
    app.raw(
        Method::POST,
        "/api/v1/regions",
        Some(&w.admin.token),
        "application/json",
        big.into_bytes(),
    )
    .await
    .problem(413, "too_large");
    // 403 is decided before the body is looked at.
    let big = format!("{{\"code\":\"{}\"}}", "9".repeat(1024 * 1024 + 10));
    app.raw(
        Method::POST,
        "/api/v1/regions",
        Some(&w.worker1.token),
        "application/json",
        big.into_bytes(),
    )
    .await
    .problem(403, "forbidden");
}

async fn unknown_paths_and_methods_are_problems(app: TestApp) {
    let w = World::build(&app).await;
    app.get("/api/v1/no-such-thing", &w.admin.token)
        .await
        .problem(404, "not_found");
    app.call(
        Method::DELETE,
        "/api/v1/regions",
        Some(&w.admin.token),
        None,
    )
    .await
    .problem(405, "method_not_allowed");
}

both_engines!(
    every_authenticated_route_needs_a_token,
    bodies_over_the_limit_are_413,
    unknown_paths_and_methods_are_problems,
);
