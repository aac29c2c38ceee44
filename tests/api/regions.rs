use gridwork_tests::fixtures::World;
use gridwork_tests::{TestApp, both_engines};
use serde_json::json;

fn codes(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

async fn regions_form_a_tree(app: TestApp) {
    let w = World::build(&app).await;
    let r = app
        .post(
            "/api/v1/regions",
            &w.admin.token,
            json!({"code": "500117002002", "name": "新村", "level": "community", "parent_code": "500117002"}),
        )
        .await;
    let b = r.ok(201);
    assert_eq!(b["level"], "community");
    assert_eq!(b["parent_code"], "500117002");
    let all = app.get("/api/v1/regions", &w.admin.token).await;
    assert_eq!(codes(all.ok(200)).len(), 7);
    app.post(
        "/api/v1/regions",
        &w.admin.token,
        json!({"code": "500117002002", "name": "又一村", "level": "community", "parent_code": "500117002"}),
    )
    .await
    .problem(409, "code_taken");
}

async fn region_codes_are_validated(app: TestApp) {
    let w = World::build(&app).await;
    let bad = [
        json!({"code": "5001170", "name": "x", "level": "town", "parent_code": "500117"}),
        json!({"code": "500117003", "name": "x", "level": "community", "parent_code": "500117"}),
        json!({"code": "500117003", "name": "x", "level": "town", "parent_code": "500118"}),
        json!({"code": "500118", "name": "x", "level": "district", "parent_code": "500117"}),
        json!({"code": "500117003", "name": "", "level": "town", "parent_code": "500117"}),
        json!({"code": "500117003", "name": "x", "level": "city", "parent_code": "500117"}),
        // Parent well-formed but missing.
        json!({"code": "500118001", "name": "x", "level": "town", "parent_code": "500118"}),
    ];
    for b in bad {
        app.post("/api/v1/regions", &w.admin.token, b)
            .await
            .problem(422, "validation_failed");
    }
    let all = app.get("/api/v1/regions", &w.admin.token).await;
    assert_eq!(codes(all.ok(200)).len(), 6, "nothing was written");
}

async fn regions_are_scoped(app: TestApp) {
    let w = World::build(&app).await;
    let t2 = app.get("/api/v1/regions", &w.town2.token).await;
    assert_eq!(codes(t2.ok(200)), ["500117002", "500117002001"]);
    let wk = app.get("/api/v1/regions", &w.worker1.token).await;
    assert_eq!(codes(wk.ok(200)), ["500117", "500117001", "500117001001"]);
    for t in [&w.district.token, &w.worker1.token, &w.volunteer.token] {
        app.post(
            "/api/v1/regions",
            t,
            json!({"code": "500117009", "name": "x", "level": "town", "parent_code": "500117"}),
        )
        .await
        .problem(403, "forbidden");
    }
}

both_engines!(
    regions_form_a_tree,
    region_codes_are_validated,
    regions_are_scoped
);
