//! One incident: its facts, history, and the steps the caller can take — worked out on the
//! phone by the shared state machine from the incident as last read (the server's answer
//! when online, the phone's copy otherwise), so they are there with no signal. The step
//! itself goes through the queue.

use gridwork_shared::api::Role;
use gridwork_shared::incident::{Action, ActionRequest, Incident, IncidentDetail};
use gridwork_shared::sync::{OnIncident, Operation};
use uuid::Uuid;
use yew::prelude::*;

use crate::app::Route;
use crate::components::form::{alert, on_input, on_select};
use crate::components::page::{Back, Page, Waiting};
use crate::components::when::{at, deadline};
use crate::hooks::{use_field_form, use_loaded, use_local, use_session, use_users};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, action, level, status, t, word};
use crate::logic::{day, incident_steps, merge_candidates};
use crate::services::{api, queue};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

/// An incident as the phone keeps it: no history or mediations with it.
fn from_device(incident: Incident) -> IncidentDetail {
    IncidentDetail {
        incident,
        history: Vec::new(),
        mediations: Vec::new(),
        available_actions: Vec::new(),
    }
}

#[component]
pub fn IncidentPage(props: &Props) -> Html {
    let session = use_session();
    // Incidents on the device: this one with no signal, and the duplicate candidates of a merge.
    let known = use_local(queue::records::<Incident>);
    let fresh = use_loaded(
        (props.id.clone(), session.generation),
        |(id, _)| async move {
            api::get::<IncidentDetail>(&format!("/api/v1/incidents/{id}"))
                .await
                .ok()
        },
    );
    let assignee = use_state(String::new);
    let note = use_state(String::new);
    let into = use_state(String::new);
    let form = use_field_form();
    let known: &[Incident] = known.as_deref().unwrap_or_default();
    let is_this = |i: &Incident| i.id.to_string() == props.id;
    let detail = (*fresh)
        .clone()
        .flatten()
        .or_else(|| known.iter().find(|i| is_this(i)).cloned().map(from_device))
        .filter(|d| is_this(&d.incident));
    let candidates: Vec<Incident> = detail
        .as_ref()
        .map(|d| {
            merge_candidates(&d.incident, known)
                .into_iter()
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    // The rules allow a dispatch: the workers to choose from.
    let may_dispatch = match (&detail, &session.me) {
        (Some(d), Some(me)) => {
            incident_steps(&d.incident, me, false, true).contains(&Action::Dispatch)
        }
        _ => false,
    };
    let users = use_users(may_dispatch, session.generation);
    let workers: Vec<_> = users
        .iter()
        .filter(|u| u.role == Role::Worker && u.active)
        .collect();
    let (Some(d), Some(me)) = (detail, session.me.as_ref()) else {
        return html! { <Waiting /> };
    };
    let steps = incident_steps(&d.incident, me, !candidates.is_empty(), !workers.is_empty());
    // The one picked, else the first offered.
    let chosen =
        |state: &UseStateHandle<String>, first: Option<Uuid>| Uuid::parse_str(state).ok().or(first);
    let assignee_id = chosen(&assignee, workers.first().map(|w| w.id));
    let into_id = chosen(&into, candidates.first().map(|c| c.id));
    let act = |step: Action| {
        let (incident, note, form) = (&d.incident, note.clone(), form.clone());
        let (incident_id, version) = (incident.id, incident.version);
        Callback::from(move |_| {
            let request = ActionRequest {
                action: step,
                version,
                note: (!note.is_empty()).then(|| (*note).clone()),
                assignee_id: assignee_id.filter(|_| step == Action::Dispatch),
                into: into_id.filter(|_| step == Action::Merge),
            };
            let operation = Operation::IncidentAction(OnIncident {
                incident_id,
                body: request,
            });
            form.send(operation, None, Route::Home);
        })
    };
    let i = &d.incident;
    html! {
        <Page>
            <article class="card">
                <h1>{ &i.title }</h1>
                <p>{ &i.description }</p>
                <dl>
                    <dt>{ t(ScreenText::Status) }</dt><dd data-testid="status">{ t(status(i.status)) }</dd>
                    <dt>{ t(ScreenText::Level) }</dt><dd>{ t(level(i.level)) }</dd>
                    <dt>{ t(ScreenText::Cell) }</dt><dd>{ &i.cell_code }</dd>
                    <dt>{ t(Text::Due) }</dt><dd>{ deadline(&i.due_at) }</dd>
                </dl>
                { if i.conflict { html!{ <p class="notice">{ t(Text::Conflict) }</p> } } else { html!{} } }
                { if steps.is_empty() { html!{} } else { html! {
                    <div class="actions" data-testid="steps">
                        <input name="note" placeholder={t(ScreenText::Note)} value={(*note).clone()} oninput={on_input(&note)} />
                        { if steps.contains(&Action::Dispatch) { html! {
                            <select name="assignee" onchange={on_select(&assignee)}>
                                { for workers.iter().map(|w| html!{ <option value={w.id.to_string()}>{ &w.display_name }</option> }) }
                            </select>
                        } } else { html!{} } }
                        { if steps.contains(&Action::Merge) { html! {
                            <label>{ t(ScreenText::MergeInto) }
                                <select name="into" onchange={on_select(&into)}>
                                    { for candidates.iter().map(|c| html!{ <option value={c.id.to_string()}>{ format!("{} · {}", c.title, day(&c.created_at)) }</option> }) }
                                </select>
                            </label>
                        } } else { html!{} } }
                        { for steps.iter().map(|s| html!{ <button class="big" data-action={s.as_str()} onclick={act(*s)}>{ t(action(*s)) }</button> }) }
                        { alert(&form.error) }
                    </div>
                } } }
                <h2>{ t(ScreenText::History) }</h2>
                <ol class="history">
                    { for d.history.iter().map(|h| html! {
                        <li class={classes!(h.conflict.then_some("late"))}>
                            { at(&h.at) }
                            { format!(" {} ", word(&h.action)) }
                            { h.to.as_deref().map(word).unwrap_or_default() }
                            { h.note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default() }
                        </li>
                    }) }
                </ol>
                <Back />
            </article>
        </Page>
    }
}
