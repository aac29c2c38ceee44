//! Which workers look after a cell: the admin console's form (the cell picked from a list of
//! the cells in scope, searched by name or code) and the map's (the cell picked by a tap).
//! Nothing can be saved before the cell's current workers are loaded and shown: they start
//! ticked, and what a save would add or remove is said before it is sent. Workers are
//! searched by name among the active workers of the cell's community.

use gridwork_shared::api::{Cell, CellAssignment, CellWorkers, Page, User};
use yew::prelude::*;

use super::choice::Choice;
use super::form::{alert, input_value};
use crate::hooks::{use_loaded, use_local};
use crate::i18n::admin::ConsoleText;
use crate::i18n::screens::ScreenText;
use crate::i18n::t;
use crate::services::{api, queue};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The cell to start with (empty: picked from the list).
    #[prop_or_default]
    pub cell: AttrValue,
}

/// Cells listed at once in the picker; a search narrows the rest.
const SHOWN: usize = 50;

/// `(code, name)` of the phone's cells matching `search` (part of the code or the name), by
/// code, at most [`SHOWN`]; the chosen cell stays in the list whatever the search.
fn matching(
    cells: &[(String, String)],
    search: &str,
    chosen: &str,
) -> (Vec<(String, String)>, usize) {
    let search = search.trim();
    let hits: Vec<&(String, String)> = cells
        .iter()
        .filter(|(code, name)| search.is_empty() || code.contains(search) || name.contains(search))
        .collect();
    let total = hits.len();
    let mut shown: Vec<(String, String)> = hits.into_iter().take(SHOWN).cloned().collect();
    if !chosen.is_empty()
        && !shown.iter().any(|(c, _)| c == chosen)
        && let Some(c) = cells.iter().find(|(c, _)| c == chosen)
    {
        shown.insert(0, c.clone());
    }
    (shown, total)
}

#[component]
pub fn Assign(props: &Props) -> Html {
    let cell = use_state(|| props.cell.to_string());
    let cell_search = use_state(String::new);
    let worker_search = use_state(String::new);
    // The chosen workers, as (cell they were chosen for, the workers): they count only for
    // that cell, so a save never sends one cell's choice to another.
    let chosen = use_state(|| None::<(String, Vec<User>)>);
    let message = use_state(|| None::<Result<String, String>>);
    // The cells in scope, from the phone's copy (read again after every pull).
    let cells = use_local(|| async {
        let mut all: Vec<(String, String)> = queue::records::<Cell>()
            .await
            .into_iter()
            .filter(|c| c.properties.valid_to.is_none())
            .map(|c| (c.properties.code, c.properties.name))
            .collect();
        all.sort();
        all
    });
    // Who looks after the cell now.
    let current = use_loaded((*cell).clone(), |code| async move {
        if code.is_empty() {
            return None;
        }
        let path = format!("/api/v1/cells/{code}/workers");
        Some((
            code,
            api::get::<CellAssignment>(&path)
                .await
                .map_err(|e| e.message()),
        ))
    });
    // The active workers of the cell's community whose name matches the search.
    let community = cell.get(..12).unwrap_or_default().to_string();
    let candidates = use_loaded(
        (community, (*worker_search).trim().to_string()),
        |(community, q)| async move {
            if community.is_empty() {
                return None;
            }
            let mut path =
                format!("/api/v1/users?role=worker&active=true&limit=500&region={community}");
            if !q.is_empty() {
                path.push_str("&q=");
                path.push_str(&String::from(js_sys::encode_uri_component(&q)));
            }
            Some((
                community,
                api::get::<Page<User>>(&path)
                    .await
                    .map(|p| p.items)
                    .map_err(|e| e.message()),
            ))
        },
    );
    {
        let (cell, message) = (cell.clone(), message.clone());
        use_effect_with(props.cell.clone(), move |picked| {
            if !picked.is_empty() {
                cell.set(picked.to_string());
                message.set(None);
            }
        });
    }
    {
        // The current workers, once loaded for the cell, are what is chosen to begin with.
        let chosen = chosen.clone();
        let loaded = match &*current {
            Some(Some((code, Ok(a)))) => Some((code.clone(), a.workers.clone())),
            _ => None,
        };
        use_effect_with(loaded, move |loaded| {
            if let Some(now) = loaded {
                chosen.set(Some(now.clone()));
            }
        });
    }
    let pick_cell = {
        let (cell, message) = (cell.clone(), message.clone());
        Callback::from(move |v: String| {
            cell.set(v);
            message.set(None);
        })
    };
    let toggle = |u: User| {
        let (chosen, code) = (chosen.clone(), (*cell).clone());
        Callback::from(move |_: Event| {
            let Some((for_cell, mut list)) = (*chosen).clone() else {
                return;
            };
            if for_cell != code {
                return;
            }
            match list.iter().position(|x| x.id == u.id) {
                Some(i) => {
                    list.remove(i);
                }
                None => list.push(u.clone()),
            }
            chosen.set(Some((for_cell, list)));
        })
    };

    // What is known for the cell shown now (an answer for another cell does not count).
    let assignment: Option<Result<CellAssignment, String>> = match &*current {
        Some(Some((c, r))) if *c == *cell => Some(r.clone()),
        _ => None,
    };
    let picked: Option<Vec<User>> = match &*chosen {
        Some((c, list)) if *c == *cell => Some(list.clone()),
        _ => None,
    };
    let workers: Option<Result<Vec<User>, String>> = match &*candidates {
        Some(Some((c, r))) if cell.starts_with(c.as_str()) => Some(r.clone()),
        _ => None,
    };
    let ready = matches!(
        (&assignment, &picked, &workers),
        (Some(Ok(_)), Some(_), Some(Ok(_)))
    );

    let save = {
        let (cell, chosen, message, current) = (
            cell.clone(),
            chosen.clone(),
            message.clone(),
            current.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let code = (*cell).clone();
            let Some((for_cell, list)) = (*chosen).clone() else {
                return;
            };
            if for_cell != code || code.is_empty() {
                return;
            }
            let body = CellWorkers {
                worker_ids: list.iter().map(|u| u.id).collect(),
            };
            let (message, current) = (message.clone(), current.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/cells/{code}/workers");
                match api::put::<_, CellAssignment>(&path, &body).await {
                    Ok(r) => {
                        message.set(Some(Ok(format!("{}: {}", r.code, names(&r.workers)))));
                        // What the server holds now is the new starting point.
                        current.set(Some(Some((code, Ok(r)))));
                    }
                    Err(e) => message.set(Some(Err(e.message()))),
                }
            });
        })
    };

    let picker = if props.cell.is_empty() {
        let all = cells.as_deref().unwrap_or_default();
        let (shown, total) = matching(all, &cell_search, &cell);
        html! {
            <>
            <label>{ t(ConsoleText::CellSearch) }
                <input name="cell_search" type="search" placeholder={t(ConsoleText::CellSearchExample)}
                    value={(*cell_search).clone()}
                    oninput={let s = cell_search.clone(); move |e: InputEvent| s.set(input_value(&e))} />
            </label>
            <label>{ t(ScreenText::Cell) }
                <Choice name="cell" empty={t(ConsoleText::ChooseCell)} value={(*cell).clone()} onchange={pick_cell}
                    options={shown.iter().map(|(code, name)| (AttrValue::from(code.clone()), AttrValue::from(format!("{name} · {code}")))).collect::<Vec<_>>()} />
            </label>
            <p class="hint" data-testid="cell-matches">{ format!("{} {total}", t(ConsoleText::CellsMatching)) }
                { if total > SHOWN { format!(" · {} {SHOWN}", t(ConsoleText::ShowingFirst)) } else { String::new() } }</p>
            </>
        }
    } else {
        html! { <p><strong>{ format!("{}: {}", t(ScreenText::Cell), *cell) }</strong></p> }
    };

    let current_line = match &assignment {
        _ if cell.is_empty() => html! {},
        None => html! { <p data-testid="assign-loading">{ t(ConsoleText::LoadingCurrent) }</p> },
        Some(Err(e)) => alert(&Some(e.clone())),
        Some(Ok(a)) => html! {
            <p data-testid="assign-current"><strong>{ t(ConsoleText::NowAssigned) }</strong>{ " " }
                { if a.workers.is_empty() { t(ConsoleText::NobodyYet).to_string() } else { names(&a.workers) } }</p>
        },
    };

    let checks = match (&picked, &workers) {
        (Some(list), Some(Ok(found))) if ready => {
            // The chosen first (whatever the search), then the others found.
            let mut rows: Vec<(User, bool)> = list.iter().map(|u| (u.clone(), true)).collect();
            for u in found {
                if !list.iter().any(|x| x.id == u.id) {
                    rows.push((u.clone(), false));
                }
            }
            html! {
                <>
                <label>{ t(ConsoleText::WorkerSearch) }
                    <input name="worker_search" type="search" placeholder={t(ConsoleText::WorkerSearchExample)}
                        value={(*worker_search).clone()}
                        oninput={let s = worker_search.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                </label>
                <fieldset class="checks assign-checks">
                    <legend>{ t(ConsoleText::WorkersOfCommunity) }</legend>
                    { if rows.is_empty() { html!{ <p class="empty">{ t(ConsoleText::NoWorkersFound) }</p> } } else { html!{} } }
                    { for rows.into_iter().map(|(u, on)| html! {
                        <label class="check">
                            <input type="checkbox" name="worker" value={u.id.to_string()} checked={on} onchange={toggle(u.clone())} />
                            <span>{ u.display_name.clone() }<small>{ format!(" {}", u.username) }</small></span>
                        </label>
                    }) }
                </fieldset>
                { changes(assignment.as_ref().and_then(|a| a.as_ref().ok()), list) }
                </>
            }
        }
        (_, Some(Err(e))) => alert(&Some(e.clone())),
        _ => html! {},
    };

    html! {
        <section class="card assign" data-testid="assign">
            <h2>{ t(ScreenText::Assign) }</h2>
            <form onsubmit={save}>
                { picker }
                { current_line }
                { checks }
                <button class="primary" type="submit" disabled={!ready}>{ t(ScreenText::Save) }</button>
            </form>
            <div data-testid="assign-result">
                { match &*message {
                    Some(Ok(m)) => html! { <p class="done" role="status">{ format!("✓ {m}") }</p> },
                    Some(Err(e)) => alert(&Some(e.clone())),
                    None => html! {},
                } }
            </div>
        </section>
    }
}

/// Display names, joined.
fn names(users: &[User]) -> String {
    users
        .iter()
        .map(|u| u.display_name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// What saving would change: who would be added and who taken off the cell.
fn changes(now: Option<&CellAssignment>, chosen: &[User]) -> Html {
    let Some(now) = now else {
        return html! {};
    };
    let added: Vec<User> = chosen
        .iter()
        .filter(|u| !now.worker_ids.contains(&u.id))
        .cloned()
        .collect();
    let removed: Vec<User> = now
        .workers
        .iter()
        .filter(|u| !chosen.iter().any(|c| c.id == u.id))
        .cloned()
        .collect();
    if added.is_empty() && removed.is_empty() {
        return html! { <p class="hint" data-testid="assign-changes">{ t(ConsoleText::NoChange) }</p> };
    }
    html! {
        <p class="notice" data-testid="assign-changes">
            { if added.is_empty() { String::new() } else { format!("{} {}", t(ConsoleText::WillAdd), names(&added)) } }
            { if !added.is_empty() && !removed.is_empty() { "；" } else { "" } }
            { if removed.is_empty() { String::new() } else { format!("{} {}", t(ConsoleText::WillRemove), names(&removed)) } }
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells() -> Vec<(String, String)> {
        (1..=60)
            .map(|n| (format!("500117001001{n:03}"), format!("文峰社区第{n}网格")))
            .collect()
    }

    #[test]
    fn the_picker_lists_matches_and_keeps_the_chosen_cell() {
        let all = cells();
        let (shown, total) = matching(&all, "", "");
        assert_eq!((shown.len(), total), (SHOWN, 60));
        let (shown, total) = matching(&all, "第7网格", "");
        assert_eq!((shown.len(), total), (1, 1));
        assert_eq!(shown[0].0, "500117001001007");
        let (shown, _) = matching(&all, "001059", "");
        assert_eq!(shown[0].0, "500117001001059");
        // The chosen cell is listed even when the search leaves it out.
        let (shown, total) = matching(&all, "第7网格", "500117001001060");
        assert_eq!(total, 1);
        assert_eq!(shown[0].0, "500117001001060");
        assert_eq!(shown.len(), 2);
    }
}
