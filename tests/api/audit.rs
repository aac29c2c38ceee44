use gridwork_tests::fixtures::{IN_CELL_1, PW, World};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

async fn admins_read_the_audit_log(app: TestApp) {
    let w = World::build(&app).await;
    app.login_full("worker1", "wrong password")
        .await
        .problem(401, "invalid_credentials");
    app.login_full("worker1", PW).await.ok(200);
    let r = app
        .get(
            &format!("/api/v1/audit?actor={}&limit=500", w.worker1.id),
            &w.admin.token,
        )
        .await;
    let items = r.ok(200)["items"].as_array().unwrap().clone();
    let outcomes: Vec<_> = items
        .iter()
        .filter(|e| e["action"] == "login")
        .map(|e| e["outcome"].clone())
        .collect();
    assert_eq!(
        outcomes,
        ["success", "failure", "success"],
        "newest first: {items:?}"
    );
    assert!(items.iter().all(|e| e["ip"] == "127.0.0.1"));
    let seqs: Vec<i64> = items.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|p| p[0] > p[1]));
    let imports = app.get("/api/v1/audit?entity=cells", &w.admin.token).await;
    assert_eq!(imports.ok(200)["items"][0]["action"], "cells_import");
    for t in [&w.district.token, &w.worker1.token] {
        app.get("/api/v1/audit", t).await.problem(403, "forbidden");
    }
    app.get("/api/v1/audit?from=yesterday", &w.admin.token)
        .await
        .problem(422, "validation_failed");
    app.get("/api/v1/audit?limit=0", &w.admin.token)
        .await
        .problem(422, "validation_failed");
    // The log is append-only in the database itself.
    let refused = app
        .with_db(|c| {
            use diesel::connection::SimpleConnection;
            c.batch_execute("DELETE FROM audit_log").is_err()
                && c.batch_execute("UPDATE audit_log SET outcome = 'x'")
                    .is_err()
        })
        .await;
    assert!(refused);
}

async fn entries(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let r = app
        .get(&format!("/api/v1/audit?{query}&limit=500"), token)
        .await;
    r.ok(200)["items"].as_array().unwrap().clone()
}

/// Reads of special-population data are audited in bulk with their count, a refused read
/// whatever the role, a change of a user with what changed, and a failed login of an
/// unknown username with the name tried.
async fn the_audit_says_what_was_read_and_changed(app: TestApp) {
    let w = World::build(&app).await;
    let person = app
        .post(
            "/api/v1/persons",
            &w.town1.token,
            json!({
                "id": uuid::Uuid::new_v4(), "category": "drug_user", "name": "李强",
                "id_number": "11010519491231002X", "address": "文峰路1号",
                "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}, "risk_level": "high",
                "responsible_worker_id": w.worker1.id,
            }),
        )
        .await
        .ok(201)
        .clone();
    let pid = person["id"].as_str().unwrap();
    app.get("/api/v1/persons", &w.town1.token).await.ok(200);
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/sync/pull?cursor={c}"),
            None => "/api/v1/sync/pull".to_string(),
        };
        let page = app.get(&path, &w.worker1.token).await.ok(200).clone();
        cursor = page["cursor"].as_str().map(str::to_string);
        if page["has_more"] != true {
            break;
        }
    }
    app.get(&format!("/api/v1/persons/{pid}"), &w.volunteer.token)
        .await
        .problem(403, "forbidden");
    let town1 = entries(&app, &w.admin.token, &format!("actor={}", w.town1.id)).await;
    let list = town1
        .iter()
        .find(|e| e["action"] == "persons_list")
        .expect("the list read is audited");
    assert_eq!(list["detail"], "count=1");
    let worker1 = entries(&app, &w.admin.token, &format!("actor={}", w.worker1.id)).await;
    let pulled = worker1
        .iter()
        .find(|e| e["action"] == "persons_pull")
        .expect("the pull is audited");
    assert_eq!(pulled["detail"], "count=1");
    let refused = entries(&app, &w.admin.token, &format!("entity={pid}")).await;
    assert!(
        refused
            .iter()
            .any(|e| e["actor_id"] == w.volunteer.id.as_str() && e["outcome"] == "refused"),
        "{refused:?}"
    );
    // A change of a user says what changed.
    app.call(
        reqwest::Method::PATCH,
        &format!("/api/v1/users/{}", w.worker2.id),
        Some(&w.admin.token),
        Some(&json!({"role": "supervisor", "region_code": "500117002"})),
    )
    .await
    .ok(200);
    let changed = entries(&app, &w.admin.token, &format!("entity={}", w.worker2.id)).await;
    let update = changed
        .iter()
        .find(|e| e["action"] == "user_update")
        .unwrap();
    let detail = update["detail"].as_str().unwrap();
    assert!(detail.contains("role: worker → supervisor"), "{detail}");
    assert!(
        detail.contains("region_code: 500117002001 → 500117002"),
        "{detail}"
    );
    // A change of a category's deadlines says which levels, from what to what.
    app.patch(
        "/api/v1/categories/0101",
        &w.admin.token,
        json!({"deadline_hours": {"community": 1.5, "district": 120}}),
    )
    .await
    .ok(200);
    let changed = entries(&app, &w.admin.token, "entity=0101").await;
    let update = changed
        .iter()
        .find(|e| e["action"] == "category_update")
        .unwrap();
    let detail = update["detail"].as_str().unwrap();
    assert_eq!(
        detail,
        "deadline_hours.community: 24 → 1.5; deadline_hours.district: 72 → 120"
    );
    assert!(!detail.contains("town"), "only what changed: {detail}");
    // A failed login of an unknown username records the name tried.
    app.login_full("nobody-here", "wrong password")
        .await
        .problem(401, "invalid_credentials");
    let logins = entries(&app, &w.admin.token, "entity=user").await;
    assert!(
        logins
            .iter()
            .any(|e| e["action"] == "login" && e["detail"] == "username=nobody-here"),
        "{logins:?}"
    );
}

/// The log is a hash chain: intact, it verifies with its head hash; one entry edited
/// directly in the database (its triggers set aside, as an intruder with the database's
/// keys would) and verification names that entry.
async fn an_edited_entry_breaks_the_chain(app: TestApp) {
    use diesel::connection::SimpleConnection;
    use gridwork_server::db::DbConn;
    let _w = World::build(&app).await;
    for _ in 0..3 {
        app.login_full("worker1", "wrong password").await;
    }
    let ok = app
        .with_db(|c| gridwork_server::flow::audit::verify(c).map_err(|e| e.to_string()))
        .await
        .unwrap();
    let intact = ok.expect("an intact chain verifies");
    assert!(intact.entries >= 10, "{intact:?}");
    assert_eq!(intact.before_chain, 0);
    assert_eq!(intact.head.len(), 64);
    // Turn one failed login into a success behind the log's back.
    let seq: i64 = app
        .with_db(|c| {
            use diesel::prelude::*;
            use gridwork_server::db::schema::audit_log::dsl as a;
            a::audit_log
                .filter(a::action.eq("login"))
                .filter(a::outcome.eq("failure"))
                .select(a::seq)
                .order(a::seq.asc())
                .first::<i64>(c)
                .unwrap()
        })
        .await;
    app.with_db(move |c| {
        let sql = match c {
            DbConn::Sqlite(_) => format!(
                "DROP TRIGGER audit_log_no_update; \
                 UPDATE audit_log SET outcome = 'success' WHERE seq = {seq};"
            ),
            DbConn::Pg(_) => format!(
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change; \
                 UPDATE audit_log SET outcome = 'success' WHERE seq = {seq}; \
                 ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;"
            ),
        };
        c.batch_execute(&sql).unwrap();
    })
    .await;
    let broken = app
        .with_db(|c| gridwork_server::flow::audit::verify(c).map_err(|e| e.to_string()))
        .await
        .unwrap()
        .expect_err("an edited entry breaks the chain");
    assert_eq!(broken.seq, seq);
    assert!(broken.why.contains("edited"), "{}", broken.why);
    // On PostgreSQL the table also refuses TRUNCATE.
    if app.engine == gridwork_tests::Engine::Postgres {
        let refused = app
            .with_db(|c| c.batch_execute("TRUNCATE audit_log").is_err())
            .await;
        assert!(refused, "TRUNCATE of the audit log must be refused");
    }
}

both_engines!(
    an_edited_entry_breaks_the_chain,
    admins_read_the_audit_log,
    the_audit_says_what_was_read_and_changed
);
