//! The admin's Open311 screens: a category is made public on the settings screen (a dispute
//! cannot be), an API key is issued and shown once, a city's app files a report with it over
//! GeoReport v2 and reads it back, and the key is revoked after a confirmation, after which
//! the same post is refused. Through the screens; the Open311 API checks what happened.

use serde_json::Value;

use crate::support::*;

const PW: &str = gridwork_server::tools::demo::PASSWORD;

/// Posts a GeoReport v2 request with `key` and answers its status and body.
async fn post_request(site: &str, key: &str, lon: f64, lat: f64) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{site}/open311/v2/requests.json"))
        .form(&[
            ("api_key", key),
            ("service_code", "0401"),
            ("lat", &lat.to_string()),
            ("long", &lon.to_string()),
            ("description", "人行道上有一个很深的坑"),
            ("first_name", "小明"),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_opens_a_service_to_open311_and_issues_and_revokes_a_key() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "admin").await;
    element(c, "[data-testid=me-link] a", 60).await;

    // The settings: 0401 made public; a dispute's box cannot be ticked.
    c.goto(&format!("{site}/admin/settings")).await.unwrap();
    let public = "[data-testid=category][data-code='0401'] input[name=public]";
    element(c, public, 60).await;
    let dispute = c
        .execute(
            "const b = document.querySelector(\"[data-testid=category][data-code^='01'] input[name=public]\"); return b ? b.disabled : null;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dispute, Value::Bool(true), "a dispute is never public");
    click(c, public).await;
    until("0401 public", 60, || async {
        let services = reqwest::get(format!("{site}/open311/v2/services.json"))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap_or(Value::Null);
        services
            .as_array()
            .is_some_and(|s| s.iter().any(|x| x["service_code"] == "0401"))
    })
    .await;

    // A key, issued on its screen and shown once.
    c.goto(&format!("{site}/admin/api-keys")).await.unwrap();
    fill(c, "[data-testid=api-keys] input[name=name]", "市民热线").await;
    click(c, "[data-testid=api-keys] button[type=submit]").await;
    element(c, "[data-testid=issued-key]", 60).await;
    let key = value_of(c, "[data-testid=key]").await.unwrap();
    assert_eq!(key.len(), 64, "{key}");
    shot(c, "admin-api-keys").await;

    // A city's app files a report with it and reads it back, without the caller's name.
    let (lon, lat) = inside("500117001001001");
    let (status, body) = post_request(&site, &key, lon, lat).await;
    assert_eq!(status, 201, "{body}");
    let id = body[0]["service_request_id"].as_str().unwrap().to_string();
    let read = reqwest::get(format!("{site}/open311/v2/requests/{id}.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(read.contains("\"status\":\"open\""), "{read}");
    assert!(!read.contains("小明"), "{read}");
    let admin = app.login("admin", PW).await;
    let incident = app.get(&format!("/api/v1/incidents/{id}"), &admin).await;
    assert_eq!(incident.ok(200)["source"], "open311");

    // Revoked after a confirmation: the next post is refused.
    c.refresh().await.unwrap();
    click(c, "[data-testid=api-key] [data-testid=revoke]").await;
    click(c, "[data-testid=revoke-yes]").await;
    element(c, "[data-testid=api-key] [data-testid=revoked]", 60).await;
    let (status, _) = post_request(&site, &key, lon, lat).await;
    assert_eq!(status, 403);
}
