//! Safety units (平安细胞) from the phone's copy, works with no signal: the units synced, and
//! those registered here that wait to be sent; filtered by status and kind; each opens its
//! page. Registering a unit starts here, and supervisors reach the roll-up.

use gridwork_shared::api::Role;
use gridwork_shared::safety::{Certification, NewUnit, Unit, UnitKind, UnitStatus};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::export::Export;
use crate::components::form::on_select;
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::hooks::{use_local, use_session};
use crate::i18n::units::{UnitText, certification, kind as kind_text};
use crate::i18n::{Text, t, unit_status};
use crate::services::queue;

/// Every status, in the order the filter offers them.
pub const STATUSES: [UnitStatus; 4] = [
    UnitStatus::Safe,
    UnitStatus::Hazard,
    UnitStatus::Overdue,
    UnitStatus::Unknown,
];

/// A unit as the list shows it: synced, or registered here and waiting to be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: Uuid,
    pub kind: UnitKind,
    pub name: String,
    pub address: String,
    pub status: UnitStatus,
    pub certification: Certification,
    /// Registered on this phone, its `unit.create` not sent yet.
    pub waiting: bool,
}

impl Row {
    fn synced(u: &Unit) -> Row {
        Row {
            id: u.id,
            kind: u.kind,
            name: u.name.clone(),
            address: u.address.clone(),
            status: u.status,
            certification: u.certification,
            waiting: false,
        }
    }

    /// A unit not sent yet: never inspected, not certified.
    pub fn waiting(u: &NewUnit) -> Row {
        Row {
            id: u.id,
            kind: u.kind,
            name: u.name.trim().to_string(),
            address: u.address.trim().to_string(),
            status: UnitStatus::Unknown,
            certification: Certification::None,
            waiting: true,
        }
    }
}

/// The list's filter: empty is "every".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub status: String,
    pub kind: String,
}

impl Filter {
    /// The filter as the server's list takes it.
    pub fn query(&self) -> String {
        [("status", &self.status), ("kind", &self.kind)]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn matches(&self, r: &Row) -> bool {
        (self.status.is_empty() || r.status.as_str() == self.status)
            && (self.kind.is_empty() || r.kind.as_str() == self.kind)
    }
}

/// The rows of the list: units waiting to be sent first (newest registered on top), then
/// the synced ones by name. A queued unit the server already has (the push went through,
/// the pull is still to come) shows once, as synced.
pub fn rows(synced: &[Unit], queued: &[NewUnit], filter: &Filter) -> Vec<Row> {
    let mut waiting: Vec<Row> = queued
        .iter()
        .rev()
        .filter(|q| !synced.iter().any(|u| u.id == q.id))
        .map(Row::waiting)
        .collect();
    let mut rest: Vec<Row> = synced.iter().map(Row::synced).collect();
    rest.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    waiting.append(&mut rest);
    waiting.retain(|r| filter.matches(r));
    waiting
}

/// The chips of a unit: its status (red with a hazard), its certification, and whether it
/// waits to be sent.
pub fn unit_chips(status: UnitStatus, cert: Certification, waiting: bool) -> Html {
    let late = matches!(status, UnitStatus::Hazard | UnitStatus::Overdue);
    html! {
        <>
        <span data-testid="status">{ chip(t(unit_status(status)), late) }</span>
        { match cert {
            Certification::None => html! {},
            c => chip(t(certification(c)), false),
        } }
        { if waiting { html! { <span data-testid="waiting">{ chip(t(UnitText::Waiting), true) }</span> } } else { html! {} } }
        </>
    }
}

#[component]
pub fn Units() -> Html {
    let session = use_session();
    let synced = use_local(queue::records::<Unit>);
    let queued = use_local(queue::queued_units);
    let status = use_state(String::new);
    let kind = use_state(String::new);
    let filter = Filter {
        status: (*status).clone(),
        kind: (*kind).clone(),
    };
    let shown = rows(
        synced.as_deref().unwrap_or_default(),
        queued.as_deref().unwrap_or_default(),
        &filter,
    );
    let office = session
        .me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Supervisor | Role::Admin));
    html! {
        <Page>
            <h1>{ t(Text::Units) }</h1>
            <Link<Route> to={Route::UnitNew} classes="primary big">{ format!("＋ {}", t(UnitText::NewUnit)) }</Link<Route>>
            { if office { html! {
                <div data-testid="safety-link">
                    <Link<Route> to={Route::Safety} classes="big">{ t(UnitText::Rollup) }</Link<Route>>
                </div>
            } } else { html! {} } }
            <form class="card filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t(crate::i18n::screens::ScreenText::Status) }
                    <select name="status" onchange={on_select(&status)}>
                        <option value="" selected={status.is_empty()}>{ t(UnitText::AllStatuses) }</option>
                        { for STATUSES.iter().map(|s| html! {
                            <option value={s.as_str()} selected={*status == s.as_str()}>{ t(unit_status(*s)) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t(UnitText::Kind) }
                    <select name="kind" onchange={on_select(&kind)}>
                        <option value="" selected={kind.is_empty()}>{ t(UnitText::AllKinds) }</option>
                        { for UnitKind::ALL.iter().map(|k| html! {
                            <option value={k.as_str()} selected={*kind == k.as_str()}>{ t(kind_text(*k)) }</option>
                        }) }
                    </select>
                </label>
            </form>
            <p><small data-testid="shown">{ format!("{} {}", shown.len(), t(UnitText::Shown)) }</small></p>
            { if office { html! {
                <Export path="/api/v1/safety-units/export" query={filter.query()} testid="export-units" />
            } } else { html! {} } }
            <ul class="list" data-testid="units">
                { if shown.is_empty() { html! { <li class="empty">{ t(Text::Nothing) }</li> } } else { html! {} } }
                { for shown.iter().map(|u| html! {
                    <li class={classes!("item", matches!(u.status, UnitStatus::Hazard | UnitStatus::Overdue).then_some("late"))}
                        data-unit={u.id.to_string()}>
                        <Link<Route> to={Route::Unit { id: u.id.to_string() }}>
                            <strong>{ &u.name }</strong>
                            { chip(t(kind_text(u.kind)), false) }
                            { unit_chips(u.status, u.certification, u.waiting) }
                            <small>{ &u.address }</small>
                        </Link<Route>>
                    </li>
                }) }
            </ul>
            <Back />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridwork_shared::geometry::Location;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn unit(n: u128, name: &str, kind: UnitKind, status: UnitStatus) -> Unit {
        let t = chrono::Utc::now();
        Unit {
            id: id(n),
            kind,
            name: name.into(),
            address: "1 Road".into(),
            location: Location {
                lon: 106.27,
                lat: 29.97,
            },
            cell_code: "500117001001001".into(),
            status,
            open_hazards: 0,
            certification: Certification::None,
            certified_at: None,
            last_inspected_at: None,
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn new_unit(n: u128, name: &str) -> NewUnit {
        NewUnit {
            id: id(n),
            kind: UnitKind::Shop,
            name: format!(" {name} "),
            address: "2 Road".into(),
            location: Location {
                lon: 106.27,
                lat: 29.97,
            },
        }
    }

    #[test]
    fn units_waiting_to_be_sent_come_first_then_the_synced_by_name() {
        let synced = [
            unit(1, "School", UnitKind::School, UnitStatus::Safe),
            unit(2, "Market", UnitKind::Market, UnitStatus::Overdue),
        ];
        let queued = [new_unit(3, "Older"), new_unit(4, "Newer")];
        let shown = rows(&synced, &queued, &Filter::default());
        let names: Vec<(&str, bool)> = shown.iter().map(|r| (r.name.as_str(), r.waiting)).collect();
        assert_eq!(
            names,
            [
                ("Newer", true),
                ("Older", true),
                ("Market", false),
                ("School", false)
            ]
        );
        assert_eq!(shown[0].status, UnitStatus::Unknown);
    }

    #[test]
    fn a_unit_sent_but_not_pulled_yet_shows_once_as_synced() {
        let synced = [unit(3, "Shop", UnitKind::Shop, UnitStatus::Unknown)];
        let queued = [new_unit(3, "Shop")];
        let shown = rows(&synced, &queued, &Filter::default());
        assert_eq!(shown.len(), 1);
        assert!(!shown[0].waiting);
    }

    #[test]
    fn the_filter_takes_status_and_kind() {
        let synced = [
            unit(1, "School", UnitKind::School, UnitStatus::Safe),
            unit(2, "Market", UnitKind::Market, UnitStatus::Overdue),
            unit(5, "Shop", UnitKind::Shop, UnitStatus::Overdue),
        ];
        let queued = [new_unit(3, "New shop")];
        let pick = |status: &str, kind: &str| -> Vec<String> {
            let f = Filter {
                status: status.into(),
                kind: kind.into(),
            };
            rows(&synced, &queued, &f)
                .into_iter()
                .map(|r| r.name)
                .collect()
        };
        assert_eq!(pick("overdue", ""), ["Market", "Shop"]);
        assert_eq!(pick("", "shop"), ["New shop", "Shop"]);
        assert_eq!(pick("overdue", "shop"), ["Shop"]);
        // A unit not sent yet has never been inspected.
        assert_eq!(pick("unknown", ""), ["New shop"]);
        assert!(pick("hazard", "").is_empty());
    }
}
