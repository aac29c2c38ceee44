//! The safety roll-up (平安细胞汇总): the units of a region counted by status and
//! certification, and the same for each region below it — towns of a district, communities
//! of a town, cells of a community. A region opens from the link of its line; the region is
//! in the address (`/safety?region=500117001`), so a view can be sent to a colleague. Needs
//! the network.

use gridwork_shared::safety::{Rollup, RollupChild, Tally};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::form::alert;
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::labels::LabelText;
use crate::i18n::units::UnitText;
use crate::i18n::{Text, t};
use crate::services::api;

/// The address's query: the region looked at (none: the caller's own).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegionQuery {
    #[serde(default)]
    pub region: String,
}

/// Where the "up one level" link of `region` leads, for a caller whose scope is `scope`:
/// `None` at the top of the caller's scope; `Some("")` for the caller's own region (the
/// address without a query); else the parent region.
pub fn up(region: &str, scope: &str) -> Option<String> {
    if region.len() <= scope.len()
        || region.len() < 6
        || !region.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let parent = &region[..region.len() - 3];
    Some(match parent.len() <= scope.len() || parent.len() < 6 {
        true => String::new(),
        false => parent.to_string(),
    })
}

/// A tally as chips: total, each status (red where something waits), certifications.
fn tally(n: &Tally) -> Html {
    let count = |label: &str, v: u64, late: bool| chip(format!("{label} {v}"), late && v > 0);
    html! {
        <>
        { count(t(UnitText::Total), n.total, false) }
        { count(t(LabelText::UnitSafe), n.safe, false) }
        { count(t(LabelText::UnitHazard), n.hazard, true) }
        { count(t(LabelText::UnitOverdue), n.overdue, true) }
        { count(t(LabelText::UnitUnknown), n.unknown, false) }
        { count(t(UnitText::CertifiedTown), n.certified_town, false) }
        { count(t(UnitText::CertifiedDistrict), n.certified_district, false) }
        </>
    }
}

/// A region below: its name (the code when it has none), a link that drills into it — or,
/// for a cell, opens the cell's page — and its tally.
fn child(c: &RollupChild) -> Html {
    let name = if c.name.is_empty() {
        c.code.clone()
    } else {
        c.name.clone()
    };
    let late = c.tally.overdue > 0;
    let body = html! {
        <>
        <strong>{ name }</strong>
        <small>{ &c.code }</small>
        { tally(&c.tally) }
        </>
    };
    html! {
        <li class={classes!("item", late.then_some("late"))} data-code={c.code.clone()}>
            { if c.code.len() > 12 {
                html! { <Link<Route> to={Route::Cell { code: c.code.clone() }}>{ body }</Link<Route>> }
            } else {
                html! {
                    <Link<Route, RegionQuery> to={Route::Safety} query={Some(RegionQuery { region: c.code.clone() })}>
                        { body }
                    </Link<Route, RegionQuery>>
                }
            } }
        </li>
    }
}

#[component]
pub fn Safety() -> Html {
    let session = use_session();
    let region = use_location()
        .and_then(|l| l.query::<RegionQuery>().ok())
        .map(|q| q.region)
        .unwrap_or_default();
    let rollup = use_loaded(
        (region.clone(), session.generation),
        |(region, _)| async move {
            let path = match region.as_str() {
                "" => "/api/v1/safety-units/rollup".to_string(),
                r => format!(
                    "/api/v1/safety-units/rollup?region={}",
                    String::from(js_sys::encode_uri_component(r))
                ),
            };
            api::get::<Rollup>(&path).await
        },
    );
    let scope = session
        .me
        .as_ref()
        .map(|m| m.region_code.clone())
        .unwrap_or_default();
    let up_link = match up(&region, &scope) {
        None => html! {},
        Some(parent) => {
            let query = (!parent.is_empty()).then(|| RegionQuery {
                region: parent.clone(),
            });
            html! {
                <div data-testid="up">
                    <Link<Route, RegionQuery> to={Route::Safety} query={query} classes="big">
                        { format!("↑ {} {parent}", t(UnitText::Up)) }
                    </Link<Route, RegionQuery>>
                </div>
            }
        }
    };
    html! {
        <Page testid="safety">
            <h1>{ t(UnitText::Rollup) }</h1>
            { up_link }
            { match &*rollup {
                None => html! { <p class="loading">{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.message())),
                Some(Ok(r)) => html! {
                    <>
                    <section class="card" data-testid="overall" data-region={r.region_code.clone()}>
                        <h2>
                            { if r.name.is_empty() { t(UnitText::Everywhere).to_string() } else { r.name.clone() } }
                            { " " }<small>{ &r.region_code }</small>
                        </h2>
                        <p class="tally">{ tally(&r.overall) }</p>
                    </section>
                    <h2>{ t(UnitText::Below) }</h2>
                    <ul class="list" data-testid="rollup">
                        { if r.children.is_empty() {
                            html! { <li class="empty">{ t(UnitText::NoUnitsHere) }</li> }
                        } else {
                            html! { <>{ for r.children.iter().map(child) }</> }
                        } }
                    </ul>
                    </>
                },
            } }
            <Back to={Route::Units} />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::up;

    #[test]
    fn up_goes_to_the_parent_within_the_callers_scope() {
        // A town supervisor at a community: back to its own town (the address without query).
        assert_eq!(up("500117001001", "500117001"), Some(String::new()));
        assert_eq!(up("500117001", "500117001"), None);
        assert_eq!(up("", "500117001"), None);
        // A district supervisor at a community: the town.
        assert_eq!(up("500117001001", "500117"), Some("500117001".to_string()));
        // An admin (scope "") at a district: everywhere; at a town: the district.
        assert_eq!(up("500117", ""), Some(String::new()));
        assert_eq!(up("500117001", ""), Some("500117".to_string()));
        // Not a code (typed into the address): no way up.
        assert_eq!(up("五百一十七号", ""), None);
    }
}
