//! The bar on top of every screen: who, pending operations, sync, language, logout.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::use_session;
use crate::i18n::{self, Text, t};
use crate::services::{api, queue};

#[component]
pub fn Header() -> Html {
    let session = use_session();
    let navigator = use_navigator().expect("router");
    let lang = {
        let session = session.clone();
        Callback::from(move |_| {
            i18n::set_english(!i18n::english());
            session.sync_now.emit(());
        })
    };
    let logout = {
        let session = session.clone();
        Callback::from(move |_| {
            let session = session.clone();
            let navigator = navigator.clone();
            wasm_bindgen_futures::spawn_local(async move {
                api::logout().await;
                queue::clear().await;
                session.set_me.emit(None);
                navigator.push(&Route::Login);
            });
        })
    };
    let sync = {
        let session = session.clone();
        Callback::from(move |_| session.sync_now.emit(()))
    };
    html! {
        <header class="bar">
            <Link<Route> to={Route::Home} classes="brand">{ t(Text::App) }</Link<Route>>
            <span class="who">{ session.me.as_ref().map(|m| m.display_name.clone()).unwrap_or_default() }</span>
            <button class={classes!("sync", (!session.online).then_some("off"))} onclick={sync} data-testid="pending">
                { if session.online { "" } else { t(Text::Offline) } }
                { format!(" {} {}", t(Text::Pending), session.pending) }
            </button>
            <button class="link" onclick={lang}>{ t(Text::Lang) }</button>
            { if session.me.is_some() { html!{ <button class="link" onclick={logout}>{ t(Text::Logout) }</button> } } else { html!{} } }
            { for session.message.iter().map(|m| html!{ <p class="notice">{ m }</p> }) }
        </header>
    }
}
