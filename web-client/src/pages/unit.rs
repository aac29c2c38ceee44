//! One safety unit — what it is, its status and certification, its inspections with their
//! hazards, the way to inspect it and, for supervisors, its certification — and registering
//! a unit, which works with no signal: the registration is queued as a `unit.create`.

use gridwork_shared::ErrorCode;
use gridwork_shared::api::{Cell, Me, Role, User};
use gridwork_shared::geometry::Location;
use gridwork_shared::incident::Level;
use gridwork_shared::safety::{
    Certification, CertificationRequest, Inspection, InspectionResult, NewUnit, Unit, UnitDetail,
    UnitKind, UnitStatus,
};
use gridwork_shared::sync::Operation;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::page::{Back, Page, Waiting};
use crate::components::place_picker::PlacePicker;
use crate::components::position::how_taken;
use crate::components::when::{at, deadline};
use crate::hooks::{
    use_field_form, use_fixing, use_loaded, use_local, use_local_record, use_session, use_users,
};
use crate::i18n::screens::ScreenText;
use crate::i18n::units::{UnitText, certification, kind as kind_text};
use crate::i18n::{t, unit_status};
use crate::pages::units::unit_chips;
use crate::services::api::{self, ApiError};
use crate::services::queue;

/// GPS accuracy (metres) beyond which the map opens for a manual pick.
const GPS_POOR_M: f64 = 50.0;

/// Asks the phone for a GPS fix: `(lon, lat, accuracy in metres)`, or `on_fail` when there
/// is none (no GPS, refused, timed out).
fn take_fix(on_fix: Callback<(f64, f64, f64)>, on_fail: Callback<()>) {
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        on_fail.emit(());
        return;
    };
    let ok = Closure::once_into_js(move |p: web_sys::Position| {
        let c = p.coords();
        on_fix.emit((c.longitude(), c.latitude(), c.accuracy()));
    });
    let fail = Closure::once_into_js(move |_: web_sys::PositionError| on_fail.emit(()));
    let opts = web_sys::PositionOptions::new();
    opts.set_enable_high_accuracy(true);
    opts.set_timeout(15_000);
    let _ = geo.get_current_position_with_error_callback_and_options(
        ok.unchecked_ref(),
        Some(fail.unchecked_ref()),
        &opts,
    );
}

/// Registers a unit: kind, name, address and the place (a GPS fix, typed, or a tap on a map
/// of the caller's cells). Checked on the phone by the same rules as the server's, then
/// queued; the list shows it at once, waiting to be sent.
#[component]
pub fn UnitNew() -> Html {
    let kind = use_state(String::new);
    let name = use_state(String::new);
    let address = use_state(String::new);
    let lon = use_state(String::new);
    let lat = use_state(String::new);
    let accuracy = use_state(|| None::<f64>);
    let picking = use_state(|| false);
    let form = use_field_form();
    // A refused registration opened to be fixed (`?fix=KEY`): its fields, its id kept.
    let (fixing, draft) = use_fixing(|op| match op {
        Operation::UnitCreate(u) => Some(u),
        _ => None,
    });
    {
        let (kind, name, address, lon, lat) = (
            kind.clone(),
            name.clone(),
            address.clone(),
            lon.clone(),
            lat.clone(),
        );
        use_effect_with(draft.clone(), move |draft| {
            if let Some(u) = draft {
                kind.set(u.kind.as_str().to_string());
                name.set(u.name.clone());
                address.set(u.address.clone());
                lon.set(u.location.lon.to_string());
                lat.set(u.location.lat.to_string());
            }
        });
    }
    // The cell of the place, from the phone's copy of the grid.
    let cell = use_loaded(((*lon).clone(), (*lat).clone()), |(lon, lat)| async move {
        match (lon.parse::<f64>(), lat.parse::<f64>()) {
            (Ok(x), Ok(y)) => Some(
                queue::grid()
                    .await
                    .locate(x, y)
                    .map(|c| format!("{} {}", c.code, c.name)),
            ),
            _ => None,
        }
    });
    let gps = {
        let (lon, lat, accuracy, picking, form) = (
            lon.clone(),
            lat.clone(),
            accuracy.clone(),
            picking.clone(),
            form.clone(),
        );
        Callback::from(move |_| {
            let (lon, lat, accuracy, picking2) =
                (lon.clone(), lat.clone(), accuracy.clone(), picking.clone());
            let on_fix = Callback::from(move |(x, y, a): (f64, f64, f64)| {
                lon.set(format!("{x:.6}"));
                lat.set(format!("{y:.6}"));
                accuracy.set(Some(a));
                // A poor fix could put the unit in the next cell: the map opens on it.
                if a > GPS_POOR_M {
                    picking2.set(true);
                }
            });
            let (form, picking) = (form.clone(), picking.clone());
            let on_fail = Callback::from(move |_| {
                form.fail(t(ScreenText::GpsUnavailable).into());
                picking.set(true);
            });
            take_fix(on_fix, on_fail);
        })
    };
    let picked = {
        let (lon, lat, accuracy) = (lon.clone(), lat.clone(), accuracy.clone());
        Callback::from(move |(x, y): (String, String)| {
            lon.set(x);
            lat.set(y);
            accuracy.set(None);
        })
    };
    let failed = {
        let form = form.clone();
        Callback::from(move |e: String| form.fail(e))
    };
    let submit = {
        let (kind, name, address, lon, lat, form) = (
            kind.clone(),
            name.clone(),
            address.clone(),
            lon.clone(),
            lat.clone(),
            form.clone(),
        );
        let (draft, fixing) = (draft.clone(), fixing.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen = UnitKind::parse(&kind);
            let number = |s: &str| s.trim().parse().unwrap_or(f64::NAN);
            let new = NewUnit {
                id: draft.as_ref().map_or_else(uuid::Uuid::new_v4, |d| d.id),
                kind: chosen.unwrap_or(UnitKind::Other),
                name: (*name).clone(),
                address: (*address).clone(),
                location: Location {
                    lon: number(&lon),
                    lat: number(&lat),
                },
            };
            // The same rules as the server's, before anything is queued; the kind is the
            // one shown, never a default.
            let mut problems = Vec::new();
            if chosen.is_none() {
                problems.push(t(UnitText::ChooseKind).to_string());
            }
            if let Err(errs) = new.validate() {
                problems.push(field_errors(&errs));
            }
            if !problems.is_empty() {
                form.fail(problems.join("; "));
                return;
            }
            form.send_in_place_of(
                Operation::UnitCreate(new),
                None,
                Route::Units,
                fixing.clone(),
            );
        })
    };
    // Choosing the kind answers the form's complaint about it.
    let on_kind = {
        let (kind, error) = (kind.clone(), form.error.clone());
        Callback::from(move |v: String| {
            kind.set(v);
            error.set(None);
        })
    };
    let cell_line = match (*cell).clone().flatten() {
        Some(Some(c)) => format!("{}: {c}", t(ScreenText::Cell)),
        Some(None) => t(UnitText::NotInMyCells).to_string(),
        None => String::new(),
    };
    html! {
        <Page>
            <form class="card" onsubmit={submit} data-testid="unit-new">
                <h1>{ t(UnitText::NewUnit) }</h1>
                { if fixing.is_some() { html!{ <p class="notice" data-testid="fixing">{ t(ScreenText::FixingRecord) }</p> } } else { html!{} } }
                <label>{ t(UnitText::Kind) }
                    <Choice name="kind" empty={t(ScreenText::Choose)} value={(*kind).clone()} onchange={on_kind}
                        options={UnitKind::ALL.iter().map(|k| (AttrValue::from(k.as_str()), AttrValue::from(t(kind_text(*k))))).collect::<Vec<_>>()} />
                </label>
                <label>{ t(UnitText::Name) }
                    <input name="name" value={(*name).clone()} oninput={on_input(&name)}
                        placeholder={t(UnitText::NameExample)} maxlength="200" />
                </label>
                <label>{ t(UnitText::Address) }
                    <input name="address" value={(*address).clone()} oninput={on_input(&address)}
                        placeholder={t(UnitText::AddressExample)} maxlength="300" />
                </label>
                <fieldset>
                    <legend>{ t(ScreenText::Location) }</legend>
                    <button type="button" class="big" data-testid="gps" onclick={gps}>{ t(ScreenText::UseGps) }</button>
                    <button type="button" class="big" data-testid="pick-on-map"
                        onclick={let p = picking.clone(); move |_| p.set(!*p)}>{ t(ScreenText::PickOnMap) }</button>
                    { for accuracy.iter().map(|a| html! {
                        <p class={classes!((*a > GPS_POOR_M).then_some("notice"))} data-testid="accuracy">
                            { format!("{} ±{} {}", t(UnitText::Accuracy), a.round(), t(ScreenText::Metres)) }
                            { if *a > GPS_POOR_M { format!(" — {}", t(ScreenText::GpsPoor)) } else { String::new() } }
                        </p>
                    }) }
                    { if *picking { html! {
                        <PlacePicker lon={(*lon).clone()} lat={(*lat).clone()} onpick={picked} onerror={failed} />
                    } } else { html! {} } }
                    <label>{ t(UnitText::Lon) }
                        <input name="lon" inputmode="decimal" placeholder="106.270000" value={(*lon).clone()} oninput={on_input(&lon)} />
                    </label>
                    <label>{ t(UnitText::Lat) }
                        <input name="lat" inputmode="decimal" placeholder="29.970000" value={(*lat).clone()} oninput={on_input(&lat)} />
                    </label>
                    <p class="cell" data-testid="cell">{ cell_line }</p>
                </fieldset>
                { alert(&form.error) }
                // A form opened to fix a refused record sends nothing until that record is in it.
                <button class="primary big" type="submit" disabled={fixing.is_some() && draft.is_none()}>{ t(ScreenText::Submit) }</button>
                <Back to={Route::Units} />
            </form>
        </Page>
    }
}

/// The certification levels `me` may set on a unit certified at `current`, by the server's
/// rule: a town certification (or withdrawing one) needs a town or district supervisor, a
/// district certification (setting, changing or withdrawing it) a district supervisor; an
/// admin may set any.
/// The current level is not offered again.
pub fn certifiable(me: &Me, current: Certification) -> Vec<Certification> {
    let mine = match me.role {
        Role::Admin => Some(Level::District),
        Role::Supervisor => Level::of_region_code(&me.region_code),
        Role::Worker | Role::Volunteer | Role::Department => None,
    };
    let Some(mine) = mine else {
        return Vec::new();
    };
    [
        Certification::None,
        Certification::Town,
        Certification::District,
    ]
    .into_iter()
    .filter(|level| *level != current)
    .filter(|level| {
        let needed = match (level, current) {
            (Certification::District, _) | (_, Certification::District) => Level::District,
            _ => Level::Town,
        };
        mine >= needed
    })
    .collect()
}

#[derive(Properties, PartialEq)]
struct CertifyProps {
    unit: Unit,
    levels: Vec<Certification>,
    /// The unit changed (certified, or found changed meanwhile): read it again.
    on_change: Callback<()>,
}

/// The certification form: a level chosen explicitly, sent with the version the unit was
/// read at; a unit changed meanwhile is read again and the user told so in words.
#[component]
fn Certify(props: &CertifyProps) -> Html {
    let level = use_state(String::new);
    let error = use_state(|| None::<String>);
    let saved = use_state(|| false);
    let busy = use_state(|| false);
    // The levels offered changed (the unit was read again): nothing is chosen, so the
    // level sent is always one the picker shows.
    {
        let level = level.clone();
        use_effect_with(props.levels.clone(), move |_| level.set(String::new()));
    }
    let submit = {
        let (level, error, saved, busy) =
            (level.clone(), error.clone(), saved.clone(), busy.clone());
        let (id, version, on_change) = (props.unit.id, props.unit.version, props.on_change.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(chosen) = Certification::parse(&level) else {
                error.set(Some(t(ScreenText::Choose).into()));
                return;
            };
            let (level, error, saved, busy, on_change) = (
                level.clone(),
                error.clone(),
                saved.clone(),
                busy.clone(),
                on_change.clone(),
            );
            busy.set(true);
            saved.set(false);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let req = CertificationRequest {
                    level: chosen,
                    version,
                };
                let path = format!("/api/v1/safety-units/{id}/certification");
                match api::put::<_, Unit>(&path, &req).await {
                    Ok(_) => {
                        saved.set(true);
                        level.set(String::new());
                        on_change.emit(());
                    }
                    Err(ApiError::Problem(p)) if p.code == ErrorCode::VersionConflict => {
                        // Chosen again on what the page shows once read again.
                        level.set(String::new());
                        error.set(Some(t(UnitText::CertConflict).into()));
                        on_change.emit(());
                    }
                    Err(ApiError::Problem(p)) if p.status == 403 => {
                        error.set(Some(t(UnitText::CertForbidden).into()));
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card" onsubmit={submit} data-testid="certify">
            <h2>{ t(UnitText::Certification) }</h2>
            <label>{ t(UnitText::CertifyAs) }
                <Choice name="level" empty={t(ScreenText::Choose)} value={(*level).clone()} onchange={keep(&level)}
                    options={props.levels.iter().map(|l| (AttrValue::from(l.as_str()), AttrValue::from(t(certification(*l))))).collect::<Vec<_>>()} />
            </label>
            { alert(&error) }
            { if *saved { html! { <p class="notice" role="status" data-testid="cert-saved">{ t(UnitText::CertSaved) }</p> } } else { html! {} } }
            <button class="primary big" type="submit" disabled={level.is_empty() || *busy}>{ t(UnitText::CertifySave) }</button>
        </form>
    }
}

/// One inspection: when, what it found, who, the note, and each hazard with its deadline and
/// whether it is fixed, open or overdue.
fn inspection_item(i: &Inspection, who: &str) -> Html {
    let found = match i.result {
        InspectionResult::Safe => UnitStatus::Safe,
        InspectionResult::Hazard => UnitStatus::Hazard,
    };
    html! {
        <li class={classes!("item", (i.result == InspectionResult::Hazard).then_some("late"))}
            data-inspection={i.id.to_string()}>
            <strong>{ at(&i.inspected_at) }</strong>
            { crate::components::list::chip(t(unit_status(found)), found == UnitStatus::Hazard) }
            <small>{ format!("{}: {who}", t(UnitText::Inspector)) }</small>
            { for i.distance_m.map(|m| html!{
                <span data-testid="distance">{ format!("{} {} {}", t(UnitText::FromUnit), m.round(), t(ScreenText::Metres)) }</span>
            }) }
            { if i.far { html!{ <span data-testid="far">{ crate::components::list::chip(t(UnitText::Far), true) }</span> } } else { html!{} } }
            { for how_taken(i.accuracy_m, i.picked_on_map).map(|h| html!{ <small data-testid="how-taken">{ h }</small> }) }
            { if i.note.is_empty() { html! {} } else { html! { <p class="note">{ &i.note }</p> } } }
            { if i.hazards.is_empty() { html! {} } else { html! {
                <ul class="hazards">
                    { for i.hazards.iter().map(|h| html! {
                        <li data-testid="hazard">
                            { &h.description }{ " " }
                            { match h.closed_at {
                                Some(closed) => html! { <>
                                    { crate::components::list::chip(t(UnitText::HazardFixed), false) }{ " " }{ at(&closed) }
                                </> },
                                None => html! { <>
                                    { crate::components::list::chip(
                                        if h.overdue { t(crate::i18n::Text::Overdue) } else { t(UnitText::HazardOpen) },
                                        h.overdue,
                                    ) }
                                    { format!(" {}: ", t(UnitText::FixBy)) }{ deadline(&h.deadline) }
                                </> },
                            } }
                        </li>
                    }) }
                </ul>
            } } }
        </li>
    }
}

/// The facts of a unit: kind, address, cell, status, certification, inspections so far.
fn facts(u: &Unit, cell_name: Option<&str>) -> Html {
    html! {
        <dl data-testid="facts">
            <dt>{ t(UnitText::Kind) }</dt><dd>{ t(kind_text(u.kind)) }</dd>
            <dt>{ t(UnitText::Address) }</dt><dd>{ &u.address }</dd>
            <dt>{ t(ScreenText::Cell) }</dt>
            <dd>{ match cell_name { Some(n) => format!("{n} ({})", u.cell_code), None => u.cell_code.clone() } }</dd>
            <dt>{ t(ScreenText::Status) }</dt><dd>{ t(unit_status(u.status)) }</dd>
            <dt>{ t(ScreenText::HazardsOpen) }</dt><dd>{ u.open_hazards }</dd>
            <dt>{ t(UnitText::LastInspected) }</dt>
            <dd>{ match &u.last_inspected_at { Some(w) => at(w), None => html! { <>{ t(UnitText::NoInspections) }</> } } }</dd>
            <dt>{ t(UnitText::Certification) }</dt>
            <dd data-testid="certification">{ t(certification(u.certification)) }</dd>
            { for u.certified_at.iter().map(|w| html! { <><dt>{ t(UnitText::CertifiedAt) }</dt><dd>{ at(w) }</dd></> }) }
            <dt>{ t(UnitText::Registered) }</dt><dd>{ at(&u.created_at) }</dd>
        </dl>
    }
}

#[derive(Properties, PartialEq)]
pub struct UnitPageProps {
    pub id: String,
}

/// A unit's page: from the server when it answers, else from the phone's copy (without the
/// inspections, which the phone does not keep), else the registration still waiting here.
#[component]
pub fn UnitPage(props: &UnitPageProps) -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    let detail = use_loaded(
        (props.id.clone(), session.generation, *reload),
        |(id, _, _)| async move { api::get::<UnitDetail>(&format!("/api/v1/safety-units/{id}")).await },
    );
    let local = use_local_record::<Unit>(&props.id);
    let queued = {
        let id = props.id.clone();
        use_local(move || async move {
            queue::queued_units()
                .await
                .into_iter()
                .find(|u| u.id.to_string() == id)
        })
    };
    let cells = use_local(queue::records::<Cell>);
    let office = session
        .me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin));
    let users = use_users(office, 0);
    let on_change = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };

    let (unit, inspections, offline): (Option<Unit>, Option<&Vec<Inspection>>, bool) =
        match &*detail {
            Some(Ok(d)) => (Some(d.unit.clone()), Some(&d.inspections), false),
            Some(Err(ApiError::Problem(p))) if p.status == 404 => (None, None, false),
            Some(Err(_)) => (local.clone(), None, true),
            // Until the server answers, what the phone has.
            None => (local.clone(), None, false),
        };
    let Some(u) = unit else {
        // Registered on this phone and not sent yet.
        if let Some(Some(q)) = &*queued {
            let row = crate::pages::units::Row::waiting(q);
            return html! {
                <Page testid="unit">
                    <h1>{ &row.name }</h1>
                    <p>{ unit_chips(row.status, row.certification, true) }</p>
                    <p class="notice">{ t(UnitText::WaitingNote) }</p>
                    <dl data-testid="facts">
                        <dt>{ t(UnitText::Kind) }</dt><dd>{ t(kind_text(row.kind)) }</dd>
                        <dt>{ t(UnitText::Address) }</dt><dd>{ &row.address }</dd>
                        <dt>{ t(ScreenText::Location) }</dt>
                        <dd>{ format!("{:.6}, {:.6}", q.location.lon, q.location.lat) }</dd>
                    </dl>
                    <Back to={Route::Units} />
                </Page>
            };
        }
        return match &*detail {
            Some(Err(ApiError::Problem(p))) if p.status == 404 => html! {
                <Page testid="unit"><p class="error">{ t(UnitText::NotFound) }</p><Back to={Route::Units} /></Page>
            },
            Some(Err(e)) => html! {
                <Page testid="unit">{ alert(&Some(e.message())) }<Back to={Route::Units} /></Page>
            },
            _ => html! { <Waiting /> },
        };
    };
    let cell_name = cells
        .iter()
        .flatten()
        .find(|c| c.properties.code == u.cell_code)
        .map(|c| c.properties.name.clone());
    let me = session.me.clone();
    let who = |id: uuid::Uuid| -> String {
        if me.as_ref().is_some_and(|m| m.id == id) {
            return t(UnitText::Me).into();
        }
        users
            .iter()
            .find(|x: &&User| x.id == id)
            .map(|x| x.display_name.clone())
            .unwrap_or_else(|| "—".into())
    };
    let levels = me
        .as_ref()
        .map(|m| certifiable(m, u.certification))
        .unwrap_or_default();
    html! {
        <Page testid="unit">
            <h1>{ &u.name }</h1>
            <p>{ unit_chips(u.status, u.certification, false) }</p>
            { if offline { html! { <p class="notice">{ t(ScreenText::OfflineList) }</p> } } else { html! {} } }
            { facts(&u, cell_name.as_deref()) }
            <Link<Route> to={Route::Inspect { id: u.id.to_string() }} classes="primary big">{ t(UnitText::InspectNow) }</Link<Route>>
            { if office && inspections.is_some() && !levels.is_empty() { html! {
                <Certify unit={u.clone()} levels={levels} on_change={on_change} />
            } } else { html! {} } }
            <h2>{ t(UnitText::Inspections) }</h2>
            { match inspections {
                None => html! { <p class="empty">{ t(UnitText::InspectionsOnline) }</p> },
                Some(list) if list.is_empty() => html! { <p class="empty">{ t(UnitText::NoInspections) }</p> },
                Some(list) => html! {
                    <ul class="list" data-testid="inspections">
                        { for list.iter().map(|i| inspection_item(i, &who(i.inspector_id))) }
                    </ul>
                },
            } }
            <Back to={Route::Units} />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(role: Role, region: &str) -> Me {
        Me {
            id: uuid::Uuid::nil(),
            username: "u".into(),
            role,
            region_code: region.into(),
            display_name: "U".into(),
            department_id: None,
        }
    }

    #[test]
    fn each_level_certifies_what_the_server_lets_it() {
        use Certification::{District, None as Not, Town};
        let town = me(Role::Supervisor, "500117001");
        let district = me(Role::Supervisor, "500117");
        let community = me(Role::Supervisor, "500117001001");
        assert_eq!(certifiable(&town, Not), [Town]);
        assert_eq!(certifiable(&town, Town), [Not]);
        // Withdrawing or changing a district certification takes the district.
        assert!(certifiable(&town, District).is_empty());
        assert_eq!(certifiable(&district, Not), [Town, District]);
        assert_eq!(certifiable(&district, District), [Not, Town]);
        assert!(certifiable(&community, Not).is_empty());
        assert!(certifiable(&me(Role::Worker, "500117001001"), Not).is_empty());
        assert_eq!(certifiable(&me(Role::Admin, ""), Town), [Not, District]);
    }
}
