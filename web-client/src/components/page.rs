//! The frame of every screen: the top bar, then the screen in `<main class="page">`, and the
//! link back.

use yew::prelude::*;
use yew_router::prelude::*;

use super::header::Header;
use crate::app::Route;
use crate::i18n::{Text, t};

#[derive(Properties, PartialEq)]
pub struct PageProps {
    /// A wide page (tables, maps).
    #[prop_or_default]
    pub wide: bool,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Page(props: &PageProps) -> Html {
    html! {
        <>
        <Header />
        <main class={classes!("page", props.wide.then_some("wide"))} data-testid={props.testid.clone()}>
            { props.children.clone() }
        </main>
        </>
    }
}

/// A screen whose record is not read yet.
#[component]
pub fn Waiting() -> Html {
    html! { <Page><p>{ "…" }</p></Page> }
}

#[derive(Properties, PartialEq)]
pub struct BackProps {
    #[prop_or(Route::Home)]
    pub to: Route,
}

/// The link back (home unless told otherwise).
#[component]
pub fn Back(props: &BackProps) -> Html {
    html! { <Link<Route> to={props.to.clone()}>{ t(Text::Back) }</Link<Route>> }
}
