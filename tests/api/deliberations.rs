//! The deliberation hall (议事厅): raise, accept or decline, sessions with votes, decide,
//! implement, complete; who reads and who acts; offline raising and sessions.

use chrono::Utc;
use gridwork_tests::fixtures::{IN_CELL_1, IN_TOWN_2, World, incident, report};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

const WENFENG: &str = "500117001001";
const BAITA: &str = "500117001002";
const XUEFU: &str = "500117002001";

fn item(region: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "region_code": region,
        "title": "小区停车位规划",
        "description": "居民反映夜间停车难，建议将闲置空地改为停车位",
    })
}

fn session(attendees: i64, votes_for: i64, against: i64, abstain: i64) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "held_at": Utc::now().to_rfc3339(),
        "place": "文峰社区议事厅",
        "attendees": attendees,
        "votes": {"for": votes_for, "against": against, "abstain": abstain},
        "minutes": "居民代表逐一发言后表决",
    })
}

async fn raise(app: &TestApp, token: &str, region: &str) -> Value {
    app.post("/api/v1/deliberations", token, item(region))
        .await
        .ok(201)
        .clone()
}

async fn act(app: &TestApp, token: &str, id: &str, body: Value) -> gridwork_tests::Res {
    app.post(&format!("/api/v1/deliberations/{id}/actions"), token, body)
        .await
}

async fn version(app: &TestApp, token: &str, id: &str) -> i64 {
    app.get(&format!("/api/v1/deliberations/{id}"), token)
        .await
        .ok(200)["version"]
        .as_i64()
        .unwrap()
}

fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_string())
        .collect()
}

async fn an_item_goes_from_raised_to_done(app: TestApp) {
    let w = World::build(&app).await;
    let body = item(WENFENG);
    let d = app
        .post("/api/v1/deliberations", &w.worker1.token, body.clone())
        .await
        .ok(201)
        .clone();
    assert_eq!(d["status"], "raised");
    assert_eq!(d["version"], 1);
    assert_eq!(d["raised_by"], w.worker1.id.as_str());
    // The same id and body answer as the first time; another body under it is refused.
    let again = app
        .post("/api/v1/deliberations", &w.worker1.token, body.clone())
        .await;
    assert_eq!(again.ok(201)["id"], d["id"]);
    assert_eq!(again.body["created_at"], d["created_at"]);
    let mut other = body.clone();
    other["title"] = json!("另一件事");
    app.post("/api/v1/deliberations", &w.worker1.token, other)
        .await
        .problem(409, "id_conflict");
    let id = d["id"].as_str().unwrap();
    let sessions = format!("/api/v1/deliberations/{id}/sessions");
    // No session before the item is accepted.
    app.post(&sessions, &w.worker1.token, session(10, 6, 2, 2))
        .await
        .problem(409, "invalid_transition");
    let a = act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "accept", "version": 1}),
    )
    .await;
    assert_eq!(a.ok(200)["status"], "accepted");
    assert_eq!(a.body["version"], 2);
    // Exactly half is not a majority.
    let half = app
        .post(&sessions, &w.worker1.token, session(10, 5, 3, 2))
        .await;
    assert_eq!(half.ok(201)["passed"], false);
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "decide", "version": 2, "decision": "改建停车位"}),
    )
    .await
    .problem(409, "vote_not_passed");
    let more = session(10, 6, 4, 0);
    let passed = app.post(&sessions, &w.worker1.token, more.clone()).await;
    assert_eq!(passed.ok(201)["passed"], true);
    assert_eq!(passed.body["votes"]["for"], 6);
    // A session replayed answers the same; sessions leave the version alone.
    assert_eq!(
        app.post(&sessions, &w.worker1.token, more).await.ok(201)["id"],
        passed.body["id"]
    );
    assert_eq!(version(&app, &w.town1.token, id).await, 2);
    // decide needs a decision.
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "decide", "version": 2}),
    )
    .await
    .problem(422, "validation_failed");
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "decide", "version": 2, "decision": "   "}),
    )
    .await
    .problem(422, "validation_failed");
    let dec = act(
        &app,
        &w.district.token,
        id,
        json!({"action": "decide", "version": 2, "decision": "空地改建为 20 个停车位"}),
    )
    .await;
    assert_eq!(dec.ok(200)["status"], "decided");
    assert_eq!(dec.body["decision"], "空地改建为 20 个停车位");
    // Sessions are held on accepted items only.
    app.post(&sessions, &w.worker1.token, session(10, 6, 4, 0))
        .await
        .problem(409, "invalid_transition");
    let imp = act(
        &app,
        &w.worker1.token,
        id,
        json!({"action": "implement", "version": 3}),
    )
    .await;
    assert_eq!(imp.ok(200)["status"], "implementing");
    act(
        &app,
        &w.worker1.token,
        id,
        json!({"action": "complete", "version": 4}),
    )
    .await
    .problem(422, "validation_failed");
    let done = act(
        &app,
        &w.worker1.token,
        id,
        json!({"action": "complete", "version": 4, "note": "停车位已划线启用"}),
    )
    .await;
    assert_eq!(done.ok(200)["status"], "done");
    assert_eq!(done.body["version"], 5);
    assert_eq!(done.body["outcome"], "停车位已划线启用");
    assert!(done.body["done_at"].is_string());
    assert_eq!(done.body["sessions"].as_array().unwrap().len(), 2);
    let steps: Vec<&str> = done.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["raise", "accept", "decide", "implement", "complete"]
    );
    // Nothing follows done.
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "complete", "version": 5, "note": "再次"}),
    )
    .await
    .problem(409, "invalid_transition");
    // Each step is audited.
    let audit = app
        .get(&format!("/api/v1/audit?entity={id}"), &w.admin.token)
        .await;
    let actions: Vec<&str> = audit.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "deliberation_accept",
        "deliberation_decide",
        "deliberation_complete",
    ] {
        assert!(actions.contains(&a), "{actions:?}");
    }
    // Filters.
    let l = app
        .get("/api/v1/deliberations?status=done", &w.district.token)
        .await;
    assert_eq!(ids(l.ok(200)), [id]);
    let l = app
        .get(
            &format!("/api/v1/deliberations?region={XUEFU}"),
            &w.district.token,
        )
        .await;
    assert!(ids(l.ok(200)).is_empty());
    app.get("/api/v1/deliberations?status=finished", &w.district.token)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/deliberations?region=5001", &w.district.token)
        .await
        .problem(422, "validation_failed");
}

async fn readers_and_actors_are_scoped(app: TestApp) {
    let w = World::build(&app).await;
    let d = raise(&app, &w.worker1.token, WENFENG).await;
    let id = d["id"].as_str().unwrap();
    let url = format!("/api/v1/deliberations/{id}");
    // Workers and supervisors of the community and above read it; others get 404.
    for t in [
        &w.worker1.token,
        &w.town1.token,
        &w.district.token,
        &w.admin.token,
    ] {
        app.get(&url, t).await.ok(200);
    }
    for t in [&w.worker2.token, &w.town2.token, &w.volunteer.token] {
        app.get(&url, t).await.problem(404, "not_found");
    }
    // Acting: outsiders 404; a worker may not accept (403); a volunteer takes no step.
    act(
        &app,
        &w.town2.token,
        id,
        json!({"action": "accept", "version": 1}),
    )
    .await
    .problem(404, "not_found");
    act(
        &app,
        &w.worker1.token,
        id,
        json!({"action": "accept", "version": 1}),
    )
    .await
    .problem(403, "forbidden");
    act(
        &app,
        &w.volunteer.token,
        id,
        json!({"action": "accept", "version": 1}),
    )
    .await
    .problem(403, "forbidden");
    act(
        &app,
        &w.worker1.token,
        id,
        json!({"action": "decline", "version": 1}),
    )
    .await
    .problem(403, "forbidden");
    app.post(
        &format!("{url}/sessions"),
        &w.volunteer.token,
        session(5, 3, 1, 1),
    )
    .await
    .problem(403, "forbidden");
    // Raising: the community must be in the caller's scope (404), a 12-digit code of a
    // community that exists (422).
    app.post("/api/v1/deliberations", &w.worker2.token, item(WENFENG))
        .await
        .problem(404, "not_found");
    app.post("/api/v1/deliberations", &w.worker1.token, item(BAITA))
        .await
        .problem(404, "not_found");
    app.post("/api/v1/deliberations", &w.volunteer.token, item(XUEFU))
        .await
        .problem(404, "not_found");
    app.post("/api/v1/deliberations", &w.town1.token, item("500117001"))
        .await
        .problem(422, "validation_failed");
    app.post(
        "/api/v1/deliberations",
        &w.town1.token,
        item("500117001009"),
    )
    .await
    .problem(422, "validation_failed");
    app.post("/api/v1/deliberations", &w.town1.token, item(BAITA))
        .await
        .ok(201);
    // A source incident must be one the caller can see.
    let theirs = report(&app, &w.worker2.token, incident("0401", IN_TOWN_2, "low")).await;
    let mut from_theirs = item(WENFENG);
    from_theirs["source_incident_id"] = theirs["id"].clone();
    app.post("/api/v1/deliberations", &w.worker1.token, from_theirs)
        .await
        .problem(404, "not_found");
    let mine = report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let mut from_mine = item(WENFENG);
    from_mine["source_incident_id"] = mine["id"].clone();
    let r = app
        .post("/api/v1/deliberations", &w.worker1.token, from_mine)
        .await;
    assert_eq!(r.ok(201)["source_incident_id"], mine["id"]);
    // A volunteer reads what it raised, and every done item of its community.
    let own = raise(&app, &w.volunteer.token, WENFENG).await;
    let listed = app.get("/api/v1/deliberations", &w.volunteer.token).await;
    assert_eq!(ids(listed.ok(200)), [own["id"].as_str().unwrap()]);
    let mut v = 1;
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "accept", "version": v}),
    )
    .await
    .ok(200);
    v += 1;
    app.post(
        &format!("{url}/sessions"),
        &w.worker1.token,
        session(3, 2, 1, 0),
    )
    .await
    .ok(201);
    for (who, step, extra) in [
        (&w.town1.token, "decide", json!({"decision": "同意"})),
        (&w.worker1.token, "implement", json!({})),
    ] {
        let mut b = json!({"action": step, "version": v});
        for (k, x) in extra.as_object().unwrap() {
            b[k] = x.clone();
        }
        act(&app, who, id, b).await.ok(200);
        v += 1;
        app.get(&url, &w.volunteer.token)
            .await
            .problem(404, "not_found");
    }
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "complete", "version": v, "note": "完成"}),
    )
    .await
    .ok(200);
    let seen = app.get(&url, &w.volunteer.token).await;
    assert_eq!(seen.ok(200)["status"], "done");
    let listed = app.get("/api/v1/deliberations", &w.volunteer.token).await;
    assert_eq!(ids(listed.ok(200)).len(), 2);
    // Published to its community only: worker2's volunteer-free town sees nothing of it.
    app.get(&url, &w.worker2.token)
        .await
        .problem(404, "not_found");
}

async fn an_illegal_step_is_invalid_before_any_other_conflict(app: TestApp) {
    let w = World::build(&app).await;
    let d = raise(&app, &w.worker1.token, WENFENG).await;
    let id = d["id"].as_str().unwrap();
    // From raised, decide and implement are illegal, even at a stale version.
    for step in ["decide", "implement"] {
        act(
            &app,
            &w.town1.token,
            id,
            json!({"action": step, "version": 7, "decision": "x"}),
        )
        .await
        .problem(409, "invalid_transition");
    }
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "accept", "version": 7}),
    )
    .await
    .problem(409, "version_conflict");
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "decline", "version": 1, "note": "不属于议事范围"}),
    )
    .await
    .ok(200);
    for step in ["accept", "decline"] {
        act(
            &app,
            &w.town1.token,
            id,
            json!({"action": step, "version": 2}),
        )
        .await
        .problem(409, "invalid_transition");
    }
    app.post(
        &format!("/api/v1/deliberations/{id}/sessions"),
        &w.worker1.token,
        session(5, 5, 0, 0),
    )
    .await
    .problem(409, "invalid_transition");
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "vote", "version": 2}),
    )
    .await
    .problem(422, "validation_failed");
}

async fn the_vote_passes_with_more_than_half_of_those_present(app: TestApp) {
    let w = World::build(&app).await;
    let d = raise(&app, &w.worker1.token, WENFENG).await;
    let id = d["id"].as_str().unwrap();
    act(
        &app,
        &w.town1.token,
        id,
        json!({"action": "accept", "version": 1}),
    )
    .await
    .ok(200);
    let url = format!("/api/v1/deliberations/{id}/sessions");
    for (attendees, f, a, ab, passed) in [
        (1, 1, 0, 0, true),
        (1, 0, 0, 1, false),
        (2, 1, 1, 0, false),
        (4, 2, 0, 0, false),
        (4, 3, 1, 0, true),
        (9, 4, 0, 5, false),
        (9, 5, 4, 0, true),
        (100, 50, 0, 0, false),
        (100, 51, 49, 0, true),
    ] {
        let r = app
            .post(&url, &w.worker1.token, session(attendees, f, a, ab))
            .await;
        assert_eq!(r.ok(201)["passed"], passed, "{attendees} present, {f} for");
    }
    // Votes beyond those present, or none present, are refused.
    for bad in [
        session(10, 6, 4, 1),
        session(0, 0, 0, 0),
        session(5, -1, 0, 0),
    ] {
        app.post(&url, &w.worker1.token, bad)
            .await
            .problem(422, "validation_failed");
    }
    // The session after the refusals did not touch the version.
    assert_eq!(version(&app, &w.town1.token, id).await, 2);
}

async fn pull(app: &TestApp, token: &str, cursor: Option<&str>) -> (Value, String) {
    let mut all = json!({"deliberations": [], "campaigns": [], "deleted": []});
    let mut cursor = cursor.map(str::to_string);
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/sync/pull?cursor={c}"),
            None => "/api/v1/sync/pull".to_string(),
        };
        let r = app.get(&path, token).await;
        let body = r.ok(200).clone();
        for k in ["deliberations", "campaigns", "deleted"] {
            let list = all[k].as_array_mut().unwrap();
            list.extend(body[k].as_array().unwrap().iter().cloned());
        }
        cursor = Some(body["cursor"].as_str().unwrap().to_string());
        if !body["has_more"].as_bool().unwrap() {
            return (all, cursor.unwrap());
        }
    }
}

fn op(kind: &str, body: Value) -> Value {
    json!({"op_id": uuid::Uuid::new_v4(), "type": kind, "body": body})
}

fn statuses(r: &Value) -> Vec<String> {
    r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let s = x["status"].as_str().unwrap();
            match x["code"].as_str() {
                Some(code) => format!("{s}:{code}"),
                None => s.to_string(),
            }
        })
        .collect()
}

async fn items_and_sessions_go_through_sync(app: TestApp) {
    let w = World::build(&app).await;
    let (first, cursor) = pull(&app, &w.worker1.token, None).await;
    assert!(first["deliberations"].as_array().unwrap().is_empty());
    let new = item(WENFENG);
    let id = new["id"].as_str().unwrap().to_string();
    let mut early = session(10, 6, 4, 0);
    early["deliberation_id"] = json!(id);
    let ops = json!({"ops": [
        op("deliberation.create", new.clone()),
        op("deliberation.session", early),
        op("deliberation.create", item(XUEFU)),
    ]});
    let r = app
        .post("/api/v1/sync/push", &w.worker1.token, ops.clone())
        .await;
    assert_eq!(
        statuses(r.ok(200)),
        [
            "applied",
            "rejected:invalid_transition",
            "rejected:not_found"
        ]
    );
    // Replayed: the applied create is a duplicate, nothing doubles.
    let again = app.post("/api/v1/sync/push", &w.worker1.token, ops).await;
    assert_eq!(
        statuses(again.ok(200)),
        [
            "duplicate",
            "rejected:invalid_transition",
            "rejected:not_found"
        ]
    );
    // The create through the endpoint with the same body is the same record.
    assert_eq!(
        app.post("/api/v1/deliberations", &w.worker1.token, new)
            .await
            .ok(201)["id"],
        json!(id)
    );
    let (changed, cursor) = pull(&app, &w.worker1.token, Some(&cursor)).await;
    let got: Vec<&str> = changed["deliberations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, [id.as_str()]);
    act(
        &app,
        &w.town1.token,
        &id,
        json!({"action": "accept", "version": 1}),
    )
    .await
    .ok(200);
    let mut later = session(10, 6, 4, 0);
    later["deliberation_id"] = json!(id);
    let ops = json!({"ops": [op("deliberation.session", later)]});
    let r = app
        .post("/api/v1/sync/push", &w.worker1.token, ops.clone())
        .await;
    assert_eq!(statuses(r.ok(200)), ["applied"]);
    let r = app.post("/api/v1/sync/push", &w.worker1.token, ops).await;
    assert_eq!(statuses(r.ok(200)), ["duplicate"]);
    let d = app
        .get(&format!("/api/v1/deliberations/{id}"), &w.worker1.token)
        .await;
    assert_eq!(d.ok(200)["sessions"].as_array().unwrap().len(), 1);
    let (changed, _) = pull(&app, &w.worker1.token, Some(&cursor)).await;
    assert_eq!(changed["deliberations"][0]["status"], "accepted");
    // Out of scope items never reach another community's worker.
    let (theirs, _) = pull(&app, &w.worker2.token, None).await;
    assert!(theirs["deliberations"].as_array().unwrap().is_empty());
    let (mine, _) = pull(&app, &w.town1.token, None).await;
    assert_eq!(mine["deliberations"].as_array().unwrap().len(), 1);
}

/// `gridwork demo` seeds items in every state and campaigns at every level with
/// nominations in every state; seeding again changes nothing.
async fn the_demo_hall_and_selections_have_every_state(app: TestApp) {
    use std::collections::BTreeSet;
    for _ in 0..2 {
        let state = app.state.clone();
        app.with_db(move |c| {
            gridwork_server::tools::demo::seed(&state, c).map_err(|e| e.to_string())
        })
        .await
        .unwrap();
    }
    let token = app
        .login("admin", gridwork_server::tools::demo::PASSWORD)
        .await;
    let items = app.get("/api/v1/deliberations?limit=500", &token).await;
    let items = items.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 6);
    let statuses: BTreeSet<&str> = items
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 6, "{statuses:?}");
    let mut passed = BTreeSet::new();
    for i in &items {
        let d = app
            .get(
                &format!("/api/v1/deliberations/{}", i["id"].as_str().unwrap()),
                &token,
            )
            .await;
        for s in d.ok(200)["sessions"].as_array().unwrap() {
            passed.insert(s["passed"].as_bool().unwrap());
        }
    }
    assert_eq!(passed.len(), 2, "sessions that passed and one that did not");
    let ks = app.get("/api/v1/campaigns?limit=500", &token).await;
    let ks = ks.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(ks.len(), 7);
    let levels: BTreeSet<&str> = ks.iter().map(|k| k["level"].as_str().unwrap()).collect();
    assert_eq!(levels.len(), 3);
    let kstatus: BTreeSet<&str> = ks.iter().map(|k| k["status"].as_str().unwrap()).collect();
    assert_eq!(kstatus.len(), 3);
    let mut nstatus = BTreeSet::new();
    for k in &ks {
        let d = app
            .get(
                &format!("/api/v1/campaigns/{}", k["id"].as_str().unwrap()),
                &token,
            )
            .await;
        for n in d.ok(200)["nominations"].as_array().unwrap() {
            nstatus.insert(n["status"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(nstatus.len(), 4, "{nstatus:?}");
    let roll = app.get("/api/v1/honours", &token).await;
    assert_eq!(roll.ok(200).as_array().unwrap().len(), 3);
}

both_engines!(
    the_demo_hall_and_selections_have_every_state,
    an_item_goes_from_raised_to_done,
    readers_and_actors_are_scoped,
    an_illegal_step_is_invalid_before_any_other_conflict,
    the_vote_passes_with_more_than_half_of_those_present,
    items_and_sessions_go_through_sync,
);
