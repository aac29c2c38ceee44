//! Report an incident: category, words, place (GPS, typed, or a tap on a map of the
//! worker's cells), severity. The cell is resolved on the device from the synced grid; the
//! report goes to the queue first.

use chrono::Utc;
use gridwork_shared::geometry::Location;
use gridwork_shared::incident::{Category, NewIncident, Severity};
use gridwork_shared::sync::Operation;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::page::Page;
use crate::components::photo_field::PhotoField;
use crate::components::place_picker::PlacePicker;
use crate::hooks::{use_field_form, use_fixing, use_loaded, use_local};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, severity as severity_text, t};
use crate::logic::PhotoOwner;
use crate::services::queue;

/// GPS accuracy (metres) beyond which the map opens for a manual pick.
const GPS_POOR_M: f64 = 50.0;

const SEVERITIES: [Severity; 4] = [
    Severity::Low,
    Severity::Medium,
    Severity::High,
    Severity::Urgent,
];

#[component]
pub fn Report() -> Html {
    let categories = use_local(|| async {
        let mut categories = queue::records::<Category>().await;
        categories.sort_by(|a, b| a.code.cmp(&b.code));
        categories
    });
    let category = use_state(String::new);
    let title = use_state(String::new);
    let description = use_state(String::new);
    // No severity until the worker chooses one: the select shows what is sent.
    let severity = use_state(String::new);
    let lon = use_state(String::new);
    let lat = use_state(String::new);
    let form = use_field_form();
    // The place picked on a map of the worker's cells, for when GPS is poor or missing.
    let picking = use_state(|| false);
    let accuracy = use_state(|| None::<f64>);
    // A refused report opened to be fixed (`/report?fix=KEY`): its fields, its id kept.
    let (fixing, draft) = use_fixing(|op| match op {
        Operation::IncidentCreate(n) => Some(n),
        _ => None,
    });
    {
        let (category, title, description, severity, lon, lat) = (
            category.clone(),
            title.clone(),
            description.clone(),
            severity.clone(),
            lon.clone(),
            lat.clone(),
        );
        use_effect_with(draft.clone(), move |draft| {
            if let Some(n) = draft {
                category.set(n.category.clone());
                title.set(n.title.clone());
                description.set(n.description.clone());
                severity.set(n.severity.as_str().to_string());
                lon.set(n.location.lon.to_string());
                lat.set(n.location.lat.to_string());
            }
        });
    }
    // Resolve the cell on the device whenever the place changes.
    let cell = use_loaded(((*lon).clone(), (*lat).clone()), |(lon, lat)| async move {
        match (lon.parse::<f64>(), lat.parse::<f64>()) {
            (Ok(x), Ok(y)) => queue::grid()
                .await
                .locate(x, y)
                .map(|c| format!("{} {}", c.code, c.name)),
            _ => None,
        }
    });
    let gps = {
        let (lon, lat, form) = (lon.clone(), lat.clone(), form.clone());
        let (picking, accuracy) = (picking.clone(), accuracy.clone());
        Callback::from(move |_| {
            let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
                form.fail(t(ScreenText::GpsUnavailable).into());
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
            let (form2, picking3) = (form.clone(), picking.clone());
            let fail = Closure::once_into_js(move |e: web_sys::PositionError| {
                form2.fail(t(gps_failure(e.code())).to_string());
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
    let picked = {
        let (lon, lat) = (lon.clone(), lat.clone());
        Callback::from(move |(x, y): (String, String)| {
            lon.set(x);
            lat.set(y);
        })
    };
    let failed = {
        let form = form.clone();
        Callback::from(move |e: String| form.fail(e))
    };
    let submit = {
        let (category, title, description, severity, lon, lat, form) = (
            category.clone(),
            title.clone(),
            description.clone(),
            severity.clone(),
            lon.clone(),
            lat.clone(),
            form.clone(),
        );
        let draft = draft.clone();
        let fixing = fixing.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(severity) = Severity::parse(&severity) else {
                form.fail(t(ScreenText::ChooseSeverity).to_string());
                return;
            };
            let new = NewIncident {
                // A fixed report keeps its id (and the photos taken for it).
                id: draft.as_ref().map_or_else(uuid::Uuid::new_v4, |d| d.id),
                category: (*category).clone(),
                title: (*title).clone(),
                description: (*description).clone(),
                location: Location {
                    lon: lon.parse().unwrap_or(f64::NAN),
                    lat: lat.parse().unwrap_or(f64::NAN),
                },
                occurred_at: draft.as_ref().map_or_else(Utc::now, |d| d.occurred_at),
                severity,
            };
            // The same validation as the server, before anything is queued.
            if let Err(errs) = new.validate(Utc::now()) {
                form.fail(field_errors(&errs));
                return;
            }
            let owner = (PhotoOwner::Incident, new.id.to_string());
            let operation = Operation::IncidentCreate(new);
            form.send_in_place_of(operation, Some(owner), Route::Home, fixing.clone());
        })
    };
    let cell = (*cell).clone().flatten();
    html! {
        <Page>
            <form class="card" onsubmit={submit}>
                <h1>{ t(Text::Report) }</h1>
                { if fixing.is_some() { html!{ <p class="notice" data-testid="fixing">{ t(ScreenText::FixingReport) }</p> } } else { html!{} } }
                <label>{ t(ScreenText::Category) }
                    <Choice name="category" empty={t(ScreenText::ChooseCategory)} value={(*category).clone()} onchange={keep(&category)}
                        options={categories.iter().flatten().map(|c| {
                            let name = if crate::i18n::english() { &c.name_en } else { &c.name };
                            (AttrValue::from(c.code.clone()), AttrValue::from(format!("{} {name}", c.code)))
                        }).collect::<Vec<_>>()} />
                </label>
                <label>{ t(ScreenText::Title) }<input name="title" value={(*title).clone()} oninput={on_input(&title)} /></label>
                <label>{ t(ScreenText::Description) }<textarea name="description" value={(*description).clone()} oninput={on_input(&description)} /></label>
                <label>{ t(ScreenText::Severity) }
                    <Choice name="severity" empty={t(ScreenText::Choose)} value={(*severity).clone()} onchange={keep(&severity)}
                        options={SEVERITIES.iter().map(|s| (AttrValue::from(s.as_str()), AttrValue::from(t(severity_text(*s))))).collect::<Vec<_>>()} />
                </label>
                <fieldset>
                    <legend>{ t(ScreenText::Location) }</legend>
                    <button type="button" class="big" onclick={gps}>{ t(ScreenText::UseGps) }</button>
                    <button type="button" class="big" data-testid="pick-on-map"
                        onclick={let p = picking.clone(); move |_| p.set(!*p)}>{ t(ScreenText::PickOnMap) }</button>
                    { for accuracy.iter().filter(|a| **a > GPS_POOR_M).map(|a| html!{
                        <p class="notice">{ format!("{} (±{} {})", t(ScreenText::GpsPoor), a.round(), t(ScreenText::Metres)) }</p>
                    }) }
                    { if *picking { html!{
                        <PlacePicker lon={(*lon).clone()} lat={(*lat).clone()} onpick={picked} onerror={failed} />
                    } } else { html!{} } }
                    <div class="pair">
                        <label>{ t(ScreenText::Longitude) }
                            <input name="lon" inputmode="decimal" placeholder="106.27" value={(*lon).clone()} oninput={on_input(&lon)} /></label>
                        <label>{ t(ScreenText::Latitude) }
                            <input name="lat" inputmode="decimal" placeholder="29.97" value={(*lat).clone()} oninput={on_input(&lat)} /></label>
                    </div>
                    <p class="cell" data-testid="cell">{ match &cell {
                        Some(c) => format!("{}: {c}", t(ScreenText::Cell)),
                        None if lon.is_empty() => String::new(),
                        None => t(ScreenText::OutsideGrid).to_string(),
                    } }</p>
                </fieldset>
                <PhotoField photo={form.photo.clone()} error={form.error.clone()} />
                { alert(&form.error) }
                // A form opened to fix a refused record sends nothing until that record is in it.
                <button class="primary big" type="submit" disabled={fixing.is_some() && draft.is_none()}>{ t(ScreenText::Submit) }</button>
            </form>
        </Page>
    }
}

/// Why the phone gave no position (the Geolocation API's error codes), as the form says it.
fn gps_failure(code: u16) -> ScreenText {
    match code {
        1 => ScreenText::GpsDenied,
        3 => ScreenText::GpsTimeout,
        _ => ScreenText::GpsUnavailable,
    }
}
