//! Routes, the session and the sync loop.

use std::rc::Rc;

use gridwork_shared::api::Me;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::{Text, t};
use crate::lazy::Lazy;
use crate::pages::{home::Home, login::Login};
use crate::services::{api, queue};

#[derive(Routable, Clone, PartialEq, Debug)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    #[at("/report")]
    Report,
    #[at("/incidents/:id")]
    Incident { id: String },
    #[at("/persons/:id/visit")]
    Visit { id: String },
    #[at("/units")]
    Units,
    #[at("/map")]
    Map,
    #[at("/admin")]
    Admin,
    #[at("/units/:id/inspect")]
    Inspect { id: String },
    #[at("/queue")]
    Queue,
    #[at("/visits/overdue")]
    OverdueVisits,
    #[at("/figures")]
    Figures,
    #[at("/cells")]
    Cells,
    #[at("/cells/:code")]
    Cell { code: String },
    #[at("/persons")]
    Persons,
    #[at("/persons/new")]
    PersonNew,
    #[at("/persons/:id")]
    Person { id: String },
    #[at("/persons/:id/edit")]
    PersonEdit { id: String },
    #[at("/units/new")]
    UnitNew,
    #[at("/units/:id")]
    Unit { id: String },
    #[at("/safety")]
    Safety,
    #[at("/admin/regions")]
    AdminRegions,
    #[at("/admin/users")]
    AdminUsers,
    #[at("/admin/users/:id")]
    AdminUser { id: String },
    #[at("/admin/settings")]
    AdminSettings,
    #[at("/admin/audit")]
    AdminAudit,
    #[at("/admin/api-keys")]
    AdminApiKeys,
    #[at("/me")]
    Me,
    #[at("/outbox")]
    Outbox,
    #[at("/notifications")]
    Notifications,
    // The responsibility system: departments, tasks, a unit's own tasks, the records.
    #[at("/admin/departments")]
    AdminDepartments,
    #[at("/tasks")]
    Tasks,
    #[at("/tasks/:id")]
    Task { id: String },
    #[at("/my-tasks")]
    MyTasks,
    #[at("/my-tasks/:id")]
    TaskProgress { id: String },
    #[at("/performance")]
    Performance,
    // The deliberation hall and the selections (pages/hall.rs, pages/selections.rs).
    #[at("/hall")]
    Hall,
    #[at("/hall/new")]
    HallNew,
    #[at("/hall/:id")]
    HallItem { id: String },
    #[at("/campaigns")]
    Campaigns,
    #[at("/campaigns/new")]
    CampaignNew,
    #[at("/campaigns/:id")]
    Campaign { id: String },
    #[at("/honours")]
    Honours,
    #[at("/team")]
    MyTeam,
    #[at("/teams")]
    Teams,
    #[at("/teams/new")]
    TeamNew,
    #[at("/teams/:id")]
    Team { id: String },
    #[at("/figures/teams")]
    TeamFigures,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// What every page can see: who is logged in and where sync stands.
#[derive(Clone, PartialEq)]
pub struct Session {
    pub me: Option<Me>,
    pub pending: u32,
    /// Operations the server refused, kept on the phone until fixed or discarded.
    pub refused: u32,
    /// Notifications on the phone not read yet (the bell in the top bar).
    pub unread: u32,
    pub online: bool,
    pub message: Option<String>,
    /// Bumped after every successful pull, so lists reload.
    pub generation: u32,
    pub set_me: Callback<Option<Me>>,
    pub sync_now: Callback<()>,
}

pub type SessionCtx = Rc<Session>;

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Login => html! { <Login /> },
        Route::NotFound => html! { <Redirect<Route> to={Route::Home} /> },
        other => html! { <Lazy route={other} /> },
    }
}

#[component]
pub fn App() -> Html {
    let me = use_state(api::me);
    let pending = use_state(|| 0u32);
    let refused = use_state(|| 0u32);
    let unread = use_state(|| 0u32);
    let online = use_state(|| true);
    let message = use_state(|| None::<String>);
    let generation = use_state(|| 0u32);
    let kick = use_state(|| 0u32);

    // The first screen is up and its handlers attached: what the time-to-interactive
    // measurement waits for (`cargo xtask bench-web`).
    use_effect_with((), |_| {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("gridwork-interactive");
        }
        wasm_bindgen_futures::spawn_local(async {
            if let Ok(tidy) = crate::lazy::tidy().await {
                tidy.await;
            }
        });
    });

    let sync_now = {
        let kick = kick.clone();
        Callback::from(move |_| kick.set(*kick + 1))
    };

    // The live notification stream while signed in: a notification starts a sync round,
    // which brings it and its record to the phone.
    let stream = use_mut_ref(crate::services::live::Stream::default);
    // What the stream's handler calls: this render's `sync_now` (a handler made once would
    // hold the first render's count and bump it to the same value ever after).
    let wake = use_mut_ref(Callback::<()>::noop);
    *wake.borrow_mut() = sync_now.clone();
    {
        let stream = stream.clone();
        use_effect_with(me.as_ref().map(|m| m.id), move |_| {
            stream.borrow_mut().close();
        });
    }
    // One sync round: push the queue, then pull; on failure try again later, backing off.
    {
        let (pending, refused, online, message, generation, me, unread) = (
            pending.clone(),
            refused.clone(),
            online.clone(),
            message.clone(),
            generation.clone(),
            me.clone(),
            unread.clone(),
        );
        let stream = stream.clone();
        let wake = wake.clone();
        use_effect_with((*kick, me.is_some()), move |(_, logged_in)| {
            let logged_in = *logged_in;
            wasm_bindgen_futures::spawn_local(async move {
                pending.set(queue::pending_count().await);
                refused.set(queue::refused_count().await);
                if !logged_in {
                    return;
                }
                let (flushed, pulled, unread_now) = match crate::lazy::sync_round().await {
                    Ok(round) => round.await,
                    // The sync code itself could not be fetched: try again later.
                    Err(_) => {
                        online.set(false);
                        return;
                    }
                };
                match flushed {
                    Ok(f) => {
                        online.set(true);
                        // Refused operations are counted in the top bar, which leads to them.
                        if f.conflicts > 0 {
                            message.set(Some(t(Text::Conflict).to_string()));
                        }
                    }
                    Err(api::ApiError::LoggedOut) => me.set(api::me()),
                    Err(_) => online.set(false),
                }
                pending.set(queue::pending_count().await);
                refused.set(queue::refused_count().await);
                match pulled {
                    Ok(_) => {
                        online.set(true);
                        generation.set(*generation + 1);
                        unread.set(unread_now);
                        // Online and signed in: listen for notifications (again, when the
                        // stream ended for good, as with a token that expired).
                        crate::services::live::keep_open(&stream, move || wake.borrow().emit(()));
                    }
                    Err(api::ApiError::LoggedOut) => me.set(api::me()),
                    Err(_) => online.set(false),
                }
            });
        });
    }
    // Retry with backoff: 5 s while offline or with work queued, doubling to 5 minutes.
    {
        let kick = kick.clone();
        let busy = !*online || *pending > 0;
        use_effect_with((*kick, busy), move |(n, busy)| {
            let delay_ms = crate::logic::retry_delay_ms(*n, *busy);
            let kick = kick.clone();
            let timer = gloo_timers::callback::Timeout::new(delay_ms, move || kick.set(*kick + 1));
            move || drop(timer)
        });
    }

    let session = Rc::new(Session {
        me: (*me).clone(),
        pending: *pending,
        refused: *refused,
        unread: *unread,
        online: *online,
        message: (*message).clone(),
        generation: *generation,
        set_me: {
            let me = me.clone();
            let kick = kick.clone();
            Callback::from(move |m: Option<Me>| {
                me.set(m);
                kick.set(*kick + 1);
            })
        },
        sync_now,
    });
    html! {
        <ContextProvider<SessionCtx> context={session}>
            <BrowserRouter>
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </ContextProvider<SessionCtx>>
    }
}
