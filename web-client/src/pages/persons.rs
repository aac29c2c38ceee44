//! Special-population persons in the caller's scope, numbers masked.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn Persons() -> Html {
    html! { <Page><h1>{ t(crate::i18n::persons::PersonText::PersonsTitle) }</h1><Back /></Page> }
}
