//! The yearly selections (德治评选): campaigns for an award at its level, nominations,
//! shortlists, selection within the quota, close and announce, and the honour roll.
//!
//! Scope: a caller reads the campaigns under its region (supervisors, volunteers; admins
//! all) and those of the regions its own places lie in (a town's or the district's
//! campaign is open to its communities' workers and volunteers). A nominee's region must
//! lie under the campaign's region and in the caller's scope (422). Honours are public to
//! every signed-in user.

use std::collections::BTreeSet;

use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::codes::RegionLevel;
use gridwork_shared::selection::{
    self as rules, Award, Campaign, CampaignActionRequest, CampaignDetail, CampaignStatus, Honour,
    NewCampaign, NewNomination, Nomination, NominationAction, NominationActionRequest,
    NominationStatus,
};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::page::{Cursor, PageRequest};
use crate::db::selections::{self as store, CampaignRow, CampaignScope, Filter, NominationRow};
use crate::db::{self, DbConn, audit, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::deliberations::worker_communities;
use crate::flow::error::{Error, Result};
use crate::flow::incidents::body_hash;
use crate::flow::page_of;
use crate::flow::regions::parse_region;

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}

fn bad(what: &str, v: &str) -> Error {
    Error::Unexpected(anyhow::anyhow!("stored {what} is invalid: {v}"))
}

/// The region codes `code` lies in, itself included (6, 9 and 12 digits).
fn self_and_ancestors(code: &str) -> impl Iterator<Item = String> + '_ {
    [6, 9, 12]
        .into_iter()
        .filter(move |n| *n <= code.len())
        .map(move |n| code[..n].to_string())
}

/// The campaigns a caller may read.
pub fn scope_of(c: &mut DbConn, user: &CurrentUser) -> Result<CampaignScope> {
    Ok(match user.role {
        Role::Admin => CampaignScope {
            under: Some(String::new()),
            ancestors: vec![],
        },
        Role::Supervisor | Role::Volunteer => CampaignScope {
            under: Some(user.region_code.clone()),
            ancestors: self_and_ancestors(&user.region_code).collect(),
        },
        Role::Worker => {
            let mut set: BTreeSet<String> = self_and_ancestors(&user.region_code).collect();
            for community in worker_communities(c, &user.id)? {
                set.extend(self_and_ancestors(&community));
            }
            CampaignScope {
                under: None,
                ancestors: set.into_iter().collect(),
            }
        }
        // Department staff see only what is dispatched or assigned to their department.
        Role::Department => CampaignScope {
            under: None,
            ancestors: Vec::new(),
        },
    })
}

/// Whether the caller's scope holds `code` (where it may nominate someone from).
fn holds(c: &mut DbConn, user: &CurrentUser, code: &str) -> Result<bool> {
    Ok(match user.role {
        Role::Admin => true,
        Role::Supervisor | Role::Volunteer => code.starts_with(&user.region_code),
        Role::Worker => worker_communities(c, &user.id)?
            .iter()
            .any(|x| code.starts_with(x.as_str())),
        Role::Department => false,
    })
}

/// Supervisors of the campaign's region or above, and admins, run a campaign.
fn runs(user: &CurrentUser, campaign: &CampaignRow) -> Result<()> {
    let ok = match user.role {
        Role::Admin => true,
        Role::Supervisor => campaign.region_code.starts_with(&user.region_code),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::forbidden(
            "for a supervisor of the campaign's region or above",
        ))
    }
}

fn status_of(row: &CampaignRow) -> Result<CampaignStatus> {
    CampaignStatus::parse(&row.status).ok_or_else(|| bad("campaign status", &row.status))
}

pub fn to_wire(row: &CampaignRow, now: chrono::NaiveDateTime) -> Result<Campaign> {
    let status = status_of(row)?;
    Ok(Campaign {
        id: uuid(&row.id),
        award: Award::parse(&row.award).ok_or_else(|| bad("award", &row.award))?,
        level: RegionLevel::parse(&row.level).ok_or_else(|| bad("level", &row.level))?,
        region_code: row.region_code.clone(),
        year: row.year,
        quota: row.quota,
        nominations_close: to_utc(row.nominations_close),
        status,
        accepting_nominations: status == CampaignStatus::Open && now < row.nominations_close,
        selected: row.selected,
        version: row.version,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    })
}

pub fn nomination_to_wire(row: &NominationRow) -> Result<Nomination> {
    Ok(Nomination {
        id: uuid(&row.id),
        campaign_id: uuid(&row.campaign_id),
        nominee_name: row.nominee_name.clone(),
        nominee_region_code: row.nominee_region_code.clone(),
        story: row.story.clone(),
        status: NominationStatus::parse(&row.status)
            .ok_or_else(|| bad("nomination status", &row.status))?,
        nominated_by: uuid(&row.nominated_by),
        version: row.version,
        created_at: to_utc(row.created_at),
        updated_at: to_utc(row.updated_at),
    })
}

fn audit_step(
    c: &mut DbConn,
    user: &CurrentUser,
    at: chrono::NaiveDateTime,
    action: &str,
    entity_type: &str,
    id: &str,
    outcome: &str,
) -> Result<()> {
    audit::append(
        c,
        at,
        audit::Entry {
            actor_id: Some(&user.id),
            action,
            entity_type,
            entity_id: id,
            outcome,
            ip: Some(&user.ip),
            detail: None,
        },
    )?;
    Ok(())
}

/// Opens a campaign (idempotent by its client id; validated by the caller): the region
/// must exist at the award's level (422) and lie in the caller's region (404).
pub fn open(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewCampaign,
) -> Result<(CampaignRow, bool)> {
    user.require(&[Role::Admin, Role::Supervisor])?;
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        if let Some(existing) = store::find(c, &id)? {
            if existing.body_hash == hash && existing.created_by == user.id {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        if db::regions::find(c, &new.region_code)?.is_none() {
            return Err(Error::invalid("region_code", "names no region"));
        }
        if !new.region_code.starts_with(user.region_scope()) {
            return Err(Error::not_found());
        }
        let now = state.clock.now_naive();
        let row = CampaignRow {
            id: id.clone(),
            award: new.award.as_str().into(),
            level: new.award.level().as_str().into(),
            region_code: new.region_code.clone(),
            year: new.year,
            quota: new.quota,
            selected: 0,
            nominations_close: crate::core::time::to_db(new.nominations_close),
            status: CampaignStatus::Open.as_str().into(),
            created_by: user.id.clone(),
            version: 1,
            body_hash: hash.clone(),
            created_at: now,
            updated_at: now,
        };
        store::insert(c, &row)?;
        audit_step(c, user, now, "campaign_create", "campaign", &row.id, "open")?;
        Ok((row, true))
    })
}

/// Closes or announces a campaign.
pub fn act_on_campaign(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &CampaignActionRequest,
) -> Result<CampaignRow> {
    db::write_tx(c, |c| {
        let scope = scope_of(c, user)?;
        let row = store::find_in_scope(c, &scope, id)?.ok_or_else(Error::not_found)?;
        runs(user, &row)?;
        let from = status_of(&row)?;
        let to = rules::campaign_transition(from, req.action).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidTransition,
                format!(
                    "cannot {} a campaign that is {}",
                    req.action.as_str(),
                    from.as_str()
                ),
            )
        })?;
        if req.version != row.version {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                format!(
                    "the campaign is at version {}, not {}",
                    row.version, req.version
                ),
            ));
        }
        let now = state.clock.now_naive();
        // Read again: a selection may have taken a place meanwhile (it keeps the version).
        let mut next = store::find(c, id)?.ok_or_else(Error::not_found)?;
        next.status = to.as_str().into();
        next.version += 1;
        next.updated_at = now;
        if !store::update_if_version(c, &next, row.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the campaign changed meanwhile; read it again",
            ));
        }
        audit_step(
            c,
            user,
            now,
            &format!("campaign_{}", req.action.as_str()),
            "campaign",
            &row.id,
            to.as_str(),
        )?;
        Ok(next)
    })
}

/// Nominates someone (idempotent by the nomination's id; validated by the caller): the
/// campaign must be one the caller reads (404); the nominee's region must exist, lie under
/// the campaign's region and in the caller's scope (422); the campaign must be open and
/// before `nominations_close` (409 `campaign_closed`).
pub fn nominate(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    campaign_id: &str,
    new: &NewNomination,
) -> Result<(NominationRow, bool)> {
    let hash = body_hash(new);
    let id = new.id.to_string();
    db::write_tx(c, |c| {
        let scope = scope_of(c, user)?;
        let campaign =
            store::find_in_scope(c, &scope, campaign_id)?.ok_or_else(Error::not_found)?;
        if let Some(existing) = store::find_nomination(c, &id)? {
            if existing.body_hash == hash
                && existing.campaign_id == campaign.id
                && existing.nominated_by == user.id
            {
                return Ok((existing, false));
            }
            return Err(Error::id_conflict());
        }
        let code = &new.nominee_region_code;
        if !code.starts_with(&campaign.region_code) {
            return Err(Error::invalid(
                "nominee_region_code",
                "must lie under the campaign's region",
            ));
        }
        if db::regions::find(c, code)?.is_none() {
            return Err(Error::invalid("nominee_region_code", "names no region"));
        }
        if !holds(c, user, code)? {
            return Err(Error::invalid(
                "nominee_region_code",
                "is outside your area",
            ));
        }
        let now = state.clock.now_naive();
        if status_of(&campaign)? != CampaignStatus::Open || now >= campaign.nominations_close {
            return Err(Error::new(
                ErrorCode::CampaignClosed,
                "this campaign takes no more nominations",
            ));
        }
        let row = NominationRow {
            id: id.clone(),
            campaign_id: campaign.id.clone(),
            nominee_name: new.nominee_name.trim().into(),
            nominee_region_code: code.clone(),
            story: new.story.trim().into(),
            status: NominationStatus::Nominated.as_str().into(),
            nominated_by: user.id.clone(),
            version: 1,
            body_hash: hash.clone(),
            created_at: now,
            updated_at: now,
        };
        store::insert_nomination(c, &row)?;
        Ok((row, true))
    })
}

/// Shortlists, selects or declines a nomination: while its campaign is open or closed, not
/// once announced (409 `invalid_transition`); a selection beyond the quota is 409
/// `quota_full`.
pub fn act_on_nomination(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &NominationActionRequest,
) -> Result<NominationRow> {
    db::write_tx(c, |c| {
        let row = store::find_nomination(c, id)?.ok_or_else(Error::not_found)?;
        let scope = scope_of(c, user)?;
        let campaign =
            store::find_in_scope(c, &scope, &row.campaign_id)?.ok_or_else(Error::not_found)?;
        runs(user, &campaign)?;
        let from = NominationStatus::parse(&row.status)
            .ok_or_else(|| bad("nomination status", &row.status))?;
        let campaign_status = status_of(&campaign)?;
        let to = rules::nomination_transition(from, req.action)
            .filter(|_| campaign_status != CampaignStatus::Announced)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidTransition,
                    if campaign_status == CampaignStatus::Announced {
                        "the campaign was announced".to_string()
                    } else {
                        format!(
                            "cannot {} a nomination that is {}",
                            req.action.as_str(),
                            from.as_str()
                        )
                    },
                )
            })?;
        if req.version != row.version {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                format!(
                    "the nomination is at version {}, not {}",
                    row.version, req.version
                ),
            ));
        }
        let now = state.clock.now_naive();
        if req.action == NominationAction::Select && !store::take_place(c, &campaign.id, now)? {
            return Err(Error::new(
                ErrorCode::QuotaFull,
                format!("all {} places of this campaign are taken", campaign.quota),
            ));
        }
        let mut next = row.clone();
        next.status = to.as_str().into();
        next.version += 1;
        next.updated_at = now;
        if !store::update_nomination_if_version(c, &next, row.version)? {
            return Err(Error::new(
                ErrorCode::VersionConflict,
                "the nomination changed meanwhile; read it again",
            ));
        }
        audit_step(
            c,
            user,
            now,
            &format!("nomination_{}", req.action.as_str()),
            "nomination",
            &row.id,
            to.as_str(),
        )?;
        Ok(next)
    })
}

pub fn detail(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
) -> Result<CampaignDetail> {
    let scope = scope_of(c, user)?;
    let row = store::find_in_scope(c, &scope, id)?.ok_or_else(Error::not_found)?;
    Ok(CampaignDetail {
        campaign: to_wire(&row, state.clock.now_naive())?,
        nominations: store::nominations_of(c, id)?
            .iter()
            .map(nomination_to_wire)
            .collect::<Result<_>>()?,
    })
}

/// Opens a campaign (validated first) and answers it.
pub fn open_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    new: &NewCampaign,
) -> Result<Campaign> {
    new.validate().map_err(Error::validation)?;
    let (row, _) = open(state, c, user, new)?;
    to_wire(&row, state.clock.now_naive())
}

pub fn campaign_action_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &CampaignActionRequest,
) -> Result<CampaignDetail> {
    rules::validate_version(req.version).map_err(Error::validation)?;
    act_on_campaign(state, c, user, id, req)?;
    detail(state, c, user, id)
}

pub fn nominate_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    campaign_id: &str,
    new: &NewNomination,
) -> Result<Nomination> {
    new.validate().map_err(Error::validation)?;
    let (row, _) = nominate(state, c, user, campaign_id, new)?;
    nomination_to_wire(&row)
}

pub fn nomination_action_wire(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    id: &str,
    req: &NominationActionRequest,
) -> Result<Nomination> {
    rules::validate_version(req.version).map_err(Error::validation)?;
    let row = act_on_nomination(state, c, user, id, req)?;
    nomination_to_wire(&row)
}

/// The campaign list's query string.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub region: Option<String>,
    pub year: Option<String>,
    pub status: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

fn parse_year(s: &str) -> Result<i32> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| Error::invalid("year", "must be a year from 2000 to 2100"))
}

pub fn list(
    state: &AppState,
    c: &mut DbConn,
    user: &CurrentUser,
    q: &ListQuery,
    page: &PageRequest,
) -> Result<(Vec<Campaign>, Option<String>)> {
    let mut f = Filter {
        region: q.region.as_deref().map(parse_region).transpose()?,
        year: q.year.as_deref().map(parse_year).transpose()?,
        ..Filter::default()
    };
    if let Some(s) = &q.status {
        CampaignStatus::parse(s)
            .ok_or_else(|| Error::invalid("status", "must be open, closed or announced"))?;
        f.status = Some(s.clone());
    }
    let scope = scope_of(c, user)?;
    let rows = store::list(c, &scope, &f, page)?;
    let now = state.clock.now_naive();
    page_of(
        rows,
        page,
        |r| Cursor::new(r.created_at, &r.id),
        |r| to_wire(r, now),
    )
}

/// `GET /honours`'s query string.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HonoursQuery {
    pub region: Option<String>,
    pub year: Option<String>,
}

/// The honour roll of the whole district, for every signed-in user; `region` narrows it
/// to campaigns at or under that region.
pub fn honours(c: &mut DbConn, q: &HonoursQuery) -> Result<Vec<Honour>> {
    let region = q.region.as_deref().map(parse_region).transpose()?;
    let year = q.year.as_deref().map(parse_year).transpose()?;
    store::honours(c, region.as_deref().unwrap_or(""), year)?
        .into_iter()
        .map(|(k, n)| {
            Ok(Honour {
                award: Award::parse(&k.award).ok_or_else(|| bad("award", &k.award))?,
                level: RegionLevel::parse(&k.level).ok_or_else(|| bad("level", &k.level))?,
                year: k.year,
                nominee_name: n.nominee_name,
                nominee_region_code: n.nominee_region_code,
                story: n.story,
                campaign_id: uuid(&k.id),
                region_code: k.region_code,
            })
        })
        .collect()
}
