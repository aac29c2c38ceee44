//! My cells, from the records on the device, so it works with no signal.
//!
//! A worker sees each of its cells with what waits in it — open incidents, visits due (and
//! how many are overdue), units with hazards — opening to its incidents, the persons to
//! visit and the cell's own page.
//!
//! A volunteer's scope holds only the incidents it reported (no persons, no units), so
//! counts of open work would read 0 where work is open: it sees instead its own reports per
//! cell, with how each went — a rejected one with the reason given — and the other cells of
//! its area without figures.

use std::collections::HashMap;

use gridwork_shared::api::{Cell, Role};
use gridwork_shared::incident::{Incident, IncidentDetail, Status};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::list::{chip, incident_item, person_item};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_local, use_session};
use crate::i18n::office::OfficeText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::logic::{CellWork, cell_work};
use crate::pages::cell::open_first;
use crate::services::{api, queue};

#[component]
pub fn MyCells() -> Html {
    let session = use_session();
    let volunteer = session.me.as_ref().map(|m| m.role) == Some(Role::Volunteer);
    html! {
        <Page testid="cells">
            <h2>{ t(Text::MyCells) }</h2>
            { if volunteer { html!{ <VolunteerCells /> } } else { html!{ <WorkerCells /> } } }
            <Back />
        </Page>
    }
}

#[component]
fn WorkerCells() -> Html {
    let cells = use_local(|| async {
        cell_work(
            &queue::records().await,
            &queue::records().await,
            &queue::records().await,
            &queue::records().await,
            chrono::Utc::now(),
        )
    });
    match &*cells {
        None => html! { <p class="loading">{ t(Text::Loading) }</p> },
        Some(list) if list.is_empty() => html! { <p class="empty">{ t(ScreenText::NoCells) }</p> },
        Some(list) => html! { <>{ for list.iter().map(cell_card) }</> },
    }
}

fn count(label: impl crate::i18n::Label, n: usize, late: bool) -> Html {
    chip(format!("{} {n}", t(label)), late && n > 0)
}

fn cell_link(code: &str) -> Html {
    html! {
        <Link<Route> to={Route::Cell { code: code.to_string() }} classes="big">{ t(OfficeText::OpenCell) }</Link<Route>>
    }
}

fn cell_card(c: &CellWork) -> Html {
    html! {
        <details class="card cell-work" data-cell={c.code.clone()}>
            <summary>
                <strong>{ &c.name }</strong>
                <small>{ &c.code }</small>
                { count(ScreenText::OpenIncidents, c.open_incidents.len(), false) }
                { count(Text::VisitsDue, c.visits_due.len(), false) }
                { count(Text::Overdue, c.visits_overdue, true) }
                { count(ScreenText::Hazards, c.hazard_units, true) }
            </summary>
            <ul class="list">
                { for c.open_incidents.iter().map(incident_item) }
                { for c.visits_due.iter().map(person_item) }
            </ul>
            { cell_link(&c.code) }
        </details>
    }
}

/// One cell of a volunteer's area with the reports it made there, open first.
#[derive(Debug, Clone, PartialEq)]
pub struct CellReports {
    pub code: String,
    pub name: String,
    pub reports: Vec<Incident>,
}

impl CellReports {
    fn open(&self) -> usize {
        self.reports.iter().filter(|i| i.status.is_open()).count()
    }
}

/// The volunteer's cells, those with its reports first (by code), then the others; reports
/// made from a cell the phone does not hold (a cell redrawn since) come under their code.
pub fn reports_by_cell(cells: &[Cell], incidents: &[Incident]) -> Vec<CellReports> {
    let mut out: Vec<CellReports> = cells
        .iter()
        .map(|c| CellReports {
            code: c.properties.code.clone(),
            name: c.properties.name.clone(),
            reports: Vec::new(),
        })
        .collect();
    for i in incidents {
        match out.iter_mut().find(|c| c.code == i.cell_code) {
            Some(c) => c.reports.push(i.clone()),
            None => out.push(CellReports {
                code: i.cell_code.clone(),
                name: i.cell_code.clone(),
                reports: vec![i.clone()],
            }),
        }
    }
    for c in &mut out {
        c.reports = open_first(std::mem::take(&mut c.reports));
    }
    out.sort_by(|a, b| (a.reports.is_empty().cmp(&b.reports.is_empty())).then(a.code.cmp(&b.code)));
    out
}

/// Why a report was rejected: the note of the step that rejected it, if one was given.
pub fn reject_note(d: &IncidentDetail) -> Option<String> {
    d.history
        .iter()
        .rev()
        .find(|h| h.action == "reject")
        .and_then(|h| h.note.clone())
        .filter(|n| !n.trim().is_empty())
}

#[component]
fn VolunteerCells() -> Html {
    let session = use_session();
    let cells =
        use_local(|| async { reports_by_cell(&queue::records().await, &queue::records().await) });
    // The reasons of the rejected reports (online: the history holds them).
    let rejected: Vec<Uuid> = cells
        .iter()
        .flatten()
        .flat_map(|c| c.reports.iter())
        .filter(|i| i.status == Status::Rejected)
        .map(|i| i.id)
        .collect();
    let reasons = use_loaded((rejected, session.generation), |(ids, _)| async move {
        let mut found = HashMap::new();
        for id in ids {
            if let Ok(d) = api::get::<IncidentDetail>(&format!("/api/v1/incidents/{id}")).await {
                found.insert(id, reject_note(&d));
            }
        }
        found
    });
    let reasons = (*reasons).clone().unwrap_or_default();
    let Some(list) = &*cells else {
        return html! { <p class="loading">{ t(Text::Loading) }</p> };
    };
    if list.is_empty() {
        return html! { <p class="empty">{ t(ScreenText::NoCells) }</p> };
    }
    let (with, without): (Vec<&CellReports>, Vec<&CellReports>) =
        list.iter().partition(|c| !c.reports.is_empty());
    html! {
        <>
        <p class="notice">{ t(OfficeText::VolunteerScope) }</p>
        { for with.iter().map(|c| html! {
            <details class="card cell-work" data-cell={c.code.clone()} open=true>
                <summary>
                    <strong>{ &c.name }</strong>
                    <small>{ &c.code }</small>
                    { count(OfficeText::MyReports, c.reports.len(), false) }
                    { if c.open() > 0 { count(OfficeText::OpenReports, c.open(), false) } else { html!{} } }
                </summary>
                <ul class="list" data-testid="my-reports">
                    { for c.reports.iter().map(|i| report_item(i, &reasons)) }
                </ul>
            </details>
        }) }
        { if without.is_empty() { html!{} } else { html! {
            <>
            <h3>{ t(OfficeText::OtherCells) }</h3>
            <ul class="list" data-testid="other-cells">
                { for without.iter().map(|c| html! {
                    <li class="item" data-cell={c.code.clone()}>
                        <strong>{ &c.name }</strong>
                        <small>{ &c.code }</small>
                        <small>{ t(OfficeText::NoReportsHere) }</small>
                    </li>
                }) }
            </ul>
            </>
        } } }
        </>
    }
}

/// One of the volunteer's reports: the row every list shows, then what became of it — a
/// merged duplicate says so, a rejected report gives the reason.
fn report_item(i: &Incident, reasons: &HashMap<Uuid, Option<String>>) -> Html {
    let outcome = if i.merged_into.is_some() {
        Some(t(OfficeText::MergedDuplicate).to_string())
    } else if i.status == Status::Rejected {
        reasons.get(&i.id).map(|r| {
            format!(
                "{}{}",
                t(OfficeText::RejectReason),
                r.as_deref().unwrap_or(t(OfficeText::NoReasonGiven))
            )
        })
    } else {
        None
    };
    html! {
        <>
        { incident_item(i) }
        { for outcome.map(|o| html!{ <li class="notice" data-testid="report-outcome" data-incident={i.id.to_string()}>{ o }</li> }) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::cell::tests::incident;
    use gridwork_shared::api::{CellProperties, Feature, FeatureType};
    use gridwork_shared::incident::{HistoryEntry, Status};

    fn cell(code: &str, name: &str) -> Cell {
        Feature {
            kind: FeatureType::Feature,
            id: code.into(),
            geometry: serde_json::Value::Null,
            properties: CellProperties {
                code: code.into(),
                name: name.into(),
                community_code: code[..12].into(),
                valid_from: crate::pages::cell::tests::at("2026-01-01T00:00:00Z"),
                valid_to: None,
            },
        }
    }

    #[test]
    fn a_volunteer_sees_its_reports_per_cell_and_no_counts_where_it_reported_nothing() {
        let (a, b, c) = ("500117001001001", "500117001001002", "500117001001003");
        let cells = [cell(a, "一"), cell(b, "二"), cell(c, "三")];
        let t0 = "2026-11-01T00:00:00Z";
        let reports = [
            incident(
                "rejected",
                b,
                Status::Rejected,
                false,
                t0,
                "2026-11-02T00:00:00Z",
            ),
            incident(
                "open",
                b,
                Status::Reported,
                false,
                t0,
                "2026-11-01T00:00:00Z",
            ),
            incident(
                "elsewhere",
                "500117001001009",
                Status::Closed,
                false,
                t0,
                t0,
            ),
        ];
        let by = reports_by_cell(&cells, &reports);
        let shown: Vec<(&str, Vec<&str>)> = by
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.reports.iter().map(|i| i.title.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("二", vec!["open", "rejected"]),
                ("500117001001009", vec!["elsewhere"]),
                ("一", vec![]),
                ("三", vec![]),
            ]
        );
        assert_eq!(by[0].open(), 1);
    }

    #[test]
    fn the_reason_of_a_rejection_is_the_note_of_the_reject_step() {
        let t0 = "2026-11-01T00:00:00Z";
        let i = incident("x", "500117001001001", Status::Rejected, false, t0, t0);
        let step = |action: &str, note: Option<&str>| HistoryEntry {
            id: None,
            at: crate::pages::cell::tests::at(t0),
            actor_id: None,
            action: action.into(),
            from: None,
            to: None,
            note: note.map(str::to_string),
            conflict: false,
            data: None,
        };
        let mut d = IncidentDetail {
            incident: i,
            history: vec![
                step("report", Some("见图")),
                step("reject", Some("不属于网格事项")),
            ],
            mediations: Vec::new(),
            available_actions: Vec::new(),
            possible_duplicates: Vec::new(),
        };
        assert_eq!(reject_note(&d).as_deref(), Some("不属于网格事项"));
        d.history[1].note = Some("  ".into());
        assert_eq!(reject_note(&d), None);
    }
}
