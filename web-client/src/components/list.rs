//! Rows of the lists (incidents, persons to visit) and the chips they carry.

use gridwork_shared::incident::Incident;
use gridwork_shared::person::PersonItem;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::i18n::{Text, level, status, t};
use crate::logic::day;

/// A small label beside a row's title; red when `late`.
pub fn chip(text: impl Into<AttrValue>, late: bool) -> Html {
    html! { <span class={classes!("chip", late.then_some("late"))}>{ text.into() }</span> }
}

/// One incident as a row of a list.
pub fn incident_item(i: &Incident) -> Html {
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
                <small>{ &i.cell_code }</small>
            </Link<Route>>
        </li>
    }
}

/// A person to visit as a row of a list: name, masked identity number, when the visit is due.
pub fn person_item(p: &PersonItem) -> Html {
    person_row(p, false)
}

/// A person whose visit is overdue, for the supervisor's list: also the cell, all in red.
pub fn overdue_person_item(p: &PersonItem) -> Html {
    person_row(p, true)
}

fn person_row(p: &PersonItem, overdue_list: bool) -> Html {
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
                        <small>{ &p.cell_code }</small>
                        </>
                    },
                    false => chip(day, false),
                } }
            </Link<Route>>
        </li>
    }
}
