//! The bar on top of every screen: who, pending operations, sync, language, logout.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{Route, SessionCtx};
use crate::i18n::{self, t};
use crate::services::{api, queue};

#[component]
pub fn Header() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
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
            <Link<Route> to={Route::Home} classes="brand">{ t("app") }</Link<Route>>
            <span class="who">{ session.me.as_ref().map(|m| m.display_name.clone()).unwrap_or_default() }</span>
            <button class={classes!("sync", (!session.online).then_some("off"))} onclick={sync} data-testid="pending">
                { if session.online { "" } else { t("offline") } }
                { format!(" {} {}", t("pending"), session.pending) }
            </button>
            <button class="link" onclick={lang}>{ t("lang") }</button>
            { if session.me.is_some() { html!{ <button class="link" onclick={logout}>{ t("logout") }</button> } } else { html!{} } }
            { for session.message.iter().map(|m| html!{ <p class="notice">{ m }</p> }) }
        </header>
    }
}
