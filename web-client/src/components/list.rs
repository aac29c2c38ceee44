//! Rows of the lists (incidents, persons to visit) and the chips they carry.

use std::rc::Rc;

use gridwork_shared::api::Cell;
use gridwork_shared::incident::Incident;
use gridwork_shared::person::PersonItem;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::use_local;
use crate::i18n::{Text, level, status, t};
use crate::logic::day;
use crate::services::queue;

/// Cell codes and names, from the phone's copy of the caller's cells.
#[hook]
pub fn use_cell_names() -> Rc<Vec<(String, String)>> {
    let cells = use_local(|| async {
        let mut cells: Vec<(String, String)> = queue::records::<Cell>()
            .await
            .into_iter()
            .map(|c| (c.properties.code, c.properties.name))
            .collect();
        cells.sort();
        Rc::new(cells)
    });
    (*cells).clone().unwrap_or_default()
}

/// A cell's name (and code), or its code alone when the phone does not know it.
pub fn cell_label(cells: &[(String, String)], code: &str) -> String {
    match cells.iter().find(|(c, _)| c == code) {
        Some((c, name)) => format!("{name} {c}"),
        None => code.to_string(),
    }
}

/// A small label beside a row's title; red when `late`.
pub fn chip(text: impl Into<AttrValue>, late: bool) -> Html {
    html! { <span class={classes!("chip", late.then_some("late"))}>{ text.into() }</span> }
}

/// One incident as a row of a list (its cell by code: a list of one cell's incidents).
pub fn incident_item(i: &Incident) -> Html {
    incident_row(i, &[])
}

/// One incident as a row of a list, its cell named when `cells` knows it.
pub fn incident_row(i: &Incident, cells: &[(String, String)]) -> Html {
    let flag = |on: bool, label: Text| match on {
        true => chip(t(label), true),
        false => html! {},
    };
    html! {
        <li class={classes!("item", i.overdue.then_some("late"))}>
            <Link<Route> to={Route::Incident { id: i.id.to_string() }}>
                <strong>{ &i.title }</strong>
                { chip(t(status(i.status)), false) }
                { chip(t(level(i.level)), false) }
                { flag(i.overdue, Text::Overdue) }
                { flag(i.conflict, Text::Conflict) }
                <small>{ cell_label(cells, &i.cell_code) }</small>
            </Link<Route>>
        </li>
    }
}

/// A person to visit as a row of a list: name, masked identity number, when the visit is due.
pub fn person_item(p: &PersonItem) -> Html {
    person_row(p, None)
}

/// A person whose visit is overdue, for the supervisor's list: also the cell (named when
/// `cells` knows it), all in red.
pub fn overdue_person_item(p: &PersonItem, cells: &[(String, String)]) -> Html {
    person_row(p, Some(cells))
}

fn person_row(p: &PersonItem, overdue_list: Option<&[(String, String)]>) -> Html {
    let cells = overdue_list;
    let overdue_list = cells.is_some();
    let day = p.next_visit_due.as_ref().map(day).unwrap_or_default();
    let late = overdue_list || p.overdue;
    html! {
        <li class={classes!("item", late.then_some("late"))}>
            <Link<Route> to={Route::Visit { id: p.id.to_string() }}>
                <strong>{ &p.name }</strong>
                <small>{ &p.id_number_masked }</small>
                { match overdue_list {
                    true => html! {
                        <>
                        { chip(format!("{} {day}", t(Text::Due)), true) }
                        <small>{ cell_label(cells.unwrap_or_default(), &p.cell_code) }</small>
                        </>
                    },
                    false => chip(day, false),
                } }
            </Link<Route>>
        </li>
    }
}
