//! The audit log, filtered by actor, record and dates.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn Audit() -> Html {
    html! { <Page><h1>{ t(crate::i18n::admin::AdminText::RegionsTitle) }</h1><Back /></Page> }
}
