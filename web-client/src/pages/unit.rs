//! One safety unit (inspections, hazards, certification), and registering one.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn UnitNew() -> Html {
    html! { <Page><h1>{ t(crate::i18n::units::UnitText::UnitTitle) }</h1><Back /></Page> }
}

#[derive(Properties, PartialEq)]
pub struct UnitPageProps {
    pub id: String,
}

#[component]
pub fn UnitPage(props: &UnitPageProps) -> Html {
    html! { <Page><h1>{ t(crate::i18n::units::UnitText::UnitTitle) }</h1><p>{ &props.id }</p><Back /></Page> }
}
