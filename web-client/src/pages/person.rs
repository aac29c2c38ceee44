//! One person: the record as the list shows it (identity number masked), its visits with how
//! far from the registered address each was made and their photos, and — for a reason the
//! reader gives, audited on the server — the full record, kept only while the screen is open.
//! Registering a person, and editing, transferring or archiving one (supervisors, admins).

use std::rc::Rc;

use gridwork_shared::api::{Role, User};
use gridwork_shared::geometry::Location;
use gridwork_shared::person::{
    NewPerson, Person, PersonCategory, PersonItem, PersonPatch, RiskLevel, Visit, id_number_valid,
    validate_reason,
};
use gridwork_shared::sync::Operation;
use gridwork_shared::{ErrorCode, FieldErrors};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::persons::{Listing, encode, use_paged};
use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::list::{cell_label, chip, use_cell_names};
use crate::components::page::{Back, Page};
use crate::components::photo::Photos;
use crate::components::position::{PlaceField, how_taken};
use crate::components::when::{at, deadline};
use crate::hooks::{use_loaded, use_session, use_users};
use crate::i18n::persons::{PersonText, category};
use crate::i18n::screens::ScreenText;
use crate::i18n::{english, outcome, risk, t};
use crate::services::api::{self, ApiError};
use crate::services::queue;

/// Visits read per page.
const VISITS_PAGE: usize = 20;

/// A server error as the form shows it: field by field when the server names fields.
fn server_error(e: &ApiError) -> String {
    match e {
        ApiError::Problem(p) if !p.errors.is_empty() => {
            field_errors(&FieldErrors(p.errors.clone()))
        }
        other => other.message(),
    }
}

fn is_conflict(e: &ApiError) -> bool {
    matches!(e, ApiError::Problem(p) if p.code == ErrorCode::VersionConflict)
}

/// The person as the list shows it.
#[derive(Debug, Clone, PartialEq)]
enum Found {
    /// The record; `true` when it comes from the phone's copy (no network).
    Item(PersonItem, bool),
    Missing,
    Failed(String),
}

/// The person `id` as the list shows it (masked): from the server (`GET /persons?id=`, not an
/// audited full read), or from the phone's copy with no network. Read again when `key`
/// changes.
#[hook]
fn use_person(id: &str, key: u32) -> Option<Found> {
    let found = use_loaded((id.to_string(), key), |(id, _)| async move {
        let path = format!("/api/v1/persons?id={}&archived=true&limit=1", encode(&id));
        match api::get::<gridwork_shared::api::Page<PersonItem>>(&path).await {
            Ok(page) => match page.items.into_iter().next() {
                Some(p) => Found::Item(p, false),
                None => Found::Missing,
            },
            Err(ApiError::Offline) => queue::records::<PersonItem>()
                .await
                .into_iter()
                .find(|p| p.id.to_string() == id)
                .map_or(Found::Missing, |p| Found::Item(p, true)),
            Err(e) => Found::Failed(server_error(&e)),
        }
    });
    (*found).clone().filter(|f| match f {
        Found::Item(p, _) => p.id.to_string() == id,
        _ => true,
    })
}

/// The active workers among `users` (the caller's scope).
fn workers(users: &[User]) -> Vec<User> {
    let mut w: Vec<User> = users
        .iter()
        .filter(|u| u.role == Role::Worker && u.active)
        .cloned()
        .collect();
    w.sort_by(|a, b| (&a.region_code, &a.display_name).cmp(&(&b.region_code, &b.display_name)));
    w
}

fn worker_label(u: &User) -> String {
    format!("{} ({})", u.display_name, u.username)
}

/// A select of workers that starts on "choose…" until one is chosen; the value is the id.
fn worker_select(name: &'static str, workers: &[User], chosen: &UseStateHandle<String>) -> Html {
    let options: Vec<(AttrValue, AttrValue)> = workers
        .iter()
        .map(|u| {
            (
                AttrValue::from(u.id.to_string()),
                AttrValue::from(worker_label(u)),
            )
        })
        .collect();
    html! {
        <Choice name={name} value={(**chosen).clone()} {options}
            empty={t(ScreenText::Choose)} onchange={keep(chosen)} />
    }
}

fn category_select(chosen: &UseStateHandle<String>) -> Html {
    let options: Vec<(AttrValue, AttrValue)> = PersonCategory::ALL
        .iter()
        .map(|c| {
            (
                AttrValue::from(c.as_str()),
                AttrValue::from(t(category(*c))),
            )
        })
        .collect();
    html! {
        <Choice name="category" value={(**chosen).clone()} {options}
            empty={t(ScreenText::Choose)} onchange={keep(chosen)} />
    }
}

fn risk_select(chosen: &UseStateHandle<String>) -> Html {
    let options: Vec<(AttrValue, AttrValue)> = RiskLevel::ALL
        .iter()
        .map(|r| (AttrValue::from(r.as_str()), AttrValue::from(t(risk(*r)))))
        .collect();
    html! {
        <Choice name="risk" value={(**chosen).clone()} {options}
            empty={t(ScreenText::Choose)} onchange={keep(chosen)} />
    }
}

/// The identity number as typed, with the check letter upper-cased (what is sent is what
/// shows).
fn on_id_number(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        state.set(
            crate::components::form::input_value(&e)
                .trim()
                .to_uppercase(),
        )
    })
}

/// Says so under the field once 18 characters are typed and they fail the GB 11643 check.
fn id_number_hint(n: &str) -> Html {
    if n.chars().count() >= 18 && !id_number_valid(n) {
        html! { <p class="error" data-testid="id-number-error">{ t(PersonText::IdNumberInvalid) }</p> }
    } else {
        html! {}
    }
}

fn location_of(lon: &str, lat: &str) -> Option<Location> {
    let l = Location {
        lon: lon.trim().parse().ok()?,
        lat: lat.trim().parse().ok()?,
    };
    (l.lon.is_finite() && l.lat.is_finite()).then_some(l)
}

fn office(me: Option<&gridwork_shared::api::Me>) -> bool {
    me.is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin))
}

/// Registering a person (supervisors, admins): every field labelled, the identity number
/// checked on the phone, the place tapped on the map or typed, the responsible worker chosen
/// among the workers of the caller's area. The record's id is made once per form, so sending
/// it again never registers the person twice.
#[component]
pub fn PersonNew() -> Html {
    let session = use_session();
    let navigator = use_navigator().expect("the router");
    let allowed = office(session.me.as_ref());
    let users = use_users(allowed, 0);
    let id = use_state(Uuid::new_v4);
    let cat = use_state(String::new);
    let name = use_state(String::new);
    let id_number = use_state(String::new);
    let address = use_state(String::new);
    let lon = use_state(String::new);
    let lat = use_state(String::new);
    let risk_level = use_state(String::new);
    let worker = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    if !allowed {
        return html! { <Page><p class="notice">{ t(PersonText::OfficeOnly) }</p><Back to={Route::Persons} /></Page> };
    }
    let workers = workers(&users);
    let place = {
        let (lon, lat) = (lon.clone(), lat.clone());
        Callback::from(move |(x, y): (String, String)| {
            lon.set(x);
            lat.set(y);
        })
    };
    let submit = {
        let (id, cat, name, id_number, address) = (
            id.clone(),
            cat.clone(),
            name.clone(),
            id_number.clone(),
            address.clone(),
        );
        let (lon, lat, risk_level, worker, error, busy) = (
            lon.clone(),
            lat.clone(),
            risk_level.clone(),
            worker.clone(),
            error.clone(),
            busy.clone(),
        );
        let session = session.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut missing = Vec::new();
            let category = PersonCategory::parse(&cat);
            let risk = RiskLevel::parse(&risk_level);
            let responsible = Uuid::parse_str(&worker).ok();
            let location = location_of(&lon, &lat);
            if category.is_none() {
                missing.push(t(PersonText::CategoryRequired));
            }
            if !id_number_valid(&id_number) {
                missing.push(t(PersonText::IdNumberInvalid));
            }
            if location.is_none() {
                missing.push(t(PersonText::PlaceRequired));
            }
            if risk.is_none() {
                missing.push(t(PersonText::RiskRequired));
            }
            if responsible.is_none() {
                missing.push(t(PersonText::WorkerRequired));
            }
            let (Some(category), Some(risk), Some(responsible), Some(location), true) =
                (category, risk, responsible, location, missing.is_empty())
            else {
                error.set(Some(missing.join(" · ")));
                return;
            };
            let new = NewPerson {
                id: *id,
                category,
                name: name.trim().to_string(),
                id_number: (*id_number).clone(),
                address: address.trim().to_string(),
                location,
                risk_level: risk,
                responsible_worker_id: responsible,
            };
            if let Err(errs) = new.validate() {
                error.set(Some(field_errors(&errs)));
                return;
            }
            error.set(None);
            busy.set(true);
            let (error, busy, navigator, session) = (
                error.clone(),
                busy.clone(),
                navigator.clone(),
                session.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, PersonItem>("/api/v1/persons", &new).await {
                    Ok(p) => {
                        // The phone's copy hears of it at the next pull.
                        session.sync_now.emit(());
                        navigator.push(&Route::Person {
                            id: p.id.to_string(),
                        });
                    }
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(server_error(&e)));
                    }
                }
            });
        })
    };
    html! {
        <Page testid="person-new">
            <form class="card" onsubmit={submit}>
                <h1>{ t(PersonText::RegisterTitle) }</h1>
                <label>{ t(PersonText::Category) }{ category_select(&cat) }</label>
                <label>{ t(PersonText::Name) }
                    <input name="name" autocomplete="off" value={(*name).clone()} oninput={on_input(&name)} />
                </label>
                <label>{ t(PersonText::IdNumber) }
                    <input name="id_number" autocomplete="off" maxlength="18" placeholder={t(PersonText::IdNumberExample)}
                        value={(*id_number).clone()} oninput={on_id_number(&id_number)} />
                </label>
                { id_number_hint(&id_number) }
                <label>{ t(PersonText::Address) }
                    <input name="address" autocomplete="off" value={(*address).clone()} oninput={on_input(&address)} />
                </label>
                <PlaceField lon={(*lon).clone()} lat={(*lat).clone()} onchange={place} legend={t(PersonText::Place)} />
                <label>{ t(PersonText::Risk) }{ risk_select(&risk_level) }</label>
                <label>{ t(PersonText::Responsible) }{ worker_select("worker", &workers, &worker) }</label>
                { if workers.is_empty() && !users.is_empty() { html!{ <p class="notice">{ t(PersonText::NoWorkers) }</p> } } else { html!{} } }
                { alert(&error) }
                <button class="primary big" type="submit" disabled={*busy}>{ t(PersonText::Register) }</button>
                <Back to={Route::Persons} />
            </form>
        </Page>
    }
}

#[derive(Properties, PartialEq)]
pub struct PersonPageProps {
    pub id: String,
}

/// "2003 米" / "2003 m", then where from.
fn distance(m: f64) -> String {
    let n = m.round();
    if english() {
        format!("{n} {} {}", t(PersonText::Metres), t(PersonText::Distance))
    } else {
        format!("{} {n} {}", t(PersonText::Distance), t(PersonText::Metres))
    }
}

/// One visit: when, what it found, how far from the registered address (and whether too
/// far), who made it, its note and photos.
fn visit_row(v: &Visit, users: &[User]) -> Html {
    let visitor = users.iter().find(|u| u.id == v.visitor_id);
    html! {
        <li class={classes!("item", "visit", v.far.then_some("late"))} data-testid="visit" data-visit={v.id.to_string()}>
            <strong>{ at(&v.visited_at) }{ " · " }{ t(outcome(v.outcome)) }</strong>
            <span data-testid="distance">{ distance(v.distance_m) }</span>
            { if v.far { html!{ <span data-testid="far">{ chip(t(PersonText::Far), true) }</span> } } else { html!{} } }
            { for how_taken(v.accuracy_m, v.picked_on_map).map(|h| html!{ <small data-testid="how-taken">{ h }</small> }) }
            { for v.risk_level.iter().map(|r| chip(format!("{} {}", t(PersonText::Risk), t(risk(*r))), false)) }
            { for visitor.iter().map(|u| html!{ <small>{ format!("{} {}", t(PersonText::VisitedBy), u.display_name) }</small> }) }
            { if v.note.is_empty() { html!{} } else { html!{ <p class="note">{ &v.note }</p> } } }
            { if v.photos.is_empty() { html!{} } else { html!{
                <Photos photos={v.photos.clone()} />
            } } }
        </li>
    }
}

/// A visit still on the phone, waiting to be sent.
fn waiting_row(v: &gridwork_shared::person::NewVisit) -> Html {
    html! {
        <li class="item visit" data-testid="visit-waiting">
            <strong>{ at(&v.visited_at) }{ " · " }{ t(outcome(v.outcome)) }</strong>
            { chip(t(PersonText::Waiting), false) }
        </li>
    }
}

#[component]
pub fn PersonPage(props: &PersonPageProps) -> Html {
    let session = use_session();
    let found = use_person(&props.id, session.generation);
    let allowed_office = office(session.me.as_ref());
    let users = use_users(allowed_office, 0);
    let cells = use_cell_names();
    // The full record lives here alone: never stored, gone when the screen closes.
    let full = use_state(|| None::<Rc<Person>>);
    let asking = use_state(|| false);
    let reason = use_state(String::new);
    let full_error = use_state(|| None::<String>);
    {
        let (full, asking, reason, full_error) = (
            full.clone(),
            asking.clone(),
            reason.clone(),
            full_error.clone(),
        );
        use_effect_with(props.id.clone(), move |_| {
            full.set(None);
            asking.set(false);
            reason.set(String::new());
            full_error.set(None);
        });
    }
    let (visits, more) = use_paged::<Visit>(
        format!("/api/v1/persons/{}/visits?limit={VISITS_PAGE}", props.id),
        session.generation,
    );
    let waiting = use_loaded(
        (props.id.clone(), session.pending, session.generation),
        |(id, _, _)| async move {
            queue::pending_operations()
                .await
                .into_iter()
                .filter_map(|op| match op {
                    Operation::VisitCreate(v) if v.person_id.to_string() == id => Some(v.body),
                    _ => None,
                })
                .collect::<Vec<_>>()
        },
    );
    let show_full = {
        let (reason, full, asking, full_error) = (
            reason.clone(),
            full.clone(),
            asking.clone(),
            full_error.clone(),
        );
        let id = props.id.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let why = reason.trim().to_string();
            if why.is_empty() {
                full_error.set(Some(t(PersonText::ReasonRequired).into()));
                return;
            }
            if validate_reason(&why).is_err() {
                full_error.set(Some(t(PersonText::ReasonTooLong).into()));
                return;
            }
            full_error.set(None);
            let path = format!("/api/v1/persons/{id}?reason={}", encode(&why));
            let (full, asking, reason, full_error) = (
                full.clone(),
                asking.clone(),
                reason.clone(),
                full_error.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<Person>(&path).await {
                    Ok(p) => {
                        full.set(Some(Rc::new(p)));
                        asking.set(false);
                        reason.set(String::new());
                    }
                    Err(e) => full_error.set(Some(server_error(&e))),
                }
            });
        })
    };
    let (p, from_phone) = match &found {
        None => return html! { <Page><p class="loading">{ "…" }</p></Page> },
        Some(Found::Missing) => {
            return html! {
                <Page><p class="notice" data-testid="person-missing">{ t(PersonText::NotFound) }</p><Back to={Route::Persons} /></Page>
            };
        }
        Some(Found::Failed(e)) => {
            return html! { <Page><p class="error" role="alert">{ e }</p><Back to={Route::Persons} /></Page> };
        }
        Some(Found::Item(p, from_phone)) => (p, *from_phone),
    };
    let shown = (*full).clone().filter(|f| f.item.id == p.id);
    let responsible = users
        .iter()
        .find(|u| u.id == p.responsible_worker_id)
        .map(|u| u.display_name.clone())
        .or_else(|| {
            session
                .me
                .as_ref()
                .filter(|m| m.id == p.responsible_worker_id)
                .map(|m| m.display_name.clone())
        });
    let full_part = match &shown {
        Some(_) => html! {
            <div class="full-record">
                <p class="notice" data-testid="full-shown">{ t(PersonText::FullShown) }</p>
                <button type="button" class="big" data-testid="hide-full"
                    onclick={let f = full.clone(); move |_| f.set(None)}>{ t(PersonText::Hide) }</button>
            </div>
        },
        None if *asking => html! {
            <form class="full-record" data-testid="reason-form" onsubmit={show_full}>
                <label>{ t(PersonText::Reason) }
                    <input name="reason" maxlength="200" autocomplete="off" placeholder={t(PersonText::ReasonExample)}
                        value={(*reason).clone()} oninput={on_input(&reason)} />
                </label>
                { alert(&full_error) }
                <button class="primary big" type="submit" data-testid="show-full-submit">{ t(PersonText::Show) }</button>
                <button type="button" class="big" onclick={let a = asking.clone(); move |_| a.set(false)}>{ t(PersonText::Cancel) }</button>
            </form>
        },
        None => html! {
            <button type="button" class="big" data-testid="show-full"
                onclick={let a = asking.clone(); move |_| a.set(true)}>{ t(PersonText::ShowFull) }</button>
        },
    };
    let visits_part = match &*visits {
        Listing::Loading => html! { <li class="empty">{ "…" }</li> },
        Listing::Got { items, .. } if items.is_empty() => {
            html! { <li class="empty">{ t(PersonText::NoVisits) }</li> }
        }
        Listing::Got { items, .. } => {
            html! { <>{ for items.iter().map(|v| visit_row(v, &users)) }</> }
        }
        Listing::Failed(ApiError::Offline) => {
            html! { <li class="notice">{ t(PersonText::OfflineVisits) }</li> }
        }
        Listing::Failed(e) => html! { <li class="error">{ server_error(e) }</li> },
    };
    html! {
        <Page testid="person">
            <h1>{ &p.name }</h1>
            { if from_phone { html!{ <p class="notice">{ t(ScreenText::OfflineList) }</p> } } else { html!{} } }
            <section class="card" data-testid="person-record">
                <dl>
                    <dt>{ t(PersonText::Category) }</dt><dd>{ t(category(p.category)) }</dd>
                    <dt>{ t(PersonText::IdNumber) }</dt>
                    <dd data-testid="id-number">{ shown.as_ref().map_or(p.id_number_masked.clone(), |f| f.id_number.clone()) }</dd>
                    <dt>{ t(PersonText::Address) }</dt>
                    <dd data-testid="address">{ match &shown {
                        Some(f) => html!{ { f.item.address.clone() } },
                        None => html!{ <span class="empty">{ t(PersonText::AddressHidden) }</span> },
                    } }</dd>
                    <dt>{ t(PersonText::Cell) }</dt><dd>{ cell_label(&cells, &p.cell_code) }</dd>
                    <dt>{ t(PersonText::Risk) }</dt><dd>{ t(risk(p.risk_level)) }</dd>
                    <dt>{ t(PersonText::Responsible) }</dt><dd>{ responsible.unwrap_or_default() }</dd>
                    <dt>{ t(PersonText::NextVisit) }</dt>
                    <dd data-testid="next-visit">{ match &p.next_visit_due {
                        Some(d) if p.active => deadline(d),
                        _ => html!{ t(PersonText::NoVisitDue) },
                    } }</dd>
                    <dt>{ t(PersonText::LastVisit) }</dt>
                    <dd>{ match (&p.last_visit_at, p.last_outcome) {
                        (Some(when), Some(o)) => html!{ <>{ at(when) }{ " · " }{ t(outcome(o)) }</> },
                        (Some(when), None) => at(when),
                        _ => html!{ "—" },
                    } }</dd>
                </dl>
                { if p.active { html!{} } else { chip(t(PersonText::Archived), false) } }
                { full_part }
            </section>
            { if p.active { html!{
                <Link<Route> to={Route::Visit { id: p.id.to_string() }} classes="primary big">
                    <span data-testid="record-visit">{ t(PersonText::RecordVisit) }</span>
                </Link<Route>>
            } } else { html!{} } }
            { if allowed_office { html!{
                <Link<Route> to={Route::PersonEdit { id: p.id.to_string() }} classes="big">
                    <span data-testid="edit">{ t(PersonText::Edit) }</span>
                </Link<Route>>
            } } else { html!{} } }
            <section class="card">
                <h2>{ t(PersonText::Visits) }</h2>
                <ul class="list" data-testid="visits">
                    { for waiting.iter().flatten().map(waiting_row) }
                    { visits_part }
                </ul>
                { match &*visits {
                    Listing::Got { more: true, .. } => html!{
                        <button type="button" class="big" data-testid="more-visits" onclick={more.reform(|_| ())}>{ t(PersonText::More) }</button>
                    },
                    _ => html!{},
                } }
            </section>
            <Back to={Route::Persons} />
        </Page>
    }
}

#[derive(Properties, PartialEq)]
pub struct PersonEditProps {
    pub id: String,
}

/// Editing a person (supervisors, admins): its fields (the identity number and the address
/// only when a new one is typed: they show only in the audited full record), the transfer to
/// another worker and the archiving, each sent with the version read; a record changed
/// meanwhile is loaded again and said so.
#[component]
pub fn PersonEdit(props: &PersonEditProps) -> Html {
    let session = use_session();
    let navigator = use_navigator().expect("the router");
    let allowed = office(session.me.as_ref());
    let users = use_users(allowed, 0);
    // Read again after a save or a conflict (not at every pull: the form keeps what is typed).
    let reload = use_state(|| 0u32);
    let found = use_person(&props.id, *reload);
    let cat = use_state(String::new);
    let name = use_state(String::new);
    let id_number = use_state(String::new);
    let address = use_state(String::new);
    let lon = use_state(String::new);
    let lat = use_state(String::new);
    let risk_level = use_state(String::new);
    let transfer_to = use_state(String::new);
    let confirming = use_state(|| false);
    let error = use_state(|| None::<String>);
    let done = use_state(|| None::<String>);
    let item = match &found {
        Some(Found::Item(p, _)) => Some(p.clone()),
        _ => None,
    };
    // The form shows the record as read.
    {
        let (cat, name, id_number, address, lon, lat, risk_level, transfer_to, confirming) = (
            cat.clone(),
            name.clone(),
            id_number.clone(),
            address.clone(),
            lon.clone(),
            lat.clone(),
            risk_level.clone(),
            transfer_to.clone(),
            confirming.clone(),
        );
        use_effect_with(item.clone(), move |item| {
            if let Some(p) = item {
                cat.set(p.category.as_str().into());
                name.set(p.name.clone());
                id_number.set(String::new());
                address.set(String::new());
                lon.set(p.location.lon.to_string());
                lat.set(p.location.lat.to_string());
                risk_level.set(p.risk_level.as_str().into());
                transfer_to.set(String::new());
                confirming.set(false);
            }
        });
    }
    if !allowed {
        return html! { <Page><p class="notice">{ t(PersonText::OfficeOnly) }</p><Back to={Route::Persons} /></Page> };
    }
    let p = match &found {
        None => return html! { <Page><p class="loading">{ "…" }</p></Page> },
        Some(Found::Item(p, false)) => p.clone(),
        // Editing needs the server: the phone's copy is not enough.
        Some(Found::Item(_, true)) => {
            return html! { <Page><p class="notice">{ t(crate::i18n::Text::Offline) }</p><Back to={Route::Person { id: props.id.clone() }} /></Page> };
        }
        Some(Found::Missing) => {
            return html! { <Page><p class="notice" data-testid="person-missing">{ t(PersonText::NotFound) }</p><Back to={Route::Persons} /></Page> };
        }
        Some(Found::Failed(e)) => {
            return html! { <Page><p class="error" role="alert">{ e }</p><Back to={Route::Persons} /></Page> };
        }
    };
    let workers = workers(&users);
    // Sends a change; on a conflict the record is read again and the form shows it.
    let send = {
        let (error, done, reload, session) =
            (error.clone(), done.clone(), reload.clone(), session.clone());
        let id = p.id;
        move |patch: PersonPatch, ok: PersonText, then: Option<Route>, navigator: Navigator| {
            let (error, done, reload, session) =
                (error.clone(), done.clone(), reload.clone(), session.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::patch::<_, PersonItem>(&format!("/api/v1/persons/{id}"), &patch).await {
                    Ok(_) => {
                        error.set(None);
                        done.set(Some(t(ok).into()));
                        session.sync_now.emit(());
                        match then {
                            Some(r) => navigator.push(&r),
                            None => reload.set(*reload + 1),
                        }
                    }
                    Err(e) if is_conflict(&e) => {
                        done.set(None);
                        error.set(Some(t(PersonText::VersionConflict).into()));
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        done.set(None);
                        error.set(Some(server_error(&e)));
                    }
                }
            });
        }
    };
    let save = {
        let (cat, name, id_number, address, lon, lat, risk_level) = (
            cat.clone(),
            name.clone(),
            id_number.clone(),
            address.clone(),
            lon.clone(),
            lat.clone(),
            risk_level.clone(),
        );
        let (error, done, p, send, navigator) = (
            error.clone(),
            done.clone(),
            p.clone(),
            send.clone(),
            navigator.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut problems = Vec::new();
            let category = PersonCategory::parse(&cat);
            let risk = RiskLevel::parse(&risk_level);
            let location = location_of(&lon, &lat);
            if category.is_none() {
                problems.push(t(PersonText::CategoryRequired));
            }
            if risk.is_none() {
                problems.push(t(PersonText::RiskRequired));
            }
            if location.is_none() {
                problems.push(t(PersonText::PlaceRequired));
            }
            if !id_number.is_empty() && !id_number_valid(&id_number) {
                problems.push(t(PersonText::IdNumberInvalid));
            }
            if !problems.is_empty() {
                done.set(None);
                error.set(Some(problems.join(" · ")));
                return;
            }
            let patch = PersonPatch {
                version: p.version,
                category: category.filter(|c| *c != p.category),
                name: (name.trim() != p.name).then(|| name.trim().to_string()),
                id_number: (!id_number.is_empty()).then(|| (*id_number).clone()),
                address: (!address.trim().is_empty()).then(|| address.trim().to_string()),
                location: location.filter(|l| *l != p.location),
                risk_level: risk.filter(|r| *r != p.risk_level),
                ..PersonPatch::default()
            };
            if patch
                == (PersonPatch {
                    version: p.version,
                    ..PersonPatch::default()
                })
            {
                error.set(None);
                done.set(Some(t(PersonText::NothingChanged).into()));
                return;
            }
            if let Err(errs) = patch.validate() {
                done.set(None);
                error.set(Some(field_errors(&errs)));
                return;
            }
            send(patch, PersonText::Saved, None, navigator.clone());
        })
    };
    let transfer = {
        let (transfer_to, error, done, p, send, navigator) = (
            transfer_to.clone(),
            error.clone(),
            done.clone(),
            p.clone(),
            send.clone(),
            navigator.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(to) = Uuid::parse_str(&transfer_to) else {
                done.set(None);
                error.set(Some(t(PersonText::WorkerRequired).into()));
                return;
            };
            let patch = PersonPatch {
                version: p.version,
                responsible_worker_id: Some(to),
                ..PersonPatch::default()
            };
            send(patch, PersonText::Transferred, None, navigator.clone());
        })
    };
    let archive = {
        let (p, send, navigator) = (p.clone(), send.clone(), navigator.clone());
        Callback::from(move |_| {
            let patch = PersonPatch {
                version: p.version,
                active: Some(false),
                ..PersonPatch::default()
            };
            send(
                patch,
                PersonText::Saved,
                Some(Route::Persons),
                navigator.clone(),
            );
        })
    };
    let place = {
        let (lon, lat) = (lon.clone(), lat.clone());
        Callback::from(move |(x, y): (String, String)| {
            lon.set(x);
            lat.set(y);
        })
    };
    let current = workers
        .iter()
        .find(|u| u.id == p.responsible_worker_id)
        .map(worker_label)
        .unwrap_or_default();
    html! {
        <Page testid="person-edit">
            <h1>{ format!("{} · {}", t(PersonText::EditTitle), p.name) }</h1>
            { alert(&error) }
            { for done.iter().map(|d| html!{ <p class="notice" role="status" data-testid="edit-done">{ d }</p> }) }
            <form class="card" data-testid="edit-form" data-version={p.version.to_string()} onsubmit={save}>
                <label>{ t(PersonText::Category) }{ category_select(&cat) }</label>
                <label>{ t(PersonText::Name) }
                    <input name="name" autocomplete="off" value={(*name).clone()} oninput={on_input(&name)} />
                </label>
                <label>{ t(PersonText::NewIdNumber) }
                    <input name="id_number" autocomplete="off" maxlength="18" placeholder={t(PersonText::KeepBlank)}
                        value={(*id_number).clone()} oninput={on_id_number(&id_number)} />
                </label>
                { id_number_hint(&id_number) }
                <label>{ t(PersonText::NewAddress) }
                    <input name="address" autocomplete="off" placeholder={t(PersonText::KeepBlank)}
                        value={(*address).clone()} oninput={on_input(&address)} />
                </label>
                <PlaceField lon={(*lon).clone()} lat={(*lat).clone()} onchange={place} legend={t(PersonText::Place)} />
                <label>{ t(PersonText::Risk) }{ risk_select(&risk_level) }</label>
                <button class="primary big" type="submit" data-testid="save">{ t(PersonText::Save) }</button>
            </form>
            <form class="card" data-testid="transfer-form" onsubmit={transfer}>
                <h2>{ t(PersonText::Transfer) }</h2>
                <p>{ format!("{}: {current}", t(PersonText::Responsible)) }</p>
                <label>{ t(PersonText::TransferTo) }{ worker_select("transfer_to", &workers, &transfer_to) }</label>
                <button class="big" type="submit" data-testid="transfer">{ t(PersonText::Transfer) }</button>
            </form>
            <section class="card" data-testid="archive">
                { if *confirming { html!{
                    <>
                    <p class="notice">{ t(PersonText::ArchiveConfirm) }</p>
                    <button type="button" class="primary big" data-testid="archive-yes" onclick={archive}>{ t(PersonText::ArchiveYes) }</button>
                    <button type="button" class="big" onclick={let c = confirming.clone(); move |_| c.set(false)}>{ t(PersonText::Cancel) }</button>
                    </>
                } } else { html!{
                    <button type="button" class="big" data-testid="archive-ask"
                        onclick={let c = confirming.clone(); move |_| c.set(true)}>{ t(PersonText::Archive) }</button>
                } } }
            </section>
            <Back to={Route::Person { id: p.id.to_string() }} />
        </Page>
    }
}
