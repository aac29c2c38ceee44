//! One person: the record, its visits, the audited full record; registering and editing.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn PersonNew() -> Html {
    html! { <Page><h1>{ t(crate::i18n::persons::PersonText::PersonsTitle) }</h1><Back /></Page> }
}

#[derive(Properties, PartialEq)]
pub struct PersonPageProps {
    pub id: String,
}

#[component]
pub fn PersonPage(props: &PersonPageProps) -> Html {
    html! { <Page><h1>{ t(crate::i18n::persons::PersonText::PersonsTitle) }</h1><p>{ &props.id }</p><Back /></Page> }
}

#[derive(Properties, PartialEq)]
pub struct PersonEditProps {
    pub id: String,
}

#[component]
pub fn PersonEdit(props: &PersonEditProps) -> Html {
    html! { <Page><h1>{ t(crate::i18n::persons::PersonText::PersonsTitle) }</h1><p>{ &props.id }</p><Back /></Page> }
}
