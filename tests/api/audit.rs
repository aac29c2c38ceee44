use gridwork_tests::fixtures::{PW, World};
use gridwork_tests::{TestApp, both_engines};

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

both_engines!(admins_read_the_audit_log);
