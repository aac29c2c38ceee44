//! The supervisor's incident queue: filters by status (open work by default), level,
//! overdue and offline conflict; from the server when online, from the device otherwise (the
//! same rule either way). Open work comes first — the late ones most overdue first, then the
//! most urgent — and closed or rejected incidents last; each row names its cell, severity,
//! deadline and assignee.

use std::collections::HashMap;

use chrono::Utc;
use gridwork_shared::api::{Cell, Page as Listed, Role};
use gridwork_shared::incident::{Incident, Level, Status};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::export::Export;
use crate::components::form::select_value;
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::components::when::deadline;
use crate::hooks::{use_loaded, use_local, use_session};
use crate::i18n::incident::IncidentText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, level, severity, status, t};
use crate::logic::{QueueFilter, is_late, queue_order};
use crate::services::{api, queue};

/// The statuses to filter by, in the order of the loop.
const STATUSES: [Status; 8] = [
    Status::Reported,
    Status::Accepted,
    Status::Dispatched,
    Status::InProgress,
    Status::Resolved,
    Status::Rework,
    Status::Closed,
    Status::Rejected,
];

const LEVELS: [Level; 3] = [Level::Community, Level::Town, Level::District];

#[component]
pub fn QueuePage() -> Html {
    let session = use_session();
    let filter = use_state(|| QueueFilter {
        status: "open".into(),
        ..QueueFilter::default()
    });
    // The list, and whether it comes from the device.
    let items = use_loaded(
        ((*filter).clone(), session.generation),
        |(f, _)| async move {
            let path = format!("/api/v1/incidents?{}", f.query());
            let (mut list, local) = match api::get::<Listed<Incident>>(&path).await {
                Ok(page) => (page.items, false),
                Err(_) => (queue::records::<Incident>().await, true),
            };
            list.retain(|i| f.matches(i));
            (queue_order(list, Utc::now()), local)
        },
    );
    let set = |apply: fn(&mut QueueFilter, String)| {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let mut f = (*filter).clone();
            apply(&mut f, select_value(&e));
            filter.set(f);
        })
    };
    let toggle = |apply: fn(&mut QueueFilter)| {
        let filter = filter.clone();
        Callback::from(move |_: Event| {
            let mut f = (*filter).clone();
            apply(&mut f);
            filter.set(f);
        })
    };
    let from_device = items.as_ref().is_some_and(|(_, local)| *local);
    let office = session
        .me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin));
    // Cells by code, for their names.
    let cells = use_local(|| async {
        queue::records::<Cell>()
            .await
            .into_iter()
            .map(|c| (c.properties.code, c.properties.name))
            .collect::<HashMap<String, String>>()
    });
    let names = (*cells).clone().unwrap_or_default();
    html! {
        <Page>
            <h1>{ t(Text::Queue) }</h1>
            <form class="card filters" data-testid="filters">
                <label>{ t(ScreenText::Status) }
                    <select name="status" onchange={set(|f, v| f.status = v)}>
                        <option value="open" selected={filter.status == "open"}>{ t(ScreenText::Open) }</option>
                        <option value="" selected={filter.status.is_empty()}>{ t(ScreenText::All) }</option>
                        { for STATUSES.iter().map(|s| html!{ <option value={s.as_str()} selected={filter.status == s.as_str()}>{ t(status(*s)) }</option> }) }
                    </select>
                </label>
                <label>{ t(ScreenText::Level) }
                    <select name="level" onchange={set(|f, v| f.level = v)}>
                        <option value="" selected={filter.level.is_empty()}>{ t(ScreenText::All) }</option>
                        { for LEVELS.iter().map(|l| html!{ <option value={l.as_str()} selected={filter.level == l.as_str()}>{ t(level(*l)) }</option> }) }
                    </select>
                </label>
                <label class="check"><input type="checkbox" name="overdue" checked={filter.overdue} onchange={toggle(|f| f.overdue = !f.overdue)} />{ t(Text::Overdue) }</label>
                <label class="check"><input type="checkbox" name="conflict" checked={filter.conflict} onchange={toggle(|f| f.conflict = !f.conflict)} />{ t(Text::Conflict) }</label>
            </form>
            { if from_device { html!{ <p class="notice">{ t(ScreenText::OfflineList) }</p> } } else { html!{} } }
            // The list as a file, for supervisors, when the server can filter it as shown
            // (it has no conflict filter).
            { if office && !from_device && !filter.conflict { html!{
                <Export path="/api/v1/incidents/export" query={filter.filters()} testid="export-incidents" />
            } } else { html!{} } }
            <ul class="list" data-testid="queue">
                { match &*items {
                    None => html!{ <li class="empty">{ "…" }</li> },
                    Some((list, _)) if list.is_empty() => html!{ <li class="empty">{ t(Text::Nothing) }</li> },
                    Some((list, _)) => html!{ <>{ for list.iter().map(|i| queue_item(i, &names)) }</> },
                } }
            </ul>
            <Back />
        </Page>
    }
}

/// One incident of the queue: what it is, how pressing, where, until when, and who has it.
fn queue_item(i: &Incident, cells: &HashMap<String, String>) -> Html {
    let late = is_late(i, Utc::now());
    let cell = match cells.get(&i.cell_code) {
        Some(name) => format!("{name} · {}", i.cell_code),
        None => i.cell_code.clone(),
    };
    let assignee = match (&i.assignee_name, i.assignee_id) {
        (Some(name), _) => format!("{}: {name}", t(IncidentText::Assignee)),
        (None, Some(_)) => t(IncidentText::AssignedElse).to_string(),
        (None, None) => t(IncidentText::NotAssigned).to_string(),
    };
    html! {
        <li class={classes!("item", late.then_some("late"))} data-testid="queue-item" data-status={i.status.as_str()}>
            <Link<Route> to={Route::Incident { id: i.id.to_string() }}>
                <strong>{ &i.title }</strong>
                { chip(t(status(i.status)), false) }
                { chip(t(severity(i.severity)), false) }
                { chip(t(level(i.level)), false) }
                { if late { chip(t(Text::Overdue), true) } else { html!{} } }
                { if i.conflict { chip(t(Text::Conflict), true) } else { html!{} } }
                <small data-testid="queue-cell">{ cell }</small>
                { if i.status.is_unresolved() { deadline(&i.due_at) } else { html!{} } }
                <small>{ assignee }</small>
            </Link<Route>>
        </li>
    }
}
