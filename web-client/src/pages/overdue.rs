//! Overdue visits in the supervisor's area: who, where, since when, and who is responsible.
//! From the server's masked list when online; from the device otherwise.

use gridwork_shared::api::Page as Listed;
use gridwork_shared::person::PersonItem;
use yew::prelude::*;

use crate::components::list::{overdue_person_item, use_cell_names};
use crate::components::page::{Back, Page};
use crate::hooks::use_local;
use crate::i18n::{Text, t};
use crate::logic::overdue_persons;
use crate::services::{api, queue};

#[component]
pub fn OverdueVisits() -> Html {
    let persons = use_local(|| async {
        let list =
            match api::get::<Listed<PersonItem>>("/api/v1/persons?due=overdue&limit=500").await {
                Ok(page) => page.items,
                Err(_) => queue::records().await,
            };
        overdue_persons(list, chrono::Utc::now())
    });
    let cells = use_cell_names();
    html! {
        <Page>
            <h1>{ t(Text::OverdueVisits) }</h1>
            <ul class="list" data-testid="overdue-visits">
                { match &*persons {
                    None => html!{ <li class="empty">{ "…" }</li> },
                    Some(list) if list.is_empty() => html!{ <li class="empty">{ t(Text::Nothing) }</li> },
                    Some(list) => html!{ <>{ for list.iter().map(|p| overdue_person_item(p, &cells)) }</> },
                } }
            </ul>
            <Back />
        </Page>
    }
}
