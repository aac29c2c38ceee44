//! Departments and dispatch to them, the responsibility tasks with their units, progress
//! and scores, the performance records and their snapshots.

use gridwork_tests::fixtures::{
    IN_CELL_1, Login, PW, World, incident, jpeg_with_exif, report, step,
};
use gridwork_tests::{TestApp, both_engines};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Creates a department; answers its id.
async fn department(app: &TestApp, admin: &str, code: &str, name: &str) -> String {
    let r = app
        .post(
            "/api/v1/departments",
            admin,
            json!({"id": Uuid::new_v4(), "code": code, "name": name}),
        )
        .await;
    r.ok(201)["id"].as_str().unwrap().to_string()
}

/// Creates a department's staff member and logs in.
async fn staff(app: &TestApp, admin: &str, username: &str, department: &str) -> Login {
    let r = app
        .post(
            "/api/v1/users",
            admin,
            json!({"username": username, "password": PW, "role": "department",
                   "department_id": department, "display_name": username}),
        )
        .await;
    let body = r.ok(201);
    assert_eq!(
        body["region_code"], "500117",
        "staff belong to the district"
    );
    assert_eq!(body["department_id"], department);
    Login {
        id: body["id"].as_str().unwrap().to_string(),
        token: app.login(username, PW).await,
        username: username.into(),
    }
}

async fn departments_and_their_staff(app: TestApp) {
    let w = World::build(&app).await;
    let a = w.admin.token.as_str();
    let id = Uuid::new_v4();
    let body = json!({"id": id, "code": "D01", "name": "城市管理局"});
    let first = app.post("/api/v1/departments", a, body.clone()).await;
    assert_eq!(first.ok(201)["code"], "D01");
    // A replay answers the same; the same id with another body is a conflict.
    let again = app.post("/api/v1/departments", a, body).await;
    assert_eq!(again.ok(201)["id"], id.to_string());
    app.post(
        "/api/v1/departments",
        a,
        json!({"id": id, "code": "D01", "name": "另一个"}),
    )
    .await
    .problem(409, "id_conflict");
    app.post(
        "/api/v1/departments",
        a,
        json!({"id": Uuid::new_v4(), "code": "D01", "name": "住建委"}),
    )
    .await
    .problem(409, "code_taken");
    for bad in ["D1", "D1000", "X01", "d01"] {
        let r = app
            .post(
                "/api/v1/departments",
                a,
                json!({"id": Uuid::new_v4(), "code": bad, "name": "住建委"}),
            )
            .await;
        r.problem(422, "validation_failed");
        assert_eq!(r.fields(), ["code"], "{bad}");
    }
    app.post(
        "/api/v1/departments",
        &w.district.token,
        json!({"id": Uuid::new_v4(), "code": "D02", "name": "住建委"}),
    )
    .await
    .problem(403, "forbidden");
    let housing = department(&app, a, "D102", "住房城乡建委").await;
    // Everyone but volunteers lists them, by code.
    let list = app.get("/api/v1/departments", &w.worker1.token).await;
    let codes: Vec<&str> = list
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["D01", "D102"]);
    app.get("/api/v1/departments", &w.volunteer.token)
        .await
        .problem(403, "forbidden");

    // department_id goes with role department, and with no other.
    let user = |role: &str, department: Value| {
        json!({"username": format!("u{}", Uuid::new_v4().simple()), "password": PW, "role": role,
               "region_code": if role == "department" { "" } else { "500117001001" },
               "department_id": department})
    };
    let r = app
        .post("/api/v1/users", a, user("department", Value::Null))
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["department_id"]);
    let r = app
        .post("/api/v1/users", a, user("worker", json!(housing)))
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["department_id"]);
    let r = app
        .post(
            "/api/v1/users",
            a,
            user("department", json!(Uuid::new_v4())),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["department_id"]);
    let mut town_region = user("department", json!(housing));
    town_region["region_code"] = json!("500117001");
    app.post("/api/v1/users", a, town_region)
        .await
        .problem(422, "validation_failed");

    let s = staff(&app, a, "housing1", &housing).await;
    let me = app.get("/api/v1/me", &s.token).await;
    assert_eq!(me.ok(200)["department_id"], housing);
    assert_eq!(me.body["role"], "department");
    // Moving staff to a worker's role without dropping the department is refused.
    let r = app
        .patch(
            &format!("/api/v1/users/{}", s.id),
            a,
            json!({"role": "worker", "region_code": "500117001001", "department_id": housing}),
        )
        .await;
    r.problem(422, "validation_failed");
    // Persons, units, the map and the figures are not for department staff; nor reporting.
    for path in [
        "/api/v1/persons",
        "/api/v1/safety-units",
        "/api/v1/map/cells",
        "/api/v1/stats",
        "/api/v1/stats/workers",
    ] {
        app.get(path, &s.token).await.problem(403, "forbidden");
    }
    app.post(
        "/api/v1/incidents",
        &s.token,
        incident("0401", IN_CELL_1, "low"),
    )
    .await
    .problem(403, "forbidden");
    // Nothing is dispatched to it yet: its list is empty, its cells none.
    let list = app.get("/api/v1/incidents", &s.token).await;
    assert_eq!(list.ok(200)["items"], json!([]));
    let cells = app.get("/api/v1/me/cells", &s.token).await;
    assert_eq!(cells.ok(200), &json!([]));
}

async fn a_department_handles_what_is_dispatched_to_it(app: TestApp) {
    let w = World::build(&app).await;
    let a = w.admin.token.as_str();
    let urban = department(&app, a, "D01", "城市管理局").await;
    let other = department(&app, a, "D02", "生态环境局").await;
    let s1 = staff(&app, a, "urban1", &urban).await;
    let s2 = staff(&app, a, "urban2", &urban).await;
    let o = staff(&app, a, "env1", &other).await;

    let inc = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let id = inc["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/incidents/{id}");
    // Before it is dispatched to them, department staff do not see it.
    app.get(&path, &s1.token).await.problem(404, "not_found");
    step(&app, &w.town1.token, &id, "accept", json!({}))
        .await
        .ok(200);
    // Exactly one of assignee_id and department_id.
    let r = step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"assignee_id": w.worker1.id, "department_id": urban}),
    )
    .await;
    r.problem(422, "validation_failed");
    step(&app, &w.town1.token, &id, "dispatch", json!({}))
        .await
        .problem(422, "validation_failed");
    let r = step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"department_id": Uuid::new_v4()}),
    )
    .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["department_id"]);
    // Department staff cannot dispatch.
    step(
        &app,
        &s1.token,
        &id,
        "dispatch",
        json!({"department_id": urban}),
    )
    .await
    .problem(404, "not_found");
    let r = step(
        &app,
        &w.town1.token,
        &id,
        "dispatch",
        json!({"department_id": urban}),
    )
    .await;
    let body = r.ok(200);
    assert_eq!(body["department_id"], urban);
    assert_eq!(body["assignee_id"], Value::Null);
    assert_eq!(body["status"], "dispatched");

    // Any of its staff sees it; another department's staff do not.
    let seen = app.get(&path, &s2.token).await;
    assert_eq!(seen.ok(200)["id"], id);
    app.get(&path, &o.token).await.problem(404, "not_found");
    let list = app.get("/api/v1/incidents", &s1.token).await;
    let ids: Vec<&str> = list.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id.as_str()]);
    assert_eq!(
        app.get("/api/v1/incidents", &o.token).await.ok(200)["items"],
        json!([])
    );
    // Lists take department=ID.
    let by = app
        .get(
            &format!("/api/v1/incidents?department={urban}"),
            &w.town1.token,
        )
        .await;
    assert_eq!(by.ok(200)["items"].as_array().unwrap().len(), 1);
    let none = app
        .get(
            &format!("/api/v1/incidents?department={other}"),
            &w.town1.token,
        )
        .await;
    assert_eq!(none.ok(200)["items"], json!([]));
    app.get("/api/v1/incidents?department=D01", &w.town1.token)
        .await
        .problem(422, "validation_failed");
    // Every staff member is told; the dispatcher is not.
    for token in [&s1.token, &s2.token] {
        let n = app.get("/api/v1/me/notifications", token).await;
        let kinds: Vec<&str> = n.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["entity_id"] == id.as_str())
            .map(|n| n["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["incident_dispatched"]);
    }
    let other_told = app.get("/api/v1/me/notifications", &o.token).await;
    assert_eq!(other_told.ok(200)["items"], json!([]));

    // Staff of another department may not start it (it is not theirs: 404); staff of the
    // department start and resolve it as its assignee; verification stays with a supervisor.
    step(&app, &o.token, &id, "start", json!({}))
        .await
        .problem(404, "not_found");
    let detail = app.get(&path, &s1.token).await;
    let actions: Vec<&str> = detail.ok(200)["available_actions"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_str().unwrap()).collect())
        .unwrap_or_default();
    assert!(actions.contains(&"start"), "{actions:?}");
    step(&app, &s1.token, &id, "start", json!({})).await.ok(200);
    step(&app, &s2.token, &id, "resolve", json!({"note": "已清运"}))
        .await
        .ok(200);
    step(&app, &s1.token, &id, "verify", json!({}))
        .await
        .problem(403, "forbidden");
    step(
        &app,
        &w.town1.token,
        &id,
        "rework",
        json!({"note": "仍有残留"}),
    )
    .await
    .ok(200);
    let told = app.get("/api/v1/me/notifications", &s1.token).await;
    assert!(
        told.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "incident_rework"),
        "staff hear of a rework: {}",
        told.text
    );
    step(&app, &s1.token, &id, "start", json!({})).await.ok(200);
    step(
        &app,
        &s1.token,
        &id,
        "resolve",
        json!({"note": "已彻底清运"}),
    )
    .await
    .ok(200);
    let closed = step(&app, &w.town1.token, &id, "verify", json!({})).await;
    assert_eq!(closed.ok(200)["status"], "closed");

    // Dispatched on to a worker, it leaves the department.
    let inc2 = report(&app, &w.volunteer.token, incident("0401", IN_CELL_1, "low")).await;
    let id2 = inc2["id"].as_str().unwrap().to_string();
    step(&app, &w.town1.token, &id2, "accept", json!({}))
        .await
        .ok(200);
    step(
        &app,
        &w.town1.token,
        &id2,
        "dispatch",
        json!({"department_id": urban}),
    )
    .await
    .ok(200);
    let moved = step(
        &app,
        &w.town1.token,
        &id2,
        "dispatch",
        json!({"assignee_id": w.worker1.id}),
    )
    .await;
    assert_eq!(moved.ok(200)["department_id"], Value::Null);
    app.get(&format!("/api/v1/incidents/{id2}"), &s1.token)
        .await
        .problem(404, "not_found");

    // The department's record counts what was dispatched to it this year.
    let year = chrono::Utc::now().format("%Y").to_string();
    let task = new_task(&app, &w.district.token, "T-D", 1.0).await;
    units(
        &app,
        &w.district.token,
        &task,
        json!([{"department_id": urban, "duty": "functional", "target": 1}]),
    )
    .await
    .ok(200);
    let rec = app
        .get(
            &format!("/api/v1/performance?period={year}&department={urban}"),
            &w.district.token,
        )
        .await;
    let recs = rec.ok(200).as_array().unwrap().clone();
    assert_eq!(recs.len(), 1, "{}", rec.text);
    assert_eq!(recs[0]["kind"], "department");
    assert_eq!(
        recs[0]["handled"], 2,
        "both incidents were dispatched to it"
    );
    assert_eq!(recs[0]["closed"], 1);
    assert_eq!(recs[0]["closed_on_time_rate"], 1.0);
}

async fn new_task(app: &TestApp, token: &str, code: &str, weight: f64) -> String {
    let year: i32 = chrono::Utc::now().format("%Y").to_string().parse().unwrap();
    let r = app
        .post(
            "/api/v1/tasks",
            token,
            json!({"id": Uuid::new_v4(), "code": code, "title": format!("任务 {code}"),
                   "description": "安全生产专项整治", "year": year, "indicator": "整改隐患数",
                   "due_date": format!("{year}-12-31"), "weight": weight}),
        )
        .await;
    r.ok(201)["id"].as_str().unwrap().to_string()
}

async fn units(app: &TestApp, token: &str, task: &str, units: Value) -> gridwork_tests::Res {
    app.put(
        &format!("/api/v1/tasks/{task}/units"),
        token,
        json!({ "units": units }),
    )
    .await
}

/// A task of weight 1 decomposed to town 1 alone, with a target of 8; answers its id.
async fn town_task(app: &TestApp, token: &str, code: &str) -> String {
    let t = new_task(app, token, code, 1.0).await;
    units(
        app,
        token,
        &t,
        json!([{"region_code": "500117001", "duty": "territorial", "target": 8}]),
    )
    .await
    .ok(200);
    t
}

fn progress(unit: Value, value: f64, at: &str) -> Value {
    let mut body =
        json!({"id": Uuid::new_v4(), "value": value, "note": "按月报送", "reported_at": at});
    for (k, v) in unit.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn tasks_units_progress_and_scores(app: TestApp) {
    let w = World::build(&app).await;
    let a = w.admin.token.as_str();
    let d = w.district.token.as_str();
    let year: i32 = chrono::Utc::now().format("%Y").to_string().parse().unwrap();
    let urban = department(&app, a, "D01", "城市管理局").await;
    let env = department(&app, a, "D02", "生态环境局").await;
    let s = staff(&app, a, "urban1", &urban).await;
    let o = staff(&app, a, "env1", &env).await;

    // Who may set tasks, and what a task must be.
    let body = json!({"id": Uuid::new_v4(), "code": "A-01", "title": "燃气安全排查", "description": "",
                      "year": year, "indicator": "排查户数", "due_date": format!("{year}-01-01"), "weight": 2});
    app.post("/api/v1/tasks", &w.town1.token, body.clone())
        .await
        .problem(403, "forbidden");
    let created = app.post("/api/v1/tasks", d, body.clone()).await;
    let t1 = created.ok(201)["id"].as_str().unwrap().to_string();
    assert_eq!(created.body["weight"], 2.0);
    assert_eq!(
        app.post("/api/v1/tasks", d, body.clone()).await.ok(201)["id"],
        t1
    );
    let mut changed = body.clone();
    changed["title"] = json!("改了");
    app.post("/api/v1/tasks", d, changed)
        .await
        .problem(409, "id_conflict");
    let mut dup = body.clone();
    dup["id"] = json!(Uuid::new_v4());
    app.post("/api/v1/tasks", a, dup)
        .await
        .problem(409, "code_taken");
    for (field, value) in [
        ("weight", json!(0)),
        ("weight", json!(-1)),
        ("year", json!(1999)),
    ] {
        let mut bad = body.clone();
        bad["id"] = json!(Uuid::new_v4());
        bad["code"] = json!("A-99");
        bad[field] = value;
        let r = app.post("/api/v1/tasks", d, bad).await;
        r.problem(422, "validation_failed");
        assert_eq!(r.fields(), [field]);
    }
    let t2 = new_task(&app, d, "A-02", 1.0).await;
    let t3 = new_task(&app, d, "A-03", 5.0).await;

    // Units: departments and towns that exist, each once, target > 0.
    let r = units(
        &app,
        d,
        &t1,
        json!([{"region_code": "500117001001", "duty": "territorial", "target": 4}]),
    )
    .await;
    r.problem(422, "validation_failed");
    let r = units(
        &app,
        d,
        &t1,
        json!([{"department_id": Uuid::new_v4(), "duty": "functional", "target": 4}]),
    )
    .await;
    r.problem(422, "validation_failed");
    let r = units(
        &app,
        d,
        &t1,
        json!([{"region_code": "500117001", "duty": "territorial", "target": 0}]),
    )
    .await;
    r.problem(422, "validation_failed");
    let r = units(&app, d, &t1, json!([{"region_code": "500117001", "duty": "territorial", "target": 4},
                                    {"region_code": "500117001", "duty": "territorial", "target": 5}])).await;
    r.problem(422, "validation_failed");
    let r = units(&app, d, &t1, json!([{"region_code": "500117001", "department_id": urban, "duty": "territorial", "target": 4}])).await;
    r.problem(422, "validation_failed");
    units(&app, &w.town1.token, &t1, json!([]))
        .await
        .problem(403, "forbidden");
    let set = units(&app, d, &t1, json!([{"department_id": urban, "duty": "functional", "target": 10},
                                      {"region_code": "500117001", "duty": "territorial", "target": 4}])).await;
    let detail = set.ok(200);
    assert_eq!(detail["units"].as_array().unwrap().len(), 2);
    assert_eq!(detail["units"][0]["name"], "城市管理局");
    assert_eq!(detail["units"][1]["name"], "合阳城街道");
    assert_eq!(detail["units"][1]["completion"], 0.0);
    // Its due date is past and nothing is complete: both units are overdue.
    assert_eq!(detail["units_overdue"], 2);
    for t in [&t2, &t3] {
        units(
            &app,
            d,
            t,
            json!([{"region_code": "500117001", "duty": "territorial", "target": 1}]),
        )
        .await
        .ok(200);
    }

    // Who sees which tasks.
    let codes = |r: &gridwork_tests::Res| -> Vec<String> {
        r.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        codes(&app.get("/api/v1/tasks", d).await),
        ["A-01", "A-02", "A-03"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/tasks", &w.town1.token).await),
        ["A-01", "A-02", "A-03"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/tasks", &w.town2.token).await),
        Vec::<String>::new()
    );
    assert_eq!(codes(&app.get("/api/v1/tasks", &s.token).await), ["A-01"]);
    assert_eq!(
        codes(&app.get("/api/v1/tasks", &o.token).await),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(
            &app.get(&format!("/api/v1/tasks?department={urban}"), d)
                .await
        ),
        ["A-01"]
    );
    assert_eq!(
        codes(&app.get("/api/v1/tasks?region=500117002", d).await),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(
            &app.get(&format!("/api/v1/tasks?year={}", year + 1), d)
                .await
        ),
        Vec::<String>::new()
    );
    app.get(&format!("/api/v1/tasks/{t1}"), &w.town2.token)
        .await
        .problem(404, "not_found");
    app.get(&format!("/api/v1/tasks/{t1}"), &o.token)
        .await
        .problem(404, "not_found");
    for token in [&w.worker1.token, &w.volunteer.token] {
        app.get("/api/v1/tasks", token)
            .await
            .problem(403, "forbidden");
    }

    // Progress: by the unit's own staff, cumulative, idempotent.
    let now = chrono::Utc::now();
    let earlier = (now - chrono::Duration::days(40)).to_rfc3339();
    let recent = (now - chrono::Duration::hours(1)).to_rfc3339();
    let town = json!({"region_code": "500117001"});
    let dept = json!({"department_id": urban});
    let post = |token: String, task: String, body: Value| {
        let app = &app;
        async move {
            app.post(&format!("/api/v1/tasks/{task}/progress"), &token, body)
                .await
        }
    };
    let first = progress(town.clone(), 1.0, &earlier);
    let r = post(w.town1.token.clone(), t1.clone(), first.clone()).await;
    assert_eq!(r.ok(201)["value"], 1.0);
    assert_eq!(r.body["region_code"], "500117001");
    let again = post(w.town1.token.clone(), t1.clone(), first.clone()).await;
    assert_eq!(again.ok(201)["id"], first["id"]);
    let mut reuse = first.clone();
    reuse["value"] = json!(3);
    post(w.town1.token.clone(), t1.clone(), reuse)
        .await
        .problem(409, "id_conflict");
    post(
        w.town1.token.clone(),
        t1.clone(),
        progress(town.clone(), 2.0, &recent),
    )
    .await
    .ok(201);
    post(
        s.token.clone(),
        t1.clone(),
        progress(dept.clone(), 5.0, &recent),
    )
    .await
    .ok(201);
    // Not its unit; not a unit at all; not in scope; not staff; in the future; negative.
    post(
        s.token.clone(),
        t1.clone(),
        progress(town.clone(), 9.0, &recent),
    )
    .await
    .problem(403, "forbidden");
    post(
        d.to_string(),
        t1.clone(),
        progress(town.clone(), 9.0, &recent),
    )
    .await
    .problem(403, "forbidden");
    post(
        s.token.clone(),
        t2.clone(),
        progress(dept.clone(), 9.0, &recent),
    )
    .await
    .problem(404, "not_found");
    post(
        w.town2.token.clone(),
        t1.clone(),
        progress(json!({"region_code": "500117002"}), 1.0, &recent),
    )
    .await
    .problem(404, "not_found");
    post(
        w.worker1.token.clone(),
        t1.clone(),
        progress(town.clone(), 1.0, &recent),
    )
    .await
    .problem(403, "forbidden");
    let r = post(
        w.town1.token.clone(),
        t1.clone(),
        progress(json!({"region_code": "500117002"}), 1.0, &recent),
    )
    .await;
    r.problem(422, "validation_failed");
    let future = (now + chrono::Duration::hours(2)).to_rfc3339();
    post(
        w.town1.token.clone(),
        t1.clone(),
        progress(town.clone(), 1.0, &future),
    )
    .await
    .problem(422, "validation_failed");
    post(
        w.town1.token.clone(),
        t1.clone(),
        progress(town.clone(), -1.0, &recent),
    )
    .await
    .problem(422, "validation_failed");
    let detail = app
        .get(&format!("/api/v1/tasks/{t1}"), &w.town1.token)
        .await;
    let units_now = detail.ok(200)["units"].as_array().unwrap().clone();
    assert_eq!(units_now[0]["progress"], 5.0);
    assert_eq!(units_now[0]["completion"], 0.5);
    assert_eq!(units_now[1]["progress"], 2.0, "the latest report counts");
    assert_eq!(units_now[1]["completion"], 0.5);
    assert_eq!(detail.body["reports"].as_array().unwrap().len(), 3);
    // Over the target, completion stops at 1.
    post(
        w.town1.token.clone(),
        t1.clone(),
        progress(town.clone(), 6.0, &recent),
    )
    .await
    .ok(201);
    let detail = app.get(&format!("/api/v1/tasks/{t1}"), d).await;
    assert_eq!(detail.ok(200)["units"][1]["completion"], 1.0);
    assert_eq!(detail.body["units"][1]["overdue"], false);
    assert_eq!(detail.body["units"][0]["overdue"], true);
    assert_eq!(detail.body["units_complete"], 1);

    // Scores: 0–100, for a period of the task's year, for the task's own units.
    let y = year.to_string();
    let score = |task: &str, body: Value| {
        let app = &app;
        let path = format!("/api/v1/tasks/{task}/scores");
        async move { app.put(&path, d, body).await }
    };
    score(
        &t1,
        json!({"period": y, "scores": [{"region_code": "500117001", "score": 101, "note": ""}]}),
    )
    .await
    .problem(422, "validation_failed");
    score(&t1, json!({"period": format!("{}", year - 1), "scores": [{"region_code": "500117001", "score": 90}]}))
        .await
        .problem(422, "validation_failed");
    score(&t1, json!({"period": format!("{year}-13"), "scores": []}))
        .await
        .problem(422, "validation_failed");
    score(
        &t1,
        json!({"period": y, "scores": [{"region_code": "500117002", "score": 90}]}),
    )
    .await
    .problem(422, "validation_failed");
    app.put(
        &format!("/api/v1/tasks/{t1}/scores"),
        &w.town1.token,
        json!({"period": y, "scores": []}),
    )
    .await
    .problem(403, "forbidden");
    let scored = score(&t1, json!({"period": y, "scores": [{"region_code": "500117001", "score": 90, "note": "完成较好"},
                                                        {"department_id": urban, "score": 70}]}))
        .await;
    assert_eq!(scored.ok(200)["units"][1]["score"], 90.0);
    score(
        &t2,
        json!({"period": y, "scores": [{"region_code": "500117001", "score": 50}]}),
    )
    .await
    .ok(200);
    // A score given again replaces the first.
    score(
        &t2,
        json!({"period": y, "scores": [{"region_code": "500117001", "score": 60}]}),
    )
    .await
    .ok(200);

    // The town's record: (2 × 90 + 1 × 60) ÷ 3 = 80; A-03 (weight 5) has no score and
    // does not count.
    let rec = app
        .get(
            &format!("/api/v1/performance?period={y}&region=500117001"),
            &w.town1.token,
        )
        .await;
    let recs = rec.ok(200).as_array().unwrap().clone();
    assert_eq!(recs.len(), 1, "{}", rec.text);
    let town_rec = &recs[0];
    assert_eq!(town_rec["kind"], "town");
    assert_eq!(town_rec["region_code"], "500117001");
    assert_eq!(town_rec["tasks"].as_array().unwrap().len(), 3);
    let ws = town_rec["weighted_score"].as_f64().unwrap();
    assert!((ws - 80.0).abs() < 1e-9, "{ws}");
    for key in [
        "filed",
        "closed",
        "closed_on_time_rate",
        "teams_points",
        "deliberations_done",
    ] {
        assert!(
            town_rec.get(key).is_some(),
            "a town's record has {key}: {town_rec}"
        );
    }
    // The district sees every unit; the department's weighted score is its one task's.
    let all = app.get(&format!("/api/v1/performance?period={y}"), d).await;
    let all = all.ok(200).as_array().unwrap().clone();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["kind"], "department");
    assert_eq!(all[0]["weighted_score"], 70.0);
    // A month's record counts the progress reported up to its end, and that month's scores
    // (none here).
    let month = (now - chrono::Duration::days(40))
        .format("%Y-%m")
        .to_string();
    if month.starts_with(&y) {
        let m = app
            .get(
                &format!("/api/v1/performance?period={month}&region=500117001"),
                d,
            )
            .await;
        let m = m.ok(200).as_array().unwrap().clone();
        let a01 = m[0]["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == "A-01")
            .unwrap()
            .clone();
        assert_eq!(
            a01["progress"], 1.0,
            "only the report of 40 days ago: {a01}"
        );
        assert_eq!(a01["completion"], 0.25);
        assert_eq!(m[0]["weighted_score"], Value::Null);
    }
    // Scope and bad input.
    app.get(
        &format!("/api/v1/performance?period={y}&region=500117002"),
        &w.town1.token,
    )
    .await
    .problem(404, "not_found");
    app.get(
        &format!("/api/v1/performance?period={y}&department={urban}"),
        &w.town1.token,
    )
    .await
    .problem(404, "not_found");
    let own = app
        .get(&format!("/api/v1/performance?period={y}"), &s.token)
        .await;
    let own = own.ok(200).as_array().unwrap().clone();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["department_id"], urban);
    for bad in ["26", "2026-1", "", "2026-13"] {
        app.get(&format!("/api/v1/performance?period={bad}"), d)
            .await
            .problem(422, "validation_failed");
    }
    app.get(&format!("/api/v1/performance?period={y}"), &w.worker1.token)
        .await
        .problem(403, "forbidden");
    // Per worker: filed counts the incidents the worker reported.
    report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "low")).await;
    let workers = app
        .get(
            &format!("/api/v1/performance/workers?period={y}"),
            &w.town1.token,
        )
        .await;
    let w1 = workers
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["username"] == "worker1")
        .unwrap()
        .clone();
    assert_eq!(w1["filed"], 1);
    // The export for the appraisal meeting.
    let x = app
        .get(
            &format!("/api/v1/performance/export?period={y}&format=xlsx"),
            d,
        )
        .await;
    assert_eq!(x.status, 200);
    assert_eq!(
        x.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let csv = app
        .get(
            &format!("/api/v1/performance/export?period={y}&format=csv"),
            d,
        )
        .await;
    assert!(csv.text.contains("合阳城街道"), "{}", csv.text);
    assert!(csv.text.contains("80.00"), "{}", csv.text);
}

async fn snapshots_never_change(app: TestApp) {
    let w = World::build(&app).await;
    let a = w.admin.token.as_str();
    let d = w.district.token.as_str();
    let y = chrono::Utc::now().format("%Y").to_string();
    let t = new_task(&app, d, "S-01", 1.0).await;
    units(
        &app,
        d,
        &t,
        json!([{"region_code": "500117001", "duty": "territorial", "target": 10}]),
    )
    .await
    .ok(200);
    app.put(
        &format!("/api/v1/tasks/{t}/scores"),
        d,
        json!({"period": y, "scores": [{"region_code": "500117001", "score": 75}]}),
    )
    .await
    .ok(200);
    app.post("/api/v1/performance/snapshots", d, json!({"period": y}))
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/v1/performance/snapshots",
        a,
        json!({"period": "20x6"}),
    )
    .await
    .problem(422, "validation_failed");
    let snap = app
        .post("/api/v1/performance/snapshots", a, json!({"period": y}))
        .await;
    let snap = snap.ok(201).clone();
    let id = snap["id"].as_str().unwrap();
    let path = format!("/api/v1/performance/snapshots/{id}");
    let doc = app.get(&path, d).await;
    assert_eq!(doc.status, 200);
    let sha = hex::encode(Sha256::digest(doc.text.as_bytes()));
    assert_eq!(sha, snap["sha256"], "the hash is of the document served");
    assert_eq!(doc.body["units"][0]["weighted_score"], 75.0);

    // The data changes: a new score, new progress, a new task.
    app.put(
        &format!("/api/v1/tasks/{t}/scores"),
        d,
        json!({"period": y, "scores": [{"region_code": "500117001", "score": 20}]}),
    )
    .await
    .ok(200);
    app.post(
        &format!("/api/v1/tasks/{t}/progress"),
        &w.town1.token,
        progress(
            json!({"region_code": "500117001"}),
            7.0,
            &chrono::Utc::now().to_rfc3339(),
        ),
    )
    .await
    .ok(201);
    new_task(&app, d, "S-02", 3.0).await;
    let live = app.get(&format!("/api/v1/performance?period={y}"), d).await;
    assert_eq!(live.ok(200)[0]["weighted_score"], 20.0);
    // The snapshot is what it was, byte for byte.
    let later = app.get(&path, a).await;
    assert_eq!(later.text, doc.text);
    assert_eq!(
        hex::encode(Sha256::digest(later.text.as_bytes())),
        snap["sha256"]
    );
    // A new snapshot freezes the new state.
    let second = app
        .post("/api/v1/performance/snapshots", a, json!({"period": y}))
        .await;
    assert_ne!(second.ok(201)["sha256"], snap["sha256"]);
    let list = app.get("/api/v1/performance/snapshots", d).await;
    assert_eq!(list.ok(200)["items"].as_array().unwrap().len(), 2);
    assert_eq!(list.body["items"][1]["id"], id);
    // Town supervisors and department staff do not read snapshots.
    app.get(&path, &w.town1.token)
        .await
        .problem(403, "forbidden");
    app.get("/api/v1/performance/snapshots", &w.town1.token)
        .await
        .problem(403, "forbidden");
    app.get(
        &format!("/api/v1/performance/snapshots/{}", Uuid::new_v4()),
        a,
    )
    .await
    .problem(404, "not_found");
    // Taking one is audited.
    let log = app.get(&format!("/api/v1/audit?entity={id}"), a).await;
    assert!(
        log.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "performance_snapshot"),
        "{}",
        log.text
    );
    // Nobody can change it, not even through the database.
    let stmt = format!("UPDATE performance_snapshots SET sha256 = 'x' WHERE id = '{id}'");
    let refused = app
        .with_db(move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(stmt).execute(c).is_err()
        })
        .await;
    assert!(refused, "the database refuses to change a snapshot");
}

async fn progress_travels_through_sync(app: TestApp) {
    let w = World::build(&app).await;
    let d = w.district.token.as_str();
    let t = town_task(&app, d, "P-01").await;
    // The town's supervisor's phone pulls its unit's tasks; town 2's holds none of them.
    let pulled = app.get("/api/v1/sync/pull", &w.town1.token).await;
    let tasks = pulled.ok(200)["tasks"].as_array().unwrap().clone();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["code"], "P-01");
    let other = app.get("/api/v1/sync/pull", &w.town2.token).await;
    assert_eq!(other.ok(200)["tasks"], json!([]));
    let worker = app.get("/api/v1/sync/pull", &w.worker1.token).await;
    assert!(
        worker.ok(200).get("tasks").is_none(),
        "workers have no unit's tasks"
    );
    // A progress report queued offline, pushed twice: applied once.
    let mut body = progress(
        json!({"region_code": "500117001"}),
        4.0,
        &chrono::Utc::now().to_rfc3339(),
    );
    body["task_id"] = json!(t);
    let ops = json!({"ops": [{"op_id": Uuid::new_v4(), "type": "task.progress", "body": body}]});
    let first = app
        .post("/api/v1/sync/push", &w.town1.token, ops.clone())
        .await;
    assert_eq!(
        first.ok(200)["results"][0]["status"],
        "applied",
        "{}",
        first.text
    );
    let again = app.post("/api/v1/sync/push", &w.town1.token, ops).await;
    assert_eq!(again.ok(200)["results"][0]["status"], "duplicate");
    let detail = app.get(&format!("/api/v1/tasks/{t}"), d).await;
    assert_eq!(detail.ok(200)["reports"].as_array().unwrap().len(), 1);
    assert_eq!(detail.body["units"][0]["completion"], 0.5);
    // Town 2 cannot report for it: the task is not in its scope.
    let mut theirs = progress(
        json!({"region_code": "500117001"}),
        8.0,
        &chrono::Utc::now().to_rfc3339(),
    );
    theirs["task_id"] = json!(t);
    let r = app
        .post(
            "/api/v1/sync/push",
            &w.town2.token,
            json!({"ops": [{"op_id": Uuid::new_v4(), "type": "task.progress", "body": theirs}]}),
        )
        .await;
    assert_eq!(r.ok(200)["results"][0]["status"], "rejected");
    assert_eq!(r.body["results"][0]["code"], "not_found");
}

/// A progress report's evidence: added by who reported it, seen by whoever sees the task.
async fn progress_carries_its_evidence(app: TestApp) {
    let w = World::build(&app).await;
    let d = w.district.token.as_str();
    let t = town_task(&app, d, "E-01").await;
    let body = progress(
        json!({"region_code": "500117001"}),
        3.0,
        &chrono::Utc::now().to_rfc3339(),
    );
    let p = app
        .post(&format!("/api/v1/tasks/{t}/progress"), &w.town1.token, body)
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/task-progress/{p}/photos");
    let upload = |token: String| {
        let (app, path) = (&app, path.clone());
        async move {
            app.raw(
                Method::POST,
                &path,
                Some(&token),
                "image/jpeg",
                jpeg_with_exif(),
            )
            .await
        }
    };
    // Out of scope: another town's supervisor and a worker do not see the report at all.
    upload(w.town2.token.clone())
        .await
        .problem(404, "not_found");
    upload(w.worker1.token.clone())
        .await
        .problem(404, "not_found");
    // The district sees the task but did not report the progress.
    upload(d.to_string()).await.problem(403, "forbidden");
    let photo = upload(w.town1.token.clone()).await.ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The same bytes again: the same photo.
    assert_eq!(upload(w.town1.token.clone()).await.ok(200)["id"], photo);
    // Not an image: refused, nothing stored.
    app.raw(
        Method::POST,
        &path,
        Some(&w.town1.token),
        "image/jpeg",
        b"not a jpeg".to_vec(),
    )
    .await
    .problem(415, "unsupported_media");
    let detail = app.get(&format!("/api/v1/tasks/{t}"), d).await;
    let photos = detail.ok(200)["reports"][0]["photos"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(photos.len(), 1, "{}", detail.text);
    assert_eq!(photos[0]["id"], photo);
    // Its bytes: for the district and the town, not for another town.
    let bytes = format!("/api/v1/photos/{photo}");
    app.raw(Method::GET, &bytes, Some(d), "image/jpeg", Vec::new())
        .await
        .ok(200);
    app.raw(
        Method::GET,
        &bytes,
        Some(&w.town2.token),
        "image/jpeg",
        Vec::new(),
    )
    .await
    .problem(404, "not_found");
}

both_engines!(
    progress_carries_its_evidence,
    progress_travels_through_sync,
    departments_and_their_staff,
    a_department_handles_what_is_dispatched_to_it,
    tasks_units_progress_and_scores,
    snapshots_never_change,
);
