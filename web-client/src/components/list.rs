//! Rows of the lists (incidents, persons to visit) and the chips they carry.

use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::i18n::{Text, t, word};

/// A small label beside a row's title; red when `late`.
pub fn chip(text: impl Into<AttrValue>, late: bool) -> Html {
    html! { <span class={classes!("chip", late.then_some("late"))}>{ text.into() }</span> }
}

/// One incident as a row of a list.
pub fn incident_item(i: &Value) -> Html {
    let id = i["id"].as_str().unwrap_or_default().to_string();
    let text = |k: &str| i[k].as_str().unwrap_or_default().to_string();
    let flag = |k: &str, label: Text| match i[k] == true {
        true => chip(t(label), true),
        false => html! {},
    };
    html! {
        <li class={classes!("item", (i["overdue"] == true).then_some("late"))}>
            <Link<Route> to={Route::Incident { id }}>
                <strong>{ text("title") }</strong>
                { chip(word(&text("status")), false) }
                { chip(word(&text("level")), false) }
                { flag("overdue", Text::Overdue) }
                { flag("conflict", Text::Conflict) }
                <small>{ text("cell_code") }</small>
            </Link<Route>>
        </li>
    }
}

/// A person to visit as a row of a list: name, masked identity number, when the visit is due.
pub fn person_item(p: &Value) -> Html {
    person_row(p, false)
}

/// A person whose visit is overdue, for the supervisor's list: also the cell, all in red.
pub fn overdue_person_item(p: &Value) -> Html {
    person_row(p, true)
}

fn person_row(p: &Value, overdue_list: bool) -> Html {
    let id = p["id"].as_str().unwrap_or_default().to_string();
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
    let due = text("next_visit_due");
    let day = due.get(..10).unwrap_or(&due).to_string();
    let late = overdue_list || p["overdue"] == true;
    html! {
        <li class={classes!("item", late.then_some("late"))}>
            <Link<Route> to={Route::Visit { id }}>
                <strong>{ text("name") }</strong>
                <small>{ text("id_number_masked") }</small>
                { match overdue_list {
                    true => html! {
                        <>
                        { chip(format!("{} {day}", t(Text::Due)), true) }
                        <small>{ text("cell_code") }</small>
                        </>
                    },
                    false => chip(day, false),
                } }
            </Link<Route>>
        </li>
    }
}
