//! Notifications: every kind made by its event, to the right people and once; listed,
//! marked read, carried by `/sync/pull` and sent live as Server-Sent Events; the daily
//! reminders made once per record and day even by two server processes.

use chrono::{Duration, Utc};
use gridwork_tests::fixtures::{IN_CELL_1, World, incident, report, step};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

/// Every notification of the caller, newest first.
async fn mine(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app.get("/api/v1/me/notifications?limit=500", token).await;
    r.ok(200)["items"].as_array().unwrap().clone()
}

/// The kinds of the caller's notifications about `entity`, oldest first.
async fn kinds_about(app: &TestApp, token: &str, entity: &str) -> Vec<String> {
    let mut kinds: Vec<String> = mine(app, token)
        .await
        .iter()
        .filter(|n| n["entity_id"] == entity)
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect();
    kinds.reverse();
    kinds
}

/// A volunteer's report in worker1's cell, accepted and dispatched to worker1 by town1;
/// answers its id.
async fn dispatched_to_worker1(app: &TestApp, w: &World) -> String {
    let inc = report(app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap().to_string();
    step(app, &w.town1.token, &id, "accept", json!({}))
        .await
        .ok(200);
    step(
        app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await
    .ok(200);
    id
}

async fn each_step_tells_the_people_it_concerns(app: TestApp) {
    let w = World::build(&app).await;
    // A volunteer's report goes round the loop, with one rework.
    let id = dispatched_to_worker1(&app, &w).await;
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
    step(
        &app,
        &w.town1.token,
        &id,
        "rework",
        json!({"note": "仍有纸箱"}),
    )
    .await
    .ok(200);
    step(&app, &w.worker1.token, &id, "start", json!({}))
        .await
        .ok(200);
    step(
        &app,
        &w.worker1.token,
        &id,
        "resolve",
        json!({"note": "已全部清理"}),
    )
    .await
    .ok(200);
    step(&app, &w.town1.token, &id, "verify", json!({}))
        .await
        .ok(200);

    assert_eq!(
        kinds_about(&app, &w.volunteer.token, &id).await,
        ["report_accepted", "incident_closed"]
    );
    assert_eq!(
        kinds_about(&app, &w.worker1.token, &id).await,
        ["incident_dispatched", "incident_rework"]
    );
    // The supervisor who took the steps is told of none of them; others outside it neither.
    assert!(kinds_about(&app, &w.town1.token, &id).await.is_empty());
    assert!(kinds_about(&app, &w.town2.token, &id).await.is_empty());
    let n = &mine(&app, &w.worker1.token).await[0];
    assert_eq!(n["entity_type"], "incident");
    assert_eq!(n["title"], "楼道堆放杂物");
    assert_eq!(n["read"], false);
    assert!(n["at"].as_str().unwrap().ends_with('Z'));

    // A rejected report tells its reporter.
    let inc = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let rejected = inc["id"].as_str().unwrap().to_string();
    step(
        &app,
        &w.town1.token,
        &rejected,
        "reject",
        json!({"note": "重复上报"}),
    )
    .await
    .ok(200);
    assert_eq!(
        kinds_about(&app, &w.volunteer.token, &rejected).await,
        ["report_rejected"]
    );
}

async fn an_escalation_tells_the_supervisors_of_the_new_level(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap().to_string();
    // The deadline passes: the sweep raises it to the town, whose supervisor learns of it.
    app.advance(Duration::days(30));
    app.wait_for("the sweep's escalation", || async {
        let d = app
            .get(&format!("/api/v1/incidents/{id}"), &w.town1.token)
            .await;
        (d.body["level"] == "town").then_some(())
    })
    .await;
    assert_eq!(
        kinds_about(&app, &w.town1.token, &id).await,
        ["incident_escalated"]
    );
    assert!(kinds_about(&app, &w.district.token, &id).await.is_empty());
    assert!(kinds_about(&app, &w.town2.token, &id).await.is_empty());
    // The town raises it to the district: the district's supervisor learns of it, the town
    // (who escalated) is not told again.
    step(
        &app,
        &w.town1.token,
        &id,
        "escalate",
        json!({"note": "需区级协调"}),
    )
    .await
    .ok(200);
    assert_eq!(
        kinds_about(&app, &w.district.token, &id).await,
        ["incident_escalated"]
    );
    assert_eq!(
        kinds_about(&app, &w.town1.token, &id).await,
        ["incident_escalated"]
    );
}

async fn notifications_are_listed_marked_read_and_pulled(app: TestApp) {
    let w = World::build(&app).await;
    // The phone pulls first: nothing yet.
    let first = app.get("/api/v1/sync/pull", &w.worker1.token).await;
    let mut cursor = first.ok(200)["cursor"].as_str().unwrap().to_string();
    loop {
        let p = app
            .get(
                &format!("/api/v1/sync/pull?cursor={cursor}"),
                &w.worker1.token,
            )
            .await;
        let p = p.ok(200).clone();
        assert!(p["notifications"].as_array().unwrap().is_empty());
        cursor = p["cursor"].as_str().unwrap().to_string();
        if p["has_more"] == false {
            break;
        }
    }
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(dispatched_to_worker1(&app, &w).await);
    }
    let list = mine(&app, &w.worker1.token).await;
    assert_eq!(list.len(), 3);
    // Newest first; ids sort in creation order.
    let nids: Vec<String> = list
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = nids.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(nids, sorted);
    assert_eq!(list[0]["entity_id"], ids[2].as_str());

    // The pull carries the new ones, once.
    let p = app
        .get(
            &format!("/api/v1/sync/pull?cursor={cursor}"),
            &w.worker1.token,
        )
        .await;
    let p = p.ok(200).clone();
    let pulled: Vec<&str> = p["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(pulled.len(), 3);
    let again = app
        .get(
            &format!("/api/v1/sync/pull?cursor={}", p["cursor"].as_str().unwrap()),
            &w.worker1.token,
        )
        .await;
    assert!(
        again.ok(200)["notifications"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Another user's pull never carries them, from nothing to its end.
    let mut theirs = app
        .get("/api/v1/sync/pull", &w.town1.token)
        .await
        .ok(200)
        .clone();
    loop {
        assert!(theirs["notifications"].as_array().unwrap().is_empty());
        if theirs["has_more"] == false {
            break;
        }
        let c = theirs["cursor"].as_str().unwrap().to_string();
        theirs = app
            .get(&format!("/api/v1/sync/pull?cursor={c}"), &w.town1.token)
            .await
            .ok(200)
            .clone();
    }
    // A phone that starts from nothing gets them too.
    let fresh = app.get("/api/v1/sync/pull", &w.worker1.token).await;
    let mut fresh = fresh.ok(200).clone();
    while fresh["notifications"].as_array().unwrap().is_empty() && fresh["has_more"] == true {
        let c = fresh["cursor"].as_str().unwrap().to_string();
        fresh = app
            .get(&format!("/api/v1/sync/pull?cursor={c}"), &w.worker1.token)
            .await
            .ok(200)
            .clone();
    }
    assert_eq!(fresh["notifications"].as_array().unwrap().len(), 3);

    // Read by id: someone else's ids change nothing of theirs.
    app.post(
        "/api/v1/me/notifications/read",
        &w.town1.token,
        json!({"ids": [nids[2]]}),
    )
    .await
    .ok(204);
    let unread = app
        .get("/api/v1/me/notifications?unread=true", &w.worker1.token)
        .await;
    assert_eq!(unread.ok(200)["items"].as_array().unwrap().len(), 3);
    app.post(
        "/api/v1/me/notifications/read",
        &w.worker1.token,
        json!({"ids": [nids[2]]}),
    )
    .await
    .ok(204);
    let unread = app
        .get("/api/v1/me/notifications?unread=true", &w.worker1.token)
        .await;
    assert_eq!(unread.ok(200)["items"].as_array().unwrap().len(), 2);
    // Up to the middle one: it and every older one.
    app.post(
        "/api/v1/me/notifications/read",
        &w.worker1.token,
        json!({"up_to": nids[1]}),
    )
    .await
    .ok(204);
    let unread = app
        .get("/api/v1/me/notifications?unread=true", &w.worker1.token)
        .await;
    let unread = unread.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0]["id"], nids[0].as_str());
    // Pages follow the cursor.
    let page = app
        .get("/api/v1/me/notifications?limit=2", &w.worker1.token)
        .await;
    let page = page.ok(200).clone();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let next = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/me/notifications?limit=2&cursor={next}"),
            &w.worker1.token,
        )
        .await;
    let rest = rest.ok(200).clone();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest["items"][0]["id"], nids[2].as_str());
    assert!(rest["next_cursor"].is_null());

    // Bad input changes nothing.
    for body in [
        json!({}),
        json!({"ids": [nids[0]], "up_to": nids[0]}),
        json!({"ids": ["not-a-uuid"]}),
        json!({"up_to": 5}),
        json!({"ids": [nids[0]], "extra": 1}),
    ] {
        let r = app
            .post("/api/v1/me/notifications/read", &w.worker1.token, body)
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
    }
    app.get("/api/v1/me/notifications?unread=maybe", &w.worker1.token)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/me/notifications?cursor=forged", &w.worker1.token)
        .await
        .problem(422, "validation_failed");
    let r = app
        .http
        .get(format!("{}/api/v1/me/notifications", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        mine(&app, &w.worker1.token)
            .await
            .iter()
            .filter(|n| n["read"] == false)
            .count(),
        1
    );
}

/// Reads a live stream until `done` holds of what arrived, or 20 s pass.
async fn read_stream(r: &mut reqwest::Response, done: impl Fn(&str) -> bool) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done(&text) {
        let chunk = tokio::time::timeout_at(deadline, r.chunk())
            .await
            .expect("the stream to send in time")
            .unwrap()
            .expect("the stream to stay open");
        text.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    text
}

async fn a_dispatch_arrives_on_the_live_stream(app: TestApp) {
    let w = World::build(&app).await;
    // A browser's EventSource sends the token in the query string.
    let mut live = app
        .http
        .get(format!(
            "{}/api/v1/me/notifications/stream?access_token={}",
            app.base, w.worker1.token
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    assert_eq!(live.headers()["cache-control"], "no-store");
    read_stream(&mut live, |t| t.contains(": open")).await;

    let id = dispatched_to_worker1(&app, &w).await;
    let text = read_stream(&mut live, |t| t.contains("event: notification")).await;
    let event = text
        .split("\n\n")
        .find(|e| e.contains("event: notification"))
        .unwrap();
    let data = event
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    let n: Value = serde_json::from_str(data).unwrap();
    assert_eq!(n["kind"], "incident_dispatched");
    assert_eq!(n["entity_id"], id.as_str());
    let event_id = event.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
    assert_eq!(event_id, n["id"].as_str().unwrap());

    // A reconnect with Last-Event-ID gets what came after it, with the header token.
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
    step(
        &app,
        &w.town1.token,
        &id,
        "rework",
        json!({"note": "仍有纸箱"}),
    )
    .await
    .ok(200);
    let mut again = app
        .http
        .get(format!("{}/api/v1/me/notifications/stream", app.base))
        .bearer_auth(&w.worker1.token)
        .header("last-event-id", event_id)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let text = read_stream(&mut again, |t| t.contains("incident_rework")).await;
    assert!(!text.contains("incident_dispatched"), "{text}");

    // No token, a bad one, an unknown parameter: refused.
    let r = app
        .http
        .get(format!("{}/api/v1/me/notifications/stream", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .http
        .get(format!(
            "{}/api/v1/me/notifications/stream?access_token=forged",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .http
        .get(format!(
            "{}/api/v1/me/notifications/stream?access_token={}&x=1",
            app.base, w.worker1.token
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}

async fn reminders_come_the_day_before_once_however_many_servers(app: TestApp) {
    let w = World::build(&app).await;
    let second = TestApp::spawn_sharing(&app).await;
    // A person due a visit in seven days, a unit with a hazard to fix in seven days.
    let person = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            json!({
                "id": uuid::Uuid::new_v4(),
                "category": "drug_user",
                "name": "王建华",
                "id_number": "11010519491231002X",
                "address": "合川区文峰街道白塔路12号3-2",
                "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1},
                "risk_level": "high",
                "responsible_worker_id": w.worker1.id,
            }),
        )
        .await;
    let person = person.ok(201)["id"].as_str().unwrap().to_string();
    let unit = app
        .post(
            "/api/v1/safety-units",
            &w.worker1.token,
            json!({"id": uuid::Uuid::new_v4(), "kind": "school", "name": "文峰小学", "address": "文峰路8号",
                "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}}),
        )
        .await;
    let unit = unit.ok(201)["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/safety-units/{unit}/inspections"),
        &w.worker1.token,
        json!({
            "id": uuid::Uuid::new_v4(),
            "inspected_at": Utc::now().to_rfc3339(),
            "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1},
            "result": "hazard",
            "hazards": [{"description": "灭火器过期", "deadline": (Utc::now() + Duration::days(7)).to_rfc3339()}],
            "note": "例行检查",
        }),
    )
    .await
    .ok(201);
    // Days ahead of it: nothing yet (the sweeps run every second).
    app.advance(Duration::days(3));
    second.advance(Duration::days(3));
    let before = app.state.metrics.sweeps.get();
    app.wait_for("two sweeps", || async {
        (app.state.metrics.sweeps.get() >= before + 2).then_some(())
    })
    .await;
    assert!(mine(&app, &w.worker1.token).await.is_empty());
    // The day before, in both processes: one reminder of each.
    app.advance(Duration::days(3));
    second.advance(Duration::days(3));
    let found = app
        .wait_for("the reminders", || async {
            let list = mine(&app, &w.worker1.token).await;
            (list.len() >= 2).then_some(list)
        })
        .await;
    let before = app.state.metrics.sweeps.get();
    let before2 = second.state.metrics.sweeps.get();
    app.wait_for("more sweeps of both", || async {
        (app.state.metrics.sweeps.get() >= before + 2
            && second.state.metrics.sweeps.get() >= before2 + 2)
            .then_some(())
    })
    .await;
    let list = mine(&app, &w.worker1.token).await;
    assert_eq!(list.len(), 2, "{list:?} (first seen {found:?})");
    let visit = list.iter().find(|n| n["kind"] == "visit_due").unwrap();
    assert_eq!(visit["entity_type"], "person");
    assert_eq!(visit["entity_id"], person.as_str());
    // A person's name is never shown whole in a notification.
    assert_eq!(visit["title"], "王**");
    let hazard = list
        .iter()
        .find(|n| n["kind"] == "hazard_deadline")
        .unwrap();
    assert_eq!(hazard["entity_type"], "unit");
    assert_eq!(hazard["entity_id"], unit.as_str());
    assert_eq!(hazard["title"], "文峰小学");
    // Nobody else is reminded.
    assert!(mine(&app, &w.worker2.token).await.is_empty());
    assert!(mine(&app, &w.town1.token).await.is_empty());
}

both_engines!(
    each_step_tells_the_people_it_concerns,
    an_escalation_tells_the_supervisors_of_the_new_level,
    notifications_are_listed_marked_read_and_pulled,
    a_dispatch_arrives_on_the_live_stream,
    reminders_come_the_day_before_once_however_many_servers,
);
