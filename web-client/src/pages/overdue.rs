//! Overdue visits in the supervisor's area: who, where, since when, and who is responsible.
//! From the server's masked list when online; from the device otherwise.

use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{Route, SessionCtx};
use crate::i18n::t;
use crate::logic::overdue_persons;
use crate::pages::header::Header;
use crate::services::{api, queue};

#[component]
pub fn OverdueVisits() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let persons = use_state(|| None::<Vec<Value>>);
    {
        let persons = persons.clone();
        use_effect_with(session.generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let list = match api::get::<Value>("/api/v1/persons?due=overdue&limit=500").await {
                    Ok(page) => page["items"].as_array().cloned().unwrap_or_default(),
                    Err(_) => queue::records("person").await,
                };
                let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                persons.set(Some(overdue_persons(list, &now)));
            });
        });
    }
    html! {
        <>
        <Header />
        <main class="page">
            <h1>{ t("overdue_visits") }</h1>
            <ul class="list" data-testid="overdue-visits">
                { match &*persons {
                    None => html!{ <li class="empty">{ "…" }</li> },
                    Some(list) if list.is_empty() => html!{ <li class="empty">{ t("nothing") }</li> },
                    Some(list) => html!{ <>{ for list.iter().map(|p| html! {
                        <li class="item late">
                            <Link<Route> to={Route::Visit { id: p["id"].as_str().unwrap_or_default().to_string() }}>
                                <strong>{ p["name"].as_str().unwrap_or_default() }</strong>
                                <small>{ p["id_number_masked"].as_str().unwrap_or_default() }</small>
                                <span class="chip late">{ format!("{} {}", t("due"), p["next_visit_due"].as_str().unwrap_or_default().get(..10).unwrap_or_default()) }</span>
                                <small>{ p["cell_code"].as_str().unwrap_or_default() }</small>
                            </Link<Route>>
                        </li>
                    }) }</> },
                } }
            </ul>
            <Link<Route> to={Route::Home}>{ t("back") }</Link<Route>>
        </main>
        </>
    }
}
