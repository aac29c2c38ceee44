//! The bar on top of every screen, one line even on a 320 px phone: who, the notification
//! bell, pending operations, sync, language, logout; below it what needs the user's attention.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::deferred::{Deferred, Part};
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
    // Logging out with changes not sent asks first: they stay, for this user alone.
    let confirming = use_state(|| false);
    let logout = {
        let session = session.clone();
        let confirming = confirming.clone();
        Callback::from(move |force: bool| {
            if session.pending > 0 && !force {
                confirming.set(true);
                return;
            }
            confirming.set(false);
            let session = session.clone();
            let navigator = navigator.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(me) = api::me() {
                    queue::forget_records_of(&me.id.to_string()).await;
                }
                api::logout().await;
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
        <>
        <header class="bar">
            <Link<Route> to={Route::Home} classes="brand">{ t(Text::App) }</Link<Route>>
            <span class="who" data-testid="me-link">{ for session.me.as_ref().map(|m| html! {
                <Link<Route> to={Route::Me}>{ m.display_name.clone() }</Link<Route>>
            }) }</span>
            { if session.me.is_some() { html!{
                <Link<Route> to={Route::Notifications} classes="bell">
                    <span class="bell-icon" role="img" aria-label={t(Text::Notifications)} data-testid="bell">
                        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>
                    </span>
                    { if session.unread > 0 { html!{ <span class="badge" data-testid="unread">{ session.unread }</span> } } else { html!{} } }
                </Link<Route>>
            } } else { html!{} } }
            <button class={classes!("sync", (!session.online).then_some("off"))} onclick={sync} data-testid="pending">
                { if session.online { "" } else { t(Text::Offline) } }
                { format!(" {} {}", t(Text::Pending), session.pending) }
            </button>
            <button class="link" onclick={lang}>{ t(Text::Lang) }</button>
            { if session.me.is_some() { html!{ <button class="link" data-testid="logout" onclick={logout.reform(|_| false)}>{ t(Text::Logout) }</button> } } else { html!{} } }
        </header>
        // Below the bar, so that the bar stays one line.
        <div class="notices">
            { if *confirming { html!{
                <p class="notice" data-testid="unsent-on-logout">
                    { format!("{} {}", session.pending, t(Text::UnsentOnLogout)) }
                    <button data-testid="logout-anyway" onclick={logout.reform(|_| true)}>{ t(Text::LogoutAnyway) }</button>
                    <button class="link" onclick={let c = confirming.clone(); move |_| c.set(false)}>{ t(Text::Stay) }</button>
                </p>
            } } else { html!{} } }
            { for session.message.iter().map(|m| html!{ <p class="notice">{ m }</p> }) }
            // Refused changes and other users' waiting ones, drawn by the sync chunk (which the
            // first sync round loads anyway).
            <Deferred part={Part::Notices} />
        </div>
        </>
    }
}
