use gridwork_tests::{TestApp, both_engines};
use std::collections::BTreeSet;

/// `gridwork demo` seeds a district with incidents in every state, and seeding again
/// changes nothing.
async fn the_demo_district_is_complete_and_idempotent(app: TestApp) {
    let state = app.state.clone();
    let logins = app
        .with_db(move |c| gridwork_server::tools::demo::seed(&state, c).map_err(|e| e.to_string()))
        .await
        .unwrap();
    let roles: BTreeSet<String> = logins.iter().map(|l| l.1.clone()).collect();
    assert_eq!(roles.len(), 5, "{roles:?}");
    let token = app
        .login("admin", gridwork_server::tools::demo::PASSWORD)
        .await;
    let cells = app.get("/api/v1/cells", &token).await;
    assert_eq!(cells.ok(200)["features"].as_array().unwrap().len(), 48);
    let regions = app.get("/api/v1/regions", &token).await;
    let regions = regions.ok(200).as_array().unwrap().clone();
    assert_eq!(regions.iter().filter(|r| r["level"] == "town").count(), 4);
    assert_eq!(
        regions.iter().filter(|r| r["level"] == "community").count(),
        8
    );
    let list = app.get("/api/v1/incidents?limit=500", &token).await;
    let items = list.ok(200)["items"].as_array().unwrap().clone();
    let statuses: BTreeSet<String> = items
        .iter()
        .map(|i| i["status"].as_str().unwrap().to_string())
        .collect();
    for s in [
        "reported",
        "accepted",
        "rejected",
        "dispatched",
        "in_progress",
        "resolved",
        "closed",
        "rework",
    ] {
        assert!(statuses.contains(s), "no demo incident is {s}");
    }
    let levels: BTreeSet<String> = items
        .iter()
        .map(|i| i["level"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(levels.len(), 3);
    assert!(items.iter().any(|i| !i["merged_into"].is_null()));
    let persons = app.get("/api/v1/persons?limit=500", &token).await;
    let persons = persons.ok(200)["items"].as_array().unwrap().clone();
    let cats: BTreeSet<String> = persons
        .iter()
        .map(|p| p["category"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(cats.len(), 7, "{cats:?}");
    assert!(persons.iter().any(|p| p["overdue"] == true));
    let units = app.get("/api/v1/safety-units?limit=500", &token).await;
    let units = units.ok(200)["items"].as_array().unwrap().clone();
    let kinds: BTreeSet<String> = units
        .iter()
        .map(|u| u["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.len(), 9, "{kinds:?}");
    let statuses: BTreeSet<String> = units
        .iter()
        .map(|u| u["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses.len(), 4, "{statuses:?}");
    let certs: BTreeSet<String> = units
        .iter()
        .map(|u| u["certification"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(certs.len(), 3, "{certs:?}");
    // Teams of every kind, with members, patrols and the points they earned.
    let teams = app.get("/api/v1/teams?limit=500", &token).await;
    let teams = teams.ok(200)["items"].as_array().unwrap().clone();
    let kinds: BTreeSet<String> = teams
        .iter()
        .map(|t| t["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(
        teams
            .iter()
            .all(|t| t["member_count"].as_i64().unwrap() > 0)
    );
    assert!(
        teams
            .iter()
            .filter(|t| t["points"].as_i64().unwrap() > 0)
            .count()
            >= 3
    );
    let patrols = app.get("/api/v1/patrols?limit=500", &token).await;
    let patrols = patrols.ok(200)["items"].as_array().unwrap().clone();
    assert!(patrols.len() >= 6);
    assert!(patrols.iter().any(|p| p["route"]["type"] == "LineString"));
    let volunteer = app
        .login("volunteer3", gridwork_server::tools::demo::PASSWORD)
        .await;
    let mine = app.get("/api/v1/me/team", &volunteer).await;
    assert_eq!(mine.ok(200)["kind"], "safety_sisters");
    let members = mine.body["members"].as_array().unwrap();
    assert!(
        members
            .iter()
            .any(|m| m["user_id"] == mine.body["leader_id"]),
        "a volunteer leads it"
    );
    let state = app.state.clone();
    app.with_db(move |c| gridwork_server::tools::demo::seed(&state, c).map_err(|e| e.to_string()))
        .await
        .unwrap();
    let teams_again = app.get("/api/v1/teams?limit=500", &token).await;
    assert_eq!(teams_again.ok(200)["items"].as_array().unwrap(), &teams);
    let patrols_again = app.get("/api/v1/patrols?limit=500", &token).await;
    assert_eq!(
        patrols_again.ok(200)["items"].as_array().unwrap().len(),
        patrols.len()
    );
    let persons_again = app.get("/api/v1/persons?limit=500", &token).await;
    assert_eq!(
        persons_again.ok(200)["items"].as_array().unwrap().len(),
        persons.len()
    );
    let units_again = app.get("/api/v1/safety-units?limit=500", &token).await;
    assert_eq!(
        units_again.ok(200)["items"].as_array().unwrap().len(),
        units.len()
    );
    let again = app.get("/api/v1/incidents?limit=500", &token).await;
    assert_eq!(
        again.ok(200)["items"].as_array().unwrap().len(),
        items.len()
    );
    let cells = app.get("/api/v1/cells", &token).await;
    assert_eq!(cells.ok(200)["features"].as_array().unwrap().len(), 48);
}

both_engines!(the_demo_district_is_complete_and_idempotent);
