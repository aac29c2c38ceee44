//! One incident, as a supervisor triages it and a worker handles it: its facts (category,
//! severity, reporter, place on a small map, age, assignee, cell, deadline), its photos,
//! mediation sessions, possible duplicates, history and comments, and the steps the caller
//! can take — worked out on the phone by the shared state machine from the incident as last
//! read (the server's answer when online, the phone's copy otherwise) and moved on by the
//! steps still queued, so they are there with no signal.
//!
//! Field roles queue their steps (sent when there is a network). Office roles (supervisors,
//! admins) take them through the API and see the answer at once — an accepted report opens
//! the dispatch picker — and queue them only when the network is away. Every picker starts
//! on "choose…" and sends exactly what it shows.

use std::rc::Rc;

use chrono::Utc;
use gridwork_shared::api::{Cell, FeatureCollection, Me, Role, User};
use gridwork_shared::incident::{
    Action, ActionRequest, Category, HistoryEntry, Incident, IncidentDetail, Mediation,
    NewMediation, Party, is_dispute,
};
use gridwork_shared::sync::{OnIncident, Operation};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::choice::Choice;
use crate::components::form::{alert, field_errors, input_value, on_input};
use crate::components::page::{Back, Page, Waiting};
use crate::components::photo::Photos;
use crate::components::photo_field::PhotoField;
use crate::components::when::{ago, at, deadline};
use crate::hooks::{use_loaded, use_local, use_session, use_users};
use crate::i18n::duty::dispatch::DispatchText;
use crate::i18n::incident::IncidentText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, action, english, level, severity, status, t, word};
use crate::logic::{
    PhotoOwner, after_queued, day, dispatch_candidates, handles, incident_steps, local_input,
    merge_choices, name_matches, parse_local_time,
};
use crate::pages::departments::{department_name, dispatch_target, use_departments};
use crate::services::api::{self, ApiError};
use crate::services::{map, queue};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

/// An incident as the phone keeps it: no history or mediations with it; what the phone
/// knows of its past is when it was reported and where it stood when last synced.
fn from_device(incident: Incident) -> IncidentDetail {
    let entry = |at, actor_id, action: &str, to: Option<&str>| HistoryEntry {
        id: None,
        at,
        actor_id,
        action: action.into(),
        from: None,
        to: to.map(str::to_string),
        note: None,
        conflict: false,
        data: None,
    };
    let mut history = vec![entry(
        incident.created_at,
        Some(incident.reporter_id),
        "report",
        None,
    )];
    if incident.updated_at > incident.created_at {
        history.push(entry(
            incident.updated_at,
            None,
            incident.status.as_str(),
            None,
        ));
    }
    IncidentDetail {
        incident,
        history,
        mediations: Vec::new(),
        available_actions: Vec::new(),
        possible_duplicates: Vec::new(),
    }
}

/// A server's refusal in the form's words: one line per field, or its message.
fn problem_text(e: &ApiError) -> String {
    match e {
        ApiError::Problem(p) if !p.errors.is_empty() => {
            field_errors(&gridwork_shared::FieldErrors(p.errors.clone()))
        }
        other => other.message(),
    }
}

/// A user's name for this screen: "you", the name from the users the caller may list, or
/// nothing.
fn name_of(id: Uuid, me: &Me, users: &[User]) -> Option<String> {
    if id == me.id {
        return Some(format!("{} ({})", me.display_name, t(IncidentText::You)));
    }
    users
        .iter()
        .find(|u| u.id == id)
        .map(|u| u.display_name.clone())
}

#[component]
pub fn IncidentPage(props: &Props) -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    let fresh = use_loaded(
        (props.id.clone(), session.generation, *reload),
        |(id, _, _)| async move { api::get::<IncidentDetail>(&format!("/api/v1/incidents/{id}")).await },
    );
    // The answer to a step taken here (newer than `fresh` until it loads again).
    let answer = use_state(|| None::<IncidentDetail>);
    // What the phone holds: this incident with no signal, the duplicates it could be merged
    // into, the cells' names and shapes, the categories' names, the steps not sent yet.
    let known = use_local(queue::records::<Incident>);
    let cells = use_local(queue::records::<Cell>);
    let categories = use_local(queue::records::<Category>);
    let queued = use_loaded((session.generation, *reload), |_| queue::queued_steps());
    let office = session
        .me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin));
    let users = use_users(office, session.generation);

    let note = use_state(String::new);
    let comment = use_state(String::new);
    let dispatching = use_state(|| false);
    let assignee = use_state(String::new);
    let search = use_state(String::new);
    let merging = use_state(|| false);
    let into = use_state(String::new);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let photo = use_state(|| None::<Rc<Vec<u8>>>);
    // The photo that goes with the next step (the proof of a resolve).
    let step_photo = use_state(|| None::<Rc<Vec<u8>>>);
    // A dispatch to a department instead of a worker (`pages/departments.rs`): the picker
    // starts on a worker and "choose…" each time it opens.
    let to_department = use_state(|| false);
    let department = use_state(String::new);
    let departments = use_departments(
        session
            .me
            .as_ref()
            .is_some_and(|m| m.role != Role::Volunteer),
        0,
    );
    {
        let (to_department, department) = (to_department.clone(), department.clone());
        use_effect_with(*dispatching, move |_| {
            to_department.set(false);
            department.set(String::new());
        });
    }
    // Another incident opened in the same screen (a duplicate's link): start afresh.
    {
        let states = (
            note.clone(),
            comment.clone(),
            dispatching.clone(),
            assignee.clone(),
            search.clone(),
            merging.clone(),
            into.clone(),
            error.clone(),
            notice.clone(),
        );
        let (answer, photo, step_photo) = (answer.clone(), photo.clone(), step_photo.clone());
        use_effect_with(props.id.clone(), move |_| {
            let (note, comment, dispatching, assignee, search, merging, into, error, notice) =
                states;
            for s in [&note, &comment, &assignee, &search, &into] {
                s.set(String::new());
            }
            dispatching.set(false);
            merging.set(false);
            error.set(None);
            notice.set(None);
            answer.set(None);
            photo.set(None);
            step_photo.set(None);
        });
    }

    let is_this = |i: &Incident| i.id.to_string() == props.id;
    let from_server = (*fresh)
        .clone()
        .and_then(Result::ok)
        .into_iter()
        .chain((*answer).clone())
        .filter(|d| is_this(&d.incident))
        .max_by_key(|d| d.incident.version);
    let online = from_server.is_some();
    let held: &[Incident] = known.as_deref().unwrap_or_default();
    let detail = from_server.or_else(|| held.iter().find(|i| is_this(i)).cloned().map(from_device));
    // The cell's name: from the phone's copy, else from the server.
    let code = detail.as_ref().map(|d| d.incident.cell_code.clone());
    let cell = cells
        .iter()
        .flatten()
        .find(|c| Some(&c.properties.code) == code.as_ref())
        .cloned();
    let fetched_name = use_loaded(
        (code, cell.is_some(), cells.is_some()),
        |(code, held, read)| async move {
            match (code, held, read) {
                (Some(code), false, true) => api::get::<Cell>(&format!("/api/v1/cells/{code}"))
                    .await
                    .ok()
                    .map(|c| c.properties.name),
                _ => None,
            }
        },
    );
    let Some(me) = session.me.clone() else {
        return html! { <Waiting /> };
    };
    let Some(d) = detail else {
        let missing = matches!(&*fresh, Some(Err(ApiError::Problem(p))) if p.status == 404)
            && known.is_some();
        return match missing {
            true => {
                html! { <Page><p class="empty" data-testid="not-found">{ t(Text::Nothing) }</p><Back /></Page> }
            }
            false => html! { <Waiting /> },
        };
    };

    // The incident as it will be once the steps queued on it are sent.
    let waiting: Vec<ActionRequest> = (*queued)
        .iter()
        .flatten()
        .filter(|s| s.incident_id == d.incident.id)
        .map(|s| s.body.clone())
        .collect();
    let i = after_queued(&d.incident, &waiting, &me);
    let candidates = dispatch_candidates(&users, &i, &me);
    let choices = merge_choices(&i, &d.possible_duplicates, held, &me);
    // A dispatch is offered once the users are in (with no network they are not); the
    // picker says so when none of them may take the case.
    let steps = incident_steps(&i, &me, !choices.is_empty(), !users.is_empty());

    let take = {
        let (answer, error, notice, reload, session) = (
            answer.clone(),
            error.clone(),
            notice.clone(),
            reload.clone(),
            session.clone(),
        );
        let (note, comment, dispatching, merging, assignee, into, search) = (
            note.clone(),
            comment.clone(),
            dispatching.clone(),
            merging.clone(),
            assignee.clone(),
            into.clone(),
            search.clone(),
        );
        let incident_id = i.id;
        let (step_photo, me_id) = (step_photo.clone(), me.id);
        Callback::from(move |request: ActionRequest| {
            if let Err(e) = request.validate() {
                error.set(Some(field_errors(&e)));
                return;
            }
            error.set(None);
            let (answer, error, notice, reload, session) = (
                answer.clone(),
                error.clone(),
                notice.clone(),
                reload.clone(),
                session.clone(),
            );
            let (note, comment, dispatching, merging, assignee, into, search) = (
                note.clone(),
                comment.clone(),
                dispatching.clone(),
                merging.clone(),
                assignee.clone(),
                into.clone(),
                search.clone(),
            );
            // A comment goes without the step's photo (it is sent with the next step).
            let proof = match request.action {
                Action::Comment => None,
                _ => (*step_photo).clone(),
            };
            let step_photo = step_photo.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let step = request.action;
                let sent = match office {
                    true => Some(
                        api::post::<_, IncidentDetail>(
                            &format!("/api/v1/incidents/{incident_id}/actions"),
                            &request,
                        )
                        .await,
                    ),
                    false => None,
                };
                let clear = || {
                    note.set(String::new());
                    if step == Action::Comment {
                        comment.set(String::new());
                    }
                    for s in [&assignee, &into, &search] {
                        s.set(String::new());
                    }
                    merging.set(false);
                    // An accepted report is dispatched next: the picker is open.
                    dispatching.set(step == Action::Accept);
                };
                match sent {
                    Some(Ok(after)) => {
                        clear();
                        notice.set(None);
                        // The step's photo is uploaded as that step's, through the queue.
                        let taken = after
                            .history
                            .iter()
                            .rev()
                            .find(|h| h.action == step.as_str() && h.actor_id == Some(me_id))
                            .and_then(|h| h.id);
                        if let (Some(jpeg), Some(taken)) = (proof, taken) {
                            match queue::enqueue_step_photo(incident_id, taken, jpeg.to_vec()).await
                            {
                                Ok(_) => {
                                    step_photo.set(None);
                                    session.sync_now.emit(());
                                    reload.set(*reload + 1);
                                }
                                Err(e) => error.set(Some(e)),
                            }
                        }
                        answer.set(Some(after));
                    }
                    Some(Err(ApiError::Offline)) | None => {
                        let op = Operation::IncidentAction(OnIncident {
                            incident_id,
                            body: request,
                        });
                        let with_photo = proof.is_some();
                        match queue::enqueue_step(op, proof.map(|p| p.to_vec())).await {
                            Ok(()) => {
                                if with_photo {
                                    step_photo.set(None);
                                }
                                clear();
                                notice.set(Some(t(IncidentText::Queued).to_string()));
                                reload.set(*reload + 1);
                                session.sync_now.emit(());
                            }
                            Err(e) => error.set(Some(e)),
                        }
                    }
                    Some(Err(e)) => error.set(Some(problem_text(&e))),
                }
            });
        })
    };
    let request = |step: Action| ActionRequest {
        action: step,
        version: i.version,
        note: Some(note.trim().to_string()).filter(|n| !n.is_empty()),
        assignee_id: None,
        department_id: None,
        into: None,
    };

    // The dispatch picker: the workers who may take the case, found by name; the one chosen
    // stays listed whatever the search, so the picker always shows what is sent.
    let assignee_id = Uuid::parse_str(&assignee)
        .ok()
        .filter(|a| candidates.iter().any(|u| u.id == *a));
    let worker_options: Vec<(AttrValue, AttrValue)> = candidates
        .iter()
        .filter(|u| name_matches(u, &search) || Some(u.id) == assignee_id)
        .map(|u| {
            let twin = candidates
                .iter()
                .any(|o| o.id != u.id && o.display_name == u.display_name);
            let label = match twin {
                true => format!("{} · {}", u.display_name, u.username),
                false => u.display_name.clone(),
            };
            (u.id.to_string().into(), label.into())
        })
        .collect();
    let into_id = Uuid::parse_str(&into)
        .ok()
        .filter(|c| choices.iter().any(|o| o.id == *c));
    let merge_options: Vec<(AttrValue, AttrValue)> = choices
        .iter()
        .map(|c| {
            let mut label = format!("{} · {}", c.title, day(&c.created_at));
            if let Some(m) = c.distance_m {
                label.push_str(&format!(" · {m:.0} {}", t(IncidentText::MetresAway)));
            }
            (c.id.to_string().into(), label.into())
        })
        .collect();

    let step_button = |s: Action| {
        let onclick = match s {
            Action::Dispatch => {
                let (dispatching, merging) = (dispatching.clone(), merging.clone());
                Callback::from(move |_: MouseEvent| {
                    dispatching.set(!*dispatching);
                    merging.set(false);
                })
            }
            Action::Merge => {
                let (dispatching, merging) = (dispatching.clone(), merging.clone());
                Callback::from(move |_: MouseEvent| {
                    merging.set(!*merging);
                    dispatching.set(false);
                })
            }
            _ => take.reform({
                let r = request(s);
                move |_: MouseEvent| r.clone()
            }),
        };
        html! { <button class="big" data-action={s.as_str()} {onclick}>{ t(action(s)) }</button> }
    };
    let dispatch_picker = match *dispatching && steps.contains(&Action::Dispatch) {
        false => html! {},
        true => {
            let mut dispatch = request(Action::Dispatch);
            match *to_department {
                true => dispatch.department_id = Uuid::parse_str(&department).ok(),
                false => dispatch.assignee_id = assignee_id,
            }
            let ready = dispatch.assignee_id.is_some() || dispatch.department_id.is_some();
            let send = take.reform(move |_: MouseEvent| dispatch.clone());
            let close = {
                let dispatching = dispatching.clone();
                Callback::from(move |_| dispatching.set(false))
            };
            html! {
                <section class="panel" data-testid="dispatch-picker">
                    <h3>{ t(IncidentText::DispatchTo) }</h3>
                    { dispatch_target(&departments, &to_department, &department) }
                    { if *to_department { html! {} } else { html! { <>
                    <label>{ t(IncidentText::FindWorker) }
                        <input type="search" name="worker-search" placeholder={t(IncidentText::FindExample)}
                            value={(*search).clone()} oninput={on_input(&search)} />
                    </label>
                    { if candidates.is_empty() { html! { <p class="notice">{ t(IncidentText::NoWorkers) }</p> } } else { html!{} } }
                    <label>{ t(IncidentText::DispatchTo) }
                        <Choice name="assignee" empty={t(ScreenText::Choose)} options={worker_options}
                        value={assignee_id.map(|a| a.to_string()).unwrap_or_default()}
                        onchange={{ let a = assignee.clone(); Callback::from(move |v| a.set(v)) }} /></label>
                    </> } } }
                    <button class="primary" data-testid="dispatch-send" disabled={!ready} onclick={send}>
                        { t(IncidentText::SendDispatch) }
                    </button>
                    <button class="link" onclick={close}>{ t(IncidentText::Cancel) }</button>
                </section>
            }
        }
    };
    let merge_picker = match *merging && steps.contains(&Action::Merge) {
        false => html! {},
        true => {
            let send = {
                let mut r = request(Action::Merge);
                r.into = into_id;
                take.reform(move |_: MouseEvent| r.clone())
            };
            let close = {
                let merging = merging.clone();
                Callback::from(move |_| merging.set(false))
            };
            html! {
                <section class="panel" data-testid="merge-picker">
                    <label>{ t(ScreenText::MergeInto) }
                        <Choice name="into" empty={t(ScreenText::Choose)} options={merge_options}
                        value={into_id.map(|c| c.to_string()).unwrap_or_default()}
                        onchange={{ let c = into.clone(); Callback::from(move |v| c.set(v)) }} /></label>
                    <button class="primary" data-testid="merge-send" disabled={into_id.is_none()} onclick={send}>
                        { t(IncidentText::SendMerge) }
                    </button>
                    <button class="link" onclick={close}>{ t(IncidentText::Cancel) }</button>
                </section>
            }
        }
    };
    // Steps that are not dispatch or merge carry the note.
    let plain_steps = steps
        .iter()
        .any(|s| !matches!(s, Action::Dispatch | Action::Merge));
    let steps_html = match steps.is_empty() {
        true => html! {},
        false => html! {
            <div class="actions" data-testid="steps">
                { if plain_steps || steps.contains(&Action::Dispatch) { html! {
                    <label>{ t(ScreenText::Note) }
                        <input name="note" placeholder={t(IncidentText::CommentExample)} value={(*note).clone()} oninput={on_input(&note)} />
                    </label>
                } } else { html!{} } }
                { if plain_steps { html! {
                    <PhotoField photo={step_photo.clone()} error={error.clone()} name="step-photo"
                        label={AttrValue::from(t(IncidentText::StepPhoto))} />
                } } else { html!{} } }
                { for steps.iter().map(|s| step_button(*s)) }
                { dispatch_picker }
                { merge_picker }
            </div>
        },
    };

    // Facts.
    let category = categories
        .iter()
        .flatten()
        .find(|c| c.code == i.category)
        .map(|c| match english() {
            true => c.name_en.clone(),
            false => c.name.clone(),
        });
    let cell_name = cell
        .as_ref()
        .map(|c| c.properties.name.clone())
        .or_else(|| (*fetched_name).clone().flatten());
    let reporter = match i.reporter_id == me.id || office {
        true => name_of(i.reporter_id, &me, &users),
        false => None,
    }
    .unwrap_or_else(|| t(IncidentText::NotShown).to_string());
    let assigned = match i.assignee_id {
        None => t(IncidentText::NotAssigned).to_string(),
        Some(a) => name_of(a, &me, &[])
            .or_else(|| i.assignee_name.clone())
            .or_else(|| name_of(a, &me, &users))
            .unwrap_or_else(|| t(IncidentText::AssignedElse).to_string()),
    };
    let due = match i.status.is_unresolved() {
        true => deadline(&i.due_at),
        false => at(&i.due_at),
    };
    let facts = html! {
        <dl data-testid="facts">
            <dt>{ t(ScreenText::Status) }</dt><dd data-testid="status">{ t(status(i.status)) }</dd>
            <dt>{ t(ScreenText::Category) }</dt>
            <dd data-testid="category">{ category.map(|n| format!("{n} · {}", i.category)).unwrap_or_else(|| i.category.clone()) }</dd>
            <dt>{ t(ScreenText::Severity) }</dt><dd data-testid="severity">{ t(severity(i.severity)) }</dd>
            <dt>{ t(ScreenText::Level) }</dt><dd>{ t(level(i.level)) }</dd>
            <dt>{ t(IncidentText::Reporter) }</dt><dd data-testid="reporter">{ reporter }</dd>
            <dt>{ t(IncidentText::ReportedAt) }</dt><dd data-testid="age">{ at(&i.created_at) }{ " · " }{ ago(&i.created_at) }</dd>
            <dt>{ t(IncidentText::Assignee) }</dt><dd data-testid="assignee">{ assigned }</dd>
            { for i.department_id.map(|dep| html! { <>
                <dt>{ t(DispatchText::Department) }</dt><dd data-testid="department">{ department_name(&departments, dep) }</dd>
            </> }) }
            <dt>{ t(ScreenText::Cell) }</dt>
            <dd data-testid="cell">{ cell_name.map(|n| format!("{n} · {}", i.cell_code)).unwrap_or_else(|| i.cell_code.clone()) }</dd>
            <dt>{ t(IncidentText::Place) }</dt><dd data-testid="place">{ format!("{:.6}, {:.6}", i.location.lon, i.location.lat) }</dd>
            <dt>{ t(Text::Due) }</dt><dd data-testid="due">{ due }</dd>
            { for i.merged_into.map(|o| html! { <>
                <dt>{ t(ScreenText::MergeInto) }</dt>
                <dd><Link<Route> to={Route::Incident { id: o.to_string() }}>{ o.to_string() }</Link<Route>></dd>
            </> }) }
        </dl>
    };

    // Photos: thumbnails (tap for the full photo) and one more, kept on the phone until it
    // uploads.
    let in_history = |p: &gridwork_shared::incident::PhotoRef| {
        p.step_id
            .is_some_and(|s| d.history.iter().any(|h| h.id == Some(s)))
    };
    let own_photos: Vec<_> = i
        .photos
        .iter()
        .filter(|p| !in_history(p))
        .cloned()
        .collect();
    let photos = {
        let keep = {
            let (photo, error, notice, session) = (
                photo.clone(),
                error.clone(),
                notice.clone(),
                session.clone(),
            );
            let id = i.id.to_string();
            Callback::from(move |_| {
                let Some(jpeg) = (*photo).clone() else {
                    return;
                };
                let (photo, error, notice, session, id) = (
                    photo.clone(),
                    error.clone(),
                    notice.clone(),
                    session.clone(),
                    id.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    match queue::enqueue_photo(PhotoOwner::Incident, &id, jpeg.to_vec()).await {
                        Ok(_) => {
                            photo.set(None);
                            notice.set(Some(t(IncidentText::PhotoQueued).to_string()));
                            session.sync_now.emit(());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        };
        html! {
            <section data-testid="photos">
                <h2>{ t(IncidentText::Photos) }</h2>
                { match own_photos.is_empty() {
                    true => html! { <p class="empty">{ t(IncidentText::NoPhotos) }</p> },
                    false => html! {
                        <Photos photos={own_photos} />
                    },
                } }
                <fieldset>
                    <legend>{ t(IncidentText::AddPhoto) }</legend>
                    <PhotoField photo={photo.clone()} error={error.clone()} />
                    <button class="big" data-testid="photo-send" disabled={photo.is_none()} onclick={keep}>{ t(IncidentText::SendPhoto) }</button>
                </fieldset>
            </section>
        }
    };
    // Mediation sessions of a dispute, and the form for those who handle it.
    let handling = handles(&i, &me);
    let mediations = match is_dispute(&i.category) || !d.mediations.is_empty() {
        false => html! {},
        true => {
            let recorded = {
                let reload = reload.clone();
                Callback::from(move |_| reload.set(*reload + 1))
            };
            html! {
                <section data-testid="mediations">
                    <h2>{ t(IncidentText::Mediations) }</h2>
                    { match d.mediations.is_empty() {
                        true => html! { <p class="empty">{ t(IncidentText::NoMediations) }</p> },
                        false => html! { <ol class="list">{ for d.mediations.iter().map(mediation_item) }</ol> },
                    } }
                    { if !handling && !d.mediations.is_empty() { html! { <p class="notice">{ t(IncidentText::MaskedParties) }</p> } } else { html!{} } }
                    { if handling && online { html! {
                        <MediationForm incident_id={i.id} mediator={me.display_name.clone()} onrecorded={recorded} />
                    } } else { html!{} } }
                </section>
            }
        }
    };

    let duplicates = match d.possible_duplicates.is_empty() {
        true => html! {},
        false => html! {
            <section data-testid="duplicates">
                <h2>{ t(IncidentText::Duplicates) }</h2>
                <ul class="list">
                    { for d.possible_duplicates.iter().map(|o| html! {
                        <li class="item">
                            <Link<Route> to={Route::Incident { id: o.id.to_string() }}>
                                <strong>{ &o.title }</strong>
                                <span class="chip">{ t(status(o.status)) }</span>
                                <small>{ format!("{:.0} {} · {}", o.distance_m, t(IncidentText::MetresAway), day(&o.created_at)) }</small>
                            </Link<Route>>
                        </li>
                    }) }
                </ul>
            </section>
        },
    };

    let history_line = |h: &HistoryEntry| {
        let who = h.actor_id.and_then(|a| name_of(a, &me, &users));
        let to_whom = h
            .data
            .as_ref()
            .and_then(|x| x.get("assignee_id"))
            .and_then(|v| v.as_str())
            .and_then(|a| Uuid::parse_str(a).ok())
            .and_then(|a| name_of(a, &me, &users));
        let proof: Vec<_> = i
            .photos
            .iter()
            .filter(|p| p.step_id.is_some() && p.step_id == h.id)
            .cloned()
            .collect();
        html! {
            <li class={classes!(h.conflict.then_some("late"))} data-step={h.id.map(|s| s.to_string())}>
                { at(&h.at) }
                { who.map(|w| format!(" {w}")).unwrap_or_default() }
                { format!(" {} ", word(&h.action)) }
                { h.to.as_deref().map(word).unwrap_or_default() }
                { to_whom.map(|n| format!(" → {n}")).unwrap_or_default() }
                { h.note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default() }
                { if proof.is_empty() { html!{} } else { html! { <Photos photos={proof} /> } } }
            </li>
        }
    };
    let comment_form = {
        let send = {
            let mut r = request(Action::Comment);
            r.note = Some(comment.trim().to_string());
            take.reform(move |_: MouseEvent| r.clone())
        };
        html! {
            <section class="comment" data-testid="comment">
                <label>{ t(IncidentText::Comment) }
                    <textarea name="comment" placeholder={t(IncidentText::CommentExample)} value={(*comment).clone()} oninput={on_input(&comment)} />
                </label>
                <button class="primary" data-testid="comment-send" disabled={comment.trim().is_empty()} onclick={send}>
                    { t(IncidentText::SendComment) }
                </button>
            </section>
        }
    };

    html! {
        <Page testid="incident">
            <article class="card">
                <h1>{ &i.title }</h1>
                <p>{ &i.description }</p>
                { facts }
                <PlaceMap lon={i.location.lon} lat={i.location.lat} cell={cell.clone()} />
                { if i.conflict { html!{ <p class="notice">{ t(Text::Conflict) }</p> } } else { html!{} } }
                { for notice.iter().map(|n| html!{ <p class="notice" data-testid="notice">{ n }</p> }) }
                { steps_html }
                { alert(&error) }
                { duplicates }
                { photos }
                { mediations }
                <h2>{ t(ScreenText::History) }</h2>
                { if online { html!{} } else { html!{ <p class="notice">{ t(IncidentText::OfflineHistory) }</p> } } }
                <ol class="history" data-testid="history">
                    { for d.history.iter().map(history_line) }
                </ol>
                { if waiting.is_empty() { html!{} } else { html! {
                    <>
                    <h3>{ t(IncidentText::Waiting) }</h3>
                    <ol class="history pending" data-testid="queued">
                        { for waiting.iter().map(|s| html! {
                            <li>{ t(action(s.action)) }{ s.note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default() }</li>
                        }) }
                    </ol>
                    </>
                } } }
                { comment_form }
                { crate::pages::hall::to_hall_button(i.id, me.role) }
                <Back />
            </article>
        </Page>
    }
}

fn mediation_item(m: &Mediation) -> Html {
    let parties = m
        .parties
        .iter()
        .map(|p| {
            let mut s = p.name.clone();
            if let Some(r) = p.role.as_deref().filter(|r| !r.is_empty()) {
                s.push_str(&format!("（{r}）"));
            }
            if let Some(phone) = p.phone.as_deref().filter(|r| !r.is_empty()) {
                s.push_str(&format!(" {phone}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("、");
    let agreement = match m.agreement_reached {
        true => IncidentText::AgreementYes,
        false => IncidentText::AgreementNo,
    };
    html! {
        <li class="item mediation" data-testid="mediation">
            <strong>{ at(&m.held_at) }</strong>
            <span class={classes!("chip", (!m.agreement_reached).then_some("late"))}>{ t(agreement) }</span>
            <span>{ format!("{}: {}", t(IncidentText::Mediator), m.mediator) }</span>
            <span data-testid="parties">{ format!("{}: {parties}", t(IncidentText::Parties)) }</span>
            <span>{ &m.outcome }</span>
            { for m.note.iter().map(|n| html!{ <small>{ n }</small> }) }
        </li>
    }
}

/// The element of the incident's small map.
const PLACE_MAP: &str = "incident-map";

#[derive(Properties, PartialEq)]
struct PlaceMapProps {
    lon: f64,
    lat: f64,
    /// The incident's cell, when the phone holds it.
    cell: Option<Cell>,
}

/// The place on a small map (the report's picker, drawn from the phone's copy of the cell,
/// with taps turned off: it only shows). With no map script the coordinates above stand.
#[component]
fn PlaceMap(props: &PlaceMapProps) -> Html {
    {
        let (lon, lat, cell) = (props.lon, props.lat, props.cell.clone());
        let code = cell.as_ref().map(|c| c.properties.code.clone());
        use_effect_with((lon.to_bits(), lat.to_bits(), code), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if map::leaflet().await.is_err() {
                    return;
                }
                let cells = FeatureCollection::new(cell.into_iter().collect());
                let drawn = map::call_map_script(
                    "gridworkPick",
                    &[
                        PLACE_MAP.into(),
                        map::json(&cells).into(),
                        map::tiles().into(),
                        lon.into(),
                        lat.into(),
                    ],
                );
                if drawn.is_ok() {
                    read_only(PLACE_MAP);
                }
            });
        });
    }
    html! { <div id={PLACE_MAP} class="map place" data-testid="incident-map"></div> }
}

/// Turns the taps of the map drawn in element `id` off: a map that shows a place.
fn read_only(id: &str) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    let Ok(leaflet) = js_sys::Reflect::get(&el, &"_gridworkMap".into()) else {
        return;
    };
    if let Some(off) = js_sys::Reflect::get(&leaflet, &"off".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = off.call1(&leaflet, &"click".into());
    }
}

/// One party as the form holds it.
#[derive(Debug, Clone, Default, PartialEq)]
struct PartyRow {
    name: String,
    role: String,
    phone: String,
}

#[derive(Properties, PartialEq)]
struct MediationFormProps {
    incident_id: Uuid,
    /// Who mediates, to start with (the caller).
    mediator: String,
    onrecorded: Callback<()>,
}

/// Records a mediation session of a dispute (those who handle it, online).
#[component]
fn MediationForm(props: &MediationFormProps) -> Html {
    let held_at = use_state(|| local_input(&Utc::now()));
    let mediator = use_state(|| props.mediator.clone());
    let parties = use_state(|| vec![PartyRow::default()]);
    let outcome = use_state(String::new);
    let agreement = use_state(String::new);
    let note = use_state(String::new);
    let error = use_state(|| None::<String>);
    let party_input = |n: usize, field: fn(&mut PartyRow) -> &mut String| {
        let parties = parties.clone();
        Callback::from(move |e: InputEvent| {
            let mut all = (*parties).clone();
            if let Some(p) = all.get_mut(n) {
                *field(p) = input_value(&e);
            }
            parties.set(all);
        })
    };
    let add = {
        let parties = parties.clone();
        Callback::from(move |_| {
            let mut all = (*parties).clone();
            all.push(PartyRow::default());
            parties.set(all);
        })
    };
    let remove = |n: usize| {
        let parties = parties.clone();
        Callback::from(move |_| {
            let mut all = (*parties).clone();
            if all.len() > 1 {
                all.remove(n);
            }
            parties.set(all);
        })
    };
    let submit = {
        let (held_at, mediator, parties, outcome, agreement, note, error) = (
            held_at.clone(),
            mediator.clone(),
            parties.clone(),
            outcome.clone(),
            agreement.clone(),
            note.clone(),
            error.clone(),
        );
        let (incident_id, onrecorded) = (props.incident_id, props.onrecorded.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(held) = parse_local_time(&held_at) else {
                error.set(Some(t(IncidentText::BadTime).to_string()));
                return;
            };
            let agreement_reached = match agreement.as_str() {
                "yes" => true,
                "no" => false,
                _ => {
                    error.set(Some(t(IncidentText::ChooseAgreement).to_string()));
                    return;
                }
            };
            let filled = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            let new = NewMediation {
                id: Uuid::new_v4(),
                held_at: held,
                mediator: mediator.trim().to_string(),
                parties: parties
                    .iter()
                    .map(|p| Party {
                        name: p.name.trim().to_string(),
                        role: filled(&p.role),
                        phone: filled(&p.phone),
                    })
                    .collect(),
                outcome: outcome.trim().to_string(),
                agreement_reached,
                note: filled(&note),
            };
            if let Err(e) = new.validate(Utc::now()) {
                error.set(Some(field_errors(&e)));
                return;
            }
            error.set(None);
            let (parties, outcome, agreement, note, error, onrecorded) = (
                parties.clone(),
                outcome.clone(),
                agreement.clone(),
                note.clone(),
                error.clone(),
                onrecorded.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/incidents/{incident_id}/mediations");
                match api::post::<_, Mediation>(&path, &new).await {
                    Ok(_) => {
                        parties.set(vec![PartyRow::default()]);
                        outcome.set(String::new());
                        agreement.set(String::new());
                        note.set(String::new());
                        onrecorded.emit(());
                    }
                    Err(e) => error.set(Some(problem_text(&e))),
                }
            });
        })
    };
    let agreements: Vec<(AttrValue, AttrValue)> = vec![
        ("yes".into(), t(IncidentText::AgreementYes).into()),
        ("no".into(), t(IncidentText::AgreementNo).into()),
    ];
    html! {
        <form class="panel" data-testid="mediation-form" onsubmit={submit}>
            <h3>{ t(IncidentText::NewMediation) }</h3>
            <label>{ t(IncidentText::HeldAt) }
                <input type="datetime-local" name="held_at" value={(*held_at).clone()} oninput={on_input(&held_at)} />
            </label>
            <label>{ t(IncidentText::Mediator) }
                <input name="mediator" value={(*mediator).clone()} oninput={on_input(&mediator)} />
            </label>
            <fieldset>
                <legend>{ t(IncidentText::Parties) }</legend>
                { for parties.iter().enumerate().map(|(n, p)| html! {
                    <div class="party">
                        <label>{ t(IncidentText::PartyName) }
                            <input name={format!("party-name-{n}")} value={p.name.clone()} oninput={party_input(n, |p| &mut p.name)} />
                        </label>
                        <label>{ t(IncidentText::PartyRole) }
                            <input name={format!("party-role-{n}")} value={p.role.clone()} oninput={party_input(n, |p| &mut p.role)} />
                        </label>
                        <label>{ t(IncidentText::PartyPhone) }
                            <input type="tel" name={format!("party-phone-{n}")} value={p.phone.clone()} oninput={party_input(n, |p| &mut p.phone)} />
                        </label>
                        { if parties.len() > 1 { html! {
                            <button type="button" class="link" onclick={remove(n)}>{ t(IncidentText::RemoveParty) }</button>
                        } } else { html!{} } }
                    </div>
                }) }
                <button type="button" class="big" data-testid="add-party" onclick={add}>{ t(IncidentText::AddParty) }</button>
            </fieldset>
            <label>{ t(IncidentText::MediationOutcome) }
                <textarea name="outcome" value={(*outcome).clone()} oninput={on_input(&outcome)} />
            </label>
            <label>{ t(IncidentText::Agreement) }
                        <Choice name="agreement" empty={t(ScreenText::Choose)} options={agreements}
                value={(*agreement).clone()} onchange={{ let a = agreement.clone(); Callback::from(move |v| a.set(v)) }} /></label>
            <label>{ t(ScreenText::Note) }
                <input name="mediation-note" value={(*note).clone()} oninput={on_input(&note)} />
            </label>
            { alert(&error) }
            <button class="primary" type="submit" data-testid="mediation-send">{ t(IncidentText::RecordMediation) }</button>
        </form>
    }
}
