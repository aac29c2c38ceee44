//! One incident: its facts, history, and the steps the caller can take (from the server
//! when online; the step itself goes through the queue).

use serde_json::{Value, json};
use yew::prelude::*;
use yew_router::prelude::*;

use super::{input_value, select_value};
use crate::app::{Route, SessionCtx};
use crate::i18n::{t, word};
use crate::logic::merge_candidates;
use crate::pages::header::Header;
use crate::services::{api, queue};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
}

#[component]
pub fn IncidentPage(props: &Props) -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let navigator = use_navigator().expect("router");
    let detail = use_state(|| None::<Value>);
    let workers = use_state(Vec::<Value>::new);
    let assignee = use_state(String::new);
    let note = use_state(String::new);
    // Incidents on the device, for the duplicate candidates of a merge.
    let known = use_state(Vec::<Value>::new);
    let into = use_state(String::new);
    {
        let (detail, workers, assignee, id, known) = (
            detail.clone(),
            workers.clone(),
            assignee.clone(),
            props.id.clone(),
            known.clone(),
        );
        use_effect_with((props.id.clone(), session.generation), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let all = queue::records("incident").await;
                let local = all.iter().find(|i| i["id"] == id.as_str()).cloned();
                known.set(all);
                if local.is_some() {
                    detail.set(local);
                }
                if let Ok(fresh) = api::get::<Value>(&format!("/api/v1/incidents/{id}")).await {
                    let can_dispatch = fresh["available_actions"]
                        .as_array()
                        .is_some_and(|a| a.contains(&json!("dispatch")));
                    detail.set(Some(fresh));
                    if can_dispatch
                        && let Ok(page) = api::get::<Value>("/api/v1/users?limit=500").await
                    {
                        let list: Vec<Value> = page["items"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|u| u["role"] == "worker" && u["active"] == true)
                            .collect();
                        if let Some(first) = list.first() {
                            assignee.set(first["id"].as_str().unwrap_or_default().to_string());
                        }
                        workers.set(list);
                    }
                }
            });
        });
    }
    let Some(d) = (*detail).clone() else {
        return html! { <><Header /><main class="page"><p>{ "…" }</p></main></> };
    };
    let candidates: Vec<Value> = merge_candidates(&d, &known).into_iter().cloned().collect();
    let act = |action: &'static str| {
        let (d, session, navigator, note, assignee) = (
            d.clone(),
            session.clone(),
            navigator.clone(),
            note.clone(),
            assignee.clone(),
        );
        let into = match (*into).clone() {
            chosen if !chosen.is_empty() => chosen,
            _ => candidates
                .first()
                .and_then(|c| c["id"].as_str())
                .unwrap_or_default()
                .to_string(),
        };
        Callback::from(move |_| {
            let mut body =
                json!({"incident_id": d["id"], "action": action, "version": d["version"]});
            if !note.is_empty() {
                body["note"] = json!(*note);
            }
            if action == "dispatch" {
                body["assignee_id"] = json!(*assignee);
            }
            if action == "merge" {
                body["into"] = json!(into);
            }
            let (session, navigator) = (session.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = queue::enqueue("incident.action", body).await;
                session.sync_now.emit(());
                navigator.push(&Route::Home);
            });
        })
    };
    let actions: Vec<&'static str> = d["available_actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .filter_map(|s| {
                    [
                        "accept",
                        "reject",
                        "dispatch",
                        "start",
                        "resolve",
                        "verify",
                        "rework",
                        "escalate",
                        "self_close",
                        "merge",
                        "clear_conflict",
                    ]
                    .into_iter()
                    .find(|k| *k == s)
                })
                // A merge needs an original to merge into.
                .filter(|a| *a != "merge" || !candidates.is_empty())
                .collect()
        })
        .unwrap_or_default();
    html! {
        <>
        <Header />
        <main class="page">
            <article class="card">
                <h1>{ d["title"].as_str().unwrap_or_default() }</h1>
                <p>{ d["description"].as_str().unwrap_or_default() }</p>
                <dl>
                    <dt>{ t("status") }</dt><dd data-testid="status">{ word(d["status"].as_str().unwrap_or_default()) }</dd>
                    <dt>{ t("level") }</dt><dd>{ word(d["level"].as_str().unwrap_or_default()) }</dd>
                    <dt>{ t("cell") }</dt><dd>{ d["cell_code"].as_str().unwrap_or_default() }</dd>
                    <dt>{ t("due") }</dt><dd>{ d["due_at"].as_str().unwrap_or_default() }</dd>
                </dl>
                { if d["conflict"] == true { html!{ <p class="notice">{ t("conflict") }</p> } } else { html!{} } }
                { if actions.is_empty() { html!{} } else { html! {
                    <div class="actions">
                        <input name="note" placeholder={t("note")} value={(*note).clone()}
                            oninput={let n = note.clone(); move |e: InputEvent| n.set(input_value(&e))} />
                        { if actions.contains(&"dispatch") { html! {
                            <select name="assignee" onchange={let a = assignee.clone(); move |e: Event| a.set(select_value(&e))}>
                                { for workers.iter().map(|w| html!{ <option value={w["id"].as_str().unwrap_or_default().to_string()}>{ w["display_name"].as_str().unwrap_or_default() }</option> }) }
                            </select>
                        } } else { html!{} } }
                        { if actions.contains(&"merge") { html! {
                            <label>{ t("merge_into") }
                                <select name="into" onchange={let i = into.clone(); move |e: Event| i.set(select_value(&e))}>
                                    { for candidates.iter().map(|c| html!{ <option value={c["id"].as_str().unwrap_or_default().to_string()}>{ format!("{} · {}", c["title"].as_str().unwrap_or_default(), c["created_at"].as_str().unwrap_or_default().get(..10).unwrap_or_default()) }</option> }) }
                                </select>
                            </label>
                        } } else { html!{} } }
                        { for actions.iter().map(|a| html!{ <button class="big" data-action={*a} onclick={act(a)}>{ word(a) }</button> }) }
                    </div>
                } } }
                <h2>{ t("history") }</h2>
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
                <Link<Route> to={Route::Home}>{ t("back") }</Link<Route>>
            </article>
        </main>
        </>
    }
}
