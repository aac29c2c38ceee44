//! Co-governance: volunteer teams, their zones and members, patrols, points and figures.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use gridwork_tests::fixtures::{IN_CELL_1, World, create_user, incident, report, step};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

/// A point in cell `500117001002001` (白塔社区, town 1), outside the volunteer's community.
const IN_BAITA: (f64, f64) = (106.005, 29.015);
const BAITA_CELL: &str = "500117001002001";
const TOWN1: &str = "500117001";
const WENFENG: &str = "500117001001";

fn team(name: &str, kind: &str, region: &str, cells: &[&str]) -> Value {
    json!({"id": uuid::Uuid::new_v4(), "name": name, "kind": kind, "region_code": region, "cell_codes": cells})
}

async fn create_team(app: &TestApp, token: &str, body: Value) -> Value {
    app.post("/api/v1/teams", token, body).await.ok(201).clone()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

async fn put_members(app: &TestApp, token: &str, team: &str, ids: &[&str]) -> gridwork_tests::Res {
    app.put(
        &format!("/api/v1/teams/{team}/members"),
        token,
        json!({"user_ids": ids}),
    )
    .await
}

/// The server's domain clock now.
fn now(app: &TestApp) -> DateTime<Utc> {
    app.state.clock.now()
}

fn patrol(team: &str, members: &[&str], start: DateTime<Utc>, minutes: i64) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(), "team_id": team,
        "started_at": start.to_rfc3339(), "ended_at": (start + Duration::minutes(minutes)).to_rfc3339(),
        "member_ids": members, "note": "夜间巡逻",
    })
}

async fn teams_are_created_read_and_changed(app: TestApp) {
    let w = World::build(&app).await;
    let body = json!({"id": uuid::Uuid::new_v4(), "name": "文峰平安大嫂", "kind": "safety_sisters",
        "region_code": WENFENG, "leader_id": w.worker1.id, "cell_codes": ["500117001001002", "500117001001001"]});
    let t = app
        .post("/api/v1/teams", &w.town1.token, body.clone())
        .await;
    let t = t.ok(201).clone();
    assert_eq!(t["kind"], "safety_sisters");
    assert_eq!(t["leader_id"], w.worker1.id.as_str());
    assert_eq!(
        t["cell_codes"],
        json!(["500117001001001", "500117001001002"])
    );
    assert_eq!(t["member_count"], 0);
    assert_eq!(t["points"], 0);
    assert_eq!(t["active"], true);
    assert_eq!(t["version"], 1);
    assert_eq!(t["members"], json!([]));
    // A replay answers the same team; the same id with another body is refused.
    let again = app
        .post("/api/v1/teams", &w.town1.token, body.clone())
        .await;
    assert_eq!(again.ok(201)["id"], t["id"]);
    let mut other = body.clone();
    other["name"] = json!("另一支队伍");
    app.post("/api/v1/teams", &w.town1.token, other)
        .await
        .problem(409, "id_conflict");
    let id = id_of(&t);
    let url = format!("/api/v1/teams/{id}");
    // Readable by admins, supervisors and workers whose region holds the team's.
    for token in [
        &w.admin.token,
        &w.district.token,
        &w.town1.token,
        &w.worker1.token,
    ] {
        assert_eq!(app.get(&url, token).await.ok(200)["id"], t["id"]);
    }
    for token in [&w.town2.token, &w.worker2.token, &w.volunteer.token] {
        app.get(&url, token).await.problem(404, "not_found");
    }
    app.get("/api/v1/teams/not-a-uuid", &w.town1.token)
        .await
        .problem(404, "not_found");
    // Only supervisors and admins create and change teams.
    for token in [&w.worker1.token, &w.volunteer.token] {
        app.post("/api/v1/teams", token, team("x", "other", WENFENG, &[]))
            .await
            .problem(403, "forbidden");
        app.patch(&url, token, json!({"version": 1, "name": "x"}))
            .await
            .problem(403, "forbidden");
    }
    // Regions: a town or a community in the caller's scope.
    let r = app
        .post(
            "/api/v1/teams",
            &w.town1.token,
            team("x", "other", "500117", &[]),
        )
        .await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["region_code"]
    );
    app.post(
        "/api/v1/teams",
        &w.town1.token,
        team("x", "other", "500117002", &[]),
    )
    .await
    .problem(404, "not_found");
    app.post(
        "/api/v1/teams",
        &w.admin.token,
        team("x", "other", "500117009", &[]),
    )
    .await
    .problem(404, "not_found");
    let r = app
        .post(
            "/api/v1/teams",
            &w.town1.token,
            team("x", "bogus", TOWN1, &[]),
        )
        .await;
    r.problem(422, "validation_failed");
    // The zone: live cells under the region.
    let r = app
        .post(
            "/api/v1/teams",
            &w.town1.token,
            team(
                "x",
                "other",
                WENFENG,
                &[BAITA_CELL, "500117001001009", "12"],
            ),
        )
        .await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["cell_codes[2]"],
        "the shape of a code first"
    );
    let r = app
        .post(
            "/api/v1/teams",
            &w.town1.token,
            team("x", "other", WENFENG, &[BAITA_CELL, "500117001001009"]),
        )
        .await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["cell_codes[0]", "cell_codes[1]"]
    );
    // The leader: a member, or a worker or supervisor whose region holds the team's.
    for leader in [&w.volunteer.id, &w.worker2.id, &w.admin.id] {
        let mut b = team("x", "other", WENFENG, &[]);
        b["leader_id"] = json!(leader);
        let r = app.post("/api/v1/teams", &w.town1.token, b).await;
        assert_eq!(r.problem(422, "validation_failed").fields(), ["leader_id"]);
    }
    let mut b = team("合阳城红袖标", "red_armband", TOWN1, &[BAITA_CELL]);
    b["leader_id"] = json!(w.worker1.id);
    let r = app.post("/api/v1/teams", &w.town1.token, b).await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["leader_id"],
        "a community's worker does not lead a town's team"
    );
    // Changes carry the version they were read at.
    let p = app
        .patch(&url, &w.town1.token, json!({"version": 1, "name": "文峰平安大嫂队", "cell_codes": ["500117001001001"], "leader_id": null}))
        .await;
    let p = p.ok(200);
    assert_eq!(p["version"], 2);
    assert_eq!(p["name"], "文峰平安大嫂队");
    assert_eq!(p["cell_codes"], json!(["500117001001001"]));
    assert_eq!(p["leader_id"], Value::Null);
    app.patch(&url, &w.town1.token, json!({"version": 1, "name": "又改"}))
        .await
        .problem(409, "version_conflict");
    let r = app
        .patch(
            &url,
            &w.town1.token,
            json!({"version": 2, "region_code": TOWN1}),
        )
        .await;
    r.problem(422, "validation_failed");
    let r = app
        .patch(
            &url,
            &w.town1.token,
            json!({"version": 2, "cell_codes": [BAITA_CELL]}),
        )
        .await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["cell_codes[0]"]
    );
    app.patch(&url, &w.town2.token, json!({"version": 2, "name": "x"}))
        .await
        .problem(404, "not_found");
    let malformed = app
        .raw(
            reqwest::Method::POST,
            "/api/v1/teams",
            Some(&w.town1.token),
            "application/json",
            b"{\"id\":".to_vec(),
        )
        .await;
    malformed.problem(400, "malformed_json");
    // Lists: in scope, by kind and region.
    create_team(
        &app,
        &w.town1.token,
        team("合阳城红袖标", "red_armband", TOWN1, &[BAITA_CELL]),
    )
    .await;
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect()
    };
    let all = app.get("/api/v1/teams", &w.town1.token).await;
    assert_eq!(
        names(all.ok(200)),
        ["合阳城红袖标", "文峰平安大嫂队"],
        "newest first"
    );
    let red = app
        .get("/api/v1/teams?kind=red_armband", &w.district.token)
        .await;
    assert_eq!(names(red.ok(200)), ["合阳城红袖标"]);
    let here = app
        .get(&format!("/api/v1/teams?region={WENFENG}"), &w.admin.token)
        .await;
    assert_eq!(names(here.ok(200)), ["文峰平安大嫂队"]);
    let page = app.get("/api/v1/teams?limit=1", &w.town1.token).await;
    let cursor = page.ok(200)["next_cursor"].as_str().unwrap().to_string();
    let next = app
        .get(
            &format!("/api/v1/teams?limit=1&cursor={cursor}"),
            &w.town1.token,
        )
        .await;
    assert_eq!(names(next.ok(200)), ["文峰平安大嫂队"]);
    assert!(
        names(app.get("/api/v1/teams", &w.town2.token).await.ok(200)).is_empty(),
        "another town's supervisor sees none"
    );
    assert!(
        names(app.get("/api/v1/teams", &w.volunteer.token).await.ok(200)).is_empty(),
        "a volunteer sees its own teams only"
    );
    for bad in [
        "kind=bogus",
        "active=yes",
        "limit=0",
        "region=12",
        "colour=red",
    ] {
        app.get(&format!("/api/v1/teams?{bad}"), &w.town1.token)
            .await
            .problem(422, "validation_failed");
    }
}

async fn members_are_replaced_and_checked(app: TestApp) {
    let w = World::build(&app).await;
    let a = &w.admin.token;
    let baita = create_user(&app, a, "baita", "volunteer", "500117001002").await;
    let town1_vol = create_user(&app, a, "town1vol", "volunteer", TOWN1).await;
    let far = create_user(&app, a, "far", "volunteer", "500117002001").await;
    let town_team = id_of(
        &create_team(
            &app,
            &w.town1.token,
            team("合阳城平安大嫂", "safety_sisters", TOWN1, &[]),
        )
        .await,
    );
    let wenfeng = id_of(
        &create_team(
            &app,
            &w.town1.token,
            team("文峰红袖标", "red_armband", WENFENG, &[]),
        )
        .await,
    );
    let r = put_members(
        &app,
        &w.town1.token,
        &town_team,
        &[&w.volunteer.id, &baita.id, &town1_vol.id, &w.volunteer.id],
    )
    .await;
    let r = r.ok(200);
    assert_eq!(r["member_count"], 3, "listed twice counts once");
    let mut ids: Vec<&str> = r["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap())
        .collect();
    ids.sort();
    let mut want = vec![
        w.volunteer.id.as_str(),
        baita.id.as_str(),
        town1_vol.id.as_str(),
    ];
    want.sort();
    assert_eq!(ids, want);
    assert!(r["members"][0]["joined_at"].is_string());
    assert_eq!(r["members"][0]["points"], 0);
    // Each must be an active volunteer whose region lies under the team's.
    let nobody = uuid::Uuid::new_v4().to_string();
    let r = put_members(
        &app,
        &w.town1.token,
        &town_team,
        &[&far.id, &w.worker1.id, &nobody, &baita.id],
    )
    .await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["user_ids[0]", "user_ids[1]", "user_ids[2]"]
    );
    let r = put_members(&app, &w.town1.token, &wenfeng, &[&town1_vol.id]).await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["user_ids[0]"],
        "a town's volunteer is not under a community"
    );
    app.patch(
        &format!("/api/v1/users/{}", baita.id),
        a,
        json!({"active": false}),
    )
    .await
    .ok(200);
    let r = put_members(
        &app,
        &w.town1.token,
        &town_team,
        &[&w.volunteer.id, &baita.id, &town1_vol.id],
    )
    .await;
    assert_eq!(
        r.problem(422, "validation_failed").fields(),
        ["user_ids[1]"],
        "an inactive volunteer"
    );
    app.patch(
        &format!("/api/v1/users/{}", baita.id),
        a,
        json!({"active": true}),
    )
    .await
    .ok(200);
    // In at most one active team.
    put_members(&app, &w.town1.token, &wenfeng, &[&w.volunteer.id])
        .await
        .problem(409, "already_member");
    // Roles and scope.
    for token in [&w.worker1.token, &w.volunteer.token] {
        put_members(&app, token, &wenfeng, &[])
            .await
            .problem(403, "forbidden");
    }
    put_members(&app, &w.town2.token, &wenfeng, &[])
        .await
        .problem(404, "not_found");
    // A volunteer leading the team stays a member until another leader is named.
    let url = format!("/api/v1/teams/{town_team}");
    let p = app
        .patch(
            &url,
            &w.town1.token,
            json!({"version": 1, "leader_id": baita.id}),
        )
        .await;
    assert_eq!(p.ok(200)["leader_id"], baita.id.as_str());
    let r = put_members(&app, &w.town1.token, &town_team, &[&w.volunteer.id]).await;
    assert_eq!(r.problem(422, "validation_failed").fields(), ["user_ids"]);
    app.patch(
        &url,
        &w.town1.token,
        json!({"version": 2, "leader_id": w.town1.id}),
    )
    .await
    .ok(200);
    let r = put_members(
        &app,
        &w.town1.token,
        &town_team,
        &[&w.volunteer.id, &town1_vol.id],
    )
    .await;
    assert_eq!(r.ok(200)["member_count"], 2);
    // Its members read the team; /me/team answers it.
    let mine = app.get("/api/v1/me/team", &w.volunteer.token).await;
    assert_eq!(mine.ok(200)["id"], town_team.as_str());
    app.get(&url, &w.volunteer.token).await.ok(200);
    app.get(&url, &baita.token).await.problem(404, "not_found");
    app.get("/api/v1/me/team", &baita.token)
        .await
        .problem(404, "not_found");
    // The leader (a supervisor here) has it as its team too.
    assert_eq!(
        app.get("/api/v1/me/team", &w.town1.token).await.ok(200)["id"],
        town_team.as_str()
    );
    // A team made inactive lets its members join another; it cannot come back while one
    // of them is in an active team.
    let off = app
        .patch(&url, &w.town1.token, json!({"version": 3, "active": false}))
        .await;
    assert_eq!(off.ok(200)["active"], false);
    app.get("/api/v1/me/team", &w.volunteer.token)
        .await
        .problem(404, "not_found");
    put_members(&app, &w.town1.token, &wenfeng, &[&w.volunteer.id])
        .await
        .ok(200);
    assert_eq!(
        app.get("/api/v1/me/team", &w.volunteer.token).await.ok(200)["id"],
        wenfeng.as_str()
    );
    app.patch(&url, &w.town1.token, json!({"version": 4, "active": true}))
        .await
        .problem(409, "already_member");
    let inactive = app.get("/api/v1/teams?active=false", &w.town1.token).await;
    assert_eq!(inactive.ok(200)["items"][0]["id"], town_team.as_str());
}

async fn a_volunteer_sees_and_reports_in_its_zone(app: TestApp) {
    let w = World::build(&app).await;
    let codes = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_string())
            .collect()
    };
    let before = app.get("/api/v1/me/cells", &w.volunteer.token).await;
    assert_eq!(
        codes(before.ok(200)),
        ["500117001001001", "500117001001002"]
    );
    let locate = format!("/api/v1/cells/locate?lon={}&lat={}", IN_BAITA.0, IN_BAITA.1);
    app.get(&locate, &w.volunteer.token)
        .await
        .problem(404, "outside_grid");
    let first = app.get("/api/v1/sync/pull", &w.volunteer.token).await;
    let first = first.ok(200).clone();
    assert_eq!(first["cells"].as_array().unwrap().len(), 2);
    assert_eq!(first["teams"], json!([]));
    let mut cursor = first["cursor"].as_str().unwrap().to_string();
    let mut more = first["has_more"].as_bool().unwrap();
    while more {
        let p = app
            .get(
                &format!("/api/v1/sync/pull?cursor={cursor}"),
                &w.volunteer.token,
            )
            .await;
        let p = p.ok(200);
        cursor = p["cursor"].as_str().unwrap().to_string();
        more = p["has_more"].as_bool().unwrap();
    }
    // Joining a team whose zone lies in the next community.
    let t = id_of(
        &create_team(
            &app,
            &w.town1.token,
            team("合阳城红袖标", "red_armband", TOWN1, &[BAITA_CELL]),
        )
        .await,
    );
    put_members(&app, &w.town1.token, &t, &[&w.volunteer.id])
        .await
        .ok(200);
    let after = app.get("/api/v1/me/cells", &w.volunteer.token).await;
    assert_eq!(
        codes(after.ok(200)),
        ["500117001001001", "500117001001002", BAITA_CELL]
    );
    assert_eq!(
        app.get(&locate, &w.volunteer.token).await.ok(200)["code"],
        BAITA_CELL
    );
    app.get(&format!("/api/v1/cells/{BAITA_CELL}"), &w.volunteer.token)
        .await
        .ok(200);
    // Its phone starts again and gets the zone, and the team with its members.
    let pulled = app
        .get(
            &format!("/api/v1/sync/pull?cursor={cursor}"),
            &w.volunteer.token,
        )
        .await;
    let pulled = pulled.ok(200);
    assert_eq!(pulled["reset"], true);
    let cells: Vec<&str> = pulled["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(cells.contains(&BAITA_CELL), "{cells:?}");
    assert_eq!(pulled["teams"][0]["id"], t.as_str());
    assert_eq!(
        pulled["teams"][0]["members"][0]["user_id"],
        w.volunteer.id.as_str()
    );
    // It reports there, and still sees only what it reported.
    let mine = report(&app, &w.volunteer.token, incident("0401", IN_BAITA, "low")).await;
    assert_eq!(mine["cell_code"], BAITA_CELL);
    let theirs = report(&app, &w.town1.token, incident("0401", IN_BAITA, "low")).await;
    let listed = app
        .get(
            &format!("/api/v1/incidents?cell={BAITA_CELL}"),
            &w.volunteer.token,
        )
        .await;
    let listed: Vec<&str> = listed.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [mine["id"].as_str().unwrap()]);
    let theirs_id = theirs["id"].as_str().unwrap();
    app.get(
        &format!("/api/v1/incidents/{theirs_id}"),
        &w.volunteer.token,
    )
    .await
    .problem(404, "not_found");
    // Nothing sensitive: persons, units, the map and figures stay closed.
    for path in [
        "/api/v1/persons",
        "/api/v1/safety-units",
        "/api/v1/map/cells",
        "/api/v1/stats/teams",
    ] {
        app.get(path, &w.volunteer.token)
            .await
            .problem(403, "forbidden");
    }
    // Leaving the team takes the zone away.
    put_members(&app, &w.town1.token, &t, &[]).await.ok(200);
    let gone = app.get("/api/v1/me/cells", &w.volunteer.token).await;
    assert_eq!(codes(gone.ok(200)), ["500117001001001", "500117001001002"]);
    app.get(&locate, &w.volunteer.token)
        .await
        .problem(404, "outside_grid");
}

async fn patrols_are_recorded_and_checked(app: TestApp) {
    let w = World::build(&app).await;
    let a = &w.admin.token;
    let baita = create_user(&app, a, "baita", "volunteer", "500117001002").await;
    let other = create_user(&app, a, "other", "volunteer", WENFENG).await;
    let t = id_of(
        &create_team(
            &app,
            &w.town1.token,
            team("合阳城红袖标", "red_armband", TOWN1, &[BAITA_CELL]),
        )
        .await,
    );
    put_members(&app, &w.town1.token, &t, &[&w.volunteer.id, &baita.id])
        .await
        .ok(200);
    let start = now(&app) - Duration::hours(3);
    let mut body = patrol(&t, &[&w.volunteer.id, &baita.id], start, 150);
    body["route"] = json!({"type": "LineString", "coordinates": [[106.001, 29.011], [106.005, 29.015], [106.009, 29.012]]});
    let p = app
        .post("/api/v1/patrols", &w.volunteer.token, body.clone())
        .await;
    let p = p.ok(201).clone();
    assert_eq!(p["hours"], 2.5);
    assert_eq!(p["points_each"], 4);
    assert_eq!(p["recorded_by"], w.volunteer.id.as_str());
    assert_eq!(p["route"]["coordinates"][1], json!([106.005, 29.015]));
    assert_eq!(p["member_ids"].as_array().unwrap().len(), 2);
    // Idempotent by its id.
    let again = app
        .post("/api/v1/patrols", &w.volunteer.token, body.clone())
        .await;
    assert_eq!(again.ok(201), &p);
    let mut changed = body.clone();
    changed["note"] = json!("改了");
    app.post("/api/v1/patrols", &w.volunteer.token, changed)
        .await
        .problem(409, "id_conflict");
    app.post("/api/v1/patrols", &baita.token, body.clone())
        .await
        .problem(409, "id_conflict");
    // Times: after the start, at most 24 hours, not in the future (5 minutes of leeway).
    let n = now(&app);
    let fields = |r: &gridwork_tests::Res| r.problem(422, "validation_failed").fields();
    for (s, minutes) in [
        (n - Duration::hours(1), 0),
        (n - Duration::hours(1), -10),
        (n - Duration::hours(30), 24 * 60 + 1),
        (n - Duration::minutes(30), 40),
    ] {
        let r = app
            .post(
                "/api/v1/patrols",
                &w.volunteer.token,
                patrol(&t, &[&w.volunteer.id], s, minutes),
            )
            .await;
        assert_eq!(fields(&r), ["ended_at"], "{s} + {minutes} min");
    }
    let r = app
        .post(
            "/api/v1/patrols",
            &w.volunteer.token,
            patrol(&t, &[&w.volunteer.id], n - Duration::minutes(30), 34),
        )
        .await;
    assert_eq!(r.ok(201)["hours"], 0.6, "ends within the leeway");
    let day = app
        .post(
            "/api/v1/patrols",
            &w.town1.token,
            patrol(&t, &[&baita.id], n - Duration::hours(25), 24 * 60),
        )
        .await;
    assert_eq!(day.ok(201)["points_each"], 48);
    // Members of the team only.
    let r = app
        .post(
            "/api/v1/patrols",
            &w.volunteer.token,
            patrol(&t, &[&w.volunteer.id, &other.id, &w.worker1.id], start, 60),
        )
        .await;
    assert_eq!(fields(&r), ["member_ids[1]", "member_ids[2]"]);
    let r = app
        .post(
            "/api/v1/patrols",
            &w.volunteer.token,
            patrol(&t, &[], start, 60),
        )
        .await;
    assert_eq!(fields(&r), ["member_ids"]);
    let r = app
        .post(
            "/api/v1/patrols",
            &w.volunteer.token,
            patrol(&t, &[&w.volunteer.id, &w.volunteer.id], start, 60),
        )
        .await;
    assert_eq!(fields(&r), ["member_ids[1]"]);
    // Routes: a LineString of finite WGS84 positions, bounded.
    for (route, field) in [
        (
            json!({"type": "Point", "coordinates": [106.0, 29.0]}),
            "route.type",
        ),
        (
            json!({"type": "LineString", "coordinates": [[106.0, 29.0]]}),
            "route.coordinates",
        ),
        (
            json!({"type": "LineString", "coordinates": [[106.0, 29.0], [106.0, 91.0]]}),
            "route.coordinates[1]",
        ),
        (
            json!({"type": "LineString", "coordinates": [[106.0, 29.0], [106.0, 29.0, 1.0, 2.0]]}),
            "route.coordinates[1]",
        ),
        (
            json!({"type": "LineString", "coordinates": vec![json!([106.0, 29.0]); 10_001]}),
            "route.coordinates",
        ),
        (json!("LINESTRING(106 29, 107 30)"), "route"),
    ] {
        let mut b = patrol(&t, &[&w.volunteer.id], start, 60);
        b["route"] = route;
        let r = app.post("/api/v1/patrols", &w.volunteer.token, b).await;
        assert_eq!(fields(&r)[0], field);
    }
    let mut b = patrol(&t, &[&w.volunteer.id], start, 60);
    b["distance"] = json!(3);
    fields(&app.post("/api/v1/patrols", &w.volunteer.token, b).await);
    // Who records: a member, or a worker or supervisor in scope; 404 to anyone else.
    for token in [
        &other.token,
        &w.worker1.token,
        &w.town2.token,
        &w.worker2.token,
    ] {
        app.post(
            "/api/v1/patrols",
            token,
            patrol(&t, &[&w.volunteer.id], start, 60),
        )
        .await
        .problem(404, "not_found");
    }
    for token in [&w.district.token, &w.admin.token, &baita.token] {
        app.post(
            "/api/v1/patrols",
            token,
            patrol(&t, &[&w.volunteer.id], start, 60),
        )
        .await
        .ok(201);
    }
    let community = id_of(
        &create_team(
            &app,
            &w.town1.token,
            team("文峰帮帮队", "neighbour_help", WENFENG, &[]),
        )
        .await,
    );
    put_members(&app, &w.town1.token, &community, &[&other.id])
        .await
        .ok(200);
    app.post(
        "/api/v1/patrols",
        &w.worker1.token,
        patrol(&community, &[&other.id], start, 60),
    )
    .await
    .ok(201);
    app.post(
        "/api/v1/patrols",
        &w.volunteer.token,
        patrol(&community, &[&other.id], start, 60),
    )
    .await
    .problem(404, "not_found");
    app.post(
        "/api/v1/patrols",
        &w.town1.token,
        patrol(&uuid::Uuid::new_v4().to_string(), &[&other.id], start, 60),
    )
    .await
    .problem(404, "not_found");
    // Lists: by team and by the day they started.
    let listed = |r: gridwork_tests::Res| -> usize { r.ok(200)["items"].as_array().unwrap().len() };
    assert_eq!(
        listed(
            app.get(&format!("/api/v1/patrols?team={t}"), &w.town1.token)
                .await
        ),
        6
    );
    assert_eq!(listed(app.get("/api/v1/patrols", &w.town1.token).await), 7);
    assert_eq!(
        listed(app.get("/api/v1/patrols", &w.volunteer.token).await),
        6,
        "its team's"
    );
    assert_eq!(listed(app.get("/api/v1/patrols", &other.token).await), 1);
    assert_eq!(
        listed(app.get("/api/v1/patrols", &w.worker1.token).await),
        1,
        "its community's teams"
    );
    let cst = FixedOffset::east_opt(8 * 3600).unwrap();
    let yesterday = (n - Duration::hours(25)).with_timezone(&cst).date_naive();
    let today = start.with_timezone(&cst).date_naive();
    let y = app
        .get(
            &format!("/api/v1/patrols?team={t}&from={yesterday}&to={yesterday}"),
            &w.town1.token,
        )
        .await;
    let y = y.ok(200)["items"].as_array().unwrap().clone();
    if yesterday != today {
        assert_eq!(y.len(), 1);
        assert_eq!(y[0]["points_each"], 48);
    }
    app.get(&format!("/api/v1/patrols?team={t}"), &w.town2.token)
        .await
        .problem(404, "not_found");
    app.get(&format!("/api/v1/patrols?team={t}"), &other.token)
        .await
        .problem(404, "not_found");
    for bad in [
        "from=yesterday",
        "from=2026-02-30",
        "limit=501",
        "team=1&x=2",
    ] {
        let r = app
            .get(&format!("/api/v1/patrols?{bad}"), &w.town1.token)
            .await;
        assert!(matches!(r.status.as_u16(), 404 | 422), "{bad}: {}", r.text);
    }
    app.get("/api/v1/patrols?from=2026-13-01", &w.town1.token)
        .await
        .problem(422, "validation_failed");
}

/// The points the contract's rules give a member, worked out from scratch from what the
/// API shows: its reports (with their history) and the patrols it took part in.
async fn points_from_scratch(app: &TestApp, token: &str, member: &str, patrols: &[Value]) -> i64 {
    let mut points = 0;
    let reports = app
        .get(
            &format!("/api/v1/incidents?reporter={member}&limit=500"),
            token,
        )
        .await;
    for i in reports.ok(200)["items"].as_array().unwrap() {
        let d = app
            .get(
                &format!("/api/v1/incidents/{}", i["id"].as_str().unwrap()),
                token,
            )
            .await;
        let d = d.ok(200);
        let reached = d["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["to"] == "accepted");
        if reached && d["merged_into"].is_null() {
            points += 10;
        }
    }
    for p in patrols {
        if p["member_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == member)
        {
            let s = DateTime::parse_from_rfc3339(p["started_at"].as_str().unwrap()).unwrap();
            let e = DateTime::parse_from_rfc3339(p["ended_at"].as_str().unwrap()).unwrap();
            points += 2 * ((e - s).num_seconds() / 3600);
        }
    }
    points
}

async fn points_are_the_sum_of_the_records(app: TestApp) {
    let w = World::build(&app).await;
    let a = &w.admin.token;
    let v2 = create_user(&app, a, "v2", "volunteer", WENFENG).await;
    let t = id_of(
        &create_team(
            &app,
            &w.town1.token,
            team("文峰平安大嫂", "safety_sisters", WENFENG, &[]),
        )
        .await,
    );
    put_members(&app, &w.town1.token, &t, &[&w.volunteer.id, &v2.id])
        .await
        .ok(200);
    let sup = &w.town1.token;
    // Four reports: accepted (and carried on), rejected, accepted then merged as a
    // duplicate of the first, merged before anyone accepted it.
    let accepted = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let accepted = accepted["id"].as_str().unwrap().to_string();
    step(&app, sup, &accepted, "accept", json!({}))
        .await
        .ok(200);
    step(
        &app,
        sup,
        &accepted,
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await
    .ok(200);
    let rejected = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let rejected = rejected["id"].as_str().unwrap().to_string();
    step(&app, sup, &rejected, "reject", json!({"note": "重复"}))
        .await
        .ok(200);
    let dup = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let dup = dup["id"].as_str().unwrap().to_string();
    step(&app, sup, &dup, "accept", json!({})).await.ok(200);
    step(&app, sup, &dup, "merge", json!({"into": accepted}))
        .await
        .ok(200);
    let dup2 = report(&app, &v2.token, incident("0401", IN_CELL_1, "low")).await;
    let dup2 = dup2["id"].as_str().unwrap().to_string();
    step(&app, sup, &dup2, "merge", json!({"into": accepted}))
        .await
        .ok(200);
    // v2's one accepted report, and one still waiting.
    let v2_ok = report(&app, &v2.token, incident("0401", IN_CELL_1, "low")).await;
    let v2_ok = v2_ok["id"].as_str().unwrap().to_string();
    step(&app, sup, &v2_ok, "accept", json!({})).await.ok(200);
    report(&app, &v2.token, incident("0401", IN_CELL_1, "low")).await;
    // Patrols: 2 h 59 min (4 points each), 59 min (none), 1 h for v2 alone (2), two of
    // 1 h 30 min (2 + 2, not 6: rounded down per patrol).
    let n = now(&app);
    let both = [w.volunteer.id.as_str(), v2.id.as_str()];
    let mut recorded = vec![];
    for (members, start_h, minutes) in [
        (&both[..], 10, 179),
        (&both[..], 6, 59),
        (&both[1..], 5, 60),
        (&both[..1], 4, 90),
        (&both[..1], 2, 90),
    ] {
        let r = app
            .post(
                "/api/v1/patrols",
                &w.volunteer.token,
                patrol(&t, members, n - Duration::hours(start_h), minutes),
            )
            .await;
        recorded.push(r.ok(201).clone());
    }
    let detail = app.get(&format!("/api/v1/teams/{t}"), sup).await;
    let detail = detail.ok(200).clone();
    let member = |id: &str| -> Value {
        detail["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user_id"] == id)
            .unwrap()
            .clone()
    };
    let vol = member(&w.volunteer.id);
    assert_eq!(vol["points"], 10 + 4 + 2 + 2);
    assert_eq!(vol["accepted_reports"], 1);
    assert_eq!(vol["patrol_hours"], 2 + 1 + 1);
    let m2 = member(&v2.id);
    assert_eq!(m2["points"], 10 + 4 + 2);
    assert_eq!(detail["points"], 18 + 16);
    // The same sums worked out from scratch from the records.
    for m in [&w.volunteer.id, &v2.id] {
        let from_scratch = points_from_scratch(&app, sup, m, &recorded).await;
        assert_eq!(member(m)["points"], from_scratch, "member {m}");
    }
    // What happens later to a record moves the points with it: the waiting report
    // accepted, the accepted one closed (still 10), a merged one not coming back.
    let waiting = app
        .get(
            &format!("/api/v1/incidents?reporter={}&status=reported", v2.id),
            sup,
        )
        .await;
    let waiting = waiting.ok(200)["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    step(&app, sup, &waiting, "accept", json!({})).await.ok(200);
    let t_now = app.get(&format!("/api/v1/teams/{t}"), sup).await;
    assert_eq!(t_now.ok(200)["points"], 18 + 26);
    assert_eq!(points_from_scratch(&app, sup, &v2.id, &recorded).await, 26);
    // Points belong to the person: moving to another team takes them along.
    let other =
        id_of(&create_team(&app, sup, team("文峰红袖标", "red_armband", WENFENG, &[])).await);
    put_members(&app, sup, &t, &[&w.volunteer.id]).await.ok(200);
    let moved = put_members(&app, sup, &other, &[&v2.id]).await;
    assert_eq!(moved.ok(200)["points"], 26);
    assert_eq!(moved.body["members"][0]["points"], 26);
    assert_eq!(
        app.get(&format!("/api/v1/teams/{t}"), sup).await.ok(200)["points"],
        18
    );
    let listed = app.get("/api/v1/teams", sup).await;
    let points: Vec<i64> = listed.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["points"].as_i64().unwrap())
        .collect();
    assert_eq!(points, [26, 18]);
    // The volunteer sees its own team and points.
    let mine = app.get("/api/v1/me/team", &w.volunteer.token).await;
    assert_eq!(mine.ok(200)["members"][0]["points"], 18);
}

async fn team_figures_count_the_window(app: TestApp) {
    let w = World::build(&app).await;
    let a = &w.admin.token;
    let sup = &w.town1.token;
    let v2 = create_user(&app, a, "v2", "volunteer", "500117001002").await;
    let t = id_of(
        &create_team(
            &app,
            sup,
            team("合阳城平安大嫂", "safety_sisters", TOWN1, &[]),
        )
        .await,
    );
    let empty = id_of(
        &create_team(
            &app,
            sup,
            team("文峰帮帮队", "neighbour_help", WENFENG, &[]),
        )
        .await,
    );
    put_members(&app, sup, &t, &[&w.volunteer.id, &v2.id])
        .await
        .ok(200);
    let cst = FixedOffset::east_opt(8 * 3600).unwrap();
    // Two days ago: one accepted report and a 1 h 20 min patrol of both.
    let old = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let old = old["id"].as_str().unwrap().to_string();
    step(&app, sup, &old, "accept", json!({})).await.ok(200);
    let before = now(&app);
    app.post(
        "/api/v1/patrols",
        &w.volunteer.token,
        patrol(
            &t,
            &[&w.volunteer.id, &v2.id],
            before - Duration::hours(2),
            80,
        ),
    )
    .await
    .ok(201);
    app.advance(Duration::days(2));
    // Today: a rejected report, an accepted one, and a 2 h 10 min patrol of v2.
    let n = now(&app);
    let r1 = report(&app, &v2.token, incident("0401", IN_CELL_1, "low")).await;
    step(&app, sup, r1["id"].as_str().unwrap(), "reject", json!({}))
        .await
        .ok(200);
    let r2 = report(&app, &v2.token, incident("0401", IN_CELL_1, "low")).await;
    step(&app, sup, r2["id"].as_str().unwrap(), "accept", json!({}))
        .await
        .ok(200);
    // The old report's acceptance long after it was made still counts it on its day.
    app.post(
        "/api/v1/patrols",
        &v2.token,
        patrol(&t, &[&v2.id], n - Duration::minutes(140), 130),
    )
    .await
    .ok(201);
    let today = (n - Duration::minutes(140))
        .with_timezone(&cst)
        .date_naive();
    let to_today = n.with_timezone(&cst).date_naive();
    let then = (before - Duration::hours(2))
        .with_timezone(&cst)
        .date_naive();
    let to_then = before.with_timezone(&cst).date_naive();
    let figures = |v: &Value, id: &str| -> Value {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["team_id"] == id)
            .unwrap()
            .clone()
    };
    let all = app.get("/api/v1/stats/teams", sup).await;
    let all = all.ok(200).clone();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let f = figures(&all, &t);
    assert_eq!(f["name"], "合阳城平安大嫂");
    assert_eq!(f["kind"], "safety_sisters");
    assert_eq!(f["members"], 2);
    assert_eq!(f["reports"], 3);
    assert_eq!(f["reports_accepted"], 2);
    assert_eq!(f["patrols"], 2);
    assert_eq!(
        f["patrol_hours"], 3.5,
        "1 h 20 min + 2 h 10 min, not per member"
    );
    // 20 for the accepted reports; 2 + 2 for the first patrol, 4 for the second.
    assert_eq!(f["points"], 20 + 4 + 4);
    let e = figures(&all, &empty);
    assert_eq!(
        (e["members"].clone(), e["points"].clone()),
        (json!(0), json!(0))
    );
    // The window: reports by creation, patrols by start.
    {
        let d = app
            .get(
                &format!("/api/v1/stats/teams?from={today}&to={to_today}"),
                sup,
            )
            .await;
        let f = figures(d.ok(200), &t);
        assert_eq!(f["reports"], 2);
        assert_eq!(f["reports_accepted"], 1);
        assert_eq!(f["patrols"], 1);
        assert_eq!(f["patrol_hours"], 2.2);
        assert_eq!(f["points"], 10 + 4);
        let d = app
            .get(
                &format!("/api/v1/stats/teams?from={then}&to={to_then}"),
                sup,
            )
            .await;
        let f = figures(d.ok(200), &t);
        assert_eq!(f["reports"], 1);
        assert_eq!(f["reports_accepted"], 1);
        assert_eq!(f["patrol_hours"], 1.3);
        assert_eq!(f["points"], 10 + 2 + 2);
    }
    // By region, in scope, for supervisors and admins.
    let here = app
        .get(
            &format!("/api/v1/stats/teams?region={WENFENG}"),
            &w.district.token,
        )
        .await;
    assert_eq!(here.ok(200).as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/api/v1/stats/teams", a)
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        app.get("/api/v1/stats/teams", &w.town2.token)
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .is_empty()
    );
    app.get(
        &format!("/api/v1/stats/teams?region={TOWN1}"),
        &w.town2.token,
    )
    .await
    .problem(404, "not_found");
    for token in [&w.worker1.token, &w.volunteer.token] {
        app.get("/api/v1/stats/teams", token)
            .await
            .problem(403, "forbidden");
    }
    for bad in [
        "from=2026-02-30",
        "region=1",
        "from=2026-05-02&to=2026-05-01",
        "x=1",
    ] {
        app.get(&format!("/api/v1/stats/teams?{bad}"), sup)
            .await
            .problem(422, "validation_failed");
    }
    // An inactive team leaves the figures.
    let url = format!("/api/v1/teams/{empty}");
    app.patch(&url, sup, json!({"version": 1, "active": false}))
        .await
        .ok(200);
    assert_eq!(
        app.get("/api/v1/stats/teams", sup)
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn patrols_travel_through_sync(app: TestApp) {
    let w = World::build(&app).await;
    let t = id_of(
        &create_team(
            &app,
            &w.town1.token,
            team("文峰红袖标", "red_armband", WENFENG, &[]),
        )
        .await,
    );
    put_members(&app, &w.town1.token, &t, &[&w.volunteer.id])
        .await
        .ok(200);
    let start = now(&app) - Duration::hours(4);
    let body = patrol(&t, &[&w.volunteer.id], start, 125);
    let op = |b: &Value| json!({"op_id": uuid::Uuid::new_v4(), "type": "patrol.create", "body": b});
    let good = op(&body);
    let mut late = patrol(&t, &[&w.volunteer.id], start, 60);
    late["ended_at"] = late["started_at"].clone();
    let bad = op(&late);
    let stranger = op(&patrol(
        &uuid::Uuid::new_v4().to_string(),
        &[&w.volunteer.id],
        start,
        60,
    ));
    let batch = json!({"ops": [good, bad, stranger]});
    let r = app
        .post("/api/v1/sync/push", &w.volunteer.token, batch.clone())
        .await;
    let results = r.ok(200)["results"].as_array().unwrap().clone();
    assert_eq!(results[0]["status"], "applied", "{results:?}");
    assert_eq!(results[1]["status"], "rejected");
    assert_eq!(results[1]["code"], "validation_failed");
    assert_eq!(results[1]["errors"][0]["field"], "ended_at");
    assert_eq!(results[2]["status"], "rejected");
    assert_eq!(results[2]["code"], "not_found");
    // Replaying the batch changes nothing.
    let r = app
        .post("/api/v1/sync/push", &w.volunteer.token, batch)
        .await;
    assert_eq!(r.ok(200)["results"][0]["status"], "duplicate");
    // The same patrol under a new op id is the same record.
    let r = app
        .post(
            "/api/v1/sync/push",
            &w.volunteer.token,
            json!({"ops": [op(&body)]}),
        )
        .await;
    assert_eq!(r.ok(200)["results"][0]["status"], "duplicate");
    // Another body under the patrol's id is refused.
    let mut changed = body.clone();
    changed["note"] = json!("另一次");
    let r = app
        .post(
            "/api/v1/sync/push",
            &w.volunteer.token,
            json!({"ops": [op(&changed)]}),
        )
        .await;
    assert_eq!(r.ok(200)["results"][0]["code"], "id_conflict");
    let listed = app
        .get(&format!("/api/v1/patrols?team={t}"), &w.town1.token)
        .await;
    let listed = listed.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], body["id"]);
    assert_eq!(listed[0]["points_each"], 4);
    // The phone's pull carries the team with the points the patrol earned.
    let pulled = app.get("/api/v1/sync/pull", &w.volunteer.token).await;
    let pulled = pulled.ok(200);
    assert_eq!(pulled["teams"][0]["id"], t.as_str());
    assert_eq!(pulled["teams"][0]["points"], 4);
    assert_eq!(pulled["teams"][0]["members"][0]["points"], 4);
    // A worker or supervisor in scope records through sync too.
    let r = app
        .post(
            "/api/v1/sync/push",
            &w.worker1.token,
            json!({"ops": [op(&patrol(&t, &[&w.volunteer.id], start, 30))]}),
        )
        .await;
    assert_eq!(r.ok(200)["results"][0]["status"], "applied");
    let r = app
        .post(
            "/api/v1/sync/push",
            &w.worker2.token,
            json!({"ops": [op(&patrol(&t, &[&w.volunteer.id], start, 30))]}),
        )
        .await;
    assert_eq!(r.ok(200)["results"][0]["code"], "not_found");
}

both_engines!(
    teams_are_created_read_and_changed,
    members_are_replaced_and_checked,
    a_volunteer_sees_and_reports_in_its_zone,
    patrols_are_recorded_and_checked,
    points_are_the_sum_of_the_records,
    team_figures_count_the_window,
    patrols_travel_through_sync,
);
