//! What needs the user's attention below the top bar — changes the server refused, other
//! users' changes waiting on this phone (named, discarded only after a confirmation) — and
//! the reports of this phone not on the server yet at the top of "my incidents". In the sync
//! chunk (`components/deferred.rs`).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::list::chip;
use crate::hooks::{use_loaded, use_session};
use crate::i18n::screens::ScreenText;
use crate::i18n::t;
use crate::services::queue::{self, OutgoingReport};

#[component]
pub fn Notices() -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    // Other users' changes waiting on this phone.
    let waiting = use_loaded(
        (
            session.me.as_ref().map(|m| m.id),
            session.generation,
            *reload,
        ),
        |_| queue::waiting_for_others(),
    );
    let discarding = use_state(|| None::<String>);
    let discard = {
        let (reload, discarding) = (reload.clone(), discarding.clone());
        Callback::from(move |(user_id, sure): (String, bool)| {
            if !sure {
                discarding.set(Some(user_id));
                return;
            }
            let (reload, discarding) = (reload.clone(), discarding.clone());
            wasm_bindgen_futures::spawn_local(async move {
                queue::discard_of(&user_id).await;
                discarding.set(None);
                reload.set(*reload + 1);
            });
        })
    };
    html! {
        <>
        { if session.refused > 0 { html!{
            <div data-testid="refused-link"><Link<Route> to={Route::Outbox} classes="notice">
                { format!("{} {}", session.refused, t(ScreenText::RefusedChanges)) }
            </Link<Route>></div>
        } } else { html!{} } }
        { for waiting.iter().flatten().map(|w| {
            let id = w.user_id.clone();
            let sure = discarding.as_deref() == Some(w.user_id.as_str());
            html!{
                <p class="notice" data-testid="waiting-for-owner">
                    { format!("{} {} {}", w.changes, t(ScreenText::WaitingForOwner), w.name) }
                    { if sure { html!{ <>
                        <span>{ format!(" {} ", t(ScreenText::DiscardForGood)) }</span>
                        <button data-testid="discard-sure" onclick={discard.reform(move |_| (id.clone(), true))}>{ t(ScreenText::Discard) }</button>
                        <button class="link" onclick={let d = discarding.clone(); move |_| d.set(None)}>{ t(ScreenText::Keep) }</button>
                    </> } } else { html!{
                        <button class="link" data-testid="discard" onclick={discard.reform(move |_| (id.clone(), false))}>{ t(ScreenText::Discard) }</button>
                    } } }
                </p>
            }
        }) }
        </>
    }
}

/// The reports of this phone not on the server yet, waiting or refused, as rows of "my
/// incidents", with the way to the outbox.
#[component]
pub fn OutgoingReports() -> Html {
    let session = use_session();
    let outgoing = use_loaded(
        (session.generation, session.pending, session.refused),
        |_| queue::outgoing_reports(),
    );
    let outgoing = outgoing.as_deref().unwrap_or_default();
    html! {
        <>
        { if session.pending + session.refused > 0 { html!{
            <li class="item" data-testid="outbox-link">
                <Link<Route> to={Route::Outbox}>{ t(ScreenText::OutboxTitle) }</Link<Route>>
            </li>
        } } else { html!{} } }
        { for outgoing.iter().map(outgoing_item) }
        </>
    }
}

fn outgoing_item(r: &OutgoingReport) -> Html {
    let label = match r.refused {
        true => chip(t(ScreenText::RefusedChip), true),
        false => chip(t(ScreenText::WaitingChip), false),
    };
    html! {
        <li class={classes!("item", r.refused.then_some("late"))} data-testid="outgoing-report">
            <Link<Route> to={Route::Outbox}>
                <strong>{ &r.title }</strong>
                { label }
            </Link<Route>>
        </li>
    }
}
