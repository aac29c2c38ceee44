use chrono::{Duration, Utc};
use gridwork_tests::fixtures::{IN_CELL_1, IN_TOWN_2, World, incident, report, step};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

const CELL_2: (f64, f64) = (106.015, 29.005); // 500117001001002
const CELL_3: (f64, f64) = (106.005, 29.015); // 500117001002001

async fn person_at(app: &TestApp, token: &str, worker: &str, at: (f64, f64), risk: &str) -> String {
    let r = app
        .post("/api/v1/persons", token, json!({
            "id": uuid::Uuid::new_v4(), "category": "released_prisoner", "name": "某人", "id_number": "11010519491231002X",
            "address": "某处", "location": {"lon": at.0, "lat": at.1}, "risk_level": risk, "responsible_worker_id": worker}))
        .await;
    r.ok(201)["id"].as_str().unwrap().to_string()
}

async fn visit(app: &TestApp, token: &str, person: &str, outcome: &str) {
    let now = app.state.clock.now();
    app.post(&format!("/api/v1/persons/{person}/visits"), token, json!({
        "id": uuid::Uuid::new_v4(), "visited_at": now.to_rfc3339(), "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1},
        "outcome": outcome})).await.ok(201);
}

fn cell(fc: &Value, code: &str) -> Value {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["code"] == code)
        .unwrap()["properties"]
        .clone()
}

async fn the_map_colours_cells_by_what_is_late(app: TestApp) {
    let w = World::build(&app).await;
    report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    person_at(&app, &w.town1.token, &w.worker1.id, CELL_2, "high").await;
    let unit = app
        .post(
            "/api/v1/safety-units",
            &w.town1.token,
            json!({"id": uuid::Uuid::new_v4(), "kind": "shop",
        "name": "店", "address": "路", "location": {"lon": CELL_3.0, "lat": CELL_3.1}}),
        )
        .await
        .ok(201)
        .clone();
    let deadline = (Utc::now() + Duration::days(1)).to_rfc3339();
    app.post(&format!("/api/v1/safety-units/{}/inspections", unit["id"].as_str().unwrap()), &w.town1.token, json!({
        "id": uuid::Uuid::new_v4(), "inspected_at": Utc::now().to_rfc3339(), "location": {"lon": CELL_3.0, "lat": CELL_3.1},
        "result": "hazard", "hazards": [{"description": "电线裸露", "deadline": deadline}]})).await.ok(201);
    let before = app.get("/api/v1/map/cells", &w.district.token).await;
    let before = before.ok(200).clone();
    assert_eq!(cell(&before, "500117001001001")["color"], "yellow");
    assert_eq!(cell(&before, "500117001001002")["color"], "green");
    assert_eq!(cell(&before, "500117001002001")["color"], "yellow");
    assert_eq!(cell(&before, "500117001002001")["units"]["hazard"], 1);
    assert_eq!(cell(&before, "500117002001001")["color"], "green");
    // Every cell carries its (simplified) shape.
    for f in before["features"].as_array().unwrap() {
        let g = &f["geometry"];
        assert!(
            matches!(g["type"].as_str(), Some("Polygon" | "MultiPolygon")),
            "{f}"
        );
        assert!(
            g["coordinates"].as_array().is_some_and(|c| !c.is_empty()),
            "{f}"
        );
    }
    app.advance(Duration::days(8));
    let after = app.get("/api/v1/map/cells", &w.district.token).await;
    let after = after.ok(200).clone();
    assert_eq!(cell(&after, "500117001001002")["overdue_visits"], 1);
    assert_eq!(cell(&after, "500117001001002")["color"], "red");
    assert_eq!(cell(&after, "500117001002001")["units"]["overdue"], 1);
    assert_eq!(cell(&after, "500117001002001")["color"], "red");
    assert_eq!(cell(&after, "500117001001001")["open_incidents"], 1);
    // The map agrees with the lists.
    let open = app.get("/api/v1/incidents?cell=500117001001001&status=reported,accepted,dispatched,in_progress,resolved,rework", &w.district.token).await;
    assert_eq!(open.ok(200)["items"].as_array().unwrap().len(), 1);
    let overdue = app
        .get(
            "/api/v1/persons?cell=500117001001002&due=overdue",
            &w.district.token,
        )
        .await;
    assert_eq!(overdue.ok(200)["items"].as_array().unwrap().len(), 1);
    // Scope, filters, refusals.
    let mine = app.get("/api/v1/map/cells", &w.worker1.token).await;
    assert_eq!(mine.ok(200)["features"].as_array().unwrap().len(), 1);
    let town2 = app.get("/api/v1/map/cells", &w.town2.token).await;
    assert_eq!(town2.ok(200)["features"].as_array().unwrap().len(), 1);
    let bbox = app
        .get(
            "/api/v1/map/cells?bbox=106.0,29.0,106.02,29.005",
            &w.district.token,
        )
        .await;
    assert_eq!(bbox.ok(200)["features"].as_array().unwrap().len(), 2);
    app.get("/api/v1/map/cells", &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    app.get("/api/v1/map/cells?bbox=1,2", &w.district.token)
        .await
        .problem(422, "validation_failed");
    let _ = IN_TOWN_2;
}

async fn figures_match_a_hand_count(app: TestApp) {
    let w = World::build(&app).await;
    let t1 = &w.town1.token;
    // Day 0. A and B go round the loop at once (B via rework); C stays reported; D is urgent
    // with a 3.6-second deadline.
    let a = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let b = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    for (inc, rework) in [(&a, false), (&b, true)] {
        let id = inc["id"].as_str().unwrap();
        step(&app, t1, id, "accept", json!({})).await.ok(200);
        step(
            &app,
            t1,
            id,
            "dispatch",
            json!({"assignee_id": w.worker1.id}),
        )
        .await
        .ok(200);
        step(&app, &w.worker1.token, id, "start", json!({}))
            .await
            .ok(200);
        step(&app, &w.worker1.token, id, "resolve", json!({}))
            .await
            .ok(200);
        if rework {
            step(&app, t1, id, "rework", json!({})).await.ok(200);
            step(&app, &w.worker1.token, id, "start", json!({}))
                .await
                .ok(200);
            step(&app, &w.worker1.token, id, "resolve", json!({}))
                .await
                .ok(200);
        }
        step(&app, t1, id, "verify", json!({})).await.ok(200);
    }
    report(&app, &w.volunteer.token, incident("0401", CELL_3, "low")).await;
    // D's deadline is 3.6 seconds at every level: the escalation sweep takes it up to the
    // district (where it stops) before the clock moves on, so it is late whenever it closes.
    app.patch(
        "/api/v1/categories/0502",
        &w.admin.token,
        json!({"deadline_hours": {"community": 0.001, "town": 0.001, "district": 0.001}}),
    )
    .await
    .ok(200);
    let d = report(&app, &w.worker1.token, incident("0502", CELL_3, "urgent")).await;
    let d_url = format!("/api/v1/incidents/{}", d["id"].as_str().unwrap());
    app.wait_for("D escalated to the district", || async {
        (app.get(&d_url, &w.district.token).await.body["level"] == "district").then_some(())
    })
    .await;
    let p1 = person_at(&app, t1, &w.worker1.id, IN_CELL_1, "high").await;
    let _p2 = person_at(&app, t1, &w.worker1.id, IN_CELL_1, "high").await;
    let p3 = person_at(&app, t1, &w.worker1.id, IN_CELL_1, "high").await;
    // Day 5: P3 met on time; D closed late.
    app.advance(Duration::days(5));
    visit(&app, &w.worker1.token, &p3, "met").await;
    step(
        &app,
        &w.worker1.token,
        d["id"].as_str().unwrap(),
        "self_close",
        json!({}),
    )
    .await
    .ok(200);
    // Day 8: P1 met late; P2 missed; one hazard inspection.
    app.advance(Duration::days(3));
    visit(&app, &w.worker1.token, &p1, "met").await;
    let unit = app
        .post(
            "/api/v1/safety-units",
            &w.worker1.token,
            json!({"id": uuid::Uuid::new_v4(), "kind": "shop",
        "name": "店", "address": "路", "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}}),
        )
        .await
        .ok(201)
        .clone();
    let now = app.state.clock.now();
    app.post(&format!("/api/v1/safety-units/{}/inspections", unit["id"].as_str().unwrap()), &w.worker1.token, json!({
        "id": uuid::Uuid::new_v4(), "inspected_at": now.to_rfc3339(), "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1},
        "result": "hazard", "hazards": [{"description": "堆物", "deadline": (now + Duration::days(12)).to_rfc3339()}]})).await.ok(201);

    let s = app
        .get("/api/v1/stats?region=500117001", &w.district.token)
        .await;
    let s = s.ok(200).clone();
    let o = &s["overall"];
    assert_eq!(
        (o["filed"].as_i64(), o["closed"].as_i64()),
        (Some(4), Some(3)),
        "{s}"
    );
    assert!((o["closed_on_time_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(o["rework_rate"], 0.5);
    assert_eq!(o["visits_due"], 3);
    assert!((o["visits_on_time_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        (o["inspections"].as_i64(), o["hazards_open"].as_i64()),
        (Some(1), Some(1))
    );
    let kids = s["children"].as_array().unwrap();
    let c1 = kids
        .iter()
        .find(|c| c["region_code"] == "500117001001")
        .unwrap();
    let c2 = kids
        .iter()
        .find(|c| c["region_code"] == "500117001002")
        .unwrap();
    assert_eq!(c1["name"], "文峰社区");
    assert_eq!(
        (
            c1["filed"].as_i64(),
            c1["closed"].as_i64(),
            c1["closed_on_time_rate"].as_f64()
        ),
        (Some(2), Some(2), Some(1.0))
    );
    assert_eq!(
        (
            c2["filed"].as_i64(),
            c2["closed"].as_i64(),
            c2["closed_on_time_rate"].as_f64()
        ),
        (Some(2), Some(1), Some(0.0))
    );
    assert!(c2["rework_rate"].is_null(), "nothing verified there");
    assert!(c2["visits_on_time_rate"].is_null());
    // Per worker.
    let ws = app
        .get("/api/v1/stats/workers?region=500117001", &w.town1.token)
        .await;
    let ws = ws.ok(200).as_array().unwrap().clone();
    let w1 = ws.iter().find(|x| x["username"] == "worker1").unwrap();
    assert_eq!(
        (
            w1["filed"].as_i64(),
            w1["closed"].as_i64(),
            w1["visits"].as_i64(),
            w1["visits_on_time"].as_i64(),
            w1["inspections"].as_i64()
        ),
        (Some(3), Some(3), Some(2), Some(1), Some(1))
    );
    // Exports.
    let csv = app
        .http
        .get(format!(
            "{}/api/v1/stats/export?format=csv&region=500117001",
            app.base
        ))
        .bearer_auth(t1)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(
        text.contains("region_code,name,filed")
            && text.contains("\"500117001001\",\"文峰社区\",2,2"),
        "{text}"
    );
    let xlsx = app
        .http
        .get(format!("{}/api/v1/stats/export?format=xlsx", app.base))
        .bearer_auth(t1)
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    // Scope and input.
    app.get("/api/v1/stats?region=500117002", t1)
        .await
        .problem(404, "not_found");
    app.get("/api/v1/stats", &w.worker1.token)
        .await
        .problem(403, "forbidden");
    app.get("/api/v1/stats/export?format=pdf", t1)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/stats?from=2026-13-01", t1)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/stats?from=2026-11-20&to=2026-11-01", t1)
        .await
        .problem(422, "validation_failed");
    // Nothing due in an empty range: null rates.
    let empty = app
        .get("/api/v1/stats?from=2020-01-01&to=2020-01-31", t1)
        .await;
    assert!(empty.ok(200)["overall"]["closed_on_time_rate"].is_null());
    assert_eq!(empty.body["overall"]["filed"], 0);
}

/// The figures per worker come out as a file too (`table=workers`), in CSV and Excel, with
/// text that a spreadsheet would run as a formula defused; only supervisors and admins get
/// them, before anything of the query is looked at.
async fn figures_per_worker_export(app: TestApp) {
    let w = World::build(&app).await;
    let t1 = &w.town1.token;
    report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    app.post(
        "/api/v1/users",
        &w.admin.token,
        json!({"username": "worker9", "password": "a-long-password", "role": "worker",
               "region_code": "500117001001", "display_name": "=HYPERLINK(\"http://x\")"}),
    )
    .await
    .ok(201);
    let csv = app
        .get(
            "/api/v1/stats/export?format=csv&table=workers&region=500117001",
            t1,
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let disposition = csv.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("gridwork-workers-500117001-") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}worker_id,username,display_name,region_code,filed,closed,visits,\
         visits_due_answered,visits_on_time,inspections"
    );
    assert!(
        lines.contains(
            &format!(
                "\"{}\",\"worker1\",\"worker1\",\"500117001001\",2,0,0,0,0,0",
                w.worker1.id
            )
            .as_str()
        ),
        "{}",
        csv.text
    );
    assert!(
        csv.text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "a name that looks like a formula is written as text: {}",
        csv.text
    );
    // Workers of town 2 are not in town 1's file.
    assert!(!csv.text.contains("\"worker2\""), "{}", csv.text);
    let xlsx = app
        .get("/api/v1/stats/export?format=xlsx&table=workers", t1)
        .await;
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.headers["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".xlsx\"")
    );
    // The regions' table stays the default, and says so when asked by name.
    let regions = app
        .get(
            "/api/v1/stats/export?format=csv&table=regions&region=500117001",
            t1,
        )
        .await;
    assert!(
        regions.text.contains("region_code,name,filed"),
        "{}",
        regions.text
    );
    // Wrong tables and formats; files only from the export.
    app.get("/api/v1/stats/export?format=csv&table=persons", t1)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/stats/workers?table=workers", t1)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/stats?table=workers", t1)
        .await
        .problem(422, "validation_failed");
    app.get(
        "/api/v1/stats/export?format=csv&table=workers&region=500117002",
        t1,
    )
    .await
    .problem(404, "not_found");
    // The role is refused first, whatever the query.
    for token in [&w.worker1.token, &w.volunteer.token] {
        app.get("/api/v1/stats/export?format=pdf&table=x", token)
            .await
            .problem(403, "forbidden");
        app.get("/api/v1/stats/workers?from=bad", token)
            .await
            .problem(403, "forbidden");
    }
}

both_engines!(
    the_map_colours_cells_by_what_is_late,
    figures_match_a_hand_count,
    figures_per_worker_export
);
