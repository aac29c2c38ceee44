//! The region tree and adding a town or community.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn Regions() -> Html {
    html! { <Page><h1>{ t(crate::i18n::admin::AdminText::RegionsTitle) }</h1><Back /></Page> }
}
