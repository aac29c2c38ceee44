//! The safety roll-up per region, child regions drilled into.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn Safety() -> Html {
    html! { <Page><h1>{ t(crate::i18n::units::UnitText::UnitTitle) }</h1><Back /></Page> }
}
