//! The supervisor's incident queue: filters by status, level, overdue and offline conflict;
//! from the server when online, from the device otherwise (the same rule either way).

use gridwork_shared::api::Page as Listed;
use gridwork_shared::incident::{Incident, Level, Status};
use yew::prelude::*;

use crate::components::form::select_value;
use crate::components::list::incident_item;
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, level, status, t};
use crate::logic::{QueueFilter, newest_first};
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
            (newest_first(list), local)
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
            <ul class="list" data-testid="queue">
                { match &*items {
                    None => html!{ <li class="empty">{ "…" }</li> },
                    Some((list, _)) if list.is_empty() => html!{ <li class="empty">{ t(Text::Nothing) }</li> },
                    Some((list, _)) => html!{ <>{ for list.iter().map(incident_item) }</> },
                } }
            </ul>
            <Back />
        </Page>
    }
}
