//! The supervisor's incident queue: filters by status, level, overdue and offline conflict;
//! from the server when online, from the device otherwise (the same rule either way).

use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{Superseded, select_value};
use crate::app::{Route, SessionCtx};
use crate::i18n::{t, word};
use crate::logic::QueueFilter;
use crate::pages::header::Header;
use crate::services::{api, queue};

/// One incident as a row of a list.
pub fn incident_item(i: &Value) -> Html {
    let id = i["id"].as_str().unwrap_or_default().to_string();
    html! {
        <li class={classes!("item", (i["overdue"] == true).then_some("late"))}>
            <Link<Route> to={Route::Incident { id }}>
                <strong>{ i["title"].as_str().unwrap_or_default() }</strong>
                <span class="chip">{ word(i["status"].as_str().unwrap_or_default()) }</span>
                <span class="chip">{ word(i["level"].as_str().unwrap_or_default()) }</span>
                { if i["overdue"] == true { html!{ <span class="chip late">{ t("overdue") }</span> } } else { html!{} } }
                { if i["conflict"] == true { html!{ <span class="chip late">{ t("conflict") }</span> } } else { html!{} } }
                <small>{ i["cell_code"].as_str().unwrap_or_default() }</small>
            </Link<Route>>
        </li>
    }
}

#[component]
pub fn QueuePage() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let filter = use_state(|| QueueFilter {
        status: "open".into(),
        ..QueueFilter::default()
    });
    let items = use_state(|| None::<Vec<Value>>);
    let from_device = use_state(|| false);
    {
        let (items, from_device) = (items.clone(), from_device.clone());
        use_effect_with(((*filter).clone(), session.generation), move |(f, _)| {
            let f = f.clone();
            let (superseded, cleanup) = Superseded::new();
            wasm_bindgen_futures::spawn_local(async move {
                let online = api::get::<Value>(&format!("/api/v1/incidents?{}", f.query())).await;
                let (mut list, local) = match online {
                    Ok(page) => (page["items"].as_array().cloned().unwrap_or_default(), false),
                    Err(_) => (queue::records("incident").await, true),
                };
                if superseded.get() {
                    return;
                }
                list.retain(|i| f.matches(i));
                list.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
                from_device.set(local);
                items.set(Some(list));
            });
            cleanup
        });
    }
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
    let statuses = [
        "reported",
        "accepted",
        "dispatched",
        "in_progress",
        "resolved",
        "rework",
        "closed",
        "rejected",
    ];
    html! {
        <>
        <Header />
        <main class="page">
            <h1>{ t("queue") }</h1>
            <form class="card filters" data-testid="filters">
                <label>{ t("status") }
                    <select name="status" onchange={set(|f, v| f.status = v)}>
                        <option value="open" selected={filter.status == "open"}>{ t("open") }</option>
                        <option value="" selected={filter.status.is_empty()}>{ t("all") }</option>
                        { for statuses.iter().map(|s| html!{ <option value={*s} selected={filter.status == *s}>{ word(s) }</option> }) }
                    </select>
                </label>
                <label>{ t("level") }
                    <select name="level" onchange={set(|f, v| f.level = v)}>
                        <option value="" selected={filter.level.is_empty()}>{ t("all") }</option>
                        { for ["community", "town", "district"].iter().map(|l| html!{ <option value={*l} selected={filter.level == *l}>{ word(l) }</option> }) }
                    </select>
                </label>
                <label class="check"><input type="checkbox" name="overdue" checked={filter.overdue} onchange={toggle(|f| f.overdue = !f.overdue)} />{ t("overdue") }</label>
                <label class="check"><input type="checkbox" name="conflict" checked={filter.conflict} onchange={toggle(|f| f.conflict = !f.conflict)} />{ t("conflict") }</label>
            </form>
            { if *from_device { html!{ <p class="notice">{ t("offline_list") }</p> } } else { html!{} } }
            <ul class="list" data-testid="queue">
                { match &*items {
                    None => html!{ <li class="empty">{ "…" }</li> },
                    Some(list) if list.is_empty() => html!{ <li class="empty">{ t("nothing") }</li> },
                    Some(list) => html!{ <>{ for list.iter().map(incident_item) }</> },
                } }
            </ul>
            <Link<Route> to={Route::Home}>{ t("back") }</Link<Route>>
        </main>
        </>
    }
}
