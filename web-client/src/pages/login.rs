//! Log in: username and password; the session is kept on the phone.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::{alert, on_input};
use crate::components::page::Page;
use crate::hooks::use_session;
use crate::i18n::{Text, t};
use crate::services::api;

#[component]
pub fn Login() -> Html {
    let session = use_session();
    let navigator = use_navigator().expect("router");
    let username = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let submit = {
        let (username, password, error, busy) = (
            username.clone(),
            password.clone(),
            error.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (u, p) = ((*username).clone(), (*password).clone());
            let (error, busy, session, navigator) = (
                error.clone(),
                busy.clone(),
                session.clone(),
                navigator.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::login(&u, &p).await {
                    Ok(me) => {
                        session.set_me.emit(Some(me));
                        navigator.push(&take_remembered().unwrap_or(Route::Home));
                    }
                    Err(e) => error.set(Some(login_error(&e).to_string())),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <Page>
            <form class="card" onsubmit={submit}>
                <h1>{ t(Text::App) }</h1>
                <label>{ t(Text::Username) }
                    <input name="username" autocomplete="username" value={(*username).clone()}
                        oninput={on_input(&username)} />
                </label>
                <label>{ t(Text::Password) }
                    <input name="password" type="password" autocomplete="current-password" value={(*password).clone()}
                        oninput={on_input(&password)} />
                </label>
                { alert(&error) }
                <button class="primary" type="submit" disabled={*busy}>{ t(Text::Login) }</button>
            </form>
        </Page>
    }
}

/// Why a login failed, in the current language (kept to the few answers a login gets, so
/// the first screen does not carry every message of the API).
fn login_error(e: &api::ApiError) -> &'static str {
    match e {
        api::ApiError::Problem(p) if p.code == gridwork_shared::ErrorCode::TooManyAttempts => {
            t(Text::TooManyAttempts)
        }
        api::ApiError::Problem(p) if p.status == 401 => t(Text::BadLogin),
        api::ApiError::Problem(_) => t(Text::LoginFailed),
        api::ApiError::Offline => t(Text::Offline),
        api::ApiError::LoggedOut => t(Text::BadLogin),
    }
}

/// Where a screen opened signed out is kept until the login (this tab only).
const NEXT: &str = "gridwork.next";

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Remembers `route` to open once signed in.
pub fn remember(route: &Route) {
    if let Some(s) = tab_storage() {
        let _ = s.set_item(NEXT, &route.to_path());
    }
}

/// The screen remembered before the login, once.
fn take_remembered() -> Option<Route> {
    let s = tab_storage()?;
    let path = s.get_item(NEXT).ok()??;
    let _ = s.remove_item(NEXT);
    Route::recognize(&path).filter(|r| !matches!(r, Route::Login | Route::NotFound))
}
