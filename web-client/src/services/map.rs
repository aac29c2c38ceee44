//! The maps' script side: Leaflet and `static/gridmap.js`, loaded only when a map opens (the
//! grid map or the report's place picker), and the calls into the map script. The base layer
//! is optional.

use serde::Serialize;
use wasm_bindgen::JsCast;

use crate::i18n::screens::ScreenText;
use crate::i18n::t;

/// The hashed file names of the map's assets, written into index.html by the build.
fn assets() -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=gridwork-map]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .map(|c| c.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Loads Leaflet and the map script (once), from the network or the service worker's cache,
/// and gives the script the words of the maps' controls in the current language.
pub async fn leaflet() -> Result<(), String> {
    for url in assets() {
        load(&url).await?;
    }
    call_map_script("gridworkWords", &[control_words().into()])
}

/// Calls a function the map script defines on `window` (`gridworkMap`, `gridworkPick`);
/// what it throws comes back as the error's text.
pub fn call_map_script(name: &str, args: &[wasm_bindgen::JsValue]) -> Result<(), String> {
    let f = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &name.into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("the map script has no {name}"))?;
    f.apply(
        &wasm_bindgen::JsValue::NULL,
        &args.iter().collect::<js_sys::Array>(),
    )
    .map(|_| ())
    .map_err(|e| {
        js_sys::Error::from(e)
            .to_string()
            .as_string()
            .unwrap_or_default()
    })
}

/// Listens for `event`, which the map script dispatches on the element `id` after writing
/// what happened into the element's attributes; `read` gets the element. Returns the
/// effect's cleanup, which stops listening.
pub fn on_map_event(
    id: &str,
    event: &'static str,
    read: impl Fn(&web_sys::Element) + 'static,
) -> impl FnOnce() {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    let handler = element.as_ref().map(|el| {
        let target = el.clone();
        let handler = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || read(&target));
        let _ = el.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        handler
    });
    move || {
        if let (Some(el), Some(handler)) = (&element, &handler) {
            let _ = el.remove_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        }
    }
}

/// The base layer's tile URL template, when one is configured (localStorage
/// `gridwork.tiles`); without one the map draws the cells alone.
pub fn tiles() -> String {
    crate::services::store::get("gridwork.tiles").unwrap_or_default()
}

/// Adds a script or stylesheet once and waits for it to load.
async fn load(url: &str) -> Result<(), String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    if doc
        .query_selector(&format!("[data-src='{url}']"))
        .ok()
        .flatten()
        .is_some()
    {
        return Ok(());
    }
    let el = if url.ends_with(".css") {
        let l = doc.create_element("link").map_err(|_| "link")?;
        l.set_attribute("rel", "stylesheet").ok();
        l.set_attribute("href", url).ok();
        l
    } else {
        let s = doc.create_element("script").map_err(|_| "script")?;
        s.set_attribute("src", url).ok();
        s
    };
    el.set_attribute("data-src", url).ok();
    let target = el.clone();
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        target
            .add_event_listener_with_callback("load", &resolve)
            .ok();
        target
            .add_event_listener_with_callback("error", &reject)
            .ok();
    });
    doc.head()
        .ok_or("no head")?
        .append_child(&el)
        .map_err(|_| "append")?;
    wasm_bindgen_futures::JsFuture::from(loaded)
        .await
        .map(|_| ())
        .map_err(|_| format!("could not load {url}"))
}

/// What the map script draws (cells as GeoJSON, the tooltips' words) as the JSON text it
/// parses.
pub fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The words of the maps' own controls, as `gridworkWords` takes them.
#[derive(Serialize)]
struct ControlWords {
    zoom_in: &'static str,
    zoom_out: &'static str,
}

fn control_words() -> String {
    json(&ControlWords {
        zoom_in: t(ScreenText::MapZoomIn),
        zoom_out: t(ScreenText::MapZoomOut),
    })
}

/// The words of the grid map's tooltips, as `gridworkMap` takes them (it writes them as text,
/// never as HTML).
#[derive(Serialize)]
struct TooltipLabels {
    incidents: &'static str,
    overdue: &'static str,
    visits_overdue: &'static str,
    hazards: &'static str,
    hazards_overdue: &'static str,
}

/// The words of the grid map's tooltips in the current language, as JSON text.
pub fn tooltip_labels() -> String {
    json(&TooltipLabels {
        incidents: t(ScreenText::MapIncidents),
        overdue: t(ScreenText::MapOverdue),
        visits_overdue: t(ScreenText::MapVisitsOverdue),
        hazards: t(ScreenText::MapHazards),
        hazards_overdue: t(ScreenText::MapHazardsOverdue),
    })
}
