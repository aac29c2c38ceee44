use chrono::{Duration, Utc};
use gridwork_tests::fixtures::{IN_CELL_1, IN_TOWN_2, World, create_user, person_views};
use gridwork_tests::{Engine, TestApp, both_engines};
use serde_json::{Value, json};

const ID_NUMBER: &str = "11010519491231002X";

fn person(worker: &str, at: (f64, f64), category: &str, risk: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "category": category,
        "name": "王建华",
        "id_number": ID_NUMBER,
        "address": "合川区文峰街道白塔路12号3-2",
        "location": {"lon": at.0, "lat": at.1},
        "risk_level": risk,
        "responsible_worker_id": worker,
    })
}

fn visit(at: (f64, f64), outcome: &str) -> Value {
    json!({
        "id": uuid::Uuid::new_v4(),
        "visited_at": Utc::now().to_rfc3339(),
        "location": {"lon": at.0, "lat": at.1},
        "outcome": outcome,
        "note": "情绪稳定，按时报到",
    })
}

fn ts(v: &Value) -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

async fn a_person_comes_due_is_visited_and_clears(app: TestApp) {
    let w = World::build(&app).await;
    let body = person(&w.worker1.id, IN_CELL_1, "community_correction", "high");
    let r = app
        .post("/api/v1/persons", &w.town1.token, body.clone())
        .await;
    let p = r.ok(201).clone();
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["id_number_masked"], "1101**********002X");
    assert!(p.get("id_number").is_none());
    assert_eq!(p["cell_code"], "500117001001001");
    assert_eq!(
        ts(&p["next_visit_due"]),
        ts(&p["created_at"]) + Duration::days(7)
    );
    assert_eq!(p["overdue"], false);
    // Replay: the same answer, no duplicate.
    let again = app
        .post("/api/v1/persons", &w.town1.token, body.clone())
        .await;
    assert_eq!(again.ok(201)["id"], p["id"]);
    // The worker sees the visit come due.
    let due = app.get("/api/v1/me/visits/due", &w.worker1.token).await;
    assert_eq!(due.ok(200)["items"][0]["id"], id);
    app.advance(Duration::days(8));
    let overdue = app
        .get("/api/v1/persons?due=overdue", &w.worker1.token)
        .await;
    let item = overdue.ok(200)["items"][0].clone();
    assert_eq!(item["id"], id);
    assert_eq!(item["overdue"], true);
    // Visits: not at home keeps it overdue; met clears it.
    let url = format!("/api/v1/persons/{id}/visits");
    let nh = app
        .post(&url, &w.worker1.token, visit(IN_CELL_1, "not_home"))
        .await;
    assert_eq!(nh.ok(201)["far"], false);
    let still = app
        .get("/api/v1/persons?due=overdue", &w.worker1.token)
        .await;
    assert_eq!(still.ok(200)["items"].as_array().unwrap().len(), 1);
    let mut met = visit((IN_CELL_1.0 + 0.01, IN_CELL_1.1), "met");
    met["risk_level"] = json!("medium");
    met["accuracy_m"] = json!(12.5);
    let v = app.post(&url, &w.worker1.token, met.clone()).await;
    let v = v.ok(201).clone();
    assert_eq!(v["far"], true, "about 1 km away");
    // How the position was taken travels with the visit.
    assert_eq!(v["accuracy_m"], 12.5);
    assert_eq!(v["picked_on_map"], false);
    let d = v["distance_m"].as_f64().unwrap();
    assert!((900.0..1100.0).contains(&d), "{d}");
    let photo = format!("/api/v1/visits/{}/photos", v["id"].as_str().unwrap());
    let jpeg = gridwork_tests::fixtures::jpeg_with_exif();
    app.raw(
        reqwest::Method::POST,
        &photo,
        Some(&w.worker1.token),
        "image/jpeg",
        jpeg.clone(),
    )
    .await
    .ok(201);
    app.raw(
        reqwest::Method::POST,
        &photo,
        Some(&w.worker2.token),
        "image/jpeg",
        jpeg.clone(),
    )
    .await
    .problem(404, "not_found");
    app.raw(
        reqwest::Method::POST,
        &photo,
        Some(&w.volunteer.token),
        "image/jpeg",
        jpeg,
    )
    .await
    .problem(404, "not_found");
    let replay = app.post(&url, &w.worker1.token, met.clone()).await;
    assert_eq!(replay.ok(201)["id"], v["id"]);
    let after = app
        .get("/api/v1/persons?due=overdue", &w.worker1.token)
        .await;
    assert!(
        after.ok(200)["items"].as_array().unwrap().is_empty(),
        "the overdue flag clears"
    );
    let full = app
        .get(&format!("/api/v1/persons/{id}"), &w.worker1.token)
        .await;
    let full = full.ok(200);
    assert_eq!(full["id_number"], ID_NUMBER);
    assert_eq!(full["risk_level"], "medium");
    assert_eq!(full["last_outcome"], "met");
    // Medium risk: every 14 days from the met visit.
    let met_at = ts(&met["visited_at"]);
    let met_at = met_at - Duration::nanoseconds(i64::from(met_at.timestamp_subsec_nanos() % 1000));
    assert_eq!(ts(&full["next_visit_due"]), met_at + Duration::days(14));
    let visits = app.get(&url, &w.worker1.token).await;
    assert_eq!(visits.ok(200)["items"].as_array().unwrap().len(), 2);
    // Moved: no more visits due.
    app.post(&url, &w.worker1.token, visit(IN_CELL_1, "moved"))
        .await
        .ok(201);
    let moved = app
        .get(&format!("/api/v1/persons/{id}"), &w.worker1.token)
        .await;
    assert!(moved.ok(200)["next_visit_due"].is_null());
}

async fn nobody_outside_scope_learns_the_person_exists(app: TestApp) {
    let w = World::build(&app).await;
    let p = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_CELL_1, "drug_user", "medium"),
        )
        .await;
    let id = p.ok(201)["id"].as_str().unwrap().to_string();
    for t in [&w.town2.token, &w.worker2.token] {
        app.get(&format!("/api/v1/persons/{id}"), t)
            .await
            .problem(404, "not_found");
        app.post(
            &format!("/api/v1/persons/{id}/visits"),
            t,
            visit(IN_CELL_1, "met"),
        )
        .await
        .problem(404, "not_found");
        app.get(&format!("/api/v1/persons/{id}/visits"), t)
            .await
            .problem(404, "not_found");
        let l = app.get("/api/v1/persons", t).await;
        assert!(l.ok(200)["items"].as_array().unwrap().is_empty());
    }
    app.patch(
        &format!("/api/v1/persons/{id}"),
        &w.town2.token,
        json!({"version": 1, "risk_level": "low"}),
    )
    .await
    .problem(404, "not_found");
    // Volunteers: 403 on the whole register.
    app.get("/api/v1/persons", &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    app.get(&format!("/api/v1/persons/{id}"), &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    app.get("/api/v1/me/visits/due", &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    // Workers do not register persons.
    app.post(
        "/api/v1/persons",
        &w.worker1.token,
        person(&w.worker1.id, IN_CELL_1, "cult", "low"),
    )
    .await
    .problem(403, "forbidden");
    // A worker neither responsible nor assigned to the cell cannot visit.
    let other = create_user(&app, &w.admin.token, "worker3", "worker", "500117001001").await;
    app.post(
        &format!("/api/v1/persons/{id}/visits"),
        &other.token,
        visit(IN_CELL_1, "met"),
    )
    .await
    .problem(404, "not_found");
    // Refused reads are audited too.
    let log = app
        .get(
            &format!("/api/v1/audit?entity={id}&limit=500"),
            &w.admin.token,
        )
        .await;
    let outcomes: Vec<String> = log.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "person_view")
        .map(|e| e["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(outcomes.iter().filter(|o| *o == "not_found").count(), 2);
}

async fn every_full_view_is_audited(app: TestApp) {
    let w = World::build(&app).await;
    let p = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_CELL_1, "key_youth", "low"),
        )
        .await;
    let id = p.ok(201)["id"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/persons/{id}"), &w.worker1.token)
        .await
        .ok(200);
    app.get(&format!("/api/v1/persons/{id}"), &w.town1.token)
        .await
        .ok(200);
    // Lists are not full views.
    app.get("/api/v1/persons", &w.town1.token).await.ok(200);
    let views = person_views(&app, &w.admin.token, &id).await;
    assert_eq!(views.len(), 2);
    assert_eq!(views[0]["actor_id"], w.town1.id);
    assert_eq!(views[1]["actor_id"], w.worker1.id);
    assert!(views.iter().all(|v| v["outcome"] == "success"
        && v["ip"] == "127.0.0.1"
        && v["entity_type"] == "person"));
}

async fn identity_numbers_never_reach_the_disk_in_clear(app: TestApp) {
    let w = World::build(&app).await;
    app.post(
        "/api/v1/persons",
        &w.town1.token,
        person(&w.worker1.id, IN_CELL_1, "released_prisoner", "low"),
    )
    .await
    .ok(201);
    match app.engine {
        Engine::Sqlite => {
            let path = app
                .database_url
                .strip_prefix("sqlite://")
                .unwrap()
                .to_string();
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            for needle in [ID_NUMBER, "王建华", "白塔路12号"] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                    "{needle} found in the database file"
                );
            }
            assert!(
                bytes
                    .windows(18)
                    .any(|w| w == "1101**********002X".as_bytes()),
                "the masked number is stored"
            );
        }
        Engine::Postgres => {
            let dump = app
                .with_db(|c| {
                    use diesel::prelude::*;
                    #[derive(QueryableByName)]
                    struct Row {
                        #[diesel(sql_type = diesel::sql_types::Text)]
                        t: String,
                    }
                    diesel::sql_query("SELECT row_to_json(p)::text AS t FROM persons p")
                        .load::<Row>(c)
                        .unwrap()
                })
                .await;
            assert_eq!(dump.len(), 1);
            assert!(
                !dump[0].t.contains(ID_NUMBER) && !dump[0].t.contains("王建华"),
                "{}",
                dump[0].t
            );
        }
    }
}

async fn person_input_is_validated(app: TestApp) {
    let w = World::build(&app).await;
    let mut bad = person(&w.worker1.id, IN_CELL_1, "drug_user", "high");
    bad["id_number"] = json!("110105194912310021");
    let r = app
        .post("/api/v1/persons", &w.town1.token, bad.clone())
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["id_number"]);
    for (field, value) in [
        ("category", json!("gangster")),
        ("risk_level", json!("extreme")),
        ("name", json!("")),
    ] {
        let mut b = person(&w.worker1.id, IN_CELL_1, "drug_user", "high");
        b[field] = value;
        app.post("/api/v1/persons", &w.town1.token, b)
            .await
            .problem(422, "validation_failed");
    }
    let r = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker2.id, IN_CELL_1, "drug_user", "high"),
        )
        .await;
    assert_eq!(r.fields(), ["responsible_worker_id"]);
    app.post(
        "/api/v1/persons",
        &w.town1.token,
        person(&w.worker1.id, (100.0, 20.0), "drug_user", "high"),
    )
    .await
    .problem(422, "outside_grid");
    let r = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_TOWN_2, "drug_user", "high"),
        )
        .await;
    assert_eq!(r.fields(), ["location"]);
    let body = person(&w.worker1.id, IN_CELL_1, "drug_user", "high");
    app.post("/api/v1/persons", &w.town1.token, body.clone())
        .await
        .ok(201);
    let mut changed = body.clone();
    changed["name"] = json!("别人");
    app.post("/api/v1/persons", &w.town1.token, changed)
        .await
        .problem(409, "id_conflict");
    for q in [
        "due=tomorrow",
        "category=x",
        "cell=1",
        "archived=maybe",
        "limit=0",
        "colour=1",
    ] {
        app.get(&format!("/api/v1/persons?{q}"), &w.town1.token)
            .await
            .problem(422, "validation_failed");
    }
    let id = body["id"].as_str().unwrap();
    let url = format!("/api/v1/persons/{id}/visits");
    let mut v = visit(IN_CELL_1, "abducted");
    app.post(&url, &w.worker1.token, v.clone())
        .await
        .problem(422, "validation_failed");
    v["outcome"] = json!("met");
    v["visited_at"] = json!((Utc::now() + Duration::days(2)).to_rfc3339());
    app.post(&url, &w.worker1.token, v)
        .await
        .problem(422, "validation_failed");
}

async fn supervisors_edit_transfer_and_archive(app: TestApp) {
    let w = World::build(&app).await;
    let other = create_user(&app, &w.admin.token, "worker3", "worker", "500117001001").await;
    let p = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_CELL_1, "severe_mental_disorder", "high"),
        )
        .await;
    let id = p.ok(201)["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/persons/{id}");
    let r = app
        .patch(
            &url,
            &w.town1.token,
            json!({"version": 1, "responsible_worker_id": other.id, "risk_level": "low"}),
        )
        .await;
    let b = r.ok(200);
    assert_eq!(b["responsible_worker_id"], other.id);
    assert_eq!(b["version"], 2);
    assert_eq!(
        ts(&b["next_visit_due"]),
        ts(&b["created_at"]) + Duration::days(30)
    );
    app.patch(
        &url,
        &w.town1.token,
        json!({"version": 1, "risk_level": "high"}),
    )
    .await
    .problem(409, "version_conflict");
    app.patch(
        &url,
        &w.worker1.token,
        json!({"version": 2, "risk_level": "high"}),
    )
    .await
    .problem(403, "forbidden");
    app.patch(
        &url,
        &w.town1.token,
        json!({"version": 2, "id_number": "123"}),
    )
    .await
    .problem(422, "validation_failed");
    app.patch(
        &url,
        &w.town1.token,
        json!({"version": 2, "responsible_worker_id": w.worker2.id}),
    )
    .await
    .problem(422, "validation_failed");
    // Transferred: the new worker has the visit due; the old one no longer sees it in its due list.
    let due = app.get("/api/v1/me/visits/due", &other.token).await;
    assert_eq!(due.ok(200)["items"][0]["id"], id);
    let old = app.get("/api/v1/me/visits/due", &w.worker1.token).await;
    assert!(old.ok(200)["items"].as_array().unwrap().is_empty());
    // Archived: out of the lists and due lists, visits refused.
    app.patch(&url, &w.town1.token, json!({"version": 2, "active": false}))
        .await
        .ok(200);
    assert!(
        app.get("/api/v1/persons", &w.town1.token).await.ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.get("/api/v1/persons?archived=true", &w.town1.token)
            .await
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(
        app.get("/api/v1/me/visits/due", &other.token).await.ok(200)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    app.post(
        &format!("{url}/visits"),
        &other.token,
        visit(IN_CELL_1, "met"),
    )
    .await
    .problem(409, "invalid_transition");
}

async fn intervals_are_configurable(app: TestApp) {
    let w = World::build(&app).await;
    let table = app.get("/api/v1/visit-intervals", &w.worker1.token).await;
    let table = table.ok(200).as_array().unwrap().clone();
    assert_eq!(table.len(), 21);
    assert!(
        table
            .iter()
            .any(|i| i["category"] == "drug_user" && i["risk_level"] == "high" && i["days"] == 7)
    );
    let p = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_CELL_1, "drug_user", "high"),
        )
        .await;
    let p = p.ok(201).clone();
    app.put(
        "/api/v1/visit-intervals",
        &w.admin.token,
        json!({"category": "drug_user", "risk_level": "high", "days": 3}),
    )
    .await
    .ok(200);
    let full = app
        .get(
            &format!("/api/v1/persons/{}", p["id"].as_str().unwrap()),
            &w.town1.token,
        )
        .await;
    assert_eq!(
        ts(&full.ok(200)["next_visit_due"]),
        ts(&p["created_at"]) + Duration::days(3)
    );
    app.put(
        "/api/v1/visit-intervals",
        &w.admin.token,
        json!({"category": "drug_user", "risk_level": "high", "days": 0}),
    )
    .await
    .problem(422, "validation_failed");
    app.put(
        "/api/v1/visit-intervals",
        &w.town1.token,
        json!({"category": "drug_user", "risk_level": "high", "days": 5}),
    )
    .await
    .problem(403, "forbidden");
    app.get("/api/v1/visit-intervals", &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    // due=today / week follow the China Standard Time day.
    let week = app.get("/api/v1/persons?due=week", &w.town1.token).await;
    assert_eq!(week.ok(200)["items"].as_array().unwrap().len(), 1);
}

/// The reason a reader gives for a full read is kept in its audit entry; a reason too long
/// or not one line is refused before anything is read, and a volunteer is refused first.
async fn a_full_read_keeps_its_reason(app: TestApp) {
    let w = World::build(&app).await;
    let p = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_CELL_1, "drug_user", "medium"),
        )
        .await;
    let id = p.ok(201)["id"].as_str().unwrap().to_string();
    let reason = "核实走访记录 (visit check)";
    let q = format!(
        "/api/v1/persons/{id}?reason={}",
        reason
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    let full = app.get(&q, &w.town1.token).await;
    assert_eq!(full.ok(200)["id_number"], ID_NUMBER);
    // No reason given: the read is audited all the same, with none.
    app.get(&format!("/api/v1/persons/{id}"), &w.worker1.token)
        .await
        .ok(200);
    // A reason past 200 characters, or on two lines: 422 before the record is looked at,
    // even for a record that does not exist.
    let long = "x".repeat(201);
    for path in [
        format!("/api/v1/persons/{id}?reason={long}"),
        format!("/api/v1/persons/{}?reason={long}", uuid::Uuid::new_v4()),
        format!("/api/v1/persons/{id}?reason=a%0Ab"),
    ] {
        let r = app.get(&path, &w.town1.token).await;
        r.problem(422, "validation_failed");
        assert_eq!(r.fields(), vec!["reason"], "{path}");
    }
    app.get(&format!("/api/v1/persons/{id}?why=x"), &w.town1.token)
        .await
        .problem(422, "validation_failed");
    // 200 characters are fine.
    app.get(
        &format!("/api/v1/persons/{id}?reason={}", "y".repeat(200)),
        &w.town1.token,
    )
    .await
    .ok(200);
    // A volunteer is refused (403) before its query is read.
    app.get(
        &format!("/api/v1/persons/{id}?reason={long}"),
        &w.volunteer.token,
    )
    .await
    .problem(403, "forbidden");
    let views = person_views(&app, &w.admin.token, &id).await;
    // Newest first: the volunteer's refusal, the 200-character reason, the worker's read
    // without a reason, the supervisor's with one.
    assert_eq!(views.len(), 4, "{views:?}");
    assert_eq!(views[0]["outcome"], "refused");
    assert!(views[0].get("reason").is_none());
    assert_eq!(views[1]["reason"], "y".repeat(200));
    assert_eq!(views[2]["actor_id"], w.worker1.id);
    assert!(views[2].get("reason").is_none(), "{:?}", views[2]);
    assert_eq!(views[3]["actor_id"], w.town1.id);
    assert_eq!(views[3]["reason"], reason);
    assert!(
        views[3].get("detail").is_none(),
        "the reason is not repeated as a detail"
    );
}

/// `GET /persons?id=` answers one person as the list shows it (masked), within scope only.
async fn the_list_answers_one_person_by_id(app: TestApp) {
    let w = World::build(&app).await;
    let mine = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_CELL_1, "cult", "low"),
        )
        .await
        .ok(201)
        .clone();
    app.post(
        "/api/v1/persons",
        &w.town1.token,
        person(&w.worker1.id, IN_CELL_1, "cult", "high"),
    )
    .await
    .ok(201);
    let id = mine["id"].as_str().unwrap();
    let one = app
        .get(&format!("/api/v1/persons?id={id}"), &w.town1.token)
        .await;
    let items = one.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0], mine);
    assert!(items[0].get("id_number").is_none());
    // Out of scope: nothing, as if it did not exist.
    let other = app
        .get(&format!("/api/v1/persons?id={id}"), &w.town2.token)
        .await;
    assert!(other.ok(200)["items"].as_array().unwrap().is_empty());
    let bad = app.get("/api/v1/persons?id=nope", &w.town1.token).await;
    bad.problem(422, "validation_failed");
    assert_eq!(bad.fields(), vec!["id"]);
    // Archived: only with archived=true.
    app.patch(
        &format!("/api/v1/persons/{id}"),
        &w.town1.token,
        json!({"version": mine["version"], "active": false}),
    )
    .await
    .ok(200);
    let gone = app
        .get(&format!("/api/v1/persons?id={id}"), &w.town1.token)
        .await;
    assert!(gone.ok(200)["items"].as_array().unwrap().is_empty());
    let archived = app
        .get(
            &format!("/api/v1/persons?id={id}&archived=true"),
            &w.town1.token,
        )
        .await;
    assert_eq!(archived.ok(200)["items"][0]["active"], false);
}

/// A visit's photos come with it in the person's visits.
async fn visits_list_their_photos(app: TestApp) {
    let w = World::build(&app).await;
    let p = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            person(&w.worker1.id, IN_CELL_1, "key_youth", "high"),
        )
        .await;
    let id = p.ok(201)["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/persons/{id}/visits");
    let with = app
        .post(&url, &w.worker1.token, visit(IN_CELL_1, "met"))
        .await
        .ok(201)
        .clone();
    let without = app
        .post(&url, &w.worker1.token, visit(IN_CELL_1, "not_home"))
        .await
        .ok(201)
        .clone();
    assert_eq!(with["photos"], json!([]));
    let photo = app
        .raw(
            reqwest::Method::POST,
            &format!("/api/v1/visits/{}/photos", with["id"].as_str().unwrap()),
            Some(&w.worker1.token),
            "image/jpeg",
            gridwork_tests::fixtures::jpeg_with_exif(),
        )
        .await
        .ok(201)
        .clone();
    let listed = app.get(&url, &w.town1.token).await;
    let items = listed.ok(200)["items"].as_array().unwrap().clone();
    let of = |v: &Value| items.iter().find(|i| i["id"] == v["id"]).unwrap().clone();
    let shown = of(&with)["photos"].as_array().unwrap().clone();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["id"], photo["id"]);
    assert_eq!(shown[0]["url"], photo["url"]);
    assert_eq!(shown[0]["thumbnail_url"], photo["thumbnail_url"]);
    assert_eq!(of(&without)["photos"], json!([]));
    // The supervisor may open it.
    let img = app
        .get(shown[0]["thumbnail_url"].as_str().unwrap(), &w.town1.token)
        .await;
    assert_eq!(img.status.as_u16(), 200);
}

both_engines!(
    a_person_comes_due_is_visited_and_clears,
    nobody_outside_scope_learns_the_person_exists,
    every_full_view_is_audited,
    identity_numbers_never_reach_the_disk_in_clear,
    person_input_is_validated,
    supervisors_edit_transfer_and_archive,
    intervals_are_configurable,
    a_full_read_keeps_its_reason,
    the_list_answers_one_person_by_id,
    visits_list_their_photos,
);
