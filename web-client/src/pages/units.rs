//! Safety units (平安细胞) on the phone, by name; each opens its inspection form.

use gridwork_shared::safety::Unit;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::hooks::use_local;
use crate::i18n::{Text, t, unit_status};
use crate::logic::has_hazard;
use crate::services::queue;

#[component]
pub fn Units() -> Html {
    let units = use_local(|| async {
        let mut units = queue::records::<Unit>().await;
        units.sort_by(|a, b| a.name.cmp(&b.name));
        units
    });
    html! {
        <Page>
            <h2>{ t(Text::Units) }</h2>
            <ul class="list" data-testid="units">
                { for units.iter().flatten().map(|u| {
                    html! {
                        <li class={classes!("item", has_hazard(u).then_some("late"))}>
                            <Link<Route> to={Route::Inspect { id: u.id.to_string() }}>
                                <strong>{ &u.name }</strong>
                                { chip(t(unit_status(u.status)), false) }
                                <small>{ &u.address }</small>
                            </Link<Route>>
                        </li>
                    }
                }) }
            </ul>
            <Back />
        </Page>
    }
}
