//! Screens loaded on demand. The first screens (login, home) are in the main wasm module;
//! every other screen is split out of it at build time (`cargo xtask web` runs the
//! splitter on the split points below) into a chunk that is fetched the first time the
//! screen opens — from the service worker's cache when there is no network, since the
//! service worker precaches every chunk. A phone downloads and compiles only what its
//! first screen needs before the worker can use it.
//!
//! The sync engine (push, pull, photo uploads) is split off the same way: the first
//! screen shows what IndexedDB holds and the first sync round starts once its chunk is in.
//! The screens every user has (one's own profile, the outbox) ride in the sync chunk.
//!
//! Screens are grouped into few chunks on purpose: the splitter makes a shared chunk for
//! every set of groups that uses the same code, so each group more multiplies the small
//! files to fetch and the loader's size in the first download. Groups: report; incident;
//! persons (with the visit form); units (with inspections); cells; office (the
//! supervisor's and the admin's screens); sync.
//!
//! The `wasm_split` macro expands each split point into an `extern "C"` import/export
//! pair that the splitter rewires; that is the only unsafe code in the client, and none is
//! written by hand here.
#![allow(unsafe_code)]

use std::future::Future;
use std::pin::Pin;

use wasm_split_helpers::{SplitLoaderError, wasm_split};
use yew::prelude::*;

use crate::app::Route;
use crate::components::page::Page;
use crate::i18n::{Text, t};
use crate::services::queue::SyncOutcome;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub route: Route,
}

/// Renders `route` once its chunk is loaded: a placeholder until then, and a retry button
/// if the chunk could not be fetched. With no service worker yet (a first visit that lost
/// the network before the worker had cached the app) the retry fetches the chunk again. With
/// one, every chunk of the running build is in its cache, so a miss means the page is older
/// than the service worker (the app was updated while it stayed open): the retry reloads
/// into the new build, which the service worker holds whole.
#[component]
pub fn Lazy(props: &Props) -> Html {
    let loaded = use_state(|| None::<(Route, Html)>);
    let failed = use_state(|| None::<Route>);
    let attempt = use_state(|| 0u32);
    let signed_in = crate::hooks::use_session().me.is_some();
    {
        let (loaded, failed) = (loaded.clone(), failed.clone());
        use_effect_with((props.route.clone(), *attempt), move |(route, _)| {
            let route = route.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match screen(route.clone()).await {
                    Ok(html) => loaded.set(Some((route, html))),
                    Err(_) => failed.set(Some(route)),
                }
            });
        });
    }
    if !signed_in {
        // A link opened signed out (or a session that ended): to the login screen, which
        // comes back here.
        crate::pages::login::remember(&props.route);
        return html! { <yew_router::prelude::Redirect<Route> to={Route::Login} /> };
    }
    if let Some((route, html)) = &*loaded
        && *route == props.route
    {
        return html.clone();
    }
    let body = if failed.as_ref() == Some(&props.route) {
        let retry = {
            let (attempt, failed) = (attempt.clone(), failed.clone());
            Callback::from(move |_| {
                let window = web_sys::window();
                let controlled = window
                    .as_ref()
                    .and_then(|w| w.navigator().service_worker().controller())
                    .is_some();
                if let (true, Some(w)) = (controlled, window) {
                    let _ = w.location().reload();
                    return;
                }
                failed.set(None);
                attempt.set(*attempt + 1);
            })
        };
        html! {
            <>
            <p class="error">{ t(Text::ScreenUnavailable) }</p>
            <button class="primary" onclick={retry}>{ t(Text::Retry) }</button>
            </>
        }
    } else {
        html! { <p class="loading" data-testid="screen-loading">{ t(Text::Loading) }</p> }
    };
    html! { <Page>{ body }</Page> }
}

/// The screen of `route`, loading its chunk first.
async fn screen(route: Route) -> Result<Html, SplitLoaderError> {
    match route {
        Route::Report => report().await,
        Route::Incident { id } => incident(id).await,
        Route::Visit { id } => visit(id).await,
        Route::Units => units().await,
        Route::Inspect { id } => inspect(id).await,
        Route::Map => map().await,
        Route::Admin => admin().await,
        Route::Queue => queue().await,
        Route::OverdueVisits => overdue_visits().await,
        Route::Figures => figures().await,
        Route::Cells => cells().await,
        Route::Cell { code } => cell(code).await,
        Route::Persons => persons().await,
        Route::PersonNew => person_new().await,
        Route::Person { id } => person(id).await,
        Route::PersonEdit { id } => person_edit(id).await,
        Route::UnitNew => unit_new().await,
        Route::Unit { id } => unit(id).await,
        Route::Safety => safety().await,
        Route::AdminRegions => admin_regions().await,
        Route::AdminUsers => admin_users().await,
        Route::AdminUser { id } => admin_user(id).await,
        Route::AdminSettings => admin_settings().await,
        Route::AdminAudit => admin_audit().await,
        Route::AdminApiKeys => admin_api_keys().await,
        Route::Me => me().await,
        Route::Outbox => outbox().await,
        Route::Notifications => notifications().await,
        Route::AdminDepartments => duty(DutyScreen::Departments).await,
        Route::Tasks => duty(DutyScreen::Tasks).await,
        Route::Task { id } => duty(DutyScreen::Task(id)).await,
        Route::MyTasks => duty(DutyScreen::MyTasks).await,
        Route::TaskProgress { id } => duty(DutyScreen::Progress(id)).await,
        Route::Performance => duty(DutyScreen::Performance).await,
        Route::Hall => hall().await,
        Route::HallNew => hall_new().await,
        Route::HallItem { id } => hall_item(id).await,
        Route::Campaigns => campaigns().await,
        Route::CampaignNew => campaign_new().await,
        Route::Campaign { id } => campaign(id).await,
        Route::Honours => honours().await,
        Route::MyTeam => my_team().await,
        Route::Teams => teams().await,
        Route::TeamNew => team_new().await,
        Route::Team { id } => team(id).await,
        Route::TeamFigures => team_figures().await,
        Route::Home | Route::Login | Route::NotFound => Ok(html! {}),
    }
}

#[wasm_split(report, fallible)]
fn report() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::report::Report /> })
}

#[wasm_split(incident, fallible)]
fn incident(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::incident::IncidentPage id={id} /> })
}

#[wasm_split(persons, fallible)]
fn visit(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::visit::VisitPage id={id} /> })
}

#[wasm_split(units, fallible)]
fn units() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::units::Units /> })
}

#[wasm_split(units, fallible)]
fn inspect(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::inspect::Inspect id={id} /> })
}

#[wasm_split(cells, fallible)]
fn cells() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::cells::MyCells /> })
}

#[wasm_split(office, fallible)]
fn map() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::map::MapPage /> })
}

#[wasm_split(office, fallible)]
fn admin() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::admin::Admin /> })
}

#[wasm_split(office, fallible)]
fn queue() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::queue::QueuePage /> })
}

#[wasm_split(office, fallible)]
fn overdue_visits() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::overdue::OverdueVisits /> })
}

#[wasm_split(office, fallible)]
fn figures() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::figures::Figures /> })
}

#[wasm_split(office, fallible)]
fn cell(code: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::cell::CellPage code={code} /> })
}

#[wasm_split(office, fallible)]
fn safety() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::safety::Safety /> })
}

#[wasm_split(persons, fallible)]
fn persons() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::persons::Persons /> })
}

#[wasm_split(persons, fallible)]
fn person_new() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::person::PersonNew /> })
}

#[wasm_split(persons, fallible)]
fn person(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::person::PersonPage id={id} /> })
}

#[wasm_split(persons, fallible)]
fn person_edit(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::person::PersonEdit id={id} /> })
}

#[wasm_split(units, fallible)]
fn unit_new() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::unit::UnitNew /> })
}

#[wasm_split(units, fallible)]
fn unit(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::unit::UnitPage id={id} /> })
}

#[wasm_split(office, fallible)]
fn admin_regions() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::regions::Regions /> })
}

#[wasm_split(office, fallible)]
fn admin_users() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::users::Users /> })
}

#[wasm_split(office, fallible)]
fn admin_user(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::users::UserPage id={id} /> })
}

#[wasm_split(office, fallible)]
fn admin_settings() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::settings::Settings /> })
}

#[wasm_split(office, fallible)]
fn admin_api_keys() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::api_keys::ApiKeys /> })
}

#[wasm_split(office, fallible)]
fn admin_audit() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::audit::Audit /> })
}

#[wasm_split(sync, fallible)]
fn me() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::me::MePage /> })
}

#[wasm_split(sync, fallible)]
fn outbox() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::outbox::Outbox /> })
}

#[wasm_split(sync, fallible)]
fn notifications() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::notifications::Notifications /> })
}

/// The screens of the responsibility system (departments, tasks, a unit's own tasks and its
/// progress form, the performance records), in the office group: one split point for all.
pub enum DutyScreen {
    Departments,
    Tasks,
    Task(String),
    MyTasks,
    Progress(String),
    Performance,
}

#[wasm_split(office, fallible)]
fn duty(screen: DutyScreen) -> Result<Html, SplitLoaderError> {
    use crate::pages::{departments, my_tasks, performance, tasks};
    Ok(match screen {
        DutyScreen::Departments => html! { <departments::Departments /> },
        DutyScreen::Tasks => html! { <tasks::TaskBoard /> },
        DutyScreen::Task(id) => html! { <tasks::TaskPage id={id} /> },
        DutyScreen::MyTasks => html! { <my_tasks::MyTasks /> },
        DutyScreen::Progress(id) => html! { <my_tasks::ProgressForm id={id} /> },
        DutyScreen::Performance => html! { <performance::Performance /> },
    })
}

// The deliberation hall and the selections: phone screens of the community's work, with
// the cells group.
#[wasm_split(cells, fallible)]
fn hall() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::hall::HallList /> })
}

#[wasm_split(cells, fallible)]
fn hall_new() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::hall::HallNew /> })
}

#[wasm_split(cells, fallible)]
fn hall_item(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::hall::HallItem id={id} /> })
}

#[wasm_split(cells, fallible)]
fn campaigns() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::selections::Campaigns /> })
}

#[wasm_split(cells, fallible)]
fn campaign_new() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::selections::CampaignNew /> })
}

#[wasm_split(cells, fallible)]
fn campaign(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::selections::CampaignPage id={id} /> })
}

#[wasm_split(cells, fallible)]
fn honours() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::selections::Honours /> })
}

#[wasm_split(cells, fallible)]
fn my_team() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::team::MyTeam /> })
}

#[wasm_split(office, fallible)]
fn teams() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::teams::Teams /> })
}

#[wasm_split(office, fallible)]
fn team_new() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::teams::TeamNew /> })
}

#[wasm_split(office, fallible)]
fn team(id: String) -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::teams::TeamPage id={id} /> })
}

#[wasm_split(office, fallible)]
fn team_figures() -> Result<Html, SplitLoaderError> {
    Ok(html! { <crate::pages::teams::TeamFigures /> })
}

/// A part of the first screens drawn by the sync chunk (`components/deferred.rs`).
#[wasm_split(sync, fallible)]
pub fn deferred(part: crate::components::deferred::Part) -> Result<Html, SplitLoaderError> {
    use crate::components::deferred::Part;
    use crate::components::notices::{HomeIncidents, Notices};
    Ok(match part {
        Part::Notices => html! { <Notices /> },
        Part::Incidents => html! { <HomeIncidents /> },
    })
}

/// One sync round (`queue::sync_round`), from the sync chunk.
#[wasm_split(sync, fallible)]
pub fn sync_round() -> Result<Pin<Box<dyn Future<Output = SyncOutcome>>>, SplitLoaderError> {
    Ok(Box::pin(crate::services::queue::sync_round()))
}

/// The phone's housekeeping at start (`queue::tidy`), from the sync chunk.
#[wasm_split(sync, fallible)]
pub fn tidy() -> Result<Pin<Box<dyn Future<Output = ()>>>, SplitLoaderError> {
    Ok(Box::pin(crate::services::queue::tidy()))
}
