//! Which workers look after a cell: the admin screen's form (cell typed in) and the map's
//! (cell picked by a tap). Shows the cell's current workers and saves the new set.

use serde_json::{Value, json};
use yew::prelude::*;

use super::{Superseded, input_value};
use crate::i18n::t;
use crate::services::api::{self, ApiError};

/// A problem as lines: one per field error, or its message.
pub fn problem_lines(e: &ApiError) -> Vec<String> {
    match e {
        ApiError::Problem(p) if !p.errors.is_empty() => p
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect(),
        other => vec![other.message()],
    }
}

pub fn lines(v: &[String]) -> Html {
    html! { <ul class="messages">{ for v.iter().map(|l| html!{ <li>{ l }</li> }) }</ul> }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The cell to start with (empty: typed in).
    #[prop_or_default]
    pub cell: AttrValue,
}

#[component]
pub fn Assign(props: &Props) -> Html {
    let workers = use_state(Vec::<Value>::new);
    let cell = use_state(|| props.cell.to_string());
    let chosen = use_state(Vec::<String>::new);
    let message = use_state(Vec::<String>::new);
    {
        let workers = workers.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(page) = api::get::<Value>("/api/v1/users?limit=500").await {
                    let list = page["items"].as_array().cloned().unwrap_or_default();
                    workers.set(list.into_iter().filter(|u| u["role"] == "worker").collect());
                }
            });
        });
    }
    // A cell picked on the map: show who looks after it now.
    {
        let (cell, chosen, message) = (cell.clone(), chosen.clone(), message.clone());
        use_effect_with(props.cell.clone(), move |picked| {
            let (superseded, cleanup) = Superseded::new();
            if !picked.is_empty() {
                cell.set(picked.to_string());
                message.set(Vec::new());
                let path = format!("/api/v1/cells/{picked}/workers");
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(r) = api::get::<Value>(&path).await
                        && !superseded.get()
                    {
                        let ids = r["workers"]
                            .as_array()
                            .map(|w| {
                                w.iter()
                                    .filter_map(|u| u["id"].as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default();
                        chosen.set(ids);
                    }
                });
            }
            cleanup
        });
    }
    let toggle = |id: String| {
        let chosen = chosen.clone();
        Callback::from(move |_| {
            let mut c = (*chosen).clone();
            if let Some(i) = c.iter().position(|x| *x == id) {
                c.remove(i);
            } else {
                c.push(id.clone());
            }
            chosen.set(c);
        })
    };
    let save = {
        let (cell, chosen, message) = (cell.clone(), chosen.clone(), message.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (code, ids, message) = ((*cell).clone(), (*chosen).clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/cells/{code}/workers");
                match api::put::<Value, Value>(&path, &json!({"worker_ids": ids})).await {
                    Ok(r) => message.set(vec![format!(
                        "✓ {}: {}",
                        r["code"].as_str().unwrap_or_default(),
                        r["workers"]
                            .as_array()
                            .map(|w| w
                                .iter()
                                .filter_map(|u| u["display_name"].as_str())
                                .collect::<Vec<_>>()
                                .join("、"))
                            .unwrap_or_default()
                    )]),
                    Err(e) => message.set(problem_lines(&e)),
                }
            });
        })
    };
    html! {
        <section class="card" data-testid="assign">
            <h2>{ t("assign") }</h2>
            <form onsubmit={save}>
                { if props.cell.is_empty() { html! {
                    <label>{ t("cell") }<input name="cell" placeholder="500117001001001" value={(*cell).clone()}
                        oninput={let c = cell.clone(); move |e: InputEvent| c.set(input_value(&e))} /></label>
                } } else { html! { <p><strong>{ format!("{}: {}", t("cell"), *cell) }</strong></p> } } }
                <div class="checks">
                    { for workers.iter().map(|u| {
                        let id = u["id"].as_str().unwrap_or_default().to_string();
                        html!{ <label class="check"><input type="checkbox" checked={chosen.contains(&id)} onclick={toggle(id.clone())} />
                            { format!("{} ({})", u["display_name"].as_str().unwrap_or_default(), u["region_code"].as_str().unwrap_or_default()) }</label> }
                    }) }
                </div>
                <button class="primary" type="submit">{ t("save") }</button>
            </form>
            <div data-testid="assign-result">{ lines(&message) }</div>
        </section>
    }
}
