//! The admin console through its screens: an admin adds a community, creates a user with a
//! role picked explicitly, edits it, resets its password, deactivates, reactivates and
//! unlocks it, changes a category deadline and a visit interval, and reads the audit entries
//! of all that; a worker changes its own password on its profile and is kept out of the
//! console. The API only checks what happened.

use fantoccini::{Client, Locator};
use gridwork_server::tools::demo::PASSWORD;
use serde_json::{Value, json};

use crate::support::*;

/// The text of the option a select shows now.
async fn shown_text(c: &Client, css: &str) -> String {
    c.execute(
        "const s = document.querySelector(arguments[0]); return s.options[s.selectedIndex].text;",
        vec![Value::String(css.into())],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// What the page keeps in localStorage under `key`.
async fn stored(c: &Client, key: &str) -> String {
    c.execute(
        "return localStorage.getItem(arguments[0]);",
        vec![Value::String(key.into())],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits until the element `css` says `what`.
async fn says(c: &Client, css: &str, what: &str) {
    until(&format!("{css} says {what:?}"), 30, || async {
        text_of(c, css).await.contains(what)
    })
    .await;
}

/// The audit entries the screen lists, as (action, text).
async fn listed_entries(c: &Client) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in c
        .find_all(Locator::Css("[data-testid=audit-entry]"))
        .await
        .unwrap_or_default()
    {
        let action = e
            .attr("data-action")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        out.push((action, e.text().await.unwrap_or_default()));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_runs_the_console_and_reads_its_audit_trail() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    let admin = app.login("admin", PASSWORD).await;
    login(c, &site, "admin").await;
    click(c, "[data-testid=admin-link] a").await;
    element(c, "[data-testid=assign]", 30).await;
    shot(c, "admin-console").await;

    // Regions: the tree; a community added under a town, its code the town's and 3 digits.
    click(c, "[data-testid=regions-link] a").await;
    element(
        c,
        "[data-testid=region-tree] [data-code='500117001001']",
        30,
    )
    .await;
    choose_offered(c, "select[name=parent]", "500117001").await;
    says(c, "[data-testid=code-prefix]", "500117001").await;
    says(c, "[data-testid=new-level]", "村(社区)").await;
    // A serial already used is refused in words.
    fill(c, "input[name=digits]", "001").await;
    fill(c, "input[name=region_name]", "重复社区").await;
    click(c, "[data-testid=regions] form button[type=submit]").await;
    says(c, "[data-testid=region-result]", "已被使用").await;
    // A serial of the wrong length is stopped on the phone.
    fill(c, "input[name=digits]", "33").await;
    click(c, "[data-testid=regions] form button[type=submit]").await;
    says(c, "[data-testid=region-result]", "3 位数字").await;
    fill(c, "input[name=digits]", "003").await;
    fill(c, "input[name=region_name]", "新城社区").await;
    click(c, "[data-testid=regions] form button[type=submit]").await;
    says(c, "[data-testid=region-result]", "✓").await;
    element(
        c,
        "[data-testid=region-tree] [data-code='500117001003']",
        30,
    )
    .await;
    shot(c, "admin-regions").await;
    let regions = app.get("/api/v1/regions", &admin).await;
    let added = regions
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "500117001003")
        .cloned()
        .expect("the community exists");
    assert_eq!(added["level"], "community");
    assert_eq!(added["parent_code"], "500117001");
    assert_eq!(added["name"], "新城社区");

    // Users: the role picker starts on "choose…" and the role sent is the role shown.
    c.goto(&format!("{site}/admin/users")).await.unwrap();
    element(c, "[data-testid=users] li.item", 30).await;
    assert_eq!(
        value_of(c, "select[name=new_role]").await.as_deref(),
        Some("")
    );
    fill(c, "input[name=new_username]", "li.na").await;
    fill(c, "input[name=new_password]", "first-password-1").await;
    fill(c, "input[name=new_display_name]", "李娜").await;
    click(c, "[data-testid=new-user] button[type=submit]").await;
    says(c, "[data-testid=user-result]", "请选择角色").await;
    choose_offered(c, "select[name=new_role]", "supervisor").await;
    let role_shown = shown_text(c, "select[name=new_role]").await;
    assert_eq!(role_shown, "综治中心人员");
    choose_offered(c, "select[name=new_region]", "500117001").await;
    click(c, "[data-testid=new-user] button[type=submit]").await;
    says(c, "[data-testid=user-result]", "✓").await;
    let found = app.get("/api/v1/users?q=li.na", &admin).await;
    let user = found.ok(200)["items"][0].clone();
    assert_eq!(user["username"], "li.na");
    assert_eq!(user["role"], "supervisor", "the role shown, {role_shown}");
    assert_eq!(user["region_code"], "500117001");
    let id = user["id"].as_str().unwrap().to_string();
    // The list finds it by name and by role.
    fill(c, "input[name=q]", "李娜").await;
    until("the list searched by name", 30, || async {
        let rows = c
            .find_all(Locator::Css("[data-testid=users] li.item"))
            .await
            .map(|v| v.len())
            .unwrap_or(0);
        rows == 1 && text_of(c, "[data-testid=users]").await.contains("li.na")
    })
    .await;
    shot(c, "admin-users").await;

    // The user's page: role and region edited.
    click(c, "[data-testid=created-link] a").await;
    says(c, "[data-testid=user-role]", "综治中心人员").await;
    assert_eq!(
        value_of(c, "select[name=edit_role]").await.as_deref(),
        Some("supervisor")
    );
    choose_offered(c, "select[name=edit_role]", "worker").await;
    choose_offered(c, "select[name=edit_region]", "500117001003").await;
    click(c, "[data-testid=edit-user] button[type=submit]").await;
    says(c, "[data-testid=edit-result]", "✓").await;
    says(c, "[data-testid=user-role]", "网格员").await;
    let now = app.get(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(now.ok(200)["role"], "worker");
    assert_eq!(now.body["region_code"], "500117001003");

    // The password reset: typed twice alike, then the user logs in with it.
    fill(c, "input[name=reset_password]", "second-password-2").await;
    fill(c, "input[name=reset_password2]", "second-password-X").await;
    click(c, "[data-testid=reset-password] button[type=submit]").await;
    says(c, "[data-testid=password-result]", "不一致").await;
    fill(c, "input[name=reset_password2]", "second-password-2").await;
    click(c, "[data-testid=reset-password] button[type=submit]").await;
    says(c, "[data-testid=password-result]", "✓").await;
    app.login_full("li.na", "second-password-2").await.ok(200);
    app.login_full("li.na", "first-password-1")
        .await
        .problem(401, "invalid_credentials");

    // Deactivated (after a confirmation), reactivated, unlocked.
    click(c, "[data-testid=deactivate]").await;
    click(c, "[data-testid=deactivate-sure]").await;
    says(c, "[data-testid=active-result]", "✓").await;
    says(c, "[data-testid=user-active]", "已停用").await;
    let now = app.get(&format!("/api/v1/users/{id}"), &admin).await;
    assert_eq!(now.ok(200)["active"], false);
    app.login_full("li.na", "second-password-2")
        .await
        .problem(401, "invalid_credentials");
    click(c, "[data-testid=reactivate]").await;
    says(c, "[data-testid=user-active]", "启用中").await;
    app.login_full("li.na", "second-password-2").await.ok(200);
    click(c, "[data-testid=unlock]").await;
    says(c, "[data-testid=unlock-result]", "✓").await;
    shot(c, "admin-user").await;

    // Settings: a fractional deadline and a visit interval.
    c.goto(&format!("{site}/admin/settings")).await.unwrap();
    let deadline = "[data-testid=category][data-code='0101']";
    fill(c, &format!("{deadline} input[name=community]"), "1.5").await;
    click(c, &format!("{deadline} button[type=submit]")).await;
    says(c, &format!("{deadline} [data-testid=category-result]"), "✓").await;
    let interval = "[data-testid=interval][data-category=drug_user]";
    fill(c, &format!("{interval} input[name=high]"), "5").await;
    click(c, &format!("{interval} button[type=submit]")).await;
    says(c, &format!("{interval} [data-testid=interval-result]"), "✓").await;
    shot(c, "admin-settings").await;
    let categories = app.get("/api/v1/categories", &admin).await;
    let c0101 = categories
        .ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "0101")
        .cloned()
        .unwrap();
    assert_eq!(c0101["deadline_hours"]["community"], 1.5);
    let intervals = app.get("/api/v1/visit-intervals", &admin).await;
    assert!(
        intervals
            .ok(200)
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["category"] == "drug_user" && v["risk_level"] == "high" && v["days"] == 5),
        "{:?}",
        intervals.body
    );

    // The audit log: everything done to the user, the category and the region.
    c.goto(&format!("{site}/admin/users/{id}")).await.unwrap();
    click(c, "[data-testid=user-facts] ~ a").await;
    until("the user's audit entries", 30, || async {
        let actions: Vec<String> = listed_entries(c).await.into_iter().map(|e| e.0).collect();
        ["user_create", "user_update", "user_unlock", "login"]
            .iter()
            .all(|a| actions.iter().any(|x| x == a))
    })
    .await;
    let entries = listed_entries(c).await;
    assert!(
        entries.iter().any(|(a, t)| a == "user_update"
            && t.contains("角色: 综治中心人员 → 网格员")
            && t.contains("所属区域: 500117001 → 500117001003")),
        "{entries:?}"
    );
    assert!(
        entries
            .iter()
            .any(|(a, t)| a == "user_update" && t.contains("密码: 已重设")),
        "{entries:?}"
    );
    assert!(
        entries
            .iter()
            .any(|(a, t)| a == "user_update" && t.contains("状态: 启用中 → 已停用")),
        "{entries:?}"
    );
    c.execute(
        "document.querySelector('[data-testid=audit-entries]').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    shot(c, "admin-audit").await;
    fill(c, "input[name=entity]", "0101").await;
    until("the category's audit entry", 30, || async {
        listed_entries(c).await.iter().any(|(a, t)| {
            a == "category_update"
                && t.contains("村(社区)级期限: 24 → 1.5")
                && t.contains("系统管理员")
        })
    })
    .await;
    fill(c, "input[name=entity]", "500117001003").await;
    until("the region's audit entry", 30, || async {
        listed_entries(c)
            .await
            .iter()
            .any(|(a, _)| a == "region_create")
    })
    .await;
    // Who acted: the admin, picked by name; every entry listed is its own.
    let admin_id = app.get("/api/v1/me", &admin).await.ok(200)["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.goto(&format!("{site}/admin/audit")).await.unwrap();
    fill(c, "input[name=actor_search]", "系统管理员").await;
    choose_offered(c, "select[name=actor]", &admin_id).await;
    until("the admin's own entries", 30, || async {
        let e = listed_entries(c).await;
        !e.is_empty()
            && e.iter().any(|(a, _)| a == "visit_interval_update")
            && e.iter().all(|(_, t)| t.contains("系统管理员"))
    })
    .await;

    // The API's documentation, linked from the console: the bundled viewer draws every
    // tag of the server's own document (nothing comes from another site).
    c.goto(&format!("{site}/admin")).await.unwrap();
    element(c, "[data-testid=docs-link] a", 60).await;
    let href = attr(c, "[data-testid=docs-link] a", "href").await.unwrap();
    assert!(href.ends_with("/api/docs"), "{href}");
    c.goto(&format!("{site}/api/docs")).await.unwrap();
    until("the API documentation drawn", 60, || async {
        let tags = text_of(c, "#docs").await;
        tags.contains("incidents") && tags.contains("persons") && tags.contains("sync")
    })
    .await;
    let foreign = c
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(foreign, serde_json::json!([]), "nothing from another site");
    shot(c, "api-docs").await;
    let _ = b.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_changes_its_own_password_and_stays_out_of_the_console() {
    let (app, _proxy, site, b) = start().await;
    let c = &b.client;
    login(c, &site, "worker1").await;
    first_pull(c).await;
    let refresh_before = stored(c, "gridwork.refresh").await;
    // The profile opens from the name in the top bar.
    click(c, "[data-testid=me-link] a").await;
    says(c, "[data-testid=me-username]", "worker1").await;
    says(c, "[data-testid=me-role]", "网格员").await;
    fill(c, "input[name=current]", PASSWORD).await;
    fill(c, "input[name=new]", "my-own-password-9").await;
    fill(c, "input[name=again]", "my-own-password-8").await;
    click(c, "[data-testid=change-password] button[type=submit]").await;
    says(c, "[data-testid=password-result]", "不一致").await;
    fill(c, "input[name=current]", "not-my-password").await;
    fill(c, "input[name=again]", "my-own-password-9").await;
    click(c, "[data-testid=change-password] button[type=submit]").await;
    says(c, "[data-testid=password-result]", "当前密码不对").await;
    fill(c, "input[name=current]", PASSWORD).await;
    fill(c, "input[name=new]", "my-own-password-9").await;
    fill(c, "input[name=again]", "my-own-password-9").await;
    click(c, "[data-testid=change-password] button[type=submit]").await;
    says(c, "[data-testid=password-result]", "密码已修改").await;
    shot(c, "me").await;
    app.login_full("worker1", "my-own-password-9").await.ok(200);
    app.login_full("worker1", PASSWORD)
        .await
        .problem(401, "invalid_credentials");
    // The change ended every session of the worker; this phone signed in again at once.
    let refresh_after = stored(c, "gridwork.refresh").await;
    assert_ne!(refresh_after, refresh_before, "a new session on this phone");
    c.goto(&format!("{site}/")).await.unwrap();
    first_pull(c).await;
    assert!(
        c.find(Locator::Css("[data-testid=logout]")).await.is_ok(),
        "still signed in"
    );
    // The console is for admins: the audit log says so.
    c.goto(&format!("{site}/admin/audit")).await.unwrap();
    says(c, "[data-testid=not-allowed]", "只有系统管理员").await;
    c.goto(&format!("{site}/admin/users")).await.unwrap();
    says(c, "[data-testid=not-allowed]", "只有系统管理员").await;
    // The session before the change is over; the phone's new one goes on.
    let refresh = |token: String| {
        let app = &app;
        async move {
            app.call(
                reqwest::Method::POST,
                "/api/v1/auth/refresh",
                None,
                Some(&json!({"refresh_token": token})),
            )
            .await
            .status
        }
    };
    assert_eq!(refresh(refresh_before).await, 401);
    assert_eq!(refresh(refresh_after).await, 200);
    let _ = b.client.clone().close().await;
}
