//! The admin console's index: links to its screens (regions, users, settings, the audit log),
//! the cell import (every bad feature shown) and the workers of a cell. Also what the
//! console's screens share: the result line of a form and the "admins only" answer.

use gridwork_shared::api::{ImportResult, Role};
use serde::de::IgnoredAny;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::assign::Assign;
use crate::components::form::{alert, chosen_file, lines};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::admin::ConsoleText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::services::api;

#[component]
pub fn Admin() -> Html {
    let session = use_session();
    let import_msg = use_state(Vec::<String>::new);
    let import = {
        let (import_msg, sync_now) = (import_msg.clone(), session.sync_now.clone());
        Callback::from(move |e: Event| {
            let Some(file) = chosen_file(&e) else {
                return;
            };
            let (import_msg, sync_now) = (import_msg.clone(), sync_now.clone());
            wasm_bindgen_futures::spawn_local(async move {
                import_msg.set(vec!["…".into()]);
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string());
                // The file goes to the server as it is, which checks every feature in it; only
                // what is not JSON at all is stopped here.
                let Some(doc) = text.filter(|t| serde_json::from_str::<IgnoredAny>(t).is_ok())
                else {
                    import_msg.set(vec![t(ScreenText::NotJson).to_string()]);
                    return;
                };
                match api::post_json::<ImportResult>("/api/v1/cells/import", doc).await {
                    Ok(r) => {
                        import_msg.set(vec![format!(
                            "✓ {} {}, {} {}",
                            t(ScreenText::Created),
                            r.created,
                            t(ScreenText::Updated),
                            r.updated
                        )]);
                        // The new cells reach the phone's copy, where the cell picker finds them.
                        sync_now.emit(());
                    }
                    Err(e) => import_msg.set(e.lines()),
                }
            });
        })
    };
    if session.me.as_ref().map(|m| m.role) != Some(Role::Admin) {
        return admins_only_page(t(Text::Admin), t(ConsoleText::AdminsOnly));
    }
    let link = |to: Route, text: ConsoleText, testid: &'static str| {
        html! { <div data-testid={testid}><Link<Route> to={to} classes="big">{ t(text) }</Link<Route>></div> }
    };
    html! {
        <Page wide=true testid="admin">
            <h1>{ t(Text::Admin) }</h1>
            <nav class="console" aria-label={t(Text::Admin)}>
                { link(Route::AdminRegions, ConsoleText::Regions, "regions-link") }
                { link(Route::AdminUsers, ConsoleText::Users, "users-link") }
                { link(Route::AdminSettings, ConsoleText::Settings, "settings-link") }
                { link(Route::AdminAudit, ConsoleText::Audit, "audit-link") }
                { link(Route::AdminApiKeys, ConsoleText::ApiKeys, "api-keys-link") }
                <div data-testid="departments-link"><Link<Route> to={Route::AdminDepartments} classes="big">{ t(crate::i18n::duty::nav::DutyNav::Departments) }</Link<Route>></div>
                { link(Route::Map, ConsoleText::AssignOnMap, "map-link") }
                { link(Route::Me, ConsoleText::MyAccount, "me-link") }
                // Not a screen of the app: the server's page, opened in full.
                <div data-testid="docs-link"><a href="/api/docs" class="big" target="_blank" rel="noopener">{ t(ConsoleText::ApiDocs) }</a></div>
            </nav>
            <section class="card">
                <h2>{ t(ScreenText::Import) }</h2>
                <p>{ t(ConsoleText::ImportHelp) }</p>
                <label>{ t(ConsoleText::ImportFile) }
                    <input type="file" name="geojson" accept=".geojson,.json,application/geo+json,application/json" onchange={import} />
                </label>
                <div data-testid="import-result">{ lines(&import_msg[..]) }</div>
            </section>
            <Assign />
            <Back />
        </Page>
    }
}

/// What a form's last action came to: nothing yet, done (what to say), or refused (why).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Said {
    #[default]
    Nothing,
    Done(String),
    Failed(String),
}

/// The result line of a form, under `testid`.
pub fn said(s: &Said, testid: &'static str) -> Html {
    match s {
        Said::Nothing => html! { <div data-testid={testid}></div> },
        Said::Done(m) => html! {
            <div data-testid={testid}><p class="done" role="status">{ format!("✓ {m}") }</p></div>
        },
        Said::Failed(m) => html! { <div data-testid={testid}>{ alert(&Some(m.clone())) }</div> },
    }
}

/// The screen a user who is not an admin gets instead of a console screen: `why`, in the
/// words of the screen's own table (so that no table is shared between chunks).
pub fn admins_only_page(title: &str, why: &str) -> Html {
    html! {
        <Page>
            <h1>{ title.to_string() }</h1>
            <p class="error" role="alert" data-testid="not-allowed">{ why.to_string() }</p>
            <Back />
        </Page>
    }
}

/// A list endpoint read a page at a time: what has come so far (or why not), whether a
/// page is on its way, and what fetches the next one (`None` once there is no more).
pub struct Paged<T> {
    pub items: Option<Result<Vec<T>, String>>,
    pub more: Option<Callback<()>>,
    pub loading: bool,
}

/// `path` (a list's path and query, without `cursor`) read page by page; read from the
/// first page again whenever `path` or `reload` changes.
#[hook]
pub fn use_paged<T>(path: String, reload: u32) -> Paged<T>
where
    T: serde::de::DeserializeOwned + Clone + 'static,
{
    let key = (path, reload);
    let first = use_loaded(key.clone(), |(path, _)| async move {
        // No list asked for (a screen its user may not see): nothing is fetched.
        if path.is_empty() {
            return Err(String::new());
        }
        api::get::<gridwork_shared::api::Page<T>>(&path)
            .await
            .map_err(|e| e.message())
    });
    // The pages after the first, for the list as it was asked for: (which list, their
    // items, the cursor after them).
    let later = use_state(|| None::<((String, u32), Vec<T>, Option<String>)>);
    let loading = use_state(|| false);
    let Some(first) = (*first).clone() else {
        return Paged {
            items: None,
            more: None,
            loading: true,
        };
    };
    let first = match first {
        Ok(p) => p,
        Err(e) => {
            return Paged {
                items: Some(Err(e)),
                more: None,
                loading: false,
            };
        }
    };
    let mut items = first.items;
    let mut next = first.next_cursor;
    if let Some((k, extra, after)) = &*later
        && *k == key
    {
        items.extend(extra.iter().cloned());
        next = after.clone();
    }
    let more = next.map(|cursor| {
        let (later, loading, key) = (later.clone(), loading.clone(), key.clone());
        Callback::from(move |_| {
            if *loading {
                return;
            }
            loading.set(true);
            let (later, loading, key, cursor) =
                (later.clone(), loading.clone(), key.clone(), cursor.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!(
                    "{}&cursor={}",
                    key.0,
                    String::from(js_sys::encode_uri_component(&cursor))
                );
                let mut extra = match &*later {
                    Some((k, extra, _)) if *k == key => extra.clone(),
                    _ => Vec::new(),
                };
                if let Ok(page) = api::get::<gridwork_shared::api::Page<T>>(&path).await {
                    extra.extend(page.items);
                    later.set(Some((key, extra, page.next_cursor)));
                }
                loading.set(false);
            });
        })
    });
    Paged {
        items: Some(Ok(items)),
        more,
        loading: *loading,
    }
}

/// The "more" button under a paged list.
pub fn more_button<T>(paged: &Paged<T>, label: &str) -> Html {
    match &paged.more {
        Some(more) => html! {
            <button class="big" type="button" data-testid="more" disabled={paged.loading}
                onclick={more.reform(|_| ())}>{ label.to_string() }</button>
        },
        None => html! {},
    }
}
