//! Record a visit to a person (走访): outcome, note, place, and a new risk level if any.
//! The visit is queued first and pushed when the server answers.

use crate::logic::PhotoOwner;
use chrono::Utc;
use gridwork_shared::geometry::Location;
use gridwork_shared::person::{NewVisit, Outcome, RiskLevel};
use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{input_value, select_value};
use crate::app::{Route, SessionCtx};
use crate::i18n::{english, t};
use crate::pages::header::Header;
use crate::services::queue;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

fn outcome_label(o: Outcome) -> &'static str {
    let (zh, en) = match o {
        Outcome::Met => ("见面", "met"),
        Outcome::NotHome => ("不在家", "not at home"),
        Outcome::Refused => ("拒绝", "refused"),
        Outcome::Moved => ("已搬离", "moved"),
        Outcome::Hospitalized => ("住院", "in hospital"),
        Outcome::Detained => ("被羁押", "detained"),
        Outcome::Deceased => ("已去世", "deceased"),
    };
    if english() { en } else { zh }
}

#[component]
pub fn VisitPage(props: &Props) -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let navigator = use_navigator().expect("router");
    let person = use_state(|| None::<Value>);
    let outcome = use_state(|| "met".to_string());
    let risk = use_state(String::new);
    let note = use_state(String::new);
    let error = use_state(|| None::<String>);
    let photo = use_state(|| None::<std::rc::Rc<Vec<u8>>>);
    {
        let (person, id) = (person.clone(), props.id.clone());
        use_effect_with(props.id.clone(), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                person.set(
                    queue::records("person")
                        .await
                        .into_iter()
                        .find(|p| p["id"] == id.as_str()),
                );
            });
        });
    }
    let Some(p) = (*person).clone() else {
        return html! { <><Header /><main class="page"><p>{ "…" }</p></main></> };
    };
    let submit = {
        let (outcome, risk, note, error, p) = (
            outcome.clone(),
            risk.clone(),
            note.clone(),
            error.clone(),
            p.clone(),
        );
        let (session, navigator, photo) = (session.clone(), navigator.clone(), photo.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The registered place stands in when the phone has no fix.
            let at = Location {
                lon: p["location"]["lon"].as_f64().unwrap_or(f64::NAN),
                lat: p["location"]["lat"].as_f64().unwrap_or(f64::NAN),
            };
            let visit = NewVisit {
                id: uuid::Uuid::new_v4(),
                visited_at: Utc::now(),
                location: at,
                outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Met),
                note: (*note).clone(),
                risk_level: RiskLevel::parse(&risk),
            };
            if let Err(errs) = visit.validate(Utc::now()) {
                error.set(Some(super::field_errors(&errs)));
                return;
            }
            let mut body = serde_json::to_value(&visit).expect("serializes");
            body["person_id"] = p["id"].clone();
            super::queue_and_go(
                "visit.create",
                body,
                (*photo)
                    .clone()
                    .map(|j| (PhotoOwner::Visit, visit.id.to_string(), j)),
                session.clone(),
                navigator.clone(),
                Route::Home,
                error.clone(),
            );
        })
    };
    html! {
        <>
        <Header />
        <main class="page">
            <form class="card" onsubmit={submit}>
                <h1>{ format!("{} · {}", t("visit"), p["name"].as_str().unwrap_or_default()) }</h1>
                <p>{ p["address"].as_str().unwrap_or_default() }<br/><small>{ p["id_number_masked"].as_str().unwrap_or_default() }</small></p>
                <label>{ t("outcome") }
                    <select name="outcome" onchange={let o = outcome.clone(); move |e: Event| o.set(select_value(&e))}>
                        { for Outcome::ALL.iter().map(|o| html!{ <option value={o.as_str()} selected={*outcome == o.as_str()}>{ outcome_label(*o) }</option> }) }
                    </select>
                </label>
                <label>{ t("risk") }
                    <select name="risk" onchange={let r = risk.clone(); move |e: Event| r.set(select_value(&e))}>
                        <option value="" selected={risk.is_empty()}>{ "—" }</option>
                        { for RiskLevel::ALL.iter().map(|r| html!{ <option value={r.as_str()}>{ t(r.as_str()) }</option> }) }
                    </select>
                </label>
                <label>{ t("note") }<textarea name="note" value={(*note).clone()} oninput={let n = note.clone(); move |e: InputEvent| n.set(input_value(&e))} /></label>
                <super::PhotoField photo={photo.clone()} error={error.clone()} />
                { for error.iter().map(|e| html!{ <p class="error" role="alert">{ e }</p> }) }
                <button class="primary big" type="submit">{ t("submit") }</button>
                <Link<Route> to={Route::Home}>{ t("back") }</Link<Route>>
            </form>
        </main>
        </>
    }
}
