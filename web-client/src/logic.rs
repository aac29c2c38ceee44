//! Client rules with no browser in them (tested on the host with `cargo test -p gridwork-web`):
//! the supervisor's queue filter, duplicate candidates, the steps offered on an incident, the
//! overdue-visit list, what waits in each of the caller's cells, and where a queued photo goes.

use gridwork_shared::api::Me;
use gridwork_shared::geometry::Location;
use gridwork_shared::incident::{Action, Actor, Facts, Level, Status, available};
use serde_json::Value;

/// The supervisor's filter of the incident queue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueFilter {
    /// Empty: every status; `open`: not closed or rejected; otherwise one status.
    pub status: String,
    /// Empty or one level.
    pub level: String,
    pub overdue: bool,
    /// Only incidents with an offline conflict to review.
    pub conflict: bool,
}

impl QueueFilter {
    fn statuses(&self) -> Vec<&'static str> {
        match self.status.as_str() {
            "" => Vec::new(),
            "open" => Status::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .map(Status::as_str)
                .collect(),
            one => Status::parse(one).map(Status::as_str).into_iter().collect(),
        }
    }

    /// The query string of `GET /incidents` for this filter (conflicts are filtered here:
    /// the list has no such parameter).
    pub fn query(&self) -> String {
        let mut q = vec!["limit=200".to_string()];
        let statuses = self.statuses();
        if !statuses.is_empty() {
            q.push(format!("status={}", statuses.join(",")));
        }
        if let Some(level) = Level::parse(&self.level) {
            q.push(format!("level={}", level.as_str()));
        }
        if self.overdue {
            q.push("overdue=true".into());
        }
        q.join("&")
    }

    /// The same filter applied to incidents kept on the device (offline).
    pub fn matches(&self, i: &Value) -> bool {
        let status = i["status"].as_str().unwrap_or_default();
        let statuses = self.statuses();
        (statuses.is_empty() || statuses.contains(&status))
            && (self.level.is_empty() || i["level"] == self.level.as_str())
            && (!self.overdue || i["overdue"] == true)
            && (!self.conflict || i["conflict"] == true)
    }
}

/// Open incidents that `incident` could be a duplicate of: same cell and category, reported
/// earlier, not the incident itself; oldest first.
pub fn merge_candidates<'a>(incident: &Value, all: &'a [Value]) -> Vec<&'a Value> {
    let mut found: Vec<&Value> = all
        .iter()
        .filter(|o| {
            o["id"] != incident["id"]
                && o["cell_code"] == incident["cell_code"]
                && o["category"] == incident["category"]
                && o["status"]
                    .as_str()
                    .and_then(Status::parse)
                    .is_some_and(Status::is_open)
                && o["created_at"].as_str() <= incident["created_at"].as_str()
        })
        .collect();
    found.sort_by(|a, b| a["created_at"].as_str().cmp(&b["created_at"].as_str()));
    found
}

/// The steps `me` may take on `incident` (a record as the phone keeps it, or the server's
/// answer), by the shared state machine: the same steps the server allows, with or without a
/// signal. Comments are not offered (the screen has no button for them); a merge is offered
/// only with an original to merge into (`merge_into`), a dispatch only with a worker to send
/// (`workers`). Nothing for a record the rules cannot read.
pub fn incident_steps(incident: &Value, me: &Me, merge_into: bool, workers: bool) -> Vec<Action> {
    let text = |k: &str| incident[k].as_str();
    let (Some(status), Some(level)) = (
        text("status").and_then(Status::parse),
        text("level").and_then(Level::parse),
    ) else {
        return Vec::new();
    };
    let facts = Facts {
        status,
        level,
        cell_code: text("cell_code").unwrap_or_default(),
        reporter_id: text("reporter_id").unwrap_or_default(),
        assignee_id: text("assignee_id"),
        resolver_id: text("resolver_id"),
        conflict: incident["conflict"] == true,
    };
    let id = me.id.to_string();
    let actor = Actor {
        id: &id,
        role: me.role,
        region_code: &me.region_code,
    };
    available(&actor, &facts)
        .into_iter()
        .filter(|a| match a {
            Action::Comment => false,
            Action::Merge => merge_into,
            Action::Dispatch => workers,
            _ => true,
        })
        .collect()
}

/// Where a person or a unit is registered: the place a visit or an inspection records (no
/// coordinate: not a number, which validation refuses).
pub fn registered_place(record: &Value) -> Location {
    let coordinate = |k: &str| record["location"][k].as_f64().unwrap_or(f64::NAN);
    Location {
        lon: coordinate("lon"),
        lat: coordinate("lat"),
    }
}

/// A list of records ordered by a text field.
pub fn sorted_by(mut list: Vec<Value>, field: &str) -> Vec<Value> {
    list.sort_by(|a, b| a[field].as_str().cmp(&b[field].as_str()));
    list
}

/// The time now as the records write it (RFC 3339, whole seconds, UTC), for comparing
/// with their dates.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Active persons with a visit due, soonest first.
pub fn visits_due(persons: Vec<Value>) -> Vec<Value> {
    let mut due: Vec<Value> = persons
        .into_iter()
        .filter(|p| p["active"] == true && p["next_visit_due"].is_string())
        .collect();
    due.sort_by(|a, b| {
        a["next_visit_due"]
            .as_str()
            .cmp(&b["next_visit_due"].as_str())
    });
    due
}

/// Whether an active person's visit is overdue at `now` (RFC 3339), or the server says so.
fn visit_overdue(p: &Value, now: &str) -> bool {
    p["active"] == true
        && p["next_visit_due"]
            .as_str()
            .is_some_and(|due| due < now || p["overdue"] == true)
}

/// Persons whose visit is overdue at `now` (RFC 3339), most overdue first.
pub fn overdue_persons(persons: Vec<Value>, now: &str) -> Vec<Value> {
    visits_due(persons)
        .into_iter()
        .filter(|p| visit_overdue(p, now))
        .collect()
}

/// One of the caller's cells with what is waiting in it, from the records on the device.
#[derive(Debug, Clone, PartialEq)]
pub struct CellWork {
    pub code: String,
    pub name: String,
    /// Open incidents (not closed, rejected or merged away).
    pub open_incidents: Vec<Value>,
    /// Active persons with a visit due, soonest first.
    pub visits_due: Vec<Value>,
    /// How many of those visits are overdue at `now`.
    pub visits_overdue: usize,
    /// Safety units with a hazard open or its rectification overdue.
    pub hazard_units: usize,
}

/// The caller's cells (synced `cell` features) by code, each with its open incidents, the
/// visits due and the units with hazards — what a worker patrols, offline.
pub fn cell_work(
    cells: &[Value],
    incidents: &[Value],
    persons: &[Value],
    units: &[Value],
    now: &str,
) -> Vec<CellWork> {
    let mut out: Vec<CellWork> = cells
        .iter()
        .filter_map(|c| {
            let p = &c["properties"];
            let code = p["code"].as_str()?;
            let due = visits_due(
                persons
                    .iter()
                    .filter(|x| x["cell_code"] == code)
                    .cloned()
                    .collect(),
            );
            Some(CellWork {
                code: code.to_string(),
                name: p["name"].as_str().unwrap_or_default().to_string(),
                open_incidents: incidents
                    .iter()
                    .filter(|i| {
                        i["cell_code"] == code
                            && i["status"]
                                .as_str()
                                .and_then(Status::parse)
                                .is_some_and(Status::is_open)
                    })
                    .cloned()
                    .collect(),
                visits_overdue: due.iter().filter(|x| visit_overdue(x, now)).count(),
                visits_due: due,
                hazard_units: units
                    .iter()
                    .filter(|u| {
                        u["cell_code"] == code
                            && matches!(u["status"].as_str(), Some("hazard" | "overdue"))
                    })
                    .count(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// How long the sync loop waits before its next round: 5 s while offline or with work
/// queued, doubling with each attempt up to 5 minutes (then starting over at 5 s); a
/// minute when all is synced.
pub fn retry_delay_ms(attempt: u32, busy: bool) -> u32 {
    if busy {
        (5_000u32 << (attempt % 6)).min(300_000)
    } else {
        60_000
    }
}

/// What a queued photo belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoOwner {
    Incident,
    Visit,
    Inspection,
}

impl PhotoOwner {
    fn collection(self) -> &'static str {
        match self {
            PhotoOwner::Incident => "incidents",
            PhotoOwner::Visit => "visits",
            PhotoOwner::Inspection => "inspections",
        }
    }
}

/// The key a queued photo is kept under: `<collection>/<owner id>:<photo id>`.
pub fn photo_key(owner: PhotoOwner, owner_id: &str, photo_id: &str) -> String {
    format!("{}/{owner_id}:{photo_id}", owner.collection())
}

/// Where a queued photo is uploaded. Keys written before photos could belong to visits and
/// inspections have no collection: they are incidents'.
pub fn photo_upload_path(key: &str) -> Option<String> {
    let (owner, _) = key.split_once(':')?;
    let (collection, id) = owner.split_once('/').unwrap_or(("incidents", owner));
    if id.is_empty() || !matches!(collection, "incidents" | "visits" | "inspections") {
        return None;
    }
    Some(format!("/api/v1/{collection}/{id}/photos"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridwork_shared::api::Role;
    use gridwork_shared::incident::{Incident, Severity};
    use serde_json::json;

    fn incident(id: &str, status: &str, created: &str) -> Value {
        json!({"id": id, "status": status, "level": "community", "cell_code": "500117001001001",
               "category": "0401", "created_at": created, "overdue": false, "conflict": false})
    }

    #[test]
    fn the_open_filter_asks_the_server_for_every_open_status() {
        let f = QueueFilter {
            status: "open".into(),
            level: "town".into(),
            overdue: true,
            conflict: false,
        };
        assert_eq!(
            f.query(),
            "limit=200&status=reported,accepted,dispatched,in_progress,resolved,rework&level=town&overdue=true"
        );
        assert_eq!(QueueFilter::default().query(), "limit=200");
        // Unknown words are dropped rather than sent.
        let odd = QueueFilter {
            status: "nonsense".into(),
            level: "galaxy".into(),
            ..QueueFilter::default()
        };
        assert_eq!(odd.query(), "limit=200");
    }

    #[test]
    fn the_local_filter_agrees_with_the_server_one() {
        let mut late = incident("a", "dispatched", "2026-11-01T00:00:00Z");
        late["overdue"] = json!(true);
        let closed = incident("b", "closed", "2026-11-02T00:00:00Z");
        let mut conflicted = incident("c", "reported", "2026-11-03T00:00:00Z");
        conflicted["conflict"] = json!(true);
        let open = QueueFilter {
            status: "open".into(),
            ..QueueFilter::default()
        };
        assert!(open.matches(&late) && open.matches(&conflicted) && !open.matches(&closed));
        let overdue = QueueFilter {
            overdue: true,
            ..QueueFilter::default()
        };
        assert!(overdue.matches(&late) && !overdue.matches(&conflicted));
        let conflicts = QueueFilter {
            conflict: true,
            ..QueueFilter::default()
        };
        assert!(conflicts.matches(&conflicted) && !conflicts.matches(&late));
        let town = QueueFilter {
            level: "town".into(),
            ..QueueFilter::default()
        };
        assert!(!town.matches(&late));
    }

    #[test]
    fn duplicates_are_earlier_open_incidents_of_the_same_cell_and_category() {
        let me = incident("me", "reported", "2026-11-05T00:00:00Z");
        let older = incident("older", "accepted", "2026-11-01T00:00:00Z");
        let oldest = incident("oldest", "reported", "2026-10-01T00:00:00Z");
        let closed = incident("closed", "closed", "2026-11-02T00:00:00Z");
        let later = incident("later", "reported", "2026-11-06T00:00:00Z");
        let mut elsewhere = incident("elsewhere", "reported", "2026-11-01T00:00:00Z");
        elsewhere["cell_code"] = json!("500117001001002");
        let mut other_kind = incident("other", "reported", "2026-11-01T00:00:00Z");
        other_kind["category"] = json!("0101");
        let all = vec![
            me.clone(),
            older,
            oldest,
            closed,
            later,
            elsewhere,
            other_kind,
        ];
        let ids: Vec<&str> = merge_candidates(&me, &all)
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["oldest", "older"]);
    }

    fn me(role: Role, region_code: &str) -> Me {
        Me {
            id: uuid::Uuid::new_v4(),
            username: "u".into(),
            role,
            region_code: region_code.into(),
            display_name: "U".into(),
        }
    }

    /// An incident as the server sends it (the wire type), in cell 500117001001001.
    fn wire(status: Status, level: Level, reporter: uuid::Uuid) -> Value {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        serde_json::to_value(Incident {
            id: uuid::Uuid::new_v4(),
            category: "0401".into(),
            title: "t".into(),
            description: String::new(),
            location: gridwork_shared::geometry::Location {
                lon: 106.27,
                lat: 29.97,
            },
            occurred_at: at,
            severity: Severity::Medium,
            cell_code: "500117001001001".into(),
            status,
            level,
            due_at: at,
            overdue: false,
            reporter_id: reporter,
            assignee_id: None,
            resolver_id: None,
            merged_into: None,
            conflict: false,
            version: 3,
            created_at: at,
            updated_at: at,
            closed_at: None,
            photos: Vec::new(),
        })
        .unwrap()
    }

    #[test]
    fn the_steps_on_an_incident_come_from_the_shared_rules() {
        use Action::*;
        let worker = me(Role::Worker, "500117001001");
        let other_worker = me(Role::Worker, "500117001001");
        let town = me(Role::Supervisor, "500117001");
        let other_town = me(Role::Supervisor, "500117002");
        let community = me(Role::Supervisor, "500117001001");

        // Reported by the worker: they may close it on the spot; the town supervisor over
        // the cell triages it (a merge only with an original, never a comment button).
        let reported = wire(Status::Reported, Level::Community, worker.id);
        assert_eq!(incident_steps(&reported, &worker, true, true), [SelfClose]);
        assert!(incident_steps(&reported, &other_worker, true, true).is_empty());
        assert_eq!(
            incident_steps(&reported, &town, false, true),
            [Accept, Reject, Escalate]
        );
        assert_eq!(
            incident_steps(&reported, &town, true, true),
            [Accept, Reject, Escalate, Merge]
        );
        assert!(incident_steps(&reported, &other_town, true, true).is_empty());

        // Accepted: a dispatch needs a worker to send.
        let accepted = wire(Status::Accepted, Level::Community, worker.id);
        assert_eq!(
            incident_steps(&accepted, &town, false, true),
            [Dispatch, Escalate]
        );
        assert_eq!(incident_steps(&accepted, &town, false, false), [Escalate]);

        // Dispatched to the worker: only they start it.
        let mut dispatched = wire(Status::Dispatched, Level::Community, worker.id);
        dispatched["assignee_id"] = json!(worker.id);
        assert_eq!(incident_steps(&dispatched, &worker, true, true), [Start]);
        assert!(incident_steps(&dispatched, &other_worker, true, true).is_empty());

        // Resolved by the community supervisor: the town verifies, not the one who fixed it.
        let mut resolved = wire(Status::Resolved, Level::Community, worker.id);
        resolved["resolver_id"] = json!(community.id);
        resolved["conflict"] = json!(true);
        assert_eq!(
            incident_steps(&resolved, &town, false, false),
            [Verify, Rework, Escalate, ClearConflict]
        );
        assert_eq!(
            incident_steps(&resolved, &community, false, false),
            [Escalate, ClearConflict]
        );

        // Escalated past the community: the community supervisor no longer handles it.
        let town_level = wire(Status::Accepted, Level::Town, worker.id);
        assert!(incident_steps(&town_level, &community, true, true).is_empty());
        assert_eq!(
            incident_steps(&town_level, &town, false, true),
            [Dispatch, Escalate]
        );

        // Closed: nothing; a record the rules cannot read: nothing.
        let closed = wire(Status::Closed, Level::Community, worker.id);
        assert!(incident_steps(&closed, &town, true, true).is_empty());
        assert!(incident_steps(&json!({"status": "lost"}), &town, true, true).is_empty());
    }

    #[test]
    fn the_phone_offers_what_the_server_allows() {
        // Every status, level and role: the phone's steps are the shared machine's (less
        // comments), so a step taken offline is one the server will accept.
        let worker = me(Role::Worker, "500117001001");
        let people = [
            worker.clone(),
            me(Role::Volunteer, "500117001001"),
            me(Role::Supervisor, "500117001001"),
            me(Role::Supervisor, "500117001"),
            me(Role::Supervisor, "500117"),
            me(Role::Admin, ""),
        ];
        for status in Status::ALL {
            for level in [Level::Community, Level::Town, Level::District] {
                let mut record = wire(status, level, worker.id);
                record["assignee_id"] = json!(worker.id);
                for who in &people {
                    let (id, reporter, assignee) = (
                        who.id.to_string(),
                        worker.id.to_string(),
                        worker.id.to_string(),
                    );
                    let facts = Facts {
                        status,
                        level,
                        cell_code: "500117001001001",
                        reporter_id: &reporter,
                        assignee_id: Some(&assignee),
                        resolver_id: None,
                        conflict: false,
                    };
                    let actor = Actor {
                        id: &id,
                        role: who.role,
                        region_code: &who.region_code,
                    };
                    let server: Vec<Action> = available(&actor, &facts)
                        .into_iter()
                        .filter(|a| *a != Action::Comment)
                        .collect();
                    assert_eq!(
                        incident_steps(&record, who, true, true),
                        server,
                        "{status:?} {level:?} {:?} {}",
                        who.role,
                        who.region_code
                    );
                }
            }
        }
    }

    #[test]
    fn a_record_is_placed_where_it_is_registered() {
        let at = registered_place(&json!({"location": {"lon": 106.27, "lat": 29.97}}));
        assert_eq!((at.lon, at.lat), (106.27, 29.97));
        // No place: not a number, which the shared validation refuses.
        let nowhere = registered_place(&json!({"name": "x"}));
        assert!(nowhere.lon.is_nan() && nowhere.lat.is_nan());
        let names =
            |v: Vec<Value>| -> Vec<Value> { v.into_iter().map(|x| x["n"].clone()).collect() };
        assert_eq!(
            names(sorted_by(
                vec![json!({"n": "b"}), json!({"n": "a"}), json!({})],
                "n"
            )),
            [Value::Null, json!("a"), json!("b")]
        );
    }

    #[test]
    fn overdue_visits_are_listed_most_overdue_first() {
        let p = |id: &str, due: Option<&str>, active: bool| json!({"id": id, "active": active, "next_visit_due": due});
        let list = overdue_persons(
            vec![
                p("later", Some("2026-11-20T00:00:00Z"), true),
                p("earliest", Some("2026-11-01T00:00:00Z"), true),
                p("not_yet", Some("2026-12-01T00:00:00Z"), true),
                p("inactive", Some("2026-10-01T00:00:00Z"), false),
                p("no_due", None, true),
            ],
            "2026-11-25T00:00:00Z",
        );
        let ids: Vec<&str> = list.iter().map(|p| p["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["earliest", "later"]);
    }

    #[test]
    fn each_cell_lists_what_waits_in_it() {
        let cell = |code: &str, name: &str| json!({"type": "Feature", "geometry": null, "properties": {"code": code, "name": name}});
        let cells = vec![
            cell("500117001001002", "二号网格"),
            cell("500117001001001", "一号网格"),
        ];
        let mut elsewhere = incident("elsewhere", "reported", "2026-11-01T00:00:00Z");
        elsewhere["cell_code"] = json!("500117001001002");
        let incidents = vec![
            incident("open", "dispatched", "2026-11-01T00:00:00Z"),
            incident("closed", "closed", "2026-11-02T00:00:00Z"),
            incident("rejected", "rejected", "2026-11-02T00:00:00Z"),
            elsewhere,
        ];
        let person = |id: &str, due: Option<&str>, active: bool| json!({"id": id, "cell_code": "500117001001001", "active": active, "next_visit_due": due});
        let persons = vec![
            person("late", Some("2026-11-20T00:00:00Z"), true),
            person("soon", Some("2026-12-03T00:00:00Z"), true),
            person("inactive", Some("2026-10-01T00:00:00Z"), false),
            person("none", None, true),
        ];
        let unit = |status: &str| json!({"cell_code": "500117001001001", "status": status});
        let units = vec![
            unit("hazard"),
            unit("overdue"),
            unit("safe"),
            unit("uninspected"),
        ];
        let work = cell_work(&cells, &incidents, &persons, &units, "2026-12-01T00:00:00Z");
        assert_eq!(
            work.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
            ["500117001001001", "500117001001002"]
        );
        let first = &work[0];
        assert_eq!(first.name, "一号网格");
        let ids = |v: &[Value]| -> Vec<String> {
            v.iter()
                .map(|x| x["id"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(ids(&first.open_incidents), ["open"]);
        assert_eq!(ids(&first.visits_due), ["late", "soon"]);
        assert_eq!((first.visits_overdue, first.hazard_units), (1, 2));
        assert_eq!(ids(&work[1].open_incidents), ["elsewhere"]);
        assert_eq!((work[1].visits_due.len(), work[1].hazard_units), (0, 0));
    }

    #[test]
    fn sync_backs_off_to_five_minutes_then_starts_over() {
        let waits: Vec<u32> = (0..7).map(|n| retry_delay_ms(n, true)).collect();
        assert_eq!(
            waits,
            [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 5_000]
        );
        assert_eq!(retry_delay_ms(5, true), 160_000);
        assert!((0..100).all(|n| retry_delay_ms(n, true) <= 300_000));
        assert_eq!(retry_delay_ms(3, false), 60_000);
    }

    #[test]
    fn queued_photos_go_to_their_owner() {
        let key = photo_key(PhotoOwner::Visit, "v-1", "p-1");
        assert_eq!(key, "visits/v-1:p-1");
        assert_eq!(
            photo_upload_path(&key).as_deref(),
            Some("/api/v1/visits/v-1/photos")
        );
        assert_eq!(
            photo_upload_path(&photo_key(PhotoOwner::Inspection, "i-9", "p")).as_deref(),
            Some("/api/v1/inspections/i-9/photos")
        );
        // Keys from before visits and inspections had photos.
        assert_eq!(
            photo_upload_path("inc-7:p-2").as_deref(),
            Some("/api/v1/incidents/inc-7/photos")
        );
        assert_eq!(photo_upload_path("garbage"), None);
        assert_eq!(photo_upload_path("units/u-1:p"), None);
        assert_eq!(photo_upload_path("visits/:p"), None);
    }
}
