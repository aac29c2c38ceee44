//! One incident: its facts, history, and the steps the caller can take — worked out on the
//! phone by the shared state machine from the incident as last read (the server's answer
//! when online, the phone's copy otherwise), so they are there with no signal. The step
//! itself goes through the queue.

use gridwork_shared::incident::Action;
use serde_json::{Value, json};
use yew::prelude::*;

use crate::app::Route;
use crate::components::form::{alert, on_input, on_select};
use crate::components::page::{Back, Page, Waiting};
use crate::hooks::{use_field_form, use_loaded, use_local, use_session, use_users};
use crate::i18n::{Text, action, t, word};
use crate::logic::{incident_steps, merge_candidates};
use crate::services::{api, queue};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

#[component]
pub fn IncidentPage(props: &Props) -> Html {
    let session = use_session();
    // Incidents on the device: this one with no signal, and the duplicate candidates of a merge.
    let known = use_local(|| queue::records("incident"));
    let fresh = use_loaded(
        (props.id.clone(), session.generation),
        |(id, _)| async move {
            api::get::<Value>(&format!("/api/v1/incidents/{id}"))
                .await
                .ok()
        },
    );
    let assignee = use_state(String::new);
    let note = use_state(String::new);
    let into = use_state(String::new);
    let form = use_field_form();
    let known: &[Value] = known.as_deref().unwrap_or_default();
    let detail = (*fresh)
        .clone()
        .flatten()
        .or_else(|| known.iter().find(|i| i["id"] == props.id.as_str()).cloned())
        .filter(|d| d["id"] == props.id.as_str());
    let candidates: Vec<Value> = detail
        .as_ref()
        .map(|d| merge_candidates(d, known).into_iter().cloned().collect())
        .unwrap_or_default();
    // The rules allow a dispatch: the workers to choose from.
    let may_dispatch = match (&detail, &session.me) {
        (Some(d), Some(me)) => incident_steps(d, me, false, true).contains(&Action::Dispatch),
        _ => false,
    };
    let users = use_users(may_dispatch, session.generation);
    let workers: Vec<&Value> = users
        .iter()
        .filter(|u| u["role"] == "worker" && u["active"] == true)
        .collect();
    let (Some(d), Some(me)) = (detail, session.me.as_ref()) else {
        return html! { <Waiting /> };
    };
    let steps = incident_steps(&d, me, !candidates.is_empty(), !workers.is_empty());
    let chosen = |state: &UseStateHandle<String>, first: Option<&Value>| match (**state).clone() {
        picked if !picked.is_empty() => picked,
        _ => first
            .and_then(|v| v["id"].as_str())
            .unwrap_or_default()
            .to_string(),
    };
    let assignee_id = chosen(&assignee, workers.first().copied());
    let into_id = chosen(&into, candidates.first());
    let act = |step: Action| {
        let (d, note, form) = (d.clone(), note.clone(), form.clone());
        let (assignee_id, into_id) = (assignee_id.clone(), into_id.clone());
        Callback::from(move |_| {
            let mut body =
                json!({"incident_id": d["id"], "action": step.as_str(), "version": d["version"]});
            if !note.is_empty() {
                body["note"] = json!(*note);
            }
            if step == Action::Dispatch {
                body["assignee_id"] = json!(assignee_id);
            }
            if step == Action::Merge {
                body["into"] = json!(into_id);
            }
            form.send("incident.action", body, None, Route::Home);
        })
    };
    let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
    html! {
        <Page>
            <article class="card">
                <h1>{ text("title") }</h1>
                <p>{ text("description") }</p>
                <dl>
                    <dt>{ t(Text::Status) }</dt><dd data-testid="status">{ word(&text("status")) }</dd>
                    <dt>{ t(Text::Level) }</dt><dd>{ word(&text("level")) }</dd>
                    <dt>{ t(Text::Cell) }</dt><dd>{ text("cell_code") }</dd>
                    <dt>{ t(Text::Due) }</dt><dd>{ text("due_at") }</dd>
                </dl>
                { if d["conflict"] == true { html!{ <p class="notice">{ t(Text::Conflict) }</p> } } else { html!{} } }
                { if steps.is_empty() { html!{} } else { html! {
                    <div class="actions" data-testid="steps">
                        <input name="note" placeholder={t(Text::Note)} value={(*note).clone()} oninput={on_input(&note)} />
                        { if steps.contains(&Action::Dispatch) { html! {
                            <select name="assignee" onchange={on_select(&assignee)}>
                                { for workers.iter().map(|w| html!{ <option value={w["id"].as_str().unwrap_or_default().to_string()}>{ w["display_name"].as_str().unwrap_or_default() }</option> }) }
                            </select>
                        } } else { html!{} } }
                        { if steps.contains(&Action::Merge) { html! {
                            <label>{ t(Text::MergeInto) }
                                <select name="into" onchange={on_select(&into)}>
                                    { for candidates.iter().map(|c| html!{ <option value={c["id"].as_str().unwrap_or_default().to_string()}>{ format!("{} · {}", c["title"].as_str().unwrap_or_default(), c["created_at"].as_str().unwrap_or_default().get(..10).unwrap_or_default()) }</option> }) }
                                </select>
                            </label>
                        } } else { html!{} } }
                        { for steps.iter().map(|s| html!{ <button class="big" data-action={s.as_str()} onclick={act(*s)}>{ t(action(*s)) }</button> }) }
                        { alert(&form.error) }
                    </div>
                } } }
                <h2>{ t(Text::History) }</h2>
                <ol class="history">
                    { for d["history"].as_array().cloned().unwrap_or_default().iter().map(|h| html! {
                        <li class={classes!((h["conflict"] == true).then_some("late"))}>
                            <time>{ h["at"].as_str().unwrap_or_default().get(..16).unwrap_or_default().replace('T', " ") }</time>
                            { format!(" {} ", word(h["action"].as_str().unwrap_or_default())) }
                            { h["to"].as_str().map(word).unwrap_or_default() }
                            { h["note"].as_str().map(|n| format!(" — {n}")).unwrap_or_default() }
                        </li>
                    }) }
                </ol>
                <Back />
            </article>
        </Page>
    }
}
