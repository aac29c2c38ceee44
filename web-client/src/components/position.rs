//! Places in forms. [`Position`]: where the worker is now, for a visit or an inspection — a
//! GPS fix with its accuracy, or, when the fix is poor, refused or missing, a tap on a map
//! of the worker's cells; the form sends nothing until there is one. [`PlaceField`]: a place
//! on record (where a person lives), tapped on the map or typed.

use gridwork_shared::geometry::Location;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::form::input_value;
use super::place_picker::PlacePicker;
use crate::hooks::{use_loaded, use_session};
use crate::i18n::screens::ScreenText;
use crate::i18n::t;
use crate::services::queue;

/// How a position was taken, as a visit or an inspection says it: "GPS fix · accuracy ±8 m",
/// "tapped on the map", or nothing when the phone did not say.
pub fn how_taken(accuracy_m: Option<f64>, picked_on_map: bool) -> Option<String> {
    match (picked_on_map, accuracy_m) {
        (true, _) => Some(t(ScreenText::TappedOnMap).to_string()),
        (false, Some(m)) => Some(format!(
            "{} · {} ±{} {}",
            t(ScreenText::GpsFix),
            t(ScreenText::Accuracy),
            m.round(),
            t(ScreenText::Metres)
        )),
        (false, None) => None,
    }
}

/// GPS accuracy (metres) beyond which a fix is not taken: the worker taps the place instead.
pub const GPS_POOR_M: f64 = 50.0;

/// How long to wait for a fix before saying so (ms).
const GPS_TIMEOUT_MS: u32 = 20_000;

/// Where the worker is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub location: Location,
    /// The GPS fix's accuracy in metres; `None` for a place tapped on the map.
    pub accuracy_m: Option<f64>,
}

/// Why there is no usable fix (the map is open meanwhile).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Trouble {
    /// The browser has no geolocation.
    Unsupported,
    /// The user (or the browser's settings) refused it.
    Denied,
    NoFix,
    Timeout,
    /// A fix this many metres wide.
    Poor(f64),
    /// The map could not be drawn.
    NoMap,
}

impl Trouble {
    /// The geolocation API's error code (1 denied, 2 unavailable, 3 timeout).
    fn of_code(code: u16) -> Trouble {
        match code {
            1 => Trouble::Denied,
            3 => Trouble::Timeout,
            _ => Trouble::NoFix,
        }
    }

    fn words(self) -> String {
        match self {
            Trouble::Unsupported => t(ScreenText::GpsUnavailable).to_string(),
            Trouble::Denied => t(ScreenText::GpsDenied).to_string(),
            Trouble::NoFix => t(ScreenText::GpsNoFix).to_string(),
            Trouble::Timeout => t(ScreenText::GpsTimeout).to_string(),
            Trouble::Poor(m) => format!(
                "{} ({} ±{} {})",
                t(ScreenText::GpsPoor),
                t(ScreenText::Accuracy),
                m.round(),
                t(ScreenText::Metres)
            ),
            Trouble::NoMap => t(ScreenText::MapUnavailable).to_string(),
        }
    }
}

/// Asks the browser for one fix: `ok(lon, lat, accuracy)` or `failed(trouble)`.
fn locate(ok: impl FnOnce(f64, f64, f64) + 'static, failed: impl FnOnce(Trouble) + 'static) {
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        failed(Trouble::Unsupported);
        return;
    };
    let ok = Closure::once_into_js(move |p: web_sys::Position| {
        let c = p.coords();
        ok(c.longitude(), c.latitude(), c.accuracy());
    });
    let failed = Closure::once_into_js(move |e: web_sys::PositionError| {
        failed(Trouble::of_code(e.code()));
    });
    let opts = web_sys::PositionOptions::new();
    opts.set_enable_high_accuracy(true);
    opts.set_timeout(GPS_TIMEOUT_MS);
    opts.set_maximum_age(0);
    let _ = geo.get_current_position_with_error_callback_and_options(
        ok.unchecked_ref(),
        Some(failed.unchecked_ref()),
        &opts,
    );
}

/// `106.271234, 29.971234`.
/// A position already taken (a refused visit or inspection being fixed keeps where it was
/// made): how it was taken and where.
pub fn recorded_position(location: &Location, accuracy_m: Option<f64>, picked: bool) -> Html {
    html! {
        <p data-testid="position-status">
            <strong>{ how_taken(accuracy_m, picked).unwrap_or_default() }</strong><br/>
            <small>{ coordinates(location) }</small>
        </p>
    }
}

fn coordinates(l: &Location) -> String {
    format!("{:.6}, {:.6}", l.lon, l.lat)
}

#[derive(Properties, PartialEq)]
pub struct PositionProps {
    /// Each new position: a fix good enough, or a tap on the map.
    pub onfix: Callback<Fix>,
}

/// Where the worker is now: asks for a GPS fix when it opens (and again on request), shows
/// its accuracy, and opens the map for a tap when the fix is poor, refused or missing.
#[component]
pub fn Position(props: &PositionProps) -> Html {
    let fix = use_state(|| None::<Fix>);
    let trouble = use_state(|| None::<Trouble>);
    let locating = use_state(|| true);
    let picking = use_state(|| false);
    // Where the last (poor) fix was, to centre the map on.
    let near = use_state(|| None::<Location>);
    let attempt = use_state(|| 0u32);
    {
        let (fix, trouble, locating, picking, near) = (
            fix.clone(),
            trouble.clone(),
            locating.clone(),
            picking.clone(),
            near.clone(),
        );
        let onfix = props.onfix.clone();
        use_effect_with(*attempt, move |_| {
            locating.set(true);
            let (locating2, trouble2, picking2) =
                (locating.clone(), trouble.clone(), picking.clone());
            locate(
                move |lon, lat, accuracy| {
                    locating.set(false);
                    let location = Location { lon, lat };
                    if accuracy > GPS_POOR_M {
                        // A fix this wide could put the worker at the neighbour's door: the
                        // map opens on it for a tap on the real place.
                        near.set(Some(location));
                        trouble.set(Some(Trouble::Poor(accuracy)));
                        picking.set(true);
                        return;
                    }
                    let got = Fix {
                        location,
                        accuracy_m: Some(accuracy),
                    };
                    trouble.set(None);
                    picking.set(false);
                    fix.set(Some(got));
                    onfix.emit(got);
                },
                move |why| {
                    locating2.set(false);
                    trouble2.set(Some(why));
                    picking2.set(true);
                },
            );
        });
    }
    let again = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    let tapped = {
        let (fix, trouble, onfix) = (fix.clone(), trouble.clone(), props.onfix.clone());
        Callback::from(move |(lon, lat): (String, String)| {
            if let (Ok(lon), Ok(lat)) = (lon.parse(), lat.parse()) {
                let got = Fix {
                    location: Location { lon, lat },
                    accuracy_m: None,
                };
                trouble.set(None);
                fix.set(Some(got));
                onfix.emit(got);
            }
        })
    };
    let no_map = {
        let trouble = trouble.clone();
        Callback::from(move |_: String| trouble.set(Some(Trouble::NoMap)))
    };
    let status = match (*fix, *locating) {
        (_, true) => html! { <p data-testid="position-status">{ t(ScreenText::Locating) }</p> },
        (Some(f), false) => {
            let how = how_taken(f.accuracy_m, f.accuracy_m.is_none()).unwrap_or_default();
            html! {
                <p data-testid="position-status"><strong>{ how }</strong><br/>
                    <small>{ coordinates(&f.location) }</small></p>
            }
        }
        (None, false) => html! {},
    };
    let (centre_lon, centre_lat) = match (*fix, *near) {
        (Some(f), _) => (f.location.lon.to_string(), f.location.lat.to_string()),
        (None, Some(l)) => (l.lon.to_string(), l.lat.to_string()),
        (None, None) => (String::new(), String::new()),
    };
    html! {
        <fieldset class="position" data-testid="position"
            data-fix={fix.map(|f| format!("{},{}", f.location.lon, f.location.lat))}>
            <legend>{ t(ScreenText::Here) }</legend>
            { status }
            { for trouble.iter().map(|tr| html!{ <p class="notice" role="status" data-testid="position-trouble">{ tr.words() }</p> }) }
            <button type="button" class="big" data-testid="locate" onclick={again} disabled={*locating}>{ t(ScreenText::LocateAgain) }</button>
            <button type="button" class="big" data-testid="pick-on-map"
                onclick={let p = picking.clone(); move |_| p.set(!*p)}>{ t(ScreenText::PickOnMap) }</button>
            { if *picking { html!{
                <PlacePicker lon={centre_lon} lat={centre_lat} onpick={tapped} onerror={no_map} />
            } } else { html!{} } }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct PlaceFieldProps {
    /// The place so far, as typed or tapped (empty: none yet).
    pub lon: AttrValue,
    pub lat: AttrValue,
    /// A new (longitude, latitude), as typed or tapped.
    pub onchange: Callback<(String, String)>,
    pub legend: AttrValue,
}

/// A place on record: tapped on a map of the caller's cells or typed as coordinates, with
/// the cell the phone finds for it.
#[component]
pub fn PlaceField(props: &PlaceFieldProps) -> Html {
    let picking = use_state(|| false);
    let map_error = use_state(|| false);
    // Looked up again after a pull: the phone may have had no cells yet.
    let generation = use_session().generation;
    let cell = use_loaded(
        (props.lon.to_string(), props.lat.to_string(), generation),
        |(lon, lat, _)| async move {
            match (lon.trim().parse::<f64>(), lat.trim().parse::<f64>()) {
                (Ok(x), Ok(y)) => Some(
                    queue::grid()
                        .await
                        .locate(x, y)
                        .map(|c| format!("{} {}", c.code, c.name)),
                ),
                _ => None,
            }
        },
    );
    let typed_lon = {
        let (onchange, lat) = (props.onchange.clone(), props.lat.to_string());
        Callback::from(move |e: InputEvent| onchange.emit((input_value(&e), lat.clone())))
    };
    let typed_lat = {
        let (onchange, lon) = (props.onchange.clone(), props.lon.to_string());
        Callback::from(move |e: InputEvent| onchange.emit((lon.clone(), input_value(&e))))
    };
    let failed = {
        let map_error = map_error.clone();
        Callback::from(move |_: String| map_error.set(true))
    };
    html! {
        <fieldset class="place" data-testid="place">
            <legend>{ props.legend.clone() }</legend>
            <button type="button" class="big" data-testid="pick-on-map"
                onclick={let p = picking.clone(); move |_| p.set(!*p)}>{ t(ScreenText::PickOnMap) }</button>
            { if *map_error { html!{ <p class="notice">{ t(ScreenText::MapUnavailable) }</p> } } else { html!{} } }
            { if *picking { html!{
                <PlacePicker lon={props.lon.clone()} lat={props.lat.clone()} onpick={props.onchange.clone()} onerror={failed} />
            } } else { html!{} } }
            <label>{ t(ScreenText::Longitude) }
                <input name="lon" inputmode="decimal" placeholder="106.27" value={props.lon.clone()} oninput={typed_lon} />
            </label>
            <label>{ t(ScreenText::Latitude) }
                <input name="lat" inputmode="decimal" placeholder="29.97" value={props.lat.clone()} oninput={typed_lat} />
            </label>
            <p class="cell" data-testid="cell">{ match &*cell {
                Some(Some(Some(c))) => format!("{}: {c}", t(ScreenText::Cell)),
                Some(Some(None)) => t(ScreenText::OutsideGrid).to_string(),
                _ => String::new(),
            } }</p>
        </fieldset>
    }
}
