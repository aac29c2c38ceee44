use chrono::{Duration, Utc};
use gridwork_tests::fixtures::{IN_CELL_1, IN_TOWN_2, World, jpeg_with_exif};
use gridwork_tests::{TestApp, both_engines};
use reqwest::Method;
use serde_json::{Value, json};

fn unit(kind: &str, at: (f64, f64)) -> Value {
    json!({"id": uuid::Uuid::new_v4(), "kind": kind, "name": "文峰小学", "address": "文峰路8号", "location": {"lon": at.0, "lat": at.1}})
}

fn inspection(result: &str, hazards: Value) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "inspected_at": Utc::now().to_rfc3339(),
        "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1},
        "result": result,
        "hazards": hazards,
        "note": "例行检查",
    })
}

async fn units_go_from_unknown_to_hazard_to_overdue_to_safe(app: TestApp) {
    let w = World::build(&app).await;
    let body = unit("school", IN_CELL_1);
    let u = app
        .post("/api/v1/safety-units", &w.worker1.token, body.clone())
        .await;
    let u = u.ok(201).clone();
    assert_eq!(u["status"], "unknown");
    assert_eq!(u["cell_code"], "500117001001001");
    assert_eq!(
        app.post("/api/v1/safety-units", &w.worker1.token, body)
            .await
            .ok(201)["id"],
        u["id"]
    );
    let id = u["id"].as_str().unwrap();
    let url = format!("/api/v1/safety-units/{id}/inspections");
    let deadline = (Utc::now() + Duration::days(3)).to_rfc3339();
    let ins = inspection(
        "hazard",
        json!([{"description": "灭火器过期", "deadline": deadline}, {"description": "疏散通道堆物", "deadline": deadline}]),
    );
    let r = app.post(&url, &w.worker1.token, ins.clone()).await;
    assert_eq!(r.ok(201)["hazards"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.post(&url, &w.worker1.token, ins).await.ok(201)["hazards"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "replay"
    );
    let d = app
        .get(&format!("/api/v1/safety-units/{id}"), &w.worker1.token)
        .await;
    assert_eq!(d.ok(200)["status"], "hazard");
    assert_eq!(d.body["open_hazards"], 2);
    app.advance(Duration::days(4));
    let d = app
        .get(&format!("/api/v1/safety-units/{id}"), &w.town1.token)
        .await;
    assert_eq!(d.ok(200)["status"], "overdue");
    let l = app
        .get("/api/v1/safety-units?status=overdue", &w.town1.token)
        .await;
    assert_eq!(l.ok(200)["items"][0]["id"], u["id"]);
    assert!(
        app.get("/api/v1/safety-units?status=hazard", &w.town1.token)
            .await
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A safe inspection closes every open hazard.
    let mut safe = inspection("safe", json!([]));
    safe["inspected_at"] = json!((Utc::now() + Duration::days(4)).to_rfc3339());
    app.post(&url, &w.worker1.token, safe).await.ok(201);
    let d = app
        .get(&format!("/api/v1/safety-units/{id}"), &w.town1.token)
        .await;
    let d = d.ok(200);
    assert_eq!(d["status"], "safe");
    assert_eq!(d["open_hazards"], 0);
    let inspections = d["inspections"].as_array().unwrap();
    assert_eq!(inspections.len(), 2);
    assert_eq!(inspections[0]["result"], "safe", "latest first");
    assert!(
        inspections[1]["hazards"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["closed_at"].is_string())
    );
    // Photos on inspections.
    let ins_id = inspections[0]["id"].as_str().unwrap();
    app.raw(
        Method::POST,
        &format!("/api/v1/inspections/{ins_id}/photos"),
        Some(&w.worker1.token),
        "image/jpeg",
        jpeg_with_exif(),
    )
    .await
    .ok(201);
    app.raw(
        Method::POST,
        &format!("/api/v1/inspections/{ins_id}/photos"),
        Some(&w.worker2.token),
        "image/jpeg",
        jpeg_with_exif(),
    )
    .await
    .problem(404, "not_found");
}

async fn inspections_are_validated(app: TestApp) {
    let w = World::build(&app).await;
    let u = app
        .post(
            "/api/v1/safety-units",
            &w.worker1.token,
            unit("shop", IN_CELL_1),
        )
        .await;
    let id = u.ok(201)["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/safety-units/{id}/inspections");
    let deadline = (Utc::now() + Duration::days(3)).to_rfc3339();
    for bad in [
        inspection("hazard", json!([])),
        inspection("safe", json!([{"description": "x", "deadline": deadline}])),
        inspection("dangerous", json!([])),
        inspection("hazard", json!([{"description": "", "deadline": deadline}])),
        inspection(
            "hazard",
            json!([{"description": "x", "deadline": "2000-01-01T00:00:00Z"}]),
        ),
        {
            let mut i = inspection("safe", json!([]));
            i["accuracy_m"] = json!(-3.0);
            i
        },
    ] {
        app.post(&url, &w.worker1.token, bad)
            .await
            .problem(422, "validation_failed");
    }
    let d = app
        .get(&format!("/api/v1/safety-units/{id}"), &w.worker1.token)
        .await;
    assert_eq!(d.ok(200)["status"], "unknown", "nothing written");
    let mut bad_unit = unit("castle", IN_CELL_1);
    app.post("/api/v1/safety-units", &w.worker1.token, bad_unit.clone())
        .await
        .problem(422, "validation_failed");
    bad_unit["kind"] = json!("market");
    bad_unit["location"] = json!({"lon": 100.0, "lat": 20.0});
    app.post("/api/v1/safety-units", &w.worker1.token, bad_unit)
        .await
        .problem(422, "outside_grid");
    for q in ["status=burning", "kind=castle", "cell=9", "region=1", "x=1"] {
        app.get(&format!("/api/v1/safety-units?{q}"), &w.town1.token)
            .await
            .problem(422, "validation_failed");
    }
}

async fn units_are_scoped(app: TestApp) {
    let w = World::build(&app).await;
    let u = app
        .post(
            "/api/v1/safety-units",
            &w.worker1.token,
            unit("household", IN_CELL_1),
        )
        .await;
    let id = u.ok(201)["id"].as_str().unwrap().to_string();
    app.post(
        "/api/v1/safety-units",
        &w.worker2.token,
        unit("market", IN_TOWN_2),
    )
    .await
    .ok(201);
    for t in [&w.town2.token, &w.worker2.token] {
        app.get(&format!("/api/v1/safety-units/{id}"), t)
            .await
            .problem(404, "not_found");
        app.post(
            &format!("/api/v1/safety-units/{id}/inspections"),
            t,
            inspection("safe", json!([])),
        )
        .await
        .problem(404, "not_found");
        assert_eq!(
            app.get("/api/v1/safety-units", t).await.ok(200)["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
    app.put(
        &format!("/api/v1/safety-units/{id}/certification"),
        &w.town2.token,
        json!({"level": "town", "version": 1}),
    )
    .await
    .problem(404, "not_found");
    app.get("/api/v1/safety-units", &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/v1/safety-units",
        &w.volunteer.token,
        unit("shop", IN_CELL_1),
    )
    .await
    .problem(403, "forbidden");
    app.get(&format!("/api/v1/safety-units/{id}"), &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    // Registering a unit outside one's region.
    let r = app
        .post(
            "/api/v1/safety-units",
            &w.worker1.token,
            unit("shop", IN_TOWN_2),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["location"]);
}

async fn supervisors_certify_at_their_level(app: TestApp) {
    let w = World::build(&app).await;
    let u = app
        .post(
            "/api/v1/safety-units",
            &w.worker1.token,
            unit("hospital", IN_CELL_1),
        )
        .await;
    let id = u.ok(201)["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/safety-units/{id}/certification");
    app.put(
        &url,
        &w.worker1.token,
        json!({"level": "town", "version": 1}),
    )
    .await
    .problem(403, "forbidden");
    app.put(
        &url,
        &w.town1.token,
        json!({"level": "district", "version": 1}),
    )
    .await
    .problem(403, "forbidden");
    app.put(
        &url,
        &w.town1.token,
        json!({"level": "palace", "version": 1}),
    )
    .await
    .problem(422, "validation_failed");
    app.put(&url, &w.town1.token, json!({"level": "town"}))
        .await
        .problem(422, "validation_failed");
    let r = app
        .put(&url, &w.town1.token, json!({"level": "town", "version": 1}))
        .await;
    assert_eq!(r.ok(200)["certification"], "town");
    app.put(&url, &w.town1.token, json!({"level": "town", "version": 1}))
        .await
        .problem(409, "version_conflict");
    let r = app
        .put(
            &url,
            &w.district.token,
            json!({"level": "district", "version": 2}),
        )
        .await;
    assert_eq!(r.ok(200)["certification"], "district");
    // Withdrawing a district certification takes the district, and so does lowering it.
    app.put(&url, &w.town1.token, json!({"level": "town", "version": 3}))
        .await
        .problem(403, "forbidden");
    app.put(&url, &w.town1.token, json!({"level": "none", "version": 3}))
        .await
        .problem(403, "forbidden");
    assert_eq!(
        app.put(&url, &w.admin.token, json!({"level": "none", "version": 3}))
            .await
            .ok(200)["certification"],
        "none"
    );
}

async fn the_safety_picture_rolls_up(app: TestApp) {
    let w = World::build(&app).await;
    let deadline = (Utc::now() + Duration::days(3)).to_rfc3339();
    let a = app
        .post(
            "/api/v1/safety-units",
            &w.town1.token,
            unit("school", IN_CELL_1),
        )
        .await
        .ok(201)
        .clone();
    let b = app
        .post(
            "/api/v1/safety-units",
            &w.town1.token,
            unit("shop", (106.015, 29.005)),
        )
        .await
        .ok(201)
        .clone();
    app.post(
        "/api/v1/safety-units",
        &w.town1.token,
        unit("market", (106.005, 29.015)),
    )
    .await
    .ok(201);
    app.post(
        "/api/v1/safety-units",
        &w.town2.token,
        unit("enterprise", IN_TOWN_2),
    )
    .await
    .ok(201);
    app.post(
        &format!(
            "/api/v1/safety-units/{}/inspections",
            a["id"].as_str().unwrap()
        ),
        &w.town1.token,
        inspection("safe", json!([])),
    )
    .await
    .ok(201);
    app.post(
        &format!(
            "/api/v1/safety-units/{}/inspections",
            b["id"].as_str().unwrap()
        ),
        &w.town1.token,
        inspection(
            "hazard",
            json!([{"description": "电线老化", "deadline": deadline}]),
        ),
    )
    .await
    .ok(201);
    app.put(
        &format!(
            "/api/v1/safety-units/{}/certification",
            a["id"].as_str().unwrap()
        ),
        &w.town1.token,
        json!({"level": "town", "version": 2}),
    )
    .await
    .ok(200);
    let r = app
        .get(
            "/api/v1/safety-units/rollup?region=500117001",
            &w.district.token,
        )
        .await;
    let r = r.ok(200);
    assert_eq!(r["overall"]["total"], 3);
    assert_eq!(r["name"], "合阳城街道", "the region is named");
    assert_eq!(
        (
            r["overall"]["safe"].as_u64(),
            r["overall"]["hazard"].as_u64(),
            r["overall"]["unknown"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(r["overall"]["certified_town"], 1);
    let children: Vec<(String, String, u64)> = r["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["name"].as_str().unwrap().to_string(),
                c["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        children,
        [
            ("500117001001".to_string(), "文峰社区".to_string(), 2),
            ("500117001002".to_string(), "白塔社区".to_string(), 1)
        ]
    );
    let cells = app
        .get(
            "/api/v1/safety-units/rollup?region=500117001001",
            &w.town1.token,
        )
        .await;
    let cells = cells.ok(200);
    assert_eq!(cells["name"], "文峰社区");
    let cells = cells["children"].as_array().unwrap();
    assert_eq!(cells.len(), 2);
    // A community's children are its cells, by their names.
    for cell in cells {
        let code = cell["code"].as_str().unwrap();
        assert_eq!(code.len(), 15);
        assert_eq!(cell["name"], format!("网格{code}"));
    }
    let mine = app.get("/api/v1/safety-units/rollup", &w.town2.token).await;
    assert_eq!(mine.ok(200)["overall"]["total"], 1, "a town sees its own");
    let scoped = app
        .get("/api/v1/safety-units/rollup?region=500117", &w.town2.token)
        .await;
    assert_eq!(
        scoped.ok(200)["overall"]["total"],
        1,
        "never beyond its scope"
    );
    app.get("/api/v1/safety-units/rollup?region=5", &w.town1.token)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/safety-units/rollup", &w.volunteer.token)
        .await
        .problem(403, "forbidden");
}

/// An inspection keeps how far from the unit's registered place it was made, and how the
/// position was taken (a GPS fix's accuracy, or a tap on the map), as a visit does.
async fn inspections_say_where_they_were_made(app: TestApp) {
    let w = World::build(&app).await;
    let u = app
        .post(
            "/api/v1/safety-units",
            &w.worker1.token,
            unit("shop", IN_CELL_1),
        )
        .await;
    let id = u.ok(201)["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/safety-units/{id}/inspections");
    let mut here = inspection("safe", json!([]));
    here["accuracy_m"] = json!(8.0);
    let here = app.post(&url, &w.worker1.token, here).await;
    let here = here.ok(201).clone();
    assert_eq!(here["distance_m"], 0.0);
    assert_eq!(here["far"], false);
    assert_eq!(here["accuracy_m"], 8.0);
    assert_eq!(here["picked_on_map"], false);
    // 0.02° of latitude north: about 2.2 km away, tapped on the map.
    let mut away = inspection("safe", json!([]));
    away["location"] = json!({"lon": IN_CELL_1.0, "lat": IN_CELL_1.1 + 0.02});
    away["picked_on_map"] = json!(true);
    let away = app.post(&url, &w.worker1.token, away).await;
    let away = away.ok(201).clone();
    let m = away["distance_m"].as_f64().unwrap();
    assert!((2_100.0..2_300.0).contains(&m), "{m}");
    assert_eq!(away["far"], true);
    assert!(away.get("accuracy_m").is_none());
    assert_eq!(away["picked_on_map"], true);
    // The unit's page lists both with the same facts.
    let d = app
        .get(&format!("/api/v1/safety-units/{id}"), &w.town1.token)
        .await;
    let listed: Vec<(bool, bool)> = d.ok(200)["inspections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["far"].as_bool().unwrap(),
                i["picked_on_map"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&(true, true)) && listed.contains(&(false, false)));
}

both_engines!(
    inspections_say_where_they_were_made,
    units_go_from_unknown_to_hazard_to_overdue_to_safe,
    inspections_are_validated,
    units_are_scoped,
    supervisors_certify_at_their_level,
    the_safety_picture_rolls_up,
);
