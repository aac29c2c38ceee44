//! Safety units (平安细胞) on the phone, by name; each opens its inspection form.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::hooks::use_local;
use crate::i18n::{Text, t, unit_status};
use crate::logic::sorted_by;
use crate::services::queue;

#[component]
pub fn Units() -> Html {
    let units = use_local(|| async { sorted_by(queue::records("unit").await, "name") });
    html! {
        <Page>
            <h2>{ t(Text::Units) }</h2>
            <ul class="list" data-testid="units">
                { for units.iter().flatten().map(|u| {
                    let id = u["id"].as_str().unwrap_or_default().to_string();
                    let text = |k: &str| u[k].as_str().unwrap_or_default().to_string();
                    let late = matches!(u["status"].as_str(), Some("overdue") | Some("hazard"));
                    html! {
                        <li class={classes!("item", late.then_some("late"))}>
                            <Link<Route> to={Route::Inspect { id }}>
                                <strong>{ text("name") }</strong>
                                { chip(t(unit_status(&text("status"))), false) }
                                <small>{ text("address") }</small>
                            </Link<Route>>
                        </li>
                    }
                }) }
            </ul>
            <Back />
        </Page>
    }
}
