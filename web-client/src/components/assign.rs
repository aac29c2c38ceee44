//! Which workers look after a cell: the admin screen's form (cell typed in) and the map's
//! (cell picked by a tap). Shows the cell's current workers and saves the new set.

use serde_json::{Value, json};
use yew::prelude::*;

use super::form::{lines, on_input};
use crate::hooks::{use_loaded, use_users};
use crate::i18n::{Text, t};
use crate::services::api;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The cell to start with (empty: typed in).
    #[prop_or_default]
    pub cell: AttrValue,
}

#[component]
pub fn Assign(props: &Props) -> Html {
    let users = use_users(true, 0);
    let workers: Vec<&Value> = users.iter().filter(|u| u["role"] == "worker").collect();
    let cell = use_state(|| props.cell.to_string());
    let chosen = use_state(Vec::<String>::new);
    let message = use_state(Vec::<String>::new);
    // A cell picked on the map: who looks after it now.
    let current = use_loaded(props.cell.clone(), |picked| async move {
        if picked.is_empty() {
            return None;
        }
        let r = api::get::<Value>(&format!("/api/v1/cells/{picked}/workers"))
            .await
            .ok()?;
        let ids: Vec<String> = r["workers"]
            .as_array()
            .map(|w| {
                w.iter()
                    .filter_map(|u| u["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Some((picked, ids))
    });
    {
        let (cell, chosen, message) = (cell.clone(), chosen.clone(), message.clone());
        use_effect_with(props.cell.clone(), move |picked| {
            if !picked.is_empty() {
                cell.set(picked.to_string());
                message.set(Vec::new());
            }
        });
        use_effect_with((*current).clone(), move |current| {
            if let Some(Some((_, ids))) = current {
                chosen.set(ids.clone());
            }
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
                    Err(e) => message.set(e.lines()),
                }
            });
        })
    };
    html! {
        <section class="card" data-testid="assign">
            <h2>{ t(Text::Assign) }</h2>
            <form onsubmit={save}>
                { if props.cell.is_empty() { html! {
                    <label>{ t(Text::Cell) }<input name="cell" placeholder="500117001001001" value={(*cell).clone()}
                        oninput={on_input(&cell)} /></label>
                } } else { html! { <p><strong>{ format!("{}: {}", t(Text::Cell), *cell) }</strong></p> } } }
                <div class="checks">
                    { for workers.iter().map(|u| {
                        let id = u["id"].as_str().unwrap_or_default().to_string();
                        html!{ <label class="check"><input type="checkbox" checked={chosen.contains(&id)} onclick={toggle(id.clone())} />
                            { format!("{} ({})", u["display_name"].as_str().unwrap_or_default(), u["region_code"].as_str().unwrap_or_default()) }</label> }
                    }) }
                </div>
                <button class="primary" type="submit">{ t(Text::Save) }</button>
            </form>
            <div data-testid="assign-result">{ lines(&message) }</div>
        </section>
    }
}
