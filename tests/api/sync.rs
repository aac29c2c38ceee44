use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use gridwork_tests::fixtures::{IN_CELL_1, IN_TOWN_2, World, create_user, incident, report, step};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

fn op(kind: &str, body: Value) -> Value {
    json!({"op_id": uuid::Uuid::new_v4(), "type": kind, "body": body})
}

fn statuses(r: &Value) -> Vec<String> {
    r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap().to_string())
        .collect()
}

async fn count(app: &TestApp, token: &str, path: &str) -> usize {
    app.get(path, token).await.ok(200)["items"]
        .as_array()
        .unwrap()
        .len()
}

async fn a_day_offline_pushed_twice_lands_once(app: TestApp) {
    let w = World::build(&app).await;
    let person = app
        .post("/api/v1/persons", &w.town1.token, json!({
            "id": uuid::Uuid::new_v4(), "category": "drug_user", "name": "李强", "id_number": "11010519491231002X",
            "address": "文峰路1号", "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}, "risk_level": "high",
            "responsible_worker_id": w.worker1.id}))
        .await
        .ok(201)
        .clone();
    let inc = incident("0401", IN_CELL_1, "low");
    let unit_id = uuid::Uuid::new_v4();
    let now = Utc::now().to_rfc3339();
    let ops = json!({"ops": [
        op("incident.create", inc.clone()),
        op("incident.action", json!({"incident_id": inc["id"], "action": "comment", "version": 1, "note": "已联系物业"})),
        op("visit.create", json!({"person_id": person["id"], "id": uuid::Uuid::new_v4(), "visited_at": now,
            "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}, "outcome": "met", "note": ""})),
        op("unit.create", json!({"id": unit_id, "kind": "shop", "name": "小卖部", "address": "文峰路2号",
            "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}})),
        op("inspection.create", json!({"unit_id": unit_id, "id": uuid::Uuid::new_v4(), "inspected_at": now,
            "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}, "result": "safe", "hazards": []})),
    ]});
    let first = app
        .post("/api/v1/sync/push", &w.worker1.token, ops.clone())
        .await;
    assert_eq!(statuses(first.ok(200)), ["applied"; 5], "{}", first.text);
    let again = app
        .post("/api/v1/sync/push", &w.worker1.token, ops.clone())
        .await;
    assert_eq!(statuses(again.ok(200)), ["duplicate"; 5], "{}", again.text);
    // Half of it again, as a flaky connection would.
    let half = json!({"ops": ops["ops"].as_array().unwrap()[..2].to_vec()});
    assert_eq!(
        statuses(
            app.post("/api/v1/sync/push", &w.worker1.token, half)
                .await
                .ok(200)
        ),
        ["duplicate"; 2]
    );
    assert_eq!(count(&app, &w.worker1.token, "/api/v1/incidents").await, 1);
    assert_eq!(
        count(&app, &w.worker1.token, "/api/v1/safety-units").await,
        1
    );
    let visits = app
        .get(
            &format!("/api/v1/persons/{}/visits", person["id"].as_str().unwrap()),
            &w.worker1.token,
        )
        .await;
    assert_eq!(visits.ok(200)["items"].as_array().unwrap().len(), 1);
    let d = app
        .get(
            &format!("/api/v1/incidents/{}", inc["id"].as_str().unwrap()),
            &w.worker1.token,
        )
        .await;
    assert_eq!(
        d.ok(200)["history"].as_array().unwrap().len(),
        2,
        "report and one comment"
    );
    let u = app
        .get(&format!("/api/v1/safety-units/{unit_id}"), &w.worker1.token)
        .await;
    assert_eq!(u.ok(200)["status"], "safe");
}

async fn a_rejected_op_blocks_only_what_depends_on_it(app: TestApp) {
    let w = World::build(&app).await;
    let off_grid = incident("0401", (100.0, 20.0), "low");
    let good = incident("0401", IN_CELL_1, "low");
    let r = app
        .post("/api/v1/sync/push", &w.worker1.token, json!({"ops": [
            op("incident.create", off_grid.clone()),
            op("incident.action", json!({"incident_id": off_grid["id"], "action": "self_close", "version": 1})),
            op("incident.create", good.clone()),
            op("incident.create", json!({"id": "not-a-uuid"})),
            op("teleport", json!({})),
            op("incident.action", json!({"incident_id": good["id"], "action": "self_close", "version": 1})),
        ]}))
        .await;
    let b = r.ok(200).clone();
    assert_eq!(
        statuses(&b),
        [
            "rejected", "rejected", "applied", "rejected", "rejected", "applied"
        ]
    );
    let codes: Vec<&str> = b["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        codes,
        [
            "outside_grid",
            "depends_on_rejected",
            "",
            "validation_failed",
            "validation_failed",
            ""
        ]
    );
    // Same op_id, another body.
    let first_op = json!({"op_id": uuid::Uuid::new_v4(), "type": "incident.create", "body": incident("0401", IN_CELL_1, "low")});
    app.post(
        "/api/v1/sync/push",
        &w.worker1.token,
        json!({"ops": [first_op.clone()]}),
    )
    .await
    .ok(200);
    let mut changed = first_op.clone();
    changed["body"]["title"] = json!("另一个标题");
    let r = app
        .post(
            "/api/v1/sync/push",
            &w.worker1.token,
            json!({"ops": [changed]}),
        )
        .await;
    assert_eq!(r.ok(200)["results"][0]["code"], "id_conflict");
    // Batch validation.
    app.post(
        "/api/v1/sync/push",
        &w.worker1.token,
        json!({"operations": []}),
    )
    .await
    .problem(422, "validation_failed");
    let too_many: Vec<Value> = (0..501).map(|_| op("incident.create", json!({}))).collect();
    app.post(
        "/api/v1/sync/push",
        &w.worker1.token,
        json!({"ops": too_many}),
    )
    .await
    .problem(422, "validation_failed");
    // Volunteers may push reports, not visits.
    let r = app.post("/api/v1/sync/push", &w.volunteer.token, json!({"ops": [
        op("incident.create", incident("0401", IN_CELL_1, "low")),
        op("unit.create", json!({"id": uuid::Uuid::new_v4(), "kind": "shop", "name": "x", "address": "y", "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}})),
    ]})).await;
    assert_eq!(statuses(r.ok(200)), ["applied", "rejected"]);
    assert_eq!(r.body["results"][1]["code"], "forbidden");
}

async fn offline_steps_after_the_world_moved_are_kept_as_conflicts(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(
        &app,
        &w.worker1.token,
        incident("0101", IN_CELL_1, "medium"),
    )
    .await;
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
    step(&app, &w.worker1.token, &id, "start", json!({}))
        .await
        .ok(200);
    // The worker goes offline at version 4 and resolves; meanwhile the town escalates.
    step(&app, &w.town1.token, &id, "escalate", json!({}))
        .await
        .ok(200);
    let r = app
        .post("/api/v1/sync/push", &w.worker1.token, json!({"ops": [
            op("incident.action", json!({"incident_id": id, "action": "resolve", "version": 4, "note": "已调解"})),
            op("incident.action", json!({"incident_id": id, "action": "start", "version": 4})),
        ]}))
        .await;
    let b = r.ok(200).clone();
    assert_eq!(statuses(&b), ["applied", "applied"]);
    assert_eq!(b["results"][0]["conflict"], true);
    assert_eq!(b["results"][1]["conflict"], true);
    let d = app
        .get(&format!("/api/v1/incidents/{id}"), &w.town1.token)
        .await;
    let d = d.ok(200).clone();
    assert_eq!(d["status"], "resolved", "the legal step applied");
    assert_eq!(d["level"], "town", "the escalation stands");
    assert_eq!(d["conflict"], true);
    let h = d["history"].as_array().unwrap();
    let branch = h.iter().find(|e| e["conflict"] == true).unwrap();
    assert_eq!(branch["action"], "start");
    assert!(branch["to"].is_null());
    // The direct endpoint still refuses a stale version.
    app.post(
        &format!("/api/v1/incidents/{id}/actions"),
        &w.worker1.token,
        json!({"action": "comment", "version": 4, "note": "x"}),
    )
    .await
    .problem(409, "version_conflict");
    step(&app, &w.worker1.token, &id, "clear_conflict", json!({}))
        .await
        .problem(403, "forbidden");
    let cleared = step(&app, &w.town1.token, &id, "clear_conflict", json!({})).await;
    assert_eq!(cleared.ok(200)["conflict"], false);
    step(&app, &w.town1.token, &id, "clear_conflict", json!({}))
        .await
        .problem(409, "invalid_transition");
}

/// A comment queued offline changes nothing of the incident: however stale its version,
/// it is applied without a conflict.
async fn a_stale_comment_never_conflicts(app: TestApp) {
    let w = World::build(&app).await;
    let inc = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap().to_string();
    step(&app, &w.town1.token, &id, "accept", json!({}))
        .await
        .ok(200);
    let push = app
        .post(
            "/api/v1/sync/push",
            &w.worker1.token,
            json!({"ops": [op("incident.action",
                json!({"incident_id": id, "action": "comment", "version": 1, "note": "住户已搬走"}))]}),
        )
        .await;
    let result = &push.ok(200)["results"][0];
    assert_eq!(result["status"], "applied", "{}", push.text);
    assert_eq!(result["conflict"], false, "{}", push.text);
    let d = app
        .get(&format!("/api/v1/incidents/{id}"), &w.town1.token)
        .await;
    let d = d.ok(200);
    assert_eq!(d["conflict"], false);
    assert_eq!(d["status"], "accepted");
    assert!(
        d["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "comment" && e["note"] == "住户已搬走")
    );
}

async fn pull(app: &TestApp, token: &str, cursor: Option<&str>) -> Value {
    let path = match cursor {
        Some(c) => format!("/api/v1/sync/pull?cursor={c}"),
        None => "/api/v1/sync/pull".into(),
    };
    app.get(&path, token).await.ok(200).clone()
}

/// Pulls until `has_more` is false; returns every page.
async fn pull_all(app: &TestApp, token: &str, mut cursor: Option<String>) -> (Vec<Value>, String) {
    let mut pages = Vec::new();
    loop {
        let p = pull(app, token, cursor.as_deref()).await;
        cursor = Some(p["cursor"].as_str().unwrap().to_string());
        let more = p["has_more"] == true;
        pages.push(p);
        if !more {
            return (pages, cursor.unwrap());
        }
    }
}

fn cell_count(pages: &[Value]) -> usize {
    pages
        .iter()
        .map(|p| p["cells"].as_array().unwrap().len())
        .sum()
}

fn deleted(pages: &[Value]) -> BTreeSet<(String, String)> {
    pages
        .iter()
        .flat_map(|p| {
            p["deleted"].as_array().unwrap().iter().map(|d| {
                (
                    d["type"].as_str().unwrap().to_string(),
                    d["id"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

fn ids(pages: &[Value], kind: &str) -> BTreeSet<String> {
    pages
        .iter()
        .flat_map(|p| {
            p[kind]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_string())
        })
        .collect()
}

async fn pulls_follow_the_scope(app: TestApp) {
    let w = World::build(&app).await;
    let mine = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let other = report(&app, &w.worker2.token, incident("0401", IN_TOWN_2, "low")).await;
    let by_volunteer = report(&app, &w.volunteer.token, incident("0501", IN_CELL_1, "low")).await;
    let (pages, cursor) = pull_all(&app, &w.worker1.token, None).await;
    let inc = ids(&pages, "incidents");
    assert!(
        inc.contains(mine["id"].as_str().unwrap())
            && inc.contains(by_volunteer["id"].as_str().unwrap())
    );
    assert!(!inc.contains(other["id"].as_str().unwrap()));
    let cells: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["properties"]["code"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(cells, ["500117001001001"]);
    assert!(
        pages
            .iter()
            .flat_map(|p| p["cells"].as_array().unwrap())
            .all(|c| c["geometry"]["type"] == "Polygon")
    );
    assert!(
        pages
            .iter()
            .map(|p| p["categories"].as_array().unwrap().len())
            .sum::<usize>()
            >= 30
    );
    // Nothing new: an empty pull.
    let quiet = pull(&app, &w.worker1.token, Some(&cursor)).await;
    assert!(
        quiet["incidents"].as_array().unwrap().is_empty() && quiet["has_more"] == false,
        "{quiet}"
    );
    // A supervisor's step shows up in the next pull; other towns' changes do not.
    step(
        &app,
        &w.town1.token,
        mine["id"].as_str().unwrap(),
        "accept",
        json!({}),
    )
    .await
    .ok(200);
    step(
        &app,
        &w.town2.token,
        other["id"].as_str().unwrap(),
        "accept",
        json!({}),
    )
    .await
    .ok(200);
    let (pages, cursor) = pull_all(&app, &w.worker1.token, Some(cursor)).await;
    let changed: Vec<Value> = pages
        .iter()
        .flat_map(|p| p["incidents"].as_array().unwrap().clone())
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["status"], "accepted");
    // Reassigned away from its cell: what it may see changed, so the next pull starts
    // again from nothing, without the cell and what it saw only through it.
    app.put(
        "/api/v1/cells/500117001001001/workers",
        &w.admin.token,
        json!({"worker_ids": []}),
    )
    .await
    .ok(200);
    let (pages, cursor) = pull_all(&app, &w.worker1.token, Some(cursor)).await;
    assert_eq!(pages[0]["reset"], true, "{}", pages[0]);
    assert!(pages[1..].iter().all(|p| p["reset"] == false));
    assert_eq!(cell_count(&pages), 0);
    let inc = ids(&pages, "incidents");
    assert!(!inc.contains(by_volunteer["id"].as_str().unwrap()));
    assert!(
        inc.contains(mine["id"].as_str().unwrap()),
        "it reported that one"
    );
    // Given the cell back, it starts again and receives the cell and its records.
    app.put(
        "/api/v1/cells/500117001001001/workers",
        &w.admin.token,
        json!({"worker_ids": [w.worker1.id]}),
    )
    .await
    .ok(200);
    let (pages, cursor) = pull_all(&app, &w.worker1.token, Some(cursor)).await;
    assert_eq!(pages[0]["reset"], true);
    assert!(ids(&pages, "incidents").contains(by_volunteer["id"].as_str().unwrap()));
    assert_eq!(cell_count(&pages), 1);
    // Nothing changed since: no reset.
    let quiet = pull(&app, &w.worker1.token, Some(&cursor)).await;
    assert_eq!(quiet["reset"], false);
    app.get("/api/v1/sync/pull?cursor=bogus", &w.worker1.token)
        .await
        .problem(422, "validation_failed");
}

/// Writers keep committing while a client pulls: every change reaches it.
async fn no_change_is_skipped_under_concurrent_writes(app: TestApp) {
    let w = World::build(&app).await;
    let (_, mut cursor) = pull_all(&app, &w.town1.token, None).await;
    let writers: Vec<_> = (0..4)
        .map(|k| {
            let http = app.http.clone();
            let base = app.base.clone();
            let token = w.worker1.token.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in 0..10 {
                    let mut body = incident(
                        "0401",
                        (
                            IN_CELL_1.0 + 0.0001 * f64::from(k),
                            IN_CELL_1.1 + 0.0001 * f64::from(n),
                        ),
                        "low",
                    );
                    body["title"] = json!(format!("并发 {k}-{n}"));
                    let r = http
                        .post(format!("{base}/api/v1/incidents"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 201);
                    ids.push(body["id"].as_str().unwrap().to_string());
                }
                ids
            })
        })
        .collect();
    let mut seen = BTreeSet::new();
    while !writers.iter().all(|h| h.is_finished()) {
        let (pages, c) = pull_all(&app, &w.town1.token, Some(cursor.clone())).await;
        seen.extend(ids(&pages, "incidents"));
        cursor = c;
    }
    let mut created = BTreeSet::new();
    for h in writers {
        created.extend(h.await.unwrap());
    }
    let (pages, _) = pull_all(&app, &w.town1.token, Some(cursor)).await;
    seen.extend(ids(&pages, "incidents"));
    assert_eq!(created.len(), 40);
    assert!(
        created.is_subset(&seen),
        "missed {:?}",
        created.difference(&seen).collect::<Vec<_>>()
    );
}

async fn persons_are_pulled_masked(app: TestApp) {
    let w = World::build(&app).await;
    app.post("/api/v1/persons", &w.town1.token, json!({
        "id": uuid::Uuid::new_v4(), "category": "cult", "name": "周某", "id_number": "11010519491231002X",
        "address": "文峰路1号", "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}, "risk_level": "low",
        "responsible_worker_id": w.worker1.id})).await.ok(201);
    let (pages, _) = pull_all(&app, &w.worker1.token, None).await;
    let persons: Vec<Value> = pages
        .iter()
        .flat_map(|p| p["persons"].as_array().unwrap().clone())
        .collect();
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0]["id_number_masked"], "1101**********002X");
    assert!(
        !serde_json::to_string(&pages)
            .unwrap()
            .contains("11010519491231002X")
    );
    let (pages, _) = pull_all(&app, &w.volunteer.token, None).await;
    assert!(
        pages
            .iter()
            .all(|p| p["persons"].as_array().unwrap().is_empty()
                && p["units"].as_array().unwrap().is_empty())
    );
    let _ = Duration::zero();
}

both_engines!(
    a_stale_comment_never_conflicts,
    a_day_offline_pushed_twice_lands_once,
    a_rejected_op_blocks_only_what_depends_on_it,
    offline_steps_after_the_world_moved_are_kept_as_conflicts,
    pulls_follow_the_scope,
    no_change_is_skipped_under_concurrent_writes,
    persons_are_pulled_masked,
    cursors_are_signed_and_personal,
    deleted_never_names_what_the_caller_never_saw,
    a_reassigned_incident_leaves_its_former_assignee,
    a_changed_role_or_region_starts_the_pull_again,
    a_person_moved_to_another_cell_leaves_the_old_cells_phone,
);

/// A cursor is the server's, signed, and its caller's: an edited, forged, unsigned or
/// borrowed one is refused.
async fn cursors_are_signed_and_personal(app: TestApp) {
    let w = World::build(&app).await;
    let (_, cursor) = pull_all(&app, &w.worker1.token, None).await;
    pull(&app, &w.worker1.token, Some(&cursor)).await;
    let (text, tag) = cursor.split_once('.').expect("a signed cursor");
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(text).unwrap()).unwrap();
    // Walking back the change log by hand (the old way to list a community's changes).
    let edited = raw
        .rsplit_once("|c|")
        .map(|(who, _)| format!("{who}|c|0|"))
        .unwrap();
    let forged = [
        format!("{}.{tag}", URL_SAFE_NO_PAD.encode(&edited)),
        text.to_string(),
        URL_SAFE_NO_PAD.encode("c|0|"),
        format!("{text}.{}", URL_SAFE_NO_PAD.encode([0u8; 16])),
    ];
    for f in &forged {
        app.get(&format!("/api/v1/sync/pull?cursor={f}"), &w.worker1.token)
            .await
            .problem(422, "validation_failed");
    }
    // Another user's cursor, on a shared phone.
    app.get(
        &format!("/api/v1/sync/pull?cursor={cursor}"),
        &w.volunteer.token,
    )
    .await
    .problem(422, "validation_failed");
}

/// `deleted` names only records the caller could have held: a volunteer hears nothing of
/// its community's other incidents, a worker nothing of a neighbour's.
async fn deleted_never_names_what_the_caller_never_saw(app: TestApp) {
    let w = World::build(&app).await;
    let (_, vcursor) = pull_all(&app, &w.volunteer.token, None).await;
    let (_, wcursor) = pull_all(&app, &w.worker1.token, None).await;
    let own = report(&app, &w.volunteer.token, incident("0501", IN_CELL_1, "low")).await;
    // Others' incidents in the volunteer's community and cell, taken through steps.
    let a = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let b = report(&app, &w.town1.token, incident("0401", IN_CELL_1, "low")).await;
    let c = report(&app, &w.worker2.token, incident("0401", IN_TOWN_2, "low")).await;
    // In worker1's community, in a cell it does not hold.
    let d = report(&app, &w.town1.token, incident("0401", NEXT_CELL, "low")).await;
    step(
        &app,
        &w.town1.token,
        d["id"].as_str().unwrap(),
        "accept",
        json!({}),
    )
    .await
    .ok(200);
    for id in [&a, &b] {
        step(
            &app,
            &w.town1.token,
            id["id"].as_str().unwrap(),
            "accept",
            json!({}),
        )
        .await
        .ok(200);
    }
    step(
        &app,
        &w.town2.token,
        c["id"].as_str().unwrap(),
        "accept",
        json!({}),
    )
    .await
    .ok(200);
    let (pages, _) = pull_all(&app, &w.volunteer.token, Some(vcursor)).await;
    assert_eq!(
        ids(&pages, "incidents"),
        BTreeSet::from([own["id"].as_str().unwrap().to_string()])
    );
    assert_eq!(deleted(&pages), BTreeSet::new());
    let (pages, _) = pull_all(&app, &w.worker1.token, Some(wcursor)).await;
    assert!(!ids(&pages, "incidents").contains(c["id"].as_str().unwrap()));
    assert!(!ids(&pages, "incidents").contains(d["id"].as_str().unwrap()));
    assert_eq!(deleted(&pages), BTreeSet::new());
}

/// A point inside cell `500117001001002`: worker1's community, not its cell.
const NEXT_CELL: (f64, f64) = (106.015, 29.005);

/// A person moved out of a worker's cell leaves that worker's phone (it saw the person
/// through the cell); the responsible worker keeps it.
async fn a_person_moved_to_another_cell_leaves_the_old_cells_phone(app: TestApp) {
    let w = World::build(&app).await;
    let helper = create_user(&app, &w.admin.token, "helper", "worker", "500117001002").await;
    let id = uuid::Uuid::new_v4().to_string();
    app.post("/api/v1/persons", &w.town1.token, json!({
        "id": id, "category": "cult", "name": "周某", "id_number": "11010519491231002X",
        "address": "文峰路1号", "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}, "risk_level": "low",
        "responsible_worker_id": helper.id})).await.ok(201);
    let (pages, cursor) = pull_all(&app, &w.worker1.token, None).await;
    assert!(ids(&pages, "persons").contains(&id));
    let (_, hcursor) = pull_all(&app, &helper.token, None).await;
    app.patch(
        &format!("/api/v1/persons/{id}"),
        &w.town1.token,
        json!({"version": 1, "location": {"lon": NEXT_CELL.0, "lat": NEXT_CELL.1}}),
    )
    .await
    .ok(200);
    let (pages, _) = pull_all(&app, &w.worker1.token, Some(cursor)).await;
    assert_eq!(
        deleted(&pages),
        BTreeSet::from([("person".to_string(), id.clone())])
    );
    let (pages, _) = pull_all(&app, &helper.token, Some(hcursor)).await;
    assert!(ids(&pages, "persons").contains(&id));
    assert_eq!(deleted(&pages), BTreeSet::new());
}

/// An incident dispatched away from a worker who holds no cell of it leaves that worker's
/// phone, and only that worker is told.
async fn a_reassigned_incident_leaves_its_former_assignee(app: TestApp) {
    let w = World::build(&app).await;
    // A worker of the incident's community who holds none of its cells.
    let helper = create_user(&app, &w.admin.token, "helper", "worker", "500117001001").await;
    let inc = report(&app, &w.volunteer.token, incident("0501", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap();
    step(&app, &w.town1.token, id, "accept", json!({}))
        .await
        .ok(200);
    step(
        &app,
        &w.town1.token,
        id,
        "dispatch",
        json!({"assignee_id": helper.id}),
    )
    .await
    .ok(200);
    let (pages, hcursor) = pull_all(&app, &helper.token, None).await;
    assert!(ids(&pages, "incidents").contains(id));
    let (_, vcursor) = pull_all(&app, &w.volunteer.token, None).await;
    step(
        &app,
        &w.town1.token,
        id,
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await
    .ok(200);
    let (pages, _) = pull_all(&app, &helper.token, Some(hcursor)).await;
    assert_eq!(
        deleted(&pages),
        BTreeSet::from([("incident".to_string(), id.to_string())])
    );
    assert!(!ids(&pages, "incidents").contains(id));
    // The reporter still sees it change; nobody tells it to forget it.
    let (pages, _) = pull_all(&app, &w.volunteer.token, Some(vcursor)).await;
    assert!(ids(&pages, "incidents").contains(id));
    assert_eq!(deleted(&pages), BTreeSet::new());
}

/// A supervisor moved to another town, or a worker made a supervisor, starts again from
/// nothing: nothing of the old scope stays.
async fn a_changed_role_or_region_starts_the_pull_again(app: TestApp) {
    let w = World::build(&app).await;
    let in_town1 = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let (pages, cursor) = pull_all(&app, &w.town1.token, None).await;
    assert!(ids(&pages, "incidents").contains(in_town1["id"].as_str().unwrap()));
    app.patch(
        &format!("/api/v1/users/{}", w.town1.id),
        &w.admin.token,
        json!({"region_code": "500117002"}),
    )
    .await
    .ok(200);
    let (pages, cursor) = pull_all(&app, &w.town1.token, Some(cursor)).await;
    assert_eq!(pages[0]["reset"], true);
    assert!(!ids(&pages, "incidents").contains(in_town1["id"].as_str().unwrap()));
    let codes: BTreeSet<String> = pages
        .iter()
        .flat_map(|p| p["cells"].as_array().unwrap().clone())
        .map(|c| c["properties"]["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, BTreeSet::from(["500117002001001".to_string()]));
    // A change of display name alone keeps the cursor.
    app.patch(
        &format!("/api/v1/users/{}", w.town1.id),
        &w.admin.token,
        json!({"display_name": "钓鱼城街道督办"}),
    )
    .await
    .ok(200);
    let quiet = pull(&app, &w.town1.token, Some(&cursor)).await;
    assert_eq!(quiet["reset"], false);
    // A worker made a supervisor of its town.
    let (_, cursor) = pull_all(&app, &w.worker1.token, None).await;
    app.patch(
        &format!("/api/v1/users/{}", w.worker1.id),
        &w.admin.token,
        json!({"role": "supervisor", "region_code": "500117001"}),
    )
    .await
    .ok(200);
    let first = pull(&app, &w.worker1.token, Some(&cursor)).await;
    assert_eq!(first["reset"], true);
}
