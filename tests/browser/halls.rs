//! The deliberation hall and the selections through the screens: a worker takes an
//! incident to the hall with no signal and the item syncs; a town supervisor accepts it; a
//! session where exactly half voted for does not let it be decided (the screen says why),
//! one with a majority does; the worker carries it out and completes it, and a volunteer of
//! the community reads the published outcome. A town supervisor opens a campaign with one
//! place, a worker nominates two families (the first with no signal), the supervisor
//! shortlists both, selects one, is refused the second for the full quota, closes and
//! announces; a volunteer finds the one selected on the honour roll.

use fantoccini::Client;
use gridwork_server::tools::demo::PASSWORD;
use serde_json::Value;

use crate::support::*;

/// Opens a hall item's page and waits for the server's answer (its history).
async fn open_item(c: &Client, site: &str, id: &str) {
    c.goto(&format!("{site}/hall/{id}")).await.unwrap();
    element(c, "[data-testid=history]", 60).await;
}

async fn item_status_is(c: &Client, label: &str) {
    until(&format!("the item {label}"), 60, || async {
        text_of(c, "[data-testid=hall-item] [data-testid=status]").await == label
    })
    .await;
}

/// Records a session on the item's page: those present and the votes for, against, abstain.
async fn record_session(c: &Client, place: &str, votes: [i64; 4]) {
    fill(c, "[data-testid=session-form] input[name=place]", place).await;
    for (name, n) in ["attendees", "for", "against", "abstain"].iter().zip(votes) {
        fill(
            c,
            &format!("[data-testid=session-form] input[name={name}]"),
            &n.to_string(),
        )
        .await;
    }
    click(c, "[data-testid=session-form] button[type=submit]").await;
}

/// The item as the holder of `token` reads it from the API.
async fn item_of(app: &gridwork_tests::TestApp, token: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/deliberations/{id}"), token)
        .await
        .ok(200)
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_goes_from_raised_to_done_and_a_volunteer_reads_its_outcome() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    let worker = app.login("worker1", PASSWORD).await;
    let town = app.login("town1", PASSWORD).await;
    let volunteer = app.login("volunteer1", PASSWORD).await;
    let source = api_incidents(&app, &worker, "小区门口垃圾堆积").await[0].clone();
    let source_id = source["id"].as_str().unwrap().to_string();
    let community = source["cell_code"].as_str().unwrap()[..12].to_string();
    log_in(c, &site, "worker1").await;
    first_pull(c).await;
    service_worker_controls(c).await;

    // From the incident's screen to the raise form, filled in from the incident.
    c.goto(&format!("{site}/incidents/{source_id}"))
        .await
        .unwrap();
    click(c, "[data-testid=to-hall] a").await;
    element(c, "[data-testid=hall-new]", 60).await;
    until("the form filled in from the incident", 30, || async {
        value_of(c, "input[name=title]").await.as_deref() == Some("小区门口垃圾堆积")
            && value_of(c, "select[name=region]").await.as_deref() == Some(community.as_str())
    })
    .await;
    assert!(
        text_of(c, "[data-testid=source-incident]")
            .await
            .contains("小区门口垃圾堆积")
    );

    // No signal: the item is raised anyway.
    proxy.set(false);
    let title = "议事：小区门口垃圾清运点设置";
    fill(c, "input[name=title]", title).await;
    fill(
        c,
        "textarea[name=description]",
        "垃圾长期堆在小区门口，提议设置固定清运点并约定清运时间",
    )
    .await;
    shot(c, "hall-raise").await;
    click(c, "[data-testid=hall-new] button[type=submit]").await;
    until("the item's page, waiting to be sent", 30, || async {
        let page = text_of(c, "[data-testid=hall-item]").await;
        page.contains(title) && page.contains("待发送")
    })
    .await;
    let listed = items(&app, &worker, "/api/v1/deliberations?limit=200").await;
    assert!(
        !listed.iter().any(|i| i["title"] == title),
        "nothing reached the server yet"
    );
    c.goto(&format!("{site}/hall")).await.unwrap();
    until("the waiting item in the list", 60, || async {
        let list = text_of(c, "[data-testid=hall-items]").await;
        list.contains(title) && list.contains("待发送")
    })
    .await;

    // The server is back: sent once, raised, from the incident.
    proxy.set(true);
    click(c, "[data-testid=pending]").await;
    all_sent(c).await;
    until("the item listed as raised", 60, || async {
        let list = text_of(c, "[data-testid=hall-items]").await;
        list.contains(title) && !list.contains("待发送")
    })
    .await;
    let mine: Vec<Value> = items(&app, &worker, "/api/v1/deliberations?limit=200")
        .await
        .into_iter()
        .filter(|i| i["title"] == title)
        .collect();
    assert_eq!(mine.len(), 1, "synced exactly once");
    assert_eq!(mine[0]["status"], "raised");
    assert_eq!(mine[0]["source_incident_id"], source_id.as_str());
    assert_eq!(mine[0]["region_code"], community.as_str());
    let id = mine[0]["id"].as_str().unwrap().to_string();
    // A worker takes none of a supervisor's steps.
    open_item(c, &site, &id).await;
    item_status_is(c, "已提出").await;
    assert!(text_of(c, "[data-testid=hall-steps]").await.is_empty());

    // The town's supervisor accepts it.
    switch_to(c, &site, "town1").await;
    c.goto(&format!("{site}/hall")).await.unwrap();
    until("the town's items", 60, || async {
        text_of(c, "[data-testid=hall-items]").await.contains(title)
    })
    .await;
    shot(c, "hall-list").await;
    open_item(c, &site, &id).await;
    click(c, "[data-testid=act-accept]").await;
    item_status_is(c, "已立项").await;

    // Exactly half of those present for: not a majority, and decide is refused in words.
    record_session(c, "文峰社区议事室", [20, 10, 6, 4]).await;
    all_sent(c).await;
    until("the session, not passed", 60, || async {
        text_of(c, "[data-testid=sessions]")
            .await
            .contains("未过半数")
    })
    .await;
    fill(
        c,
        "textarea[name=decision]",
        "设置固定清运点，每日早晚各清运一次",
    )
    .await;
    click(c, "[data-testid=act-decide]").await;
    until("decide refused: no vote passed", 30, || async {
        text_of(c, "[data-testid=step-error]")
            .await
            .contains("尚无表决通过的议事会议")
    })
    .await;
    assert_eq!(item_of(&app, &town, &id).await["status"], "accepted");
    item_status_is(c, "已立项").await;

    // A worker records a session with a majority.
    switch_to(c, &site, "worker1").await;
    open_item(c, &site, &id).await;
    record_session(c, "文峰社区议事室", [30, 20, 6, 4]).await;
    all_sent(c).await;
    until("the session, passed", 60, || async {
        text_of(c, "[data-testid=sessions]")
            .await
            .contains("表决通过")
    })
    .await;
    let sessions = item_of(&app, &worker, &id).await["sessions"].clone();
    let passed: Vec<bool> = sessions
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["passed"].as_bool().unwrap())
        .collect();
    assert_eq!(passed.len(), 2);
    assert_eq!(passed.iter().filter(|p| **p).count(), 1, "{sessions}");

    // The supervisor decides.
    switch_to(c, &site, "town1").await;
    open_item(c, &site, &id).await;
    let decision = "设置固定清运点，每日早晚各清运一次";
    fill(c, "textarea[name=decision]", decision).await;
    click(c, "[data-testid=act-decide]").await;
    item_status_is(c, "已决议").await;
    assert!(
        text_of(c, "[data-testid=decision]")
            .await
            .contains(decision)
    );

    // The worker carries it out and completes it.
    switch_to(c, &site, "worker1").await;
    open_item(c, &site, &id).await;
    click(c, "[data-testid=act-implement]").await;
    item_status_is(c, "实施中").await;
    let outcome = "清运点已设在小区北门外，清运时间张贴公示";
    // Complete needs the note: refused on the phone first.
    click(c, "[data-testid=act-complete]").await;
    until("the note asked for", 30, || async {
        text_of(c, "[data-testid=step-error]")
            .await
            .contains("办结需要写明办理结果")
    })
    .await;
    fill(c, "textarea[name=note]", outcome).await;
    click(c, "[data-testid=act-complete]").await;
    item_status_is(c, "已办结").await;
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    shot(c, "hall-item").await;

    // A volunteer of the community reads the published outcome.
    switch_to(c, &site, "volunteer1").await;
    click(c, "[data-testid=hall-link] a").await;
    until("the done item in the volunteer's list", 60, || async {
        text_of(c, "[data-testid=hall-items]").await.contains(title)
    })
    .await;
    click(c, &format!("[data-item='{id}'] a")).await;
    until("the published outcome", 60, || async {
        text_of(c, "[data-testid=outcome]").await.contains(outcome)
    })
    .await;
    assert!(
        text_of(c, "[data-testid=decision]")
            .await
            .contains(decision)
    );
    assert!(text_of(c, "[data-testid=hall-steps]").await.is_empty());
    assert!(
        c.find(fantoccini::Locator::Css("[data-testid=session-form]"))
            .await
            .is_err()
    );
    let read = item_of(&app, &volunteer, &id).await;
    assert_eq!(read["status"], "done");
    assert_eq!(read["outcome"], outcome);
}

/// The id of the nomination of `name` in the campaign, as the holder of `token` reads it.
async fn nomination_id(
    app: &gridwork_tests::TestApp,
    token: &str,
    campaign: &str,
    name: &str,
) -> String {
    let detail = app
        .get(&format!("/api/v1/campaigns/{campaign}"), token)
        .await
        .ok(200)
        .clone();
    detail["nominations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["nominee_name"] == name)
        .map(|n| n["id"].as_str().unwrap().to_string())
        .expect("the nomination on the server")
}

async fn nomination_status_is(c: &Client, id: &str, label: &str) {
    until(&format!("the nomination {label}"), 60, || async {
        text_of(c, &format!("[data-nomination='{id}'] [data-testid=status]")).await == label
    })
    .await;
}

async fn nominate(c: &Client, name: &str, story: &str) {
    fill(c, "input[name=nominee_name]", name).await;
    choose_offered(c, "select[name=nominee_region]", "500117001001").await;
    fill(c, "textarea[name=story]", story).await;
    click(c, "[data-testid=nominate] button[type=submit]").await;
    until("the nomination listed", 30, || async {
        text_of(c, "[data-testid=nominations]").await.contains(name)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_goes_from_open_to_the_honour_roll() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    let town = app.login("town1", PASSWORD).await;
    let volunteer = app.login("volunteer1", PASSWORD).await;

    // A town supervisor opens a community's campaign with one place.
    log_in(c, &site, "town1").await;
    click(c, "[data-testid=campaigns-link] a").await;
    click(c, "a[href='/campaigns/new']").await;
    element(c, "[data-testid=campaign-new]", 60).await;
    choose(c, "select[name=award]", "good_family").await;
    choose_offered(c, "select[name=region]", "500117001001").await;
    fill(c, "input[name=quota]", "1").await;
    click(c, "[data-testid=campaign-new] button[type=submit]").await;
    until("the campaign's page", 60, || async {
        text_of(c, "[data-testid=campaign] [data-testid=facts]")
            .await
            .contains("好家庭")
    })
    .await;
    let path = c.current_url().await.unwrap().path().to_string();
    let id = path.trim_start_matches("/campaigns/").to_string();
    assert_eq!(text_of(c, "[data-testid=quota]").await, "0/1");

    // A worker nominates two families; the first with no signal.
    switch_to(c, &site, "worker1").await;
    let me = user(&app, &app.login("admin", PASSWORD).await, "worker1").await["id"].clone();
    until("the open campaign on the phone", 60, || async {
        records_held(c, &me)
            .await
            .iter()
            .any(|r| r.contains(&id) && r.contains("good_family"))
    })
    .await;
    c.goto(&format!("{site}/campaigns/{id}")).await.unwrap();
    element(c, "[data-testid=nominate]", 60).await;
    proxy.set(false);
    let (first, second) = ("赵桂兰家庭", "钱建国家庭");
    nominate(c, first, "婆媳和睦三十年，邻里有难必帮").await;
    until("the nomination waiting to be sent", 30, || async {
        text_of(c, "[data-testid=nominations]")
            .await
            .contains("待发送")
    })
    .await;
    proxy.set(true);
    click(c, "[data-testid=pending]").await;
    all_sent(c).await;
    nominate(c, second, "一家三代热心公益，坚持义务清扫街巷").await;
    all_sent(c).await;
    let (n1, n2) = (
        nomination_id(&app, &town, &id, first).await,
        nomination_id(&app, &town, &id, second).await,
    );
    nomination_status_is(c, &n1, "已提名").await;
    nomination_status_is(c, &n2, "已提名").await;
    // A worker runs nothing.
    assert!(text_of(c, "[data-testid=campaign-steps]").await.is_empty());

    // The supervisor shortlists both, selects one; the second is refused: the quota is full.
    switch_to(c, &site, "town1").await;
    c.goto(&format!("{site}/campaigns/{id}")).await.unwrap();
    for n in [&n1, &n2] {
        click(
            c,
            &format!("[data-nomination='{n}'] [data-testid=nom-shortlist]"),
        )
        .await;
        nomination_status_is(c, n, "入围").await;
    }
    click(
        c,
        &format!("[data-nomination='{n1}'] [data-testid=nom-select]"),
    )
    .await;
    nomination_status_is(c, &n1, "入选").await;
    click(
        c,
        &format!("[data-nomination='{n2}'] [data-testid=nom-select]"),
    )
    .await;
    until("the second selection refused", 30, || async {
        text_of(c, "[data-testid=campaign-error]")
            .await
            .contains("入选名额已满")
    })
    .await;
    nomination_status_is(c, &n2, "入围").await;
    assert_eq!(text_of(c, "[data-testid=quota]").await, "1/1");
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    shot(c, "campaign").await;
    click(c, "[data-testid=campaign-close]").await;
    until("the campaign closed", 60, || async {
        text_of(c, "[data-testid=campaign] p [data-testid=status]").await == "已截止"
    })
    .await;
    assert!(
        c.find(fantoccini::Locator::Css("[data-testid=nominate]"))
            .await
            .is_err()
    );
    click(c, "[data-testid=campaign-announce]").await;
    until("the campaign announced", 60, || async {
        text_of(c, "[data-testid=campaign] p [data-testid=status]").await == "已公布"
    })
    .await;
    let roll = app.get("/api/v1/honours", &volunteer).await.ok(200).clone();
    let names: Vec<&str> = roll
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["campaign_id"] == id.as_str())
        .map(|h| h["nominee_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, [first]);

    // A volunteer finds the one selected on the honour roll.
    switch_to(c, &site, "volunteer1").await;
    click(c, "[data-testid=honours-link] a").await;
    until("the honour roll with the selected family", 60, || async {
        let roll = text_of(c, "[data-testid=honour-roll]").await;
        roll.contains(first) && roll.contains("好家庭")
    })
    .await;
    assert!(
        !text_of(c, "[data-testid=honour-roll]")
            .await
            .contains(second)
    );
    shot(c, "honours").await;
}
