//! Which workers look after a cell: the admin screen's form (cell typed in) and the map's
//! (cell picked by a tap). Shows the cell's current workers and saves the new set.

use gridwork_shared::api::{CellAssignment, CellWorkers, Role};
use uuid::Uuid;
use yew::prelude::*;

use super::form::{lines, on_input};
use crate::hooks::{use_loaded, use_users};
use crate::i18n::screens::ScreenText;
use crate::i18n::t;
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
    let workers: Vec<_> = users.iter().filter(|u| u.role == Role::Worker).collect();
    let cell = use_state(|| props.cell.to_string());
    let chosen = use_state(Vec::<Uuid>::new);
    let message = use_state(Vec::<String>::new);
    // A cell picked on the map: who looks after it now.
    let current = use_loaded(props.cell.clone(), |picked| async move {
        if picked.is_empty() {
            return None;
        }
        let r = api::get::<CellAssignment>(&format!("/api/v1/cells/{picked}/workers"))
            .await
            .ok()?;
        let ids: Vec<Uuid> = r.workers.iter().map(|u| u.id).collect();
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
    let toggle = |id: Uuid| {
        let chosen = chosen.clone();
        Callback::from(move |_| {
            let mut c = (*chosen).clone();
            if let Some(i) = c.iter().position(|x| *x == id) {
                c.remove(i);
            } else {
                c.push(id);
            }
            chosen.set(c);
        })
    };
    let save = {
        let (cell, chosen, message) = (cell.clone(), chosen.clone(), message.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let code = (*cell).clone();
            let body = CellWorkers {
                worker_ids: (*chosen).clone(),
            };
            let message = message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/cells/{code}/workers");
                match api::put::<_, CellAssignment>(&path, &body).await {
                    Ok(r) => message.set(vec![format!(
                        "✓ {}: {}",
                        r.code,
                        r.workers
                            .iter()
                            .map(|u| u.display_name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    )]),
                    Err(e) => message.set(e.lines()),
                }
            });
        })
    };
    html! {
        <section class="card" data-testid="assign">
            <h2>{ t(ScreenText::Assign) }</h2>
            <form onsubmit={save}>
                { if props.cell.is_empty() { html! {
                    <label>{ t(ScreenText::Cell) }<input name="cell" placeholder="500117001001001" value={(*cell).clone()}
                        oninput={on_input(&cell)} /></label>
                } } else { html! { <p><strong>{ format!("{}: {}", t(ScreenText::Cell), *cell) }</strong></p> } } }
                <div class="checks">
                    { for workers.iter().map(|u| html!{
                        <label class="check"><input type="checkbox" checked={chosen.contains(&u.id)} onclick={toggle(u.id)} />
                            { format!("{} ({})", u.display_name, u.region_code) }</label>
                    }) }
                </div>
                <button class="primary" type="submit">{ t(ScreenText::Save) }</button>
            </form>
            <div data-testid="assign-result">{ lines(&message) }</div>
        </section>
    }
}
