use gridwork_tests::fixtures::{PW, World, bootstrap_admin};
use gridwork_tests::{TestApp, both_engines};
use reqwest::Method;
use serde_json::json;

async fn login_answers_the_contract_shape(app: TestApp) {
    let w = World::build(&app).await;
    let r = app.login_full("worker1", PW).await;
    let b = r.ok(200);
    assert_eq!(b["token_type"], "Bearer");
    assert!(b["expires_in"].as_i64().unwrap() <= 900);
    assert!(b["refresh_token"].as_str().unwrap().len() >= 32);
    assert_eq!(b["user"]["id"], w.worker1.id);
    assert_eq!(b["user"]["role"], "worker");
    assert_eq!(b["user"]["region_code"], "500117001001");
    let me = app
        .get("/api/v1/me", b["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.ok(200)["username"], "worker1");
}

async fn wrong_credentials_are_401(app: TestApp) {
    World::build(&app).await;
    app.login_full("worker1", "wrong password")
        .await
        .problem(401, "invalid_credentials");
    app.login_full("nobody", PW)
        .await
        .problem(401, "invalid_credentials");
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(&json!({"username": "worker1"})),
    )
    .await
    .problem(422, "validation_failed");
    app.raw(
        Method::POST,
        "/api/v1/auth/login",
        None,
        "application/json",
        b"{\"username\":".to_vec(),
    )
    .await
    .problem(400, "malformed_json");
    app.raw(
        Method::POST,
        "/api/v1/auth/login",
        None,
        "text/plain",
        b"hi".to_vec(),
    )
    .await
    .problem(415, "unsupported_media");
}

async fn throttles_after_five_failures_until_unlocked(app: TestApp) {
    let w = World::build(&app).await;
    for _ in 0..5 {
        app.login_full("worker1", "wrong password")
            .await
            .problem(401, "invalid_credentials");
    }
    let r = app.login_full("worker1", PW).await;
    r.problem(429, "too_many_attempts");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    // Other users are not affected.
    app.login_full("worker2", PW).await.ok(200);
    // Only an admin unlocks.
    app.post(
        &format!("/api/v1/users/{}/unlock", w.worker1.id),
        &w.town1.token,
        json!({}),
    )
    .await
    .problem(403, "forbidden");
    app.call(
        Method::POST,
        &format!("/api/v1/users/{}/unlock", w.worker1.id),
        Some(&w.admin.token),
        None,
    )
    .await
    .ok(204);
    app.login_full("worker1", PW).await.ok(200);
    app.call(
        Method::POST,
        "/api/v1/users/00000000-0000-0000-0000-000000000000/unlock",
        Some(&w.admin.token),
        None,
    )
    .await
    .problem(404, "not_found");
}

async fn refresh_rotates_and_reuse_revokes_the_chain(app: TestApp) {
    World::build(&app).await;
    let first = app.login_full("worker1", PW).await.ok(200).clone();
    let r1 = first["refresh_token"].as_str().unwrap();
    let second = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": r1})),
        )
        .await;
    let second = second.ok(200).clone();
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    app.get("/api/v1/me", second["access_token"].as_str().unwrap())
        .await
        .ok(200);
    // Presenting the spent token again: 401, and the whole chain is revoked.
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": r1})),
    )
    .await
    .problem(401, "unauthorized");
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": r2})),
    )
    .await
    .problem(401, "unauthorized");
    // Another session of the same user is untouched.
    let other = app.login_full("worker1", PW).await.ok(200).clone();
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": other["refresh_token"]})),
    )
    .await
    .ok(200);
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": "nonsense"})),
    )
    .await
    .problem(401, "unauthorized");
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"token": "x"})),
    )
    .await
    .problem(422, "validation_failed");
}

async fn logout_spends_the_session(app: TestApp) {
    World::build(&app).await;
    let s = app.login_full("worker1", PW).await.ok(200).clone();
    let rt = s["refresh_token"].clone();
    app.call(
        Method::POST,
        "/api/v1/auth/logout",
        None,
        Some(&json!({"refresh_token": rt})),
    )
    .await
    .ok(204);
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": rt})),
    )
    .await
    .problem(401, "unauthorized");
    app.call(Method::POST, "/api/v1/auth/logout", None, Some(&json!({})))
        .await
        .problem(422, "validation_failed");
}

async fn tokens_are_checked_on_every_request(app: TestApp) {
    let w = World::build(&app).await;
    app.call(Method::GET, "/api/v1/me", None, None)
        .await
        .problem(401, "unauthorized");
    app.get("/api/v1/me", "not-a-jwt")
        .await
        .problem(401, "unauthorized");
    let forged = format!("{}x", w.worker1.token);
    app.get("/api/v1/me", &forged)
        .await
        .problem(401, "unauthorized");
    // Deactivation takes effect at once, for access and refresh tokens alike.
    let s = app.login_full("worker2", PW).await.ok(200).clone();
    app.patch(
        &format!("/api/v1/users/{}", w.worker2.id),
        &w.admin.token,
        json!({"active": false}),
    )
    .await
    .ok(200);
    app.get("/api/v1/me", &w.worker2.token)
        .await
        .problem(401, "unauthorized");
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(&json!({"refresh_token": s["refresh_token"]})),
    )
    .await
    .problem(401, "unauthorized");
    app.login_full("worker2", PW)
        .await
        .problem(401, "invalid_credentials");
}

async fn password_change_needs_the_current_one(app: TestApp) {
    let admin = bootstrap_admin(&app, "root").await;
    app.post(
        "/api/v1/me/password",
        &admin.token,
        json!({"current": "wrong one!", "new": "a new password"}),
    )
    .await
    .problem(422, "validation_failed");
    app.post(
        "/api/v1/me/password",
        &admin.token,
        json!({"current": PW, "new": "short"}),
    )
    .await
    .problem(422, "validation_failed");
    app.post(
        "/api/v1/me/password",
        &admin.token,
        json!({"current": PW, "new": "a new password"}),
    )
    .await
    .ok(204);
    app.login_full("root", PW)
        .await
        .problem(401, "invalid_credentials");
    app.login_full("root", "a new password").await.ok(200);
}

/// Guessing the current password through `/me/password` is throttled like logins: five
/// wrong guesses lock the account's password checks, the right one included.
async fn password_changes_are_throttled_like_logins(app: TestApp) {
    let admin = bootstrap_admin(&app, "root").await;
    for _ in 0..5 {
        app.post(
            "/api/v1/me/password",
            &admin.token,
            json!({"current": "a wrong guess", "new": "a new password"}),
        )
        .await
        .problem(422, "validation_failed");
    }
    let r = app
        .post(
            "/api/v1/me/password",
            &admin.token,
            json!({"current": PW, "new": "a new password"}),
        )
        .await;
    r.problem(429, "too_many_attempts");
    assert!(r.headers.contains_key("retry-after"));
    app.login_full("root", PW)
        .await
        .problem(429, "too_many_attempts");
}

/// Thirty wrong passwords for one username sent at once: at most five are checked (401),
/// every other one is refused by the throttle (429) — the attempt is counted before the
/// password is verified.
async fn throttling_holds_under_concurrency(app: TestApp) {
    let _w = World::build(&app).await;
    let answers = futures_util::future::join_all(
        (0..30).map(|_| app.login_full("worker1", "wrong password")),
    )
    .await;
    let checked = answers.iter().filter(|r| r.status.as_u16() == 401).count();
    let throttled = answers.iter().filter(|r| r.status.as_u16() == 429).count();
    assert_eq!(
        checked + throttled,
        30,
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(checked <= 5, "{checked} passwords were checked");
    assert!(throttled >= 25);
    app.login_full("worker1", PW)
        .await
        .problem(429, "too_many_attempts");
}

both_engines!(
    throttling_holds_under_concurrency,
    login_answers_the_contract_shape,
    wrong_credentials_are_401,
    throttles_after_five_failures_until_unlocked,
    refresh_rotates_and_reuse_revokes_the_chain,
    logout_spends_the_session,
    tokens_are_checked_on_every_request,
    password_change_needs_the_current_one,
    password_changes_are_throttled_like_logins,
);

/// Behind a trusted proxy, the client's address comes from `X-Forwarded-For` (audit and
/// per-address throttling); from anyone else, the header is not believed.
async fn forwarded_for_is_believed_only_from_trusted_proxies(engine: gridwork_tests::Engine) {
    for (trusted, expected) in [(true, "203.0.113.9"), (false, "127.0.0.1")] {
        let app = TestApp::spawn_with(engine, |c| {
            if trusted {
                c.trusted_proxies =
                    gridwork_server::app::config::parse_networks("127.0.0.1").unwrap();
            }
        })
        .await;
        let w = World::build(&app).await;
        let r = app
            .http
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("x-forwarded-for", "203.0.113.9")
            .json(&json!({"username": "worker2", "password": "wrong password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
        let audit = app
            .get("/api/v1/audit?entity=user&limit=500", &w.admin.token)
            .await;
        let failure = audit.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "login" && e["outcome"] == "failure")
            .cloned()
            .expect("the failed login is audited");
        assert_eq!(failure["ip"], expected, "trusted: {trusted}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_is_believed_only_from_trusted_proxies_sqlite() {
    forwarded_for_is_believed_only_from_trusted_proxies(gridwork_tests::Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_is_believed_only_from_trusted_proxies_postgres() {
    forwarded_for_is_believed_only_from_trusted_proxies(gridwork_tests::Engine::Postgres).await
}
