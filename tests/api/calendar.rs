//! The working calendar: public holidays and make-up working days (调休) set by an admin move
//! the deadline of every unresolved incident, from the start of its current level.

use chrono::{
    DateTime, Datelike, Duration, DurationRound, FixedOffset, NaiveDate, TimeZone, Utc, Weekday,
};
use gridwork_tests::fixtures::{IN_CELL_1, World, incident, report, step};
use gridwork_tests::{TestApp, both_engines};
use serde_json::{Value, json};

/// An instant from the API, to the minute (the server's clock runs on while a test steps it,
/// so a report "at 16:00" is made a few milliseconds after).
fn ts(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
        .duration_trunc(Duration::minutes(1))
        .unwrap()
}

fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// `hh:00` China Standard Time on `day`.
fn at(day: NaiveDate, hh: u32) -> DateTime<Utc> {
    cst()
        .from_local_datetime(&day.and_hms_opt(hh, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn due_of(app: &TestApp, token: &str, id: &str) -> DateTime<Utc> {
    ts(&app
        .get(&format!("/api/v1/incidents/{id}"), token)
        .await
        .ok(200)["due_at"])
}

/// The Spring Festival pattern, a week after the server's clock: the incidents are reported
/// on a Friday at 16:00; the nine days from that Sunday to the Monday after next are off, and
/// the Saturdays on either side (the next day, and the one two weeks later) are worked.
async fn the_spring_festival_moves_open_deadlines(app: TestApp) {
    let w = World::build(&app).await;
    let admin = w.admin.token.as_str();
    // Two working hours at community level, ten at town level.
    app.patch(
        "/api/v1/categories/0502",
        admin,
        json!({"deadline_hours": {"community": 2.0, "town": 10.0}}),
    )
    .await
    .ok(200);
    // The server's clock to the next Friday, 16:00 China Standard Time.
    let now = app.state.clock.now();
    let mut friday = now.with_timezone(&cst()).date_naive() + Duration::days(1);
    while friday.weekday() != Weekday::Fri {
        friday += Duration::days(1);
    }
    app.advance(at(friday, 16) - now);
    let d = |n: i64| friday + Duration::days(n);

    let open = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    let open = open["id"].as_str().unwrap().to_string();
    let escalated = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    let escalated = escalated["id"].as_str().unwrap().to_string();
    step(&app, &w.town1.token, &escalated, "escalate", json!({}))
        .await
        .ok(200);
    let rejected = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    let rejected = rejected["id"].as_str().unwrap().to_string();
    step(
        &app,
        &w.town1.token,
        &rejected,
        "reject",
        json!({"note": "不属于网格事项"}),
    )
    .await
    .ok(200);
    let t = w.town1.token.as_str();
    // On the plain week: one hour on Friday, the next on Monday; the town's ten hours run
    // from Friday 16:00 to Tuesday 10:00.
    assert_eq!(due_of(&app, t, &open).await, at(d(3), 10));
    assert_eq!(due_of(&app, t, &escalated).await, at(d(4), 10));
    let rejected_due = due_of(&app, t, &rejected).await;

    // Everyone reads the calendar; only an admin sets it.
    let c = app.get("/api/v1/calendar", &w.worker1.token).await;
    let c = c.ok(200);
    assert_eq!(c["weekly"], "Mon-Fri 09:00-17:00");
    assert_eq!(c["utc_offset"], "+08:00");
    assert_eq!(c["holidays"], json!([]));
    assert_eq!(c["workdays"], json!([]));
    let festival = json!({
        "holidays": (2..=10).map(|n| day(d(n))).collect::<Vec<_>>(),
        "workdays": [day(d(1)), day(d(15))],
    });
    app.put("/api/v1/calendar", t, festival.clone())
        .await
        .problem(403, "forbidden");
    app.put(
        "/api/v1/calendar",
        admin,
        json!({"holidays": [day(d(2))], "workdays": [day(d(2))]}),
    )
    .await
    .problem(422, "validation_failed");
    app.put(
        "/api/v1/calendar",
        admin,
        json!({"holidays": ["2026-02-30"], "workdays": []}),
    )
    .await
    .problem(422, "validation_failed");
    assert_eq!(
        due_of(&app, t, &open).await,
        at(d(3), 10),
        "a refusal changes nothing"
    );

    let set = app.put("/api/v1/calendar", admin, festival.clone()).await;
    let set = set.ok(200);
    assert_eq!(set["holidays"].as_array().unwrap().len(), 9);
    assert_eq!(set["workdays"], json!([day(d(1)), day(d(15))]));
    assert_eq!(app.get("/api/v1/calendar", t).await.ok(200), set);
    // The second hour falls on the make-up Saturday; the town's hours: one on Friday, eight
    // on Saturday, the nine days off skipped, the last on the Tuesday after.
    assert_eq!(due_of(&app, t, &open).await, at(d(1), 10));
    assert_eq!(due_of(&app, t, &escalated).await, at(d(11), 10));
    assert_eq!(
        due_of(&app, t, &rejected).await,
        rejected_due,
        "a rejected incident's deadline stays"
    );
    // The change is audited.
    let audit = app.get("/api/v1/audit?entity=calendar", admin).await;
    let entries = audit.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["action"], "calendar_update");

    // Taking the festival away brings the plain week back.
    app.put(
        "/api/v1/calendar",
        admin,
        json!({"holidays": [], "workdays": []}),
    )
    .await
    .ok(200);
    assert_eq!(due_of(&app, t, &open).await, at(d(3), 10));
    assert_eq!(due_of(&app, t, &escalated).await, at(d(4), 10));

    // With the festival set again, new reports count on it. (The clock moves on now, and
    // the sweep escalates what falls overdue, so the incidents above are not looked at.)
    app.put("/api/v1/calendar", admin, festival).await.ok(200);
    // A report made on the make-up Saturday counts from there; one made in the festival
    // counts from the first working morning after it.
    app.advance(at(d(1), 16) - at(friday, 16));
    let saturday = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    assert_eq!(ts(&saturday["due_at"]), at(d(11), 10));
    app.advance(at(d(4), 12) - at(d(1), 16));
    let festive = report(&app, &w.worker1.token, incident("0502", IN_CELL_1, "low")).await;
    assert_eq!(ts(&festive["due_at"]), at(d(11), 11));
}

/// A process on the same database follows a change by its next escalation sweep.
async fn another_process_follows_the_calendar(app: TestApp) {
    let w = World::build(&app).await;
    let other = TestApp::spawn_sharing(&app).await;
    let tomorrow = app.state.clock.now().with_timezone(&cst()).date_naive() + Duration::days(1);
    app.put(
        "/api/v1/calendar",
        &w.admin.token,
        json!({"holidays": [day(tomorrow)], "workdays": []}),
    )
    .await
    .ok(200);
    other
        .wait_for("the other process's calendar", || async {
            other
                .state
                .calendar()
                .holidays
                .contains(&tomorrow)
                .then_some(())
        })
        .await;
}

both_engines!(
    the_spring_festival_moves_open_deadlines,
    another_process_follows_the_calendar
);
