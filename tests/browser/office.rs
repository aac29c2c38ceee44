//! The office journeys: a supervisor taps a cell on the map and reads the cell's page (its
//! incidents, persons due, units and workers), reads the map in English, and downloads the
//! figures per worker; a volunteer reports and sees only its own reports per cell, with the
//! reason of a rejection and no counts of what it may not see.

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::support::*;

const PW: &str = gridwork_server::tools::demo::PASSWORD;
/// Worker1's first cell in 文峰社区: the demo's open rubbish report and worker1.
const CELL: &str = "500117001001001";

/// Brings a cell to the middle of the map, close up: a tap on the map's middle is a tap on
/// that cell.
async fn centre_on(c: &Client, code: &str) {
    let (lon, lat) = inside(code);
    c.execute(
        "document.getElementById('map')._gridworkMap.setView([arguments[1], arguments[0]], 18, {animate: false});",
        vec![json!(lon), json!(lat)],
    )
    .await
    .unwrap();
}

/// Opens the tooltip of a cell on the map and answers its text lines.
async fn tooltip(c: &Client, code: &str) -> Vec<String> {
    let lines = c
        .execute(
            "var code = arguments[0]; var map = document.getElementById('map')._gridworkMap; \
             var found = null; \
             map.eachLayer(function (l) { if (l.feature && l.feature.properties.code === code) { found = l; } }); \
             if (!found) { return null; } \
             found.openTooltip(); \
             var t = document.querySelector('.leaflet-tooltip'); \
             return t ? Array.from(t.querySelectorAll(':scope > div > div')).map(function (d) { return d.textContent; }) : null;",
            vec![json!(code)],
        )
        .await
        .unwrap();
    lines
        .as_array()
        .map(|v| {
            v.iter()
                .map(|l| l.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The `title` of the map's zoom-in button.
async fn zoom_in_title(c: &Client) -> String {
    attr(c, "#map .leaflet-control-zoom-in", "title")
        .await
        .unwrap_or_default()
}

/// The `href`s of the links in a list of the cell's page.
async fn links(c: &Client, list: &str) -> Vec<String> {
    attrs(c, &format!("[data-testid={list}] a"), "href").await
}

/// The name the export's link gives its file.
async fn link_name(c: &Client, table: &str) -> String {
    let css = format!("[data-testid=export-{table}] [data-testid=export-file] a");
    attr(c, &css, "download").await.unwrap_or_default()
}

/// The language switch in the top bar (it names the other language).
async fn switch_language(c: &Client, to: &str) {
    c.find(Locator::XPath(&format!(
        "//header//button[normalize-space(.)='{to}']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_opens_a_cell_from_the_map_reads_it_in_english_and_exports_figures() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let town1 = app.login("town1", PW).await;
    login(c, &site, "town1").await;
    click(c, "[data-testid=map-link] a").await;
    map_drawn(c, 12).await;

    // The map's words are the interface's: Chinese first.
    let tip = tooltip(c, CELL).await;
    assert_eq!(tip.len(), 4, "{tip:?}");
    assert!(
        tip[0].contains("文峰社区第1网格") && tip[0].contains(CELL) && tip[2].contains("走访超期"),
        "the tooltip names the cell: {tip:?}"
    );
    assert_eq!(zoom_in_title(c).await, "放大");

    // English: the map is drawn again in the new words.
    switch_language(c, "EN").await;
    until("the map's tooltip in English", 30, || async {
        let tip = tooltip(c, CELL).await;
        tip.len() == 4
            && tip[1].starts_with("Incidents ")
            && tip[2].starts_with("Visits overdue ")
            && tip[3].starts_with("Hazards ")
            && zoom_in_title(c).await == "Zoom in"
    })
    .await;
    let tip = tooltip(c, CELL).await;
    assert!(
        !tip[1..]
            .iter()
            .any(|l| l.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))),
        "no Chinese word left in the figures' lines: {tip:?}"
    );
    shot(c, "map-english").await;
    switch_language(c, "中文").await;
    until("the map's tooltip in Chinese again", 30, || async {
        tooltip(c, CELL)
            .await
            .get(2)
            .is_some_and(|l| l.contains("走访超期"))
    })
    .await;

    // A tap on the cell opens its page.
    centre_on(c, CELL).await;
    click(c, "#map").await;
    until("the cell's page", 30, || async {
        c.current_url()
            .await
            .is_ok_and(|u| u.path() == format!("/cells/{CELL}"))
            && text_of(c, "[data-testid=cell-name]").await == "文峰社区第1网格"
    })
    .await;
    assert_eq!(text_of(c, "[data-testid=cell-code]").await, CELL);

    // Its incidents: every open one of the cell, before the closed and rejected ones.
    let open: Vec<Value> = items(
        &app,
        &town1,
        &format!("/api/v1/incidents?cell={CELL}&limit=500"),
    )
    .await
    .into_iter()
    .filter(|i| i["status"] != "closed" && i["status"] != "rejected")
    .collect();
    assert!(
        open.iter().any(|i| i["title"] == "小区门口垃圾堆积"),
        "the demo has an open report in the cell"
    );
    until("the cell's incidents", 30, || async {
        text_of(c, "[data-testid=cell-incidents]")
            .await
            .contains("小区门口垃圾堆积")
    })
    .await;
    let shown = links(c, "cell-incidents").await;
    assert!(shown.len() >= open.len(), "{shown:?}");
    let mut first: Vec<String> = shown[..open.len()].to_vec();
    first.sort();
    let mut want: Vec<String> = open
        .iter()
        .map(|i| format!("/incidents/{}", i["id"].as_str().unwrap()))
        .collect();
    want.sort();
    assert_eq!(first, want, "the open incidents come first: {shown:?}");

    // Its persons due and units, each linking to its own screen, as the server has them.
    let persons: Vec<String> = items(
        &app,
        &town1,
        &format!("/api/v1/persons?cell={CELL}&limit=500"),
    )
    .await
    .into_iter()
    .filter(|p| p["active"] == true && !p["next_visit_due"].is_null())
    .map(|p| format!("/persons/{}", p["id"].as_str().unwrap()))
    .collect();
    let units: Vec<String> = items(
        &app,
        &town1,
        &format!("/api/v1/safety-units?cell={CELL}&limit=500"),
    )
    .await
    .into_iter()
    .map(|u| format!("/units/{}", u["id"].as_str().unwrap()))
    .collect();
    assert!(
        !persons.is_empty() && !units.is_empty(),
        "the demo's cell has both"
    );
    let mut shown = links(c, "cell-persons").await;
    shown.sort();
    let mut want = persons.clone();
    want.sort();
    assert_eq!(shown, want, "the persons due");
    let mut shown = links(c, "cell-units").await;
    shown.sort();
    let mut want = units.clone();
    want.sort();
    assert_eq!(shown, want, "the units");

    // Its workers, as assigned.
    let assigned = app
        .get(&format!("/api/v1/cells/{CELL}/workers"), &town1)
        .await
        .body["workers"]
        .clone();
    let names: Vec<&str> = assigned
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["display_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"文峰社区网格员甲"), "{names:?}");
    until("the cell's workers", 30, || async {
        let text = text_of(c, "[data-testid=cell-workers]").await;
        names.iter().all(|n| text.contains(n))
    })
    .await;
    shot(c, "cell").await;

    // A link to a person opens the person's screen.
    click(
        c,
        &format!("[data-testid=cell-persons] a[href='{}']", persons[0]),
    )
    .await;
    until("the person's screen", 30, || async {
        c.current_url().await.is_ok_and(|u| u.path() == persons[0])
    })
    .await;

    // A cell of another town, and a code that names nothing, read as not found.
    for code in ["500117002001001", "not-a-cell"] {
        c.goto(&format!("{site}/cells/{code}")).await.unwrap();
        let e = element(c, "[data-testid=cell-not-found]", 30).await;
        assert!(!e.text().await.unwrap().is_empty());
    }

    // The figures per worker, as the server counts them.
    c.goto(&format!("{site}/figures")).await.unwrap();
    let figures = app.get("/api/v1/stats/workers", &town1).await.body.clone();
    let w1 = figures
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["username"] == "worker1")
        .unwrap()
        .clone();
    let row = "[data-testid=worker-figures] tr[data-worker=worker1]";
    element(c, row, 30).await;
    let mut cells = Vec::new();
    for td in c
        .find_all(Locator::Css(&format!("{row} td")))
        .await
        .unwrap()
    {
        cells.push(td.text().await.unwrap());
    }
    assert_eq!(
        [&cells[0], &cells[1], &cells[2], &cells[4]],
        [
            &w1["filed"].to_string(),
            &w1["closed"].to_string(),
            &w1["visits"].to_string(),
            &w1["inspections"].to_string()
        ],
        "worker1's row: {cells:?}"
    );
    assert!(text_of(c, row).await.contains("文峰社区网格员甲"));
    let rows = c
        .find_all(Locator::Css("[data-testid=worker-figures] tbody tr"))
        .await
        .unwrap()
        .len();
    assert_eq!(rows, figures.as_array().unwrap().len(), "one row a worker");
    shot(c, "figures-workers").await;

    // The CSV export downloads with the supervisor's token: the file the browser got is the
    // server's, under the server's name.
    let dir = tempfile::tempdir().unwrap();
    downloads_into(c, dir.path()).await;
    click(c, "[data-testid=export-workers-csv]").await;
    let (name, bytes) = downloaded(dir.path(), ".csv").await;
    assert!(name.starts_with("gridwork-workers-500117001-"), "{name}");
    until("the file linked under the buttons", 30, || async {
        link_name(c, "workers").await == name
    })
    .await;
    let csv = String::from_utf8(bytes).unwrap();
    let from_server = app
        .get("/api/v1/stats/export?format=csv&table=workers", &town1)
        .await
        .text;
    assert_eq!(
        csv.trim_start_matches('\u{feff}'),
        from_server.trim_start_matches('\u{feff}')
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{},\"worker1\"", w1["worker_id"]))),
        "{csv}"
    );
    // Excel too; and the regions' table has its own buttons.
    click(c, "[data-testid=export-workers-xlsx]").await;
    let (name, bytes) = downloaded(dir.path(), ".xlsx").await;
    assert!(name.starts_with("gridwork-workers-"), "{name}");
    assert!(bytes.starts_with(b"PK"), "an Excel file is a zip");
    click(c, "[data-testid=export-regions-csv]").await;
    until("the regions' file", 30, || async {
        link_name(c, "regions")
            .await
            .starts_with("gridwork-stats-500117001-")
    })
    .await;
    let file = dir.path().join(link_name(c, "regions").await);
    until("the regions' file downloaded", 30, || async {
        std::fs::read_to_string(&file).is_ok_and(|t| t.contains("region_code,name,filed"))
    })
    .await;
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_sees_only_its_own_reports_per_cell_and_why_one_was_rejected() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let volunteer = app.login("volunteer1", PW).await;
    login(c, &site, "volunteer1").await;
    until("the volunteer's home", 60, || async {
        text_of(c, "[data-testid=incidents]")
            .await
            .contains("咨询社保办理")
    })
    .await;

    // It reports from a cell where it has reported nothing yet.
    let here = "500117001001003";
    let title = "楼道灯坏了，晚上很黑";
    c.goto(&format!("{site}/report")).await.unwrap();
    choose(c, "select[name=category]", "0502").await;
    choose(c, "select[name=severity]", "medium").await;
    fill(c, "input[name=title]", title).await;
    let (lon, lat) = inside(here);
    fill(c, "input[name=lon]", &format!("{lon:.6}")).await;
    fill(c, "input[name=lat]", &format!("{lat:.6}")).await;
    until("the cell resolved on the device", 30, || async {
        text_of(c, "[data-testid=cell]").await.contains(here)
    })
    .await;
    click(c, "button[type=submit]").await;
    until("the report reached the server", 60, || async {
        api_incidents(&app, &volunteer, title).await.len() == 1
    })
    .await;
    let report = api_incidents(&app, &volunteer, title).await.remove(0);
    let id = report["id"].as_str().unwrap().to_string();

    // A supervisor rejects it, saying why, on the incident's screen.
    let reason = "属于物业维修范围，请联系物业";
    let s = browser().await;
    let sc = &s.client;
    login(sc, &site, "town1").await;
    element(sc, "[data-testid=map-link]", 60).await;
    sc.goto(&format!("{site}/incidents/{id}")).await.unwrap();
    fill(sc, "input[name=note]", reason).await;
    click(sc, "[data-action=reject]").await;
    until("the report rejected", 60, || async {
        let d = app
            .get(&format!("/api/v1/incidents/{id}"), &volunteer)
            .await;
        d.body["status"] == "rejected"
    })
    .await;
    let _ = s.client.clone().close().await;

    // My cells: the cells with its reports, each report once, and nothing else.
    c.goto(&format!("{site}/cells")).await.unwrap();
    let mine = items(&app, &volunteer, "/api/v1/incidents?limit=500").await;
    until("the rejection and its reason", 60, || async {
        text_of(
            c,
            &format!("[data-testid=report-outcome][data-incident='{id}']"),
        )
        .await
        .contains(reason)
    })
    .await;
    let mut shown = Vec::new();
    for a in c
        .find_all(Locator::Css("[data-testid=my-reports] a"))
        .await
        .unwrap()
    {
        shown.push(a.attr("href").await.unwrap().unwrap_or_default());
    }
    shown.sort();
    let mut want: Vec<String> = mine
        .iter()
        .map(|i| format!("/incidents/{}", i["id"].as_str().unwrap()))
        .collect();
    want.sort();
    assert_eq!(shown, want, "its own reports, each once");
    assert_eq!(want.len(), 3, "the demo's two and the new one");
    let page = text_of(c, "[data-testid=cells]").await;
    assert!(
        !page.contains("小区门口垃圾堆积"),
        "a worker's report in the same cell is not the volunteer's to see: {page}"
    );
    let card = text_of(c, &format!("details[data-cell='{here}']")).await;
    assert!(
        card.contains(title) && card.contains("我的上报 1"),
        "{card}"
    );
    // No figures of what it cannot see: no visits, no hazards, no zero counts.
    for word in ["待走访", "隐患"] {
        assert!(!page.contains(word), "no {word} for a volunteer: {page}");
    }
    for chip in c
        .find_all(Locator::Css("[data-testid=cells] .chip"))
        .await
        .unwrap()
    {
        let text = chip.text().await.unwrap();
        assert!(!text.ends_with(" 0"), "a misleading zero: {text}");
    }
    // The other cells of its area, named, without figures.
    let others = text_of(c, "[data-testid=other-cells]").await;
    assert!(
        others.contains("文峰社区第4网格") && others.contains("暂无上报"),
        "{others}"
    );
    // The demo's report rejected without a note, and its merged duplicate, say so.
    assert!(page.contains("未说明原因"), "{page}");
    assert!(page.contains("作为重复事件已合并"), "{page}");
    shot(c, "cells-volunteer").await;

    // Its incident screen shows the reason too.
    click(
        c,
        &format!("[data-testid=my-reports] a[href='/incidents/{id}']"),
    )
    .await;
    until("the reason on the incident's screen", 30, || async {
        text_of(c, "main").await.contains(reason)
    })
    .await;
    let _ = b.client.clone().close().await;
}
