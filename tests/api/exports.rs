//! The list exports (`/incidents/export`, `/persons/export`, `/safety-units/export`): every
//! matching record in scope, as CSV or Excel, with the list's fields as columns; persons
//! masked; formulas defused; each export audited; roles, filters and scope.

use std::io::Read;

use gridwork_tests::fixtures::{IN_CELL_1, IN_TOWN_2, World, incident, report};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

/// The body and headers of an export, as `token` gets it.
async fn export(
    app: &TestApp,
    token: &str,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = app
        .http
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

/// Every item of a list, page after page.
async fn all(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit=500&cursor={c}"),
            None => format!("{path}{sep}limit=500"),
        };
        let page = app.get(&url, token).await;
        let page = page.ok(200).clone();
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

/// The rows of a CSV export (after the byte-order mark), split naively on lines.
fn csv_lines(body: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(body).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    text.lines().map(str::to_string).collect()
}

/// The text of the first sheet of an Excel export.
fn first_sheet(body: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).unwrap();
    let mut sheet = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
    let mut xml = String::new();
    sheet.read_to_string(&mut xml).unwrap();
    xml
}

async fn lists_export_as_files(app: TestApp) {
    let w = World::build(&app).await;
    // A title a spreadsheet would run as a formula, and one in the other town.
    let mut trap = incident("0401", IN_CELL_1, "low");
    trap["title"] = json!("=HYPERLINK(\"http://example.com\",\"点我\")");
    report(&app, &w.worker1.token, trap).await;
    report(&app, &w.worker1.token, incident("0401", IN_CELL_1, "high")).await;
    let other = app.login("town2", gridwork_tests::fixtures::PW).await;
    let elsewhere = report(&app, &other, incident("0401", IN_TOWN_2, "low")).await;

    // Incidents, CSV: every one in scope, the list's fields as the head, formulas defused.
    let (status, headers, body) =
        export(&app, &w.town1.token, "/api/v1/incidents/export?format=csv").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"gridwork-incidents-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    assert_eq!(headers["cache-control"], "no-store");
    let lines = csv_lines(&body);
    assert!(
        lines[0].starts_with("id,category,title,description,lon,lat"),
        "{}",
        lines[0]
    );
    let listed = all(&app, &w.town1.token, "/api/v1/incidents").await;
    assert_eq!(
        lines.len() - 1,
        listed.len(),
        "one row per incident in scope"
    );
    assert!(
        !body
            .windows(36)
            .any(|x| x == elsewhere["id"].as_str().unwrap().as_bytes())
    );
    assert!(
        lines.iter().any(|l| l.contains("\"'=HYPERLINK(")),
        "the formula is written with a leading '"
    );
    // The list's filters.
    let (_, _, body) = export(
        &app,
        &w.town1.token,
        "/api/v1/incidents/export?format=csv&status=reported&category=0401",
    )
    .await;
    let filtered = all(
        &app,
        &w.town1.token,
        "/api/v1/incidents?status=reported&category=0401",
    )
    .await;
    assert_eq!(csv_lines(&body).len() - 1, filtered.len());
    assert!(filtered.len() >= 2);

    // Excel: the same rows, the heads in both languages.
    let (status, headers, body) =
        export(&app, &w.town1.token, "/api/v1/incidents/export?format=xlsx").await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let xml = first_sheet(&body);
    assert_eq!(xml.matches("<row ").count(), listed.len() + 1);
    let mut shared = String::new();
    zip::ZipArchive::new(std::io::Cursor::new(body.clone()))
        .unwrap()
        .by_name("xl/sharedStrings.xml")
        .map(|mut f| f.read_to_string(&mut shared).unwrap())
        .ok();
    let strings = if shared.is_empty() { &xml } else { &shared };
    assert!(strings.contains("标题 title"));
    assert!(strings.contains("&apos;=HYPERLINK") || strings.contains("'=HYPERLINK"));

    // Persons: masked, no address.
    let p = json!({
        "id": uuid::Uuid::new_v4(), "category": "drug_user", "name": "王建华",
        "id_number": "11010519491231002X", "address": "合川区文峰街道白塔路12号3-2",
        "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}, "risk_level": "high",
        "responsible_worker_id": w.worker1.id,
    });
    app.post("/api/v1/persons", &w.town1.token, p).await.ok(201);
    let (status, _, body) = export(&app, &w.town1.token, "/api/v1/persons/export?format=csv").await;
    assert_eq!(status, 200);
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains("id_number_masked") && text.contains("1101**********002X"),
        "{text}"
    );
    assert!(
        !text.contains("11010519491231002X"),
        "no identity number in clear"
    );
    assert!(!text.contains("白塔路"), "no address");
    assert!(!text.contains("address"), "no address column");
    let (status, _, body) =
        export(&app, &w.town1.token, "/api/v1/persons/export?format=xlsx").await;
    assert_eq!(status, 200);
    assert!(!String::from_utf8_lossy(&body).contains("11010519491231002X"));

    // Safety units.
    app.post(
        "/api/v1/safety-units",
        &w.worker1.token,
        json!({"id": uuid::Uuid::new_v4(), "kind": "school", "name": "文峰小学", "address": "文峰路8号",
            "location": {"lon": IN_CELL_1.0, "lat": IN_CELL_1.1}}),
    )
    .await
    .ok(201);
    let (status, _, body) = export(
        &app,
        &w.town1.token,
        "/api/v1/safety-units/export?format=csv&kind=school",
    )
    .await;
    assert_eq!(status, 200);
    let lines = csv_lines(&body);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].contains("文峰小学"));

    // Every export is in the audit log, with its format and filters.
    let log = app
        .get(
            &format!("/api/v1/audit?actor={}&limit=500", w.town1.id),
            &w.admin.token,
        )
        .await;
    let entries: Vec<Value> = log.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "export")
        .cloned()
        .collect();
    assert_eq!(entries.len(), 6, "{entries:?}");
    assert!(entries.iter().any(|e| e["entity_type"] == "person"
        && e["actor_id"] == w.town1.id
        && e["detail"].as_str().unwrap().contains("format=xlsx")));
    assert!(entries.iter().any(|e| e["entity_type"] == "safety_unit"
        && e["detail"].as_str().unwrap().contains("kind=school")));

    // Roles, input, scope: nothing streamed, nothing audited.
    for path in [
        "/api/v1/incidents/export?format=csv",
        "/api/v1/persons/export?format=csv",
        "/api/v1/safety-units/export?format=csv",
    ] {
        app.get(path, &w.worker1.token)
            .await
            .problem(403, "forbidden");
    }
    for path in [
        "/api/v1/incidents/export",
        "/api/v1/incidents/export?format=pdf",
        "/api/v1/incidents/export?format=csv&status=burning",
        "/api/v1/incidents/export?format=csv&limit=5",
        "/api/v1/persons/export?format=csv&due=someday",
        "/api/v1/safety-units/export?format=csv&x=1",
    ] {
        app.get(path, &w.town1.token)
            .await
            .problem(422, "validation_failed");
    }
    let log = app
        .get(
            &format!("/api/v1/audit?actor={}&limit=500", w.town1.id),
            &w.admin.token,
        )
        .await;
    let after = log.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "export")
        .count();
    assert_eq!(after, 6, "refused exports are not audited");
}

both_engines!(lists_export_as_files);
