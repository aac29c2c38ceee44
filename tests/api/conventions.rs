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

/// Output times are `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.
async fn times_have_the_contract_format(app: TestApp) {
    let w = World::build(&app).await;
    let mut body =
        gridwork_tests::fixtures::incident("0401", gridwork_tests::fixtures::IN_CELL_1, "low");
    body["occurred_at"] = serde_json::json!("2026-11-25T09:30:00.5+08:00");
    let r = app.post("/api/v1/incidents", &w.worker1.token, body).await;
    let b = r.ok(201);
    let ok = |s: &str| {
        let b = s.as_bytes();
        let base =
            s.len() >= 20 && b[4] == b'-' && b[10] == b'T' && b[13] == b':' && s.ends_with('Z');
        let frac = &s[19..s.len() - 1];
        base && (frac.is_empty()
            || (frac.len() == 7
                && frac.starts_with('.')
                && frac[1..].bytes().all(|c| c.is_ascii_digit())))
    };
    for k in ["created_at", "updated_at", "due_at", "occurred_at"] {
        let v = b[k].as_str().unwrap();
        assert!(ok(v), "{k} = {v}");
    }
    assert_eq!(b["occurred_at"], "2026-11-25T01:30:00.500000Z");
}

/// No query parameter of any list or figure route, however crafted, ends a request
/// without an answer or with a 5xx: far dates, huge and odd numbers, long and broken text.
async fn crafted_query_parameters_get_an_answer(app: TestApp) {
    let w = World::build(&app).await;
    let spec = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    let paths = spec.ok(200)["paths"].as_object().unwrap().clone();
    let long = "9".repeat(5000);
    let values = [
        "-262143-01-01",
        "+262142-12-31",
        "+262142-12-31T00:00:00Z",
        "%2B262142-12-31",
        "%2B262142-12-31T00:00:00Z",
        "0001-01-01",
        "9999-12-31T23:59:59Z",
        "2026-02-30",
        "99999999999999999999999",
        "-9223372036854775808",
        "-1",
        "0",
        "1e308",
        "NaN",
        "-180,-90,180,90",
        "1,2,3,4,5",
        ",,,",
        "%FF%FE%00",
        "%00",
        "me",
        long.as_str(),
    ];
    let mut asked = 0;
    for (path, item) in &paths {
        let Some(get) = item.get("get") else { continue };
        // A stream stays open for minutes; `notifications.rs` checks its parameters.
        if get["responses"]["200"]["content"]
            .get("text/event-stream")
            .is_some()
        {
            continue;
        }
        let params: Vec<&str> = get["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "query")
                    .filter_map(|p| p["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        let concrete = path
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{code}", "500117001001001");
        for param in params {
            for value in values {
                for token in [&w.admin.token, &w.town1.token] {
                    let url = format!("{concrete}?{param}={value}");
                    let r = app.call(Method::GET, &url, Some(token), None).await;
                    assert!(
                        r.status.as_u16() < 500,
                        "GET {url} answered {}: {}",
                        r.status,
                        r.text
                    );
                    asked += 1;
                }
            }
        }
    }
    assert!(asked > 300, "only {asked} requests asked");
}

/// A body that is not one whole JSON document is `malformed_json`, even when a value
/// before the cut would also be refused.
async fn a_truncated_body_is_malformed_json(app: TestApp) {
    let w = World::build(&app).await;
    for body in [
        &b"{\"id\": \"abc\", "[..],
        b"{\"id\": 1",
        b"[",
        b"{\"a\":1} {}",
    ] {
        app.raw(
            Method::POST,
            "/api/v1/incidents",
            Some(&w.worker1.token),
            "application/json",
            body.to_vec(),
        )
        .await
        .problem(400, "malformed_json");
    }
    // No text may carry a NUL character (no database keeps one): 422, never a 500.
    app.raw(
        Method::POST,
        "/api/v1/regions",
        Some(&w.admin.token),
        "application/json",
        br#"{"code":"500117009","name":"x\u0000y","level":"town","parent_code":"500117"}"#.to_vec(),
    )
    .await
    .problem(422, "validation_failed");
    // A whole document with a bad value is still 422.
    app.raw(
        Method::POST,
        "/api/v1/incidents",
        Some(&w.worker1.token),
        "application/json",
        b"{\"id\": \"abc\"}".to_vec(),
    )
    .await
    .problem(422, "validation_failed");
}

/// Every answer says not to sniff and not to send a referrer; API answers (personal data
/// among them) are never stored by a cache.
async fn answers_carry_the_security_headers(app: TestApp) {
    let w = World::build(&app).await;
    let header = |r: &gridwork_tests::Res, name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    for (path, token) in [
        ("/api/v1/me", Some(w.worker1.token.as_str())),
        ("/api/v1/persons", Some(w.town1.token.as_str())),
        ("/api/v1/users", Some(w.admin.token.as_str())),
        ("/api/v1/audit", Some(w.admin.token.as_str())),
        ("/api/v1/sync/pull", Some(w.worker1.token.as_str())),
        ("/api/v1/me/visits/due", Some(w.worker1.token.as_str())),
        ("/api/v1/no-such-thing", Some(w.worker1.token.as_str())),
        ("/api/v1/me", None),
    ] {
        let r = app.call(Method::GET, path, token, None).await;
        assert_eq!(header(&r, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&r, "referrer-policy"), "no-referrer", "{path}");
        assert_eq!(header(&r, "cache-control"), "no-store", "{path}");
        assert_eq!(header(&r, "strict-transport-security"), "", "{path}");
    }
    let h = app.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(header(&h, "x-content-type-options"), "nosniff");
    let csp = header(&h, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

/// A role that may not use an endpoint is refused before its body is received: a
/// volunteer announcing a 50 MB cell import gets 403 at once, with the body never sent.
async fn refused_roles_do_not_cost_an_upload(app: TestApp) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let w = World::build(&app).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/v1/cells/import HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Content-Length: 50000000\r\n\r\n{{\"type\":",
        w.volunteer.token
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut answer))
        .await
        .expect("the server answers without waiting for the body")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 403"), "{text}");
}

both_engines!(
    refused_roles_do_not_cost_an_upload,
    answers_carry_the_security_headers,
    crafted_query_parameters_get_an_answer,
    a_truncated_body_is_malformed_json,
    times_have_the_contract_format,
    every_authenticated_route_needs_a_token,
    bodies_over_the_limit_are_413,
    unknown_paths_and_methods_are_problems,
);

/// Behind TLS, `GRIDWORK_HSTS` adds Strict-Transport-Security, and a configured tile server
/// may serve the map's images.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_and_the_tile_server_when_configured() {
    let app = TestApp::spawn_with(gridwork_tests::Engine::Sqlite, |c| {
        c.hsts = true;
        c.tile_origin = Some("https://tiles.example.org".into());
    })
    .await;
    let r = app.call(Method::GET, "/healthz", None, None).await;
    let get = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    assert!(get("strict-transport-security").starts_with("max-age="));
    assert!(
        get("content-security-policy")
            .contains("img-src 'self' data: blob: https://tiles.example.org"),
        "{}",
        get("content-security-policy")
    );
}

/// One user's writes are limited (`GRIDWORK_WRITE_LIMIT`): past its allowance a write is
/// `429 rate_limited` with `Retry-After`; reads and other users go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_past_the_allowance_are_rate_limited() {
    let app = TestApp::spawn_with(gridwork_tests::Engine::Sqlite, |c| {
        c.write_limit = gridwork_server::flow::limits::WriteLimit {
            burst: 40,
            per_minute: 1,
        };
    })
    .await;
    let w = World::build(&app).await;
    let mut limited = None;
    for i in 0..60 {
        let r = app
            .post(
                "/api/v1/incidents",
                &w.worker1.token,
                gridwork_tests::fixtures::incident(
                    "0401",
                    gridwork_tests::fixtures::IN_CELL_1,
                    "low",
                ),
            )
            .await;
        if r.status.as_u16() == 429 {
            limited = Some((i, r));
            break;
        }
        r.ok(201);
    }
    let (at, r) = limited.expect("the allowance runs out");
    assert!(at <= 40, "{at}");
    r.problem(429, "rate_limited");
    assert!(r.headers.contains_key("retry-after"));
    app.get("/api/v1/incidents", &w.worker1.token).await.ok(200);
    let other = app
        .post(
            "/api/v1/incidents",
            &w.worker2.token,
            gridwork_tests::fixtures::incident("0401", gridwork_tests::fixtures::IN_CELL_1, "low"),
        )
        .await;
    assert_ne!(other.status.as_u16(), 429, "another user is not limited");
}
