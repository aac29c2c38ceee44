//! A cell's page: its incidents, persons due, units and workers.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[derive(Properties, PartialEq)]
pub struct CellPageProps {
    pub code: String,
}

#[component]
pub fn CellPage(props: &CellPageProps) -> Html {
    html! { <Page><h1>{ t(crate::i18n::office::OfficeText::CellTitle) }</h1><p>{ &props.code }</p><Back /></Page> }
}
