//! What the user did on the phone that is not on the server yet: changes waiting to be sent,
//! and changes the server refused, each with the reason in the user's language — to be fixed
//! and sent again, sent again as they are, or discarded after a confirmation. Nothing the
//! server refuses is thrown away without the user's word.

use gridwork_shared::sync::Operation;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::alert;
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::hooks::{Fix, use_loaded, use_session};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, action, t};
use crate::logic::local_time;
use crate::services::queue::{self, Outgoing};

/// What an operation is, in a few words.
fn describe(o: &Outgoing) -> String {
    match &o.operation {
        Some(Operation::IncidentCreate(n)) => format!("{}：{}", t(Text::Report), n.title),
        Some(Operation::IncidentAction(a)) => {
            format!("{}：{}", t(ScreenText::Step), t(action(a.body.action)))
        }
        Some(Operation::VisitCreate(v)) => {
            format!(
                "{} {}",
                t(ScreenText::Visit),
                local_time(&v.body.visited_at)
            )
        }
        Some(Operation::InspectionCreate(i)) => {
            format!(
                "{} {}",
                t(ScreenText::Inspect),
                local_time(&i.body.inspected_at)
            )
        }
        Some(Operation::UnitCreate(u)) => format!("{}：{}", t(ScreenText::NewUnit), u.name),
        Some(Operation::DeliberationCreate(d)) => {
            format!("{}：{}", t(ScreenText::HallItem), d.title)
        }
        Some(Operation::DeliberationSession(s)) => {
            format!("{}：{}", t(ScreenText::HallSession), s.body.place)
        }
        Some(Operation::NominationCreate(n)) => {
            format!("{}：{}", t(ScreenText::Nomination), n.body.nominee_name)
        }
        Some(Operation::PatrolCreate(p)) => {
            format!("{} {}", t(ScreenText::Patrol), local_time(&p.started_at))
        }
        Some(Operation::TaskProgress(p)) => {
            format!("{}：{}", t(ScreenText::TaskProgress), p.body.value)
        }
        None => o.op_type.clone(),
    }
}

/// The form a refused operation is fixed in: the one it was made in.
fn form_of(o: &Outgoing) -> Option<Route> {
    match o.operation.as_ref()? {
        Operation::IncidentCreate(_) => Some(Route::Report),
        Operation::VisitCreate(v) => Some(Route::Visit {
            id: v.person_id.to_string(),
        }),
        Operation::InspectionCreate(i) => Some(Route::Inspect {
            id: i.unit_id.to_string(),
        }),
        Operation::UnitCreate(_) => Some(Route::UnitNew),
        Operation::IncidentAction(_)
        | Operation::DeliberationCreate(_)
        | Operation::DeliberationSession(_)
        | Operation::NominationCreate(_)
        | Operation::PatrolCreate(_)
        | Operation::TaskProgress(_) => None,
    }
}

#[component]
pub fn Outbox() -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    let items = use_loaded((*reload, session.generation, session.pending), |_| async {
        queue::outbox().await
    });
    let confirming = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let navigator = use_navigator().expect("router");
    let after = {
        let (reload, session, error) = (reload.clone(), session.clone(), error.clone());
        move |done: Result<(), String>| {
            match done {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            reload.set(*reload + 1);
            session.sync_now.emit(());
        }
    };
    let resend = {
        let after = after.clone();
        Callback::from(move |key: String| {
            let after = after.clone();
            wasm_bindgen_futures::spawn_local(async move { after(queue::resend(&key).await) });
        })
    };
    let discard = {
        let (after, confirming) = (after.clone(), confirming.clone());
        Callback::from(move |(key, sure): (String, bool)| {
            if !sure {
                confirming.set(Some(key));
                return;
            }
            confirming.set(None);
            let after = after.clone();
            wasm_bindgen_futures::spawn_local(
                async move { after(queue::discard_refused(&key).await) },
            );
        })
    };
    // Each refused record opens its own form, filled in as it was sent.
    let fix = Callback::from(move |(key, form): (String, Route)| {
        let _ = navigator.push_with_query(&form, &Fix { fix: key });
    });
    let items = (*items).clone().unwrap_or_default();
    let row = |o: &Outgoing| {
        let key = o.key.clone();
        let buttons = match &o.refused {
            None => html! {},
            Some(_) if confirming.as_deref() == Some(key.as_str()) => html! {
                <p class="notice">
                    { t(ScreenText::DiscardOneForGood) }
                    <button class="big" data-testid="discard-sure" onclick={discard.reform({ let k = key.clone(); move |_| (k.clone(), true) })}>{ t(ScreenText::Discard) }</button>
                    <button class="big link" onclick={let c = confirming.clone(); move |_| c.set(None)}>{ t(ScreenText::Keep) }</button>
                </p>
            },
            Some(_) => html! {
                <div class="actions">
                    { for form_of(o).map(|form| html!{
                        <button class="big primary" data-testid="fix" onclick={fix.reform({ let k = key.clone(); move |_| (k.clone(), form.clone()) })}>{ t(ScreenText::FixAndSend) }</button>
                    }) }
                    <button class="big" data-testid="resend" onclick={resend.reform({ let k = key.clone(); move |_| k.clone() })}>{ t(ScreenText::SendAgain) }</button>
                    <button class="big" data-testid="discard" onclick={discard.reform({ let k = key.clone(); move |_| (k.clone(), false) })}>{ t(ScreenText::Discard) }</button>
                </div>
            },
        };
        html! {
            <li class={classes!("item", o.refused.is_some().then_some("late"))} data-testid={if o.refused.is_some() { "refused" } else { "waiting" }}>
                <strong>{ describe(o) }</strong>
                { match &o.refused {
                    Some(_) => chip(t(ScreenText::RefusedChip), true),
                    None => chip(t(ScreenText::WaitingChip), false),
                } }
                { for o.refused.iter().flatten().map(|line| html!{ <p class="reason" data-testid="reason">{ line }</p> }) }
                { buttons }
            </li>
        }
    };
    html! {
        <Page>
            <h1>{ t(ScreenText::OutboxTitle) }</h1>
            { alert(&error) }
            <ul class="list" data-testid="outbox">
                { if items.is_empty() { html!{ <li class="empty">{ t(ScreenText::AllSent) }</li> } } else { html!{ <>{ for items.iter().map(row) }</> } } }
            </ul>
            <Back />
        </Page>
    }
}
