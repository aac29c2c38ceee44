use gridwork_tests::fixtures::{World, collection, square_feature};
use gridwork_tests::{TestApp, both_engines};
use reqwest::Method;
use serde_json::{Value, json};

fn codes(fc: &Value) -> Vec<String> {
    assert_eq!(fc["type"], "FeatureCollection");
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["code"].as_str().unwrap().to_string())
        .collect()
}

async fn live_count(app: &TestApp, token: &str) -> usize {
    codes(app.get("/api/v1/cells", token).await.ok(200)).len()
}

async fn import_reports_every_bad_feature_and_writes_nothing(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.admin.token;
    let good = square_feature("500117001002002", "ok", 106.01, 29.01, 0.01);
    let bad_code = square_feature("50011700100", "bad code", 106.05, 29.05, 0.01);
    let unknown_community =
        square_feature("500117009001001", "no such community", 106.06, 29.06, 0.01);
    let unclosed = json!({"type": "Feature", "properties": {"code": "500117001002003", "name": "open ring"},
        "geometry": {"type": "Polygon", "coordinates": [[[106.2, 29.2], [106.21, 29.2], [106.21, 29.21], [106.2, 29.21]]]}});
    let bowtie = json!({"type": "Feature", "properties": {"code": "500117001002004", "name": "bowtie"},
        "geometry": {"type": "Polygon", "coordinates": [[[106.3, 29.3], [106.31, 29.31], [106.31, 29.3], [106.3, 29.31], [106.3, 29.3]]]}});
    let out_of_range = square_feature("500117001002005", "far away", 181.0, 29.0, 0.01);
    // Overlaps live cell 500117001002001 (same community).
    let overlapping = square_feature("500117001002006", "overlap", 105.995, 29.015, 0.01);
    let point = json!({"type": "Feature", "properties": {"code": "500117001002007", "name": "a point"},
        "geometry": {"type": "Point", "coordinates": [106.0, 29.0]}});
    let fc = collection(vec![
        good,
        bad_code,
        unknown_community,
        unclosed,
        bowtie,
        out_of_range,
        overlapping,
        point,
    ]);
    let r = app.post("/api/v1/cells/import", t, fc).await;
    r.problem(422, "validation_failed");
    let fields = r.fields();
    for i in 1..=7 {
        assert!(
            fields
                .iter()
                .any(|f| f.starts_with(&format!("features[{i}]"))),
            "features[{i}] not reported: {fields:?}"
        );
    }
    assert!(
        !fields.iter().any(|f| f.starts_with("features[0]")),
        "{}",
        r.text
    );
    // An unknown community is reported, and no feature is said to overlap itself.
    assert!(
        r.text.contains("community 500117009001 does not exist"),
        "{}",
        r.text
    );
    assert!(
        !r.text.contains("overlaps features[2] (500117009001001)"),
        "{}",
        r.text
    );
    let self_overlap = r.body["errors"].as_array().unwrap().iter().any(|e| {
        let f = e["field"].as_str().unwrap();
        let idx = &f[..f.find(']').unwrap() + 1];
        e["message"]
            .as_str()
            .unwrap()
            .contains(&format!("overlaps {idx}"))
    });
    assert!(!self_overlap, "{}", r.text);
    assert_eq!(live_count(&app, t).await, 4, "nothing was written");

    app.post(
        "/api/v1/cells/import",
        t,
        json!({"type": "FeatureCollection"}),
    )
    .await
    .problem(422, "validation_failed");
    app.post("/api/v1/cells/import", t, json!([1, 2]))
        .await
        .problem(422, "validation_failed");
    app.raw(
        Method::POST,
        "/api/v1/cells/import",
        Some(t),
        "application/geo+json",
        b"{\"type\":".to_vec(),
    )
    .await
    .problem(400, "malformed_json");
}

async fn features_of_one_file_may_not_overlap_or_repeat(app: TestApp) {
    let w = World::build(&app).await;
    let a = square_feature("500117001002010", "a", 106.50, 29.50, 0.02);
    let b = square_feature("500117001002011", "b", 106.51, 29.51, 0.02);
    let a_again = square_feature("500117001002010", "a again", 106.60, 29.60, 0.01);
    let r = app
        .post(
            "/api/v1/cells/import",
            &w.admin.token,
            collection(vec![a, b, a_again]),
        )
        .await;
    r.problem(422, "validation_failed");
    let f = r.fields();
    assert!(f.iter().any(|x| x.starts_with("features[1]")), "{f:?}");
    assert!(f.iter().any(|x| x.starts_with("features[2]")), "{f:?}");
}

async fn reimport_retires_and_keeps_history(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.admin.token;
    // Same geometry and name: left alone. Changed geometry: updated. New code: created.
    let same = square_feature(
        "500117001001001",
        "网格500117001001001",
        106.00,
        29.00,
        0.01,
    );
    let moved = square_feature("500117001001002", "renamed", 106.01, 29.00, 0.008);
    let new = square_feature("500117001001003", "new", 106.02, 29.00, 0.01);
    let r = app
        .post(
            "/api/v1/cells/import",
            t,
            collection(vec![same.clone(), moved.clone(), new]),
        )
        .await;
    let b = r.ok(200);
    assert_eq!(
        (b["created"].as_u64(), b["updated"].as_u64()),
        (Some(1), Some(1))
    );
    let cell = app.get("/api/v1/cells/500117001001002", t).await;
    let cell = cell.ok(200);
    assert_eq!(cell["properties"]["name"], "renamed");
    assert!(cell["properties"]["valid_to"].is_null());
    // The old version is kept, retired.
    let versions = app
        .with_db(|c| {
            use diesel::prelude::*;
            use gridwork_server::db::schema::cells::dsl::*;
            cells
                .filter(code.eq("500117001001002"))
                .select(valid_to.is_not_null())
                .load::<bool>(c)
                .unwrap()
        })
        .await;
    let mut v = versions;
    v.sort();
    assert_eq!(v, [false, true]);
    // Cells absent from a file stay; a replaced cell does not overlap with itself.
    let r = app
        .post("/api/v1/cells/import", t, collection(vec![same, moved]))
        .await;
    assert_eq!(r.ok(200)["updated"], 0);
    assert_eq!(live_count(&app, t).await, 5);
}

async fn cells_are_listed_by_scope_bbox_and_region(app: TestApp) {
    let w = World::build(&app).await;
    let all = app.get("/api/v1/cells", &w.admin.token).await;
    assert_eq!(codes(all.ok(200)).len(), 4);
    let bbox = app
        .get(
            "/api/v1/cells?bbox=105.99,28.99,106.015,29.005",
            &w.admin.token,
        )
        .await;
    assert_eq!(codes(bbox.ok(200)), ["500117001001001", "500117001001002"]);
    let region = app
        .get("/api/v1/cells?region=500117002", &w.admin.token)
        .await;
    assert_eq!(codes(region.ok(200)), ["500117002001001"]);
    let town1 = app.get("/api/v1/cells", &w.town1.token).await;
    assert_eq!(codes(town1.ok(200)).len(), 3);
    let worker = app.get("/api/v1/cells", &w.worker1.token).await;
    assert_eq!(codes(worker.ok(200)), ["500117001001001"]);
    for q in [
        "bbox=1,2,3",
        "bbox=10,10,5,5",
        "bbox=a,b,c,d",
        "region=12",
        "colour=red",
    ] {
        app.get(&format!("/api/v1/cells?{q}"), &w.admin.token)
            .await
            .problem(422, "validation_failed");
    }
    // One cell, in and out of scope.
    let f = app
        .get("/api/v1/cells/500117001001001", &w.worker1.token)
        .await;
    let f = f.ok(200);
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["geometry"]["type"], "Polygon");
    assert_eq!(f["properties"]["community_code"], "500117001001");
    app.get("/api/v1/cells/500117001001002", &w.worker1.token)
        .await
        .problem(404, "not_found");
    app.get("/api/v1/cells/500117001001001", &w.town2.token)
        .await
        .problem(404, "not_found");
    app.get("/api/v1/cells/999", &w.admin.token)
        .await
        .problem(404, "not_found");
    let mine = app.get("/api/v1/me/cells", &w.worker1.token).await;
    let mine = mine.ok(200).as_array().unwrap().clone();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["code"], "500117001001001");
}

async fn points_locate_to_one_cell(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.admin.token;
    let r = app
        .get("/api/v1/cells/locate?lon=106.005&lat=29.005", t)
        .await;
    let b = r.ok(200);
    assert_eq!(b["code"], "500117001001001");
    assert_eq!(b["community_code"], "500117001001");
    assert_eq!(b["name"], "网格500117001001001");
    // On the border shared by 001001001 and 001001002: the lowest code.
    let border = app
        .get("/api/v1/cells/locate?lon=106.01&lat=29.005", t)
        .await;
    assert_eq!(border.ok(200)["code"], "500117001001001");
    // The corner shared by three cells.
    let corner = app
        .get("/api/v1/cells/locate?lon=106.01&lat=29.01", t)
        .await;
    assert_eq!(corner.ok(200)["code"], "500117001001001");
    app.get("/api/v1/cells/locate?lon=100&lat=20", t)
        .await
        .problem(404, "outside_grid");
    for q in ["lon=200&lat=29", "lon=106", "lon=x&lat=y", ""] {
        app.get(&format!("/api/v1/cells/locate?{q}"), t)
            .await
            .problem(422, "validation_failed");
    }
    // Out of the caller's region: not revealed.
    app.get(
        "/api/v1/cells/locate?lon=106.105&lat=29.005",
        &w.town1.token,
    )
    .await
    .problem(404, "outside_grid");
    // A worker locates anywhere in its region (it reports from all of it), not beyond.
    let mine = app
        .get(
            "/api/v1/cells/locate?lon=106.015&lat=29.005",
            &w.worker1.token,
        )
        .await;
    assert_eq!(mine.ok(200)["code"], "500117001001002");
    app.get(
        "/api/v1/cells/locate?lon=106.005&lat=29.015",
        &w.worker1.token,
    )
    .await
    .problem(404, "outside_grid");
}

async fn an_import_is_seen_by_locate_at_once(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.admin.token;
    app.get("/api/v1/cells/locate?lon=106.025&lat=29.005", t)
        .await
        .problem(404, "outside_grid");
    let f = square_feature("500117001001003", "east", 106.02, 29.00, 0.01);
    app.post("/api/v1/cells/import", t, collection(vec![f]))
        .await
        .ok(200);
    let r = app
        .get("/api/v1/cells/locate?lon=106.025&lat=29.005", t)
        .await;
    assert_eq!(r.ok(200)["code"], "500117001001003");
}

/// Two server processes on one database: an import through one is seen by the other's
/// in-memory index at once.
async fn processes_sharing_a_database_agree_on_the_grid(app: TestApp) {
    let w = World::build(&app).await;
    let other = TestApp::spawn_sharing(&app).await;
    let t = &w.admin.token;
    let probe = "/api/v1/cells/locate?lon=106.025&lat=29.005";
    other.get(probe, t).await.problem(404, "outside_grid");
    let f = square_feature("500117001001003", "east", 106.02, 29.00, 0.01);
    app.post("/api/v1/cells/import", t, collection(vec![f]))
        .await
        .ok(200);
    assert_eq!(other.get(probe, t).await.ok(200)["code"], "500117001001003");
}

async fn admins_assign_workers(app: TestApp) {
    let w = World::build(&app).await;
    let t = &w.admin.token;
    let path = "/api/v1/cells/500117001001002/workers";
    let r = app
        .put(path, t, json!({"worker_ids": [w.worker1.id, w.worker1.id]}))
        .await;
    let b = r.ok(200);
    assert_eq!(b["worker_ids"], json!([w.worker1.id]));
    assert_eq!(b["workers"][0]["username"], "worker1");
    let mine = app.get("/api/v1/cells", &w.worker1.token).await;
    assert_eq!(codes(mine.ok(200)).len(), 2);
    let r = app.put(path, t, json!({"worker_ids": [w.worker1.id, w.town1.id, "00000000-0000-0000-0000-000000000000"]})).await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["worker_ids[1]", "worker_ids[2]"]);
    app.put(path, t, json!({"worker_ids": ["not-a-uuid"]}))
        .await
        .problem(422, "validation_failed");
    app.put(
        "/api/v1/cells/500117001001999/workers",
        t,
        json!({"worker_ids": []}),
    )
    .await
    .problem(404, "not_found");
    app.put(path, &w.district.token, json!({"worker_ids": []}))
        .await
        .problem(403, "forbidden");
    // Supervisors read assignments in their scope only.
    app.get(path, &w.town1.token).await.ok(200);
    app.get(path, &w.town2.token)
        .await
        .problem(404, "not_found");
    // A worker reads who else looks after its own cells, not other cells; volunteers
    // never.
    let mine = app.get(path, &w.worker1.token).await;
    assert_eq!(mine.ok(200)["workers"][0]["username"], "worker1");
    app.get("/api/v1/cells/500117002001001/workers", &w.worker1.token)
        .await
        .problem(404, "not_found");
    app.get(path, &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    // Unassigning removes the cell from the worker's scope.
    app.put(path, t, json!({"worker_ids": []})).await.ok(200);
    let mine = app.get("/api/v1/cells", &w.worker1.token).await;
    assert_eq!(codes(mine.ok(200)).len(), 1);
}

async fn only_admins_import(app: TestApp) {
    let w = World::build(&app).await;
    let fc = collection(vec![square_feature(
        "500117001001003",
        "x",
        106.02,
        29.00,
        0.01,
    )]);
    for t in [&w.district.token, &w.worker1.token, &w.volunteer.token] {
        app.post("/api/v1/cells/import", t, fc.clone())
            .await
            .problem(403, "forbidden");
    }
}

/// A cell's name is shown on every map and in every list: markup and control characters
/// in it are refused at import, and nothing is written.
async fn names_with_markup_are_refused_at_import(app: TestApp) {
    let w = World::build(&app).await;
    let before = live_count(&app, &w.admin.token).await;
    let bad = square_feature(
        "500117001002010",
        "<img src=x onerror=alert(document.cookie)>",
        106.50,
        29.50,
        0.02,
    );
    let bell = square_feature("500117001002011", "铃\u{7}声", 106.60, 29.60, 0.02);
    let r = app
        .post(
            "/api/v1/cells/import",
            &w.admin.token,
            collection(vec![bad, bell]),
        )
        .await;
    r.problem(422, "validation_failed");
    let f = r.fields();
    assert!(
        f.contains(&"features[0].properties.name".to_string()),
        "{f:?}"
    );
    assert!(
        f.contains(&"features[1].properties.name".to_string()),
        "{f:?}"
    );
    assert_eq!(live_count(&app, &w.admin.token).await, before);
}

/// An outline with more vertices than any cell has is refused, naming the feature, before
/// the costly geometry checks.
async fn outlines_with_too_many_vertices_are_refused(app: TestApp) {
    let w = World::build(&app).await;
    let n = 25_000;
    let mut ring: Vec<[f64; 2]> = (0..n)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / n as f64;
            [106.5 + 0.01 * a.cos(), 29.5 + 0.01 * a.sin()]
        })
        .collect();
    ring.push(ring[0]);
    let feature = serde_json::json!({
        "type": "Feature",
        "properties": {"code": "500117001002010", "name": "多边形"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    });
    let r = app
        .post(
            "/api/v1/cells/import",
            &w.admin.token,
            collection(vec![feature]),
        )
        .await;
    r.problem(422, "validation_failed");
    assert!(
        r.fields().contains(&"features[0].geometry".to_string()),
        "{:?}",
        r.fields()
    );
}

both_engines!(
    outlines_with_too_many_vertices_are_refused,
    names_with_markup_are_refused_at_import,
    import_reports_every_bad_feature_and_writes_nothing,
    features_of_one_file_may_not_overlap_or_repeat,
    reimport_retires_and_keeps_history,
    cells_are_listed_by_scope_bbox_and_region,
    points_locate_to_one_cell,
    an_import_is_seen_by_locate_at_once,
    processes_sharing_a_database_agree_on_the_grid,
    admins_assign_workers,
    only_admins_import,
);
