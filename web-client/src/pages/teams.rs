//! Volunteer teams (群防群治) at the office, for supervisors and admins, online: the list of
//! the teams in the caller's scope (filtered by kind, page by page), a team's page — its
//! members with their points, its leader, its zone drawn on the map, its figures and its
//! patrols — with the forms that change it (name, leader, zone, active; at the version read)
//! and set its members, creating a team, and the teams' figures (`/stats/teams`) for a date
//! range, as a table that downloads as CSV.

use std::rc::Rc;

use gridwork_shared::ErrorCode;
use gridwork_shared::api::{Region, Role, User};
use gridwork_shared::codes::RegionLevel;
use gridwork_shared::stats::MapCells;
use gridwork_shared::team::{
    NewTeam, Patrol, Team, TeamDetail, TeamKind, TeamMembers, TeamPatch, TeamStats,
};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::admin::{Said, more_button, said, use_paged};
use super::figures::range_query;
use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_map_event, use_session, use_users};
use crate::i18n::screens::ScreenText;
use crate::i18n::teams::{TeamText, kind as kind_text};
use crate::i18n::{Text, english, t};
use crate::logic::local_time;
use crate::services::api::{self, ApiError};
use crate::services::map;

/// The kinds, as a picker offers them.
fn kind_choices() -> Vec<(AttrValue, AttrValue)> {
    TeamKind::ALL
        .iter()
        .map(|k| (k.as_str().into(), t(kind_text(*k)).into()))
        .collect()
}

/// Whether the signed-in user works at the office (the team screens are theirs).
#[hook]
fn use_office() -> bool {
    use_session()
        .me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin))
}

/// The screen someone else gets.
fn office_only() -> Html {
    html! {
        <Page>
            <h1>{ t(Text::Teams) }</h1>
            <p class="error" role="alert" data-testid="not-allowed">{ t(TeamText::OfficeOnly) }</p>
            <Back />
        </Page>
    }
}

/// The cells of the caller's scope as the map draws them, read once (empty when they
/// cannot be read).
#[hook]
fn use_cells() -> Option<Rc<MapCells>> {
    let cells = use_loaded((), |_| async {
        api::get::<MapCells>("/api/v1/map/cells")
            .await
            .ok()
            .map(Rc::new)
    });
    (*cells).clone().flatten()
}

/// The cells under `region`, as (code, name), by code.
fn cells_under(cells: &MapCells, region: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = cells
        .features
        .iter()
        .filter(|f| !region.is_empty() && f.properties.code.starts_with(region))
        .map(|f| (f.properties.code.clone(), f.properties.name.clone()))
        .collect();
    v.sort();
    v
}

/// A cell by name and code (the code alone when the map does not know it).
fn cell_name(cells: Option<&MapCells>, code: &str) -> String {
    cells
        .and_then(|c| c.features.iter().find(|f| f.properties.code == code))
        .map(|f| format!("{} {code}", f.properties.name))
        .unwrap_or_else(|| code.to_string())
}

/// Who may lead a team of `region` besides its members: active workers and supervisors
/// whose region holds it.
fn staff_for(users: &[User], region: &str) -> Vec<User> {
    users
        .iter()
        .filter(|u| {
            u.active
                && matches!(u.role, Role::Worker | Role::Supervisor)
                && !region.is_empty()
                && region.starts_with(&u.region_code)
        })
        .cloned()
        .collect()
}

/// Who may be a member of a team of `region`: active volunteers of the region.
fn volunteers_of(users: &[User], region: &str) -> Vec<User> {
    users
        .iter()
        .filter(|u| u.active && u.role == Role::Volunteer && u.region_code.starts_with(region))
        .cloned()
        .collect()
}

/// A user by display name (its username beside it), or the id when unknown.
fn user_name(users: &[User], id: &Uuid) -> String {
    users
        .iter()
        .find(|u| u.id == *id)
        .map(|u| format!("{} ({})", u.display_name, u.username))
        .unwrap_or_else(|| id.to_string())
}

/// A refusal in the user's words; `already_member` names the volunteer the server named.
pub fn refusal(e: &ApiError, users: &[User]) -> String {
    match e {
        ApiError::Problem(p) if p.code == ErrorCode::AlreadyMember => {
            let named = p
                .detail
                .split_whitespace()
                .find_map(|w| Uuid::parse_str(w).ok())
                .map(|id| format!("{}：{}", user_name(users, &id), t(TeamText::InAnotherTeam)));
            match named {
                Some(n) => format!("{} {n}", e.message()),
                None => e.message(),
            }
        }
        other => other.message(),
    }
}

/// A list of checkboxes: each `(value, label)`, ticked when `chosen` holds it.
fn checks(
    name: &'static str,
    options: &[(String, String)],
    chosen: &UseStateHandle<Vec<String>>,
) -> Html {
    html! {
        <div class="checks" data-testid={name}>
            { for options.iter().map(|(value, label)| {
                let v = value.clone();
                let chosen2 = chosen.clone();
                let toggle = Callback::from(move |_: Event| {
                    let mut c = (*chosen2).clone();
                    match c.iter().position(|x| *x == v) {
                        Some(i) => { c.remove(i); }
                        None => c.push(v.clone()),
                    }
                    chosen2.set(c);
                });
                html! {
                    <label class="check">
                        <input type="checkbox" name={name} value={value.clone()} checked={chosen.contains(value)} onchange={toggle} />
                        { label }
                    </label>
                }
            }) }
        </div>
    }
}

#[component]
pub fn Teams() -> Html {
    let office = use_office();
    let kind = use_state(String::new);
    let path = match (office, kind.is_empty()) {
        (false, _) => String::new(),
        (true, true) => "/api/v1/teams?limit=50".to_string(),
        (true, false) => format!("/api/v1/teams?limit=50&kind={}", *kind),
    };
    let teams = use_paged::<Team>(path, 0);
    if !office {
        return office_only();
    }
    html! {
        <Page wide=true testid="teams">
            <h1>{ t(Text::Teams) }</h1>
            <div class="actions">
                <Link<Route> to={Route::TeamNew} classes="primary big">{ format!("＋ {}", t(TeamText::NewTeam)) }</Link<Route>>
                <span data-testid="team-figures-link"><Link<Route> to={Route::TeamFigures} classes="big">{ t(TeamText::Figures) }</Link<Route>></span>
            </div>
            <form class="card filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t(TeamText::Kind) }
                    <Choice name="kind" value={(*kind).clone()} options={kind_choices()} empty={Some(AttrValue::from(t(TeamText::AllKinds)))} onchange={keep(&kind)} />
                </label>
            </form>
            { match &teams.items {
                None => html!{ <p class="loading">{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(list)) => html! {
                    <>
                    <p><small data-testid="shown">{ format!("{} {}", list.len(), t(TeamText::Shown)) }</small></p>
                    <ul class="list" data-testid="team-list">
                        { if list.is_empty() { html!{ <li class="empty">{ t(TeamText::NoTeams) }</li> } } else { html!{} } }
                        { for list.iter().map(|team| html! {
                            <li class="item" data-team={team.id.to_string()}>
                                <Link<Route> to={Route::Team { id: team.id.to_string() }}>
                                    <strong>{ &team.name }</strong>
                                    { chip(t(kind_text(team.kind)), false) }
                                    { if team.active { html!{} } else { chip(t(TeamText::Inactive), true) } }
                                    <small>{ format!("{} · {} {} · {} {}", team.region_code, team.member_count, t(TeamText::Members), team.points, t(TeamText::Points)) }</small>
                                </Link<Route>>
                            </li>
                        }) }
                    </ul>
                    </>
                },
            } }
            { more_button(&teams, t(TeamText::More)) }
            <Back />
        </Page>
    }
}

/// The towns and communities in the caller's scope, by code.
#[hook]
fn use_team_regions() -> Vec<Region> {
    let regions = use_loaded((), |_| async {
        let mut list: Vec<Region> = api::get::<Vec<Region>>("/api/v1/regions")
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.level != RegionLevel::District)
            .collect();
        list.sort_by(|a, b| a.code.cmp(&b.code));
        list
    });
    (*regions).clone().unwrap_or_default()
}

#[component]
pub fn TeamNew() -> Html {
    let office = use_office();
    let regions = use_team_regions();
    let cells = use_cells();
    let users = use_users(office, 0);
    let navigator = use_navigator().expect("the router");
    // The team's id, made once: sending again after a lost answer creates nothing twice.
    let id = use_state(Uuid::new_v4);
    let name = use_state(String::new);
    let kind = use_state(String::new);
    let region = use_state(String::new);
    let leader = use_state(String::new);
    let zone = use_state(Vec::<String>::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    if !office {
        return office_only();
    }
    let submit = {
        let (id, name, kind, region, leader, zone, error, busy, users) = (
            id.clone(),
            name.clone(),
            kind.clone(),
            region.clone(),
            leader.clone(),
            zone.clone(),
            error.clone(),
            busy.clone(),
            users.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(k) = TeamKind::parse(&kind) else {
                error.set(Some(t(TeamText::ChooseKind).to_string()));
                return;
            };
            if region.is_empty() {
                error.set(Some(t(TeamText::ChooseRegion).to_string()));
                return;
            }
            let new = NewTeam {
                id: *id,
                name: name.trim().to_string(),
                kind: k,
                region_code: (*region).clone(),
                leader_id: Uuid::parse_str(&leader).ok(),
                cell_codes: (*zone).clone(),
            };
            if let Err(errs) = new.validate() {
                error.set(Some(field_errors(&errs)));
                return;
            }
            busy.set(true);
            let (error, busy, navigator, users) = (
                error.clone(),
                busy.clone(),
                navigator.clone(),
                users.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, TeamDetail>("/api/v1/teams", &new).await {
                    Ok(d) => navigator.push(&Route::Team {
                        id: d.team.id.to_string(),
                    }),
                    Err(e) => error.set(Some(refusal(&e, &users))),
                }
                busy.set(false);
            });
        })
    };
    let on_region = {
        let (region, zone, leader) = (region.clone(), zone.clone(), leader.clone());
        Callback::from(move |v: String| {
            region.set(v);
            zone.set(Vec::new());
            leader.set(String::new());
        })
    };
    let region_options: Vec<(AttrValue, AttrValue)> = regions
        .iter()
        .map(|r| {
            (
                r.code.clone().into(),
                format!("{} {}", r.name, r.code).into(),
            )
        })
        .collect();
    let zone_options = cells
        .as_deref()
        .map(|c| cells_under(c, &region))
        .unwrap_or_default()
        .into_iter()
        .map(|(code, name)| (code.clone(), format!("{name} {code}")))
        .collect::<Vec<_>>();
    let leader_options: Vec<(AttrValue, AttrValue)> = staff_for(&users, &region)
        .iter()
        .map(|u| {
            (
                u.id.to_string().into(),
                format!("{} ({})", u.display_name, u.username).into(),
            )
        })
        .collect();
    html! {
        <Page testid="team-new">
            <h1>{ t(TeamText::NewTeam) }</h1>
            <form class="card" onsubmit={submit} data-testid="team-form">
                <label>{ t(TeamText::Name) }<input name="name" value={(*name).clone()} oninput={on_input(&name)} maxlength="100" /></label>
                <label>{ t(TeamText::Kind) }
                    <Choice name="kind" value={(*kind).clone()} options={kind_choices()} empty={Some(AttrValue::from(t(TeamText::ChooseKind)))} onchange={keep(&kind)} />
                </label>
                <label>{ t(TeamText::Region) }
                    <Choice name="region" value={(*region).clone()} options={region_options} empty={Some(AttrValue::from(t(TeamText::ChooseRegion)))} onchange={on_region} />
                </label>
                <fieldset>
                    <legend>{ t(TeamText::ZoneCells) }</legend>
                    { if zone_options.is_empty() && !region.is_empty() { html!{ <p class="empty">{ t(TeamText::NoCellsHere) }</p> } } else { html!{} } }
                    { checks("zone", &zone_options, &zone) }
                </fieldset>
                <label>{ t(TeamText::Leader) }
                    <Choice name="leader" value={(*leader).clone()} options={leader_options} empty={Some(AttrValue::from(t(TeamText::NoLeader)))} onchange={keep(&leader)} />
                </label>
                { alert(&error) }
                <button class="primary big" type="submit" disabled={*busy} data-testid="create-team">{ t(TeamText::Save) }</button>
            </form>
            <Back to={Route::Teams} />
        </Page>
    }
}

#[derive(Properties, PartialEq)]
pub struct TeamPageProps {
    pub id: String,
}

#[derive(Properties, PartialEq)]
struct ZoneMapProps {
    /// The zone's cells, as JSON text the map script draws.
    json: Option<Rc<String>>,
}

/// The zone on the map; a tap on a cell opens its page.
#[component]
fn ZoneMap(props: &ZoneMapProps) -> Html {
    let navigator = use_navigator().expect("the router");
    use_map_event("team-map", "gridwork-cell", move |el| {
        let code = el.get_attribute("data-selected").unwrap_or_default();
        navigator.push(&Route::Cell { code });
    });
    let drawn = use_state(|| None::<String>);
    {
        let drawn = drawn.clone();
        use_effect_with((props.json.clone(), english()), move |(json, _)| {
            if let Some(json) = json.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let done = async {
                        map::leaflet().await?;
                        map::call_map_script(
                            "gridworkMap",
                            &[
                                "team-map".into(),
                                json.as_str().into(),
                                map::tiles().into(),
                                map::tooltip_labels().into(),
                            ],
                        )
                    };
                    drawn.set(done.await.err());
                });
            }
        });
    }
    html! {
        <>
        { alert(&drawn) }
        <div id="team-map" class="map" data-testid="team-map"></div>
        </>
    }
}

#[component]
pub fn TeamPage(props: &TeamPageProps) -> Html {
    let office = use_office();
    let reload = use_state(|| 0u32);
    let detail = use_loaded((props.id.clone(), *reload), |(id, _)| async move {
        match Uuid::parse_str(&id) {
            Ok(id) => api::get::<TeamDetail>(&format!("/api/v1/teams/{id}")).await,
            Err(_) => Err(ApiError::Problem(gridwork_shared::Problem::new(
                ErrorCode::NotFound,
                "no such team",
            ))),
        }
    });
    let users = use_users(office, *reload);
    let cells = use_cells();
    let patrol_path = match Uuid::parse_str(&props.id) {
        Ok(id) if office => format!("/api/v1/patrols?team={id}&limit=20"),
        _ => String::new(),
    };
    let patrols = use_paged::<Patrol>(patrol_path, *reload);
    // The zone's cells as the map draws them, once both are in.
    let zone_codes = match &*detail {
        Some(Ok(d)) => d.team.cell_codes.clone(),
        _ => Vec::new(),
    };
    let zone_json = use_memo((zone_codes, cells.clone()), |(codes, cells)| {
        cells.as_ref().map(|c| {
            let mut fc = (**c).clone();
            fc.features.retain(|f| codes.contains(&f.properties.code));
            Rc::new(map::json(&fc))
        })
    });
    if !office {
        return office_only();
    }
    let d = match &*detail {
        None => return html! { <Page><p class="loading">{ t(Text::Loading) }</p></Page> },
        Some(Err(e)) => {
            return html! {
                <Page>
                    <h1>{ t(TeamText::Team) }</h1>
                    { alert(&Some(e.message())) }
                    <Back to={Route::Teams} />
                </Page>
            };
        }
        Some(Ok(d)) => d.clone(),
    };
    let saved = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let team = &d.team;
    let leader = team.leader_id.map(|l| {
        d.members
            .iter()
            .find(|m| m.user_id == l)
            .map(|m| m.display_name.clone())
            .unwrap_or_else(|| user_name(&users, &l))
    });
    let accepted: i64 = d.members.iter().map(|m| m.accepted_reports).sum();
    let hours: i64 = d.members.iter().map(|m| m.patrol_hours).sum();
    html! {
        <Page wide=true testid="team">
            <h1 data-testid="team-name">{ &team.name }</h1>
            <p>
                { chip(t(kind_text(team.kind)), false) }
                { if team.active { chip(t(TeamText::Active), false) } else { chip(t(TeamText::Inactive), true) } }
            </p>
            <dl class="facts">
                <dt>{ t(TeamText::Region) }</dt><dd>{ &team.region_code }</dd>
                <dt>{ t(TeamText::Leader) }</dt><dd data-testid="leader">{ leader.unwrap_or_else(|| t(TeamText::NoLeader).to_string()) }</dd>
                <dt>{ t(TeamText::TeamPoints) }</dt><dd data-testid="team-points">{ team.points }</dd>
                <dt>{ t(TeamText::Members) }</dt><dd>{ team.member_count }</dd>
                <dt>{ t(TeamText::AcceptedReports) }</dt><dd>{ accepted }</dd>
                <dt>{ t(TeamText::PatrolHours) }</dt><dd>{ hours }</dd>
            </dl>
            <p><small>{ t(TeamText::PointsRule) }</small></p>
            <h2>{ t(TeamText::Members) }</h2>
            { if d.members.is_empty() { html!{ <p class="empty">{ t(TeamText::NoMembers) }</p> } } else { html! {
                <div class="scroll">
                <table class="figures" data-testid="members">
                    <thead><tr>
                        <th>{ t(TeamText::Members) }</th><th>{ t(TeamText::Points) }</th>
                        <th>{ t(TeamText::AcceptedReports) }</th><th>{ t(TeamText::PatrolHours) }</th>
                    </tr></thead>
                    <tbody>
                        { for d.members.iter().map(|m| html! {
                            <tr data-member={m.user_id.to_string()}>
                                <th scope="row">{ &m.display_name }{ if team.leader_id == Some(m.user_id) { chip(t(TeamText::Leader), false) } else { html!{} } }</th>
                                <td data-testid="member-points">{ m.points }</td>
                                <td>{ m.accepted_reports }</td>
                                <td>{ m.patrol_hours }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
            } } }
            <h2>{ t(TeamText::Zone) }</h2>
            { if team.cell_codes.is_empty() { html!{ <p class="empty">{ t(TeamText::ZoneEmpty) }</p> } } else { html! {
                <>
                <ZoneMap json={(*zone_json).clone()} />
                <ul class="list" data-testid="zone">
                    { for team.cell_codes.iter().map(|code| html! {
                        <li class="item" data-cell={code.clone()}>
                            <Link<Route> to={Route::Cell { code: code.clone() }}>{ cell_name(cells.as_deref(), code) }</Link<Route>>
                        </li>
                    }) }
                </ul>
                </>
            } } }
            <h2>{ t(TeamText::Patrols) }</h2>
            { match &patrols.items {
                None => html!{ <p class="loading">{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(list)) if list.is_empty() => html!{ <p class="empty">{ t(TeamText::NoPatrols) }</p> },
                Some(Ok(list)) => html! {
                    <ul class="list" data-testid="team-patrols">
                        { for list.iter().map(|p| html! {
                            <li class="item" data-patrol={p.id.to_string()}>
                                <strong>{ format!("{} · {} {}", local_time(&p.started_at), p.hours, t(TeamText::Hours)) }</strong>
                                { chip(format!("{} {}", p.points_each, t(TeamText::PointsEach)), false) }
                                { if p.route.is_some() { chip(t(TeamText::WithRoute), false) } else { html!{} } }
                                <small>{ p.member_ids.iter().map(|m| d.members.iter().find(|x| x.user_id == *m).map(|x| x.display_name.clone()).unwrap_or_else(|| user_name(&users, m))).collect::<Vec<_>>().join("、") }</small>
                                { if p.note.is_empty() { html!{} } else { html!{ <p><small>{ &p.note }</small></p> } } }
                            </li>
                        }) }
                    </ul>
                },
            } }
            { more_button(&patrols, t(TeamText::More)) }
            <EditTeam detail={d.clone()} users={users.clone()} cells={cells.clone()} saved={saved.clone()} />
            <SetMembers detail={d.clone()} users={users.clone()} saved={saved} />
            <Back to={Route::Teams} />
        </Page>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    detail: TeamDetail,
    users: Rc<Vec<User>>,
    #[prop_or_default]
    cells: Option<Rc<MapCells>>,
    saved: Callback<()>,
}

/// Name, leader, zone and whether the team is active, sent at the version read.
#[component]
fn EditTeam(props: &FormProps) -> Html {
    let team = &props.detail.team;
    let name = use_state(|| team.name.clone());
    let leader = use_state(|| team.leader_id.map(|l| l.to_string()).unwrap_or_default());
    let zone = use_state(|| team.cell_codes.clone());
    let active = use_state(|| team.active);
    let result = use_state(Said::default);
    {
        let (name, leader, zone, active) =
            (name.clone(), leader.clone(), zone.clone(), active.clone());
        use_effect_with(props.detail.team.clone(), move |team| {
            name.set(team.name.clone());
            leader.set(team.leader_id.map(|l| l.to_string()).unwrap_or_default());
            zone.set(team.cell_codes.clone());
            active.set(team.active);
        });
    }
    let submit = {
        let (name, leader, zone, active, result) = (
            name.clone(),
            leader.clone(),
            zone.clone(),
            active.clone(),
            result.clone(),
        );
        let (team, users, saved) = (team.clone(), props.users.clone(), props.saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let leader_id = Uuid::parse_str(&leader).ok();
            let patch = TeamPatch {
                version: team.version,
                name: (name.trim() != team.name).then(|| name.trim().to_string()),
                leader_id: (leader_id != team.leader_id).then_some(leader_id),
                cell_codes: (*zone != team.cell_codes).then(|| (*zone).clone()),
                active: (*active != team.active).then_some(*active),
            };
            if let Err(errs) = patch.validate() {
                result.set(Said::Failed(field_errors(&errs)));
                return;
            }
            let (result, users, saved, id) =
                (result.clone(), users.clone(), saved.clone(), team.id);
            wasm_bindgen_futures::spawn_local(async move {
                match api::patch::<_, TeamDetail>(&format!("/api/v1/teams/{id}"), &patch).await {
                    Ok(_) => {
                        result.set(Said::Done(t(TeamText::Saved).to_string()));
                        saved.emit(());
                    }
                    Err(e) => result.set(Said::Failed(refusal(&e, &users))),
                }
            });
        })
    };
    let mut leader_options: Vec<(AttrValue, AttrValue)> = props
        .detail
        .members
        .iter()
        .map(|m| (m.user_id.to_string().into(), m.display_name.clone().into()))
        .collect();
    leader_options.extend(staff_for(&props.users, &team.region_code).iter().map(|u| {
        (
            u.id.to_string().into(),
            format!("{} ({})", u.display_name, u.username).into(),
        )
    }));
    let mut zone_options: Vec<(String, String)> = props
        .cells
        .as_deref()
        .map(|c| cells_under(c, &team.region_code))
        .unwrap_or_default()
        .into_iter()
        .map(|(code, name)| (code.clone(), format!("{name} {code}")))
        .collect();
    // A zone cell the map does not list stays choosable (and chosen).
    for code in &team.cell_codes {
        if !zone_options.iter().any(|(c, _)| c == code) {
            zone_options.push((code.clone(), code.clone()));
        }
    }
    html! {
        <form class="card" onsubmit={submit} data-testid="edit-team">
            <h2>{ t(TeamText::EditTeam) }</h2>
            <label>{ t(TeamText::Name) }<input name="name" value={(*name).clone()} oninput={on_input(&name)} maxlength="100" /></label>
            <label>{ t(TeamText::Leader) }
                <Choice name="leader" value={(*leader).clone()} options={leader_options} empty={Some(AttrValue::from(t(TeamText::NoLeader)))} onchange={keep(&leader)} />
            </label>
            <fieldset>
                <legend>{ t(TeamText::ZoneCells) }</legend>
                { checks("zone", &zone_options, &zone) }
            </fieldset>
            <label class="check">
                <input type="checkbox" name="active" checked={*active} onchange={let a = active.clone(); move |_| a.set(!*a)} />
                { t(TeamText::Active) }
            </label>
            <button class="primary big" type="submit" data-testid="save-team">{ t(TeamText::Save) }</button>
            { said(&result, "edit-said") }
        </form>
    }
}

/// The members, replaced as a set: the region's active volunteers to tick.
#[component]
fn SetMembers(props: &FormProps) -> Html {
    let team = &props.detail.team;
    let current = || {
        props
            .detail
            .members
            .iter()
            .map(|m| m.user_id.to_string())
            .collect::<Vec<_>>()
    };
    let chosen = use_state(current);
    let result = use_state(Said::default);
    {
        let chosen = chosen.clone();
        let ids = current();
        use_effect_with(ids, move |ids| chosen.set(ids.clone()));
    }
    let submit = {
        let (chosen, result) = (chosen.clone(), result.clone());
        let (id, users, saved) = (team.id, props.users.clone(), props.saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = TeamMembers {
                user_ids: chosen
                    .iter()
                    .filter_map(|s| Uuid::parse_str(s).ok())
                    .collect(),
            };
            let (result, users, saved) = (result.clone(), users.clone(), saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, TeamDetail>(&format!("/api/v1/teams/{id}/members"), &body).await
                {
                    Ok(_) => {
                        result.set(Said::Done(t(TeamText::MembersSaved).to_string()));
                        saved.emit(());
                    }
                    Err(e) => result.set(Said::Failed(refusal(&e, &users))),
                }
            });
        })
    };
    let mut options: Vec<(String, String)> = volunteers_of(&props.users, &team.region_code)
        .iter()
        .map(|u| {
            (
                u.id.to_string(),
                format!("{} ({})", u.display_name, u.username),
            )
        })
        .collect();
    for m in &props.detail.members {
        if !options.iter().any(|(id, _)| *id == m.user_id.to_string()) {
            options.push((m.user_id.to_string(), m.display_name.clone()));
        }
    }
    html! {
        <form class="card" onsubmit={submit} data-testid="set-members">
            <h2>{ t(TeamText::SetMembers) }</h2>
            { if options.is_empty() { html!{ <p class="empty">{ t(TeamText::NoVolunteersHere) }</p> } } else { html!{} } }
            { checks("member", &options, &chosen) }
            <button class="primary big" type="submit" data-testid="save-members">{ t(TeamText::Save) }</button>
            { said(&result, "members-said") }
        </form>
    }
}

/// One CSV field: quoted when it must be, a formula defused with a leading `'`.
fn csv_field(s: &str) -> String {
    let s = match s.starts_with(['=', '+', '-', '@']) {
        true => format!("'{s}"),
        false => s.to_string(),
    };
    match s.contains([',', '"', '\n', '\r']) {
        true => format!("\"{}\"", s.replace('"', "\"\"")),
        false => s,
    }
}

/// The teams' figures as CSV (UTF-8 with a byte-order mark, so spreadsheets read the
/// Chinese), headed in the current language.
pub fn figures_csv(rows: &[TeamStats]) -> String {
    csv_of(headings(), rows, |k| t(kind_text(k)))
}

/// The table's headings in the current language.
fn headings() -> [&'static str; 9] {
    [
        t(TeamText::Team),
        t(TeamText::Kind),
        t(TeamText::Region),
        t(TeamText::Members),
        t(TeamText::Reports),
        t(TeamText::AcceptedReports),
        t(TeamText::PatrolCount),
        t(TeamText::PatrolHours),
        t(TeamText::Points),
    ]
}

/// The figures as CSV under `head`, each kind named by `kind`.
fn csv_of(head: [&str; 9], rows: &[TeamStats], kind: impl Fn(TeamKind) -> &'static str) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&head.map(csv_field).join(","));
    out.push_str("\r\n");
    for r in rows {
        let line = [
            r.name.clone(),
            kind(r.kind).to_string(),
            r.region_code.clone(),
            r.members.to_string(),
            r.reports.to_string(),
            r.reports_accepted.to_string(),
            r.patrols.to_string(),
            r.patrol_hours.to_string(),
            r.points.to_string(),
        ];
        out.push_str(
            &line
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[component]
pub fn TeamFigures() -> Html {
    let office = use_office();
    let session = use_session();
    let from = use_state(String::new);
    let to = use_state(String::new);
    let query = range_query(&from, &to);
    let stats = use_loaded(
        (query.clone(), office, session.generation),
        |(q, office, _)| async move {
            if !office {
                return Ok(Vec::new());
            }
            api::get::<Vec<TeamStats>>(&format!("/api/v1/stats/teams?{q}"))
                .await
                .map_err(|e| e.message())
        },
    );
    let error = use_state(|| None::<String>);
    let saved = use_state(|| None::<(String, String)>);
    use_effect_with((*saved).clone(), |saved| {
        let url = saved.as_ref().map(|(_, url)| url.clone());
        move || {
            if let Some(url) = url {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    });
    if !office {
        return office_only();
    }
    let export = {
        let (stats, error, saved, query) =
            (stats.clone(), error.clone(), saved.clone(), query.clone());
        Callback::from(move |_| {
            let Some(Ok(rows)) = &*stats else {
                return;
            };
            let range = if query.is_empty() {
                "all".to_string()
            } else {
                query.replace(['&', '='], "-")
            };
            let file = api::Download {
                name: format!("gridwork-teams-{range}.csv"),
                content_type: "text/csv; charset=utf-8".into(),
                bytes: figures_csv(rows).into_bytes(),
            };
            match crate::components::export::save(&file) {
                Ok(url) => {
                    error.set(None);
                    saved.set(Some((file.name, url)));
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    html! {
        <Page wide=true testid="team-figures-page">
            <h1>{ t(TeamText::Figures) }</h1>
            <form class="card filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t(ScreenText::From) }<input type="date" name="from" value={(*from).clone()} oninput={on_input(&from)} /></label>
                <label>{ t(ScreenText::To) }<input type="date" name="to" value={(*to).clone()} oninput={on_input(&to)} /></label>
            </form>
            <p><small>{ t(TeamText::AllTime) }</small></p>
            { match &*stats {
                None => html!{ <p class="loading">{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(list)) if list.is_empty() => html!{ <p class="empty">{ t(TeamText::NoTeams) }</p> },
                Some(Ok(list)) => html! {
                    <div class="scroll">
                    <table class="figures" data-testid="team-figures">
                        <thead><tr>
                            <th>{ t(TeamText::Team) }</th><th>{ t(TeamText::Members) }</th><th>{ t(TeamText::Reports) }</th>
                            <th>{ t(TeamText::AcceptedReports) }</th><th>{ t(TeamText::PatrolCount) }</th>
                            <th>{ t(TeamText::PatrolHours) }</th><th>{ t(TeamText::Points) }</th>
                        </tr></thead>
                        <tbody>
                            { for list.iter().map(|r| html! {
                                <tr data-team={r.team_id.to_string()}>
                                    <th scope="row">
                                        <Link<Route> to={Route::Team { id: r.team_id.to_string() }}>{ &r.name }</Link<Route>>
                                        <br /><small>{ format!("{} · {}", t(kind_text(r.kind)), r.region_code) }</small>
                                    </th>
                                    <td>{ r.members }</td>
                                    <td>{ r.reports }</td>
                                    <td>{ r.reports_accepted }</td>
                                    <td>{ r.patrols }</td>
                                    <td>{ r.patrol_hours }</td>
                                    <td data-testid="points">{ r.points }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                },
            } }
            <div class="exports" data-testid="export-teams">
                <button class="big" data-testid="export-teams-csv" onclick={export}>{ t(crate::i18n::office::OfficeText::ExportCsv) }</button>
                <p><small>{ t(TeamText::ExportNote) }</small></p>
                { alert(&error) }
                { for saved.iter().map(|(name, url)| html! {
                    <p data-testid="export-file">{ format!("✓ {} ", t(crate::i18n::office::OfficeText::Downloaded)) }
                        <a href={url.clone()} download={name.clone()}>{ name }</a></p>
                }) }
            </div>
            <Back to={Route::Teams} />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("文峰社区"), "文峰社区");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-1"), "'-1");
    }

    #[test]
    fn the_figures_download_as_csv_one_row_a_team() {
        let rows = [TeamStats {
            team_id: Uuid::nil(),
            name: "合阳城红袖标巡逻队".into(),
            kind: TeamKind::RedArmband,
            region_code: "500117001".into(),
            members: 2,
            reports: 1,
            reports_accepted: 0,
            patrols: 2,
            patrol_hours: 4.1,
            points: 12,
        }];
        let csv = csv_of(["h"; 9], &rows, |_| "红袖标");
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            "合阳城红袖标巡逻队,红袖标,500117001,2,1,0,2,4.1,12"
        );
    }

    #[test]
    fn leaders_and_members_are_offered_by_region_and_role() {
        let now = chrono::Utc::now();
        let user = |n: u128, role: Role, region: &str, active: bool| User {
            id: Uuid::from_u128(n),
            username: format!("u{n}"),
            role,
            region_code: region.into(),
            display_name: format!("U{n}"),
            active,
            department_id: None,
            created_at: now,
            updated_at: now,
        };
        let users = [
            user(1, Role::Volunteer, "500117001001", true),
            user(2, Role::Volunteer, "500117001002", true),
            user(3, Role::Volunteer, "500117001001", false),
            user(4, Role::Worker, "500117001001", true),
            user(5, Role::Supervisor, "500117001", true),
            user(6, Role::Supervisor, "500117002", true),
        ];
        let ids = |v: Vec<User>| v.iter().map(|u| u.id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(volunteers_of(&users, "500117001001")), [1]);
        assert_eq!(ids(volunteers_of(&users, "500117001")), [1, 2]);
        assert_eq!(ids(staff_for(&users, "500117001001")), [4, 5]);
        assert_eq!(ids(staff_for(&users, "500117001")), [5]);
    }
}
