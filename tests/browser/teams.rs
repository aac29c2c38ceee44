//! Volunteer teams (群防群治) through the screens: a member of the demo's red-armband team
//! opens its team and patrols with no signal — GPS fixes collected while the patrol runs, a
//! reload in the middle, the route kept — and the patrol lands once the signal returns, with
//! its members and route; a town supervisor opens the team list, a team's page and the
//! teams' figures.

use fantoccini::Locator;
use serde_json::Value;

use crate::support::*;

const TEAM: &str = "合阳城红袖标巡逻队";

/// How many GPS fixes the running patrol holds.
async fn fixes(c: &fantoccini::Client) -> usize {
    attr(c, "[data-testid=fixes]", "data-fixes")
        .await
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_patrols_with_no_signal_and_the_patrol_syncs() {
    let (app, proxy, site, b) = start().await;
    let c = &b.client;
    let pw = gridwork_server::tools::demo::PASSWORD;
    let chen = app.login("volunteer4", pw).await;
    let team = app.get("/api/v1/me/team", &chen).await.ok(200).clone();
    let team_id = team["id"].as_str().unwrap().to_string();
    let member = |name: &str| {
        team["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["display_name"].as_str().unwrap().contains(name))
            .unwrap()["user_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (me, other) = (member("陈大爷"), member("黄阿姨"));
    let patrols_before = items(&app, &chen, &format!("/api/v1/patrols?team={team_id}")).await;

    login(c, &site, "volunteer4").await;
    // The team reaches the phone with the first pull: home links to it.
    element(c, "[data-testid=team-link] a", 60).await;
    service_worker_controls(c).await;
    let (lon1, lat1) = inside("500117001002001");
    gps(c, &site, lon1, lat1, 8.0).await;

    // No signal: the team opens from the phone's copy.
    proxy.set(false);
    click(c, "[data-testid=team-link] a").await;
    element(c, "[data-testid=my-team]", 60).await;
    until(
        "the team, its zone and members from the phone",
        30,
        || async {
            let members = text_of(c, "[data-testid=members]").await;
            text_of(c, "[data-testid=team-name]").await == TEAM
                && members.contains("陈大爷")
                && members.contains("黄阿姨")
                && members.contains("积分")
                && text_of(c, "[data-testid=zone]")
                    .await
                    .contains("500117001002001")
        },
    )
    .await;
    assert_eq!(
        c.find_all(Locator::Css("[data-testid=zone] li"))
            .await
            .unwrap()
            .len(),
        4,
        "the four cells of the team's zone"
    );
    shot(c, "team-mine").await;

    // The patrol starts and follows the phone.
    click(c, "[data-testid=start-patrol]").await;
    until("the first GPS fix", 30, || async { fixes(c).await >= 1 }).await;
    let running = attr(c, "[data-testid=patrol]", "data-running")
        .await
        .expect("a running patrol");
    let (lon2, lat2) = inside("500117001002002");
    gps(c, &site, lon2, lat2, 8.0).await;
    until("the second GPS fix", 30, || async { fixes(c).await >= 2 }).await;

    // A reload (still with no signal) goes on with the same patrol.
    c.refresh().await.unwrap();
    element(c, "[data-testid=stop-patrol]", 60).await;
    assert_eq!(
        attr(c, "[data-testid=patrol]", "data-running").await,
        Some(running.clone())
    );
    until("the fixes kept over the reload", 30, || async {
        fixes(c).await >= 2
    })
    .await;
    let (lon3, lat3) = inside("500117001002003");
    gps(c, &site, lon3, lat3, 8.0).await;
    until("the third GPS fix", 30, || async { fixes(c).await >= 3 }).await;

    // Stopped: the patrol to confirm, the member itself ticked, the route not kept unless
    // asked.
    click(c, "[data-testid=stop-patrol]").await;
    element(c, "[data-testid=patrol-stop]", 30).await;
    let ticked = |id: &str| {
        let css = format!("input[name=member][value='{id}']");
        async move {
            element(c, &css, 10)
                .await
                .prop("checked")
                .await
                .ok()
                .flatten()
                .as_deref()
                == Some("true")
        }
    };
    assert!(ticked(&me).await, "the member itself took part");
    assert!(!ticked(&other).await);
    let keep = element(c, "input[name=keep-route]", 10).await;
    assert_eq!(
        keep.prop("checked").await.unwrap().as_deref(),
        Some("false")
    );
    click(c, &format!("input[name=member][value='{other}']")).await;
    until("the other member ticked", 10, || ticked(&other)).await;
    fill(c, "textarea[name=note]", "离线巡逻：夜查沿街商铺").await;
    click(c, "input[name=keep-route]").await;
    shot(c, "team-patrol-stop").await;
    click(c, "[data-testid=save-patrol]").await;

    // Queued, shown as waiting, and named in the outbox.
    element(c, "[data-testid=patrol-queued]", 30).await;
    until("the patrol waiting on the team screen", 30, || async {
        text_of(c, "[data-testid=patrols]").await.contains("待发送")
    })
    .await;
    until("one operation pending", 30, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 1")
    })
    .await;
    c.goto(&format!("{site}/outbox")).await.unwrap();
    until("the patrol in the outbox", 30, || async {
        text_of(c, "[data-testid=waiting]").await.contains("巡逻")
    })
    .await;
    assert!(
        items(&app, &chen, &format!("/api/v1/patrols?team={team_id}"))
            .await
            .len()
            == patrols_before.len(),
        "nothing reached the server with no signal"
    );

    // The signal returns: the patrol lands once, with both members and the route.
    proxy.set(true);
    click(c, "[data-testid=pending]").await;
    all_sent(c).await;
    let after = items(&app, &chen, &format!("/api/v1/patrols?team={team_id}")).await;
    let landed: Vec<&Value> = after
        .iter()
        .filter(|p| p["note"] == "离线巡逻：夜查沿街商铺")
        .collect();
    assert_eq!(landed.len(), 1, "{after:?}");
    let p = landed[0];
    assert_eq!(p["id"], running.as_str());
    let mut members: Vec<&str> = p["member_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    members.sort();
    let mut want = vec![me.as_str(), other.as_str()];
    want.sort();
    assert_eq!(members, want);
    assert_eq!(p["route"]["type"], "LineString");
    let route: Vec<(f64, f64)> = p["route"]["coordinates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x[0].as_f64().unwrap(), x[1].as_f64().unwrap()))
        .collect();
    let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-5 && (a.1 - b.1).abs() < 1e-5;
    assert_eq!(route.len(), 3, "{route:?}");
    assert!(
        near(route[0], (lon1, lat1))
            && near(route[1], (lon2, lat2))
            && near(route[2], (lon3, lat3))
    );

    // Back on the team screen it is listed as sent.
    c.goto(&format!("{site}/team")).await.unwrap();
    until("the patrol listed as sent", 30, || async {
        let list = text_of(c, "[data-testid=patrols]").await;
        list.contains("含路线") && !list.contains("待发送")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_opens_the_teams_a_team_and_the_teams_figures() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let town = app
        .login("town1", gridwork_server::tools::demo::PASSWORD)
        .await;
    let listed = items(&app, &town, "/api/v1/teams?limit=50").await;
    let heyang = listed
        .iter()
        .find(|t| t["name"] == TEAM)
        .expect("the demo team in the town's list");
    let id = heyang["id"].as_str().unwrap().to_string();
    let detail = app
        .get(&format!("/api/v1/teams/{id}"), &town)
        .await
        .ok(200)
        .clone();

    login(c, &site, "town1").await;
    click(c, "[data-testid=teams-link] a").await;
    element(c, "[data-testid=team-list]", 60).await;
    until("the town's teams listed", 30, || async {
        let list = text_of(c, "[data-testid=team-list]").await;
        list.contains(TEAM) && list.contains("文峰社区平安大嫂")
    })
    .await;
    let rows = c
        .find_all(Locator::Css("[data-testid=team-list] li[data-team]"))
        .await
        .unwrap()
        .len();
    assert_eq!(rows, listed.len());
    // Filtered by kind: the red armbands alone.
    choose(c, "select[name=kind]", "red_armband").await;
    until("the red armbands alone", 30, || async {
        let list = text_of(c, "[data-testid=team-list]").await;
        list.contains(TEAM) && !list.contains("文峰社区平安大嫂")
    })
    .await;
    choose(c, "select[name=kind]", "").await;
    until("every kind again", 30, || async {
        text_of(c, "[data-testid=team-list]")
            .await
            .contains("文峰社区平安大嫂")
    })
    .await;
    shot(c, "team-list").await;

    // The team's page: members with their points (as the API counts them), the leader, the
    // zone on the map, the patrols.
    click(c, &format!("[data-team='{id}'] a")).await;
    element(c, "[data-testid=members]", 60).await;
    for m in detail["members"].as_array().unwrap() {
        let css = format!("[data-member='{}']", m["user_id"].as_str().unwrap());
        let name = m["display_name"].as_str().unwrap().to_string();
        let points = m["points"].to_string();
        until("a member with its points", 30, || async {
            let row = text_of(c, &css).await;
            row.contains(&name)
                && text_of(c, &format!("{css} [data-testid=member-points]")).await == points
        })
        .await;
    }
    assert_eq!(
        text_of(c, "[data-testid=team-points]").await,
        detail["points"].to_string()
    );
    until("the leader named", 30, || async {
        !text_of(c, "[data-testid=leader]")
            .await
            .contains("未设队长")
    })
    .await;
    until("the zone drawn on the map", 60, || async {
        attr(c, "#team-map", "data-cells").await.as_deref() == Some("4")
    })
    .await;
    until("the team's patrols", 30, || async {
        c.find_all(Locator::Css("[data-testid=team-patrols] li"))
            .await
            .map(|l| l.len())
            .unwrap_or(0)
            == 2
    })
    .await;
    shot(c, "team-page").await;

    // A volunteer of another team cannot join: the 409 is said in words.
    let other = user(&app, &town, "volunteer3").await;
    let css = format!(
        "input[name=member][value='{}']",
        other["id"].as_str().unwrap()
    );
    click(c, &css).await;
    click(c, "[data-testid=save-members]").await;
    until("the refusal said, naming the volunteer", 30, || async {
        let said = text_of(c, "[data-testid=members-said]").await;
        said.contains("该志愿者已在另一支队伍中") && said.contains("平安大嫂 张姐")
    })
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/teams/{id}"), &town).await.ok(200)["members"],
        detail["members"],
        "the members unchanged"
    );

    // The teams' figures, as the API counts them.
    c.goto(&format!("{site}/figures/teams")).await.unwrap();
    element(c, "[data-testid=team-figures]", 60).await;
    let figures = app.get("/api/v1/stats/teams", &town).await.ok(200).clone();
    let mine = figures
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["team_id"] == id.as_str())
        .unwrap()
        .clone();
    let points = mine["points"].to_string();
    until("the team's points in the figures", 30, || async {
        text_of(
            c,
            &format!("[data-testid=team-figures] tr[data-team='{id}'] [data-testid=points]"),
        )
        .await
            == points
    })
    .await;
    click(c, "[data-testid=export-teams-csv]").await;
    until("the table downloaded", 30, || async {
        text_of(c, "[data-testid=export-file]")
            .await
            .contains(".csv")
    })
    .await;
    shot(c, "team-figures").await;
}
