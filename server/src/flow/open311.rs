//! Open311 GeoReport v2: the public categories as services, the incidents of those
//! categories as service requests — without anyone's personal data —, and a service request
//! posted with an admin-issued API key registered as an incident through
//! [`incidents::report_from`], at community level, with source `open311`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use gridwork_shared::geometry::Location;
use gridwork_shared::incident::{NewIncident, Severity, Source, Status};
use gridwork_shared::open311::{
    self as wire, CheckedRequest, Discovery, Endpoint, RequestsQuery, Service, ServiceRequest,
    Submitted,
};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::models::{CategoryRow, ContactRow, IncidentRow};
use crate::db::open311::{self as store, Filter};
use crate::db::{DbConn, incidents as incident_store, to_utc};
use crate::flow::caller::CurrentUser;
use crate::flow::error::{Error, Result};
use crate::flow::incidents;
use crate::flow::limits::{WriteLimit, WriteLimiter};

/// Most requests one list answers.
pub const MAX_REQUESTS: i64 = 1000;
/// The window a list covers when no dates are given.
pub const DEFAULT_DAYS: i64 = 90;

/// The language of names and notes: Chinese unless the client asks for English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// Limits on the Open311 endpoints, per client address: reads need no login, so they are
/// bounded like writes are; posts are bounded tighter (an unknown key is tried against
/// the same bucket).
pub struct Limits {
    pub reads: WriteLimiter,
    pub posts: WriteLimiter,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            reads: WriteLimiter::new(WriteLimit {
                burst: 120,
                per_minute: 60,
            }),
            posts: WriteLimiter::new(WriteLimit {
                burst: 30,
                per_minute: 10,
            }),
        }
    }
}

fn name_of(c: &CategoryRow, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &c.name,
        Lang::En => &c.name_en,
    }
}

fn service_of(c: &CategoryRow, lang: Lang) -> Service {
    let (zh, en) = wire::group_of(&c.code);
    let (group, other_name) = match lang {
        Lang::Zh => (zh, &c.name_en),
        Lang::En => (en, &c.name),
    };
    Service {
        service_code: c.code.clone(),
        service_name: name_of(c, lang).to_string(),
        description: format!("{} ({})", name_of(c, lang), other_name),
        metadata: false,
        kind: "realtime".to_string(),
        keywords: format!("{}, {}, {}", c.code, c.name, c.name_en),
        group: group.to_string(),
    }
}

/// The public categories, by code.
fn public_categories(c: &mut DbConn) -> Result<Vec<CategoryRow>> {
    Ok(incident_store::categories(c)?
        .into_iter()
        .filter(|c| c.public)
        .collect())
}

/// `GET /services`: every category an admin marked public.
pub fn services(c: &mut DbConn, lang: Lang) -> Result<Vec<Service>> {
    Ok(public_categories(c)?
        .iter()
        .map(|c| service_of(c, lang))
        .collect())
}

/// Whether Open311 calls a status closed.
fn is_closed(status: &str) -> bool {
    store::CLOSED.contains(&status)
}

/// A status in words, for `status_notes` (a merged incident is closed as a duplicate).
fn notes_of(status: Status, merged: bool, lang: Lang) -> &'static str {
    match (status, lang) {
        _ if merged && lang == Lang::Zh => "重复上报，已并入另一事件",
        _ if merged => "Duplicate request, merged into another",
        (Status::Reported, Lang::Zh) => "已受理登记，等待核实",
        (Status::Reported, Lang::En) => "Registered, waiting to be checked",
        (Status::Accepted, Lang::Zh) => "已核实，等待派遣",
        (Status::Accepted, Lang::En) => "Checked, waiting to be dispatched",
        (Status::Rejected, Lang::Zh) => "经核实不予受理",
        (Status::Rejected, Lang::En) => "Not taken up after checking",
        (Status::Dispatched, Lang::Zh) => "已派遣处置",
        (Status::Dispatched, Lang::En) => "Dispatched",
        (Status::InProgress, Lang::Zh) => "正在处置",
        (Status::InProgress, Lang::En) => "Being handled",
        (Status::Resolved, Lang::Zh) => "已处置，等待核查",
        (Status::Resolved, Lang::En) => "Handled, waiting to be verified",
        (Status::Rework, Lang::Zh) => "核查未通过，重新处置",
        (Status::Rework, Lang::En) => "Being handled again after verification",
        (Status::Closed, Lang::Zh) => "已办结",
        (Status::Closed, Lang::En) => "Closed",
    }
}

/// Rounds a coordinate to 4 decimals (about 11 m), so no doorstep is shown.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Incidents as service requests: only what the contract lists, nobody's name.
fn to_requests(
    c: &mut DbConn,
    rows: &[IncidentRow],
    categories: &HashMap<String, CategoryRow>,
    lang: Lang,
) -> Result<Vec<ServiceRequest>> {
    let mut codes: Vec<String> = rows.iter().map(|r| r.cell_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let cells: HashMap<String, String> = store::cell_names(c, &codes)?.into_iter().collect();
    rows.iter()
        .map(|r| {
            let status = incidents::status_of(r)?;
            let category = categories.get(&r.category);
            let description = if r.description.trim().is_empty() {
                r.title.clone()
            } else {
                r.description.clone()
            };
            Ok(ServiceRequest {
                service_request_id: Uuid::parse_str(&r.id).unwrap_or_default(),
                status: if is_closed(&r.status) {
                    "closed"
                } else {
                    "open"
                }
                .to_string(),
                status_notes: notes_of(status, r.merged_into.is_some(), lang).to_string(),
                service_name: category.map(|c| name_of(c, lang)).unwrap_or("").to_string(),
                service_code: r.category.clone(),
                description,
                requested_datetime: to_utc(r.created_at),
                updated_datetime: to_utc(r.updated_at),
                expected_datetime: to_utc(r.due_at),
                address: cells.get(&r.cell_code).cloned().unwrap_or_default(),
                lat: round4(r.lat),
                long: round4(r.lon),
            })
        })
        .collect()
}

fn by_code(rows: Vec<CategoryRow>) -> HashMap<String, CategoryRow> {
    rows.into_iter().map(|c| (c.code.clone(), c)).collect()
}

/// Reads the list's filters (a malformed date or status is 400 at the edge).
pub fn filter_of(q: &RequestsQuery, now: NaiveDateTime) -> Result<Filter> {
    let list = |s: &Option<String>| -> Vec<String> {
        s.as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    if q.service_request_id.is_some() {
        let ids = list(&q.service_request_id);
        if ids.len() > wire::MAX_IDS {
            return Err(Error::invalid(
                "service_request_id",
                format!("names at most {} requests", wire::MAX_IDS),
            ));
        }
        // An id that is no UUID names no request.
        let ids = ids
            .iter()
            .filter_map(|i| Uuid::parse_str(i).ok())
            .map(|u| u.to_string())
            .collect();
        return Ok(Filter {
            ids: Some(ids),
            ..Filter::default()
        });
    }
    let date = |field: &str, v: &Option<String>| -> Result<Option<NaiveDateTime>> {
        v.as_deref()
            .map(|s| {
                wire::datetime::parse(s)
                    .map(|t| t.naive_utc())
                    .ok_or_else(|| {
                        Error::invalid(
                            field,
                            "must be an ISO 8601 time with its offset, such as \
                         2026-12-01T09:30:00+08:00",
                        )
                    })
            })
            .transpose()
    };
    let mut from = date("start_date", &q.start_date)?;
    let to = date("end_date", &q.end_date)?;
    if from.is_none() {
        from = Some(to.unwrap_or(now) - Duration::days(DEFAULT_DAYS));
    }
    let statuses = list(&q.status);
    let closed = match (
        statuses.iter().any(|s| s == "open"),
        statuses.iter().any(|s| s == "closed"),
    ) {
        _ if statuses.iter().any(|s| s != "open" && s != "closed") => {
            return Err(Error::invalid("status", "must be open or closed"));
        }
        (true, false) => Some(false),
        (false, true) => Some(true),
        _ => None,
    };
    Ok(Filter {
        ids: None,
        service_codes: list(&q.service_code),
        from,
        to,
        closed,
    })
}

/// `GET /requests`: incidents of public categories matching the filters, newest first.
pub fn requests(
    state: &AppState,
    c: &mut DbConn,
    lang: Lang,
    q: &RequestsQuery,
) -> Result<Vec<ServiceRequest>> {
    let f = filter_of(q, state.clock.now_naive())?;
    let rows = store::public_requests(c, &f, MAX_REQUESTS)?;
    let categories = by_code(public_categories(c)?);
    to_requests(c, &rows, &categories, lang)
}

/// `GET /requests/{id}`: one incident of a public category; any other id is 404.
pub fn request(c: &mut DbConn, lang: Lang, id: &str) -> Result<ServiceRequest> {
    let id = Uuid::parse_str(id).map_err(|_| Error::not_found())?;
    let f = Filter {
        ids: Some(vec![id.to_string()]),
        ..Filter::default()
    };
    let rows = store::public_requests(c, &f, 1)?;
    if rows.is_empty() {
        return Err(Error::not_found());
    }
    let categories = by_code(public_categories(c)?);
    Ok(to_requests(c, &rows, &categories, lang)?.remove(0))
}

fn aad(incident: &str, field: &str) -> String {
    format!("open311_contact:{incident}:{field}")
}

/// A title for the incident: the description's first line, shortened, or the service's
/// name when there is no description.
fn title_of(description: &str, service: &str) -> String {
    let first = description.lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return service.to_string();
    }
    let mut t: String = first.chars().take(60).collect();
    if first.chars().count() > 60 {
        t.push('…');
    }
    t
}

/// `POST /requests`: registers a checked request for the key's user `holder` as an
/// incident of a public category (404 for any other service; 400 off the grid), the
/// submitter's contact encrypted beside it.
pub fn submit(
    state: &AppState,
    c: &mut DbConn,
    holder: &CurrentUser,
    req: &CheckedRequest,
    lang: Lang,
) -> Result<Submitted> {
    let category = incident_store::category(c, &req.service_code)?
        .filter(|c| c.public)
        .ok_or_else(Error::not_found)?;
    let now = state.clock.now();
    let new = NewIncident {
        id: Uuid::now_v7(),
        category: category.code.clone(),
        title: title_of(&req.description, &category.name),
        description: req.description.clone(),
        location: Location {
            lon: req.lon,
            lat: req.lat,
        },
        occurred_at: now,
        severity: Severity::Medium,
    };
    new.validate(now).map_err(Error::validation)?;
    let contact = req.contact.clone();
    let keyring = &state.keyring;
    let (reported, _) =
        incidents::report_from(state, c, holder, &new, Source::Open311, |c, row| {
            if contact.is_empty() {
                return Ok(());
            }
            let enc = |v: &Option<String>, field: &str| {
                v.as_deref()
                    .map(|v| keyring.encrypt(v, &aad(&row.id, field)))
            };
            store::insert_contact(
                c,
                &ContactRow {
                    incident_id: row.id.clone(),
                    email_enc: enc(&contact.email, "email"),
                    first_name_enc: enc(&contact.first_name, "first_name"),
                    last_name_enc: enc(&contact.last_name, "last_name"),
                    phone_enc: enc(&contact.phone, "phone"),
                    created_at: row.created_at,
                },
            )?;
            Ok(())
        })?;
    let due = wire::datetime::format(&reported.incident.due_at);
    let service_notice = match lang {
        Lang::Zh => format!("已登记到社区，预计于 {due} 前处理"),
        Lang::En => format!("Registered with the community; expected to be handled by {due}"),
    };
    Ok(Submitted {
        service_request_id: reported.incident.id,
        service_notice,
        account_id: None,
    })
}

/// `GET /discovery`: this one endpoint, at `url` (the server's `/open311/v2`).
pub fn discovery(url: String) -> Discovery {
    let changeset = chrono::DateTime::parse_from_rfc3339("2026-12-02T00:00:00+08:00")
        .expect("a valid instant")
        .to_utc();
    Discovery {
        changeset,
        contact: "The administrators of this Gridwork server".to_string(),
        key_service: "API keys for posting are issued by this server's administrators \
                      (admin console, API keys)"
            .to_string(),
        endpoints: vec![Endpoint {
            specification: "http://wiki.open311.org/GeoReport_v2".to_string(),
            url,
            changeset,
            kind: "production".to_string(),
            formats: vec!["text/xml".to_string(), "application/json".to_string()],
        }],
    }
}

/// The contact an Open311 submitter left with an incident, decrypted (for the tools and a
/// later screen; Open311 never shows it).
pub fn contact_of(
    state: &AppState,
    c: &mut DbConn,
    incident_id: &str,
) -> Result<Option<wire::Contact>> {
    let Some(row) = store::contact(c, incident_id)? else {
        return Ok(None);
    };
    let dec = |v: &Option<String>, field: &str| -> Result<Option<String>> {
        v.as_deref()
            .map(|v| state.keyring.decrypt(v, &aad(incident_id, field)))
            .transpose()
            .map_err(Error::from)
    };
    Ok(Some(wire::Contact {
        email: dec(&row.email_enc, "email")?,
        first_name: dec(&row.first_name_enc, "first_name")?,
        last_name: dec(&row.last_name_enc, "last_name")?,
        phone: dec(&row.phone_enc, "phone")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_round_to_four_decimals_and_titles_stay_short() {
        assert_eq!(round4(29.005_049), 29.005);
        assert_eq!(round4(-106.123_456), -106.1235);
        assert_eq!(title_of("", "路灯故障"), "路灯故障");
        assert_eq!(title_of("Lamp out\nsince Monday", "x"), "Lamp out");
        assert_eq!(title_of(&"a".repeat(80), "x").chars().count(), 61);
    }

    #[test]
    fn the_default_window_is_ninety_days_and_ids_override_the_rest() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
            .unwrap()
            .naive_utc();
        let f = filter_of(&RequestsQuery::default(), now).unwrap();
        assert_eq!(f.from, Some(now - Duration::days(90)));
        assert_eq!(f.closed, None);
        let q = RequestsQuery {
            service_request_id: Some("nope, 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d".into()),
            status: Some("bogus".into()),
            ..RequestsQuery::default()
        };
        let f = filter_of(&q, now).unwrap();
        assert_eq!(f.ids.unwrap().len(), 1);
        let q = RequestsQuery {
            status: Some("closed".into()),
            ..RequestsQuery::default()
        };
        assert_eq!(filter_of(&q, now).unwrap().closed, Some(true));
        let q = RequestsQuery {
            status: Some("pending".into()),
            ..RequestsQuery::default()
        };
        assert!(filter_of(&q, now).is_err());
    }
}
