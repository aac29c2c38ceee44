//! The supervisor's map: cells coloured by what is late (`/map/cells`). Leaflet and the
//! map script are loaded only when this screen opens; the base layer is optional.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::t;
use crate::pages::header::Header;
use crate::services::api;

/// The hashed file names of the map's assets, written into index.html by the build.
fn assets() -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=gridwork-map]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .map(|c| c.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Loads Leaflet and the map script (once), from the network or the service worker's cache.
pub async fn leaflet() -> Result<(), String> {
    for url in assets() {
        load(&url).await?;
    }
    Ok(())
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

#[component]
pub fn MapPage() -> Html {
    let session = use_context::<crate::app::SessionCtx>().expect("session");
    let admin = session
        .me
        .as_ref()
        .is_some_and(|m| m.role == gridwork_shared::api::Role::Admin);
    let error = use_state(|| None::<String>);
    // The cell last tapped on the map: the map script marks it on the element and says so
    // with a `gridwork-cell` event.
    let selected = use_state(String::new);
    {
        let selected = selected.clone();
        use_effect_with((), move |_| {
            on_map_event("map", "gridwork-cell", move |map| {
                selected.set(map.get_attribute("data-selected").unwrap_or_default());
            })
        });
    }
    {
        let error = error.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = leaflet().await {
                    error.set(Some(e));
                    return;
                }
                match api::get::<serde_json::Value>("/api/v1/map/cells").await {
                    Ok(fc) => {
                        if let Err(e) = call_map_script(
                            "gridworkMap",
                            &["map".into(), fc.to_string().into(), tiles().into()],
                        ) {
                            error.set(Some(e));
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        });
    }
    html! {
        <>
        <Header />
        <main class="page wide">
            <h2>{ t("map") }</h2>
            <p class="legend"><span class="sw red"></span>{ t("legend_red") }<span class="sw yellow"></span>{ t("legend_yellow") }<span class="sw green"></span>{ t("legend_green") }</p>
            { for error.iter().map(|e| html!{ <p class="error" role="alert">{ e }</p> }) }
            <div id="map" class="map" data-testid="map"></div>
            { if !selected.is_empty() { html! {
                <p data-testid="selected-cell">{ format!("{}: {}", t("cell"), *selected) }</p>
            } } else { html!{} } }
            { if admin && !selected.is_empty() { html! {
                <crate::pages::assign::Assign cell={(*selected).clone()} />
            } } else { html!{} } }
        </main>
        </>
    }
}
