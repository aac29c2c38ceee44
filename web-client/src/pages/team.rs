//! A volunteer's team (群防群治), from the phone's copy so it opens with no signal: its name
//! and kind, its zone (each cell opening its page), its members with their points, the
//! team's points and its recent patrols — and the patrol itself. "Start" notes the time and
//! collects the phone's GPS fixes while the patrol runs (kept in localStorage, so a reload
//! goes on with it); "stop" shows the patrol to confirm: who took part, a note, and whether
//! the member keeps its route (sent only when ticked). The patrol is then queued as a
//! `patrol.create` with the phone's own id, and sent when there is a network.

use chrono::{DateTime, Utc};
use gridwork_shared::api::Page as Paged;
use gridwork_shared::sync::Operation;
use gridwork_shared::team::{MAX_ROUTE_POINTS, NewPatrol, Patrol, TeamDetail};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::{alert, field_errors, on_input};
use crate::components::list::{cell_label, chip, use_cell_names};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_local, use_session};
use crate::i18n::teams::{TeamText, kind as kind_text};
use crate::i18n::{Text, t};
use crate::logic::local_time;
use crate::services::api::{self, ApiError};
use crate::services::{queue, store};

/// GPS fixes wider than this (metres) are left out of a route.
const FIX_POOR_M: f64 = 100.0;

/// A patrol under way, as the phone keeps it until it is queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Running {
    /// The patrol's id, made on the phone.
    pub id: Uuid,
    pub team_id: Uuid,
    pub started_at: DateTime<Utc>,
    /// `[lon, lat]` of each fix, in order.
    pub fixes: Vec<[f64; 2]>,
    /// When "stop" was pressed: the patrol waits for its confirmation.
    #[serde(default)]
    pub stopped_at: Option<DateTime<Utc>>,
}

impl Running {
    pub fn start(team_id: Uuid, now: DateTime<Utc>) -> Running {
        Running {
            id: Uuid::new_v4(),
            team_id,
            started_at: now,
            fixes: Vec::new(),
            stopped_at: None,
        }
    }

    /// Adds a fix to the route: not when it repeats the last one, is too wide, or the route
    /// is full. Answers whether it was added.
    pub fn add_fix(&mut self, lon: f64, lat: f64, accuracy_m: f64) -> bool {
        let usable = lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat)
            && accuracy_m <= FIX_POOR_M;
        // The same place again (within a centimetre: a fix read back from storage may differ
        // in its last bit) adds nothing.
        let repeated = self
            .fixes
            .last()
            .is_some_and(|[x, y]| (x - lon).abs() < 1e-7 && (y - lat).abs() < 1e-7);
        if !usable || repeated || self.fixes.len() >= MAX_ROUTE_POINTS {
            return false;
        }
        self.fixes.push([lon, lat]);
        true
    }

    /// The route as a GeoJSON LineString, when there are at least two fixes.
    pub fn route(&self) -> Option<serde_json::Value> {
        (self.fixes.len() >= 2)
            .then(|| serde_json::json!({"type": "LineString", "coordinates": self.fixes}))
    }

    /// The patrol to queue: the members who took part, the route only when kept.
    pub fn patrol(
        &self,
        ended_at: DateTime<Utc>,
        members: Vec<Uuid>,
        keep_route: bool,
        note: &str,
    ) -> NewPatrol {
        NewPatrol {
            id: self.id,
            team_id: self.team_id,
            started_at: self.started_at,
            ended_at,
            member_ids: members,
            route: if keep_route { self.route() } else { None },
            note: note.trim().to_string(),
        }
    }
}

/// Where the user's running patrol is kept.
fn key(user: Uuid) -> String {
    format!("gridwork.patrol.{user}")
}

fn load(user: Uuid) -> Option<Running> {
    serde_json::from_str(&store::get(&key(user))?).ok()
}

fn save(user: Uuid, r: &Running) {
    store::set(&key(user), &serde_json::to_string(r).unwrap_or_default());
}

/// The team the screen shows: the active one the user is a member of, else one it leads
/// (as `/me/team` picks it).
pub fn my_team(teams: Vec<TeamDetail>, me: Uuid) -> Option<TeamDetail> {
    let member = |d: &TeamDetail| d.members.iter().any(|m| m.user_id == me);
    let mut teams: Vec<TeamDetail> = teams.into_iter().filter(|d| d.team.active).collect();
    teams.sort_by_key(|d| !member(d));
    teams.into_iter().next()
}

/// `1 h 05 min`, `25 min`.
fn length(from: &DateTime<Utc>, to: &DateTime<Utc>) -> String {
    let minutes = (*to - *from).num_minutes().max(0);
    format!("{:.1} {}", minutes as f64 / 60.0, t(TeamText::Hours))
}

/// Follows the phone's position while `on`: each fix goes into the running patrol (kept at
/// once), then to `changed`; `failed` when there is no GPS.
fn watch(user: Uuid, changed: Callback<Running>, failed: Callback<()>) -> Box<dyn FnOnce()> {
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        failed.emit(());
        return Box::new(|| ());
    };
    let ok = Closure::<dyn FnMut(web_sys::Position)>::new(move |p: web_sys::Position| {
        let c = p.coords();
        if let Some(mut r) = load(user).filter(|r| r.stopped_at.is_none())
            && r.add_fix(c.longitude(), c.latitude(), c.accuracy())
        {
            save(user, &r);
            changed.emit(r);
        }
    });
    let fail = Closure::<dyn FnMut(web_sys::PositionError)>::new(move |_| failed.emit(()));
    let opts = web_sys::PositionOptions::new();
    opts.set_enable_high_accuracy(true);
    opts.set_maximum_age(0);
    let id = geo
        .watch_position_with_error_callback_and_options(
            ok.as_ref().unchecked_ref(),
            Some(fail.as_ref().unchecked_ref()),
            &opts,
        )
        .ok();
    Box::new(move || {
        if let Some(id) = id {
            geo.clear_watch(id);
        }
        drop((ok, fail));
    })
}

#[component]
pub fn MyTeam() -> Html {
    let session = use_session();
    let me = session.me.clone();
    let me_id = me.as_ref().map(|m| m.id).unwrap_or_default();
    let team = use_local(move || async move { my_team(queue::records().await, me_id) });
    let cells = use_cell_names();
    let running = use_state(|| load(me_id));
    let gps_off = use_state(|| false);
    let error = use_state(|| None::<String>);
    let queued_now = use_state(|| false);
    let reload = use_state(|| 0u32);
    // The confirmation's fields.
    let ticked = use_state(Vec::<Uuid>::new);
    let note = use_state(String::new);
    let keep_route = use_state(|| false);

    let team = (*team).clone().flatten();
    let team_id = team.as_ref().map(|d| d.team.id);
    let waiting = use_loaded(
        (*reload, session.generation, session.pending),
        move |_| async move {
            queue::queued_patrols()
                .await
                .into_iter()
                .filter(|p| Some(p.team_id) == team_id)
                .collect::<Vec<_>>()
        },
    );
    let sent = use_loaded(
        (team_id, *reload, session.generation),
        |(team, _, _)| async move {
            let team = team?;
            Some(
                api::get::<Paged<Patrol>>(&format!("/api/v1/patrols?team={team}&limit=10"))
                    .await
                    .map(|p| p.items),
            )
        },
    );

    // The GPS is followed while a patrol runs (and not once it is stopped).
    let following = running.as_ref().is_some_and(|r| r.stopped_at.is_none());
    {
        let (running, gps_off) = (running.clone(), gps_off.clone());
        use_effect_with(following, move |on| -> Box<dyn FnOnce()> {
            if !*on {
                return Box::new(|| ());
            }
            gps_off.set(false);
            let changed = Callback::from(move |r: Running| running.set(Some(r)));
            let failed = Callback::from(move |_| gps_off.set(true));
            watch(me_id, changed, failed)
        });
    }

    let Some(d) = team else {
        return html! {
            <Page testid="my-team">
                <h1>{ t(Text::MyTeam) }</h1>
                <p class="empty" data-testid="no-team">{ t(TeamText::NoTeam) }</p>
                <Back />
            </Page>
        };
    };
    let member = d.members.iter().any(|m| m.user_id == me_id);
    let name_of = |id: &Uuid| {
        d.members
            .iter()
            .find(|m| m.user_id == *id)
            .map(|m| m.display_name.clone())
            .unwrap_or_else(|| id.to_string()[..8].to_string())
    };

    let start = {
        let (running, queued_now, error) = (running.clone(), queued_now.clone(), error.clone());
        let team_id = d.team.id;
        Callback::from(move |_| {
            let r = Running::start(team_id, Utc::now());
            save(me_id, &r);
            queued_now.set(false);
            error.set(None);
            running.set(Some(r));
        })
    };
    let stop = {
        let (running, ticked, note, keep_route) = (
            running.clone(),
            ticked.clone(),
            note.clone(),
            keep_route.clone(),
        );
        Callback::from(move |_| {
            if let Some(mut r) = load(me_id).or_else(|| (*running).clone()) {
                r.stopped_at = Some(Utc::now());
                save(me_id, &r);
                ticked.set(if member { vec![me_id] } else { Vec::new() });
                note.set(String::new());
                keep_route.set(false);
                running.set(Some(r));
            }
        })
    };
    let go_on = {
        let running = running.clone();
        Callback::from(move |_| {
            if let Some(mut r) = load(me_id).or_else(|| (*running).clone()) {
                r.stopped_at = None;
                save(me_id, &r);
                running.set(Some(r));
            }
        })
    };
    let discard = {
        let running = running.clone();
        Callback::from(move |_| {
            store::remove(&key(me_id));
            running.set(None);
        })
    };
    let toggle = {
        let ticked = ticked.clone();
        Callback::from(move |id: Uuid| {
            let mut v = (*ticked).clone();
            match v.iter().position(|m| *m == id) {
                Some(i) => {
                    v.remove(i);
                }
                None => v.push(id),
            }
            ticked.set(v);
        })
    };
    let save_patrol = {
        let (running, ticked, note, keep_route, error, queued_now, reload, session) = (
            running.clone(),
            ticked.clone(),
            note.clone(),
            keep_route.clone(),
            error.clone(),
            queued_now.clone(),
            reload.clone(),
            session.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(r) = (*running).clone() else {
                return;
            };
            if ticked.is_empty() {
                error.set(Some(t(TeamText::ChooseMember).to_string()));
                return;
            }
            let ended_at = r.stopped_at.unwrap_or_else(Utc::now);
            let patrol = r.patrol(ended_at, (*ticked).clone(), *keep_route, &note);
            if let Err(errs) = patrol.validate(Utc::now()) {
                error.set(Some(field_errors(&errs)));
                return;
            }
            let (running, error, queued_now, reload, session) = (
                running.clone(),
                error.clone(),
                queued_now.clone(),
                reload.clone(),
                session.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match queue::enqueue(Operation::PatrolCreate(patrol)).await {
                    Ok(()) => {
                        store::remove(&key(me_id));
                        running.set(None);
                        error.set(None);
                        queued_now.set(true);
                        reload.set(*reload + 1);
                        session.sync_now.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let patrol_box = match &*running {
        None => html! {
            <div class="card" data-testid="patrol">
                { if *queued_now { html!{ <p class="done" role="status" data-testid="patrol-queued">{ format!("✓ {}", t(TeamText::Queued)) }</p> } } else { html!{} } }
                <button class="primary big" data-testid="start-patrol" onclick={start}>{ t(TeamText::StartPatrol) }</button>
            </div>
        },
        Some(r) if r.stopped_at.is_none() => html! {
            <div class="card" data-testid="patrol" data-running={r.id.to_string()}>
                <p><strong>{ format!("{} {}", t(TeamText::Patrolling), local_time(&r.started_at)) }</strong></p>
                <p data-testid="fixes" data-fixes={r.fixes.len().to_string()}>
                    { if r.fixes.is_empty() && !*gps_off { t(TeamText::NoFixYet).to_string() } else { format!("{} {}", r.fixes.len(), t(TeamText::Fixes)) } }
                </p>
                { if *gps_off { html!{ <p class="notice">{ t(TeamText::GpsOff) }</p> } } else { html!{} } }
                <button class="primary big" data-testid="stop-patrol" onclick={stop}>{ t(TeamText::StopPatrol) }</button>
            </div>
        },
        Some(r) => {
            let ended = r.stopped_at.unwrap_or_else(Utc::now);
            let has_route = r.route().is_some();
            html! {
                <form class="card" data-testid="patrol-stop" onsubmit={save_patrol}>
                    <h2>{ t(TeamText::ConfirmPatrol) }</h2>
                    <p data-testid="patrol-times">{ format!("{} – {} · {}", local_time(&r.started_at), local_time(&ended), length(&r.started_at, &ended)) }</p>
                    <fieldset data-testid="took-part">
                        <legend>{ t(TeamText::TookPart) }</legend>
                        { for d.members.iter().map(|m| {
                            let id = m.user_id;
                            html! {
                                <label class="check">
                                    <input type="checkbox" name="member" value={id.to_string()}
                                        checked={ticked.contains(&id)}
                                        onchange={toggle.reform(move |_| id)} />
                                    { &m.display_name }
                                </label>
                            }
                        }) }
                    </fieldset>
                    <label>{ t(crate::i18n::screens::ScreenText::Note) }
                        <textarea name="note" value={(*note).clone()} oninput={on_input(&note)} maxlength="2000" />
                    </label>
                    <label class="check">
                        <input type="checkbox" name="keep-route" checked={*keep_route} disabled={!has_route}
                            onchange={let k = keep_route.clone(); move |_| k.set(!*k)} />
                        { t(TeamText::KeepRoute) }
                    </label>
                    <p><small data-testid="route-hint">{ if has_route { format!("{} · {} {}", t(TeamText::KeepRouteHint), r.fixes.len(), t(TeamText::Fixes)) } else { t(TeamText::NoRoute).to_string() } }</small></p>
                    { alert(&error) }
                    <div class="actions">
                        <button class="primary big" type="submit" data-testid="save-patrol">{ t(TeamText::SavePatrol) }</button>
                        <button class="big" type="button" data-testid="continue-patrol" onclick={go_on}>{ t(TeamText::ContinuePatrol) }</button>
                        <button class="big link" type="button" data-testid="discard-patrol" onclick={discard}>{ t(TeamText::DiscardPatrol) }</button>
                    </div>
                </form>
            }
        }
    };

    let waiting = (*waiting).clone().unwrap_or_default();
    let patrol_row = |started: &DateTime<Utc>,
                      ended: &DateTime<Utc>,
                      members: &[Uuid],
                      route: bool,
                      extra: Html| {
        html! {
            <li class="item">
                <strong>{ format!("{} · {}", local_time(started), length(started, ended)) }</strong>
                { extra }
                { if route { chip(t(TeamText::WithRoute), false) } else { html!{} } }
                <small>{ members.iter().map(&name_of).collect::<Vec<_>>().join("、") }</small>
            </li>
        }
    };
    html! {
        <Page testid="my-team">
            <h1 data-testid="team-name">{ &d.team.name }</h1>
            <p>{ chip(t(kind_text(d.team.kind)), false) }</p>
            <p>{ format!("{}：", t(TeamText::TeamPoints)) }<strong data-testid="team-points">{ d.team.points }</strong>
                <br /><small>{ t(TeamText::PointsRule) }</small></p>
            { patrol_box }
            <h2>{ t(TeamText::Zone) }</h2>
            <ul class="list" data-testid="zone">
                { if d.team.cell_codes.is_empty() { html!{ <li class="empty">{ t(TeamText::ZoneEmpty) }</li> } } else { html!{} } }
                { for d.team.cell_codes.iter().map(|code| html! {
                    <li class="item" data-cell={code.clone()}>
                        <Link<Route> to={Route::Cell { code: code.clone() }}>{ cell_label(&cells, code) }</Link<Route>>
                    </li>
                }) }
            </ul>
            <h2>{ t(TeamText::Members) }</h2>
            <ul class="list" data-testid="members">
                { if d.members.is_empty() { html!{ <li class="empty">{ t(TeamText::NoMembers) }</li> } } else { html!{} } }
                { for d.members.iter().map(|m| html! {
                    <li class="item" data-member={m.user_id.to_string()}>
                        <strong>{ &m.display_name }</strong>
                        { if d.team.leader_id == Some(m.user_id) { chip(t(TeamText::Leader), false) } else { html!{} } }
                        <span class="points" data-testid="member-points">{ format!("{} {}", m.points, t(TeamText::Points)) }</span>
                    </li>
                }) }
            </ul>
            <h2>{ t(TeamText::Patrols) }</h2>
            <ul class="list" data-testid="patrols">
                { for waiting.iter().rev().map(|p| patrol_row(&p.started_at, &p.ended_at, &p.member_ids, p.route.is_some(),
                    html!{ <span data-testid="patrol-waiting">{ chip(t(TeamText::Waiting), true) }</span> })) }
                { match &*sent {
                    Some(Some(Ok(list))) => html! {
                        <>
                        { if list.is_empty() && waiting.is_empty() { html!{ <li class="empty">{ t(TeamText::NoPatrols) }</li> } } else { html!{} } }
                        { for list.iter().filter(|p| !waiting.iter().any(|w| w.id == p.id)).map(|p| patrol_row(&p.started_at, &p.ended_at, &p.member_ids, p.route.is_some(),
                            chip(format!("{} {}", p.points_each, t(TeamText::PointsEach)), false))) }
                        </>
                    },
                    Some(Some(Err(ApiError::Offline))) => html!{ <li class="empty">{ t(TeamText::PatrolsOffline) }</li> },
                    Some(Some(Err(e))) => html!{ <li>{ alert(&Some(e.message())) }</li> },
                    _ => html!{ <li class="loading">{ t(Text::Loading) }</li> },
                } }
            </ul>
            <Back />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_route_keeps_usable_fixes_once_each() {
        let mut r = Running::start(Uuid::nil(), at("2026-11-25T02:00:00Z"));
        assert!(r.add_fix(106.27, 29.97, 8.0));
        assert!(!r.add_fix(106.27, 29.97, 8.0), "the same fix again");
        assert!(
            !r.add_fix(106.27 + 1e-12, 29.97, 8.0),
            "read back from storage"
        );
        assert!(!r.add_fix(106.28, 29.98, 500.0), "too wide");
        assert!(!r.add_fix(f64::NAN, 29.98, 5.0));
        assert_eq!(r.route(), None, "one fix is no route");
        assert!(r.add_fix(106.28, 29.98, 8.0));
        assert_eq!(
            r.route().unwrap(),
            serde_json::json!({"type": "LineString", "coordinates": [[106.27, 29.97], [106.28, 29.98]]})
        );
    }

    #[test]
    fn the_route_is_sent_only_when_kept() {
        let mut r = Running::start(Uuid::nil(), at("2026-11-25T02:00:00Z"));
        r.add_fix(106.27, 29.97, 8.0);
        r.add_fix(106.28, 29.98, 8.0);
        let end = at("2026-11-25T03:10:00Z");
        let me = Uuid::from_u128(7);
        let without = r.patrol(end, vec![me], false, " 沿街巡查 ");
        assert_eq!(without.route, None);
        assert_eq!(without.note, "沿街巡查");
        assert_eq!((without.id, without.member_ids.clone()), (r.id, vec![me]));
        assert!(without.validate(end).is_ok());
        let with = r.patrol(end, vec![me], true, "");
        assert!(with.route.is_some());
        assert!(with.validate(end).is_ok());
    }

    #[test]
    fn the_team_shown_is_the_one_the_user_is_a_member_of() {
        let team = |n: u128, active: bool, members: &[u128]| {
            let now = at("2026-11-25T02:00:00Z");
            TeamDetail {
                team: gridwork_shared::team::Team {
                    id: Uuid::from_u128(n),
                    name: format!("t{n}"),
                    kind: gridwork_shared::team::TeamKind::Other,
                    region_code: "500117001001".into(),
                    leader_id: None,
                    cell_codes: vec![],
                    member_count: members.len() as i64,
                    points: 0,
                    active,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                },
                members: members
                    .iter()
                    .map(|m| gridwork_shared::team::TeamMember {
                        user_id: Uuid::from_u128(*m),
                        display_name: String::new(),
                        joined_at: now,
                        points: 0,
                        accepted_reports: 0,
                        patrol_hours: 0,
                    })
                    .collect(),
            }
        };
        let me = Uuid::from_u128(9);
        let pick = |teams| my_team(teams, me).map(|d| d.team.name);
        assert_eq!(
            pick(vec![team(1, true, &[2]), team(3, true, &[9])]),
            Some("t3".into())
        );
        assert_eq!(
            pick(vec![team(1, false, &[9]), team(3, true, &[2])]),
            Some("t3".into())
        );
        assert_eq!(pick(vec![team(1, false, &[9])]), None);
    }
}
