//! The bell: a supervisor dispatches an incident and the worker's open app counts it in the
//! top bar at once (the live stream wakes a sync round, no reload); the notifications
//! screen names it, opening it leads to the incident and marks it read, and "mark all
//! read" clears the bell. Through the screens only; the API checks what happened.

use serde_json::json;

use crate::support::*;

const PW: &str = gridwork_server::tools::demo::PASSWORD;

/// The number on the bell (0 when it shows none).
async fn unread(c: &fantoccini::Client) -> u64 {
    let v = c
        .execute(
            "const b = document.querySelector('[data-testid=unread]'); return b ? b.textContent : '0';",
            vec![],
        )
        .await
        .unwrap();
    v.as_str().unwrap_or("0").trim().parse().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatch_rings_the_workers_bell_and_leads_to_the_incident() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "worker1").await;
    first_pull(c).await;
    element(c, "[data-testid=bell]", 60).await;
    let before = unread(c).await;
    // Meanwhile, in the office: a volunteer's report is accepted and dispatched to worker1.
    let admin = app.login("admin", PW).await;
    let worker1 = user(&app, &admin, "worker1").await;
    let volunteer = app.login("volunteer1", PW).await;
    let town1 = app.login("town1", PW).await;
    let (lon, lat) = inside("500117001001001");
    let r = app
        .post(
            "/api/v1/incidents",
            &volunteer,
            json!({
                "id": uuid::Uuid::new_v4(),
                "category": "0401",
                "title": "井盖松动有响声",
                "description": "人民路口井盖踩上去晃动",
                "location": {"lon": lon, "lat": lat},
                "occurred_at": chrono::Utc::now().to_rfc3339(),
                "severity": "medium",
            }),
        )
        .await;
    let id = r.ok(201)["id"].as_str().unwrap().to_string();
    for body in [
        json!({"action": "accept", "version": 1}),
        json!({"action": "dispatch", "version": 2, "assignee_id": worker1["id"]}),
    ] {
        app.post(&format!("/api/v1/incidents/{id}/actions"), &town1, body)
            .await
            .ok(200);
    }
    // The open app hears of it at once: its idle sync round is a minute away.
    until("the bell counts the dispatch", 30, || async {
        unread(c).await == before + 1
    })
    .await;
    shot(c, "notifications-bell").await;
    click(c, "[data-testid=bell]").await;
    until("the notification listed", 60, || async {
        text_of(c, "[data-testid=notifications]")
            .await
            .contains("井盖松动有响声")
    })
    .await;
    let first = text_of(c, "[data-testid=notification]").await;
    assert!(first.contains("派给您处置"), "{first}");
    assert!(first.contains("未读"), "{first}");
    shot(c, "notifications").await;
    // Opening it leads to the incident, and it is read, on the phone and on the server.
    click(c, "[data-testid=notification] button").await;
    until("the incident opened", 60, || async {
        text_of(c, "[data-testid=facts]")
            .await
            .contains("井盖松动有响声")
            || c.current_url().await.unwrap().path().ends_with(&id)
    })
    .await;
    until("the bell counts one less", 60, || async {
        unread(c).await == before
    })
    .await;
    let token = app.login("worker1", PW).await;
    let list = app.get("/api/v1/me/notifications", &token).await;
    let mine = list.ok(200)["items"].as_array().unwrap().clone();
    let n = mine.iter().find(|n| n["entity_id"] == id.as_str()).unwrap();
    assert_eq!(n["kind"], "incident_dispatched");
    assert_eq!(n["read"], true);
    // "Mark all read" clears the bell.
    if before > 0 {
        click(c, "[data-testid=bell]").await;
        click(c, "[data-testid=mark-all-read]").await;
        until("the bell cleared", 60, || async { unread(c).await == 0 }).await;
        let unread_left = app
            .get("/api/v1/me/notifications?unread=true", &token)
            .await;
        assert!(unread_left.ok(200)["items"].as_array().unwrap().is_empty());
    }
}
