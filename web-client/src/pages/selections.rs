//! The selections (德治评选): campaigns for an award, each at its award's level; a
//! campaign's page with its nominations, where supervisors shortlist, select within the
//! quota, decline, close and announce, and where anyone in scope nominates — queued as
//! `nomination.create`, so it works with no signal; and the honour roll every user reads.

use gridwork_shared::api::{Me, Page as Paged, Region, Role};
use gridwork_shared::selection::{
    Award, Campaign, CampaignAction, CampaignActionRequest, CampaignDetail, CampaignStatus, Honour,
    NewCampaign, NewNomination, Nomination, NominationAction, NominationActionRequest,
    NominationStatus, campaign_transition, nomination_transition,
};
use gridwork_shared::sync::{OnCampaign, Operation};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::choice::{Choice, keep};
use crate::components::form::{alert, field_errors, on_input};
use crate::components::list::chip;
use crate::components::page::{Back, Page, Waiting};
use crate::components::when::at;
use crate::hooks::{use_loaded, use_local, use_local_record, use_session};
use crate::i18n::halls::{HallText, award as award_text, campaign_status, nomination_status};
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, level as level_text, t};
use crate::logic::{local_input, parse_local_time};
use crate::pages::hall::{region_name, use_cell_communities, use_regions};
use crate::services::api::{self, ApiError};
use crate::services::queue;

/// Who runs `campaign` (shortlists, selects, declines, closes, announces): supervisors of
/// its region or above, and admins.
pub fn runs(me: &Me, campaign: &Campaign) -> bool {
    match me.role {
        Role::Admin => true,
        Role::Supervisor => campaign.region_code.starts_with(&me.region_code),
        _ => false,
    }
}

/// Who starts campaigns: supervisors and admins.
pub fn starts_campaigns(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Admin)
}

/// Who nominates: workers, supervisors, volunteers and admins in scope.
pub fn nominates(role: Role) -> bool {
    matches!(
        role,
        Role::Worker | Role::Supervisor | Role::Volunteer | Role::Admin
    )
}

/// The regions a campaign may be started in for `award` by `me`: at the award's level,
/// under `me`'s region (an admin's: all).
pub fn campaign_regions(me: &Me, award: Award, regions: &[Region]) -> Vec<(String, String)> {
    regions
        .iter()
        .filter(|r| r.level == award.level())
        .filter(|r| me.role == Role::Admin || r.code.starts_with(&me.region_code))
        .map(|r| (r.code.clone(), format!("{} {}", r.name, r.code)))
        .collect()
}

/// Where a nominee of `campaign_region` may live, for `me`: under the campaign's region and
/// in `me`'s scope (a worker's: its cells' communities; a supervisor's or volunteer's: its
/// region and below; an admin's: all). Named when `regions` knows them.
pub fn nominee_regions(
    me: &Me,
    campaign_region: &str,
    cell_communities: &[String],
    regions: &[Region],
) -> Vec<(String, String)> {
    let mut codes = std::collections::BTreeSet::new();
    let under = |c: &str| c.starts_with(campaign_region);
    match me.role {
        Role::Worker => codes.extend(cell_communities.iter().filter(|c| under(c)).cloned()),
        Role::Supervisor | Role::Volunteer => {
            let mine = |c: &str| c.starts_with(&me.region_code) && under(c);
            codes.extend(
                regions
                    .iter()
                    .filter(|r| mine(&r.code))
                    .map(|r| r.code.clone()),
            );
            codes.extend(cell_communities.iter().filter(|c| mine(c)).cloned());
            if under(&me.region_code) {
                codes.insert(me.region_code.clone());
            }
        }
        Role::Admin => codes.extend(
            regions
                .iter()
                .filter(|r| under(&r.code))
                .map(|r| r.code.clone()),
        ),
        Role::Department => {}
    }
    codes
        .into_iter()
        .map(|c| {
            let name = region_name(regions, &c);
            (c, name)
        })
        .collect()
}

/// The honour roll grouped by award, in the awards' order (district first).
pub fn by_award(honours: &[Honour]) -> Vec<(Award, Vec<&Honour>)> {
    Award::ALL
        .into_iter()
        .map(|a| {
            (
                a,
                honours.iter().filter(|h| h.award == a).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// This year on the district's clock.
fn this_year() -> i32 {
    crate::logic::day(&chrono::Utc::now())
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(2026)
}

fn award_options() -> Vec<(AttrValue, AttrValue)> {
    Award::ALL
        .iter()
        .map(|a| {
            (
                AttrValue::from(a.as_str()),
                AttrValue::from(t(award_text(*a))),
            )
        })
        .collect()
}

fn campaign_chips(c: &Campaign) -> Html {
    html! {
        <>
        <span data-testid="status">{ chip(t(campaign_status(c.status)), false) }</span>
        { if c.accepting_nominations { chip(t(HallText::Accepting), false) } else { html! {} } }
        { chip(format!("{} {}/{}", t(HallText::Selected), c.selected, c.quota), false) }
        </>
    }
}

#[component]
pub fn Campaigns() -> Html {
    let session = use_session();
    let year = use_state(String::new);
    let status = use_state(String::new);
    let server = use_loaded(
        ((*year).clone(), (*status).clone(), session.generation),
        |(year, status, _)| async move {
            let mut q = String::from("/api/v1/campaigns?limit=200");
            if !year.trim().is_empty() {
                q.push_str(&format!("&year={}", year.trim()));
            }
            if !status.is_empty() {
                q.push_str(&format!("&status={status}"));
            }
            api::get::<Paged<Campaign>>(&q).await
        },
    );
    let local = use_local(queue::records::<Campaign>);
    let regions = use_regions();
    let Some(me) = session.me.clone() else {
        return html! {};
    };
    let (shown, offline, problem): (Vec<Campaign>, bool, Option<String>) = match &*server {
        Some(Ok(p)) => (p.items.clone(), false, None),
        Some(Err(ApiError::Problem(p))) => (
            Vec::new(),
            false,
            Some(crate::i18n::problems::lines_of(p).join("; ")),
        ),
        // With no signal: the open campaigns the last pull brought.
        _ => {
            let mut v: Vec<Campaign> = (*local)
                .clone()
                .unwrap_or_default()
                .into_iter()
                .filter(|c| year.trim().is_empty() || c.year.to_string() == year.trim())
                .filter(|c| status.is_empty() || c.status.as_str() == *status)
                .collect();
            v.sort_by_key(|c| std::cmp::Reverse(c.created_at));
            (v, server.is_some(), None)
        }
    };
    html! {
        <Page testid="campaigns">
            <h1>{ t(HallText::Selections) }</h1>
            { if starts_campaigns(me.role) { html! {
                <Link<Route> to={Route::CampaignNew} classes="primary big">{ format!("＋ {}", t(HallText::NewCampaign)) }</Link<Route>>
            } } else { html! {} } }
            <div data-testid="honours-link"><Link<Route> to={Route::Honours} classes="big">{ t(HallText::Honours) }</Link<Route>></div>
            <form class="card filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t(HallText::Year) }
                    <input name="year" type="number" min="2000" max="2100" placeholder={t(HallText::AllYears)} value={(*year).clone()} oninput={on_input(&year)} />
                </label>
                <label>{ t(ScreenText::Status) }
                    <Choice name="status" empty={t(HallText::AllStatuses)} value={(*status).clone()} onchange={keep(&status)}
                        options={[CampaignStatus::Open, CampaignStatus::Closed, CampaignStatus::Announced].iter()
                            .map(|s| (AttrValue::from(s.as_str()), AttrValue::from(t(campaign_status(*s))))).collect::<Vec<_>>()} />
                </label>
            </form>
            { if offline { html! { <p class="notice">{ t(ScreenText::OfflineList) }</p> } } else { html! {} } }
            { alert(&problem) }
            <ul class="list" data-testid="campaign-list">
                { if shown.is_empty() { html! { <li class="empty">{ t(Text::Nothing) }</li> } } else { html! {} } }
                { for shown.iter().map(|c| html! {
                    <li class="item" data-campaign={c.id.to_string()}>
                        <Link<Route> to={Route::Campaign { id: c.id.to_string() }}>
                            <strong>{ format!("{} {}", c.year, t(award_text(c.award))) }</strong>
                            { campaign_chips(c) }
                            <small>{ region_name(&regions, &c.region_code) }</small>
                        </Link<Route>>
                    </li>
                }) }
            </ul>
            <Back />
        </Page>
    }
}

/// Starting a campaign (supervisors, admins): the award, a region at the award's level,
/// the year, the quota and when nominations close; sent to the server.
#[component]
pub fn CampaignNew() -> Html {
    let session = use_session();
    let navigator = use_navigator().expect("router");
    let regions = use_regions();
    let award = use_state(String::new);
    let region = use_state(String::new);
    let year = use_state(|| this_year().to_string());
    let quota = use_state(String::new);
    let close = use_state(|| local_input(&(chrono::Utc::now() + chrono::Duration::days(30))));
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    // Another award: its regions are another level's.
    {
        let region = region.clone();
        use_effect_with((*award).clone(), move |_| region.set(String::new()));
    }
    let Some(me) = session.me.clone() else {
        return html! {};
    };
    if !starts_campaigns(me.role) {
        return html! { <Page testid="campaign-new"><p class="error">{ t(HallText::OfficeOnly) }</p><Back to={Route::Campaigns} /></Page> };
    }
    let chosen = Award::parse(&award);
    let choices = chosen
        .map(|a| campaign_regions(&me, a, &regions))
        .unwrap_or_default();
    let submit = {
        let (award, region, year, quota, close, error, busy) = (
            award.clone(),
            region.clone(),
            year.clone(),
            quota.clone(),
            close.clone(),
            error.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(a) = Award::parse(&award) else {
                error.set(Some(format!(
                    "{}: {}",
                    t(HallText::Award),
                    t(ScreenText::Choose)
                )));
                return;
            };
            let Some(when) = parse_local_time(&close) else {
                error.set(Some(format!(
                    "{}: {}",
                    t(HallText::NominationsClose),
                    t(ScreenText::Choose)
                )));
                return;
            };
            let new = NewCampaign {
                id: Uuid::new_v4(),
                award: a,
                region_code: (*region).clone(),
                year: year.trim().parse().unwrap_or(0),
                quota: quota.trim().parse().unwrap_or(0),
                nominations_close: when,
            };
            if let Err(errors) = new.validate() {
                error.set(Some(field_errors(&errors)));
                return;
            }
            error.set(None);
            busy.set(true);
            let (error, busy, navigator) = (error.clone(), busy.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, Campaign>("/api/v1/campaigns", &new).await {
                    Ok(c) => navigator.push(&Route::Campaign {
                        id: c.id.to_string(),
                    }),
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <Page testid="campaign-new">
            <form class="card" onsubmit={submit}>
                <h1>{ t(HallText::NewCampaign) }</h1>
                <label>{ t(HallText::Award) }
                    <Choice name="award" empty={t(ScreenText::Choose)} value={(*award).clone()} onchange={keep(&award)} options={award_options()} />
                </label>
                <label>{ t(HallText::RegionAtLevel) }
                    <Choice name="region" empty={if chosen.is_some() { t(ScreenText::Choose) } else { t(HallText::ChooseAwardFirst) }}
                        value={(*region).clone()} onchange={keep(&region)} disabled={chosen.is_none()}
                        options={choices.iter().map(|(c, n)| (AttrValue::from(c.clone()), AttrValue::from(n.clone()))).collect::<Vec<_>>()} />
                </label>
                <div class="pair">
                    <label>{ t(HallText::Year) }
                        <input name="year" type="number" min="2000" max="2100" value={(*year).clone()} oninput={on_input(&year)} />
                    </label>
                    <label>{ t(HallText::Quota) }
                        <input name="quota" type="number" min="1" value={(*quota).clone()} oninput={on_input(&quota)} />
                    </label>
                </div>
                <label>{ t(HallText::NominationsClose) }
                    <input name="nominations_close" type="datetime-local" value={(*close).clone()} oninput={on_input(&close)} />
                </label>
                { alert(&error) }
                <button class="primary big" type="submit" disabled={*busy}>{ t(ScreenText::Create) }</button>
                <Back to={Route::Campaigns} />
            </form>
        </Page>
    }
}

/// A step a campaign's runner takes: on the campaign, or on one of its nominations.
#[derive(Debug, Clone)]
enum Step {
    Campaign(Uuid, CampaignActionRequest),
    Nomination(Uuid, NominationActionRequest),
}

#[derive(Properties, PartialEq)]
pub struct CampaignProps {
    pub id: String,
}

/// A campaign's page: its facts, its nominations with the steps its runners take, the
/// campaign's own steps, and the nomination form while it takes nominations. From the
/// server when it answers, else the phone's copy of an open campaign (its nominations then
/// show with a network), with the nominations queued here.
#[component]
pub fn CampaignPage(props: &CampaignProps) -> Html {
    let session = use_session();
    let reload = use_state(|| 0u32);
    let detail = use_loaded(
        (props.id.clone(), session.generation, *reload),
        |(id, _, _)| async move { api::get::<CampaignDetail>(&format!("/api/v1/campaigns/{id}")).await },
    );
    let local = use_local_record::<Campaign>(&props.id);
    let queued = use_loaded((session.generation, *reload), |_| queue::queued_hall());
    let regions = use_regions();
    let cell_communities = use_cell_communities();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let Some(me) = session.me.clone() else {
        return html! {};
    };
    let (d, online) = match &*detail {
        Some(Ok(d)) => (Some(d.clone()), true),
        Some(Err(ApiError::Problem(p))) if p.status == 404 => (None, false),
        _ => (
            local.clone().map(|c| CampaignDetail {
                campaign: c,
                nominations: Vec::new(),
            }),
            false,
        ),
    };
    let Some(d) = d else {
        return match &*detail {
            Some(Err(ApiError::Problem(p))) if p.status == 404 => html! {
                <Page testid="campaign"><p class="error">{ t(HallText::CampaignNotFound) }</p><Back to={Route::Campaigns} /></Page>
            },
            Some(Err(e)) => html! {
                <Page testid="campaign">{ alert(&Some(e.message())) }<Back to={Route::Campaigns} /></Page>
            },
            _ => html! { <Waiting /> },
        };
    };
    let c = d.campaign.clone();
    let running = online && runs(&me, &c);
    // Sends a step and reads the campaign again; a refusal is said in words.
    let send = {
        let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
        Callback::from(move |step: Step| {
            let (error, busy, reload) = (error.clone(), busy.clone(), reload.clone());
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let sent = match step {
                    Step::Campaign(id, req) => api::post::<_, CampaignDetail>(
                        &format!("/api/v1/campaigns/{id}/actions"),
                        &req,
                    )
                    .await
                    .map(drop),
                    Step::Nomination(id, req) => api::post::<_, Nomination>(
                        &format!("/api/v1/nominations/{id}/actions"),
                        &req,
                    )
                    .await
                    .map(drop),
                };
                match sent {
                    Ok(()) => {}
                    Err(ApiError::Offline) => error.set(Some(t(HallText::NeedsNetwork).into())),
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
                reload.set(*reload + 1);
            });
        })
    };
    let campaign_step = |a: CampaignAction| {
        let req = CampaignActionRequest {
            action: a,
            version: c.version,
        };
        let step = Step::Campaign(c.id, req);
        let label = match a {
            CampaignAction::Close => HallText::Close,
            CampaignAction::Announce => HallText::Announce,
        };
        html! {
            <button class="big primary" data-testid={format!("campaign-{}", a.as_str())} disabled={*busy}
                onclick={send.reform(move |_| step.clone())}>{ t(label) }</button>
        }
    };
    let nomination_steps = |n: &Nomination| {
        if !running || c.status == CampaignStatus::Announced {
            return html! {};
        }
        let steps: Vec<NominationAction> = [
            NominationAction::Shortlist,
            NominationAction::Select,
            NominationAction::Decline,
        ]
        .into_iter()
        .filter(|a| nomination_transition(n.status, *a).is_some())
        .collect();
        html! {
            <div class="actions">
                { for steps.into_iter().map(|a| {
                    let req = NominationActionRequest { action: a, version: n.version };
                    let step = Step::Nomination(n.id, req);
                    let label = match a {
                        NominationAction::Shortlist => HallText::Shortlist,
                        NominationAction::Select => HallText::Select,
                        NominationAction::Decline => HallText::DeclineNomination,
                    };
                    html! {
                        <button class={classes!("big", (a != NominationAction::Decline).then_some("primary"))}
                            data-testid={format!("nom-{}", a.as_str())} disabled={*busy}
                            onclick={send.reform(move |_| step.clone())}>{ t(label) }</button>
                    }
                }) }
            </div>
        }
    };
    let nomination_item = |n: &Nomination, waiting: bool| {
        html! {
            <li class="item" data-nomination={n.id.to_string()}>
                <strong data-testid="nominee">{ &n.nominee_name }</strong>
                { match waiting {
                    true => html! { <span data-testid="waiting">{ chip(t(HallText::Waiting), true) }</span> },
                    false => html! { <span data-testid="status">{ chip(t(nomination_status(n.status)), false) }</span> },
                } }
                <small>{ region_name(&regions, &n.nominee_region_code) }</small>
                <p class="note">{ &n.story }</p>
                { if waiting { html! {} } else { nomination_steps(n) } }
            </li>
        }
    };
    let mine: Vec<Nomination> = (*queued)
        .clone()
        .unwrap_or_default()
        .nominations
        .into_iter()
        .filter(|q| q.campaign_id == c.id)
        .filter(|q| !d.nominations.iter().any(|n| n.id == q.body.id))
        .map(|q| Nomination {
            id: q.body.id,
            campaign_id: c.id,
            nominee_name: q.body.nominee_name,
            nominee_region_code: q.body.nominee_region_code,
            story: q.body.story,
            status: NominationStatus::Nominated,
            nominated_by: me.id,
            version: 0,
            created_at: c.created_at,
            updated_at: c.created_at,
        })
        .collect();
    let taking = c.status == CampaignStatus::Open && (c.accepting_nominations || !online);
    let places = nominee_regions(&me, &c.region_code, &cell_communities, &regions);
    let on_nominated = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    html! {
        <Page testid="campaign">
            <article class="card">
                <h1>{ format!("{} {}", c.year, t(award_text(c.award))) }</h1>
                <p>{ campaign_chips(&c) }</p>
                { if online { html! {} } else { html! { <p class="notice">{ t(ScreenText::OfflineList) }</p> } } }
                <dl data-testid="facts">
                    <dt>{ t(HallText::Award) }</dt><dd>{ t(award_text(c.award)) }</dd>
                    <dt>{ t(ScreenText::Level) }</dt><dd>{ t(level_text(region_level(c.level))) }</dd>
                    <dt>{ t(ScreenText::Region) }</dt><dd>{ region_name(&regions, &c.region_code) }</dd>
                    <dt>{ t(HallText::Year) }</dt><dd>{ c.year }</dd>
                    <dt>{ t(HallText::Quota) }</dt><dd data-testid="quota">{ format!("{}/{}", c.selected, c.quota) }</dd>
                    <dt>{ t(HallText::NominationsClose) }</dt>
                    <dd>{ at(&c.nominations_close) }{ " · " }{ t(if c.accepting_nominations { HallText::Accepting } else { HallText::NotAccepting }) }</dd>
                </dl>
                <div data-testid="campaign-error">{ alert(&error) }</div>
                { if running { html! {
                    <div class="actions" data-testid="campaign-steps">
                        { for [CampaignAction::Close, CampaignAction::Announce].into_iter()
                            .filter(|a| campaign_transition(c.status, *a).is_some())
                            .map(campaign_step) }
                    </div>
                } } else { html! {} } }
                <h2>{ t(HallText::Nominations) }</h2>
                { if !online { html! { <p class="empty">{ t(HallText::NominationsOnline) }</p> } }
                  else if d.nominations.is_empty() && mine.is_empty() { html! { <p class="empty">{ t(HallText::NoNominations) }</p> } }
                  else { html! {} } }
                <ul class="list" data-testid="nominations">
                    { for d.nominations.iter().map(|n| nomination_item(n, false)) }
                    { for mine.iter().map(|n| nomination_item(n, true)) }
                </ul>
                { if taking && nominates(me.role) { html! {
                    <NominateForm campaign={c.id} places={places} on_nominated={on_nominated} />
                } } else { html! {} } }
                <Back to={Route::Campaigns} />
            </article>
        </Page>
    }
}

/// The incident levels name the region levels on screen.
fn region_level(l: gridwork_shared::codes::RegionLevel) -> gridwork_shared::incident::Level {
    use gridwork_shared::codes::RegionLevel as R;
    use gridwork_shared::incident::Level;
    match l {
        R::District => Level::District,
        R::Town => Level::Town,
        R::Community => Level::Community,
    }
}

#[derive(Properties, PartialEq)]
struct NominateProps {
    campaign: Uuid,
    places: Vec<(String, String)>,
    on_nominated: Callback<()>,
}

/// Nominating someone: a name, where they live (in the caller's scope, under the
/// campaign's region) and their story; checked on the phone, queued as
/// `nomination.create`, shown at once waiting to be sent.
#[component]
fn NominateForm(props: &NominateProps) -> Html {
    let session = use_session();
    let name = use_state(String::new);
    let place = use_state(String::new);
    let story = use_state(String::new);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| false);
    {
        let place = place.clone();
        let only = (props.places.len() == 1).then(|| props.places[0].0.clone());
        use_effect_with(only, move |only| {
            if let Some(p) = only
                && place.is_empty()
            {
                place.set(p.clone());
            }
        });
    }
    let submit = {
        let (name, place, story, error, notice) = (
            name.clone(),
            place.clone(),
            story.clone(),
            error.clone(),
            notice.clone(),
        );
        let (campaign, on_nominated, session) =
            (props.campaign, props.on_nominated.clone(), session.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let new = NewNomination {
                id: Uuid::new_v4(),
                nominee_name: name.trim().to_string(),
                nominee_region_code: (*place).clone(),
                story: story.trim().to_string(),
            };
            notice.set(false);
            if let Err(errors) = new.validate() {
                error.set(Some(field_errors(&errors)));
                return;
            }
            error.set(None);
            let op = Operation::NominationCreate(OnCampaign {
                campaign_id: campaign,
                body: new,
            });
            let (name, story, error, notice, on_nominated, session) = (
                name.clone(),
                story.clone(),
                error.clone(),
                notice.clone(),
                on_nominated.clone(),
                session.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match queue::enqueue(op).await {
                    Ok(()) => {
                        name.set(String::new());
                        story.set(String::new());
                        notice.set(true);
                        on_nominated.emit(());
                        session.sync_now.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <form class="card" data-testid="nominate" onsubmit={submit}>
            <h2>{ t(HallText::Nominate) }</h2>
            <label>{ t(HallText::NomineeName) }
                <input name="nominee_name" value={(*name).clone()} oninput={on_input(&name)} />
            </label>
            <label>{ t(HallText::NomineeRegion) }
                <Choice name="nominee_region" empty={t(ScreenText::Choose)} value={(*place).clone()} onchange={keep(&place)}
                    options={props.places.iter().map(|(c, n)| (AttrValue::from(c.clone()), AttrValue::from(n.clone()))).collect::<Vec<_>>()} />
            </label>
            <label>{ t(HallText::Story) }
                <textarea name="story" value={(*story).clone()} oninput={on_input(&story)} />
            </label>
            { alert(&error) }
            { if *notice { html! { <p class="notice" role="status" data-testid="nominated">{ t(HallText::NominationQueued) }</p> } } else { html! {} } }
            <button class="primary big" type="submit">{ t(HallText::Nominate) }</button>
        </form>
    }
}

/// The honour roll: the selected nominees of announced campaigns, grouped by award, for
/// every signed-in user; narrowed by year.
#[component]
pub fn Honours() -> Html {
    let year = use_state(String::new);
    let regions = use_regions();
    let honours = use_loaded((*year).clone(), |year| async move {
        let q = match year.trim() {
            "" => String::new(),
            y => format!("?year={y}"),
        };
        api::get::<Vec<Honour>>(&format!("/api/v1/honours{q}")).await
    });
    let body = match &*honours {
        None => html! { <p class="loading">{ t(Text::Loading) }</p> },
        Some(Err(e)) => alert(&Some(e.message())),
        Some(Ok(list)) if list.is_empty() => {
            html! { <p class="empty">{ t(HallText::NoHonours) }</p> }
        }
        Some(Ok(list)) => html! {
            <>
            { for by_award(list).into_iter().map(|(a, people)| html! {
                <section class="card" data-award={a.as_str()}>
                    <h2>{ t(award_text(a)) }</h2>
                    <ul class="list">
                        { for people.into_iter().map(|h| html! {
                            <li class="item" data-testid="honour">
                                <strong data-testid="honour-name">{ &h.nominee_name }</strong>
                                { chip(h.year.to_string(), false) }
                                <small>{ region_name(&regions, &h.nominee_region_code) }</small>
                                <p class="note">{ &h.story }</p>
                            </li>
                        }) }
                    </ul>
                </section>
            }) }
            </>
        },
    };
    html! {
        <Page testid="honours">
            <h1>{ t(HallText::Honours) }</h1>
            <form class="card filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t(HallText::Year) }
                    <input name="year" type="number" min="2000" max="2100" placeholder={t(HallText::AllYears)} value={(*year).clone()} oninput={on_input(&year)} />
                </label>
            </form>
            <div data-testid="honour-roll">{ body }</div>
            <Back />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridwork_shared::codes::RegionLevel;

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

    fn region(code: &str, level: RegionLevel) -> Region {
        Region {
            code: code.into(),
            name: format!("R{code}"),
            level,
            parent_code: None,
        }
    }

    fn regions() -> Vec<Region> {
        vec![
            region("500117", RegionLevel::District),
            region("500117001", RegionLevel::Town),
            region("500117001001", RegionLevel::Community),
            region("500117001002", RegionLevel::Community),
            region("500117002", RegionLevel::Town),
            region("500117002001", RegionLevel::Community),
        ]
    }

    #[test]
    fn a_campaign_is_started_at_its_awards_level_under_ones_region() {
        let town = me(Role::Supervisor, "500117001");
        let codes = |v: Vec<(String, String)>| v.into_iter().map(|(c, _)| c).collect::<Vec<_>>();
        assert_eq!(
            codes(campaign_regions(&town, Award::GoodFamily, &regions())),
            ["500117001001", "500117001002"]
        );
        assert_eq!(
            codes(campaign_regions(&town, Award::GoodPerson, &regions())),
            ["500117001"]
        );
        assert!(campaign_regions(&town, Award::NewSage, &regions()).is_empty());
        let admin = me(Role::Admin, "");
        assert_eq!(
            codes(campaign_regions(&admin, Award::NewSage, &regions())),
            ["500117"]
        );
        assert!(starts_campaigns(Role::Supervisor) && !starts_campaigns(Role::Worker));
    }

    #[test]
    fn nominees_live_under_the_campaign_and_in_the_callers_scope() {
        let codes = |v: Vec<(String, String)>| v.into_iter().map(|(c, _)| c).collect::<Vec<_>>();
        let worker = me(Role::Worker, "500117001001");
        let cells = ["500117001001".to_string()];
        assert_eq!(
            codes(nominee_regions(&worker, "500117", &cells, &regions())),
            ["500117001001"]
        );
        assert!(nominee_regions(&worker, "500117002", &cells, &regions()).is_empty());
        let town = me(Role::Supervisor, "500117001");
        assert_eq!(
            codes(nominee_regions(&town, "500117", &[], &regions())),
            ["500117001", "500117001001", "500117001002"]
        );
        let volunteer = me(Role::Volunteer, "500117001001");
        assert_eq!(
            codes(nominee_regions(&volunteer, "500117001001", &[], &[])),
            ["500117001001"]
        );
    }

    #[test]
    fn only_runners_run_a_campaign() {
        let now = chrono::Utc::now();
        let c = Campaign {
            id: Uuid::nil(),
            award: Award::GoodFamily,
            level: RegionLevel::Community,
            region_code: "500117001001".into(),
            year: 2026,
            quota: 1,
            nominations_close: now,
            status: CampaignStatus::Open,
            accepting_nominations: true,
            selected: 0,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        assert!(runs(&me(Role::Supervisor, "500117001"), &c));
        assert!(runs(&me(Role::Admin, ""), &c));
        assert!(!runs(&me(Role::Supervisor, "500117002"), &c));
        assert!(!runs(&me(Role::Worker, "500117001001"), &c));
    }

    #[test]
    fn the_honour_roll_is_grouped_by_award_in_the_awards_order() {
        let h = |award: Award, name: &str| Honour {
            award,
            level: award.level(),
            year: 2026,
            nominee_name: name.into(),
            nominee_region_code: "500117001001".into(),
            story: String::new(),
            campaign_id: Uuid::nil(),
            region_code: "500117".into(),
        };
        let all = [
            h(Award::GoodFamily, "A"),
            h(Award::MostBeautiful, "B"),
            h(Award::GoodFamily, "C"),
        ];
        let grouped = by_award(&all);
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].0, Award::MostBeautiful);
        let names: Vec<&str> = grouped[1]
            .1
            .iter()
            .map(|h| h.nominee_name.as_str())
            .collect();
        assert_eq!(names, ["A", "C"]);
    }
}
