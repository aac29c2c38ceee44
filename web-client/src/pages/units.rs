//! Safety units (平安细胞) and the inspection form.

use crate::logic::PhotoOwner;
use chrono::{Duration, Utc};
use gridwork_shared::geometry::Location;
use gridwork_shared::safety::{InspectionResult, NewHazard, NewInspection};
use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{input_value, select_value};
use crate::app::{Route, SessionCtx};
use crate::i18n::{english, t};
use crate::pages::header::Header;
use crate::services::queue;

fn status_label(s: &str) -> &'static str {
    let (zh, en) = match s {
        "safe" => ("安全", "safe"),
        "hazard" => ("有隐患", "hazard"),
        "overdue" => ("整改超期", "overdue"),
        _ => ("未检查", "not inspected"),
    };
    if english() { en } else { zh }
}

#[component]
pub fn Units() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let units = use_state(Vec::<Value>::new);
    {
        let units = units.clone();
        use_effect_with(session.generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut list = queue::records("unit").await;
                list.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
                units.set(list);
            });
        });
    }
    html! {
        <>
        <Header />
        <main class="page">
            <h2>{ t("units") }</h2>
            <ul class="list" data-testid="units">
                { for units.iter().map(|u| {
                    let id = u["id"].as_str().unwrap_or_default().to_string();
                    let late = matches!(u["status"].as_str(), Some("overdue") | Some("hazard"));
                    html! {
                        <li class={classes!("item", late.then_some("late"))}>
                            <Link<Route> to={Route::Inspect { id }}>
                                <strong>{ u["name"].as_str().unwrap_or_default() }</strong>
                                <span class="chip">{ status_label(u["status"].as_str().unwrap_or_default()) }</span>
                                <small>{ u["address"].as_str().unwrap_or_default() }</small>
                            </Link<Route>>
                        </li>
                    }
                }) }
            </ul>
            <Link<Route> to={Route::Home}>{ t("back") }</Link<Route>>
        </main>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

#[component]
pub fn Inspect(props: &Props) -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let navigator = use_navigator().expect("router");
    let unit = use_state(|| None::<Value>);
    let result = use_state(|| "safe".to_string());
    let hazard = use_state(String::new);
    let days = use_state(|| "7".to_string());
    let note = use_state(String::new);
    let photo = use_state(|| None::<std::rc::Rc<Vec<u8>>>);
    let error = use_state(|| None::<String>);
    {
        let (unit, id) = (unit.clone(), props.id.clone());
        use_effect_with(props.id.clone(), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                unit.set(
                    queue::records("unit")
                        .await
                        .into_iter()
                        .find(|u| u["id"] == id.as_str()),
                );
            });
        });
    }
    let Some(u) = (*unit).clone() else {
        return html! { <><Header /><main class="page"><p>{ "…" }</p></main></> };
    };
    let submit = {
        let (result, hazard, days, note, error, u) = (
            result.clone(),
            hazard.clone(),
            days.clone(),
            note.clone(),
            error.clone(),
            u.clone(),
        );
        let (session, navigator, photo) = (session.clone(), navigator.clone(), photo.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let now = Utc::now();
            let res = InspectionResult::parse(&result).unwrap_or(InspectionResult::Safe);
            let hazards = match res {
                InspectionResult::Hazard => vec![NewHazard {
                    description: (*hazard).clone(),
                    deadline: now + Duration::days(days.parse().unwrap_or(7)),
                }],
                InspectionResult::Safe => vec![],
            };
            let ins = NewInspection {
                id: uuid::Uuid::new_v4(),
                inspected_at: now,
                location: Location {
                    lon: u["location"]["lon"].as_f64().unwrap_or(f64::NAN),
                    lat: u["location"]["lat"].as_f64().unwrap_or(f64::NAN),
                },
                result: res,
                hazards,
                note: (*note).clone(),
            };
            if let Err(errs) = ins.validate(now) {
                error.set(Some(super::field_errors(&errs)));
                return;
            }
            let mut body = serde_json::to_value(&ins).expect("serializes");
            body["unit_id"] = u["id"].clone();
            super::queue_and_go(
                "inspection.create",
                body,
                (*photo)
                    .clone()
                    .map(|j| (PhotoOwner::Inspection, ins.id.to_string(), j)),
                session.clone(),
                navigator.clone(),
                Route::Units,
                error.clone(),
            );
        })
    };
    html! {
        <>
        <Header />
        <main class="page">
            <form class="card" onsubmit={submit}>
                <h1>{ format!("{} · {}", t("inspect"), u["name"].as_str().unwrap_or_default()) }</h1>
                <p><span class="chip">{ status_label(u["status"].as_str().unwrap_or_default()) }</span></p>
                <label>{ t("result") }
                    <select name="result" onchange={let r = result.clone(); move |e: Event| r.set(select_value(&e))}>
                        <option value="safe" selected={*result == "safe"}>{ status_label("safe") }</option>
                        <option value="hazard" selected={*result == "hazard"}>{ status_label("hazard") }</option>
                    </select>
                </label>
                { if *result == "hazard" { html! {
                    <>
                    <label>{ t("hazard") }<input name="hazard" value={(*hazard).clone()} oninput={let h = hazard.clone(); move |e: InputEvent| h.set(input_value(&e))} /></label>
                    <label>{ t("deadline_days") }<input name="days" inputmode="numeric" value={(*days).clone()} oninput={let d = days.clone(); move |e: InputEvent| d.set(input_value(&e))} /></label>
                    </>
                } } else { html!{} } }
                <label>{ t("note") }<textarea name="note" value={(*note).clone()} oninput={let n = note.clone(); move |e: InputEvent| n.set(input_value(&e))} /></label>
                <super::PhotoField photo={photo.clone()} error={error.clone()} />
                { for error.iter().map(|e| html!{ <p class="error" role="alert">{ e }</p> }) }
                <button class="primary big" type="submit">{ t("submit") }</button>
                <Link<Route> to={Route::Units}>{ t("back") }</Link<Route>>
            </form>
        </main>
        </>
    }
}
