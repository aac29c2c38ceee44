//! What needs the user's attention below the top bar — changes the server refused, other
//! users' changes waiting on this phone (named, discarded only after a confirmation) — and
//! the home screen's incidents: the reports of this phone not on the server yet, then the
//! incidents the phone holds (a supervisor's as a queue: open and most overdue first, closed
//! last), each with its cell's name. In the sync chunk (`components/deferred.rs`).

use gridwork_shared::api::Role;
use gridwork_shared::incident::Incident;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::list::{chip, incident_row, use_cell_names};
use crate::hooks::{use_loaded, use_local, use_session};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::logic::{newest_first, queue_order};
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

/// The home screen's incidents: a worker's newest first, a supervisor's as a queue (open
/// and most overdue first, then by urgency and deadline; closed and rejected last), below
/// the reports not on the server yet.
#[component]
pub fn HomeIncidents() -> Html {
    let session = use_session();
    let office = session
        .me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin));
    let incidents = use_local(move || async move {
        let held = queue::records::<Incident>().await;
        match office {
            true => queue_order(held, chrono::Utc::now()),
            false => newest_first(held),
        }
    });
    let cells = use_cell_names();
    let incidents = incidents.as_deref().unwrap_or_default();
    html! {
        <>
        <OutgoingReports />
        { if incidents.is_empty() && session.pending + session.refused == 0 {
            html!{ <li class="empty">{ t(Text::Nothing) }</li> }
        } else { html!{ <>{ for incidents.iter().map(|i| incident_row(i, &cells)) }</> } } }
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
