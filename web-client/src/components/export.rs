//! The buttons that download a list or a table as CSV or Excel: the file is fetched with the
//! caller's token, then handed to the browser as a download; the last file stays linked
//! below the buttons until the screen closes.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::form::alert;
use crate::i18n::office::OfficeText;
use crate::i18n::t;
use crate::services::api;

/// Two query strings as one (either may be empty).
pub fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}&{b}"),
    }
}

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The export endpoint (`/api/v1/incidents/export`…).
    pub path: AttrValue,
    /// Its query besides `format`: the filters the screen shows.
    pub query: String,
    /// The buttons' test id (`{testid}-csv`, `{testid}-xlsx`).
    pub testid: AttrValue,
}

#[component]
pub fn Export(props: &ExportProps) -> Html {
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    // The last file: its name and object URL (released when replaced or when the screen closes).
    let saved = use_state(|| None::<(String, String)>);
    use_effect_with((*saved).clone(), |saved| {
        let url = saved.as_ref().map(|(_, url)| url.clone());
        move || {
            if let Some(url) = url {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    });
    let export = |format: &'static str| {
        let (busy, error, saved) = (busy.clone(), error.clone(), saved.clone());
        let path = format!(
            "{}?{}",
            props.path,
            join(&format!("format={format}"), &props.query)
        );
        Callback::from(move |_| {
            let (busy, error, saved, path) =
                (busy.clone(), error.clone(), saved.clone(), path.clone());
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_file(&path).await.map_err(|e| e.message()) {
                    Ok(file) => match save(&file) {
                        Ok(url) => saved.set(Some((file.name, url))),
                        Err(e) => error.set(Some(e)),
                    },
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let id = |format: &str| format!("{}-{format}", props.testid);
    html! {
        <div class="exports" data-testid={props.testid.clone()}>
            <button class="big" data-testid={id("csv")} disabled={*busy} onclick={export("csv")}>{ t(OfficeText::ExportCsv) }</button>
            <button class="big" data-testid={id("xlsx")} disabled={*busy} onclick={export("xlsx")}>{ t(OfficeText::ExportExcel) }</button>
            { if *busy { html!{ <p class="loading">{ t(OfficeText::Exporting) }</p> } } else { html!{} } }
            { alert(&error) }
            { for saved.iter().map(|(name, url)| html! {
                <p data-testid="export-file">{ format!("✓ {} ", t(OfficeText::Downloaded)) }
                    <a href={url.clone()} download={name.clone()}>{ name }</a></p>
            }) }
        </div>
    }
}

/// Hands a file to the browser as a download (a blob behind an object URL, clicked as a
/// link); answers the URL, which stays valid until revoked.
pub fn save(file: &api::Download) -> Result<String, String> {
    let refused = || t(OfficeText::SaveRefused).to_string();
    let failed = |_| refused();
    let url = file.object_url().ok_or_else(refused)?;
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
        .ok_or_else(refused)?;
    link.set_attribute("href", &url).map_err(failed)?;
    link.set_attribute("download", &file.name).map_err(failed)?;
    link.click();
    Ok(url)
}
