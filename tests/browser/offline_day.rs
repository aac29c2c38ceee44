//! What the server refuses stays on the phone: a report made with no signal from a place
//! outside every cell comes back refused, is shown with the reason in the user's language,
//! fixed and sent again — photo included, exactly once — and another is discarded only after
//! a confirmation.

use fantoccini::Locator;
use serde_json::Value;

use crate::support::*;

/// A point inside demo cell 500117001001001.
fn inside() -> (String, String) {
    use geo::InteriorPoint;
    let cell = gridwork_server::tools::demo::demo_cells()
        .into_iter()
        .find(|c| c.code == "500117001001001")
        .unwrap();
    let p = cell.shape.interior_point().unwrap();
    (format!("{:.6}", p.x()), format!("{:.6}", p.y()))
}

/// Fills the report form with a place far from every cell and sends it.
async fn report_outside(c: &fantoccini::Client, site: &str, title: &str, photo: bool) {
    c.goto(&format!("{site}/report")).await.unwrap();
    choose_category(c).await;
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
    proxy.set(true);
    click(c, "[data-testid=pending]").await;
    until("the refusal named below the top bar", 60, || async {
        text_of(c, "[data-testid=refused-link]")
            .await
            .starts_with("1 ")
    })
    .await;
    c.goto(&format!("{site}/outbox")).await.unwrap();
    until("the refused report with its reason", 30, || async {
        let t = text_of(c, "[data-testid=refused]").await;
        t.contains("界外上报：河滩垃圾") && t.contains("该位置不在任何网格内")
    })
    .await;
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
    let (lon, lat) = inside();
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
    until("nothing left to send or fix", 60, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 0")
            && c.find(Locator::Css("[data-testid=refused-link]"))
                .await
                .is_err()
    })
    .await;

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
