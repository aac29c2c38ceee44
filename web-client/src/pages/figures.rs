//! The assessment figures (考评) of the supervisor's region: per region under it and per
//! worker, for a date range (default: what the server picks, the last 30 days). Each table
//! downloads as CSV or Excel. Needs the network.

use gridwork_shared::stats::{StatFigures, Stats, WorkerFigures};
use wasm_bindgen::JsCast;
use yew::prelude::*;

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
fn range_query(from: &str, to: &str) -> String {
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
            <Export table="regions" query={query.clone()} />
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
            <Export table="workers" query={query} />
            <Back />
        </Page>
    }
}

#[derive(Properties, PartialEq)]
struct ExportProps {
    /// `regions` or `workers` (the export's `table`).
    table: AttrValue,
    /// The range, as the tables above were asked for.
    query: String,
}

/// The buttons that download a table as CSV or Excel: fetched with the caller's token, then
/// handed to the browser as a file; the file stays linked below the buttons.
#[component]
fn Export(props: &ExportProps) -> Html {
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    // The last file: its name and object URL (released when replaced or when the screen closes).
    let saved = use_state(|| None::<(String, String)>);
    use_effect_with((*saved).clone(), |saved| {
        let url = saved.as_ref().map(|(_, url)| url.clone());
        move || {
            if let Some(url) = url {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    });
    let export = |format: &'static str| {
        let (busy, error, saved) = (busy.clone(), error.clone(), saved.clone());
        let mut path = format!("/api/v1/stats/export?format={format}&table={}", props.table);
        if !props.query.is_empty() {
            path = format!("{path}&{}", props.query);
        }
        Callback::from(move |_| {
            let (busy, error, saved, path) =
                (busy.clone(), error.clone(), saved.clone(), path.clone());
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_file(&path).await.map_err(|e| e.message()) {
                    Ok(file) => match save(&file) {
                        Ok(url) => saved.set(Some((file.name, url))),
                        Err(e) => error.set(Some(e)),
                    },
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let id = |format: &str| format!("export-{}-{format}", props.table);
    html! {
        <div class="exports" data-testid={format!("export-{}", props.table)}>
            <button class="big" data-testid={id("csv")} disabled={*busy} onclick={export("csv")}>{ t(OfficeText::ExportCsv) }</button>
            <button class="big" data-testid={id("xlsx")} disabled={*busy} onclick={export("xlsx")}>{ t(OfficeText::ExportExcel) }</button>
            { if *busy { html!{ <p class="loading">{ t(OfficeText::Exporting) }</p> } } else { html!{} } }
            { alert(&error) }
            { for saved.iter().map(|(name, url)| html! {
                <p data-testid="export-file">{ format!("✓ {} ", t(OfficeText::Downloaded)) }
                    <a href={url.clone()} download={name.clone()}>{ name }</a></p>
            }) }
        </div>
    }
}

/// Hands a file to the browser as a download (a blob behind an object URL, clicked as a
/// link); answers the URL, which stays valid until revoked.
fn save(file: &api::Download) -> Result<String, String> {
    let refused = || t(OfficeText::SaveRefused).to_string();
    let failed = |_| refused();
    let url = file.object_url().ok_or_else(refused)?;
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
        .ok_or_else(refused)?;
    link.set_attribute("href", &url).map_err(failed)?;
    link.set_attribute("download", &file.name).map_err(failed)?;
    link.click();
    Ok(url)
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
