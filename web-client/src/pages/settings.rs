//! Category deadlines per level and visit intervals.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn Settings() -> Html {
    html! { <Page><h1>{ t(crate::i18n::admin::AdminText::RegionsTitle) }</h1><Back /></Page> }
}
