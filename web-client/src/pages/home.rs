//! The first screen: what to do today — incidents and visits due.

use gridwork_shared::api::Role;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::deferred::{Deferred, Part};
use crate::components::list::person_item;
use crate::components::page::Page;
use crate::hooks::{use_local, use_session};
use crate::i18n::{Text, t};
use crate::logic::visits_due;
use crate::services::queue;

#[component]
pub fn Home() -> Html {
    let session = use_session();
    let persons = use_local(|| async { visits_due(queue::records().await) });
    let in_team = use_local(|| async {
        !queue::records::<gridwork_shared::team::TeamDetail>()
            .await
            .is_empty()
    });
    let Some(me) = session.me.clone() else {
        return html! { <Redirect<Route> to={Route::Login} /> };
    };
    let persons = persons.as_deref().unwrap_or_default();
    let supervisor = matches!(me.role, Role::Supervisor | Role::Admin);
    let link = |to: Route, text: Text| html! { <Link<Route> to={to} classes="big">{ t(text) }</Link<Route>> };
    html! {
        <Page>
            // Department staff handle what is dispatched to their department; they do not
            // report, and persons and units are not theirs.
            { if me.role == Role::Department { html!{} } else { html!{
                <Link<Route> to={Route::Report} classes="primary big">{ format!("＋ {}", t(Text::Report)) }</Link<Route>>
            } } }
            { if matches!(me.role, Role::Worker | Role::Volunteer) { html!{
                <div data-testid="cells-link">{ link(Route::Cells, Text::MyCells) }</div>
            } } else { html!{} } }
            { if matches!(me.role, Role::Volunteer | Role::Department) { html!{} } else { link(Route::Units, Text::Units) } }
            // Volunteer teams (群防群治): a member's own team (from the phone), the office's list.
            { if *in_team == Some(true) && matches!(me.role, Role::Volunteer | Role::Worker) { html!{
                <div data-testid="team-link">{ link(Route::MyTeam, Text::MyTeam) }</div>
            } } else if supervisor { html!{
                <div data-testid="teams-link">{ link(Route::Teams, Text::Teams) }</div>
            } } else { html!{} } }
            { if me.role == Role::Admin { html!{
                <div data-testid="admin-link">{ link(Route::Admin, Text::Admin) }</div>
            } } else { html!{} } }
            { if supervisor { html!{
                <>
                <div data-testid="map-link">{ link(Route::Map, Text::Map) }</div>
                <div data-testid="queue-link">{ link(Route::Queue, Text::QueueFilters) }</div>
                { link(Route::OverdueVisits, Text::OverdueVisits) }
                { link(Route::Figures, Text::Figures) }
                <div data-testid="persons-link">{ link(Route::Persons, Text::Persons) }</div>
                <div data-testid="safety-link">{ link(Route::Safety, Text::Safety) }</div>
                </>
            } } else { html!{} } }
            { duty_links(&me) }
            // The deliberation hall (not a department's) and the selections' honour roll.
            { if me.role == Role::Department { html!{} } else { html!{ <>
                <div data-testid="hall-link">{ link(Route::Hall, Text::Hall) }</div>
                <div data-testid="campaigns-link">{ link(Route::Campaigns, Text::Selections) }</div>
            </> } } }
            <div data-testid="honours-link">{ link(Route::Honours, Text::Honours) }</div>
            <div data-testid="me-link">{ link(Route::Me, Text::MyProfile) }</div>
            <h2>{ if supervisor { t(Text::Queue) } else { t(Text::MyIncidents) } }</h2>
            <ul class="list" data-testid="incidents">
                // Reports not on the server yet, then the incidents (their code is in the
                // sync chunk, which the first sync round loads anyway).
                <Deferred part={Part::Incidents} />
            </ul>
            { if matches!(me.role, Role::Volunteer | Role::Department) { html!{} } else { html! {
                <>
                <h2>{ t(Text::VisitsDue) }</h2>
                <ul class="list">
                    { for persons.iter().map(person_item) }
                </ul>
                </>
            } } }
        </Page>
    }
}

/// The responsibility system's links: the task board for who sets tasks (admins, the
/// district's supervisors), a unit's own tasks (a town's supervisors, department staff), the
/// performance records (admins, supervisors).
fn duty_links(me: &gridwork_shared::api::Me) -> Html {
    use crate::i18n::duty::nav::DutyNav;
    let link = |to: Route, text: DutyNav, testid: &'static str| {
        html! { <div data-testid={testid}><Link<Route> to={to} classes="big">{ t(text) }</Link<Route>></div> }
    };
    let district =
        me.role == Role::Admin || (me.role == Role::Supervisor && me.region_code.len() == 6);
    let unit =
        me.role == Role::Department || (me.role == Role::Supervisor && me.region_code.len() == 9);
    let office = matches!(me.role, Role::Admin | Role::Supervisor);
    html! {
        <>
        { if district { link(Route::Tasks, DutyNav::TaskBoard, "tasks-link") } else { html! {} } }
        { if unit { link(Route::MyTasks, DutyNav::MyTasks, "my-tasks-link") } else { html! {} } }
        { if office { link(Route::Performance, DutyNav::Performance, "performance-link") } else { html! {} } }
        </>
    }
}
