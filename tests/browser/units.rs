//! Safety units through the screens: a worker registers one with the server away and sees
//! it synced once; a town supervisor certifies one and drills the roll-up down to a
//! community's cells.

use fantoccini::Locator;
use gridwork_tests::TestApp;
use serde_json::{Value, json};

use crate::support::*;

/// The units named `name` the server holds, as `token` sees them.
async fn units_named(app: &TestApp, token: &str, name: &str) -> Vec<Value> {
    items(app, token, "/api/v1/safety-units?limit=500")
        .await
        .into_iter()
        .filter(|u| u["name"] == name)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_registers_a_unit_offline_and_it_syncs_once() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "worker1").await;
    first_pull(c).await;
    service_worker_controls(c).await;
    // The phone's GPS: a good fix inside the worker's second cell.
    let (lon, lat) = inside("500117001001002");
    gps(c, &site, lon, lat, 8.0).await;

    // No signal: the unit is registered anyway.
    proxy.set(false);
    c.goto(&format!("{site}/units")).await.unwrap();
    click(c, "a[href='/units/new']").await;
    element(c, "[data-testid=unit-new]", 60).await;
    let name = "离线登记：白塔路便利店";
    fill(c, "input[name=name]", name).await;
    fill(c, "input[name=address]", "白塔路18号").await;
    click(c, "[data-testid=gps]").await;
    until("the GPS fix and its cell on the form", 30, || async {
        text_of(c, "[data-testid=accuracy]").await.contains("±8 米")
            && text_of(c, "[data-testid=cell]")
                .await
                .contains("500117001001002")
    })
    .await;
    // The kind starts on "choose…", and nothing is sent until one is chosen.
    let kind = element(c, "select[name=kind]", 10).await;
    assert_eq!(kind.prop("value").await.unwrap().as_deref(), Some(""));
    click(c, "button[type=submit]").await;
    until("the form asks for the kind", 10, || async {
        text_of(c, "[role=alert]").await.contains("请选择类型")
    })
    .await;
    assert!(text_of(c, "[data-testid=pending]").await.contains(" 0"));
    kind.select_by_value("shop").await.unwrap();
    until("the complaint answered", 10, || async {
        text_of(c, "[role=alert]").await.is_empty()
    })
    .await;
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    shot(c, "unit-new").await;
    click(c, "button[type=submit]").await;

    // At once in the list, waiting to be sent.
    until("the unit listed, waiting", 30, || async {
        let list = text_of(c, "[data-testid=units]").await;
        list.contains(name) && list.contains("待发送")
    })
    .await;
    until("one operation pending", 30, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 1")
    })
    .await;
    shot(c, "units-waiting").await;
    let id = attr(c, "[data-testid=units] li:first-child", "data-unit")
        .await
        .expect("the unit's row");
    assert!(
        text_of(c, &format!("[data-unit='{id}']"))
            .await
            .contains(name)
    );
    // Its page opens from the phone's copy: waiting, no inspection yet.
    click(c, &format!("a[href='/units/{id}']")).await;
    until("the waiting unit's page", 30, || async {
        let page = text_of(c, "[data-testid=unit]").await;
        page.contains(name) && page.contains("白塔路18号") && page.contains("待发送")
    })
    .await;
    // Still there after a reload with no server.
    c.refresh().await.unwrap();
    until("the unit still waiting after a reload", 60, || async {
        text_of(c, "[data-testid=unit]").await.contains("待发送")
    })
    .await;
    let worker = app
        .login("worker1", gridwork_server::tools::demo::PASSWORD)
        .await;
    assert!(
        units_named(&app, &worker, name).await.is_empty(),
        "nothing reached the server yet"
    );

    // The server is back: sent once, then a normal unit.
    proxy.set(true);
    c.goto(&format!("{site}/units")).await.unwrap();
    // The list's screen is up (its header replaced the placeholder's): sync now.
    element(c, "[data-testid=units]", 60).await;
    click(c, "[data-testid=pending]").await;
    until("the queue drained", 60, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 0")
    })
    .await;
    until("the unit listed as synced", 60, || async {
        let row = text_of(c, &format!("[data-unit='{id}']")).await;
        row.contains(name) && row.contains("未检查") && !row.contains("待发送")
    })
    .await;
    let synced = units_named(&app, &worker, name).await;
    assert_eq!(synced.len(), 1, "registered exactly once");
    assert_eq!(synced[0]["id"], id.as_str());
    assert_eq!(synced[0]["kind"], "shop");
    assert_eq!(synced[0]["address"], "白塔路18号");
    assert_eq!(synced[0]["cell_code"], "500117001001002");
    assert!((synced[0]["location"]["lon"].as_f64().unwrap() - lon).abs() < 1e-5);
    click(c, &format!("a[href='/units/{id}']")).await;
    until("the unit's page from the server", 30, || async {
        let page = text_of(c, "[data-testid=unit]").await;
        page.contains("500117001001002")
            && page.contains("尚无检查记录")
            && !page.contains("待发送")
    })
    .await;
    click(c, &format!("a[href='/units/{id}/inspect']")).await;
    until("its inspection form", 30, || async {
        c.find(Locator::Css("select[name=result]")).await.is_ok()
    })
    .await;
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_town_supervisor_certifies_a_unit_and_drills_the_rollup() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "town1").await;
    // The first pull is in (the queue lists the town's incidents): from here on the phone
    // reads nothing again on its own for a minute, so the page keeps what it read.
    element(c, "[data-testid=incidents] li.item", 60).await;
    let town = app
        .login("town1", gridwork_server::tools::demo::PASSWORD)
        .await;
    let unit = units_named(&app, &town, "合川纺织厂").await.remove(0);
    let id = unit["id"].as_str().unwrap().to_string();
    assert_eq!(unit["certification"], "none");
    let before = app.get("/api/v1/safety-units/rollup", &town).await.body;

    // From home to the list to the unit: its inspection, who made it, the open hazard's
    // deadline.
    click(c, "a[href='/units']").await;
    click(c, &format!("a[href='/units/{id}']")).await;
    until("the unit with its inspection", 60, || async {
        let page = text_of(c, "[data-testid=inspections]").await;
        page.contains("消防器材过期")
            && page.contains("白塔社区网格员甲")
            && page.contains("未整改")
    })
    .await;
    let due = text_of(c, "[data-testid=hazard] .when").await;
    assert!(
        due.contains("后到期") && !due.contains('T') && !due.contains('Z'),
        "a deadline in local time, relative: {due}"
    );
    assert_eq!(text_of(c, "[data-testid=certification]").await, "未认定");
    // The level starts on "choose…"; the button waits for a choice.
    let level = element(c, "select[name=level]", 10).await;
    assert_eq!(level.prop("value").await.unwrap().as_deref(), Some(""));
    let save = element(c, "[data-testid=certify] button[type=submit]", 10).await;
    assert_eq!(
        save.prop("disabled").await.unwrap().as_deref(),
        Some("true")
    );
    let offered: Vec<String> = {
        let mut v = Vec::new();
        for o in c
            .find_all(Locator::Css("select[name=level] option"))
            .await
            .unwrap()
        {
            v.push(o.attr("value").await.unwrap().unwrap_or_default());
        }
        v
    };
    assert_eq!(offered, ["", "town"], "a town certifies at town level only");

    // Meanwhile the worker inspects it and finds it safe: the page's copy is stale, the
    // save is refused in words, and the unit is read again.
    let worker = app
        .login("worker3", gridwork_server::tools::demo::PASSWORD)
        .await;
    app.post(
        &format!("/api/v1/safety-units/{id}/inspections"),
        &worker,
        json!({"id": uuid::Uuid::new_v4(), "inspected_at": chrono::Utc::now().to_rfc3339(),
               "location": unit["location"], "result": "safe", "hazards": [], "note": "已整改"}),
    )
    .await
    .ok(201);
    level.select_by_value("town").await.unwrap();
    click(c, "[data-testid=certify] button[type=submit]").await;
    until(
        "the conflict told in words, the unit read again",
        30,
        || async {
            text_of(c, "[data-testid=certify] [role=alert]")
                .await
                .contains("此单位刚被他人修改")
                && text_of(c, "[data-testid=inspections]")
                    .await
                    .contains("已整改")
        },
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/safety-units/{id}"), &town)
            .await
            .body["certification"],
        "none",
        "nothing saved from the stale page"
    );
    // Saved again, on what the page now shows.
    let level = element(c, "select[name=level]", 10).await;
    level.select_by_value("town").await.unwrap();
    click(c, "[data-testid=certify] button[type=submit]").await;
    until("the certification saved and shown", 30, || async {
        text_of(c, "[data-testid=cert-saved]")
            .await
            .contains("认定已保存")
            && text_of(c, "[data-testid=certification]").await == "镇级平安细胞"
    })
    .await;
    let after = app
        .get(&format!("/api/v1/safety-units/{id}"), &town)
        .await
        .body;
    assert_eq!(after["certification"], "town");
    assert_eq!(after["status"], "safe");
    assert_eq!(
        after["version"],
        unit["version"].as_i64().unwrap() + 2,
        "the inspection, then the certification"
    );
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    shot(c, "unit").await;
    c.execute(
        "document.querySelector('[data-testid=inspections]').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    shot(c, "unit-inspections").await;

    // The roll-up: the town, then one of its communities, then back up.
    c.goto(&format!("{site}/units")).await.unwrap();
    click(c, "[data-testid=safety-link] a").await;
    until("the town's roll-up", 60, || async {
        attr(c, "[data-testid=overall]", "data-region")
            .await
            .as_deref()
            == Some("500117001")
            && text_of(c, "[data-testid=rollup]")
                .await
                .contains("白塔社区")
    })
    .await;
    let overall = text_of(c, "[data-testid=overall]").await;
    assert!(overall.contains("合阳城街道"), "{overall}");
    let town_certified = before["overall"]["certified_town"].as_u64().unwrap() + 1;
    assert!(
        overall.contains(&format!("总数 {}", before["overall"]["total"]))
            && overall.contains(&format!("镇级认定 {town_certified}")),
        "the town's totals, with the new certification: {overall}"
    );
    shot(c, "safety").await;
    click(c, "[data-code='500117001002'] a").await;
    until("the community's roll-up, its cells by name", 60, || async {
        attr(c, "[data-testid=overall]", "data-region")
            .await
            .as_deref()
            == Some("500117001002")
            && text_of(c, "[data-testid=rollup]")
                .await
                .contains("白塔社区第1网格")
    })
    .await;
    let url = c.current_url().await.unwrap();
    assert_eq!(
        url.query(),
        Some("region=500117001002"),
        "the region in the address"
    );
    let community = app
        .get("/api/v1/safety-units/rollup?region=500117001002", &town)
        .await
        .body;
    for cell in community["children"].as_array().unwrap() {
        let code = cell["code"].as_str().unwrap();
        let row = text_of(c, &format!("[data-code='{code}']")).await;
        assert!(
            row.contains(&format!("总数 {}", cell["total"])),
            "{code}: {row}"
        );
    }
    assert!(text_of(c, "[data-testid=overall]").await.contains(&format!(
        "镇级认定 {}",
        community["overall"]["certified_town"]
    )),);
    // The address opens the same view for a colleague; up leads back to the town.
    c.goto(&format!("{site}/safety?region=500117001002"))
        .await
        .unwrap();
    until("the shared address opens the community", 60, || async {
        attr(c, "[data-testid=overall]", "data-region")
            .await
            .as_deref()
            == Some("500117001002")
    })
    .await;
    click(c, "[data-testid=up] a").await;
    until("back up at the town", 30, || async {
        attr(c, "[data-testid=overall]", "data-region")
            .await
            .as_deref()
            == Some("500117001")
    })
    .await;
    let _ = b.client.clone().close().await;
}

/// A unit registered offline from a place outside every cell comes back refused, with the
/// reason; fixed on its own form (its name kept, the place corrected), it lands once under
/// the same id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_unit_is_fixed_on_its_form() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "worker1").await;
    first_pull(c).await;
    service_worker_controls(c).await;
    let worker = app
        .login("worker1", gridwork_server::tools::demo::PASSWORD)
        .await;
    proxy.set(false);
    c.goto(&format!("{site}/units/new")).await.unwrap();
    element(c, "[data-testid=unit-new]", 60).await;
    let name = "界外登记：河滩砂场";
    choose(c, "select[name=kind]", "other").await;
    fill(c, "input[name=name]", name).await;
    fill(c, "input[name=address]", "河滩路1号").await;
    fill(c, "input[name=lon]", "100.000000").await;
    fill(c, "input[name=lat]", "20.000000").await;
    click(c, "button[type=submit]").await;
    until("one operation pending", 30, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 1")
    })
    .await;

    // The server is back and refuses it: kept on the phone with the reason in Chinese.
    refused_outside_grid(c, &site, &proxy, name).await;
    click(c, "[data-testid=fix]").await;
    until("the form holds the refused unit", 30, || async {
        value_of(c, "input[name=name]").await.as_deref() == Some(name)
            && value_of(c, "select[name=kind]").await.as_deref() == Some("other")
    })
    .await;
    element(c, "[data-testid=fixing]", 10).await;
    let (lon, lat) = inside("500117001001002");
    fill(c, "input[name=lon]", &format!("{lon:.6}")).await;
    fill(c, "input[name=lat]", &format!("{lat:.6}")).await;
    click(c, "button[type=submit]").await;
    until("the fixed unit on the server, once", 60, || async {
        units_named(&app, &worker, name).await.len() == 1
    })
    .await;
    all_sent(c).await;
    let landed = units_named(&app, &worker, name).await;
    assert_eq!(landed[0]["cell_code"], "500117001001002");
    assert_eq!(landed[0]["address"], "河滩路1号");
    let _ = b.client.clone().close().await;
}
