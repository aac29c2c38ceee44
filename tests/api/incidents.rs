use chrono::{DateTime, Duration, Utc};
use gridwork_shared::calendar::WorkCalendar;
use gridwork_tests::fixtures::{
    IN_CELL_1, IN_TOWN_2, World, create_user, incident, jpeg_with_exif, report, step,
};
use gridwork_tests::{TestApp, both_engines};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn ts(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn a_report_goes_round_the_whole_loop(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(
        &app,
        &w.worker1.token,
        incident("0401", IN_CELL_1, "medium"),
    )
    .await;
    let id = inc["id"].as_str().unwrap().to_string();
    assert_eq!(inc["status"], "reported");
    assert_eq!(inc["level"], "community");
    assert_eq!(inc["cell_code"], "500117001001001");
    assert_eq!(inc["version"], 1);
    assert_eq!(inc["reporter_id"], w.worker1.id);
    assert!(inc["possible_duplicates"].as_array().unwrap().is_empty());
    let photo = app
        .raw(
            Method::POST,
            &format!("/api/v1/incidents/{id}/photos"),
            Some(&w.worker1.token),
            "image/jpeg",
            jpeg_with_exif(),
        )
        .await;
    photo.ok(201);

    step(&app, &w.town1.token, &id, "accept", json!({"note": "受理"}))
        .await
        .ok(200);
    step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await
    .ok(200);
    // Only the assignee starts and resolves.
    step(&app, &w.town1.token, &id, "start", json!({}))
        .await
        .problem(403, "forbidden");
    step(&app, &w.worker1.token, &id, "start", json!({}))
        .await
        .ok(200);
    step(
        &app,
        &w.worker1.token,
        &id,
        "resolve",
        json!({"note": "已清理"}),
    )
    .await
    .ok(200);
    // A worker does not verify.
    step(&app, &w.worker1.token, &id, "verify", json!({}))
        .await
        .problem(403, "forbidden");
    step(
        &app,
        &w.town1.token,
        &id,
        "rework",
        json!({"note": "还有一箱"}),
    )
    .await
    .ok(200);
    step(&app, &w.worker1.token, &id, "start", json!({}))
        .await
        .ok(200);
    step(&app, &w.worker1.token, &id, "resolve", json!({}))
        .await
        .ok(200);
    let done = step(
        &app,
        &w.town1.token,
        &id,
        "verify",
        json!({"note": "核查通过"}),
    )
    .await;
    let done = done.ok(200);
    assert_eq!(done["status"], "closed");
    assert_eq!(done["resolver_id"], w.worker1.id);
    assert!(done["closed_at"].is_string());
    assert_eq!(done["photos"].as_array().unwrap().len(), 1);
    let h = done["history"].as_array().unwrap();
    let steps: Vec<(&str, &str, &str)> = h
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["from"].as_str().unwrap_or("-"),
                e["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("report", "-", "reported"),
            ("accept", "reported", "accepted"),
            ("dispatch", "accepted", "dispatched"),
            ("start", "dispatched", "in_progress"),
            ("resolve", "in_progress", "resolved"),
            ("rework", "resolved", "rework"),
            ("start", "rework", "in_progress"),
            ("resolve", "in_progress", "resolved"),
            ("verify", "resolved", "closed"),
        ]
    );
    assert_eq!(h[1]["note"], "受理");
    assert_eq!(h[1]["actor_id"], w.town1.id);
    assert_eq!(h[2]["data"]["assignee_id"], w.worker1.id);
    assert_eq!(done["version"], 9, "one version per step");
    // Nothing more can happen to a closed incident but comments.
    step(&app, &w.town1.token, &id, "accept", json!({}))
        .await
        .problem(409, "invalid_transition");
    step(
        &app,
        &w.worker1.token,
        &id,
        "comment",
        json!({"note": "谢谢"}),
    )
    .await
    .ok(200);
}

async fn creates_are_idempotent_and_validated(app: TestApp) {
    let w = World::build(&app).await;
    let body = incident("0401", IN_CELL_1, "low");
    let first = report(&app, &w.worker1.token, body.clone()).await;
    let again = app
        .post("/api/v1/incidents", &w.worker1.token, body.clone())
        .await;
    assert_eq!(again.ok(201)["id"], first["id"]);
    assert_eq!(again.body["created_at"], first["created_at"]);
    let list = app
        .get("/api/v1/incidents?reporter=me", &w.worker1.token)
        .await;
    assert_eq!(
        list.ok(200)["items"].as_array().unwrap().len(),
        1,
        "no duplicate"
    );
    let mut changed = body.clone();
    changed["title"] = json!("another title");
    app.post("/api/v1/incidents", &w.worker1.token, changed)
        .await
        .problem(409, "id_conflict");
    // Someone else reusing the id.
    app.post("/api/v1/incidents", &w.volunteer.token, body)
        .await
        .problem(409, "id_conflict");
    // Off the grid.
    let r = app
        .post(
            "/api/v1/incidents",
            &w.worker1.token,
            incident("0401", (100.0, 20.0), "low"),
        )
        .await;
    r.problem(422, "outside_grid");
    // Bad values, each named.
    let mut bad = incident("0401", IN_CELL_1, "catastrophic");
    app.post("/api/v1/incidents", &w.worker1.token, bad.clone())
        .await
        .problem(422, "validation_failed");
    bad["severity"] = json!("low");
    bad["category"] = json!("9999");
    let r = app
        .post("/api/v1/incidents", &w.worker1.token, bad.clone())
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["category"]);
    bad["category"] = json!("12");
    bad["title"] = json!(" ");
    bad["location"] = json!({"lon": 200, "lat": 29});
    let r = app
        .post("/api/v1/incidents", &w.worker1.token, bad.clone())
        .await;
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, ["category", "location.lon", "title"]);
    let mut extra = incident("0401", IN_CELL_1, "low");
    extra["priority"] = json!(1);
    app.post("/api/v1/incidents", &w.worker1.token, extra)
        .await
        .problem(422, "validation_failed");
    app.raw(
        Method::POST,
        "/api/v1/incidents",
        Some(&w.worker1.token),
        "application/json",
        b"{".to_vec(),
    )
    .await
    .problem(400, "malformed_json");
    let list = app.get("/api/v1/incidents", &w.admin.token).await;
    assert_eq!(
        list.ok(200)["items"].as_array().unwrap().len(),
        1,
        "nothing else was written"
    );
}

async fn every_role_refusal_and_illegal_step(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(
        &app,
        &w.volunteer.token,
        incident("0501", IN_CELL_1, "medium"),
    )
    .await;
    let id = inc["id"].as_str().unwrap().to_string();
    // Out of scope: 404, whatever the action.
    step(&app, &w.town2.token, &id, "accept", json!({}))
        .await
        .problem(404, "not_found");
    step(&app, &w.worker2.token, &id, "comment", json!({"note": "x"}))
        .await
        .problem(404, "not_found");
    app.get(&format!("/api/v1/incidents/{id}"), &w.town2.token)
        .await
        .problem(404, "not_found");
    // In scope but not allowed: 403.
    for (token, action) in [
        (&w.worker1.token, "accept"),
        (&w.worker1.token, "reject"),
        (&w.worker1.token, "escalate"),
        (&w.volunteer.token, "accept"),
        (&w.volunteer.token, "self_close"),
        (&w.worker1.token, "self_close"),
        (&w.worker1.token, "resolve"),
    ] {
        step(&app, token, &id, action, json!({}))
            .await
            .problem(403, "forbidden");
    }
    // Illegal from `reported`.
    for action in ["start", "resolve", "verify", "rework"] {
        let token = if matches!(action, "verify" | "rework") {
            &w.town1.token
        } else {
            &w.admin.token
        };
        let r = step(&app, token, &id, action, json!({})).await;
        assert!(r.status == 409 || r.status == 403, "{action}: {}", r.text);
        if r.status == 409 {
            r.problem(409, "invalid_transition");
        }
    }
    step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await
    .problem(409, "invalid_transition");
    // Stale version beats illegal transition.
    let r = app
        .post(
            &format!("/api/v1/incidents/{id}/actions"),
            &w.town1.token,
            json!({"action": "verify", "version": 7}),
        )
        .await;
    r.problem(409, "version_conflict");
    // Validation of the action body.
    for body in [
        json!({"action": "accept"}),
        json!({"action": "fly", "version": 1}),
        json!({"action": "dispatch", "version": 1}),
        json!({"action": "merge", "version": 1}),
        json!({"action": "comment", "version": 1}),
        json!({"action": "accept", "version": 1, "colour": "red"}),
    ] {
        app.post(
            &format!("/api/v1/incidents/{id}/actions"),
            &w.town1.token,
            body,
        )
        .await
        .problem(422, "validation_failed");
    }
    // A dispatch to someone who is not a worker of the region.
    step(&app, &w.town1.token, &id, "accept", json!({}))
        .await
        .ok(200);
    let r = step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": w.worker2.id}),
    )
    .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["assignee_id"]);
    step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": w.town1.id}),
    )
    .await
    .problem(422, "validation_failed");
    // Unknown incidents.
    app.post(
        "/api/v1/incidents/00000000-0000-0000-0000-000000000000/actions",
        &w.admin.token,
        json!({"action": "accept", "version": 1}),
    )
    .await
    .problem(404, "not_found");
}

async fn workers_close_minor_matters_on_the_spot(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap();
    let r = step(
        &app,
        &w.worker1.token,
        id,
        "self_close",
        json!({"note": "当场处理"}),
    )
    .await;
    let b = r.ok(200);
    assert_eq!(b["status"], "closed");
    assert_eq!(
        b["history"].as_array().unwrap().last().unwrap()["action"],
        "self_close"
    );
    step(&app, &w.worker1.token, id, "self_close", json!({}))
        .await
        .problem(409, "invalid_transition");
}

async fn supervisors_act_only_at_or_above_the_level(app: TestApp) {
    let w = World::build(&app).await;
    let community = create_user(&app, &w.admin.token, "shequ", "supervisor", "500117001001").await;
    let inc = report(
        &app,
        &w.worker1.token,
        incident("0101", IN_CELL_1, "medium"),
    )
    .await;
    let id = inc["id"].as_str().unwrap();
    assert!(
        app.get(&format!("/api/v1/incidents/{id}"), &community.token)
            .await
            .ok(200)["available_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("accept"))
    );
    step(
        &app,
        &community.token,
        id,
        "escalate",
        json!({"note": "村里解决不了"}),
    )
    .await
    .ok(200);
    // Now a town matter: the community supervisor may read it but not act.
    let d = app
        .get(&format!("/api/v1/incidents/{id}"), &community.token)
        .await;
    assert_eq!(d.ok(200)["level"], "town");
    step(&app, &community.token, id, "accept", json!({}))
        .await
        .problem(403, "forbidden");
    step(&app, &w.town1.token, id, "escalate", json!({}))
        .await
        .ok(200);
    step(&app, &w.town1.token, id, "accept", json!({}))
        .await
        .problem(403, "forbidden");
    let r = step(&app, &w.district.token, id, "accept", json!({})).await;
    assert_eq!(r.ok(200)["level"], "district");
    step(&app, &w.district.token, id, "escalate", json!({}))
        .await
        .problem(409, "invalid_transition");
    let h = r.body["history"].as_array().unwrap();
    let esc: Vec<_> = h
        .iter()
        .filter(|e| e["action"] == "escalate")
        .map(|e| (e["from"].clone(), e["to"].clone()))
        .collect();
    assert_eq!(
        esc,
        [
            (json!("community"), json!("town")),
            (json!("town"), json!("district"))
        ]
    );
}

async fn ignored_disputes_climb_the_ladder_by_themselves(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(
        &app,
        &w.worker1.token,
        incident("0101", IN_CELL_1, "medium"),
    )
    .await;
    let id = inc["id"].as_str().unwrap().to_string();
    let due1 = ts(&inc["due_at"]);
    let url = format!("/api/v1/incidents/{id}");
    // Not yet due: nothing moves.
    assert_eq!(
        app.get("/api/v1/incidents?overdue=true", &w.town1.token)
            .await
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    app.advance(Duration::days(6));
    let town = app
        .wait_for("escalation to town", || async {
            let d = app.get(&url, &w.town1.token).await;
            (d.body["level"] == "town").then_some(d.body.clone())
        })
        .await;
    let esc = town["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "escalate")
        .unwrap()
        .clone();
    assert!(esc["actor_id"].is_null());
    assert_eq!(
        (esc["from"].as_str(), esc["to"].as_str()),
        (Some("community"), Some("town"))
    );
    let due2 = ts(&town["due_at"]);
    assert!(
        due2 > due1 + Duration::days(5),
        "the town's deadline counts from the escalation"
    );
    assert_eq!(town["status"], "reported", "escalation keeps the status");
    // Town supervisors see it in their town-level list.
    let l = app
        .get("/api/v1/incidents?level=town", &w.town1.token)
        .await;
    assert_eq!(l.ok(200)["items"][0]["id"], id);
    app.advance(Duration::days(10));
    let district = app
        .wait_for("escalation to district", || async {
            let d = app.get(&url, &w.district.token).await;
            (d.body["level"] == "district").then_some(d.body.clone())
        })
        .await;
    assert!(district["overdue"] == false);
    app.advance(Duration::days(30));
    // At district level the sweep does nothing: wait for it to pass over the incident.
    app.wait_for("overdue at district", || async {
        let d = app.get(&url, &w.district.token).await;
        (d.body["overdue"] == true).then_some(())
    })
    .await;
    let d = app.get(&url, &w.district.token).await;
    let d = d.ok(200);
    assert_eq!(d["level"], "district");
    assert_eq!(
        d["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "escalate")
            .count(),
        2
    );
    let overdue = app
        .get("/api/v1/incidents?overdue=true", &w.district.token)
        .await;
    assert_eq!(overdue.ok(200)["items"][0]["id"], id);
}

/// Two processes sweeping one database escalate an overdue incident once per level.
async fn sweeps_of_several_processes_escalate_once(app: TestApp) {
    let w = World::build(&app).await;
    let other = TestApp::spawn_sharing(&app).await;
    let inc = report(
        &app,
        &w.worker1.token,
        incident("0101", IN_CELL_1, "medium"),
    )
    .await;
    let url = format!("/api/v1/incidents/{}", inc["id"].as_str().unwrap());
    app.advance(Duration::days(6));
    other.advance(Duration::days(6));
    app.wait_for("escalation to town", || async {
        (app.get(&url, &w.town1.token).await.body["level"] == "town").then_some(())
    })
    .await;
    // Let both processes sweep twice more, then count.
    let sweeps = |a: &TestApp| {
        let a = a.state.clone();
        move || a.metrics.sweeps.get()
    };
    let (s1, s2) = (sweeps(&app)(), sweeps(&other)());
    app.wait_for("two more sweeps in each process", || async {
        (sweeps(&app)() >= s1 + 2 && sweeps(&other)() >= s2 + 2).then_some(())
    })
    .await;
    let d = app.get(&url, &w.town1.token).await;
    let d = d.ok(200);
    assert_eq!(d["level"], "town");
    assert_eq!(
        d["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "escalate")
            .count(),
        1
    );
    let total = app.state.metrics.escalations.get() + other.state.metrics.escalations.get();
    assert_eq!(total, 1);
}

async fn deadlines_count_working_hours(app: TestApp) {
    let w = World::build(&app).await;
    app.patch(
        "/api/v1/categories/0502",
        &w.admin.token,
        json!({"deadline_hours": {"community": 2.5}}),
    )
    .await
    .ok(200);
    let inc = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    let created = ts(&inc["created_at"]);
    assert_eq!(
        ts(&inc["due_at"]),
        WorkCalendar::default().add_working_hours(created, 2.5)
    );
    let urgent = report(
        &app,
        &w.worker1.token,
        incident("0502", IN_CELL_1, "urgent"),
    )
    .await;
    assert_eq!(
        ts(&urgent["due_at"]),
        ts(&urgent["created_at"]) + Duration::minutes(150)
    );
}

async fn lists_filter_within_scope(app: TestApp) {
    let w = World::build(&app).await;
    let a = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let b = report(
        &app,
        &w.volunteer.token,
        incident("0101", (106.015, 29.005), "low"),
    )
    .await;
    let c = report(&app, &w.worker2.token, incident("0501", IN_TOWN_2, "low")).await;
    let ids = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    assert_eq!(
        ids(app.get("/api/v1/incidents", &w.admin.token).await.ok(200)),
        [id(&c), id(&b), id(&a)]
    );
    assert_eq!(
        ids(app.get("/api/v1/incidents", &w.town1.token).await.ok(200)),
        [id(&b), id(&a)]
    );
    assert_eq!(
        ids(app.get("/api/v1/incidents", &w.town2.token).await.ok(200)),
        [id(&c)]
    );
    // worker1: its cell (a); b is in a cell it is not assigned to.
    assert_eq!(
        ids(app.get("/api/v1/incidents", &w.worker1.token).await.ok(200)),
        [id(&a)]
    );
    assert_eq!(
        ids(app
            .get("/api/v1/incidents", &w.volunteer.token)
            .await
            .ok(200)),
        [id(&b)]
    );
    let q = |s: &str| format!("/api/v1/incidents?{s}");
    assert_eq!(
        ids(app.get(&q("category=01"), &w.admin.token).await.ok(200)),
        [id(&b)]
    );
    assert_eq!(
        ids(app.get(&q("category=0401"), &w.admin.token).await.ok(200)),
        [id(&a)]
    );
    assert_eq!(
        ids(app
            .get(&q("cell=500117001001002"), &w.admin.token)
            .await
            .ok(200)),
        [id(&b)]
    );
    assert_eq!(
        ids(app
            .get(&q("region=500117002"), &w.admin.token)
            .await
            .ok(200)),
        [id(&c)]
    );
    assert_eq!(
        ids(app
            .get(
                &q("status=reported,accepted&level=community"),
                &w.admin.token
            )
            .await
            .ok(200))
        .len(),
        3
    );
    assert_eq!(
        ids(app.get(&q("reporter=me"), &w.volunteer.token).await.ok(200)),
        [id(&b)]
    );
    step(&app, &w.town1.token, &id(&a), "accept", json!({}))
        .await
        .ok(200);
    step(
        &app,
        &w.town1.token,
        &id(&a),
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await
    .ok(200);
    assert_eq!(
        ids(app.get(&q("assignee=me"), &w.worker1.token).await.ok(200)),
        [id(&a)]
    );
    assert_eq!(
        ids(app
            .get(&q("status=dispatched"), &w.admin.token)
            .await
            .ok(200)),
        [id(&a)]
    );
    let p1 = app.get(&q("limit=2"), &w.admin.token).await;
    let cursor = p1.ok(200)["next_cursor"].as_str().unwrap().to_string();
    assert_eq!(
        ids(app
            .get(&q(&format!("limit=2&cursor={cursor}")), &w.admin.token)
            .await
            .ok(200)),
        [id(&a)]
    );
    for bad in [
        "status=lost",
        "level=province",
        "overdue=maybe",
        "category=1",
        "cell=12",
        "region=9",
        "assignee=bob",
        "limit=0",
        "sort=asc",
    ] {
        app.get(&q(bad), &w.admin.token)
            .await
            .problem(422, "validation_failed");
    }
}

async fn duplicates_are_flagged_and_merged(app: TestApp) {
    let w = World::build(&app).await;
    let first = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    // 20 m east: same category → flagged; another category → not.
    let near = (IN_CELL_1.0 + 0.0002, IN_CELL_1.1);
    let second = report(&app, &w.worker1.token, incident("0401", near, "low")).await;
    let dups = second["possible_duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0]["id"], first["id"]);
    let d = dups[0]["distance_m"].as_f64().unwrap();
    assert!((15.0..25.0).contains(&d), "{d}");
    let other = report(&app, &w.worker1.token, incident("0501", near, "low")).await;
    assert!(other["possible_duplicates"].as_array().unwrap().is_empty());
    let far = report(
        &app,
        &w.worker1.token,
        incident("0401", (IN_CELL_1.0 + 0.002, IN_CELL_1.1), "low"),
    )
    .await;
    assert!(
        far["possible_duplicates"].as_array().unwrap().is_empty(),
        "200 m away"
    );
    // A supervisor merges the duplicate into the original.
    let sid = second["id"].as_str().unwrap();
    let fid = first["id"].as_str().unwrap();
    step(&app, &w.worker1.token, sid, "merge", json!({"into": fid}))
        .await
        .problem(403, "forbidden");
    step(&app, &w.town1.token, sid, "merge", json!({"into": sid}))
        .await
        .problem(422, "validation_failed");
    step(
        &app,
        &w.town1.token,
        sid,
        "merge",
        json!({"into": "00000000-0000-0000-0000-000000000000"}),
    )
    .await
    .problem(422, "validation_failed");
    // Only into an original of the same category…
    let oid = other["id"].as_str().unwrap();
    step(&app, &w.town1.token, sid, "merge", json!({"into": oid}))
        .await
        .problem(422, "validation_failed");
    // …that the caller may act on: not one raised above its level.
    let high = report(
        &app,
        &w.worker1.token,
        incident("0401", (IN_CELL_1.0 + 0.0004, IN_CELL_1.1), "low"),
    )
    .await;
    let hid = high["id"].as_str().unwrap();
    for _ in 0..2 {
        step(&app, &w.town1.token, hid, "escalate", json!({}))
            .await
            .ok(200);
    }
    let high = app
        .get(&format!("/api/v1/incidents/{hid}"), &w.district.token)
        .await;
    assert_eq!(high.ok(200)["level"], "district");
    step(&app, &w.town1.token, sid, "merge", json!({"into": hid}))
        .await
        .problem(403, "forbidden");
    let r = step(
        &app,
        &w.town1.token,
        sid,
        "merge",
        json!({"into": fid, "note": "重复上报"}),
    )
    .await;
    let b = r.ok(200);
    assert_eq!(b["status"], "closed");
    assert_eq!(b["merged_into"], first["id"]);
    let orig = app
        .get(&format!("/api/v1/incidents/{fid}"), &w.town1.token)
        .await;
    let orig = orig.ok(200);
    let merged = orig["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "merged")
        .unwrap();
    assert_eq!(merged["data"]["duplicate"], second["id"]);
    assert_eq!(orig["status"], "reported");
}

/// A dispatch goes only to a worker of the incident's community (or above it), inside the
/// dispatcher's region; whoever may see the incident sees its assignee's name.
async fn dispatch_goes_to_a_worker_of_the_incidents_community(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap().to_string();
    assert!(inc["assignee_name"].is_null());
    step(&app, &w.town1.token, &id, "accept", json!({}))
        .await
        .ok(200);
    // A worker of another community of the same town, a town-level worker above the
    // dispatcher's reach, an inactive worker of the community: none may take it.
    let neighbour = create_user(&app, &w.admin.token, "neighbour", "worker", "500117001002").await;
    let above = create_user(&app, &w.admin.token, "above", "worker", "500117").await;
    let gone = create_user(&app, &w.admin.token, "gone", "worker", "500117001001").await;
    app.patch(
        &format!("/api/v1/users/{}", gone.id),
        &w.admin.token,
        json!({"active": false}),
    )
    .await
    .ok(200);
    for (who, by) in [
        (&neighbour.id, &w.town1.token),
        (&neighbour.id, &w.district.token),
        (&above.id, &w.town1.token),
        (&gone.id, &w.town1.token),
        (&w.worker2.id, &w.district.token),
    ] {
        let r = step(&app, by, &id, "dispatch", json!({"assignee_id": who})).await;
        r.problem(422, "validation_failed");
        assert_eq!(r.fields(), ["assignee_id"]);
    }
    // The district's worker is above the town supervisor but within the district's reach.
    let d = step(
        &app,
        &w.district.token,
        &id,
        "dispatch",
        json!({"assignee_id": above.id}),
    )
    .await;
    assert_eq!(d.ok(200)["assignee_name"], "above");
    let helper = create_user(&app, &w.admin.token, "helper", "worker", "500117001001").await;
    let d = step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": helper.id}),
    )
    .await;
    let d = d.ok(200);
    assert_eq!(d["assignee_id"], helper.id);
    assert_eq!(d["assignee_name"], "helper");
    // The reporter, the cell's worker and the assignee see who has it, in the detail, the
    // list and the phone's pull.
    for token in [&w.volunteer.token, &w.worker1.token, &helper.token] {
        let one = app.get(&format!("/api/v1/incidents/{id}"), token).await;
        assert_eq!(one.ok(200)["assignee_name"], "helper");
        let list = app.get("/api/v1/incidents?limit=500", token).await;
        let listed = list.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id.as_str())
            .cloned()
            .unwrap();
        assert_eq!(listed["assignee_name"], "helper");
        // The phone's copy, pulled page after page.
        let (mut pulled, mut path) = (Vec::new(), "/api/v1/sync/pull".to_string());
        loop {
            let page = app.get(&path, token).await;
            let page = page.ok(200);
            pulled.extend(page["incidents"].as_array().unwrap().iter().cloned());
            if page["has_more"] != true {
                break;
            }
            path = format!(
                "/api/v1/sync/pull?cursor={}",
                page["cursor"].as_str().unwrap()
            );
        }
        let pulled = pulled.iter().find(|i| i["id"] == id.as_str()).unwrap();
        assert_eq!(pulled["assignee_name"], "helper");
    }
}

/// The incident itself answers the possible duplicates its report found, while it is open.
async fn the_detail_lists_possible_duplicates_while_open(app: TestApp) {
    let w = World::build(&app).await;
    let first = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let near = (IN_CELL_1.0 + 0.0002, IN_CELL_1.1);
    let second = report(&app, &w.volunteer.token, incident("0401", near, "low")).await;
    let (fid, sid) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    // The volunteer sees only what it reported: no duplicate for it.
    assert!(second["possible_duplicates"].as_array().unwrap().is_empty());
    let detail = |token: &str, id: &str| {
        let (app, token, id) = (&app, token.to_string(), id.to_string());
        async move {
            app.get(&format!("/api/v1/incidents/{id}"), &token)
                .await
                .ok(200)
                .clone()
        }
    };
    let seen = detail(&w.town1.token, sid).await;
    let dups = seen["possible_duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0]["id"], fid);
    assert_eq!(dups[0]["title"], first["title"]);
    assert!(dups[0]["distance_m"].as_f64().unwrap() < 25.0);
    assert!(
        detail(&w.volunteer.token, sid).await["possible_duplicates"]
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing the volunteer may not see"
    );
    // The earlier one has no earlier duplicate; a later report is not its duplicate.
    assert!(
        detail(&w.town1.token, fid).await["possible_duplicates"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Merged (closed): nothing to list any more.
    step(&app, &w.town1.token, sid, "merge", json!({"into": fid}))
        .await
        .ok(200);
    assert!(
        detail(&w.town1.token, sid).await["possible_duplicates"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// A PNG whose header declares `w × h` pixels of 16-bit RGBA, with a few bytes of image
/// data: what a decompression bomb looks like to a server that trusts the header.
fn png_declaring(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[16, 6, 0, 0, 0]); // 16-bit, RGBA, deflate, adaptive, no interlace
    chunk(&mut png, b"IHDR", &ihdr);
    // A zlib stream of a few zero bytes: far too little image data for the header.
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Images over 40 megapixels are refused at upload from their header; an image whose
/// thumbnail cannot be made answers a problem, every time, without decoding it again.
async fn image_bombs_are_refused(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let path = format!("/api/v1/incidents/{}/photos", inc["id"].as_str().unwrap());
    app.raw(
        Method::POST,
        &path,
        Some(&w.worker1.token),
        "image/png",
        png_declaring(7000, 7000),
    )
    .await
    .problem(413, "too_large");
    // Under the limit, but its data ends early: stored, and its thumbnail refused.
    let r = app
        .raw(
            Method::POST,
            &path,
            Some(&w.worker1.token),
            "image/png",
            png_declaring(3000, 2000),
        )
        .await;
    let url = r.ok(201)["thumbnail_url"].as_str().unwrap().to_string();
    for _ in 0..3 {
        app.get(&url, &w.worker1.token)
            .await
            .problem(415, "unsupported_media");
    }
}

/// A record takes at most 20 photos (the same bytes again still answer the same photo), an
/// incident at most 200 comments.
async fn photos_and_comments_are_capped(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap();
    let path = format!("/api/v1/incidents/{id}/photos");
    let upload = |i: u32| {
        app.raw(
            Method::POST,
            &path,
            Some(&w.worker1.token),
            "image/png",
            png_declaring(10 + i, 10),
        )
    };
    for i in 0..20 {
        upload(i).await.ok(201);
    }
    upload(20).await.problem(422, "validation_failed");
    upload(0).await.ok(200);
    for _ in 0..200 {
        step(
            &app,
            &w.worker1.token,
            id,
            "comment",
            json!({"note": "进展"}),
        )
        .await
        .ok(200);
    }
    step(
        &app,
        &w.worker1.token,
        id,
        "comment",
        json!({"note": "还有"}),
    )
    .await
    .problem(422, "validation_failed");
}

async fn photos_are_checked_stripped_and_scoped(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap();
    let path = format!("/api/v1/incidents/{id}/photos");
    let jpeg = jpeg_with_exif();
    let r = app
        .raw(
            Method::POST,
            &path,
            Some(&w.worker1.token),
            "image/jpeg",
            jpeg.clone(),
        )
        .await;
    let p = r.ok(201).clone();
    let again = app
        .raw(
            Method::POST,
            &path,
            Some(&w.worker1.token),
            "image/jpeg",
            jpeg.clone(),
        )
        .await;
    assert_eq!(again.ok(200)["id"], p["id"]);
    let url = p["url"].as_str().unwrap();
    let img = app
        .http
        .get(format!("{}{}", app.base, url))
        .bearer_auth(&w.worker1.token)
        .send()
        .await
        .unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/jpeg");
    let bytes = img.bytes().await.unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        p["sha256"].as_str().unwrap()
    );
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "location metadata stripped"
    );
    assert!(!bytes.windows(3).any(|w| w == b"GPS"));
    let thumb = app
        .http
        .get(format!(
            "{}{}",
            app.base,
            p["thumbnail_url"].as_str().unwrap()
        ))
        .bearer_auth(&w.town1.token)
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    // Refusals: wrong type, bytes that lie about their type, out of scope, too large.
    app.raw(
        Method::POST,
        &path,
        Some(&w.worker1.token),
        "image/gif",
        b"GIF89a....".to_vec(),
    )
    .await
    .problem(415, "unsupported_media");
    app.raw(
        Method::POST,
        &path,
        Some(&w.worker1.token),
        "image/png",
        jpeg.clone(),
    )
    .await
    .problem(415, "unsupported_media");
    let mut broken = jpeg.clone();
    broken.truncate(40);
    app.raw(
        Method::POST,
        &path,
        Some(&w.worker1.token),
        "image/jpeg",
        broken,
    )
    .await
    .problem(415, "unsupported_media");
    app.raw(
        Method::POST,
        &path,
        Some(&w.worker2.token),
        "image/jpeg",
        jpeg.clone(),
    )
    .await
    .problem(404, "not_found");
    app.raw(
        Method::POST,
        &path,
        Some(&w.worker1.token),
        "image/jpeg",
        vec![0xFF; 10 * 1024 * 1024 + 1],
    )
    .await
    .problem(413, "too_large");
    app.get(url, &w.worker2.token)
        .await
        .problem(404, "not_found");
    app.get(url, &w.town2.token).await.problem(404, "not_found");
    app.get(
        "/api/v1/photos/00000000-0000-0000-0000-000000000000",
        &w.admin.token,
    )
    .await
    .problem(404, "not_found");
    let d = app
        .get(&format!("/api/v1/incidents/{id}"), &w.town1.token)
        .await;
    assert_eq!(d.ok(200)["photos"].as_array().unwrap().len(), 1);
}

async fn disputes_record_mediation(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(
        &app,
        &w.worker1.token,
        incident("0101", IN_CELL_1, "medium"),
    )
    .await;
    let id = inc["id"].as_str().unwrap();
    let session = json!({
        "id": uuid::Uuid::new_v4(),
        "held_at": Utc::now().to_rfc3339(),
        "mediator": "调解员 周红",
        "parties": [{"name": "张三丰", "role": "申请人", "phone": "13812345678"}, {"name": "李四", "role": "被申请人"}],
        "outcome": "双方同意各退一步，共同出资修缮围墙",
        "agreement_reached": true,
    });
    let path = format!("/api/v1/incidents/{id}/mediations");
    // The reporter does not handle the case; the volunteer does not even see it.
    app.post(&path, &w.worker1.token, session.clone())
        .await
        .problem(403, "forbidden");
    app.post(&path, &w.volunteer.token, session.clone())
        .await
        .problem(404, "not_found");
    let r = app.post(&path, &w.town1.token, session.clone()).await;
    assert_eq!(r.ok(201)["parties"][0]["name"], "张三丰");
    app.post(&path, &w.town1.token, session.clone())
        .await
        .ok(201);
    let mut changed = session.clone();
    changed["outcome"] = json!("x");
    app.post(&path, &w.town1.token, changed)
        .await
        .problem(409, "id_conflict");
    let mut bad = session.clone();
    bad["id"] = json!(uuid::Uuid::new_v4());
    bad["parties"] = json!([]);
    app.post(&path, &w.town1.token, bad)
        .await
        .problem(422, "validation_failed");
    let full = app
        .get(&format!("/api/v1/incidents/{id}"), &w.town1.token)
        .await;
    let full = full.ok(200);
    assert_eq!(full["mediations"].as_array().unwrap().len(), 1);
    assert_eq!(full["mediations"][0]["parties"][0]["phone"], "13812345678");
    let m = full["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "mediation")
        .unwrap();
    assert_eq!(m["data"]["agreement_reached"], true);
    assert!(!m.to_string().contains("张三丰"), "no names in the history");
    let masked = app
        .get(&format!("/api/v1/incidents/{id}"), &w.worker1.token)
        .await;
    let masked = masked.ok(200);
    assert_eq!(masked["mediations"][0]["parties"][0]["name"], "张**");
    assert_eq!(
        masked["mediations"][0]["parties"][0]["phone"],
        "138****5678"
    );
    assert!(!masked.to_string().contains("张三丰"));
    // Not a dispute: no mediation.
    let other = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let mut s2 = session.clone();
    s2["id"] = json!(uuid::Uuid::new_v4());
    app.post(
        &format!(
            "/api/v1/incidents/{}/mediations",
            other["id"].as_str().unwrap()
        ),
        &w.town1.token,
        s2,
    )
    .await
    .problem(409, "invalid_transition");
}

async fn categories_are_seeded_and_editable(app: TestApp) {
    let w = World::build(&app).await;
    let cats = app.get("/api/v1/categories", &w.volunteer.token).await;
    let cats = cats.ok(200).as_array().unwrap().clone();
    assert!(cats.len() >= 30);
    for class in ["01", "02", "03", "04", "05", "06", "99"] {
        assert!(
            cats.iter()
                .any(|c| c["code"].as_str().unwrap().starts_with(class)),
            "class {class}"
        );
    }
    let neighbour = cats.iter().find(|c| c["code"] == "0101").unwrap();
    assert_eq!(neighbour["name"], "邻里纠纷");
    assert!(neighbour["deadline_hours"]["town"].as_f64().unwrap() > 0.0);
    let r = app
        .patch(
            "/api/v1/categories/0101",
            &w.admin.token,
            json!({"deadline_hours": {"town": 0.001}}),
        )
        .await;
    assert_eq!(r.ok(200)["deadline_hours"]["town"], 0.001);
    assert_eq!(
        r.body["deadline_hours"]["community"],
        neighbour["deadline_hours"]["community"]
    );
    for bad in [
        json!({"deadline_hours": {"town": 0}}),
        json!({"deadline_hours": {"town": -1}}),
        json!({"name": ""}),
        json!({"deadline_hours": {"city": 1}}),
    ] {
        app.patch("/api/v1/categories/0101", &w.admin.token, bad)
            .await
            .problem(422, "validation_failed");
    }
    app.patch(
        "/api/v1/categories/0101",
        &w.district.token,
        json!({"name": "x"}),
    )
    .await
    .problem(403, "forbidden");
    app.patch(
        "/api/v1/categories/7777",
        &w.admin.token,
        json!({"name": "x"}),
    )
    .await
    .problem(404, "not_found");
}

/// Many reports at once (on SQLite they share group commits): each good one lands exactly
/// once and is readable when acknowledged; a conflicting or off-grid one fails alone.
async fn concurrent_reports_land_once_and_fail_alone(app: TestApp) {
    let w = World::build(&app).await;
    let taken = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let mut bodies: Vec<(Value, u16)> = (0..40)
        .map(|_| (incident("0401", IN_CELL_1, "low"), 201))
        .collect();
    let mut reused = incident("0401", IN_CELL_1, "low");
    reused["id"] = taken["id"].clone();
    bodies.push((reused, 409));
    bodies.push((incident("0401", (150.0, 10.0), "low"), 422));
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|(b, _)| app.post("/api/v1/incidents", &w.worker1.token, b.clone())),
    )
    .await;
    for ((body, expected), answer) in bodies.iter().zip(&answers) {
        assert_eq!(answer.status.as_u16(), *expected, "{}", answer.body);
        if *expected == 201 {
            let id = body["id"].as_str().unwrap();
            app.get(&format!("/api/v1/incidents/{id}"), &w.worker1.token)
                .await
                .ok(200);
        }
    }
    let list = app
        .get("/api/v1/incidents?reporter=me&limit=500", &w.worker1.token)
        .await;
    assert_eq!(list.ok(200)["items"].as_array().unwrap().len(), 41);
}

/// A plain JPEG whose pixels depend on `shade` (different bytes for each shade).
fn jpeg_shade(shade: u8) -> Vec<u8> {
    let mut buf = Vec::new();
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([shade, x as u8, y as u8]));
    image::codecs::jpeg::JpegEncoder::new(&mut buf)
        .encode_image(&img)
        .unwrap();
    buf
}

/// A step carries its photo (the proof of a resolve): named by the step's id, which for a
/// step taken through sync is its `op_id`, so a phone can queue both offline.
async fn a_step_carries_its_photo(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap().to_string();
    step(&app, &w.town1.token, &id, "accept", json!({}))
        .await
        .ok(200);
    step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await
    .ok(200);
    let photo = |step_id: String, bytes: Vec<u8>| {
        let path = format!("/api/v1/incidents/{id}/photos?step={step_id}");
        let app = &app;
        let token = w.worker1.token.clone();
        async move {
            app.raw(Method::POST, &path, Some(&token), "image/jpeg", bytes)
                .await
        }
    };
    // The phone queued `start` with a photo: the photo waits (404) until its step lands.
    let op_id = uuid::Uuid::new_v4().to_string();
    photo(op_id.clone(), jpeg_shade(10))
        .await
        .problem(404, "not_found");
    let pushed = app
        .post(
            "/api/v1/sync/push",
            &w.worker1.token,
            json!({"ops": [{
                "op_id": op_id, "type": "incident.action",
                "body": {"incident_id": id, "action": "start", "version": 3, "note": "到场"}
            }]}),
        )
        .await;
    assert_eq!(pushed.ok(200)["results"][0]["status"], "applied");
    let started = photo(op_id.clone(), jpeg_shade(10)).await;
    assert_eq!(started.ok(201)["step_id"], op_id.as_str());
    // The direct endpoint answers the history with ids: the office names the new step.
    let resolved = step(
        &app,
        &w.worker1.token,
        &id,
        "resolve",
        json!({"note": "已清理"}),
    )
    .await;
    let resolved = resolved.ok(200).clone();
    let last = resolved["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "resolve");
    let resolve_id = last["id"].as_str().unwrap().to_string();
    let proof = photo(resolve_id.clone(), jpeg_shade(20)).await;
    assert_eq!(proof.ok(201)["step_id"], resolve_id.as_str());
    // An incident photo has no step.
    let plain = app
        .raw(
            Method::POST,
            &format!("/api/v1/incidents/{id}/photos"),
            Some(&w.worker1.token),
            "image/jpeg",
            jpeg_shade(30),
        )
        .await;
    assert!(plain.ok(201).get("step_id").is_none());

    let d = app
        .get(&format!("/api/v1/incidents/{id}"), &w.town1.token)
        .await;
    let d = d.ok(200).clone();
    let history = d["history"].as_array().unwrap();
    assert!(history.iter().all(|h| h["id"].is_string()));
    assert!(
        history
            .iter()
            .any(|h| h["id"] == op_id.as_str() && h["action"] == "start")
    );
    let steps: Vec<Option<&str>> = d["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["step_id"].as_str())
        .collect();
    assert_eq!(
        steps,
        [Some(op_id.as_str()), Some(resolve_id.as_str()), None]
    );

    // The proof of a step is added by who took it, or by a supervisor: not by the reporter,
    // who sees the incident too; the same bytes again as another step's are refused.
    let resolve_path = format!("/api/v1/incidents/{id}/photos?step={resolve_id}");
    app.raw(
        Method::POST,
        &resolve_path,
        Some(&w.volunteer.token),
        "image/jpeg",
        jpeg_shade(50),
    )
    .await
    .problem(403, "forbidden");
    let by_office = app
        .raw(
            Method::POST,
            &resolve_path,
            Some(&w.town1.token),
            "image/jpeg",
            jpeg_shade(60),
        )
        .await;
    assert_eq!(by_office.ok(201)["step_id"], resolve_id.as_str());
    photo(resolve_id.clone(), jpeg_shade(30))
        .await
        .problem(422, "validation_failed");

    // A step of another incident, a malformed step, a step on a visit's photo: refused.
    let other = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let other_step = app
        .get(
            &format!("/api/v1/incidents/{}", other["id"].as_str().unwrap()),
            &w.worker1.token,
        )
        .await;
    let other_step = other_step.ok(200)["history"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    photo(other_step, jpeg_shade(40))
        .await
        .problem(404, "not_found");
    photo("resolve".into(), jpeg_shade(40))
        .await
        .problem(422, "validation_failed");
    // An op_id that names a recorded step is refused, not a second entry with that id.
    let reused = app
        .post(
            "/api/v1/sync/push",
            &w.worker1.token,
            json!({"ops": [{
                "op_id": resolve_id, "type": "incident.action",
                "body": {"incident_id": id, "action": "comment", "version": 5, "note": "again"}
            }]}),
        )
        .await;
    let reused = reused.ok(200).clone();
    assert_eq!(reused["results"][0]["status"], "rejected");
    assert_eq!(reused["results"][0]["code"], "validation_failed");
}

both_engines!(
    a_step_carries_its_photo,
    concurrent_reports_land_once_and_fail_alone,
    a_report_goes_round_the_whole_loop,
    creates_are_idempotent_and_validated,
    every_role_refusal_and_illegal_step,
    workers_close_minor_matters_on_the_spot,
    supervisors_act_only_at_or_above_the_level,
    ignored_disputes_climb_the_ladder_by_themselves,
    sweeps_of_several_processes_escalate_once,
    deadlines_count_working_hours,
    lists_filter_within_scope,
    duplicates_are_flagged_and_merged,
    dispatch_goes_to_a_worker_of_the_incidents_community,
    the_detail_lists_possible_duplicates_while_open,
    photos_are_checked_stripped_and_scoped,
    image_bombs_are_refused,
    photos_and_comments_are_capped,
    disputes_record_mediation,
    categories_are_seeded_and_editable,
);
