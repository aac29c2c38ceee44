//! Client rules with no browser in them (tested on the host with `cargo test -p gridwork-web`):
//! the supervisor's queue filter, duplicate candidates, the steps offered on an incident, the
//! overdue-visit list, what waits in each of the caller's cells, and where a queued photo goes.

use chrono::{DateTime, Utc};
use gridwork_shared::api::{Cell, Me, Role, User};
use gridwork_shared::incident::{
    Action, ActionRequest, Actor, Duplicate, Facts, Incident, Level, Severity, Status, available,
    may_take, supervises, transition,
};
use gridwork_shared::person::{PersonItem, is_overdue};
use gridwork_shared::safety::{Unit, UnitStatus};

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
    fn statuses(&self) -> Vec<Status> {
        match self.status.as_str() {
            "" => Vec::new(),
            "open" => Status::ALL.into_iter().filter(|s| s.is_open()).collect(),
            one => Status::parse(one).into_iter().collect(),
        }
    }

    /// The query string of `GET /incidents` for this filter (conflicts are filtered here:
    /// the list has no such parameter).
    pub fn query(&self) -> String {
        match self.filters() {
            f if f.is_empty() => "limit=200".to_string(),
            f => format!("limit=200&{f}"),
        }
    }

    /// The filters alone, as the server's list (and its export) takes them.
    pub fn filters(&self) -> String {
        let mut q = Vec::new();
        let statuses: Vec<&str> = self.statuses().into_iter().map(Status::as_str).collect();
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
    pub fn matches(&self, i: &Incident) -> bool {
        let statuses = self.statuses();
        (statuses.is_empty() || statuses.contains(&i.status))
            && (self.level.is_empty() || i.level.as_str() == self.level)
            && (!self.overdue || i.overdue)
            && (!self.conflict || i.conflict)
    }
}

/// Newest first, as the lists show incidents.
pub fn newest_first(mut incidents: Vec<Incident>) -> Vec<Incident> {
    incidents.sort_by_key(|i| std::cmp::Reverse(i.created_at));
    incidents
}

/// Whether an incident is late at `now`: the server says so, or it is unresolved and past
/// its deadline on the phone's clock.
pub fn is_late(i: &Incident, now: DateTime<Utc>) -> bool {
    i.overdue || (i.status.is_unresolved() && i.due_at < now)
}

/// How pressing a severity is: urgent first.
fn urgency(s: Severity) -> u8 {
    match s {
        Severity::Urgent => 0,
        Severity::High => 1,
        Severity::Medium => 2,
        Severity::Low => 3,
    }
}

/// The supervisor's queue in the order work is done: open work first — the late ones, most
/// overdue first; then the others, most urgent first, soonest due first — and closed or
/// rejected incidents last, most recently changed first.
pub fn queue_order(mut incidents: Vec<Incident>, now: DateTime<Utc>) -> Vec<Incident> {
    incidents.sort_by(|a, b| {
        let key = |i: &Incident| {
            let group = match (i.status.is_open(), is_late(i, now)) {
                (true, true) => 0,
                (true, false) => 1,
                (false, _) => 2,
            };
            let severity = if group == 1 { urgency(i.severity) } else { 0 };
            (group, severity)
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| match a.status.is_open() {
                true => a.due_at.cmp(&b.due_at),
                false => b.updated_at.cmp(&a.updated_at),
            })
            .then_with(|| b.created_at.cmp(&a.created_at))
    });
    incidents
}

/// The region a user's dispatches reach: everything for an admin, its region otherwise.
fn reach(me: &Me) -> &str {
    if me.role == Role::Admin {
        ""
    } else {
        &me.region_code
    }
}

/// The users `me` may dispatch `incident` to, by name: exactly those the server accepts
/// (`may_take`: active workers of the incident's community inside the caller's region).
pub fn dispatch_candidates<'a>(users: &'a [User], incident: &Incident, me: &Me) -> Vec<&'a User> {
    let mut found: Vec<&User> = users
        .iter()
        .filter(|u| {
            may_take(
                u.role,
                u.active,
                &u.region_code,
                &incident.cell_code,
                reach(me),
            )
        })
        .collect();
    found.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
    found
}

/// Whether a user's name or username holds what was typed in a search box (case aside;
/// an empty search holds everyone).
pub fn name_matches(u: &User, search: &str) -> bool {
    let search = search.trim().to_lowercase();
    search.is_empty()
        || u.display_name.to_lowercase().contains(&search)
        || u.username.to_lowercase().contains(&search)
}

/// An original a duplicate may be merged into, as the merge picker shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeChoice {
    pub id: uuid::Uuid,
    pub title: String,
    pub created_at: DateTime<Utc>,
    /// How far it is, when the server measured it.
    pub distance_m: Option<f64>,
}

/// The incidents `incident` may be merged into by `me`: the possible duplicates the server
/// found (nearest first), then the earlier open ones of its cell and category the phone
/// holds (oldest first); none twice, and none the caller could not act on.
pub fn merge_choices(
    incident: &Incident,
    found: &[Duplicate],
    held: &[Incident],
    me: &Me,
) -> Vec<MergeChoice> {
    let id = me.id.to_string();
    let department = me.department_id.map(|d| d.to_string());
    let actor = Actor {
        id: &id,
        role: me.role,
        region_code: &me.region_code,
        department_id: department.as_deref(),
    };
    let reachable = |o: &Incident| {
        let reporter = o.reporter_id.to_string();
        let facts = Facts {
            status: o.status,
            level: o.level,
            cell_code: &o.cell_code,
            reporter_id: &reporter,
            assignee_id: None,
            department_id: None,
            resolver_id: None,
            conflict: o.conflict,
        };
        supervises(&actor, &facts) && o.merged_into.is_none()
    };
    let mut out: Vec<MergeChoice> = found
        .iter()
        .filter(|d| d.id != incident.id && d.status.is_open())
        .filter(|d| held.iter().find(|o| o.id == d.id).is_none_or(reachable))
        .map(|d| MergeChoice {
            id: d.id,
            title: d.title.clone(),
            created_at: d.created_at,
            distance_m: Some(d.distance_m),
        })
        .collect();
    for o in merge_candidates(incident, held) {
        if reachable(o) && !out.iter().any(|c| c.id == o.id) {
            out.push(MergeChoice {
                id: o.id,
                title: o.title.clone(),
                created_at: o.created_at,
                distance_m: None,
            });
        }
    }
    out
}

/// The incident as the phone expects it once the steps queued on it apply, in order: each
/// step the shared machine allows from where the last one left it moves it on (status,
/// level, assignee, resolver; one version each, as on the server). A step it does not
/// allow changes nothing here; the server keeps it as a conflicting branch.
pub fn after_queued(incident: &Incident, steps: &[ActionRequest], me: &Me) -> Incident {
    let mut now = incident.clone();
    for step in steps {
        let id = |u: Option<uuid::Uuid>| u.map(|u| u.to_string());
        let (reporter, assignee, resolver) = (
            now.reporter_id.to_string(),
            id(now.assignee_id),
            id(now.resolver_id),
        );
        let now_department = id(now.department_id);
        let facts = Facts {
            status: now.status,
            level: now.level,
            cell_code: &now.cell_code,
            reporter_id: &reporter,
            assignee_id: assignee.as_deref(),
            department_id: now_department.as_deref(),
            resolver_id: resolver.as_deref(),
            conflict: now.conflict,
        };
        let Ok((status, level)) = transition(&facts, step.action) else {
            continue;
        };
        match step.action {
            Action::Dispatch => {
                if step.assignee_id != now.assignee_id {
                    now.assignee_name = None;
                }
                now.assignee_id = step.assignee_id;
            }
            Action::Resolve | Action::SelfClose => now.resolver_id = Some(me.id),
            Action::Merge => now.merged_into = step.into,
            Action::ClearConflict => now.conflict = false,
            _ => {}
        }
        now.status = status;
        now.level = level;
        now.version += 1;
    }
    now
}

/// What a `datetime-local` input holds (`YYYY-MM-DDTHH:MM`, the district's clock) as an
/// instant; `None` when it is not such a time.
pub fn parse_local_time(s: &str) -> Option<DateTime<Utc>> {
    let naive = chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    naive
        .and_local_timezone(chrono::FixedOffset::east_opt(8 * 3600)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// An instant as a `datetime-local` input shows it (the district's clock).
pub fn local_input(t: &DateTime<Utc>) -> String {
    china(t).format("%Y-%m-%dT%H:%M").to_string()
}

/// Open incidents that `incident` could be a duplicate of: same cell and category, reported
/// earlier, not the incident itself; oldest first.
pub fn merge_candidates<'a>(incident: &Incident, all: &'a [Incident]) -> Vec<&'a Incident> {
    let mut found: Vec<&Incident> = all
        .iter()
        .filter(|o| {
            o.id != incident.id
                && o.cell_code == incident.cell_code
                && o.category == incident.category
                && o.status.is_open()
                && o.created_at <= incident.created_at
        })
        .collect();
    found.sort_by_key(|o| o.created_at);
    found
}

/// The steps `me` may take on `incident` (a record as the phone keeps it, or the server's
/// answer), by the shared state machine: the same steps the server allows, with or without a
/// signal. Comments are not offered (the screen has no button for them); a merge is offered
/// only with an original to merge into (`merge_into`), a dispatch only with a worker to send
/// (`workers`).
pub fn incident_steps(
    incident: &Incident,
    me: &Me,
    merge_into: bool,
    workers: bool,
) -> Vec<Action> {
    let id = |u: Option<uuid::Uuid>| u.map(|u| u.to_string());
    let (reporter, assignee, resolver) = (
        incident.reporter_id.to_string(),
        id(incident.assignee_id),
        id(incident.resolver_id),
    );
    let department_of = id(incident.department_id);
    let facts = Facts {
        status: incident.status,
        level: incident.level,
        cell_code: &incident.cell_code,
        reporter_id: &reporter,
        assignee_id: assignee.as_deref(),
        department_id: department_of.as_deref(),
        resolver_id: resolver.as_deref(),
        conflict: incident.conflict,
    };
    let id = me.id.to_string();
    let department = me.department_id.map(|d| d.to_string());
    let actor = Actor {
        id: &id,
        role: me.role,
        region_code: &me.region_code,
        department_id: department.as_deref(),
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

/// Whether `me` handles the case — a supervisor at or above its level over its cell, an
/// admin, or its assignee — and so records its mediation sessions and sees the parties in
/// full (the server's rule for both).
pub fn handles(incident: &Incident, me: &Me) -> bool {
    let reporter = incident.reporter_id.to_string();
    let facts = Facts {
        status: incident.status,
        level: incident.level,
        cell_code: &incident.cell_code,
        reporter_id: &reporter,
        assignee_id: None,
        department_id: None,
        resolver_id: None,
        conflict: incident.conflict,
    };
    let id = me.id.to_string();
    let department = me.department_id.map(|d| d.to_string());
    let actor = Actor {
        id: &id,
        role: me.role,
        region_code: &me.region_code,
        department_id: department.as_deref(),
    };
    supervises(&actor, &facts)
        || incident.assignee_id == Some(me.id)
        || (me.department_id.is_some() && incident.department_id == me.department_id)
}

/// China Standard Time, the district's clock (UTC+8 all year, no daylight saving).
fn china(t: &DateTime<Utc>) -> DateTime<chrono::FixedOffset> {
    t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset"))
}

/// The date of an instant on the district's clock (`YYYY-MM-DD`, China Standard Time).
pub fn day(t: &DateTime<Utc>) -> String {
    china(t).date_naive().to_string()
}

/// An instant as every screen shows it: `YYYY-MM-DD HH:MM`, China Standard Time.
pub fn local_time(t: &DateTime<Utc>) -> String {
    china(t).format("%Y-%m-%d %H:%M").to_string()
}

/// How far an instant is from now, in the largest whole unit that fits (at least one minute):
/// what "due in 3 h" and "overdue 2 days" are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

/// `(past, span)`: whether `t` has passed by `now`, and by how much or in how long.
pub fn span(t: &DateTime<Utc>, now: &DateTime<Utc>) -> (bool, Span) {
    let delta = *t - *now;
    let past = delta < chrono::TimeDelta::zero();
    let minutes = delta.num_minutes().abs();
    let span = match minutes {
        m if m >= 48 * 60 => Span::Days(m / (24 * 60)),
        m if m >= 60 => Span::Hours(m / 60),
        m => Span::Minutes(m.max(1)),
    };
    (past, span)
}

/// Active persons with a visit due, soonest first.
pub fn visits_due(persons: Vec<PersonItem>) -> Vec<PersonItem> {
    let mut due: Vec<PersonItem> = persons
        .into_iter()
        .filter(|p| p.active && p.next_visit_due.is_some())
        .collect();
    due.sort_by_key(|p| p.next_visit_due);
    due
}

/// Whether an active person's visit is overdue at `now`, or the server says so.
fn visit_overdue(p: &PersonItem, now: DateTime<Utc>) -> bool {
    p.active && p.next_visit_due.is_some() && (is_overdue(p.next_visit_due, now) || p.overdue)
}

/// Persons whose visit is overdue at `now`, most overdue first.
pub fn overdue_persons(persons: Vec<PersonItem>, now: DateTime<Utc>) -> Vec<PersonItem> {
    visits_due(persons)
        .into_iter()
        .filter(|p| visit_overdue(p, now))
        .collect()
}

/// Whether a unit has a hazard open or its rectification overdue.
pub fn has_hazard(u: &Unit) -> bool {
    matches!(u.status, UnitStatus::Hazard | UnitStatus::Overdue)
}

/// One of the caller's cells with what is waiting in it, from the records on the device.
#[derive(Debug, Clone, PartialEq)]
pub struct CellWork {
    pub code: String,
    pub name: String,
    /// Open incidents (not closed, rejected or merged away).
    pub open_incidents: Vec<Incident>,
    /// Active persons with a visit due, soonest first.
    pub visits_due: Vec<PersonItem>,
    /// How many of those visits are overdue at `now`.
    pub visits_overdue: usize,
    /// Safety units with a hazard open or its rectification overdue.
    pub hazard_units: usize,
}

/// The caller's cells (synced `cell` features) by code, each with its open incidents, the
/// visits due and the units with hazards — what a worker patrols, offline.
pub fn cell_work(
    cells: &[Cell],
    incidents: &[Incident],
    persons: &[PersonItem],
    units: &[Unit],
    now: DateTime<Utc>,
) -> Vec<CellWork> {
    let mut out: Vec<CellWork> = cells
        .iter()
        .map(|c| {
            let code = &c.properties.code;
            let due = visits_due(
                persons
                    .iter()
                    .filter(|x| x.cell_code == *code)
                    .cloned()
                    .collect(),
            );
            CellWork {
                code: code.clone(),
                name: c.properties.name.clone(),
                open_incidents: incidents
                    .iter()
                    .filter(|i| i.cell_code == *code && i.status.is_open())
                    .cloned()
                    .collect(),
                visits_overdue: due.iter().filter(|x| visit_overdue(x, now)).count(),
                visits_due: due,
                hazard_units: units
                    .iter()
                    .filter(|u| u.cell_code == *code && has_hazard(u))
                    .count(),
            }
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
    /// A step of an incident: the owner id is `<incident id>/<step id>`.
    Step,
    /// A responsibility task's progress report: its evidence.
    Progress,
}

impl PhotoOwner {
    fn collection(self) -> &'static str {
        match self {
            PhotoOwner::Incident => "incidents",
            PhotoOwner::Visit => "visits",
            PhotoOwner::Inspection => "inspections",
            PhotoOwner::Step => "steps",
            PhotoOwner::Progress => "task-progress",
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
    if collection == "steps" {
        let (incident, step) = id.split_once('/')?;
        if incident.is_empty() || step.is_empty() {
            return None;
        }
        return Some(format!("/api/v1/incidents/{incident}/photos?step={step}"));
    }
    if id.is_empty()
        || !matches!(
            collection,
            "incidents" | "visits" | "inspections" | "task-progress"
        )
    {
        return None;
    }
    Some(format!("/api/v1/{collection}/{id}/photos"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_on_the_district_clock() {
        let t = "2026-12-03T16:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(local_time(&t), "2026-12-04 00:30");
        assert_eq!(day(&t), "2026-12-04");
    }

    #[test]
    fn spans_use_the_largest_whole_unit() {
        let now = "2026-12-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            span(&at("2026-12-01T03:10:00Z"), &now),
            (false, Span::Hours(3))
        );
        assert_eq!(
            span(&at("2026-11-28T23:00:00Z"), &now),
            (true, Span::Days(2))
        );
        assert_eq!(
            span(&at("2026-12-01T00:00:20Z"), &now),
            (false, Span::Minutes(1))
        );
        assert_eq!(
            span(&at("2026-12-02T23:59:00Z"), &now),
            (false, Span::Hours(47))
        );
    }
    use gridwork_shared::api::{CellProperties, Feature, FeatureType, Role};
    use gridwork_shared::geometry::Location;
    use gridwork_shared::incident::Severity;
    use gridwork_shared::person::{PersonCategory, RiskLevel};
    use gridwork_shared::safety::{Certification, UnitKind};
    use uuid::Uuid;

    fn at(t: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc)
    }

    const CELL: &str = "500117001001001";
    const PLACE: Location = Location {
        lon: 106.27,
        lat: 29.97,
    };

    /// An incident as the server sends it, in cell 500117001001001, named by its title.
    fn wire(title: &str, status: Status, level: Level, reporter: Uuid, created: &str) -> Incident {
        let created = at(created);
        Incident {
            id: Uuid::new_v4(),
            category: "0401".into(),
            title: title.into(),
            description: String::new(),
            location: PLACE,
            occurred_at: created,
            severity: Severity::Medium,
            cell_code: CELL.into(),
            status,
            level,
            due_at: created,
            overdue: false,
            reporter_id: reporter,
            assignee_id: None,
            assignee_name: None,
            department_id: None,
            resolver_id: None,
            merged_into: None,
            conflict: false,
            version: 3,
            created_at: created,
            updated_at: created,
            closed_at: None,
            photos: Vec::new(),
            source: Default::default(),
        }
    }

    /// A community-level incident named `title`, reported at `created`.
    fn incident(title: &str, status: Status, created: &str) -> Incident {
        wire(title, status, Level::Community, Uuid::nil(), created)
    }

    fn titles<'a>(list: impl IntoIterator<Item = &'a Incident>) -> Vec<&'a str> {
        list.into_iter().map(|i| i.title.as_str()).collect()
    }

    /// A person in cell 500117001001001, named `name`.
    fn person(name: &str, due: Option<&str>, active: bool) -> PersonItem {
        let t = at("2026-10-01T00:00:00Z");
        PersonItem {
            id: Uuid::new_v4(),
            category: PersonCategory::KeyYouth,
            name: name.into(),
            id_number_masked: "500************12X".into(),
            address: String::new(),
            location: PLACE,
            cell_code: CELL.into(),
            risk_level: RiskLevel::Low,
            responsible_worker_id: Uuid::nil(),
            active,
            last_visit_at: None,
            last_outcome: None,
            next_visit_due: due.map(at),
            overdue: false,
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn names(list: &[PersonItem]) -> Vec<&str> {
        list.iter().map(|p| p.name.as_str()).collect()
    }

    /// A unit in cell 500117001001001.
    fn unit(status: UnitStatus) -> Unit {
        let t = at("2026-10-01T00:00:00Z");
        Unit {
            id: Uuid::new_v4(),
            kind: UnitKind::Shop,
            name: "u".into(),
            address: String::new(),
            location: PLACE,
            cell_code: CELL.into(),
            status,
            open_hazards: 0,
            certification: Certification::None,
            certified_at: None,
            last_inspected_at: None,
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn cell(code: &str, name: &str) -> Cell {
        Feature {
            kind: FeatureType::Feature,
            id: code.into(),
            geometry: serde_json::Value::Null,
            properties: CellProperties {
                code: code.into(),
                name: name.into(),
                community_code: code[..12].into(),
                valid_from: at("2026-01-01T00:00:00Z"),
                valid_to: None,
            },
        }
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
        let mut late = incident("a", Status::Dispatched, "2026-11-01T00:00:00Z");
        late.overdue = true;
        let closed = incident("b", Status::Closed, "2026-11-02T00:00:00Z");
        let mut conflicted = incident("c", Status::Reported, "2026-11-03T00:00:00Z");
        conflicted.conflict = true;
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
        let community = QueueFilter {
            level: "community".into(),
            ..QueueFilter::default()
        };
        assert!(community.matches(&late));
        let dispatched = QueueFilter {
            status: "dispatched".into(),
            ..QueueFilter::default()
        };
        assert!(dispatched.matches(&late) && !dispatched.matches(&conflicted));
        assert_eq!(
            titles(&newest_first(vec![late, closed, conflicted])),
            ["c", "b", "a"]
        );
    }

    #[test]
    fn duplicates_are_earlier_open_incidents_of_the_same_cell_and_category() {
        let me = incident("me", Status::Reported, "2026-11-05T00:00:00Z");
        let older = incident("older", Status::Accepted, "2026-11-01T00:00:00Z");
        let oldest = incident("oldest", Status::Reported, "2026-10-01T00:00:00Z");
        let closed = incident("closed", Status::Closed, "2026-11-02T00:00:00Z");
        let later = incident("later", Status::Reported, "2026-11-06T00:00:00Z");
        let mut elsewhere = incident("elsewhere", Status::Reported, "2026-11-01T00:00:00Z");
        elsewhere.cell_code = "500117001001002".into();
        let mut other_kind = incident("other", Status::Reported, "2026-11-01T00:00:00Z");
        other_kind.category = "0101".into();
        let all = vec![
            me.clone(),
            older,
            oldest,
            closed,
            later,
            elsewhere,
            other_kind,
        ];
        assert_eq!(titles(merge_candidates(&me, &all)), ["oldest", "older"]);
    }

    fn me(role: Role, region_code: &str) -> Me {
        Me {
            id: Uuid::new_v4(),
            username: "u".into(),
            role,
            region_code: region_code.into(),
            display_name: "U".into(),
            department_id: None,
        }
    }

    /// An incident reported by `reporter` at the start of November.
    fn reported_by(status: Status, level: Level, reporter: Uuid) -> Incident {
        wire("t", status, level, reporter, "2026-11-01T00:00:00Z")
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
        let reported = reported_by(Status::Reported, Level::Community, worker.id);
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
        let accepted = reported_by(Status::Accepted, Level::Community, worker.id);
        assert_eq!(
            incident_steps(&accepted, &town, false, true),
            [Dispatch, Escalate]
        );
        assert_eq!(incident_steps(&accepted, &town, false, false), [Escalate]);

        // Dispatched to the worker: only they start it.
        let mut dispatched = reported_by(Status::Dispatched, Level::Community, worker.id);
        dispatched.assignee_id = Some(worker.id);
        assert_eq!(incident_steps(&dispatched, &worker, true, true), [Start]);
        assert!(incident_steps(&dispatched, &other_worker, true, true).is_empty());

        // Resolved by the community supervisor: the town verifies, not the one who fixed it.
        let mut resolved = reported_by(Status::Resolved, Level::Community, worker.id);
        resolved.resolver_id = Some(community.id);
        resolved.conflict = true;
        assert_eq!(
            incident_steps(&resolved, &town, false, false),
            [Verify, Rework, Escalate, ClearConflict]
        );
        assert_eq!(
            incident_steps(&resolved, &community, false, false),
            [Escalate, ClearConflict]
        );

        // Escalated past the community: the community supervisor no longer handles it.
        let town_level = reported_by(Status::Accepted, Level::Town, worker.id);
        assert!(incident_steps(&town_level, &community, true, true).is_empty());
        assert_eq!(
            incident_steps(&town_level, &town, false, true),
            [Dispatch, Escalate]
        );

        // Closed: nothing.
        let closed = reported_by(Status::Closed, Level::Community, worker.id);
        assert!(incident_steps(&closed, &town, true, true).is_empty());
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
                let mut record = reported_by(status, level, worker.id);
                record.assignee_id = Some(worker.id);
                for who in &people {
                    let (id, reporter, assignee) = (
                        who.id.to_string(),
                        worker.id.to_string(),
                        worker.id.to_string(),
                    );
                    let facts = Facts {
                        status,
                        level,
                        cell_code: CELL,
                        reporter_id: &reporter,
                        assignee_id: Some(&assignee),
                        department_id: None,
                        resolver_id: None,
                        conflict: false,
                    };
                    let actor = Actor {
                        id: &id,
                        role: who.role,
                        region_code: &who.region_code,
                        department_id: None,
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

    /// A user as `GET /users` lists it.
    fn user(name: &str, role: Role, region: &str, active: bool) -> User {
        let t = at("2026-10-01T00:00:00Z");
        User {
            id: Uuid::new_v4(),
            username: name.to_lowercase(),
            role,
            region_code: region.into(),
            display_name: name.into(),
            active,
            department_id: None,
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn the_queue_puts_late_work_first_then_the_most_urgent() {
        let now = at("2026-11-10T00:00:00Z");
        let due = |title: &str, status, severity, due: &str| {
            let mut i = incident(title, status, "2026-11-01T00:00:00Z");
            i.severity = severity;
            i.due_at = at(due);
            i
        };
        let mut closed = due(
            "closed",
            Status::Closed,
            Severity::Urgent,
            "2026-11-01T00:00:00Z",
        );
        closed.updated_at = at("2026-11-08T00:00:00Z");
        let mut rejected = due(
            "rejected",
            Status::Rejected,
            Severity::Low,
            "2026-11-02T00:00:00Z",
        );
        rejected.updated_at = at("2026-11-09T00:00:00Z");
        let list = vec![
            closed,
            due(
                "low-soon",
                Status::Accepted,
                Severity::Low,
                "2026-11-10T02:00:00Z",
            ),
            due(
                "late-2-days",
                Status::Dispatched,
                Severity::Low,
                "2026-11-08T00:00:00Z",
            ),
            rejected,
            due(
                "urgent-later",
                Status::Reported,
                Severity::Urgent,
                "2026-11-12T00:00:00Z",
            ),
            due(
                "late-5-days",
                Status::Reported,
                Severity::Medium,
                "2026-11-05T00:00:00Z",
            ),
            due(
                "high",
                Status::InProgress,
                Severity::High,
                "2026-11-11T00:00:00Z",
            ),
            // Resolved waits for a verification, not a deadline: open, never late.
            due(
                "resolved",
                Status::Resolved,
                Severity::Medium,
                "2026-11-01T00:00:00Z",
            ),
        ];
        assert_eq!(
            titles(&queue_order(list, now)),
            [
                "late-5-days",
                "late-2-days",
                "urgent-later",
                "high",
                "resolved",
                "low-soon",
                "rejected",
                "closed"
            ]
        );
        // The server's word counts too.
        let mut flagged = due(
            "flagged",
            Status::Accepted,
            Severity::Low,
            "2026-11-20T00:00:00Z",
        );
        flagged.overdue = true;
        let urgent = due(
            "urgent",
            Status::Accepted,
            Severity::Urgent,
            "2026-11-20T00:00:00Z",
        );
        assert_eq!(
            titles(&queue_order(vec![urgent, flagged], now)),
            ["flagged", "urgent"]
        );
    }

    #[test]
    fn dispatch_offers_exactly_the_workers_the_server_accepts() {
        let town = me(Role::Supervisor, "500117001");
        let here = user("Zhao", Role::Worker, "500117001001", true);
        let also = user("Ann", Role::Worker, "500117001001", true);
        let users = vec![
            here.clone(),
            user("Neighbour", Role::Worker, "500117001002", true),
            user("Gone", Role::Worker, "500117001001", false),
            user("Boss", Role::Supervisor, "500117001001", true),
            user("Volunteer", Role::Volunteer, "500117001001", true),
            user("District", Role::Worker, "500117", true),
            also.clone(),
        ];
        let i = incident("t", Status::Accepted, "2026-11-01T00:00:00Z");
        let offered = dispatch_candidates(&users, &i, &town);
        assert_eq!(
            offered.iter().map(|u| u.id).collect::<Vec<_>>(),
            [also.id, here.id],
            "by name"
        );
        // The very rule the server checks a dispatch with.
        for u in &users {
            assert_eq!(
                offered.iter().any(|o| o.id == u.id),
                may_take(u.role, u.active, &u.region_code, CELL, &town.region_code),
                "{}",
                u.display_name
            );
        }
        // An admin reaches the district's worker too; a supervisor of another town nobody.
        let admin = me(Role::Admin, "");
        assert_eq!(dispatch_candidates(&users, &i, &admin).len(), 3);
        assert!(dispatch_candidates(&users, &i, &me(Role::Supervisor, "500117002")).is_empty());
        assert!(name_matches(&here, " zha"));
        assert!(name_matches(&here, ""));
        assert!(!name_matches(&here, "ann"));
    }

    #[test]
    fn merges_go_into_what_the_server_found_and_the_phone_holds() {
        let town = me(Role::Supervisor, "500117001");
        let this = incident("this", Status::Reported, "2026-11-05T00:00:00Z");
        let older = incident("older", Status::Accepted, "2026-11-01T00:00:00Z");
        let mut high = incident("high", Status::Accepted, "2026-11-02T00:00:00Z");
        high.level = Level::District;
        let dup = |i: &Incident, d: f64| Duplicate {
            id: i.id,
            title: i.title.clone(),
            status: i.status,
            distance_m: d,
            created_at: i.created_at,
        };
        let remote = incident("remote", Status::Reported, "2026-11-03T00:00:00Z");
        let held = vec![this.clone(), older.clone(), high.clone()];
        let found = vec![dup(&remote, 12.0), dup(&older, 30.0), dup(&high, 5.0)];
        let choices = merge_choices(&this, &found, &held, &town);
        assert_eq!(
            choices.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(),
            ["remote", "older"],
            "the district-level one is above the town; none twice"
        );
        assert_eq!(choices[0].distance_m, Some(12.0));
        // Offline: what the phone holds.
        let choices = merge_choices(&this, &[], &held, &town);
        assert_eq!(
            choices.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(),
            ["older"]
        );
        assert_eq!(choices[0].distance_m, None);
    }

    #[test]
    fn queued_steps_move_the_phones_copy_on() {
        let worker = me(Role::Worker, "500117001001");
        let mut i = wire(
            "t",
            Status::Dispatched,
            Level::Community,
            worker.id,
            "2026-11-01T00:00:00Z",
        );
        i.assignee_id = Some(worker.id);
        i.assignee_name = Some("W".into());
        let step = |action, version| ActionRequest {
            action,
            version,
            note: None,
            assignee_id: None,
            department_id: None,
            into: None,
        };
        let later = after_queued(
            &i,
            &[
                step(Action::Start, 3),
                step(Action::Comment, 4),
                // Not possible from in_progress: changes nothing.
                step(Action::Verify, 5),
                step(Action::Resolve, 5),
            ],
            &worker,
        );
        assert_eq!(later.status, Status::Resolved);
        assert_eq!(later.resolver_id, Some(worker.id));
        assert_eq!(later.version, 6, "one version per step that applies");
        assert_eq!(later.assignee_name.as_deref(), Some("W"));
        let town = me(Role::Supervisor, "500117001");
        let other = Uuid::new_v4();
        let mut to_other = step(Action::Dispatch, 3);
        to_other.assignee_id = Some(other);
        let moved = after_queued(&i, &[to_other], &town);
        assert_eq!(
            (moved.assignee_id, moved.assignee_name),
            (Some(other), None)
        );
        assert_eq!(after_queued(&i, &[], &town), i);
    }

    #[test]
    fn those_who_handle_a_dispute_are_its_supervisors_and_its_assignee() {
        let worker = me(Role::Worker, "500117001001");
        let other = me(Role::Worker, "500117001001");
        let mut i = wire(
            "t",
            Status::Dispatched,
            Level::Town,
            other.id,
            "2026-11-01T00:00:00Z",
        );
        i.assignee_id = Some(worker.id);
        assert!(handles(&i, &worker));
        assert!(!handles(&i, &other), "the reporter does not handle it");
        assert!(handles(&i, &me(Role::Supervisor, "500117001")));
        assert!(handles(&i, &me(Role::Admin, "")));
        assert!(
            !handles(&i, &me(Role::Supervisor, "500117001001")),
            "below the incident's level"
        );
        assert!(!handles(&i, &me(Role::Supervisor, "500117002")));
    }

    #[test]
    fn local_times_read_on_the_districts_clock() {
        let t = parse_local_time("2026-12-03T17:30").unwrap();
        assert_eq!(t, at("2026-12-03T09:30:00Z"));
        assert_eq!(local_input(&t), "2026-12-03T17:30");
        assert_eq!(
            parse_local_time("2026-12-03T17:30:15"),
            Some(at("2026-12-03T09:30:15Z"))
        );
        assert_eq!(parse_local_time(""), None);
        assert_eq!(parse_local_time("yesterday"), None);
    }

    #[test]
    fn dates_are_the_districts_days() {
        // 23:30 UTC is 07:30 the next morning in China Standard Time.
        assert_eq!(day(&at("2026-11-20T23:30:00.5Z")), "2026-11-21");
        assert_eq!(day(&at("2026-11-21T01:00:00+08:00")), "2026-11-21");
        assert_eq!(day(&at("2026-11-20T15:59:59Z")), "2026-11-20");
    }

    #[test]
    fn overdue_visits_are_listed_most_overdue_first() {
        let list = overdue_persons(
            vec![
                person("later", Some("2026-11-20T00:00:00Z"), true),
                person("earliest", Some("2026-11-01T00:00:00Z"), true),
                person("not_yet", Some("2026-12-01T00:00:00Z"), true),
                person("inactive", Some("2026-10-01T00:00:00Z"), false),
                person("no_due", None, true),
            ],
            at("2026-11-25T00:00:00Z"),
        );
        assert_eq!(names(&list), ["earliest", "later"]);
        // The server's word counts too (its clock may be ahead of the phone's).
        let mut flagged = person("flagged", Some("2026-11-26T00:00:00Z"), true);
        flagged.overdue = true;
        assert_eq!(
            names(&overdue_persons(vec![flagged], at("2026-11-25T00:00:00Z"))),
            ["flagged"]
        );
    }

    #[test]
    fn each_cell_lists_what_waits_in_it() {
        let cells = vec![
            cell("500117001001002", "二号网格"),
            cell("500117001001001", "一号网格"),
        ];
        let mut elsewhere = incident("elsewhere", Status::Reported, "2026-11-01T00:00:00Z");
        elsewhere.cell_code = "500117001001002".into();
        let incidents = vec![
            incident("open", Status::Dispatched, "2026-11-01T00:00:00Z"),
            incident("closed", Status::Closed, "2026-11-02T00:00:00Z"),
            incident("rejected", Status::Rejected, "2026-11-02T00:00:00Z"),
            elsewhere,
        ];
        let persons = vec![
            person("late", Some("2026-11-20T00:00:00Z"), true),
            person("soon", Some("2026-12-03T00:00:00Z"), true),
            person("inactive", Some("2026-10-01T00:00:00Z"), false),
            person("none", None, true),
        ];
        let units = vec![
            unit(UnitStatus::Hazard),
            unit(UnitStatus::Overdue),
            unit(UnitStatus::Safe),
            unit(UnitStatus::Unknown),
        ];
        let work = cell_work(
            &cells,
            &incidents,
            &persons,
            &units,
            at("2026-12-01T00:00:00Z"),
        );
        assert_eq!(
            work.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
            ["500117001001001", "500117001001002"]
        );
        let first = &work[0];
        assert_eq!(first.name, "一号网格");
        assert_eq!(titles(&first.open_incidents), ["open"]);
        assert_eq!(names(&first.visits_due), ["late", "soon"]);
        assert_eq!((first.visits_overdue, first.hazard_units), (1, 2));
        assert_eq!(titles(&work[1].open_incidents), ["elsewhere"]);
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
        assert_eq!(
            photo_upload_path(&photo_key(PhotoOwner::Progress, "r-1", "p")).as_deref(),
            Some("/api/v1/task-progress/r-1/photos")
        );
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
        assert_eq!(
            photo_upload_path(&photo_key(PhotoOwner::Step, "inc-3/op-4", "p")).as_deref(),
            Some("/api/v1/incidents/inc-3/photos?step=op-4")
        );
        assert_eq!(photo_upload_path("steps/inc-3:p"), None);
        assert_eq!(photo_upload_path("garbage"), None);
        assert_eq!(photo_upload_path("units/u-1:p"), None);
        assert_eq!(photo_upload_path("visits/:p"), None);
    }
}
