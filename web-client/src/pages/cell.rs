//! A cell's page (`/cells/{code}`): its name and code, its incidents (open first, the
//! overdue and most urgent on top), the persons due a visit, its safety units and its
//! workers, each opening its own screen. Supervisors and admins read it from the server (the
//! phone's copy when there is no network); workers and volunteers from the phone's copy,
//! which holds what they may see (the server when the phone does not have the cell yet). A
//! cell the caller may not see reads as one that does not exist.

use gridwork_shared::api::{Cell, CellAssignment, Page as Paged, Role, User};
use gridwork_shared::incident::{Incident, Status};
use gridwork_shared::person::PersonItem;
use gridwork_shared::safety::Unit;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::alert;
use crate::components::list::{chip, incident_item};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::office::OfficeText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, risk, t, unit_status};
use crate::logic::{day, has_hazard, visits_due};
use crate::services::api::{self, ApiError};
use crate::services::queue;

#[derive(Properties, PartialEq)]
pub struct CellPageProps {
    pub code: String,
}

/// What the page shows of a cell.
#[derive(Debug, Clone)]
struct CellView {
    code: String,
    name: String,
    community_code: String,
    incidents: Vec<Incident>,
    /// Persons with a visit due, soonest first; `None` for a volunteer.
    persons: Option<Vec<PersonItem>>,
    /// `None` for a volunteer.
    units: Option<Vec<Unit>>,
    /// Read from the phone's copy because the server could not be reached.
    offline: bool,
}

#[derive(Debug, Clone)]
enum Found {
    Cell(CellView),
    Missing,
    Failed(String),
}

/// Open incidents first — overdue, then the nearest deadline — then the others, newest
/// first.
pub fn open_first(mut incidents: Vec<Incident>) -> Vec<Incident> {
    incidents.sort_by(|a, b| {
        let (oa, ob) = (a.status.is_open(), b.status.is_open());
        ob.cmp(&oa).then_with(|| match oa {
            true => b.overdue.cmp(&a.overdue).then(a.due_at.cmp(&b.due_at)),
            false => b.created_at.cmp(&a.created_at),
        })
    });
    incidents
}

/// Whether the role sees persons and units (volunteers see neither).
fn sees_records(role: Role) -> bool {
    role != Role::Volunteer
}

fn view(
    cell: Cell,
    incidents: Vec<Incident>,
    persons: Option<Vec<PersonItem>>,
    units: Option<Vec<Unit>>,
    offline: bool,
) -> CellView {
    let mut units = units;
    if let Some(u) = units.as_mut() {
        u.sort_by(|a, b| has_hazard(b).cmp(&has_hazard(a)).then(a.name.cmp(&b.name)));
    }
    CellView {
        code: cell.properties.code,
        name: cell.properties.name,
        community_code: cell.properties.community_code,
        incidents: open_first(incidents),
        persons: persons.map(visits_due),
        units,
        offline,
    }
}

/// The cell from the server: the cell, its open incidents and the latest others, its
/// persons and units (not for volunteers).
async fn from_server(code: &str, role: Role) -> Result<CellView, ApiError> {
    let cell: Cell = api::get(&format!("/api/v1/cells/{code}")).await?;
    let open: Vec<&str> = Status::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(Status::as_str)
        .collect();
    let list = |q: String| async move {
        api::get::<Paged<Incident>>(&format!("/api/v1/incidents?cell={code}&{q}"))
            .await
            .map(|p| p.items)
    };
    let mut incidents = list(format!("status={}&limit=500", open.join(","))).await?;
    incidents.extend(list("status=closed,rejected&limit=20".into()).await?);
    let (persons, units) = match sees_records(role) {
        true => (
            Some(
                api::get::<Paged<PersonItem>>(&format!("/api/v1/persons?cell={code}&limit=500"))
                    .await?
                    .items,
            ),
            Some(
                api::get::<Paged<Unit>>(&format!("/api/v1/safety-units?cell={code}&limit=500"))
                    .await?
                    .items,
            ),
        ),
        false => (None, None),
    };
    Ok(view(cell, incidents, persons, units, false))
}

/// The cell from the phone's copy, if the phone has it.
async fn from_phone(code: &str, role: Role, offline: bool) -> Option<CellView> {
    let cell = queue::records::<Cell>()
        .await
        .into_iter()
        .find(|c| c.properties.code == code)?;
    let here = |c: &String| c == code;
    let incidents = queue::records::<Incident>()
        .await
        .into_iter()
        .filter(|i| here(&i.cell_code))
        .collect();
    let (persons, units) = match sees_records(role) {
        true => (
            Some(
                queue::records::<PersonItem>()
                    .await
                    .into_iter()
                    .filter(|p| here(&p.cell_code))
                    .collect(),
            ),
            Some(
                queue::records::<Unit>()
                    .await
                    .into_iter()
                    .filter(|u| here(&u.cell_code))
                    .collect(),
            ),
        ),
        false => (None, None),
    };
    Some(view(cell, incidents, persons, units, offline))
}

async fn load(code: String, role: Role) -> Found {
    // A code that is no cell code names nothing (and never reaches a query string).
    if gridwork_shared::codes::cell_community(&code).is_err() {
        return Found::Missing;
    }
    let office = matches!(role, Role::Admin | Role::Supervisor);
    if !office && let Some(v) = from_phone(&code, role, false).await {
        return Found::Cell(v);
    }
    match from_server(&code, role).await {
        Ok(v) => Found::Cell(v),
        Err(ApiError::Offline) => match from_phone(&code, role, true).await {
            Some(v) => Found::Cell(v),
            None => Found::Failed(ApiError::Offline.message()),
        },
        Err(ApiError::Problem(p)) if p.status == 404 => Found::Missing,
        Err(e) => Found::Failed(e.message()),
    }
}

#[component]
pub fn CellPage(props: &CellPageProps) -> Html {
    let session = use_session();
    let role = session.me.as_ref().map(|m| m.role);
    let found = use_loaded(
        (props.code.clone(), role, session.generation),
        |(code, role, _)| async move {
            match role {
                Some(role) => Some(load(code, role).await),
                None => None,
            }
        },
    );
    // Who looks after the cell (not for volunteers): always from the server.
    let workers = use_loaded(
        (props.code.clone(), role, session.generation),
        |(code, role, _)| async move {
            match role {
                Some(Role::Admin | Role::Supervisor | Role::Worker) => Some(
                    api::get::<CellAssignment>(&format!("/api/v1/cells/{code}/workers"))
                        .await
                        .map(|a| a.workers),
                ),
                _ => None,
            }
        },
    );
    let admin = role == Some(Role::Admin);
    let body = match (*found).clone().flatten() {
        None => html! { <p class="loading">{ t(Text::Loading) }</p> },
        Some(Found::Missing) => html! {
            <p class="empty" data-testid="cell-not-found">{ t(OfficeText::CellNotFound) }</p>
        },
        Some(Found::Failed(e)) => alert(&Some(e)),
        Some(Found::Cell(v)) => html! {
            <>
            <h1 data-testid="cell-name">{ &v.name }</h1>
            <p><small data-testid="cell-code">{ &v.code }</small>
                { format!(" · {} {}", t(OfficeText::Community), v.community_code) }</p>
            { if v.offline { html!{ <p class="notice">{ t(ScreenText::OfflineList) }</p> } } else { html!{} } }
            <h2>{ t(OfficeText::Incidents) }</h2>
            { list("cell-incidents", v.incidents.iter().map(incident_item).collect()) }
            { for v.persons.as_ref().map(|p| html! {
                <>
                <h2>{ t(OfficeText::PersonsDue) }</h2>
                { list("cell-persons", p.iter().map(person_row).collect()) }
                </>
            }) }
            { for v.units.as_ref().map(|u| html! {
                <>
                <h2>{ t(OfficeText::Units) }</h2>
                { list("cell-units", u.iter().map(unit_row).collect()) }
                </>
            }) }
            { match (*workers).clone().flatten() {
                None => html! {},
                Some(Ok(w)) => html! {
                    <>
                    <h2>{ t(OfficeText::Workers) }</h2>
                    { list("cell-workers", w.iter().map(|u| worker_row(u, admin)).collect()) }
                    </>
                },
                Some(Err(ApiError::Offline)) => html! {
                    <>
                    <h2>{ t(OfficeText::Workers) }</h2>
                    <p class="empty">{ t(OfficeText::WorkersOffline) }</p>
                    </>
                },
                Some(Err(_)) => html! {},
            } }
            </>
        },
    };
    html! {
        <Page testid="cell">
            { body }
            <Back />
        </Page>
    }
}

/// A list of rows, or "nothing here".
fn list(testid: &'static str, rows: Vec<Html>) -> Html {
    html! {
        <ul class="list" data-testid={testid}>
            { if rows.is_empty() { html!{ <li class="empty">{ t(Text::Nothing) }</li> } } else { html!{ <>{ for rows }</> } } }
        </ul>
    }
}

/// A person due a visit: name, masked number, risk, the day it is due (red when overdue);
/// opens the person's record.
fn person_row(p: &PersonItem) -> Html {
    let due = p.next_visit_due.as_ref().map(day).unwrap_or_default();
    html! {
        <li class={classes!("item", p.overdue.then_some("late"))}>
            <Link<Route> to={Route::Person { id: p.id.to_string() }}>
                <strong>{ &p.name }</strong>
                <small>{ &p.id_number_masked }</small>
                { chip(t(risk(p.risk_level)), false) }
                { chip(format!("{} {due}", t(Text::Due)), p.overdue) }
            </Link<Route>>
        </li>
    }
}

/// A safety unit: name, status (red with a hazard), address; opens the unit.
fn unit_row(u: &Unit) -> Html {
    html! {
        <li class={classes!("item", has_hazard(u).then_some("late"))}>
            <Link<Route> to={Route::Unit { id: u.id.to_string() }}>
                <strong>{ &u.name }</strong>
                { chip(t(unit_status(u.status)), has_hazard(u)) }
                <small>{ &u.address }</small>
            </Link<Route>>
        </li>
    }
}

/// A worker of the cell: name and username; an admin opens the user's screen.
fn worker_row(u: &User, admin: bool) -> Html {
    let inner = html! { <><strong>{ &u.display_name }</strong><small>{ &u.username }</small></> };
    html! {
        <li class="item" data-user={u.username.clone()}>
            { if admin { html!{
                <Link<Route> to={Route::AdminUser { id: u.id.to_string() }}>{ inner }</Link<Route>>
            } } else { inner } }
        </li>
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use gridwork_shared::geometry::Location;
    use gridwork_shared::incident::{Level, Severity};
    use uuid::Uuid;

    pub(crate) fn at(t: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc)
    }

    /// An incident named `title` in `cell`, due at `due`, reported at `created`.
    pub(crate) fn incident(
        title: &str,
        cell: &str,
        status: Status,
        overdue: bool,
        due: &str,
        created: &str,
    ) -> Incident {
        Incident {
            id: Uuid::new_v4(),
            category: "0401".into(),
            title: title.into(),
            description: String::new(),
            location: Location {
                lon: 106.27,
                lat: 29.97,
            },
            occurred_at: at(created),
            severity: Severity::Medium,
            cell_code: cell.into(),
            status,
            level: Level::Community,
            due_at: at(due),
            overdue,
            reporter_id: Uuid::nil(),
            assignee_id: None,
            assignee_name: None,
            department_id: None,
            resolver_id: None,
            merged_into: None,
            conflict: false,
            version: 1,
            created_at: at(created),
            updated_at: at(created),
            closed_at: None,
            photos: Vec::new(),
            source: Default::default(),
        }
    }

    #[test]
    fn open_incidents_come_first_the_overdue_and_nearest_deadline_on_top() {
        let c = "500117001001001";
        let list = vec![
            incident(
                "closed old",
                c,
                Status::Closed,
                false,
                "2026-11-02T00:00:00Z",
                "2026-11-01T00:00:00Z",
            ),
            incident(
                "due later",
                c,
                Status::Dispatched,
                false,
                "2026-12-09T00:00:00Z",
                "2026-11-20T00:00:00Z",
            ),
            incident(
                "rejected new",
                c,
                Status::Rejected,
                false,
                "2026-12-02T00:00:00Z",
                "2026-11-30T00:00:00Z",
            ),
            incident(
                "overdue",
                c,
                Status::Accepted,
                true,
                "2026-11-25T00:00:00Z",
                "2026-11-21T00:00:00Z",
            ),
            incident(
                "due soon",
                c,
                Status::Reported,
                false,
                "2026-12-02T00:00:00Z",
                "2026-11-29T00:00:00Z",
            ),
        ];
        let titles: Vec<String> = open_first(list).into_iter().map(|i| i.title).collect();
        assert_eq!(
            titles,
            [
                "overdue",
                "due soon",
                "due later",
                "rejected new",
                "closed old"
            ]
        );
    }
}
