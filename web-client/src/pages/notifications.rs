//! `/notifications`: what came to the user — dispatches, escalations, its reports' fate,
//! reminders of visits and hazards — newest first, as the phone holds them (so offline too).
//! Opening one marks it read and goes to its record.

use gridwork_shared::notification::{Notification, NotificationKind};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::alert;
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::screens::ScreenText;
use crate::i18n::t;
use crate::logic::local_time;
use crate::services::api::ApiError;
use crate::services::queue;

/// What happened, in the user's language.
fn what(kind: NotificationKind) -> &'static str {
    t(match kind {
        NotificationKind::IncidentDispatched => ScreenText::NoticeDispatched,
        NotificationKind::IncidentEscalated => ScreenText::NoticeEscalated,
        NotificationKind::ReportAccepted => ScreenText::NoticeAccepted,
        NotificationKind::ReportRejected => ScreenText::NoticeRejected,
        NotificationKind::IncidentClosed => ScreenText::NoticeClosed,
        NotificationKind::IncidentRework => ScreenText::NoticeRework,
        NotificationKind::VisitDue => ScreenText::NoticeVisitDue,
        NotificationKind::HazardDeadline => ScreenText::NoticeHazard,
    })
}

/// The screen of the record a notification is about.
fn target(n: &Notification) -> Route {
    let id = n.entity_id.clone();
    match n.kind {
        NotificationKind::VisitDue => Route::Person { id },
        NotificationKind::HazardDeadline => Route::Unit { id },
        _ => Route::Incident { id },
    }
}

#[component]
pub fn Notifications() -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    let items = use_loaded((*reload, session.generation), |_| async {
        queue::notifications().await
    });
    let error = use_state(|| None::<String>);
    let navigator = use_navigator().expect("router");
    // Marks read (on the phone at once, on the server when it answers), then `then`.
    let mark = {
        let (reload, session, error) = (reload.clone(), session.clone(), error.clone());
        Callback::from(
            move |(ids, then): (Option<Vec<uuid::Uuid>>, Option<Route>)| {
                let (reload, session, error) = (reload.clone(), session.clone(), error.clone());
                let navigator = navigator.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match queue::mark_notifications_read(ids).await {
                        // Offline: read on the phone; the server hears of it with the next one.
                        Ok(()) | Err(ApiError::Offline) => error.set(None),
                        Err(e) => error.set(Some(e.lines().join(" "))),
                    }
                    reload.set(*reload + 1);
                    session.sync_now.emit(());
                    if let Some(route) = then {
                        navigator.push(&route);
                    }
                });
            },
        )
    };
    let items = (*items).clone().unwrap_or_default();
    let any_unread = items.iter().any(|n| !n.read);
    let row = |n: &Notification| {
        let open = mark.reform({
            let (id, route) = (n.id, target(n));
            move |_| (Some(vec![id]), Some(route.clone()))
        });
        html! {
            <li class={classes!("item", (!n.read).then_some("unread"))} data-testid="notification">
                <button class="row" onclick={open}>
                    <strong>{ what(n.kind) }</strong>
                    { if n.read { html!{} } else { chip(t(ScreenText::UnreadChip), true) } }
                    <span class="title">{ n.title.clone() }</span>
                    <span class="muted">{ local_time(&n.at) }</span>
                </button>
            </li>
        }
    };
    html! {
        <Page>
            <h1>{ t(ScreenText::NotificationsTitle) }</h1>
            { alert(&error) }
            { if any_unread { html!{
                <button class="big" data-testid="mark-all-read" onclick={mark.reform(|_| (None, None))}>{ t(ScreenText::MarkAllRead) }</button>
            } } else { html!{} } }
            <ul class="list" data-testid="notifications">
                { if items.is_empty() { html!{ <li class="empty">{ t(ScreenText::NoNotifications) }</li> } } else { html!{ <>{ for items.iter().map(row) }</> } } }
            </ul>
            <Back />
        </Page>
    }
}
