//! The deliberation hall (议事厅): a community's items by status, an item's page (its
//! sessions with their votes, its history, the decision and the published outcome, and the
//! steps the caller may take), raising an item and recording a session. Raising and
//! sessions are field work: they are queued (`deliberation.create`, `deliberation.session`)
//! and work with no signal; the steps (accept, decline, decide, implement, complete) go to
//! the server with the version the item was read at. The server decides what each user
//! reads: the list shows what it answers, or with no signal what the last pull brought.

use std::collections::BTreeSet;

use gridwork_shared::ErrorCode;
use gridwork_shared::api::{Cell, Me, Page as Paged, Region, Role};
use gridwork_shared::codes::RegionLevel;
use gridwork_shared::deliberation::{
    Deliberation, DeliberationAction, DeliberationActionRequest, DeliberationDetail,
    DeliberationStatus, NewDeliberation, NewSession, Session, Votes, passes, transition,
};
use gridwork_shared::incident::{Incident, IncidentDetail};
use gridwork_shared::sync::{OnDeliberation, Operation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::list::chip;
use crate::components::page::{Back, Page, Waiting};
use crate::components::when::at;
use crate::hooks::{use_field_form, use_loaded, use_local, use_local_record, use_session};
use crate::i18n::halls::{HallText, action as action_text, status as status_text, step_word};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::logic::{day, local_input, parse_local_time};
use crate::services::api::{self, ApiError};
use crate::services::queue;

/// The steps an item may take, in the order their buttons show.
const STEPS: [DeliberationAction; 5] = [
    DeliberationAction::Accept,
    DeliberationAction::Decline,
    DeliberationAction::Decide,
    DeliberationAction::Implement,
    DeliberationAction::Complete,
];

/// Who raises items: workers, supervisors and volunteers.
pub fn may_raise(role: Role) -> bool {
    matches!(role, Role::Worker | Role::Supervisor | Role::Volunteer)
}

/// The steps `me` may take on `item` now: what the state machine allows from its status,
/// and by the contract's roles — accept, decline and decide for a supervisor of the
/// community or above (and admins), implement and complete for workers too.
pub fn steps_for(me: &Me, item: &Deliberation) -> Vec<DeliberationAction> {
    STEPS
        .into_iter()
        .filter(|a| transition(item.status, *a).is_some())
        .filter(|a| match me.role {
            Role::Admin => true,
            Role::Supervisor => item.region_code.starts_with(&me.region_code),
            Role::Worker => !a.needs_supervisor(),
            Role::Volunteer | Role::Department => false,
        })
        .collect()
}

/// Whether `me` records sessions of `item`: workers and supervisors in scope, on an
/// accepted item.
pub fn records_sessions(me: &Me, item: &Deliberation) -> bool {
    item.status == DeliberationStatus::Accepted
        && match me.role {
            Role::Worker => true,
            Role::Supervisor => item.region_code.starts_with(&me.region_code),
            _ => false,
        }
}

/// The communities `me` may raise an item in, `(code, name)` by code: a worker's are those
/// of its cells; a supervisor's or volunteer's those under its region (from the regions the
/// server lists, the cells the phone holds, and its own region when it is a community).
/// Named when `regions` knows them.
pub fn communities(
    me: &Me,
    cell_communities: &[String],
    regions: &[Region],
) -> Vec<(String, String)> {
    let mut codes = BTreeSet::new();
    match me.role {
        Role::Worker => codes.extend(cell_communities.iter().cloned()),
        Role::Supervisor | Role::Volunteer => {
            let under = |c: &str| c.starts_with(&me.region_code);
            codes.extend(
                regions
                    .iter()
                    .filter(|r| r.level == RegionLevel::Community && under(&r.code))
                    .map(|r| r.code.clone()),
            );
            codes.extend(cell_communities.iter().filter(|c| under(c)).cloned());
            if me.region_code.len() == 12 {
                codes.insert(me.region_code.clone());
            }
        }
        Role::Admin | Role::Department => {}
    }
    codes
        .into_iter()
        .map(|c| {
            let name = region_name(regions, &c);
            (c, name)
        })
        .collect()
}

/// A region's name and code, or its code alone when `regions` does not know it.
pub fn region_name(regions: &[Region], code: &str) -> String {
    match regions.iter().find(|r| r.code == code) {
        Some(r) => format!("{} {}", r.name, r.code),
        None => code.to_string(),
    }
}

/// The community of an incident's cell (a cell's code is its community's and 3 digits).
pub fn community_of_cell(cell_code: &str) -> Option<String> {
    cell_code.get(..12).map(str::to_string)
}

/// An item as the list shows it: on the server (or the phone's copy), or raised here and
/// waiting to be sent (`status` `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: Uuid,
    pub title: String,
    pub region_code: String,
    pub status: Option<DeliberationStatus>,
    pub day: Option<String>,
}

/// The rows of the list: items waiting to be sent first (newest on top), then the others
/// newest first; `status` (empty: every) filters them, a waiting item counting as raised.
/// A queued item the server already has shows once, as the server's.
pub fn rows(items: &[Deliberation], queued: &[NewDeliberation], status: &str) -> Vec<Row> {
    let wanted = |s: DeliberationStatus| status.is_empty() || s.as_str() == status;
    let mut out: Vec<Row> = queued
        .iter()
        .rev()
        .filter(|q| !items.iter().any(|i| i.id == q.id))
        .filter(|_| wanted(DeliberationStatus::Raised))
        .map(|q| Row {
            id: q.id,
            title: q.title.trim().to_string(),
            region_code: q.region_code.clone(),
            status: None,
            day: None,
        })
        .collect();
    let mut rest: Vec<&Deliberation> = items.iter().filter(|i| wanted(i.status)).collect();
    rest.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    out.extend(rest.into_iter().map(|i| Row {
        id: i.id,
        title: i.title.clone(),
        region_code: i.region_code.clone(),
        status: Some(i.status),
        day: Some(day(&i.created_at)),
    }));
    out
}

/// The regions the server lists to the caller (empty with no network).
#[hook]
pub fn use_regions() -> Vec<Region> {
    let regions = use_loaded((), |_| async {
        api::get::<Vec<Region>>("/api/v1/regions")
            .await
            .unwrap_or_default()
    });
    (*regions).clone().unwrap_or_default()
}

/// The communities of the cells the phone holds.
#[hook]
pub fn use_cell_communities() -> Vec<String> {
    let cells = use_local(queue::records::<Cell>);
    let mut out: Vec<String> = cells
        .iter()
        .flatten()
        .map(|c| c.properties.community_code.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[component]
pub fn HallList() -> Html {
    let session = use_session();
    let status = use_state(String::new);
    let server = use_loaded(
        ((*status).clone(), session.generation),
        |(status, _)| async move {
            let filter = match status.is_empty() {
                true => String::new(),
                false => format!("&status={status}"),
            };
            api::get::<Paged<Deliberation>>(&format!("/api/v1/deliberations?limit=200{filter}"))
                .await
        },
    );
    let local = use_local(queue::records::<Deliberation>);
    let queued = use_local(queue::queued_hall);
    let regions = use_regions();
    let Some(me) = session.me.clone() else {
        return html! {};
    };
    let (items, offline): (Vec<Deliberation>, bool) = match &*server {
        Some(Ok(p)) => (p.items.clone(), false),
        Some(Err(_)) => ((*local).clone().unwrap_or_default(), true),
        None => ((*local).clone().unwrap_or_default(), false),
    };
    let queued_items = queued.as_ref().map(|q| q.items.clone()).unwrap_or_default();
    let shown = rows(&items, &queued_items, &status);
    html! {
        <Page testid="hall">
            <h1>{ t(HallText::Hall) }</h1>
            { if may_raise(me.role) { html! {
                <Link<Route> to={Route::HallNew} classes="primary big">{ format!("＋ {}", t(HallText::Raise)) }</Link<Route>>
            } } else { html! {} } }
            <form class="card filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t(ScreenText::Status) }
                    <Choice name="status" empty={t(HallText::AllStatuses)} value={(*status).clone()} onchange={keep(&status)}
                        options={DeliberationStatus::ALL.iter().map(|s| (AttrValue::from(s.as_str()), AttrValue::from(t(status_text(*s))))).collect::<Vec<_>>()} />
                </label>
            </form>
            { if offline { html! { <p class="notice">{ t(ScreenText::OfflineList) }</p> } } else { html! {} } }
            <p><small data-testid="shown">{ format!("{} {}", shown.len(), t(HallText::Shown)) }</small></p>
            <ul class="list" data-testid="hall-items">
                { if shown.is_empty() { html! { <li class="empty">{ t(Text::Nothing) }</li> } } else { html! {} } }
                { for shown.iter().map(|r| html! {
                    <li class="item" data-item={r.id.to_string()}>
                        <Link<Route> to={Route::HallItem { id: r.id.to_string() }}>
                            <strong>{ &r.title }</strong>
                            { match r.status {
                                Some(s) => html! { <span data-testid="status">{ chip(t(status_text(s)), false) }</span> },
                                None => html! { <span data-testid="waiting">{ chip(t(HallText::Waiting), true) }</span> },
                            } }
                            <small>{ region_name(&regions, &r.region_code) }</small>
                            { for r.day.iter().map(|d| html! { <small>{ d }</small> }) }
                        </Link<Route>>
                    </li>
                }) }
            </ul>
            <Back />
        </Page>
    }
}

/// `/hall/new?incident=ID`: the raise form opened from an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FromIncident {
    pub incident: String,
}

/// The incident `id`: the phone's copy, else the server's.
async fn incident(id: String) -> Option<Incident> {
    if let Some(i) = queue::records::<Incident>()
        .await
        .into_iter()
        .find(|i| i.id.to_string() == id)
    {
        return Some(i);
    }
    api::get::<IncidentDetail>(&format!("/api/v1/incidents/{id}"))
        .await
        .ok()
        .map(|d| d.incident)
}

/// Raising an item: title, description, the community (one of the caller's), and the
/// incident it comes from when opened from one. Checked on the phone by the shared rule,
/// then queued as `deliberation.create`; the item's page opens at once.
#[component]
pub fn HallNew() -> Html {
    let session = use_session();
    let source = use_location()
        .and_then(|l| l.query::<FromIncident>().ok())
        .and_then(|q| Uuid::parse_str(&q.incident).ok());
    let title = use_state(String::new);
    let description = use_state(String::new);
    let region = use_state(String::new);
    let form = use_field_form();
    let regions = use_regions();
    let cell_communities = use_cell_communities();
    let from = use_loaded(source, |id| async move {
        match id {
            Some(id) => incident(id.to_string()).await,
            None => None,
        }
    });
    // Opened from an incident: its words and its cell's community, to change if need be.
    {
        let (title, description, region) = (title.clone(), description.clone(), region.clone());
        use_effect_with((*from).clone().flatten(), move |i| {
            if let Some(i) = i {
                title.set(i.title.clone());
                description.set(i.description.clone());
                region.set(community_of_cell(&i.cell_code).unwrap_or_default());
            }
        });
    }
    let me = session.me.clone();
    let mut choices = me
        .as_ref()
        .map(|me| communities(me, &cell_communities, &regions))
        .unwrap_or_default();
    // Only one choice: it is the one.
    {
        let region = region.clone();
        let only = (choices.len() == 1).then(|| choices[0].0.clone());
        use_effect_with(only, move |only| {
            if let Some(c) = only
                && region.is_empty()
            {
                region.set(c.clone());
            }
        });
    }
    // The incident's community, when the lists do not name it (the server decides).
    if !region.is_empty() && !choices.iter().any(|(c, _)| *c == *region) {
        choices.push(((*region).clone(), region_name(&regions, &region)));
    }
    let submit = {
        let (title, description, region, form) = (
            title.clone(),
            description.clone(),
            region.clone(),
            form.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let new = NewDeliberation {
                id: Uuid::new_v4(),
                region_code: (*region).clone(),
                title: title.trim().to_string(),
                description: description.trim().to_string(),
                source_incident_id: source,
            };
            if let Err(errors) = new.validate() {
                form.fail(field_errors(&errors));
                return;
            }
            let id = new.id.to_string();
            form.send_in_place_of(
                Operation::DeliberationCreate(new),
                None,
                Route::HallItem { id },
                None,
            );
        })
    };
    if !me.is_some_and(|me| may_raise(me.role)) {
        return html! { <Page testid="hall-new"><p class="error">{ t(crate::i18n::problems::ProblemText::Forbidden) }</p><Back to={Route::Hall} /></Page> };
    }
    html! {
        <Page testid="hall-new">
            <form class="card" onsubmit={submit}>
                <h1>{ t(HallText::RaiseTitle) }</h1>
                { for source.map(|id| html! {
                    <p data-testid="source-incident">{ format!("{}: ", t(HallText::FromIncident)) }
                        <Link<Route> to={Route::Incident { id: id.to_string() }}>
                            { (*from).clone().flatten().map(|i| i.title).unwrap_or_else(|| id.to_string()) }
                        </Link<Route>>
                    </p>
                }) }
                <label>{ t(HallText::Community) }
                    <Choice name="region" empty={t(ScreenText::Choose)} value={(*region).clone()} onchange={keep(&region)}
                        options={choices.iter().map(|(c, n)| (AttrValue::from(c.clone()), AttrValue::from(n.clone()))).collect::<Vec<_>>()} />
                </label>
                { if choices.is_empty() { html! { <p class="hint">{ t(HallText::NoCommunity) }</p> } } else { html! {} } }
                <label>{ t(ScreenText::Title) }
                    <input name="title" value={(*title).clone()} oninput={on_input(&title)} />
                </label>
                <label>{ t(ScreenText::Description) }
                    <textarea name="description" value={(*description).clone()} oninput={on_input(&description)} />
                </label>
                { alert(&form.error) }
                <button class="primary big" type="submit">{ t(ScreenText::Submit) }</button>
                <Back to={Route::Hall} />
            </form>
        </Page>
    }
}

/// The button on an incident's page that opens the raise form from it, for those who
/// raise items (the incident is one they can see: it is on their screen).
pub fn to_hall_button(incident: Uuid, role: Role) -> Html {
    if !may_raise(role) {
        return html! {};
    }
    html! {
        <div data-testid="to-hall">
            <Link<Route, FromIncident> to={Route::HallNew} query={Some(FromIncident { incident: incident.to_string() })} classes="big">
                { t(HallText::TakeToHall) }
            </Link<Route, FromIncident>>
        </div>
    }
}

/// An item read from the phone's copy: no sessions, no history.
fn from_device(d: Deliberation) -> DeliberationDetail {
    DeliberationDetail {
        deliberation: d,
        sessions: Vec::new(),
        history: Vec::new(),
    }
}

fn session_item(s: &Session, waiting: bool) -> Html {
    let passed = s.passed;
    html! {
        <li class={classes!("item", (!passed).then_some("late"))} data-session={s.id.to_string()}>
            <strong>{ at(&s.held_at) }</strong>
            <span data-testid="vote">{ chip(t(if passed { HallText::Passed } else { HallText::NotPassed }), !passed) }</span>
            { if waiting { chip(t(HallText::Waiting), true) } else { html! {} } }
            <small>{ &s.place }</small>
            <span data-testid="tally">{ format!(
                "{} {} · {} {} · {} {} · {} {}",
                t(HallText::Attendees), s.attendees,
                t(HallText::For), s.votes.votes_for,
                t(HallText::Against), s.votes.against,
                t(HallText::Abstain), s.votes.abstain,
            ) }</span>
            { if s.minutes.is_empty() { html! {} } else { html! { <p class="note">{ &s.minutes }</p> } } }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub id: String,
}

/// An item's page: from the server when it answers, else the phone's copy (without
/// sessions and history), else the item raised here and waiting to be sent.
#[component]
pub fn HallItem(props: &ItemProps) -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    let detail = use_loaded(
        (props.id.clone(), session.generation, *reload),
        |(id, _, _)| async move {
            api::get::<DeliberationDetail>(&format!("/api/v1/deliberations/{id}")).await
        },
    );
    let local = use_local_record::<Deliberation>(&props.id);
    let queued = use_loaded((session.generation, *reload), |_| queue::queued_hall());
    let regions = use_regions();
    let decision = use_state(String::new);
    let note = use_state(String::new);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let Some(me) = session.me.clone() else {
        return html! {};
    };
    let queued = (*queued).clone().unwrap_or_default();
    let waiting_item = queued
        .items
        .iter()
        .find(|q| q.id.to_string() == props.id)
        .cloned();
    let (d, online) = match &*detail {
        Some(Ok(d)) => (Some(d.clone()), true),
        Some(Err(ApiError::Problem(p))) if p.status == 404 => (None, false),
        _ => (local.clone().map(from_device), false),
    };
    let Some(d) = d else {
        if let Some(q) = waiting_item {
            return html! {
                <Page testid="hall-item">
                    <h1>{ &q.title }</h1>
                    <p><span data-testid="waiting">{ chip(t(HallText::Waiting), true) }</span></p>
                    <p class="notice">{ t(HallText::WaitingItem) }</p>
                    <p class="note">{ &q.description }</p>
                    <dl data-testid="facts">
                        <dt>{ t(HallText::Community) }</dt><dd>{ region_name(&regions, &q.region_code) }</dd>
                    </dl>
                    <Back to={Route::Hall} />
                </Page>
            };
        }
        return match &*detail {
            Some(Err(ApiError::Problem(p))) if p.status == 404 => html! {
                <Page testid="hall-item"><p class="error">{ t(HallText::NotFound) }</p><Back to={Route::Hall} /></Page>
            },
            Some(Err(e)) => html! {
                <Page testid="hall-item">{ alert(&Some(e.message())) }<Back to={Route::Hall} /></Page>
            },
            _ => html! { <Waiting /> },
        };
    };
    let item = d.deliberation.clone();
    let steps = steps_for(&me, &item);
    let take = {
        let (decision, note, error, notice, busy, reload) = (
            decision.clone(),
            note.clone(),
            error.clone(),
            notice.clone(),
            busy.clone(),
            reload.clone(),
        );
        let (id, version) = (item.id, item.version);
        Callback::from(move |a: DeliberationAction| {
            let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            let req = DeliberationActionRequest {
                action: a,
                version,
                note: match a {
                    DeliberationAction::Complete | DeliberationAction::Decline => text(&note),
                    _ => None,
                },
                decision: match a {
                    DeliberationAction::Decide => text(&decision),
                    _ => None,
                },
            };
            notice.set(None);
            if let Err(errors) = req.validate() {
                error.set(Some(field_errors(&errors)));
                return;
            }
            error.set(None);
            busy.set(true);
            let (decision, note, error, notice, busy, reload) = (
                decision.clone(),
                note.clone(),
                error.clone(),
                notice.clone(),
                busy.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/deliberations/{id}/actions");
                match api::post::<_, DeliberationDetail>(&path, &req).await {
                    Ok(_) => {
                        decision.set(String::new());
                        note.set(String::new());
                        notice.set(Some(t(HallText::StepDone).to_string()));
                    }
                    Err(ApiError::Offline) => error.set(Some(t(HallText::NeedsNetwork).into())),
                    Err(ApiError::Problem(p))
                        if matches!(
                            p.code,
                            ErrorCode::InvalidTransition | ErrorCode::VersionConflict
                        ) =>
                    {
                        error.set(Some(crate::i18n::problems::lines_of(&p).join("; ")));
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
                reload.set(*reload + 1);
            });
        })
    };
    let has = |a: DeliberationAction| steps.contains(&a);
    let steps_html = match (online, steps.is_empty()) {
        (_, true) => html! {},
        (false, false) => html! { <p class="notice">{ t(HallText::NeedsNetwork) }</p> },
        (true, false) => html! {
            <section class="card" data-testid="hall-steps">
                <h2>{ t(HallText::Steps) }</h2>
                { if has(DeliberationAction::Decide) { html! {
                    <label>{ t(HallText::DecisionText) }
                        <textarea name="decision" value={(*decision).clone()} oninput={on_input(&decision)} />
                    </label>
                } } else { html! {} } }
                { if has(DeliberationAction::Complete) || has(DeliberationAction::Decline) { html! {
                    <label>{ if has(DeliberationAction::Complete) { t(HallText::CompleteNote) } else { t(HallText::StepNote) } }
                        <textarea name="note" value={(*note).clone()} oninput={on_input(&note)} />
                    </label>
                } } else { html! {} } }
                <div class="actions">
                    { for steps.iter().map(|a| {
                        let a = *a;
                        html! {
                            <button class={classes!("big", (a != DeliberationAction::Decline).then_some("primary"))}
                                data-testid={format!("act-{}", a.as_str())} disabled={*busy}
                                onclick={take.reform(move |_| a)}>{ t(action_text(a)) }</button>
                        }
                    }) }
                </div>
            </section>
        },
    };
    let mine: Vec<Session> = queued
        .sessions
        .iter()
        .filter(|s| s.deliberation_id == item.id)
        .filter(|s| !d.sessions.iter().any(|x| x.id == s.body.id))
        .map(|s| Session {
            id: s.body.id,
            deliberation_id: item.id,
            held_at: s.body.held_at,
            place: s.body.place.clone(),
            attendees: s.body.attendees,
            votes: s.body.votes,
            minutes: s.body.minutes.clone(),
            passed: passes(s.body.votes.votes_for, s.body.attendees),
            recorded_by: me.id,
            created_at: s.body.held_at,
        })
        .collect();
    let on_recorded = {
        let (reload, notice) = (reload.clone(), notice.clone());
        Callback::from(move |_| {
            notice.set(None);
            reload.set(*reload + 1);
        })
    };
    html! {
        <Page testid="hall-item">
            <article class="card">
                <h1>{ &item.title }</h1>
                <p><span data-testid="status">{ chip(t(status_text(item.status)), false) }</span></p>
                { if online { html! {} } else { html! { <p class="notice">{ t(ScreenText::OfflineList) }</p> } } }
                <p class="note" data-testid="description">{ &item.description }</p>
                <dl data-testid="facts">
                    <dt>{ t(HallText::Community) }</dt><dd>{ region_name(&regions, &item.region_code) }</dd>
                    <dt>{ t(HallText::RaisedAt) }</dt><dd>{ at(&item.created_at) }</dd>
                    { for item.source_incident_id.map(|s| html! { <>
                        <dt>{ t(HallText::FromIncident) }</dt>
                        <dd data-testid="source-incident"><Link<Route> to={Route::Incident { id: s.to_string() }}>{ s.to_string() }</Link<Route>></dd>
                    </> }) }
                    { for item.decision.as_ref().map(|x| html! { <>
                        <dt>{ t(HallText::Decision) }</dt><dd data-testid="decision">{ x }</dd>
                    </> }) }
                    { for item.outcome.as_ref().map(|x| html! { <>
                        <dt>{ t(HallText::Outcome) }</dt><dd data-testid="outcome">{ x }</dd>
                    </> }) }
                    { for item.done_at.as_ref().map(|x| html! { <>
                        <dt>{ t(HallText::DoneAt) }</dt><dd>{ at(x) }</dd>
                    </> }) }
                </dl>
                { for notice.iter().map(|n| html! { <p class="notice" role="status" data-testid="notice">{ n }</p> }) }
                <div data-testid="step-error">{ alert(&error) }</div>
                { steps_html }
                <h2>{ t(HallText::Sessions) }</h2>
                <p class="hint">{ t(HallText::MajorityRule) }</p>
                { if !online { html! { <p class="empty">{ t(HallText::SessionsOnline) }</p> } }
                  else if d.sessions.is_empty() && mine.is_empty() { html! { <p class="empty">{ t(HallText::NoSessions) }</p> } }
                  else { html! {} } }
                <ul class="list" data-testid="sessions">
                    { for d.sessions.iter().map(|s| session_item(s, false)) }
                    { for mine.iter().map(|s| session_item(s, true)) }
                </ul>
                { if records_sessions(&me, &item) { html! {
                    <SessionForm item={item.id} on_recorded={on_recorded} />
                } } else { html! {} } }
                { if online { html! {
                    <>
                    <h2>{ t(ScreenText::History) }</h2>
                    <ol class="history" data-testid="history">
                        { for d.history.iter().map(|h| html! {
                            <li>
                                { at(&h.at) }
                                { format!(" {}", step_word(&h.action)) }
                                { h.to.as_deref().and_then(DeliberationStatus::parse).map(|s| format!(" → {}", t(status_text(s)))).unwrap_or_default() }
                                { h.note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default() }
                            </li>
                        }) }
                    </ol>
                    </>
                } } else { html! {} } }
                <Back to={Route::Hall} />
            </article>
        </Page>
    }
}

#[derive(Properties, PartialEq)]
struct SessionFormProps {
    item: Uuid,
    on_recorded: Callback<()>,
}

/// Recording a session: when, where, who came and how they voted, the minutes. Checked on
/// the phone by the shared rule, queued as `deliberation.session` (it works with no
/// signal) and shown at once, waiting to be sent, with whether its vote passes.
#[component]
fn SessionForm(props: &SessionFormProps) -> Html {
    let session = use_session();
    let held_at = use_state(|| local_input(&chrono::Utc::now()));
    let place = use_state(String::new);
    let attendees = use_state(String::new);
    let votes_for = use_state(String::new);
    let against = use_state(String::new);
    let abstain = use_state(String::new);
    let minutes = use_state(String::new);
    let error = use_state(|| None::<String>);
    let submit = {
        let fields = (
            held_at.clone(),
            place.clone(),
            attendees.clone(),
            votes_for.clone(),
            against.clone(),
            abstain.clone(),
            minutes.clone(),
        );
        let (error, item, on_recorded) = (error.clone(), props.item, props.on_recorded.clone());
        let session = session.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (held_at, place, attendees, votes_for, against, abstain, minutes) = fields.clone();
            let number = |s: &str| s.trim().parse::<i64>().ok();
            let Some(when) = parse_local_time(&held_at) else {
                error.set(Some(t(HallText::HeldAtNeeded).into()));
                return;
            };
            // Against and abstain left empty are none.
            let (Some(n), Some(f), Some(a), Some(b)) = (
                number(&attendees),
                number(&votes_for),
                if against.trim().is_empty() {
                    Some(0)
                } else {
                    number(&against)
                },
                if abstain.trim().is_empty() {
                    Some(0)
                } else {
                    number(&abstain)
                },
            ) else {
                error.set(Some(t(HallText::NumbersNeeded).into()));
                return;
            };
            let new = NewSession {
                id: Uuid::new_v4(),
                held_at: when,
                place: place.trim().to_string(),
                attendees: n,
                votes: Votes {
                    votes_for: f,
                    against: a,
                    abstain: b,
                },
                minutes: minutes.trim().to_string(),
            };
            if let Err(errors) = new.validate(chrono::Utc::now()) {
                error.set(Some(field_errors(&errors)));
                return;
            }
            error.set(None);
            let op = Operation::DeliberationSession(OnDeliberation {
                deliberation_id: item,
                body: new,
            });
            let (error, on_recorded, session) =
                (error.clone(), on_recorded.clone(), session.clone());
            let cleared = (place, attendees, votes_for, against, abstain, minutes);
            wasm_bindgen_futures::spawn_local(async move {
                match queue::enqueue(op).await {
                    Ok(()) => {
                        let (place, attendees, votes_for, against, abstain, minutes) = cleared;
                        for s in [&place, &attendees, &votes_for, &against, &abstain, &minutes] {
                            s.set(String::new());
                        }
                        on_recorded.emit(());
                        session.sync_now.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let number_input = |name: &'static str, label: HallText, state: &UseStateHandle<String>| {
        html! {
            <label>{ t(label) }
                <input name={name} type="number" min="0" inputmode="numeric" value={(**state).clone()} oninput={on_input(state)} />
            </label>
        }
    };
    html! {
        <form class="card" data-testid="session-form" onsubmit={submit}>
            <h2>{ t(HallText::RecordSession) }</h2>
            <label>{ t(HallText::HeldAt) }
                <input name="held_at" type="datetime-local" value={(*held_at).clone()} oninput={on_input(&held_at)} />
            </label>
            <label>{ t(HallText::Place) }
                <input name="place" value={(*place).clone()} oninput={on_input(&place)} />
            </label>
            <div class="pair">
                { number_input("attendees", HallText::Attendees, &attendees) }
                { number_input("for", HallText::For, &votes_for) }
                { number_input("against", HallText::Against, &against) }
                { number_input("abstain", HallText::Abstain, &abstain) }
            </div>
            <label>{ t(HallText::Minutes) }
                <textarea name="minutes" value={(*minutes).clone()} oninput={on_input(&minutes)} />
            </label>
            { alert(&error) }
            <button class="primary big" type="submit">{ t(ScreenText::Submit) }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(role: Role, region: &str) -> Me {
        Me {
            id: Uuid::nil(),
            username: "u".into(),
            role,
            region_code: region.into(),
            display_name: "U".into(),
            department_id: None,
        }
    }

    fn item(status: DeliberationStatus, region: &str) -> Deliberation {
        let now = chrono::Utc::now();
        Deliberation {
            id: Uuid::from_u128(1),
            region_code: region.into(),
            title: "t".into(),
            description: String::new(),
            source_incident_id: None,
            status,
            decision: None,
            outcome: None,
            raised_by: Uuid::nil(),
            version: 1,
            created_at: now,
            updated_at: now,
            done_at: None,
        }
    }

    fn region(code: &str, level: RegionLevel) -> Region {
        Region {
            code: code.into(),
            name: format!("R{code}"),
            level,
            parent_code: None,
        }
    }

    #[test]
    fn each_role_is_offered_the_steps_the_contract_gives_it() {
        use DeliberationAction as A;
        use DeliberationStatus as S;
        let comm = "500117001001";
        let town = me(Role::Supervisor, "500117001");
        let other_town = me(Role::Supervisor, "500117002");
        let worker = me(Role::Worker, comm);
        let volunteer = me(Role::Volunteer, comm);
        assert_eq!(
            steps_for(&town, &item(S::Raised, comm)),
            [A::Accept, A::Decline]
        );
        assert!(steps_for(&other_town, &item(S::Raised, comm)).is_empty());
        assert!(steps_for(&worker, &item(S::Raised, comm)).is_empty());
        // Decide is offered on any accepted item: whether a vote passed is the server's
        // answer (vote_not_passed), shown in words.
        assert_eq!(steps_for(&town, &item(S::Accepted, comm)), [A::Decide]);
        assert_eq!(steps_for(&worker, &item(S::Decided, comm)), [A::Implement]);
        assert_eq!(
            steps_for(&town, &item(S::Implementing, comm)),
            [A::Complete]
        );
        assert!(steps_for(&volunteer, &item(S::Implementing, comm)).is_empty());
        assert!(steps_for(&town, &item(S::Done, comm)).is_empty());
        assert_eq!(
            steps_for(&me(Role::Admin, ""), &item(S::Raised, comm)),
            [A::Accept, A::Decline]
        );
        assert!(records_sessions(&worker, &item(S::Accepted, comm)));
        assert!(!records_sessions(&worker, &item(S::Raised, comm)));
        assert!(!records_sessions(&volunteer, &item(S::Accepted, comm)));
        assert!(!records_sessions(&other_town, &item(S::Accepted, comm)));
    }

    #[test]
    fn a_worker_raises_in_its_cells_communities_a_supervisor_under_its_region() {
        let regions = [
            region("500117001", RegionLevel::Town),
            region("500117001001", RegionLevel::Community),
            region("500117001002", RegionLevel::Community),
            region("500117002001", RegionLevel::Community),
        ];
        let cells = ["500117001001".to_string()];
        let worker = communities(&me(Role::Worker, "500117001001"), &cells, &regions);
        assert_eq!(
            worker,
            [(
                "500117001001".to_string(),
                "R500117001001 500117001001".to_string()
            )]
        );
        let town = communities(&me(Role::Supervisor, "500117001"), &[], &regions);
        let codes: Vec<&str> = town.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["500117001001", "500117001002"]);
        // A volunteer's own community, named or not.
        let volunteer = communities(&me(Role::Volunteer, "500117002002"), &[], &[]);
        assert_eq!(
            volunteer,
            [("500117002002".to_string(), "500117002002".to_string())]
        );
        assert!(communities(&me(Role::Admin, ""), &cells, &regions).is_empty());
        assert_eq!(
            community_of_cell("500117001001003").as_deref(),
            Some("500117001001")
        );
    }

    #[test]
    fn items_waiting_to_be_sent_come_first_and_count_as_raised() {
        let mut done = item(DeliberationStatus::Done, "500117001001");
        done.id = Uuid::from_u128(2);
        let raised = item(DeliberationStatus::Raised, "500117001001");
        let queued = NewDeliberation {
            id: Uuid::from_u128(3),
            region_code: "500117001001".into(),
            title: " new ".into(),
            description: String::new(),
            source_incident_id: None,
        };
        let sent = NewDeliberation {
            id: raised.id,
            ..queued.clone()
        };
        let all = rows(&[done.clone(), raised.clone()], &[sent, queued.clone()], "");
        assert_eq!(all.len(), 3);
        assert_eq!(
            (all[0].id, all[0].status, all[0].title.as_str()),
            (queued.id, None, "new")
        );
        let only_raised = rows(&[done, raised], &[queued], "raised");
        assert_eq!(only_raised.len(), 2);
        assert!(
            only_raised
                .iter()
                .all(|r| r.status != Some(DeliberationStatus::Done))
        );
    }
}
