//! The first screen: what to do today — incidents and visits due.

use gridwork_shared::api::Role;
use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{Route, SessionCtx};
use crate::i18n::t;
use crate::logic::visits_due;
use crate::pages::header::Header;
use crate::pages::queue::incident_item;
use crate::services::queue;

#[component]
pub fn Home() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let incidents = use_state(Vec::<Value>::new);
    let persons = use_state(Vec::<Value>::new);
    {
        let (incidents, persons) = (incidents.clone(), persons.clone());
        use_effect_with(session.generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut list = queue::records("incident").await;
                list.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
                incidents.set(list);
                persons.set(visits_due(queue::records("person").await));
            });
        });
    }
    let Some(me) = session.me.clone() else {
        return html! { <Redirect<Route> to={Route::Login} /> };
    };
    let supervisor = matches!(me.role, Role::Supervisor | Role::Admin);
    html! {
        <>
        <Header />
        <main class="page">
            <Link<Route> to={Route::Report} classes="primary big">{ format!("＋ {}", t("report")) }</Link<Route>>
            { if matches!(me.role, Role::Worker | Role::Volunteer) { html!{
                <div data-testid="cells-link"><Link<Route> to={Route::Cells} classes="big">{ t("my_cells") }</Link<Route>></div>
            } } else { html!{} } }
            { if me.role == Role::Volunteer { html!{} } else { html!{
                <Link<Route> to={Route::Units} classes="big">{ t("units") }</Link<Route>>
            } } }
            { if me.role == Role::Admin { html!{
                <div data-testid="admin-link"><Link<Route> to={Route::Admin} classes="big">{ t("admin") }</Link<Route>></div>
            } } else { html!{} } }
            { if supervisor { html!{
                <>
                <div data-testid="map-link"><Link<Route> to={Route::Map} classes="big">{ t("map") }</Link<Route>></div>
                <div data-testid="queue-link"><Link<Route> to={Route::Queue} classes="big">{ t("queue_filters") }</Link<Route>></div>
                <Link<Route> to={Route::OverdueVisits} classes="big">{ t("overdue_visits") }</Link<Route>>
                <Link<Route> to={Route::Figures} classes="big">{ t("figures") }</Link<Route>>
                </>
            } } else { html!{} } }
            <h2>{ if supervisor { t("queue") } else { t("my_incidents") } }</h2>
            <ul class="list" data-testid="incidents">
                { if incidents.is_empty() { html!{ <li class="empty">{ t("nothing") }</li> } } else { html!{ <>{ for incidents.iter().map(incident_item) }</> } } }
            </ul>
            { if me.role == Role::Volunteer { html!{} } else { html! {
                <>
                <h2>{ t("visits_due") }</h2>
                <ul class="list">
                    { for persons.iter().map(person_item) }
                </ul>
                </>
            } } }
        </main>
        </>
    }
}

/// A person to visit as a row of a list: name, masked identity number, when the visit is due.
pub fn person_item(p: &Value) -> Html {
    let id = p["id"].as_str().unwrap_or_default().to_string();
    let due = p["next_visit_due"].as_str().unwrap_or_default();
    html! {
        <li class={classes!("item", (p["overdue"] == true).then_some("late"))}>
            <Link<Route> to={Route::Visit { id }}>
                <strong>{ p["name"].as_str().unwrap_or_default() }</strong>
                <small>{ p["id_number_masked"].as_str().unwrap_or_default() }</small>
                <span class="chip">{ due.get(..10).unwrap_or(due).to_string() }</span>
            </Link<Route>>
        </li>
    }
}
