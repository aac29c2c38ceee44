//! The yearly selections (德治评选): campaigns at their award's level, nominations,
//! shortlist, selection within the quota, close, announce and the honour roll.

use chrono::{Duration, Utc};
use gridwork_tests::fixtures::World;
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

const TOWN1: &str = "500117001";
const WENFENG: &str = "500117001001";
const BAITA: &str = "500117001002";
const XUEFU: &str = "500117002001";

fn campaign(award: &str, region: &str, quota: i64) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "award": award,
        "region_code": region,
        "year": 2026,
        "quota": quota,
        "nominations_close": (Utc::now() + Duration::days(30)).to_rfc3339(),
    })
}

fn nomination(name: &str, region: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "nominee_name": name,
        "nominee_region_code": region,
        "story": "二十年如一日照顾孤寡老人，热心调解邻里纠纷",
    })
}

async fn open(app: &TestApp, token: &str, award: &str, region: &str, quota: i64) -> Value {
    app.post("/api/v1/campaigns", token, campaign(award, region, quota))
        .await
        .ok(201)
        .clone()
}

async fn nominate(app: &TestApp, token: &str, campaign: &str, body: Value) -> gridwork_tests::Res {
    app.post(
        &format!("/api/v1/campaigns/{campaign}/nominations"),
        token,
        body,
    )
    .await
}

async fn step(app: &TestApp, token: &str, nomination: &Value, action: &str) -> gridwork_tests::Res {
    let id = nomination["id"].as_str().unwrap();
    let campaign = nomination["campaign_id"].as_str().unwrap();
    let d = app
        .get(&format!("/api/v1/campaigns/{campaign}"), token)
        .await;
    let version = d.body["nominations"]
        .as_array()
        .and_then(|l| l.iter().find(|n| n["id"] == id))
        .map_or(1, |n| n["version"].as_i64().unwrap());
    app.post(
        &format!("/api/v1/nominations/{id}/actions"),
        token,
        json!({"action": action, "version": version}),
    )
    .await
}

async fn campaign_step(
    app: &TestApp,
    token: &str,
    id: &str,
    action: &str,
    version: i64,
) -> gridwork_tests::Res {
    app.post(
        &format!("/api/v1/campaigns/{id}/actions"),
        token,
        json!({"action": action, "version": version}),
    )
    .await
}

async fn a_campaign_goes_from_open_to_the_honour_roll(app: TestApp) {
    let w = World::build(&app).await;
    let body = campaign("good_person", TOWN1, 1);
    let k = app
        .post("/api/v1/campaigns", &w.town1.token, body.clone())
        .await
        .ok(201)
        .clone();
    assert_eq!(k["status"], "open");
    assert_eq!(k["level"], "town");
    assert_eq!(k["version"], 1);
    assert_eq!(k["accepting_nominations"], true);
    // Idempotent by id.
    assert_eq!(
        app.post("/api/v1/campaigns", &w.town1.token, body.clone())
            .await
            .ok(201)["created_at"],
        k["created_at"]
    );
    let mut other = body;
    other["quota"] = json!(3);
    app.post("/api/v1/campaigns", &w.town1.token, other)
        .await
        .problem(409, "id_conflict");
    let id = k["id"].as_str().unwrap();
    // A worker, a volunteer and an admin nominate; a replay is the same nomination.
    let by_worker = nomination("张秀英", WENFENG);
    let a = nominate(&app, &w.worker1.token, id, by_worker.clone()).await;
    assert_eq!(a.ok(201)["status"], "nominated");
    assert_eq!(a.body["version"], 1);
    let a = a.body.clone();
    assert_eq!(
        nominate(&app, &w.worker1.token, id, by_worker.clone())
            .await
            .ok(201)["created_at"],
        a["created_at"]
    );
    let mut changed = by_worker;
    changed["story"] = json!("另一个故事");
    nominate(&app, &w.worker1.token, id, changed)
        .await
        .problem(409, "id_conflict");
    let b = nominate(&app, &w.volunteer.token, id, nomination("李德明", WENFENG))
        .await
        .ok(201)
        .clone();
    let c = nominate(&app, &w.admin.token, id, nomination("王桂兰", BAITA))
        .await
        .ok(201)
        .clone();
    // Selection: nominated → shortlisted → selected, within the quota.
    step(&app, &w.town1.token, &a, "select")
        .await
        .problem(409, "invalid_transition");
    assert_eq!(
        step(&app, &w.town1.token, &a, "shortlist").await.ok(200)["status"],
        "shortlisted"
    );
    assert_eq!(
        step(&app, &w.town1.token, &b, "shortlist").await.ok(200)["status"],
        "shortlisted"
    );
    let sel = step(&app, &w.district.token, &a, "select").await;
    assert_eq!(sel.ok(200)["status"], "selected");
    assert_eq!(sel.body["version"], 3);
    step(&app, &w.town1.token, &b, "select")
        .await
        .problem(409, "quota_full");
    step(&app, &w.town1.token, &a, "decline")
        .await
        .problem(409, "invalid_transition");
    assert_eq!(
        step(&app, &w.town1.token, &b, "decline").await.ok(200)["status"],
        "declined"
    );
    let d = app
        .get(&format!("/api/v1/campaigns/{id}"), &w.worker1.token)
        .await;
    assert_eq!(d.ok(200)["selected"], 1);
    assert_eq!(d.body["nominations"].as_array().unwrap().len(), 3);
    // Close: no more nominations; the version moved on.
    let closed = campaign_step(&app, &w.town1.token, id, "close", 1).await;
    assert_eq!(closed.ok(200)["status"], "closed");
    assert_eq!(closed.body["version"], 2);
    assert_eq!(closed.body["accepting_nominations"], false);
    nominate(&app, &w.worker1.token, id, nomination("赵大勇", WENFENG))
        .await
        .problem(409, "campaign_closed");
    // A replay of a nomination made while open still answers as the first time.
    nominate(&app, &w.admin.token, id, {
        let mut x = c.clone();
        for k in [
            "campaign_id",
            "status",
            "nominated_by",
            "version",
            "created_at",
            "updated_at",
        ] {
            x.as_object_mut().unwrap().remove(k);
        }
        x
    })
    .await
    .ok(201);
    campaign_step(&app, &w.town1.token, id, "close", 2)
        .await
        .problem(409, "invalid_transition");
    campaign_step(&app, &w.town1.token, id, "announce", 1)
        .await
        .problem(409, "version_conflict");
    // Not on the roll before it is announced.
    assert!(
        app.get("/api/v1/honours", &w.worker1.token)
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .is_empty()
    );
    let ann = campaign_step(&app, &w.town1.token, id, "announce", 2).await;
    assert_eq!(ann.ok(200)["status"], "announced");
    // Once announced, nominations do not move.
    step(&app, &w.town1.token, &c, "shortlist")
        .await
        .problem(409, "invalid_transition");
    step(&app, &w.town1.token, &c, "decline")
        .await
        .problem(409, "invalid_transition");
    campaign_step(&app, &w.town1.token, id, "announce", 3)
        .await
        .problem(409, "invalid_transition");
    // The honour roll is the whole district's, for every signed-in user.
    for t in [
        &w.worker2.token,
        &w.volunteer.token,
        &w.town2.token,
        &w.admin.token,
    ] {
        let roll = app.get("/api/v1/honours", t).await;
        let roll = roll.ok(200).as_array().unwrap().clone();
        assert_eq!(roll.len(), 1);
        assert_eq!(roll[0]["nominee_name"], "张秀英");
        assert_eq!(roll[0]["award"], "good_person");
        assert_eq!(roll[0]["level"], "town");
        assert_eq!(roll[0]["year"], 2026);
        assert_eq!(roll[0]["campaign_id"], id);
    }
    let len = |v: &Value| v.as_array().unwrap().len();
    assert_eq!(
        len(app
            .get("/api/v1/honours?region=500117001", &w.worker2.token)
            .await
            .ok(200)),
        1
    );
    assert_eq!(
        len(app
            .get("/api/v1/honours?region=500117", &w.worker2.token)
            .await
            .ok(200)),
        1
    );
    assert_eq!(
        len(app
            .get("/api/v1/honours?region=500117002", &w.worker1.token)
            .await
            .ok(200)),
        0
    );
    assert_eq!(
        len(app
            .get("/api/v1/honours?region=500117001001", &w.worker1.token)
            .await
            .ok(200)),
        0
    );
    assert_eq!(
        len(app
            .get("/api/v1/honours?year=2025", &w.worker1.token)
            .await
            .ok(200)),
        0
    );
    assert_eq!(
        len(app
            .get("/api/v1/honours?year=2026", &w.worker1.token)
            .await
            .ok(200)),
        1
    );
    app.get("/api/v1/honours?year=soon", &w.worker1.token)
        .await
        .problem(422, "validation_failed");
    // Every step was audited.
    let audit = app
        .get(&format!("/api/v1/audit?entity={id}"), &w.admin.token)
        .await;
    let actions: Vec<&str> = audit.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for x in ["campaign_create", "campaign_close", "campaign_announce"] {
        assert!(actions.contains(&x), "{actions:?}");
    }
}

async fn campaigns_are_opened_at_their_award_level(app: TestApp) {
    let w = World::build(&app).await;
    for (award, region) in [
        ("new_sage", TOWN1),
        ("most_beautiful", WENFENG),
        ("good_person", "500117"),
        ("village_model", WENFENG),
        ("good_family", TOWN1),
        ("good_in_laws", "500117"),
    ] {
        app.post(
            "/api/v1/campaigns",
            &w.admin.token,
            campaign(award, region, 1),
        )
        .await
        .problem(422, "validation_failed");
    }
    for (award, region) in [
        ("most_beautiful", "500117"),
        ("new_sage", "500117"),
        ("good_person", TOWN1),
        ("village_model", TOWN1),
        ("good_family", WENFENG),
        ("good_family_motto", WENFENG),
        ("good_in_laws", BAITA),
    ] {
        open(&app, &w.admin.token, award, region, 2).await;
    }
    let mut zero = campaign("good_family", WENFENG, 0);
    app.post("/api/v1/campaigns", &w.town1.token, zero.clone())
        .await
        .problem(422, "validation_failed");
    zero["quota"] = json!(1);
    zero["nominations_close"] = json!("next month");
    app.post("/api/v1/campaigns", &w.town1.token, zero.clone())
        .await
        .problem(422, "validation_failed");
    zero["nominations_close"] = json!("2026-12-31T18:00:00+08:00");
    let k = app.post("/api/v1/campaigns", &w.town1.token, zero).await;
    assert_eq!(k.ok(201)["nominations_close"], "2026-12-31T10:00:00Z");
    // Roles that may not open one, and regions outside the caller's.
    for t in [&w.worker1.token, &w.volunteer.token] {
        app.post("/api/v1/campaigns", t, campaign("good_family", WENFENG, 1))
            .await
            .problem(403, "forbidden");
    }
    app.post(
        "/api/v1/campaigns",
        &w.town2.token,
        campaign("good_family", WENFENG, 1),
    )
    .await
    .problem(404, "not_found");
    app.post(
        "/api/v1/campaigns",
        &w.town1.token,
        campaign("most_beautiful", "500117", 1),
    )
    .await
    .problem(404, "not_found");
    app.post(
        "/api/v1/campaigns",
        &w.town1.token,
        campaign("good_family", "500117001009", 1),
    )
    .await
    .problem(422, "validation_failed");
    // Lists: filters, and each caller's campaigns.
    let items = |v: &Value| v["items"].as_array().unwrap().len();
    assert_eq!(
        items(app.get("/api/v1/campaigns", &w.admin.token).await.ok(200)),
        8
    );
    assert_eq!(
        items(
            app.get("/api/v1/campaigns?region=500117001", &w.admin.token)
                .await
                .ok(200)
        ),
        6
    );
    assert_eq!(
        items(
            app.get("/api/v1/campaigns?year=2027", &w.admin.token)
                .await
                .ok(200)
        ),
        0
    );
    assert_eq!(
        items(
            app.get("/api/v1/campaigns?status=open&limit=3", &w.admin.token)
                .await
                .ok(200)
        ),
        3
    );
    // worker1 (文峰): the district's two, the town's two, 文峰's three.
    assert_eq!(
        items(app.get("/api/v1/campaigns", &w.worker1.token).await.ok(200)),
        7
    );
    // town2: only the district's.
    assert_eq!(
        items(app.get("/api/v1/campaigns", &w.town2.token).await.ok(200)),
        2
    );
    app.get("/api/v1/campaigns?status=done", &w.admin.token)
        .await
        .problem(422, "validation_failed");
}

async fn nominations_are_scoped_and_closed_in_time(app: TestApp) {
    let w = World::build(&app).await;
    let town = open(&app, &w.town1.token, "village_model", TOWN1, 2).await;
    let town_id = town["id"].as_str().unwrap();
    let district = open(&app, &w.district.token, "new_sage", "500117", 2).await;
    let district_id = district["id"].as_str().unwrap();
    // Another town's worker does not see the town's campaign.
    nominate(&app, &w.worker2.token, town_id, nomination("陈刚", XUEFU))
        .await
        .problem(404, "not_found");
    app.get(&format!("/api/v1/campaigns/{town_id}"), &w.town2.token)
        .await
        .problem(404, "not_found");
    // The nominee's region: under the campaign's, and in the caller's scope.
    nominate(&app, &w.district.token, town_id, nomination("陈刚", XUEFU))
        .await
        .problem(422, "validation_failed");
    nominate(
        &app,
        &w.worker2.token,
        district_id,
        nomination("陈刚", WENFENG),
    )
    .await
    .problem(422, "validation_failed");
    nominate(&app, &w.worker1.token, town_id, nomination("陈刚", BAITA))
        .await
        .problem(422, "validation_failed");
    nominate(
        &app,
        &w.worker1.token,
        town_id,
        nomination("陈刚", "500117001077"),
    )
    .await
    .problem(422, "validation_failed");
    let n = nominate(
        &app,
        &w.worker2.token,
        district_id,
        nomination("陈刚", XUEFU),
    )
    .await
    .ok(201)
    .clone();
    // Acting on it: workers and volunteers may not; a town supervisor may not act on the
    // district's campaign, though it reads it.
    for t in [&w.worker2.token, &w.volunteer.token] {
        step(&app, t, &n, "shortlist")
            .await
            .problem(403, "forbidden");
        campaign_step(&app, t, district_id, "close", 1)
            .await
            .problem(403, "forbidden");
    }
    app.get(&format!("/api/v1/campaigns/{district_id}"), &w.town2.token)
        .await
        .ok(200);
    step(&app, &w.town2.token, &n, "shortlist")
        .await
        .problem(403, "forbidden");
    campaign_step(&app, &w.town1.token, district_id, "close", 1)
        .await
        .problem(403, "forbidden");
    campaign_step(&app, &w.town2.token, town_id, "close", 1)
        .await
        .problem(404, "not_found");
    // Past nominations_close the campaign takes no more, though it is still open.
    app.advance(Duration::days(31));
    nominate(&app, &w.worker1.token, town_id, nomination("周敏", WENFENG))
        .await
        .problem(409, "campaign_closed");
    let d = app
        .get(&format!("/api/v1/campaigns/{town_id}"), &w.town1.token)
        .await;
    assert_eq!(d.ok(200)["status"], "open");
    assert_eq!(d.body["accepting_nominations"], false);
    // Selection goes on after the nominations close.
    step(&app, &w.district.token, &n, "shortlist").await.ok(200);
}

fn op(kind: &str, body: Value) -> Value {
    json!({"op_id": uuid::Uuid::new_v4(), "type": kind, "body": body})
}

async fn nominations_go_through_sync_and_closed_campaigns_leave_the_phone(app: TestApp) {
    let w = World::build(&app).await;
    let k = open(&app, &w.town1.token, "good_family", WENFENG, 1).await;
    let id = k["id"].as_str().unwrap();
    let first = app.get("/api/v1/sync/pull", &w.volunteer.token).await;
    let mut body = first.ok(200).clone();
    let mut campaigns = vec![];
    loop {
        campaigns.extend(body["campaigns"].as_array().unwrap().iter().cloned());
        if !body["has_more"].as_bool().unwrap() {
            break;
        }
        let c = body["cursor"].as_str().unwrap().to_string();
        body = app
            .get(&format!("/api/v1/sync/pull?cursor={c}"), &w.volunteer.token)
            .await
            .ok(200)
            .clone();
    }
    assert_eq!(campaigns.len(), 1);
    assert_eq!(campaigns[0]["id"], id);
    let cursor = body["cursor"].as_str().unwrap().to_string();
    let mut n = nomination("刘家", WENFENG);
    n["campaign_id"] = json!(id);
    let ops = json!({"ops": [op("nomination.create", n.clone())]});
    let r = app
        .post("/api/v1/sync/push", &w.volunteer.token, ops.clone())
        .await;
    assert_eq!(r.ok(200)["results"][0]["status"], "applied");
    let r = app.post("/api/v1/sync/push", &w.volunteer.token, ops).await;
    assert_eq!(r.ok(200)["results"][0]["status"], "duplicate");
    let d = app
        .get(&format!("/api/v1/campaigns/{id}"), &w.town1.token)
        .await;
    assert_eq!(d.ok(200)["nominations"].as_array().unwrap().len(), 1);
    // Closed: the next pull takes it off the phone, and a late nomination is refused.
    campaign_step(&app, &w.town1.token, id, "close", 1)
        .await
        .ok(200);
    let p = app
        .get(
            &format!("/api/v1/sync/pull?cursor={cursor}"),
            &w.volunteer.token,
        )
        .await;
    assert!(p.ok(200)["campaigns"].as_array().unwrap().is_empty());
    assert!(
        p.body["deleted"]
            .as_array()
            .unwrap()
            .contains(&json!({"type": "campaign", "id": id}))
    );
    let mut late = nomination("孙家", WENFENG);
    late["campaign_id"] = json!(id);
    let r = app
        .post(
            "/api/v1/sync/push",
            &w.volunteer.token,
            json!({"ops": [op("nomination.create", late)]}),
        )
        .await;
    assert_eq!(r.ok(200)["results"][0]["code"], "campaign_closed");
}

both_engines!(
    a_campaign_goes_from_open_to_the_honour_roll,
    campaigns_are_opened_at_their_award_level,
    nominations_are_scoped_and_closed_in_time,
    nominations_go_through_sync_and_closed_campaigns_leave_the_phone,
);
