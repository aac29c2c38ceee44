//! Open311 GeoReport v2 at `/open311/v2`: the public categories as services, their incidents
//! as service requests without personal data, posts with an admin-issued API key, the
//! specification's errors in JSON and XML; and the admin's API keys and public flags.

use gridwork_tests::fixtures::{IN_CELL_1, World, incident, report, step};
use gridwork_tests::{TestApp, both_engines};
use reqwest::Method;
use serde_json::{Value, json};

/// A GET on the server's root: status, content type and body text.
async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let r = app
        .http
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ct, r.text().await.unwrap())
}

async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let (status, ct, text) = get(app, path).await;
    assert!(ct.starts_with("application/json"), "{path}: {ct} {text}");
    (status, serde_json::from_str(&text).unwrap())
}

/// A form post: status and body as JSON.
async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = app
        .http
        .post(format!("{}{path}", app.base))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Asserts an Open311 JSON error `[{code, description}]` with this status.
#[track_caller]
fn assert_error(status: u16, text: &str, want: u16) {
    assert_eq!(status, want, "{text}");
    let v: Value = serde_json::from_str(text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    assert_eq!(v[0]["code"], want, "{text}");
    assert!(v[0]["description"].is_string(), "{text}");
}

async fn make_public(app: &TestApp, admin: &str, code: &str) {
    let c = app
        .patch(
            &format!("/api/v1/categories/{code}"),
            admin,
            json!({"public": true}),
        )
        .await;
    assert_eq!(c.ok(200)["public"], true);
}

async fn issue_key(app: &TestApp, admin: &str, name: &str) -> (String, String) {
    let r = app
        .post("/api/v1/api-keys", admin, json!({"name": name}))
        .await;
    let b = r.ok(201);
    assert_eq!(b["name"], name);
    let key = b["key"].as_str().unwrap().to_string();
    assert_eq!(key.len(), 64);
    (b["id"].as_str().unwrap().to_string(), key)
}

/// Services list only public categories, in JSON and in XML of the specification's shape;
/// disputes can never be public.
async fn services_are_the_public_categories(app: TestApp) {
    let w = World::build(&app).await;
    let admin = w.admin.token.as_str();
    let (status, v) = get_json(&app, "/open311/v2/services.json").await;
    assert_eq!(status, 200);
    assert_eq!(v, json!([]));
    make_public(&app, admin, "0502").await;
    make_public(&app, admin, "0401").await;
    // A dispute is never public: 422, and it stays private.
    app.patch("/api/v1/categories/0101", admin, json!({"public": true}))
        .await
        .problem(422, "validation_failed");
    // Only admins change categories.
    app.patch(
        "/api/v1/categories/0501",
        &w.district.token,
        json!({"public": true}),
    )
    .await
    .problem(403, "forbidden");
    let (_, v) = get_json(&app, "/open311/v2/services.json").await;
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["0401", "0502"]);
    let lamp = &v[1];
    assert_eq!(lamp["service_name"], "路灯故障");
    assert_eq!(lamp["metadata"], false);
    assert_eq!(lamp["type"], "realtime");
    assert!(lamp["group"].is_string() && lamp["keywords"].is_string());
    // English on request.
    let r = app
        .http
        .get(format!("{}/open311/v2/services.json", app.base))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    let en: Value = r.json().await.unwrap();
    assert_eq!(en[1]["service_name"], "Street light out");
    // XML: <services><service>…</service></services>.
    let (status, ct, xml) = get(&app, "/open311/v2/services.xml").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/xml"), "{ct}");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "services");
    let services: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(services.len(), 2);
    assert!(services.iter().all(|s| s.tag_name().name() == "service"));
    let code = |s: &roxmltree::Node, tag: &str| {
        s.children()
            .find(|c| c.tag_name().name() == tag)
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    assert_eq!(code(&services[1], "service_code").as_deref(), Some("0502"));
    assert_eq!(code(&services[1], "metadata").as_deref(), Some("false"));
    // The categories' wire type says which are public.
    let cats = app.get("/api/v1/categories", admin).await;
    let public: Vec<&str> = cats
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["public"] == true)
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(public, ["0401", "0502"]);
    // Discovery, and an unknown format.
    let (status, d) = get_json(&app, "/open311/v2/discovery.json").await;
    assert_eq!(status, 200);
    assert!(
        d["endpoints"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/open311/v2")
    );
    let (status, _, xml) = get(&app, "/open311/v2/discovery.xml").await;
    assert_eq!(status, 200);
    roxmltree::Document::parse(&xml).unwrap();
    let (status, _, text) = get(&app, "/open311/v2/services.csv").await;
    assert_error(status, &text, 404);
}

/// Requests: only incidents of public categories, no personal data, rounded coordinates,
/// the cell's name as address, the filters and the open/closed status.
async fn requests_show_public_incidents_without_personal_data(app: TestApp) {
    let w = World::build(&app).await;
    let admin = w.admin.token.as_str();
    make_public(&app, admin, "0502").await;
    let at = (106.004_567_8, 29.006_543_2);
    let open = report(&app, &w.worker1.token, incident("0502", at, "low")).await;
    let open_id = open["id"].as_str().unwrap().to_string();
    let rejected = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    let rejected_id = rejected["id"].as_str().unwrap().to_string();
    step(
        &app,
        &w.town1.token,
        &rejected_id,
        "reject",
        json!({"note": "不属于网格事项"}),
    )
    .await
    .ok(200);
    // Not public: never shown.
    let private = report(&app, &w.worker1.token, incident("0301", IN_CELL_1, "low")).await;
    let private_id = private["id"].as_str().unwrap().to_string();

    let (status, v) = get_json(&app, "/open311/v2/requests.json").await;
    assert_eq!(status, 200);
    let list = v.as_array().unwrap();
    let ids: Vec<&str> = list
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [rejected_id.as_str(), open_id.as_str()]);
    let r = &list[1];
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "0502");
    assert_eq!(r["service_name"], "路灯故障");
    assert_eq!(r["address"], "网格500117001001001");
    assert_eq!(r["lat"], 29.0065);
    assert_eq!(r["long"], 106.0046);
    assert_eq!(r["description"], "三单元楼道堆满纸箱，影响通行");
    for field in [
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    ] {
        let t = r[field].as_str().unwrap();
        assert!(t.ends_with("+08:00") && t.len() == 25, "{field}: {t}");
        chrono::DateTime::parse_from_rfc3339(t).unwrap();
    }
    let text = v.to_string();
    for personal in [
        w.worker1.id.as_str(),
        "worker1",
        "reporter",
        "assignee",
        "title",
    ] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    assert_eq!(list[0]["status"], "closed");

    // Filters.
    let (_, v) = get_json(&app, "/open311/v2/requests.json?status=open").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["service_request_id"], open_id.as_str());
    let (_, v) = get_json(&app, "/open311/v2/requests.json?status=closed").await;
    assert_eq!(v[0]["service_request_id"], rejected_id.as_str());
    assert_eq!(v.as_array().unwrap().len(), 1);
    let (_, v) = get_json(&app, "/open311/v2/requests.json?service_code=0401").await;
    assert_eq!(v, json!([]));
    let (_, v) = get_json(
        &app,
        &format!(
            "/open311/v2/requests.json?service_request_id={open_id},{private_id}&status=closed"
        ),
    )
    .await;
    assert_eq!(
        v.as_array().unwrap().len(),
        1,
        "ids override the other filters"
    );
    let future = (chrono::Utc::now() + chrono::Duration::days(1))
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
        .replace('+', "%2B");
    let (_, v) = get_json(
        &app,
        &format!("/open311/v2/requests.json?start_date={future}"),
    )
    .await;
    assert_eq!(v, json!([]));
    let (status, _, text) = get(&app, "/open311/v2/requests.json?start_date=yesterday").await;
    assert_error(status, &text, 400);
    // After 90 days the default window no longer holds them.
    app.advance(chrono::Duration::days(91));
    let (_, v) = get_json(&app, "/open311/v2/requests.json").await;
    assert_eq!(v, json!([]));

    // One by id; a private or unknown one is 404.
    let (status, v) = get_json(&app, &format!("/open311/v2/requests/{open_id}.json")).await;
    assert_eq!(status, 200);
    assert_eq!(v[0]["service_request_id"], open_id.as_str());
    for id in [
        private_id.as_str(),
        "0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
        "nope",
    ] {
        let (status, _, text) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
        assert_error(status, &text, 404);
    }
    let (status, _, xml) = get(&app, &format!("/open311/v2/requests/{private_id}.xml")).await;
    assert_eq!(status, 404);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "errors");
    let (status, _, xml) = get(&app, &format!("/open311/v2/requests/{open_id}.xml")).await;
    assert_eq!(status, 200);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "service_requests");
    let request = doc.root_element().first_element_child().unwrap();
    assert_eq!(request.tag_name().name(), "request");
    let lat = request
        .children()
        .find(|c| c.tag_name().name() == "lat")
        .and_then(|c| c.text());
    assert_eq!(lat, Some("29.0065"));
}

/// A post with a valid key registers an incident (source open311, community level) with
/// the contact stored encrypted; a missing, unknown or revoked key is 403; the point off
/// the grid or missing is 400; a service that is not public is 404.
async fn posting_with_an_api_key(app: TestApp) {
    let w = World::build(&app).await;
    let admin = w.admin.token.as_str();
    make_public(&app, admin, "0502").await;
    let (key_id, key) = issue_key(&app, admin, "市民热线").await;
    let lat = IN_CELL_1.1.to_string();
    let lon = IN_CELL_1.0.to_string();
    let (status, text) = post_form(
        &app,
        "/open311/v2/requests.json",
        &[
            ("api_key", key.as_str()),
            ("service_code", "0502"),
            ("lat", lat.as_str()),
            ("long", lon.as_str()),
            ("description", "路灯不亮\n已经三天"),
            ("email", "citizen@example.cn"),
            ("first_name", "明"),
            ("last_name", "李"),
            ("phone", "+86 138 0000 0000"),
            ("jurisdiction_id", "cq.hc"),
            ("device_id", "abc"),
            ("attribute[WHISKEY]", "neat"),
            ("media_url", "https://example.cn/lamp.jpg"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let id = v[0]["service_request_id"].as_str().unwrap().to_string();
    assert!(v[0]["service_notice"].is_string());
    assert!(v[0]["account_id"].is_null());
    // Visible to the district as an incident from Open311 at community level.
    let i = app
        .get(&format!("/api/v1/incidents/{id}"), &w.district.token)
        .await;
    let i = i.ok(200);
    assert_eq!(i["source"], "open311");
    assert_eq!(i["level"], "community");
    assert_eq!(i["status"], "reported");
    assert_eq!(i["cell_code"], "500117001001001");
    assert_eq!(i["title"], "路灯不亮");
    let list = app.get("/api/v1/incidents", &w.district.token).await;
    let item = list.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(item["source"], "open311");
    // An incident reported in the app says so.
    let own = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    assert_eq!(own["source"], "app");
    // Shown by Open311 without the contact.
    let (_, _, text) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert!(text.contains(&id));
    for personal in ["citizen@example.cn", "138", "李"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    // The contact is stored encrypted, never in clear.
    let stored = app
        .with_db(move |c| {
            use diesel::prelude::*;
            diesel::sql_query(
                "SELECT COALESCE(email_enc, '') || ' ' || COALESCE(phone_enc, '') AS t \
                 FROM open311_contacts",
            )
            .load::<Text>(c)
            .unwrap()
        })
        .await;
    assert_eq!(stored.len(), 1);
    assert!(stored[0].t.starts_with("v1."), "{}", stored[0].t);
    assert!(!stored[0].t.contains("citizen"));

    // XML answers the same way.
    let (status, text) = post_form(
        &app,
        "/open311/v2/requests.xml",
        &[
            ("api_key", key.as_str()),
            ("service_code", "0502"),
            ("lat", lat.as_str()),
            ("long", lon.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 201, "{text}");
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "service_requests");

    // Refusals.
    let base = [
        ("service_code", "0502"),
        ("lat", lat.as_str()),
        ("long", lon.as_str()),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut f: Vec<(&str, &str)> = base.to_vec();
        f.extend_from_slice(extra);
        f
    };
    let (status, text) = post_form(&app, "/open311/v2/requests.json", &base).await;
    assert_error(status, &text, 403);
    let (status, text) = post_form(
        &app,
        "/open311/v2/requests.json",
        &with(&[("api_key", "not-a-key")]),
    )
    .await;
    assert_error(status, &text, 403);
    let (status, text) = post_form(
        &app,
        "/open311/v2/requests.xml",
        &with(&[("api_key", "not-a-key")]),
    )
    .await;
    assert_eq!(status, 403);
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "errors");
    let code = doc
        .descendants()
        .find(|n| n.tag_name().name() == "code")
        .and_then(|n| n.text());
    assert_eq!(code, Some("403"));
    let post = |form: Vec<(&'static str, String)>| {
        let app = &app;
        let key = key.clone();
        async move {
            let mut f: Vec<(&str, &str)> = vec![("api_key", key.as_str())];
            f.extend(form.iter().map(|(k, v)| (*k, v.as_str())));
            post_form(app, "/open311/v2/requests.json", &f).await
        }
    };
    // Outside the grid.
    let (status, text) = post(vec![
        ("service_code", "0502".into()),
        ("lat", "39.9".into()),
        ("long", "116.4".into()),
    ])
    .await;
    assert_error(status, &text, 400);
    // No latitude.
    let (status, text) = post(vec![("service_code", "0502".into()), ("long", lon.clone())]).await;
    assert_error(status, &text, 400);
    // Unknown and private services.
    for code in ["0503", "0101", "7777"] {
        let (status, text) = post(vec![
            ("service_code", code.into()),
            ("lat", lat.clone()),
            ("long", lon.clone()),
        ])
        .await;
        assert_error(status, &text, 404);
    }
    // Too long a description.
    let (status, text) = post(vec![
        ("service_code", "0502".into()),
        ("lat", lat.clone()),
        ("long", lon.clone()),
        ("description", "长".repeat(4001)),
    ])
    .await;
    assert_error(status, &text, 400);

    // Revoked: refused at once.
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/api-keys/{key_id}"),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    let (status, text) = post(vec![
        ("service_code", "0502".into()),
        ("lat", lat.clone()),
        ("long", lon.clone()),
    ])
    .await;
    assert_error(status, &text, 403);
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

/// Only admins manage keys; the key is shown once and never listed; create and revoke are
/// audited; the key's user never signs in.
async fn admins_manage_api_keys(app: TestApp) {
    let w = World::build(&app).await;
    let admin = w.admin.token.as_str();
    for token in [&w.district.token, &w.worker1.token, &w.volunteer.token] {
        app.post("/api/v1/api-keys", token, json!({"name": "x"}))
            .await
            .problem(403, "forbidden");
        app.get("/api/v1/api-keys", token)
            .await
            .problem(403, "forbidden");
        app.call(
            Method::DELETE,
            "/api/v1/api-keys/0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
            Some(token),
            None,
        )
        .await
        .problem(403, "forbidden");
    }
    app.post("/api/v1/api-keys", admin, json!({"name": ""}))
        .await
        .problem(422, "validation_failed");
    let (id, key) = issue_key(&app, admin, "Citizen app").await;
    let (_, key2) = issue_key(&app, admin, "Hotline").await;
    assert_ne!(key, key2);
    let list = app.get("/api/v1/api-keys", admin).await;
    assert!(!list.text.contains(&key) && !list.text.contains(&key2));
    let list = list.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["id"], id.as_str());
    assert_eq!(list[1]["name"], "Citizen app");
    assert!(list[1]["revoked_at"].is_null());
    assert!(list[1].get("key").is_none());
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/api-keys/{id}"),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(r.status.as_u16(), 204);
    let list = app.get("/api/v1/api-keys", admin).await;
    assert!(list.ok(200)["items"][1]["revoked_at"].is_string());
    // Pages follow the cursor.
    let first = app.get("/api/v1/api-keys?limit=1", admin).await;
    let first = first.ok(200).clone();
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let next = first["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/api/v1/api-keys?limit=1&cursor={next}"), admin)
        .await;
    assert_eq!(rest.ok(200)["items"][0]["id"], id.as_str());
    app.call(
        Method::DELETE,
        "/api/v1/api-keys/0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
        Some(admin),
        None,
    )
    .await
    .problem(404, "not_found");
    let log = app.get("/api/v1/audit", admin).await;
    let actions: Vec<&str> = log.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity_id"] == id.as_str())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["api_key_revoke", "api_key_create"]);
    assert!(!log.text.contains(&key));
    // The key's own user is inactive and cannot be turned into a login.
    let users = app.get("/api/v1/users?active=false", admin).await;
    let key_user = users.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["display_name"] == "Open311 · Citizen app")
        .cloned()
        .expect("the key's user");
    app.patch(
        &format!("/api/v1/users/{}", key_user["id"].as_str().unwrap()),
        admin,
        json!({"active": true, "password": "a-new-password-1"}),
    )
    .await
    .problem(422, "validation_failed");
}

both_engines!(
    services_are_the_public_categories,
    requests_show_public_incidents_without_personal_data,
    posting_with_an_api_key,
    admins_manage_api_keys,
);
