//! The assessment figures (考评) of the supervisor's region: per region under it and per
//! worker, for a date range (default: what the server picks, the last 30 days). Each table
//! downloads as CSV or Excel. Needs the network.

use gridwork_shared::stats::{StatFigures, Stats, WorkerFigures};
use yew::prelude::*;

use crate::components::export::{Export, join};
use crate::components::form::{alert, on_input};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::office::OfficeText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::services::api;

/// A rate as a whole percentage ("—" when there was nothing to measure).
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{}%", (r * 100.0).round() as i64),
        None => "—".into(),
    }
}

/// The query string of a range: a date only once it is whole (`YYYY-MM-DD`); the server
/// picks what is left out.
pub(crate) fn range_query(from: &str, to: &str) -> String {
    let mut q = Vec::new();
    if from.len() == 10 {
        q.push(format!("from={from}"));
    }
    if to.len() == 10 {
        q.push(format!("to={to}"));
    }
    q.join("&")
}

/// A worker's visits on time among its visits that answered a due date.
fn visits_on_time(w: &WorkerFigures) -> Option<f64> {
    (w.visits_due_answered > 0).then(|| w.visits_on_time as f64 / w.visits_due_answered as f64)
}

fn row(name: &str, f: &StatFigures) -> Html {
    html! {
        <tr>
            <th scope="row">{ name.to_string() }</th>
            <td>{ f.filed }</td>
            <td>{ f.closed }</td>
            <td>{ percent(f.closed_on_time_rate) }</td>
            <td>{ percent(f.rework_rate) }</td>
            <td>{ percent(f.visits_on_time_rate) }</td>
            <td>{ f.inspections }</td>
            <td>{ f.hazards_open }</td>
        </tr>
    }
}

fn worker_row(w: &WorkerFigures) -> Html {
    html! {
        <tr data-worker={w.username.clone()}>
            <th scope="row">{ &w.display_name }<br /><small>{ &w.username }</small></th>
            <td>{ w.filed }</td>
            <td>{ w.closed }</td>
            <td>{ w.visits }</td>
            <td>{ percent(visits_on_time(w)) }</td>
            <td>{ w.inspections }</td>
        </tr>
    }
}

#[component]
pub fn Figures() -> Html {
    let session = use_session();
    let from = use_state(String::new);
    let to = use_state(String::new);
    let query = range_query(&from, &to);
    let stats = use_loaded((query.clone(), session.generation), |(q, _)| async move {
        api::get::<Stats>(&format!("/api/v1/stats?{q}"))
            .await
            .map_err(|e| e.message())
    });
    let workers = use_loaded((query.clone(), session.generation), |(q, _)| async move {
        api::get::<Vec<WorkerFigures>>(&format!("/api/v1/stats/workers?{q}"))
            .await
            .map_err(|e| e.message())
    });
    html! {
        <Page wide=true>
            <h1>{ t(Text::Figures) }</h1>
            <form class="card filters">
                <label>{ t(ScreenText::From) }<input type="date" name="from" value={(*from).clone()} oninput={on_input(&from)} /></label>
                <label>{ t(ScreenText::To) }<input type="date" name="to" value={(*to).clone()} oninput={on_input(&to)} /></label>
            </form>
            <h2>{ t(OfficeText::RegionFigures) }</h2>
            { match &*stats {
                None => html!{ <p class="loading">{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(s)) => html! {
                    <div class="scroll">
                    <p><small>{ format!("{} – {}", s.from, s.to) }</small></p>
                    <table class="figures" data-testid="figures">
                        <thead><tr>
                            <th>{ t(ScreenText::Region) }</th><th>{ t(ScreenText::Filed) }</th><th>{ t(ScreenText::ClosedCount) }</th>
                            <th>{ t(ScreenText::OnTime) }</th><th>{ t(ScreenText::ReworkRate) }</th><th>{ t(ScreenText::VisitsOnTime) }</th>
                            <th>{ t(ScreenText::Inspections) }</th><th>{ t(ScreenText::HazardsOpen) }</th>
                        </tr></thead>
                        <tbody>
                            { row(t(ScreenText::Overall), &s.overall) }
                            { for s.children.iter().map(|c| row(&c.name, &c.figures)) }
                        </tbody>
                    </table>
                    </div>
                },
            } }
            <Export path="/api/v1/stats/export" query={join("table=regions", &query)} testid="export-regions" />
            <h2>{ t(OfficeText::WorkerFigures) }</h2>
            { match &*workers {
                None => html!{ <p class="loading">{ t(Text::Loading) }</p> },
                Some(Err(e)) => alert(&Some(e.clone())),
                Some(Ok(list)) if list.is_empty() => html!{ <p class="empty">{ t(OfficeText::NoWorkers) }</p> },
                Some(Ok(list)) => html! {
                    <div class="scroll">
                    <table class="figures" data-testid="worker-figures">
                        <thead><tr>
                            <th>{ t(OfficeText::Worker) }</th><th>{ t(ScreenText::Filed) }</th><th>{ t(ScreenText::ClosedCount) }</th>
                            <th>{ t(OfficeText::Visits) }</th><th>{ t(ScreenText::VisitsOnTime) }</th><th>{ t(ScreenText::Inspections) }</th>
                        </tr></thead>
                        <tbody>{ for list.iter().map(worker_row) }</tbody>
                    </table>
                    </div>
                },
            } }
            <Export path="/api/v1/stats/export" query={join("table=workers", &query)} testid="export-workers" />
            <Back />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_asks_only_for_whole_dates() {
        assert_eq!(range_query("", ""), "");
        assert_eq!(range_query("2026-11-01", "2026-1"), "from=2026-11-01");
        assert_eq!(
            range_query("2026-11-01", "2026-11-30"),
            "from=2026-11-01&to=2026-11-30"
        );
    }

    #[test]
    fn visits_on_time_count_only_visits_that_answered_a_due_date() {
        let w = WorkerFigures {
            visits: 5,
            visits_due_answered: 4,
            visits_on_time: 3,
            ..Default::default()
        };
        assert_eq!(percent(visits_on_time(&w)), "75%");
        let none = WorkerFigures {
            visits: 2,
            ..Default::default()
        };
        assert_eq!(percent(visits_on_time(&none)), "—");
    }
}
