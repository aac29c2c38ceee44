//! The person screens: a town supervisor registers a person, finds it masked in the list,
//! opens the full record for a reason (audited) and finds it masked again after leaving;
//! edits, transfers and archives a person; a worker records a visit 2 km from the person's
//! registered address (the GPS emulated through DevTools) and sees how far it was, and the
//! supervisor sees the same visit with its distance and photo.

use fantoccini::{Client, Locator};
use gridwork_server::tools::demo::PASSWORD;
use gridwork_tests::TestApp;
use serde_json::{Value, json};

use crate::support::*;

/// A GB 11643 identity number: the first 17 characters and the one check character that
/// makes it valid.
fn with_check_digit(first17: &str) -> String {
    "0123456789X"
        .chars()
        .map(|c| format!("{first17}{c}"))
        .find(|n| gridwork_shared::person::id_number_valid(n))
        .expect("one check character fits")
}

/// First 4 and last 4 kept.
fn masked(n: &str) -> String {
    format!(
        "{}{}{}",
        &n[..4],
        "*".repeat(n.len() - 8),
        &n[n.len() - 4..]
    )
}

/// Scrolls the element to the middle of the screen, clear of the sticky top bar, and taps
/// it.
async fn tap(c: &Client, css: &str) {
    let e = element(c, css, 30).await;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![serde_json::to_value(&e).unwrap()],
    )
    .await
    .unwrap();
    e.click().await.unwrap();
}

async fn path_of(c: &Client) -> String {
    c.current_url()
        .await
        .map(|u| u.path().to_string())
        .unwrap_or_default()
}

/// A person as the list shows it to `token` (archived ones too).
async fn listed(app: &TestApp, token: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/persons?id={id}&archived=true"), token)
        .await
        .body["items"][0]
        .clone()
}

/// A demo person by name, as the list shows it to `token`.
async fn demo_person(app: &TestApp, token: &str, name: &str) -> Value {
    app.get("/api/v1/persons?limit=500", token).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_town_supervisor_registers_a_person_and_opens_the_full_record() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let town = app.login("town1", PASSWORD).await;
    let admin = app.login("admin", PASSWORD).await;
    let town_id = app.get("/api/v1/me", &town).await.body["id"].clone();
    let worker1 = user(&app, &town, "worker1").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let name = "测试登记人甲";
    let number = with_check_digit("50011719900307123");
    let address = "合川区文峰街道白塔路12号3-2";
    let (lon, lat) = inside("500117001001003");

    login(c, &site, "town1").await;
    element(c, "[data-testid=map-link]", 60).await;
    c.goto(&format!("{site}/persons/new")).await.unwrap();
    let form = "[data-testid=person-new]";
    element(c, &format!("{form} select[name=category]"), 30).await;
    // Nothing is chosen until the supervisor chooses it.
    for select in ["category", "risk", "worker"] {
        assert_eq!(
            value_of(c, &format!("{form} select[name={select}]"))
                .await
                .unwrap_or_default(),
            "",
            "{select} starts on choose…"
        );
    }
    // Sending too early names what is missing, in the interface's language.
    tap(c, &format!("{form} button[type=submit]")).await;
    until("what is missing", 30, || async {
        let says = text_of(c, &format!("{form} [role=alert]")).await;
        says.contains("请选择类别") && says.contains("请选择责任网格员")
    })
    .await;
    choose(c, &format!("{form} select[name=category]"), "drug_user").await;
    fill(c, "input[name=name]", name).await;
    // A wrong check digit is caught on the phone.
    let wrong = format!(
        "{}{}",
        &number[..17],
        if number.ends_with('0') { '1' } else { '0' }
    );
    fill(c, "input[name=id_number]", &wrong).await;
    element(c, "[data-testid=id-number-error]", 10).await;
    fill(c, "input[name=id_number]", &number).await;
    until("the identity number accepted", 10, || async {
        c.find(Locator::Css("[data-testid=id-number-error]"))
            .await
            .is_err()
    })
    .await;
    fill(c, "input[name=address]", address).await;
    fill(c, "input[name=lon]", &format!("{lon:.6}")).await;
    fill(c, "input[name=lat]", &format!("{lat:.6}")).await;
    until("the cell found on the phone", 60, || async {
        text_of(c, &format!("{form} [data-testid=cell]"))
            .await
            .contains("500117001001003")
    })
    .await;
    choose(c, &format!("{form} select[name=risk]"), "high").await;
    choose_offered(c, &format!("{form} select[name=worker]"), &worker1).await;
    shot(c, "person-new").await;
    tap(c, &format!("{form} button[type=submit]")).await;

    // The new record's page.
    until("the new person's page", 30, || async {
        path_of(c).await.len() == "/persons/".len() + 36 && text_of(c, "h1").await.contains(name)
    })
    .await;
    let id = path_of(c).await["/persons/".len()..].to_string();
    let item = listed(&app, &town, &id).await;
    assert_eq!(item["name"], name);
    assert_eq!(item["category"], "drug_user");
    assert_eq!(item["risk_level"], "high");
    assert_eq!(item["responsible_worker_id"], worker1.as_str());
    assert_eq!(item["cell_code"], "500117001001003");
    assert_eq!(item["id_number_masked"], masked(&number));

    // The list: the new person, masked.
    tap(c, "main a[href='/persons']").await;
    let row = format!("[data-person='{id}']");
    until("the new person in the list", 30, || async {
        text_of(c, &format!("{row} [data-testid=masked]")).await == masked(&number)
    })
    .await;
    let shown = text_of(c, "main").await;
    assert!(
        !shown.contains(&number) && !shown.contains(address),
        "{shown}"
    );
    shot(c, "persons").await;
    // The list as an Excel file: downloaded, and the export in the audit log.
    click(c, "[data-testid=export-persons-xlsx]").await;
    until("the export downloaded", 60, || async {
        text_of(c, "[data-testid=export-file]")
            .await
            .contains(".xlsx")
    })
    .await;
    let log = app.get("/api/v1/audit?limit=50", &admin).await;
    assert!(
        log.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "export" && e["entity_type"] == "person"),
        "the export is audited"
    );

    // The record, masked: no full number, no address.
    tap(c, &format!("{row} a")).await;
    until("the record, masked", 30, || async {
        text_of(c, "[data-testid=id-number]").await == masked(&number)
    })
    .await;
    assert!(
        !text_of(c, "[data-testid=person-record]")
            .await
            .contains(address)
    );
    shot(c, "person").await;

    // The full record needs a reason.
    tap(c, "[data-testid=show-full]").await;
    tap(c, "[data-testid=show-full-submit]").await;
    until("a reason asked for", 10, || async {
        text_of(c, "[data-testid=reason-form] [role=alert]")
            .await
            .contains("请填写查看理由")
    })
    .await;
    let reason = "核实走访情况（登记后复核）";
    fill(c, "input[name=reason]", reason).await;
    tap(c, "[data-testid=show-full-submit]").await;
    until("the full record", 30, || async {
        text_of(c, "[data-testid=id-number]").await == number
            && text_of(c, "[data-testid=address]").await == address
    })
    .await;
    element(c, "[data-testid=full-shown]", 5).await;
    shot(c, "person-full").await;

    // The read is audited with its reason.
    let views = gridwork_tests::fixtures::person_views(&app, &admin, &id).await;
    assert_eq!(views.len(), 1, "{views:?}");
    assert_eq!(views[0]["reason"], reason);
    assert_eq!(views[0]["actor_id"], town_id);
    assert_eq!(views[0]["outcome"], "success");

    // Nothing of the full record is kept on the phone.
    let held = records_held(c, &town_id).await;
    assert!(
        !held.is_empty(),
        "the supervisor's records are on the phone"
    );
    assert!(held.iter().all(|r| !r.contains(&number)));
    let stored = c
        .execute("return JSON.stringify(localStorage)", vec![])
        .await
        .unwrap();
    assert!(!stored.as_str().unwrap().contains(&number));

    // Leaving and coming back: masked again.
    tap(c, "main a[href='/persons']").await;
    until("the list again", 30, || async {
        c.find(Locator::Css(&row)).await.is_ok()
    })
    .await;
    c.back().await.unwrap();
    until("the record masked again", 30, || async {
        path_of(c).await == format!("/persons/{id}")
            && text_of(c, "[data-testid=id-number]").await == masked(&number)
    })
    .await;
    assert!(
        !text_of(c, "[data-testid=person-record]")
            .await
            .contains(address)
    );
    assert!(
        c.find(Locator::Css("[data-testid=full-shown]"))
            .await
            .is_err()
    );
    element(c, "[data-testid=show-full]", 5).await;
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_filters_edits_transfers_and_archives_a_person() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let town = app.login("town1", PASSWORD).await;
    let worker2 = user(&app, &town, "worker2").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let person = demo_person(&app, &town, "刘德明").await;
    let id = person["id"].as_str().unwrap().to_string();

    login(c, &site, "town1").await;
    element(c, "[data-testid=map-link]", 60).await;
    c.goto(&format!("{site}/persons")).await.unwrap();
    let list = "[data-testid=persons-list]";
    // The filters give what the API gives.
    for (select, value, query) in [
        (
            "category",
            "released_prisoner",
            "category=released_prisoner",
        ),
        ("category", "", ""),
        ("due", "overdue", "due=overdue"),
    ] {
        choose(c, &format!("select[name={select}]"), value).await;
        let want: Vec<String> = app
            .get(&format!("/api/v1/persons?limit=500&{query}"), &town)
            .await
            .body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect();
        assert!(!want.is_empty(), "{query}");
        until(&format!("the list filtered by {query:?}"), 30, || async {
            attrs(c, &format!("{list} [data-person]"), "data-person").await == want
        })
        .await;
    }
    // 陈志强 (high risk, registered ten days ago) is overdue; 刘德明 is not.
    let shown = text_of(c, list).await;
    assert!(
        shown.contains("陈志强") && !shown.contains("刘德明"),
        "{shown}"
    );
    choose(c, "select[name=due]", "").await;
    tap(c, &format!("[data-person='{id}'] a")).await;
    tap(c, "[data-testid=edit]").await;

    // The form shows the record as it is.
    let form = "[data-testid=edit-form]";
    until("the edit form", 30, || async {
        value_of(c, &format!("{form} select[name=risk]"))
            .await
            .as_deref()
            == Some("medium")
    })
    .await;
    assert_eq!(
        value_of(c, &format!("{form} select[name=category]"))
            .await
            .as_deref(),
        Some("released_prisoner")
    );
    assert_eq!(
        value_of(c, "select[name=transfer_to]")
            .await
            .unwrap_or_default(),
        ""
    );
    shot(c, "person-edit").await;

    // An edit.
    choose(c, &format!("{form} select[name=risk]"), "high").await;
    tap(c, "[data-testid=save]").await;
    until("saved", 30, || async {
        text_of(c, "[data-testid=edit-done]")
            .await
            .contains("已保存")
    })
    .await;
    let after = listed(&app, &town, &id).await;
    assert_eq!(after["risk_level"], "high");
    assert_eq!(after["version"], person["version"].as_i64().unwrap() + 1);
    until("the form read again after the save", 30, || async {
        element(c, form, 5)
            .await
            .attr("data-version")
            .await
            .ok()
            .flatten()
            == Some(after["version"].to_string())
    })
    .await;

    // Someone else changes it meanwhile: the save is refused, said so, and the form shows
    // the record as it is now.
    app.patch(
        &format!("/api/v1/persons/{id}"),
        &town,
        json!({"version": after["version"], "category": "drug_user"}),
    )
    .await
    .ok(200);
    choose(c, &format!("{form} select[name=risk]"), "low").await;
    tap(c, "[data-testid=save]").await;
    until(
        "the conflict in words, and the record read again",
        30,
        || async {
            text_of(c, "main [role=alert]")
                .await
                .contains("已被他人修改")
                && value_of(c, &format!("{form} select[name=category]"))
                    .await
                    .as_deref()
                    == Some("drug_user")
                && value_of(c, &format!("{form} select[name=risk]"))
                    .await
                    .as_deref()
                    == Some("high")
        },
    )
    .await;
    assert_eq!(listed(&app, &town, &id).await["risk_level"], "high");

    // A transfer to the community's other worker.
    let option = format!("select[name=transfer_to] option[value='{worker2}']");
    element(c, &option, 30).await;
    choose(c, "select[name=transfer_to]", &worker2).await;
    tap(c, "[data-testid=transfer]").await;
    until("transferred", 30, || async {
        text_of(c, "[data-testid=edit-done]")
            .await
            .contains("已移交")
    })
    .await;
    assert_eq!(
        listed(&app, &town, &id).await["responsible_worker_id"],
        worker2.as_str()
    );

    // Archiving asks first.
    tap(c, "[data-testid=archive-ask]").await;
    assert!(
        text_of(c, "[data-testid=archive]")
            .await
            .contains("确定归档")
    );
    tap(c, "[data-testid=archive-yes]").await;
    until(
        "back on the list, without the archived person",
        30,
        || async {
            path_of(c).await == "/persons"
                && text_of(c, list).await.contains("陈志强")
                && !text_of(c, list).await.contains("刘德明")
        },
    )
    .await;
    assert_eq!(listed(&app, &town, &id).await["active"], false);
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_visits_two_km_away_and_the_supervisor_sees_how_far() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let worker = app.login("worker1", PASSWORD).await;
    let person = demo_person(&app, &worker, "刘德明").await;
    let id = person["id"].as_str().unwrap().to_string();
    let (lon, lat) = (
        person["location"]["lon"].as_f64().unwrap(),
        person["location"]["lat"].as_f64().unwrap(),
    );
    // 2 km east of the registered address (at 30° N a degree of longitude is 96.4 km).
    let away = lon + 2.0 / 96.4;
    let note = "在外地务工，电话联系后上门";

    login(c, &site, "worker1").await;
    first_pull(c).await;
    // A poor fix first: the map opens on it, and nothing can be sent until a place is known.
    gps(c, &site, away, lat, 300.0).await;
    c.goto(&format!("{site}/persons/{id}")).await.unwrap();
    tap(c, "[data-testid=record-visit]").await;
    until("the map opened on the poor fix", 60, || async {
        text_of(c, "[data-testid=position-trouble]")
            .await
            .contains("定位不准")
            && c.find(Locator::Css("[data-testid=pick-map][data-cells]"))
                .await
                .is_ok()
    })
    .await;
    choose(c, "select[name=outcome]", "met").await;
    tap(c, "button[type=submit]").await;
    until("a position asked for", 10, || async {
        text_of(c, "main [role=alert]")
            .await
            .contains("请先确定您所在的位置")
    })
    .await;
    // A tap on the map is a position…
    tap(c, "[data-testid=pick-map]").await;
    assert!(position_taken(c).await.contains("在地图上点选"));
    // …and so is a good fix, with its accuracy shown.
    gps(c, &site, away, lat, 8.0).await;
    tap(c, "[data-testid=locate]").await;
    until("the good fix", 30, || async {
        text_of(c, "[data-testid=position-status]")
            .await
            .contains("±8")
    })
    .await;
    fill(c, "textarea[name=note]", note).await;
    attach_photo(c).await;
    shot(c, "visit-position").await;
    tap(c, "button[type=submit]").await;

    // The person's page: the visit waits, then shows how far it was made, and its photo.
    until("the visit with its distance and far flag", 60, || async {
        text_of(c, "[data-testid=visit] [data-testid=far]")
            .await
            .contains("偏离住址")
    })
    .await;
    let visits = app
        .get(&format!("/api/v1/persons/{id}/visits"), &worker)
        .await;
    let visit = visits.ok(200)["items"][0].clone();
    assert_eq!(visit["note"], note);
    assert_eq!(visit["far"], true);
    let d = visit["distance_m"].as_f64().unwrap();
    assert!((1900.0..2100.0).contains(&d), "about 2 km: {d}");
    let (vlon, vlat) = (
        visit["location"]["lon"].as_f64().unwrap(),
        visit["location"]["lat"].as_f64().unwrap(),
    );
    assert!(
        (vlon - away).abs() < 1e-5 && (vlat - lat).abs() < 1e-5,
        "the visit carries where the phone was, not the registered address: {vlon}, {vlat}"
    );
    let metres = format!("{} 米", d.round());
    assert!(
        text_of(c, "[data-testid=visit] [data-testid=distance]")
            .await
            .contains(&metres),
        "{metres}"
    );
    until("the visit's photo", 60, || async {
        c.find(Locator::Css(
            "[data-testid=visit] [data-testid=photo-thumb] img",
        ))
        .await
        .is_ok()
    })
    .await;
    until("nothing left to send", 30, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 0")
    })
    .await;
    shot(c, "person-visit-far").await;

    // The supervisor sees the same visit, its distance, who made it and its photo.
    tap(c, "[data-testid=logout]").await;
    login_screen(c).await;
    login(c, &site, "town1").await;
    element(c, "[data-testid=map-link]", 60).await;
    c.goto(&format!("{site}/persons/{id}")).await.unwrap();
    let row = format!("[data-visit='{}']", visit["id"].as_str().unwrap());
    until("the worker's visit for the supervisor", 30, || async {
        let shown = text_of(c, &row).await;
        shown.contains(&metres) && shown.contains("偏离住址") && shown.contains("文峰社区网格员甲")
    })
    .await;
    tap(c, &format!("{row} [data-testid=photo-thumb]")).await;
    element(c, &format!("{row} [data-testid=photo-full] img"), 30).await;
    shot(c, "person-visits").await;
    let _ = b.client.clone().close().await;
}
