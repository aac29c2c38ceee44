//! My cells: each of the caller's cells with what waits in it — open incidents, visits due
//! (and how many are overdue), units with hazards — from the records on the device, so it
//! works with no signal. A cell opens to its incidents and the persons to visit.

use yew::prelude::*;

use crate::components::list::{chip, incident_item, person_item};
use crate::components::page::{Back, Page};
use crate::hooks::use_local;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::logic::{CellWork, cell_work};
use crate::services::queue;

#[component]
pub fn MyCells() -> Html {
    let cells = use_local(|| async {
        cell_work(
            &queue::records().await,
            &queue::records().await,
            &queue::records().await,
            &queue::records().await,
            chrono::Utc::now(),
        )
    });
    let body = match &*cells {
        None => html! { <p class="loading">{ t(Text::Loading) }</p> },
        Some(list) if list.is_empty() => html! { <p class="empty">{ t(ScreenText::NoCells) }</p> },
        Some(list) => html! { <>{ for list.iter().map(cell_card) }</> },
    };
    html! {
        <Page testid="cells">
            <h2>{ t(Text::MyCells) }</h2>
            { body }
            <Back />
        </Page>
    }
}

fn count(label: impl crate::i18n::Label, n: usize, late: bool) -> Html {
    chip(format!("{} {n}", t(label)), late && n > 0)
}

fn cell_card(c: &CellWork) -> Html {
    html! {
        <details class="card cell-work" data-cell={c.code.clone()}>
            <summary>
                <strong>{ &c.name }</strong>
                <small>{ &c.code }</small>
                { count(ScreenText::OpenIncidents, c.open_incidents.len(), false) }
                { count(Text::VisitsDue, c.visits_due.len(), false) }
                { count(Text::Overdue, c.visits_overdue, true) }
                { count(ScreenText::Hazards, c.hazard_units, true) }
            </summary>
            <ul class="list">
                { for c.open_incidents.iter().map(incident_item) }
                { for c.visits_due.iter().map(person_item) }
            </ul>
        </details>
    }
}
