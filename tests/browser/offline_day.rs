//! A worker's day with no signal: twenty reports with photos, fifteen visits and ten
//! inspections made with the server away and the app reloaded twice, all landing exactly
//! once when the signal returns. And what the server refuses stays on the phone: a report
//! made with no signal from a place outside every cell comes back refused, is shown with the
//! reason in the user's language, fixed and sent again — photo included, exactly once — and
//! another is discarded only after a confirmation.

use fantoccini::Locator;
use serde_json::Value;

use crate::support::*;

/// A point inside demo cell 500117001001001, as typed into the report form.
fn typed_inside() -> (String, String) {
    let (lon, lat) = inside("500117001001001");
    (format!("{lon:.6}"), format!("{lat:.6}"))
}

/// Fills the report form with a place far from every cell and sends it.
async fn report_outside(c: &fantoccini::Client, site: &str, title: &str, photo: bool) {
    c.goto(&format!("{site}/report")).await.unwrap();
    choose_category(c).await;
    choose(c, "select[name=severity]", "low").await;
    fill(c, "input[name=title]", title).await;
    fill(c, "input[name=lon]", "100.000000").await;
    fill(c, "input[name=lat]", "20.000000").await;
    if photo {
        attach_photo(c).await;
    }
    click(c, "button[type=submit]").await;
}

async fn photos_of(app: &gridwork_tests::TestApp, token: &str, id: &Value) -> usize {
    let r = app
        .get(
            &format!("/api/v1/incidents/{}", id.as_str().unwrap()),
            token,
        )
        .await;
    r.body["photos"].as_array().map_or(0, Vec::len)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_report_stays_on_the_phone_until_fixed_or_discarded() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "worker1").await;
    first_pull(c).await;
    service_worker_controls(c).await;
    let worker = app
        .login("worker1", gridwork_server::tools::demo::PASSWORD)
        .await;

    // With no signal, a report from a place outside every cell: it waits, shown at once in
    // "my incidents".
    proxy.set(false);
    report_outside(c, &site, "界外上报：河滩垃圾", true).await;
    until("the report waiting in my incidents", 30, || async {
        text_of(c, "[data-testid=outgoing-report]")
            .await
            .contains("界外上报：河滩垃圾")
    })
    .await;

    // The server is back and refuses it: nothing is lost, the reason is in Chinese.
    refused_outside_grid(c, &site, &proxy, "界外上报：河滩垃圾").await;
    shot(c, "outbox").await;
    assert!(
        api_incidents(&app, &worker, "界外上报：河滩垃圾")
            .await
            .is_empty()
    );

    // Fixed on its form (the words kept, the place corrected) and sent again.
    click(c, "[data-testid=fix]").await;
    until("the form holds the refused report", 30, || async {
        let title = c.find(Locator::Css("input[name=title]")).await.ok();
        match title {
            Some(e) => {
                e.prop("value").await.ok().flatten().as_deref() == Some("界外上报：河滩垃圾")
            }
            None => false,
        }
    })
    .await;
    element(c, "[data-testid=fixing]", 10).await;
    let (lon, lat) = typed_inside();
    fill(c, "input[name=lon]", &lon).await;
    fill(c, "input[name=lat]", &lat).await;
    click(c, "button[type=submit]").await;
    until(
        "the fixed report on the server once, with its photo",
        60,
        || async {
            let found = api_incidents(&app, &worker, "界外上报：河滩垃圾").await;
            found.len() == 1 && photos_of(&app, &worker, &found[0]["id"]).await == 1
        },
    )
    .await;
    all_sent(c).await;

    // Another refused report is discarded, but only once the worker confirms.
    report_outside(c, &site, "界外上报：误报", false).await;
    until("the second refusal", 60, || async {
        text_of(c, "[data-testid=refused-link]")
            .await
            .starts_with("1 ")
    })
    .await;
    c.goto(&format!("{site}/outbox")).await.unwrap();
    click(c, "[data-testid=discard]").await;
    element(c, "[data-testid=discard-sure]", 10).await;
    assert!(
        text_of(c, "[data-testid=outbox]")
            .await
            .contains("界外上报：误报"),
        "nothing goes before the confirmation"
    );
    click(c, "[data-testid=discard-sure]").await;
    until("the outbox empty", 30, || async {
        text_of(c, "[data-testid=outbox]")
            .await
            .contains("全部已发送")
    })
    .await;
    assert!(
        api_incidents(&app, &worker, "界外上报：误报")
            .await
            .is_empty()
    );
    assert_eq!(
        api_incidents(&app, &worker, "界外上报：河滩垃圾")
            .await
            .len(),
        1
    );
}

/// The number the top bar's pending button ends with.
async fn pending(c: &fantoccini::Client) -> Option<u64> {
    text_of(c, "[data-testid=pending]")
        .await
        .split_whitespace()
        .last()?
        .parse()
        .ok()
}

/// Waits until the pending button says `n`.
async fn pending_is(c: &fantoccini::Client, n: u64) {
    until(&format!("{n} pending"), 60, || async {
        pending(c).await == Some(n)
    })
    .await;
}

/// What the browser holds for the site (IndexedDB, the service worker's cache), in bytes.
async fn storage_used(c: &fantoccini::Client) -> u64 {
    c.execute_async(
        "const done = arguments[arguments.length - 1];
         navigator.storage.estimate().then((e) => done(e.usage), () => done(-1));",
        vec![],
    )
    .await
    .unwrap()
    .as_u64()
    .expect("the browser estimates its storage")
}

/// `(id, lon, lat)` of each item of a list the worker may read.
async fn places(app: &gridwork_tests::TestApp, token: &str, path: &str) -> Vec<(String, f64, f64)> {
    app.get(path, token).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["location"]["lon"].as_f64().unwrap(),
                v["location"]["lat"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// How many items the list under `path` answers.
async fn count_of(app: &gridwork_tests::TestApp, token: &str, path: &str, key: &str) -> usize {
    let body = app.get(path, token).await.body;
    body[key]
        .as_array()
        .or_else(|| body.as_array())
        .map_or(0, Vec::len)
}

const REPORTS: usize = 20;
const VISITS: usize = 15;
const INSPECTIONS: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workers_day_with_no_signal_lands_exactly_once() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "worker1").await;
    first_pull(c).await;
    service_worker_controls(c).await;
    let worker = app
        .login("worker1", gridwork_server::tools::demo::PASSWORD)
        .await;
    let persons = places(&app, &worker, "/api/v1/persons?limit=500").await;
    let units = places(&app, &worker, "/api/v1/safety-units?limit=500").await;
    assert!(!persons.is_empty() && !units.is_empty());
    let visits_before: Vec<usize> = {
        let mut n = Vec::new();
        for (id, _, _) in &persons {
            n.push(
                count_of(
                    &app,
                    &worker,
                    &format!("/api/v1/persons/{id}/visits"),
                    "items",
                )
                .await,
            );
        }
        n
    };
    let inspections_before: Vec<usize> = {
        let mut n = Vec::new();
        for (id, _, _) in &units {
            n.push(
                count_of(
                    &app,
                    &worker,
                    &format!("/api/v1/safety-units/{id}"),
                    "inspections",
                )
                .await,
            );
        }
        n
    };
    let storage_online = storage_used(c).await;

    // The signal goes; the day's work is done on the phone alone.
    proxy.set(false);
    let (lon, lat) = typed_inside();
    let mut queued = 0;
    for n in 1..=REPORTS {
        c.goto(&format!("{site}/report")).await.unwrap();
        choose_category(c).await;
        choose(c, "select[name=severity]", "medium").await;
        fill(
            c,
            "input[name=title]",
            &format!("无信号的一天：上报 {n:02}"),
        )
        .await;
        fill(c, "input[name=lon]", &lon).await;
        fill(c, "input[name=lat]", &lat).await;
        attach_photo(c).await;
        click(c, "button[type=submit]").await;
        queued += 1;
        pending_is(c, queued).await;
        if n == REPORTS / 2 {
            // The app is closed and opened again: the queue is still there.
            c.refresh().await.unwrap();
            pending_is(c, queued).await;
        }
    }
    for n in 0..VISITS {
        let (id, lon, lat) = &persons[n % persons.len()];
        gps(c, &site, *lon, *lat, 8.0).await;
        c.goto(&format!("{site}/persons/{id}/visit")).await.unwrap();
        position_taken(c).await;
        choose(c, "select[name=outcome]", "met").await;
        fill(c, "textarea[name=note]", &format!("无信号走访 {n:02}")).await;
        click(c, "button[type=submit]").await;
        queued += 1;
        pending_is(c, queued).await;
        if n == 7 {
            c.refresh().await.unwrap();
            pending_is(c, queued).await;
        }
    }
    for n in 0..INSPECTIONS {
        let (id, lon, lat) = &units[n % units.len()];
        gps(c, &site, *lon, *lat, 8.0).await;
        c.goto(&format!("{site}/units/{id}/inspect")).await.unwrap();
        position_taken(c).await;
        choose(c, "select[name=result]", "safe").await;
        click(c, "button[type=submit]").await;
        queued += 1;
        pending_is(c, queued).await;
    }
    let storage_offline = storage_used(c).await;
    println!(
        "a day with no signal ({REPORTS} reports with photos, {VISITS} visits, {INSPECTIONS} \
         inspections) took {:.0} KB of phone storage ({:.0} KB in all for the site)",
        storage_offline.saturating_sub(storage_online) as f64 / 1024.0,
        storage_offline as f64 / 1024.0
    );
    for n in 1..=REPORTS {
        assert!(
            api_incidents(&app, &worker, &format!("无信号的一天：上报 {n:02}"))
                .await
                .is_empty(),
            "nothing reached the server with no signal"
        );
    }

    // The signal is back: everything lands once, photos included.
    proxy.set(true);
    click(c, "[data-testid=pending]").await;
    until("the queue drained", 180, || async {
        pending(c).await == Some(0)
    })
    .await;
    for n in 1..=REPORTS {
        let title = format!("无信号的一天：上报 {n:02}");
        let found = api_incidents(&app, &worker, &title).await;
        assert_eq!(found.len(), 1, "{title} landed once");
        until(&format!("the photo of {title}"), 120, || async {
            photos_of(&app, &worker, &found[0]["id"]).await == 1
        })
        .await;
    }
    for (i, (id, _, _)) in persons.iter().enumerate() {
        let made = (0..VISITS).filter(|n| n % persons.len() == i).count();
        assert_eq!(
            count_of(
                &app,
                &worker,
                &format!("/api/v1/persons/{id}/visits"),
                "items"
            )
            .await,
            visits_before[i] + made,
            "the visits of person {id} landed once each"
        );
    }
    for (i, (id, _, _)) in units.iter().enumerate() {
        let made = (0..INSPECTIONS).filter(|n| n % units.len() == i).count();
        assert_eq!(
            count_of(
                &app,
                &worker,
                &format!("/api/v1/safety-units/{id}"),
                "inspections"
            )
            .await,
            inspections_before[i] + made,
            "the inspections of unit {id} landed once each"
        );
    }
    let _ = b.client.clone().close().await;
}
