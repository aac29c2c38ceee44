//! My cells: each of the caller's cells with what waits in it — open incidents, visits due
//! (and how many are overdue), units with hazards — from the records on the device, so it
//! works with no signal. A cell opens to its incidents and the persons to visit.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{Route, SessionCtx};
use crate::i18n::t;
use crate::logic::{CellWork, cell_work};
use crate::pages::header::Header;
use crate::pages::home::person_item;
use crate::pages::queue::incident_item;
use crate::services::queue;

#[component]
pub fn MyCells() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let cells = use_state(|| None::<Vec<CellWork>>);
    {
        let cells = cells.clone();
        use_effect_with(session.generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                cells.set(Some(cell_work(
                    &queue::records("cell").await,
                    &queue::records("incident").await,
                    &queue::records("person").await,
                    &queue::records("unit").await,
                    &now,
                )));
            });
        });
    }
    let body = match &*cells {
        None => html! { <p class="loading">{ t("loading") }</p> },
        Some(list) if list.is_empty() => html! { <p class="empty">{ t("no_cells") }</p> },
        Some(list) => html! { <>{ for list.iter().map(cell_card) }</> },
    };
    html! {
        <>
        <Header />
        <main class="page" data-testid="cells">
            <h2>{ t("my_cells") }</h2>
            { body }
            <Link<Route> to={Route::Home}>{ t("back") }</Link<Route>>
        </main>
        </>
    }
}

fn chip(label: &str, n: usize, late: bool) -> Html {
    html! {
        <span class={classes!("chip", (late && n > 0).then_some("late"))}>{ format!("{label} {n}") }</span>
    }
}

fn cell_card(c: &CellWork) -> Html {
    html! {
        <details class="card cell-work" data-cell={c.code.clone()}>
            <summary>
                <strong>{ &c.name }</strong>
                <small>{ &c.code }</small>
                { chip(t("open_incidents"), c.open_incidents.len(), false) }
                { chip(t("visits_due"), c.visits_due.len(), false) }
                { chip(t("overdue"), c.visits_overdue, true) }
                { chip(t("hazards"), c.hazard_units, true) }
            </summary>
            <ul class="list">
                { for c.open_incidents.iter().map(incident_item) }
                { for c.visits_due.iter().map(person_item) }
            </ul>
        </details>
    }
}
