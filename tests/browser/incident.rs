//! The incident screen as a supervisor triages on it and a worker handles it: accepting
//! leads on to the dispatch picker, which starts on "choose…" and sends exactly the worker it
//! shows; the assignee shows to everyone who may see the incident; a report's possible
//! duplicates show after it syncs and the merge picker sends the original it shows; a
//! mediation session is recorded and its parties are masked for a worker who does not handle
//! the dispute; a comment lands in the history; a photo added later shows as a thumbnail and
//! opens at full size. Through the screens only; the API checks what happened.

use fantoccini::{Client, Locator};
use gridwork_tests::TestApp;
use serde_json::{Value, json};

use crate::support::*;

const PASSWORD: &str = gridwork_server::tools::demo::PASSWORD;

/// The demo's incident titled `title`, as `username` reads it through the API.
async fn incident_titled(app: &TestApp, username: &str, title: &str) -> Value {
    let token = app.login(username, PASSWORD).await;
    let found = api_incidents(app, &token, title).await;
    assert_eq!(found.len(), 1, "one incident titled {title}");
    let id = found[0]["id"].as_str().unwrap();
    app.get(&format!("/api/v1/incidents/{id}"), &token)
        .await
        .ok(200)
        .clone()
}

/// Runs `script` in the page and answers its value.
async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// What a select shows: its value and the text of each option.
async fn select_shows(c: &Client, name: &str) -> (String, Vec<String>) {
    let v = js(
        c,
        &format!(
            "const s = document.querySelector('select[name={name}]');
             return s ? [s.value, Array.from(s.options).map(o => o.text)] : null;"
        ),
    )
    .await;
    let v = v.as_array().expect("the select is there");
    (
        v[0].as_str().unwrap().to_string(),
        v[1].as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap().to_string())
            .collect(),
    )
}

async fn enabled(c: &Client, css: &str) -> bool {
    element(c, css, 30).await.is_enabled().await.unwrap()
}

/// Logs out (nothing is left unsent) and logs `username` in.
async fn switch_to(c: &Client, site: &str, username: &str) {
    until("nothing left to send", 60, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 0")
    })
    .await;
    click(c, "[data-testid=logout]").await;
    login_screen(c).await;
    log_in(c, site, username).await;
}

async fn open_incident(c: &Client, site: &str, id: &str) {
    c.goto(&format!("{site}/incidents/{id}")).await.unwrap();
    element(c, "[data-testid=facts]", 60).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_accepts_a_report_and_dispatches_it_to_the_worker_the_picker_shows() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let rubbish = incident_titled(&app, "town1", "小区门口垃圾堆积").await;
    let id = rubbish["id"].as_str().unwrap().to_string();
    let admin = app.login("admin", PASSWORD).await;
    let worker1 = user(&app, &admin, "worker1").await;
    let worker2 = user(&app, &admin, "worker2").await;
    let worker1_name = worker1["display_name"].as_str().unwrap().to_string();
    let worker2_name = worker2["display_name"].as_str().unwrap().to_string();
    let worker2 = worker2["id"].as_str().unwrap().to_string();

    // The queue: open work first, cells by name.
    log_in(c, &site, "town1").await;
    c.goto(&format!("{site}/queue")).await.unwrap();
    until("the queue with the cells' names", 60, || async {
        text_of(c, "[data-testid=queue]")
            .await
            .contains("文峰社区第1网格")
    })
    .await;
    let statuses = js(
        c,
        "return Array.from(document.querySelectorAll('[data-testid=queue-item]')).map(e => e.dataset.status)",
    )
    .await;
    let statuses: Vec<&str> = statuses
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(!statuses.is_empty());
    assert!(
        statuses.iter().all(|s| !["closed", "rejected"].contains(s)),
        "the queue opens on open work: {statuses:?}"
    );
    shot(c, "queue-open").await;
    // The open work as a file, as the filters show it.
    click(c, "[data-testid=export-incidents-csv]").await;
    until("the export downloaded", 60, || async {
        text_of(c, "[data-testid=export-file]")
            .await
            .contains("gridwork-incidents-")
    })
    .await;

    // The triage facts.
    open_incident(c, &site, &id).await;
    until("the triage facts", 60, || async {
        text_of(c, "[data-testid=category]").await.contains("0401")
            && text_of(c, "[data-testid=reporter]")
                .await
                .contains(&worker1_name)
            && text_of(c, "[data-testid=cell]")
                .await
                .contains("文峰社区第1网格")
    })
    .await;
    let facts = text_of(c, "[data-testid=facts]").await;
    assert!(facts.contains("尚未派遣"), "not assigned yet: {facts}");
    assert!(
        !facts.contains("T0") && !facts.contains('Z'),
        "no raw UTC: {facts}"
    );
    assert!(
        text_of(c, "[data-testid=due]").await.contains("到期")
            || text_of(c, "[data-testid=due]").await.contains("超期"),
        "a relative deadline"
    );
    shot(c, "incident-triage").await;

    // Accepting leads straight on to dispatching: the picker is open, on "choose…".
    click(c, "[data-action=accept]").await;
    element(c, "[data-testid=dispatch-picker]", 30).await;
    let (shown, options) = select_shows(c, "assignee").await;
    assert_eq!(shown, "", "the picker starts on choose…");
    assert_eq!(options[0], "请选择…");
    let mut offered = options[1..].to_vec();
    offered.sort();
    let mut community = vec![worker1_name.clone(), worker2_name.clone()];
    community.sort();
    assert_eq!(
        offered, community,
        "the workers of the incident's community, and only they"
    );
    assert!(!enabled(c, "[data-testid=dispatch-send]").await);
    // Searching by name narrows the list.
    fill(c, "input[name=worker-search]", "乙").await;
    until("the search narrowed the list", 30, || async {
        select_shows(c, "assignee").await.1 == ["请选择…".to_string(), worker2_name.clone()]
    })
    .await;
    choose(c, "select[name=assignee]", &worker2).await;
    until("the chosen worker shown", 30, || async {
        select_shows(c, "assignee").await.0 == worker2
    })
    .await;
    // Clearing the search keeps showing the one chosen.
    fill(c, "input[name=worker-search]", "甲").await;
    until("the search changed", 30, || async {
        select_shows(c, "assignee").await.1.len() == 3
    })
    .await;
    assert_eq!(select_shows(c, "assignee").await.0, worker2);
    assert!(enabled(c, "[data-testid=dispatch-send]").await);
    shot(c, "incident-dispatch").await;
    click(c, "[data-testid=dispatch-send]").await;
    until("the assignee on the screen", 30, || async {
        text_of(c, "[data-testid=assignee]")
            .await
            .contains(&worker2_name)
    })
    .await;
    let sup = app.login("town1", PASSWORD).await;
    let after = app.get(&format!("/api/v1/incidents/{id}"), &sup).await;
    let after = after.ok(200);
    assert_eq!(after["status"], "dispatched");
    assert_eq!(
        after["assignee_id"],
        worker2.as_str(),
        "exactly the one shown"
    );

    // The cell's other worker, who reported it, sees who has it.
    switch_to(c, &site, "worker1").await;
    open_incident(c, &site, &id).await;
    until("the worker sees the assignee", 60, || async {
        text_of(c, "[data-testid=assignee]")
            .await
            .contains(&worker2_name)
    })
    .await;

    // The assignee starts, then resolves with a photo of the place after the fix: the photo
    // travels as the resolve's, and the history shows it under that step.
    switch_to(c, &site, "worker2").await;
    open_incident(c, &site, &id).await;
    click(c, "[data-action=start]").await;
    element(c, "[data-action=resolve]", 60).await;
    attach_jpeg_to(c, "step-photo", &gridwork_tests::fixtures::jpeg_with_exif()).await;
    fill(c, "input[name=note]", "已清运").await;
    click(c, "[data-action=resolve]").await;
    click(c, "[data-testid=pending]").await;
    let step_photo = || async {
        let d = app.get(&format!("/api/v1/incidents/{id}"), &sup).await;
        let d = d.ok(200).clone();
        let resolve = d["history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["action"] == "resolve")
            .map(|h| h["id"].clone());
        let photos = d["photos"].as_array().unwrap().clone();
        (resolve, photos)
    };
    until("the resolve and its photo on the server", 60, || async {
        let (resolve, photos) = step_photo().await;
        resolve.is_some()
            && photos
                .iter()
                .any(|p| Some(&p["step_id"]) == resolve.as_ref())
    })
    .await;
    let (_, photos) = step_photo().await;
    assert_eq!(photos.len(), 1, "the step's photo, once");
    c.refresh().await.unwrap();
    until("the photo under its step in the history", 60, || async {
        c.find(Locator::Css(
            "[data-testid=history] [data-testid=photo-thumb]",
        ))
        .await
        .is_ok()
    })
    .await;
    assert!(
        text_of(c, "[data-testid=photos]")
            .await
            .contains("暂无照片"),
        "the step's photo is not the incident's own"
    );
    c.execute(
        "document.querySelector('[data-testid=history]').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    shot(c, "incident-step-photo").await;
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reports_duplicates_show_after_it_syncs_and_the_merge_picker_sends_what_it_shows() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let rubbish = incident_titled(&app, "worker1", "小区门口垃圾堆积").await;
    let original = rubbish["id"].as_str().unwrap().to_string();

    // The worker reports the same rubbish again, ten metres away.
    login(c, &site, "worker1").await;
    first_pull(c).await;
    c.goto(&format!("{site}/report")).await.unwrap();
    choose_offered(c, "select[name=category]", "0401").await;
    choose(c, "select[name=severity]", "low").await;
    fill(c, "input[name=title]", "垃圾又堆起来了").await;
    let at = &rubbish["location"];
    let lon = at["lon"].as_f64().unwrap() + 0.0001;
    fill(c, "input[name=lon]", &format!("{lon:.6}")).await;
    fill(
        c,
        "input[name=lat]",
        &format!("{:.6}", at["lat"].as_f64().unwrap()),
    )
    .await;
    click(c, "button[type=submit]").await;
    let worker = app.login("worker1", PASSWORD).await;
    until("the report synced", 60, || async {
        api_incidents(&app, &worker, "垃圾又堆起来了").await.len() == 1
    })
    .await;
    let again = api_incidents(&app, &worker, "垃圾又堆起来了").await;
    let duplicate = again[0]["id"].as_str().unwrap().to_string();
    open_incident(c, &site, &duplicate).await;
    until("the possible duplicate the server found", 60, || async {
        text_of(c, "[data-testid=duplicates]")
            .await
            .contains("小区门口垃圾堆积")
    })
    .await;
    shot(c, "incident-duplicates").await;
    // Its link opens the original.
    click(c, "[data-testid=duplicates] a").await;
    until("the original opened", 30, || async {
        c.current_url()
            .await
            .is_ok_and(|u| u.path().ends_with(&original))
            && text_of(c, "h1").await.contains("小区门口垃圾堆积")
    })
    .await;

    // A supervisor merges it: the picker starts on choose…, sends the original it shows.
    switch_to(c, &site, "town1").await;
    open_incident(c, &site, &duplicate).await;
    click(c, "[data-action=merge]").await;
    element(c, "[data-testid=merge-picker]", 30).await;
    let (shown, options) = select_shows(c, "into").await;
    assert_eq!(shown, "", "the merge picker starts on choose…");
    assert!(
        options
            .iter()
            .skip(1)
            .any(|o| o.contains("小区门口垃圾堆积")),
        "{options:?}"
    );
    assert!(!enabled(c, "[data-testid=merge-send]").await);
    choose(c, "select[name=into]", &original).await;
    until("the original shown", 30, || async {
        select_shows(c, "into").await.0 == original
    })
    .await;
    shot(c, "incident-merge").await;
    click(c, "[data-testid=merge-send]").await;
    until("merged", 30, || async {
        text_of(c, "[data-testid=status]").await.contains("已结案")
    })
    .await;
    let sup = app.login("town1", PASSWORD).await;
    let merged = app
        .get(&format!("/api/v1/incidents/{duplicate}"), &sup)
        .await;
    let merged = merged.ok(200);
    assert_eq!(merged["merged_into"], original.as_str());
    assert_eq!(merged["status"], "closed");
    let _ = b.client.clone().close().await;
}

/// A JPEG of `w × h` pixels, larger than a thumbnail.
fn big_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut buf = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut buf)
        .encode_image(&img)
        .unwrap();
    buf
}

/// The natural width of the loaded image under `css` (0 until it has loaded).
async fn image_width(c: &Client, css: &str) -> u64 {
    let v = c
        .execute(
            "const i = document.querySelector(arguments[0]);
             return i && i.complete ? i.naturalWidth : 0;",
            vec![json!(css)],
        )
        .await
        .unwrap();
    v.as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_gets_a_mediation_session_a_comment_and_a_photo() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let dispute = incident_titled(&app, "town1", "邻居因漏水发生纠纷").await;
    let id = dispute["id"].as_str().unwrap().to_string();
    let sessions_before = dispute["mediations"].as_array().unwrap().len();

    // The town supervisor handles it (it was raised to the town): it records a session.
    log_in(c, &site, "town1").await;
    open_incident(c, &site, &id).await;
    element(c, "[data-testid=mediation-form]", 60).await;
    fill(c, "input[name=party-name-0]", "赵大海").await;
    fill(c, "input[name=party-role-0]", "申请人").await;
    fill(c, "input[name=party-phone-0]", "13912345678").await;
    click(c, "[data-testid=add-party]").await;
    fill(c, "input[name=party-name-1]", "钱小红").await;
    fill(c, "textarea[name=outcome]", "双方同意分摊维修费用").await;
    let (shown, _) = select_shows(c, "agreement").await;
    assert_eq!(shown, "", "agreement or not: chosen, never assumed");
    choose(c, "select[name=agreement]", "yes").await;
    shot(c, "incident-mediation").await;
    click(c, "[data-testid=mediation-send]").await;
    until("the session listed in full for its handler", 30, || async {
        text_of(c, "[data-testid=mediations]")
            .await
            .contains("赵大海")
    })
    .await;
    let sup = app.login("town1", PASSWORD).await;
    let d = app.get(&format!("/api/v1/incidents/{id}"), &sup).await;
    let d = d.ok(200);
    let sessions = d["mediations"].as_array().unwrap();
    assert_eq!(sessions.len(), sessions_before + 1);
    let new = sessions
        .iter()
        .find(|m| m["outcome"] == "双方同意分摊维修费用")
        .unwrap();
    assert_eq!(new["agreement_reached"], true);
    assert_eq!(
        new["parties"],
        json!([
            {"name": "赵大海", "role": "申请人", "phone": "13912345678"},
            {"name": "钱小红", "role": null, "phone": null},
        ])
    );

    // A comment lands in the history.
    fill(c, "textarea[name=comment]", "已约双方下周回访").await;
    click(c, "[data-testid=comment-send]").await;
    until("the comment in the history", 30, || async {
        text_of(c, "[data-testid=history]")
            .await
            .contains("已约双方下周回访")
    })
    .await;
    let d = app.get(&format!("/api/v1/incidents/{id}"), &sup).await;
    let comment = d.ok(200)["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["action"] == "comment" && h["note"] == "已约双方下周回访");
    assert!(comment, "the comment reached the server");

    // The worker who reported it sees it but does not handle it: the parties are masked,
    // and there is no form.
    switch_to(c, &site, "worker1").await;
    open_incident(c, &site, &id).await;
    until("the session with its parties masked", 60, || async {
        text_of(c, "[data-testid=mediations]")
            .await
            .contains("赵**")
    })
    .await;
    let sessions = text_of(c, "[data-testid=mediations]").await;
    assert!(!sessions.contains("赵大海") && !sessions.contains("13912345678"));
    assert!(sessions.contains("139****5678"), "{sessions}");
    assert!(
        c.find(Locator::Css("[data-testid=mediation-form]"))
            .await
            .is_err()
    );
    assert!(
        text_of(c, "[data-testid=history]")
            .await
            .contains("已约双方下周回访")
    );
    shot(c, "incident-masked").await;

    // A photo added later: queued, uploaded, shown as a thumbnail that opens full size.
    attach_jpeg(c, &big_jpeg(1000, 750)).await;
    click(c, "[data-testid=photo-send]").await;
    let worker = app.login("worker1", PASSWORD).await;
    until("the photo uploaded", 60, || async {
        let d = app.get(&format!("/api/v1/incidents/{id}"), &worker).await;
        d.body["photos"].as_array().is_some_and(|p| p.len() == 1)
    })
    .await;
    until("the thumbnail on the screen", 60, || async {
        let w = image_width(c, "[data-testid=photo-thumb] img").await;
        w > 0 && w <= 320
    })
    .await;
    shot(c, "incident-photos").await;
    click(c, "[data-testid=photo-thumb]").await;
    until("the photo at full size", 30, || async {
        image_width(c, "[data-testid=photo-full] img").await > 320
    })
    .await;
    shot(c, "incident-photo-full").await;
    let _ = b.client.clone().close().await;
}
