use gridwork_tests::fixtures::{PW, World};
use gridwork_tests::{TestApp, both_engines};
use serde_json::json;

async fn admin_creates_users_and_names_are_unique(app: TestApp) {
    let w = World::build(&app).await;
    let r = app
        .post(
            "/api/v1/users",
            &w.admin.token,
            json!({"username": "li.na", "password": PW, "role": "worker", "region_code": "500117001002", "display_name": "李娜"}),
        )
        .await;
    let u = r.ok(201);
    assert_eq!(u["role"], "worker");
    assert_eq!(u["active"], true);
    assert!(u.get("password_hash").is_none() && u.get("password").is_none());
    app.post(
        "/api/v1/users",
        &w.admin.token,
        json!({"username": "li.na", "password": PW, "role": "worker", "region_code": "500117001002", "display_name": "x"}),
    )
    .await
    .problem(409, "username_taken");
}

async fn user_input_is_validated(app: TestApp) {
    let w = World::build(&app).await;
    let r = app
        .post(
            "/api/v1/users",
            &w.admin.token,
            json!({"username": "x", "password": "short", "role": "worker", "region_code": "12", "display_name": "x"}),
        )
        .await;
    r.problem(422, "validation_failed");
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, ["password", "region_code", "username"]);
    app.post(
        "/api/v1/users",
        &w.admin.token,
        json!({"username": "bob", "password": PW, "role": "emperor", "region_code": "500117"}),
    )
    .await
    .problem(422, "validation_failed");
    app.post(
        "/api/v1/users",
        &w.admin.token,
        json!({"username": "bob", "password": PW, "role": "worker", "region_code": "500117009", "extra": 1}),
    )
    .await
    .problem(422, "validation_failed");
    // A region that does not exist.
    let r = app
        .post(
            "/api/v1/users",
            &w.admin.token,
            json!({"username": "bob", "password": PW, "role": "worker", "region_code": "500117009"}),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["region_code"]);
}

async fn only_admins_create_and_edit_users(app: TestApp) {
    let w = World::build(&app).await;
    let body = json!({"username": "eve", "password": PW, "role": "admin", "region_code": ""});
    for t in [&w.district.token, &w.worker1.token, &w.volunteer.token] {
        app.post("/api/v1/users", t, body.clone())
            .await
            .problem(403, "forbidden");
        app.patch(
            &format!("/api/v1/users/{}", w.worker1.id),
            t,
            json!({"display_name": "x"}),
        )
        .await
        .problem(403, "forbidden");
    }
    // 403 comes before body checks.
    app.post("/api/v1/users", &w.worker1.token, json!({"nonsense": true}))
        .await
        .problem(403, "forbidden");
}

async fn supervisors_list_users_in_their_scope(app: TestApp) {
    let w = World::build(&app).await;
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_string())
            .collect()
    };
    let all = app.get("/api/v1/users", &w.admin.token).await;
    assert_eq!(names(all.ok(200)).len(), 7);
    let t1 = app.get("/api/v1/users", &w.town1.token).await;
    let mut n = names(t1.ok(200));
    n.sort();
    assert_eq!(n, ["town1", "volunteer", "worker1"]);
    app.get(&format!("/api/v1/users/{}", w.worker1.id), &w.town1.token)
        .await
        .ok(200);
    app.get(&format!("/api/v1/users/{}", w.worker2.id), &w.town1.token)
        .await
        .problem(404, "not_found");
    app.get("/api/v1/users/not-a-uuid", &w.town1.token)
        .await
        .problem(404, "not_found");
    for t in [&w.worker1.token, &w.volunteer.token] {
        app.get("/api/v1/users", t).await.problem(403, "forbidden");
    }
}

async fn user_lists_page_newest_first(app: TestApp) {
    let w = World::build(&app).await;
    let p1 = app.get("/api/v1/users?limit=3", &w.admin.token).await;
    let p1 = p1.ok(200).clone();
    let first: Vec<_> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].clone())
        .collect();
    assert_eq!(first, ["volunteer", "worker2", "worker1"]);
    let cursor = p1["next_cursor"].as_str().unwrap();
    let p2 = app
        .get(
            &format!("/api/v1/users?limit=3&cursor={cursor}"),
            &w.admin.token,
        )
        .await;
    let p2 = p2.ok(200).clone();
    let second: Vec<_> = p2["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].clone())
        .collect();
    assert_eq!(second, ["town2", "town1", "district"]);
    let p3 = app
        .get(
            &format!(
                "/api/v1/users?limit=3&cursor={}",
                p2["next_cursor"].as_str().unwrap()
            ),
            &w.admin.token,
        )
        .await;
    assert_eq!(p3.ok(200)["items"].as_array().unwrap().len(), 1);
    assert!(p3.body["next_cursor"].is_null());
    for q in [
        "limit=0",
        "limit=501",
        "limit=abc",
        "cursor=garbage!",
        "bogus=1",
    ] {
        app.get(&format!("/api/v1/users?{q}"), &w.admin.token)
            .await
            .problem(422, "validation_failed");
    }
}

async fn admin_edits_users(app: TestApp) {
    let w = World::build(&app).await;
    let path = format!("/api/v1/users/{}", w.worker1.id);
    let r = app
        .patch(
            &path,
            &w.admin.token,
            json!({"display_name": "王芳", "region_code": "500117001002"}),
        )
        .await;
    let u = r.ok(200);
    assert_eq!(u["display_name"], "王芳");
    assert_eq!(u["region_code"], "500117001002");
    app.patch(&path, &w.admin.token, json!({"role": "admin"}))
        .await
        .problem(422, "validation_failed");
    app.patch(&path, &w.admin.token, json!({"password": "x"}))
        .await
        .problem(422, "validation_failed");
    app.patch(&path, &w.admin.token, json!({"shoe_size": 42}))
        .await
        .problem(422, "validation_failed");
    app.patch(
        "/api/v1/users/00000000-0000-0000-0000-000000000000",
        &w.admin.token,
        json!({"display_name": "x"}),
    )
    .await
    .problem(404, "not_found");
    app.patch(
        &path,
        &w.admin.token,
        json!({"password": "brand new password"}),
    )
    .await
    .ok(200);
    app.login_full("worker1", "brand new password")
        .await
        .ok(200);
}

/// The users list narrowed by a search, a role, a region and activity — within the caller's
/// scope, never beyond it; a bad filter is 422 naming it.
async fn users_are_searched_and_filtered(app: TestApp) {
    let w = World::build(&app).await;
    app.patch(
        &format!("/api/v1/users/{}", w.worker1.id),
        &w.admin.token,
        json!({"display_name": "文峰网格员 Zhang Wei"}),
    )
    .await
    .ok(200);
    let names = |v: &serde_json::Value| -> Vec<String> {
        let mut n: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    let list = |query: &str, token: &str| {
        let (app, path, token) = (&app, format!("/api/v1/users?{query}"), token.to_string());
        async move { names(app.get(&path, &token).await.ok(200)) }
    };
    let admin = w.admin.token.as_str();
    // By part of the display name (Chinese, or ASCII in any case) or of the username.
    assert_eq!(list("q=%E6%96%87%E5%B3%B0", admin).await, ["worker1"]);
    assert_eq!(list("q=zhang", admin).await, ["worker1"]);
    assert_eq!(list("q=WORKER", admin).await, ["worker1", "worker2"]);
    // `%` and `_` are searched for, not wildcards.
    assert!(list("q=%25", admin).await.is_empty());
    assert!(list("q=_", admin).await.is_empty());
    // By role, region (at or under it) and both.
    assert_eq!(list("role=worker", admin).await, ["worker1", "worker2"]);
    assert_eq!(
        list("region=500117001", admin).await,
        ["town1", "volunteer", "worker1"]
    );
    assert_eq!(
        list("role=worker&region=500117001001", admin).await,
        ["worker1"]
    );
    assert_eq!(list("role=admin", admin).await, ["admin"]);
    // Empty values filter nothing.
    assert_eq!(list("q=&role=&region=&active=", admin).await.len(), 7);
    // Activity.
    app.patch(
        &format!("/api/v1/users/{}", w.worker2.id),
        admin,
        json!({"active": false}),
    )
    .await
    .ok(200);
    assert_eq!(list("role=worker&active=true", admin).await, ["worker1"]);
    assert_eq!(list("active=false", admin).await, ["worker2"]);
    // A supervisor's filters stay inside its scope.
    assert!(
        list("role=worker&region=500117002", &w.town1.token)
            .await
            .is_empty()
    );
    assert_eq!(list("role=worker", &w.town1.token).await, ["worker1"]);
    // Bad filters: each named.
    let r = app
        .get("/api/v1/users?role=emperor&region=12&active=maybe", admin)
        .await;
    r.problem(422, "validation_failed");
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, ["active", "region", "role"]);
    app.get("/api/v1/users?colour=red", admin)
        .await
        .problem(422, "validation_failed");
    app.get(&format!("/api/v1/users?q={}", "x".repeat(101)), admin)
        .await
        .problem(422, "validation_failed");
    // Roles that may not list users are refused before the query is read.
    app.get("/api/v1/users?role=emperor", &w.worker1.token)
        .await
        .problem(403, "forbidden");
}

both_engines!(
    admin_creates_users_and_names_are_unique,
    user_input_is_validated,
    only_admins_create_and_edit_users,
    supervisors_list_users_in_their_scope,
    user_lists_page_newest_first,
    admin_edits_users,
    users_are_searched_and_filtered,
);
