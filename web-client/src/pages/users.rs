//! The admin's users: the list, creating one, one user's page.

use yew::prelude::*;

use crate::components::page::{Back, Page};
use crate::i18n::t;

#[component]
pub fn Users() -> Html {
    html! { <Page><h1>{ t(crate::i18n::admin::AdminText::RegionsTitle) }</h1><Back /></Page> }
}

#[derive(Properties, PartialEq)]
pub struct UserPageProps {
    pub id: String,
}

#[component]
pub fn UserPage(props: &UserPageProps) -> Html {
    html! { <Page><h1>{ t(crate::i18n::admin::AdminText::RegionsTitle) }</h1><p>{ &props.id }</p><Back /></Page> }
}
