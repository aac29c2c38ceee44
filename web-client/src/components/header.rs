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
    // Other users' changes waiting on this phone, named, with a confirmed discard.
    let waiting = use_state(Vec::<queue::Waiting>::new);
    let discarding = use_state(|| None::<String>);
    {
        let waiting = waiting.clone();
        use_effect_with(
            (session.me.as_ref().map(|m| m.id), session.generation),
            move |_| {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(found) = crate::lazy::others_waiting().await {
                        waiting.set(found.await);
                    }
                });
            },
        );
    }
    let discard = {
        let (waiting, discarding) = (waiting.clone(), discarding.clone());
        Callback::from(move |(user_id, sure): (String, bool)| {
            if !sure {
                discarding.set(Some(user_id));
                return;
            }
            let (waiting, discarding) = (waiting.clone(), discarding.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(discard) = crate::lazy::discard(user_id).await {
                    discard.await;
                }
                discarding.set(None);
                if let Ok(found) = crate::lazy::others_waiting().await {
                    waiting.set(found.await);
                }
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
            { if session.me.is_some() { html!{ <button class="link" data-testid="logout" onclick={logout.reform(|_| false)}>{ t(Text::Logout) }</button> } } else { html!{} } }
            { for session.message.iter().map(|m| html!{ <p class="notice">{ m }</p> }) }
            { if *confirming { html!{
                <p class="notice" data-testid="unsent-on-logout">
                    { format!("{} {}", session.pending, t(Text::UnsentOnLogout)) }
                    <button data-testid="logout-anyway" onclick={logout.reform(|_| true)}>{ t(Text::LogoutAnyway) }</button>
                    <button class="link" onclick={let c = confirming.clone(); move |_| c.set(false)}>{ t(Text::Stay) }</button>
                </p>
            } } else { html!{} } }
            { for waiting.iter().map(|w| {
                let id = w.user_id.clone();
                let sure = discarding.as_deref() == Some(w.user_id.as_str());
                html!{
                    <p class="notice" data-testid="waiting-for-owner">
                        { format!("{} {} {}", w.changes, t(Text::WaitingForOwner), w.name) }
                        { if sure { html!{ <>
                            <span>{ format!(" {} ", t(Text::DiscardForGood)) }</span>
                            <button data-testid="discard-sure" onclick={discard.reform(move |_| (id.clone(), true))}>{ t(Text::Discard) }</button>
                            <button class="link" onclick={let d = discarding.clone(); move |_| d.set(None)}>{ t(Text::Keep) }</button>
                        </> } } else { html!{
                            <button class="link" data-testid="discard" onclick={discard.reform(move |_| (id.clone(), false))}>{ t(Text::Discard) }</button>
                        } } }
                    </p>
                }
            }) }
        </header>
    }
}
