//! Special-population persons in the caller's scope (supervisors and admins: their region;
//! workers: the persons they look after), identity numbers masked. Filters by cell, category
//! and when a visit is due; paged from the server, from the phone's copy with no network.

use std::rc::Rc;

use chrono::{DateTime, Duration, Utc};
use gridwork_shared::api::{Page as Listed, Role};
use gridwork_shared::person::{PersonCategory, PersonItem};
use serde::de::DeserializeOwned;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::choice::Choice;
use crate::components::export::Export;
use crate::components::form::alert;
use crate::components::list::{cell_label, chip, use_cell_names};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_local, use_session};
use crate::i18n::persons::{PersonText, category};
use crate::i18n::{Text, risk, t};
use crate::logic::day;
use crate::services::api::{self, ApiError};
use crate::services::queue;

/// Persons read per page.
const PAGE: usize = 50;

/// The list's filters; an empty field does not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonFilter {
    pub cell: String,
    pub category: String,
    /// `overdue`, `today` or `week`.
    pub due: String,
}

/// The start of the China Standard Time day that holds `now` (the district's day).
fn day_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
    now.with_timezone(&cst)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(cst)
        .single()
        .expect("a fixed offset has one midnight")
        .with_timezone(&Utc)
}

impl PersonFilter {
    /// The filters as query parameters, each after a `&`.
    pub fn query(&self) -> String {
        [
            ("cell", &self.cell),
            ("category", &self.category),
            ("due", &self.due),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("&{k}={}", encode(v)))
        .collect()
    }

    /// Whether the server would list `p` at `now` with these filters: the same rules, for the
    /// phone's copy when there is no network (archived persons are not listed).
    pub fn matches(&self, p: &PersonItem, now: DateTime<Utc>) -> bool {
        let today = day_start(now);
        let due_in = |from: Option<DateTime<Utc>>, to: DateTime<Utc>| {
            p.next_visit_due
                .is_some_and(|d| d < to && from.is_none_or(|f| d >= f))
        };
        p.active
            && (self.cell.is_empty() || p.cell_code == self.cell)
            && (self.category.is_empty() || p.category.as_str() == self.category)
            && match self.due.as_str() {
                "overdue" => due_in(None, now),
                "today" => due_in(Some(today), today + Duration::days(1)),
                "week" => due_in(Some(today), today + Duration::days(7)),
                _ => true,
            }
    }
}

/// A query parameter's value, percent-encoded (all but the unreserved characters).
pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a paged list shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing<T> {
    Loading,
    /// The items of the pages read so far; `more` when the server has more.
    Got {
        items: Vec<T>,
        more: bool,
    },
    Failed(ApiError),
}

/// A list the server pages (`path` carries `limit` and at least one parameter): the first
/// page, and as many more as were asked for with the callback. Read again when `path` or
/// `generation` (a pull) changes; a new `path` starts again at one page.
#[hook]
pub fn use_paged<T>(path: String, generation: u32) -> (Rc<Listing<T>>, Callback<()>)
where
    T: DeserializeOwned + Clone + 'static,
{
    let pages = use_state(|| (path.clone(), 1usize));
    let wanted = if pages.0 == path { pages.1 } else { 1 };
    let listing = use_loaded(
        (path.clone(), wanted, generation),
        |(path, wanted, _)| async move {
            let mut items = Vec::new();
            let mut cursor = None::<String>;
            for _ in 0..wanted {
                let url = match &cursor {
                    None => path.clone(),
                    Some(c) => format!("{path}&cursor={}", encode(c)),
                };
                match api::get::<Listed<T>>(&url).await {
                    Ok(page) => {
                        items.extend(page.items);
                        cursor = page.next_cursor;
                    }
                    Err(e) => return Rc::new(Listing::Failed(e)),
                }
                if cursor.is_none() {
                    break;
                }
            }
            Rc::new(Listing::Got {
                items,
                more: cursor.is_some(),
            })
        },
    );
    let more = {
        let pages = pages.clone();
        Callback::from(move |_| pages.set((path.clone(), wanted + 1)))
    };
    (
        (*listing)
            .clone()
            .unwrap_or_else(|| Rc::new(Listing::Loading)),
        more,
    )
}

/// One person as a row of the list: name, category, risk, masked number, next visit, cell.
fn person_row(p: &PersonItem, cells: &[(String, String)]) -> Html {
    let late = p.active && p.overdue;
    html! {
        <li class={classes!("item", late.then_some("late"))} data-testid="person-row" data-person={p.id.to_string()}>
            <Link<Route> to={Route::Person { id: p.id.to_string() }}>
                <strong>{ &p.name }</strong>
                { chip(t(category(p.category)), false) }
                { chip(format!("{} {}", t(PersonText::Risk), t(risk(p.risk_level))), false) }
                <small data-testid="masked">{ &p.id_number_masked }</small>
                { match &p.next_visit_due {
                    Some(d) => chip(format!("{} {}", t(PersonText::NextVisit), day(d)), late),
                    None => chip(t(PersonText::NoVisitDue), false),
                } }
                { if late { chip(t(Text::Overdue), true) } else { html!{} } }
                { if p.active { html!{} } else { chip(t(PersonText::Archived), false) } }
                <small>{ cell_label(cells, &p.cell_code) }</small>
            </Link<Route>>
        </li>
    }
}

#[component]
pub fn Persons() -> Html {
    let session = use_session();
    let filter = use_state(PersonFilter::default);
    let path = format!("/api/v1/persons?limit={PAGE}{}", filter.query());
    let (listing, more) = use_paged::<PersonItem>(path, session.generation);
    let local = use_local(|| async { queue::records::<PersonItem>().await });
    let cells = use_cell_names();
    let set = |apply: fn(&mut PersonFilter, String)| {
        let filter = filter.clone();
        Callback::from(move |v: String| {
            let mut f = (*filter).clone();
            apply(&mut f, v);
            filter.set(f);
        })
    };
    let office = session
        .me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin));
    let empty = || html! { <li class="empty">{ t(Text::Nothing) }</li> };
    let rows = |list: &[PersonItem]| match list.is_empty() {
        true => empty(),
        false => html! { <>{ for list.iter().map(|p| person_row(p, &cells)) }</> },
    };
    let (body, offline, error) = match &*listing {
        Listing::Loading => (html! { <li class="empty">{ "…" }</li> }, false, None),
        Listing::Got { items, .. } => (rows(items), false, None),
        // No network: the phone's copy, filtered by the same rules.
        Listing::Failed(ApiError::Offline) => {
            let now = Utc::now();
            let mut list: Vec<PersonItem> = local
                .iter()
                .flatten()
                .filter(|p| filter.matches(p, now))
                .cloned()
                .collect();
            list.sort_by_key(|p| std::cmp::Reverse((p.created_at, p.id)));
            (rows(&list), true, None)
        }
        Listing::Failed(e) => (empty(), false, Some(e.message())),
    };
    let more_button = match &*listing {
        Listing::Got { more: true, .. } => html! {
            <button type="button" class="big" data-testid="more" onclick={more.reform(|_| ())}>{ t(PersonText::More) }</button>
        },
        _ => html! {},
    };
    html! {
        <Page testid="persons">
            <h1>{ t(PersonText::PersonsTitle) }</h1>
            { if office { html!{
                <Link<Route> to={Route::PersonNew} classes="primary big">{ format!("＋ {}", t(PersonText::Register)) }</Link<Route>>
            } } else { html!{} } }
            <form class="card filters" data-testid="filters">
                <label>{ t(PersonText::Cell) }
                    <Choice name="cell" value={filter.cell.clone()} onchange={set(|f, v| f.cell = v)}
                        empty={t(PersonText::AllCells)}
                        options={cells.iter().map(|(code, name)| (AttrValue::from(code.clone()), AttrValue::from(format!("{name} {code}")))).collect::<Vec<_>>()} />
                </label>
                <label>{ t(PersonText::Category) }
                    <Choice name="category" value={filter.category.clone()} onchange={set(|f, v| f.category = v)}
                        empty={t(PersonText::AllCategories)}
                        options={PersonCategory::ALL.iter().map(|c| (AttrValue::from(c.as_str()), AttrValue::from(t(category(*c))))).collect::<Vec<_>>()} />
                </label>
                <label>{ t(PersonText::Due) }
                    <Choice name="due" value={filter.due.clone()} onchange={set(|f, v| f.due = v)}
                        empty={t(PersonText::AnyDue)}
                        options={[("overdue", PersonText::DueOverdue), ("today", PersonText::DueToday), ("week", PersonText::DueWeek)]
                            .iter().map(|(v, label)| (AttrValue::from(*v), AttrValue::from(t(*label)))).collect::<Vec<_>>()} />
                </label>
            </form>
            { if offline { html!{ <p class="notice">{ t(PersonText::Offline) }</p> } } else { html!{} } }
            { alert(&error) }
            // Every person the filters match, masked, as a file (audited).
            { if office && !offline { html!{
                <Export path="/api/v1/persons/export" query={filter.query().trim_start_matches('&').to_string()} testid="export-persons" />
            } } else { html!{} } }
            <ul class="list" data-testid="persons-list">{ body }</ul>
            { more_button }
            <Back />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridwork_shared::geometry::Location;
    use gridwork_shared::person::RiskLevel;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn person(cell: &str, category: PersonCategory, due: Option<&str>) -> PersonItem {
        let t0 = at("2026-12-01T00:00:00Z");
        PersonItem {
            id: uuid::Uuid::new_v4(),
            category,
            name: "王建华".into(),
            id_number_masked: "1101**********002X".into(),
            address: "白塔路12号".into(),
            location: Location {
                lon: 106.27,
                lat: 29.97,
            },
            cell_code: cell.into(),
            risk_level: RiskLevel::High,
            responsible_worker_id: uuid::Uuid::new_v4(),
            active: true,
            last_visit_at: None,
            last_outcome: None,
            next_visit_due: due.map(at),
            overdue: false,
            version: 1,
            created_at: t0,
            updated_at: t0,
        }
    }

    #[test]
    fn the_query_carries_only_what_is_chosen() {
        assert_eq!(PersonFilter::default().query(), "");
        let f = PersonFilter {
            cell: "500117001001001".into(),
            category: String::new(),
            due: "week".into(),
        };
        assert_eq!(f.query(), "&cell=500117001001001&due=week");
        assert_eq!(encode("核实 a+b"), "%E6%A0%B8%E5%AE%9E%20a%2Bb");
    }

    #[test]
    fn due_days_are_china_standard_time_days() {
        // 2026-12-10 01:00 in Chongqing is 2026-12-09 17:00 UTC.
        let now = at("2026-12-09T17:00:00Z");
        assert_eq!(day_start(now), at("2026-12-09T16:00:00Z"));
        let due = |d: &str| PersonFilter {
            due: d.into(),
            ..PersonFilter::default()
        };
        let earlier_today = person("c", PersonCategory::Cult, Some("2026-12-09T16:30:00Z"));
        let tonight = person("c", PersonCategory::Cult, Some("2026-12-10T15:59:00Z"));
        let tomorrow = person("c", PersonCategory::Cult, Some("2026-12-10T16:00:00Z"));
        let in_a_week = person("c", PersonCategory::Cult, Some("2026-12-16T15:59:00Z"));
        let later = person("c", PersonCategory::Cult, Some("2026-12-16T16:00:00Z"));
        let none = person("c", PersonCategory::Cult, None);
        assert!(due("overdue").matches(&earlier_today, now));
        assert!(!due("overdue").matches(&tonight, now));
        assert!(due("today").matches(&earlier_today, now));
        assert!(due("today").matches(&tonight, now));
        assert!(!due("today").matches(&tomorrow, now));
        assert!(due("week").matches(&in_a_week, now));
        assert!(!due("week").matches(&later, now));
        for d in ["overdue", "today", "week"] {
            assert!(!due(d).matches(&none, now));
        }
        assert!(due("").matches(&none, now));
    }

    #[test]
    fn cell_and_category_filter_and_archived_persons_are_not_listed() {
        let now = at("2026-12-09T17:00:00Z");
        let p = person("500117001001001", PersonCategory::DrugUser, None);
        let f = |cell: &str, category: &str| PersonFilter {
            cell: cell.into(),
            category: category.into(),
            due: String::new(),
        };
        assert!(f("500117001001001", "drug_user").matches(&p, now));
        assert!(!f("500117001001002", "").matches(&p, now));
        assert!(!f("", "cult").matches(&p, now));
        let archived = PersonItem {
            active: false,
            ..p.clone()
        };
        assert!(!f("", "").matches(&archived, now));
    }
}
