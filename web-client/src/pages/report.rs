//! Report an incident: category, words, place (GPS or typed), severity. The cell is
//! resolved on the device from the synced grid; the report goes to the queue first.

use chrono::Utc;
use gridwork_shared::geometry::Location;
use gridwork_shared::incident::{NewIncident, Severity};
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{input_value, select_value};
use crate::app::{Route, SessionCtx};
use crate::i18n::t;
use crate::logic::PhotoOwner;
use crate::pages::header::Header;
use crate::services::queue;

/// GPS accuracy (metres) beyond which the map opens for a manual pick.
const GPS_POOR_M: f64 = 50.0;

#[component]
pub fn Report() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let navigator = use_navigator().expect("router");
    let categories = use_state(Vec::<Value>::new);
    let category = use_state(String::new);
    let title = use_state(String::new);
    let description = use_state(String::new);
    let severity = use_state(|| "medium".to_string());
    let lon = use_state(String::new);
    let lat = use_state(String::new);
    let cell = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let photo = use_state(|| None::<std::rc::Rc<Vec<u8>>>);
    // The place picked on a map of the worker's cells, for when GPS is poor or missing.
    let picking = use_state(|| false);
    let accuracy = use_state(|| None::<f64>);
    {
        let (categories, category) = (categories.clone(), category.clone());
        use_effect_with(session.generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut list = queue::records("category").await;
                list.sort_by(|a, b| a["code"].as_str().cmp(&b["code"].as_str()));
                if category.is_empty()
                    && let Some(first) = list.first()
                {
                    category.set(first["code"].as_str().unwrap_or_default().to_string());
                }
                categories.set(list);
            });
        });
    }
    // Resolve the cell on the device whenever the place changes.
    {
        let cell = cell.clone();
        use_effect_with(((*lon).clone(), (*lat).clone()), move |(lon, lat)| {
            let (lon, lat) = (lon.parse::<f64>().ok(), lat.parse::<f64>().ok());
            wasm_bindgen_futures::spawn_local(async move {
                let found = match (lon, lat) {
                    (Some(x), Some(y)) => queue::grid()
                        .await
                        .locate(x, y)
                        .map(|c| format!("{} {}", c.code, c.name)),
                    _ => None,
                };
                cell.set(found);
            });
        });
    }
    // The map picker: drawn when opened, from the cells on the phone; a tap sets the place.
    {
        let (lon, lat, error) = (lon.clone(), lat.clone(), error.clone());
        let place = ((*lon).clone(), (*lat).clone());
        use_effect_with(*picking, move |open| {
            let cleanup = super::map::on_map_event("pick-map", "gridwork-pick", move |map| {
                let read = |name: &str| map.get_attribute(name).unwrap_or_default();
                lon.set(read("data-lon"));
                lat.set(read("data-lat"));
            });
            if *open {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = super::map::leaflet().await {
                        error.set(Some(e));
                        return;
                    }
                    let cells = queue::records("cell").await;
                    let fc = serde_json::json!({"type": "FeatureCollection", "features": cells});
                    let number = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
                    let drawn = super::map::call_map_script(
                        "gridworkPick",
                        &[
                            "pick-map".into(),
                            fc.to_string().into(),
                            super::map::tiles().into(),
                            number(&place.0).into(),
                            number(&place.1).into(),
                        ],
                    );
                    if let Err(e) = drawn {
                        error.set(Some(e));
                    }
                });
            }
            cleanup
        });
    }
    let gps = {
        let (lon, lat, error) = (lon.clone(), lat.clone(), error.clone());
        let (picking, accuracy) = (picking.clone(), accuracy.clone());
        Callback::from(move |_| {
            let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
                error.set(Some("GPS unavailable".into()));
                picking.set(true);
                return;
            };
            let (lon, lat) = (lon.clone(), lat.clone());
            let (picking2, accuracy) = (picking.clone(), accuracy.clone());
            let ok = Closure::once_into_js(move |p: web_sys::Position| {
                let c = p.coords();
                lon.set(format!("{:.6}", c.longitude()));
                lat.set(format!("{:.6}", c.latitude()));
                accuracy.set(Some(c.accuracy()));
                // A fix worse than this could put the report in the next cell: the map opens
                // on it so the worker can tap the real place.
                if c.accuracy() > GPS_POOR_M {
                    picking2.set(true);
                }
            });
            let (error2, picking3) = (error.clone(), picking.clone());
            let fail = Closure::once_into_js(move |e: web_sys::PositionError| {
                error2.set(Some(e.message()));
                picking3.set(true);
            });
            let opts = web_sys::PositionOptions::new();
            opts.set_enable_high_accuracy(true);
            opts.set_timeout(15_000);
            let _ = geo.get_current_position_with_error_callback_and_options(
                ok.unchecked_ref(),
                Some(fail.unchecked_ref()),
                &opts,
            );
        })
    };
    let submit = {
        let photo = photo.clone();
        let (category, title, description, severity, lon, lat, error) = (
            category.clone(),
            title.clone(),
            description.clone(),
            severity.clone(),
            lon.clone(),
            lat.clone(),
            error.clone(),
        );
        let (session, navigator) = (session.clone(), navigator.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let new = NewIncident {
                id: uuid::Uuid::new_v4(),
                category: (*category).clone(),
                title: (*title).clone(),
                description: (*description).clone(),
                location: Location {
                    lon: lon.parse().unwrap_or(f64::NAN),
                    lat: lat.parse().unwrap_or(f64::NAN),
                },
                occurred_at: Utc::now(),
                severity: Severity::parse(&severity).unwrap_or(Severity::Medium),
            };
            // The same validation as the server, before anything is queued.
            if let Err(errs) = new.validate(Utc::now()) {
                error.set(Some(super::field_errors(&errs)));
                return;
            }
            let id = new.id.to_string();
            let body = serde_json::to_value(&new).expect("serializes");
            super::queue_and_go(
                "incident.create",
                body,
                (*photo).clone().map(|j| (PhotoOwner::Incident, id, j)),
                session.clone(),
                navigator.clone(),
                Route::Home,
                error.clone(),
            );
        })
    };
    let on = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| s.set(input_value(&e)))
    };
    html! {
        <>
        <Header />
        <main class="page">
            <form class="card" onsubmit={submit}>
                <h1>{ t("report") }</h1>
                <label>{ t("category") }
                    <select name="category" onchange={let c = category.clone(); move |e: Event| c.set(select_value(&e))}>
                        { for categories.iter().map(|c| {
                            let code = c["code"].as_str().unwrap_or_default().to_string();
                            let name = if crate::i18n::english() { c["name_en"].as_str() } else { c["name"].as_str() };
                            html!{ <option value={code.clone()} selected={*category == code}>{ format!("{code} {}", name.unwrap_or_default()) }</option> }
                        }) }
                    </select>
                </label>
                <label>{ t("title") }<input name="title" value={(*title).clone()} oninput={on(&title)} /></label>
                <label>{ t("description") }<textarea name="description" value={(*description).clone()} oninput={on(&description)} /></label>
                <label>{ t("severity") }
                    <select name="severity" onchange={let s = severity.clone(); move |e: Event| s.set(select_value(&e))}>
                        { for ["low", "medium", "high", "urgent"].iter().map(|s| html!{ <option value={*s} selected={*severity == *s}>{ t(s) }</option> }) }
                    </select>
                </label>
                <fieldset>
                    <legend>{ t("location") }</legend>
                    <button type="button" class="big" onclick={gps}>{ t("use_gps") }</button>
                    <button type="button" class="big" data-testid="pick-on-map"
                        onclick={let p = picking.clone(); move |_| p.set(!*p)}>{ t("pick_on_map") }</button>
                    { for accuracy.iter().filter(|a| **a > GPS_POOR_M).map(|a| html!{
                        <p class="notice">{ format!("{} (±{} m)", t("gps_poor"), a.round()) }</p>
                    }) }
                    { if *picking { html!{ <div id="pick-map" class="map pick" data-testid="pick-map"></div> } } else { html!{} } }
                    <input name="lon" inputmode="decimal" placeholder="lon 106.27" value={(*lon).clone()} oninput={on(&lon)} />
                    <input name="lat" inputmode="decimal" placeholder="lat 29.97" value={(*lat).clone()} oninput={on(&lat)} />
                    <p class="cell" data-testid="cell">{ match &*cell {
                        Some(c) => format!("{}: {c}", t("cell")),
                        None if lon.is_empty() => String::new(),
                        None => t("outside_grid").to_string(),
                    } }</p>
                </fieldset>
                <super::PhotoField photo={photo.clone()} error={error.clone()} />
                { for error.iter().map(|e| html!{ <p class="error" role="alert">{ e }</p> }) }
                <button class="primary big" type="submit">{ t("submit") }</button>
            </form>
        </main>
        </>
    }
}
