//! The responsibility system in the browser: a town supervisor dispatches an incident to a
//! department, whose staff member finds it in their list, starts and resolves it, and the
//! town verifies it; a town supervisor reports a task's cumulative progress with no network,
//! which syncs and shows on the district's task page, where the district scores the unit;
//! an admin creates a department and a member of its staff, reads the performance records,
//! downloads their export, takes a snapshot, sees its SHA-256 and downloads its document.
//! Through the screens; the API checks what happened.

use fantoccini::{Client, Locator};
use gridwork_tests::TestApp;
use serde_json::{Value, json};
use sha2::Digest;

use crate::support::*;

const PW: &str = gridwork_server::tools::demo::PASSWORD;

/// The incident `id` as `token` reads it.
async fn incident(app: &TestApp, token: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/incidents/{id}"), token)
        .await
        .ok(200)
        .clone()
}

/// The demo department with `code`, as the API lists it.
async fn department(app: &TestApp, token: &str, code: &str) -> Value {
    app.get("/api/v1/departments", token)
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap()
        .clone()
}

/// The task whose code ends with `suffix` (this year's demo task), as `token` lists it.
async fn task(app: &TestApp, token: &str, suffix: &str) -> Value {
    items(app, token, "/api/v1/tasks?limit=100")
        .await
        .into_iter()
        .find(|t| t["code"].as_str().unwrap().ends_with(suffix))
        .unwrap()
}

/// The unit `key` (a department's id or a town's code) of the task `id`, as `token` reads it.
async fn unit(app: &TestApp, token: &str, id: &str, key: &str) -> Value {
    let d = app.get(&format!("/api/v1/tasks/{id}"), token).await;
    d.ok(200)["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["region_code"] == key || u["department_id"] == key)
        .unwrap()
        .clone()
}

/// A screenshot with the element `css` scrolled to the top of the screen.
async fn shot_at(c: &Client, css: &str, name: &str) {
    c.execute(
        "const e = document.querySelector(arguments[0]); \
         if (e) { e.scrollIntoView(); window.scrollBy(0, -80); }",
        vec![json!(css)],
    )
    .await
    .unwrap();
    shot(c, name).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_staff_handle_an_incident_the_town_dispatched_to_their_department() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let town1 = app.login("town1", PW).await;
    let title = "文峰路路灯不亮";
    let found = api_incidents(&app, &town1, title).await;
    assert_eq!(found.len(), 1);
    let id = found[0]["id"].as_str().unwrap().to_string();
    assert_eq!(found[0]["status"], "accepted");
    let urban = department(&app, &town1, "D01").await;
    let urban_id = urban["id"].as_str().unwrap().to_string();

    // The town's supervisor dispatches it to the urban management bureau.
    log_in(c, &site, "town1").await;
    c.goto(&format!("{site}/incidents/{id}")).await.unwrap();
    click(c, "[data-action=dispatch]").await;
    element(c, "[data-testid=dispatch-picker]", 30).await;
    click(c, "input[name=dispatch_target][value=department]").await;
    // A worker's picker is gone; the department picker starts on "choose…".
    assert!(c.find(Locator::Css("select[name=assignee]")).await.is_err());
    assert!(
        !element(c, "[data-testid=dispatch-send]", 30)
            .await
            .is_enabled()
            .await
            .unwrap()
    );
    choose_offered(c, "select[name=department]", &urban_id).await;
    shot_at(
        c,
        "[data-testid=dispatch-picker]",
        "duty-dispatch-department",
    )
    .await;
    click(c, "[data-testid=dispatch-send]").await;
    until("the incident with the bureau", 30, || async {
        text_of(c, "[data-testid=department]")
            .await
            .contains("区城市管理局")
    })
    .await;
    let after = incident(&app, &town1, &id).await;
    assert_eq!(after["status"], "dispatched");
    assert_eq!(after["department_id"], urban_id.as_str());
    assert_eq!(after["assignee_id"], Value::Null);

    // Its staff member sees it in their list, starts and resolves it.
    switch_to(c, &site, "urban1").await;
    until(
        "the dispatched incident in the staff's list",
        60,
        || async { text_of(c, "[data-testid=incidents]").await.contains(title) },
    )
    .await;
    // No report button, and nothing of the other departments' cases.
    assert!(
        !text_of(c, "[data-testid=incidents]")
            .await
            .contains("老旧小区围墙开裂倾斜")
    );
    click(
        c,
        &format!("[data-testid=incidents] a[href='/incidents/{id}']"),
    )
    .await;
    until("the department named on the incident", 30, || async {
        text_of(c, "[data-testid=department]")
            .await
            .contains("区城市管理局")
    })
    .await;
    click(c, "[data-action=start]").await;
    until("started", 30, || async {
        text_of(c, "[data-testid=status]").await.contains("处置中")
    })
    .await;
    let urban1 = app.login("urban1", PW).await;
    until("the start on the server", 60, || async {
        incident(&app, &urban1, &id).await["status"] == "in_progress"
    })
    .await;
    fill(c, "input[name=note]", "已更换灯泡").await;
    click(c, "[data-action=resolve]").await;
    until("resolved on the server", 60, || async {
        incident(&app, &urban1, &id).await["status"] == "resolved"
    })
    .await;

    // The town verifies.
    switch_to(c, &site, "town1").await;
    c.goto(&format!("{site}/incidents/{id}")).await.unwrap();
    click(c, "[data-action=verify]").await;
    until("closed", 30, || async {
        text_of(c, "[data-testid=status]").await.contains("已结案")
    })
    .await;
    let closed = incident(&app, &town1, &id).await;
    assert_eq!(closed["status"], "closed");
    let steps: Vec<(String, String)> = closed["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let actor = h["actor_id"].as_str().unwrap_or_default().to_string();
            (h["action"].as_str().unwrap().to_string(), actor)
        })
        .collect();
    let staff = user(&app, &app.login("admin", PW).await, "urban1").await;
    for step in ["start", "resolve"] {
        assert!(
            steps
                .iter()
                .any(|(a, who)| a == step && who == staff["id"].as_str().unwrap()),
            "{step} by urban1: {steps:?}"
        );
    }
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_town_reports_progress_offline_and_the_district_sees_and_scores_it() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    let town1 = app.login("town1", PW).await;
    let district = app.login("district", PW).await;
    let gas = task(&app, &town1, "AQ-01").await;
    let (id, code) = (
        gas["id"].as_str().unwrap().to_string(),
        gas["code"].as_str().unwrap().to_string(),
    );
    let before = unit(&app, &district, &id, "500117001").await;
    assert_eq!(before["target"], 400.0);
    assert_ne!(before["progress"], 400.0);

    // The town's supervisor opens its tasks (from the phone's copy) and, with no network,
    // reports the whole target done.
    log_in(c, &site, "town1").await;
    service_worker_controls(c).await;
    click(c, "[data-testid=my-tasks-link] a").await;
    until("the town's tasks", 60, || async {
        text_of(c, "[data-testid=my-tasks-list]")
            .await
            .contains("城镇燃气安全专项整治")
    })
    .await;
    // Tasks of other units are not the town's.
    assert!(
        !text_of(c, "[data-testid=my-tasks-list]")
            .await
            .contains("农村自建房安全隐患排查")
    );
    click(c, &format!("li[data-code='{code}'] a")).await;
    until("where the town stands", 30, || async {
        text_of(c, "[data-testid=my-target]").await == "400"
    })
    .await;
    proxy.set(false);
    fill(c, "input[name=value]", "400").await;
    fill(c, "textarea[name=note]", "全部用户已排查整改").await;
    // A photo as evidence, kept on the phone with the report.
    attach_photo(c).await;
    shot(c, "duty-progress-form").await;
    click(c, "[data-testid=send-progress]").await;
    until("the report waiting on the phone", 30, || async {
        text_of(c, "[data-testid=progress-waiting]")
            .await
            .contains("400")
            && text_of(c, "[data-testid=pending]").await.contains(" 1")
    })
    .await;
    assert_ne!(
        unit(&app, &district, &id, "500117001").await["progress"],
        400.0,
        "nothing sent with no network"
    );

    // The network back: it syncs once.
    proxy.set(true);
    click(c, "[data-testid=pending]").await;
    all_sent(c).await;
    until("the progress on the server", 60, || async {
        unit(&app, &district, &id, "500117001").await["completion"] == 1.0
    })
    .await;
    let reports = app.get(&format!("/api/v1/tasks/{id}"), &district).await;
    let ours: Vec<&Value> = reports.ok(200)["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["note"] == "全部用户已排查整改")
        .collect();
    assert_eq!(ours.len(), 1, "one report");
    assert_eq!(ours[0]["value"], 400.0);
    // Its evidence follows it once the report is on the server.
    until("the report's photo on the server", 60, || async {
        let d = app.get(&format!("/api/v1/tasks/{id}"), &district).await;
        d.body["reports"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["note"] == "全部用户已排查整改")
            .any(|r| r["photos"].as_array().is_some_and(|p| p.len() == 1))
    })
    .await;

    // The district's board and task page show it; the district scores the town.
    click(c, "[data-testid=logout]").await;
    login_screen(c).await;
    log_in(c, &site, "district").await;
    click(c, "[data-testid=tasks-link] a").await;
    until("the year's tasks", 60, || async {
        let t = text_of(c, "[data-testid=tasks]").await;
        t.contains("城镇燃气安全专项整治") && t.contains("农村自建房安全隐患排查")
    })
    .await;
    shot(c, "duty-task-board").await;
    click(c, &format!("[data-testid=tasks] li[data-code='{code}'] a")).await;
    let town_row = "[data-testid=units] tr[data-unit='500117001']";
    until("the town complete on the task page", 60, || async {
        text_of(c, &format!("{town_row} [data-testid=unit-completion]"))
            .await
            .contains("100%")
    })
    .await;
    assert!(
        text_of(c, "[data-testid=reports]")
            .await
            .contains("全部用户已排查整改")
    );
    // The report's evidence is on its line.
    element(
        c,
        "[data-testid=reports] li[data-report] [data-testid=photo-thumb]",
        30,
    )
    .await;
    fill(c, "input[name='score_500117001']", "96").await;
    fill(c, "input[name='score_note_500117001']", "提前完成").await;
    click(c, "[data-testid=save-scores]").await;
    until("the score saved", 30, || async {
        text_of(c, "[data-testid=scores-result]")
            .await
            .contains('✓')
            && text_of(c, &format!("{town_row} [data-testid=unit-score]")).await == "96"
    })
    .await;
    shot_at(c, "[data-testid=units]", "duty-task-page").await;
    assert_eq!(unit(&app, &district, &id, "500117001").await["score"], 96.0);
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_up_a_department_and_freezes_the_performance_records() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let admin = app.login("admin", PW).await;
    log_in(c, &site, "admin").await;

    // A department, once: the same code again is refused in words.
    click(c, "[data-testid=admin-link] a").await;
    click(c, "[data-testid=departments-link] a").await;
    until("the demo's departments", 30, || async {
        text_of(c, "[data-testid=department-list]")
            .await
            .contains("区应急管理局")
    })
    .await;
    fill(c, "input[name=department_code]", "D09").await;
    fill(c, "input[name=department_name]", "区市场监督管理局").await;
    click(c, "[data-testid=new-department] button[type=submit]").await;
    until("the department created", 30, || async {
        text_of(c, "[data-testid=department-list] li[data-code=D09]")
            .await
            .contains("区市场监督管理局")
    })
    .await;
    fill(c, "input[name=department_code]", "D09").await;
    fill(c, "input[name=department_name]", "重复").await;
    click(c, "[data-testid=new-department] button[type=submit]").await;
    until("the code refused", 30, || async {
        text_of(c, "[data-testid=department-result]")
            .await
            .contains("该代码已被占用")
    })
    .await;
    shot(c, "duty-departments").await;
    let market = department(&app, &admin, "D09").await;

    // A member of its staff: the department is required for the role, the region is not.
    c.goto(&format!("{site}/admin/users")).await.unwrap();
    fill(c, "input[name=new_username]", "market1").await;
    fill(c, "input[name=new_password]", "long enough pw").await;
    choose(c, "select[name=new_role]", "department").await;
    assert!(
        c.find(Locator::Css("select[name=new_region]"))
            .await
            .is_err()
    );
    click(c, "[data-testid=new-user] button[type=submit]").await;
    until("the department asked for", 30, || async {
        text_of(c, "[data-testid=user-result]")
            .await
            .contains("部门")
    })
    .await;
    choose_offered(
        c,
        "select[name=new_department]",
        market["id"].as_str().unwrap(),
    )
    .await;
    click(c, "[data-testid=new-user] button[type=submit]").await;
    until("the staff member created", 30, || async {
        text_of(c, "[data-testid=user-result]")
            .await
            .contains("market1")
    })
    .await;
    let staff = user(&app, &admin, "market1").await;
    assert_eq!(staff["role"], "department");
    assert_eq!(staff["department_id"], market["id"]);

    // The performance records of the year, their export, a snapshot.
    c.goto(&format!("{site}/performance")).await.unwrap();
    let year = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y")
        .to_string();
    let records = app
        .get(&format!("/api/v1/performance?period={year}"), &admin)
        .await
        .ok(200)
        .clone();
    let town1 = records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region_code"] == "500117001")
        .unwrap()
        .clone();
    let weighted = town1["weighted_score"].as_f64().unwrap();
    let row = "[data-testid=records] [data-unit='500117001']";
    until("the town's record", 60, || async {
        text_of(c, &format!("{row} [data-testid=weighted-score]")).await
            == format!("{}", (weighted * 100.0).round() / 100.0)
    })
    .await;
    assert!(
        text_of(c, &format!("{row} [data-testid=record-tasks]"))
            .await
            .contains("城镇燃气安全专项整治")
    );
    let urban = department(&app, &admin, "D01").await;
    let bureau = format!(
        "[data-testid=records] [data-unit='{}'] [data-testid=record-figures]",
        urban["id"].as_str().unwrap()
    );
    until("the bureau's figures", 30, || async {
        text_of(c, &bureau).await.contains("派至本部门")
    })
    .await;
    shot_at(c, row, "duty-performance").await;

    let dir = tempfile::tempdir().unwrap();
    downloads_into(c, dir.path()).await;
    click(c, "[data-testid=export-performance-csv]").await;
    let (name, bytes) = downloaded(dir.path(), ".csv").await;
    assert!(name.starts_with("gridwork-performance-"), "{name}");
    let from_server = app
        .get(
            &format!("/api/v1/performance/export?format=csv&period={year}"),
            &admin,
        )
        .await
        .text;
    assert_eq!(
        String::from_utf8(bytes)
            .unwrap()
            .trim_start_matches('\u{feff}'),
        from_server.trim_start_matches('\u{feff}')
    );

    click(c, "[data-testid=take-snapshot]").await;
    until("the snapshot taken", 30, || async {
        text_of(c, "[data-testid=snapshot-result]")
            .await
            .contains('✓')
    })
    .await;
    let snaps = items(&app, &admin, "/api/v1/performance/snapshots").await;
    assert_eq!(snaps.len(), 1);
    let sha = snaps[0]["sha256"].as_str().unwrap().to_string();
    assert_eq!(snaps[0]["period"], year.as_str());
    until("the snapshot's SHA-256 in the list", 30, || async {
        text_of(c, "[data-testid=snapshot-sha]").await == sha
    })
    .await;
    shot_at(c, "[data-testid=snapshots]", "duty-snapshots").await;
    click(c, "[data-testid=snapshot-download]").await;
    let (name, bytes) = downloaded(dir.path(), ".json").await;
    assert!(name.starts_with("gridwork-performance-snapshot-"), "{name}");
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), sha);
    let _ = b.client.clone().close().await;
}
