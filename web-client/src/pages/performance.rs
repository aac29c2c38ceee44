//! The performance records (实绩档案) of a period — a year or a month — for admins and
//! supervisors: each responsible unit's weighted score, its tasks (weight, completion,
//! score) and the figures the record rests on (a town's `/stats` figures, its teams' points
//! and completed deliberations; a department's dispatched incidents), the figures per worker,
//! the export of the period as CSV or Excel, and the snapshots that freeze a period (taken
//! by admins; each with its SHA-256 and its document to download). Needs the network.

use gridwork_shared::api::{Page as Listed, Role};
use gridwork_shared::codes::RegionLevel;
use gridwork_shared::responsibility::{
    NewSnapshot, PerformanceRecord, Period, RecordKind, Snapshot,
};
use gridwork_shared::stats::WorkerFigures;
use yew::prelude::*;

use super::admin::{Said, said};
use super::departments::{department_choices, use_departments};
use super::figures::percent as rate;
use super::tasks::{completion_bar, number, score, this_year, use_regions};
use crate::components::choice::{Choice, keep};
use crate::components::export::{Export, save};
use crate::components::form::{alert, on_input};
use crate::components::page::{Back, Page};
use crate::components::when::at;
use crate::hooks::{use_loaded, use_session};
use crate::i18n::duty::DutyText;
use crate::i18n::office::OfficeText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::services::api;

/// The period the picker shows: `YYYY`, or `YYYY-MM` for a month.
pub fn period_of(year: &str, month: &str) -> Option<Period> {
    let text = match month {
        "" => year.trim().to_string(),
        m => format!("{}-{m}", year.trim()),
    };
    Period::parse(&text)
}

#[component]
pub fn Performance() -> Html {
    let session = use_session();
    let me = session.me.clone();
    let allowed = me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Admin | Role::Supervisor));
    let admin = me.as_ref().is_some_and(|m| m.role == Role::Admin);
    // Snapshots are read by admins and the district's supervisors.
    let sees_snapshots = me.as_ref().is_some_and(|m| {
        m.role == Role::Admin || (m.role == Role::Supervisor && m.region_code.len() == 6)
    });
    let year = use_state(|| this_year().to_string());
    let month = use_state(String::new);
    let department = use_state(String::new);
    let region = use_state(String::new);
    let departments = use_departments(allowed, 0);
    let regions = use_regions();
    let period = period_of(&year, &month);
    let mut filters = Vec::new();
    if let Some(p) = period {
        filters.push(format!("period={p}"));
    }
    if !department.is_empty() {
        filters.push(format!("department={}", *department));
    }
    if !region.is_empty() {
        filters.push(format!("region={}", *region));
    }
    let query = filters.join("&");
    let records = use_loaded(
        (
            query.clone(),
            period.is_some() && allowed,
            session.generation,
        ),
        |(q, ready, _)| async move {
            match ready {
                true => Some(
                    api::get::<Vec<PerformanceRecord>>(&format!("/api/v1/performance?{q}"))
                        .await
                        .map_err(|e| e.message()),
                ),
                false => None,
            }
        },
    );
    let worker_query = match (period, region.is_empty()) {
        (Some(p), true) => format!("period={p}"),
        (Some(p), false) => format!("period={p}&region={}", *region),
        (None, _) => String::new(),
    };
    let workers = use_loaded(
        (worker_query, allowed, session.generation),
        |(q, allowed, _)| async move {
            match allowed && !q.is_empty() {
                true => Some(
                    api::get::<Vec<WorkerFigures>>(&format!("/api/v1/performance/workers?{q}"))
                        .await
                        .map_err(|e| e.message()),
                ),
                false => None,
            }
        },
    );
    let reload = use_state(|| 0u32);
    let snapshots = use_loaded(
        (sees_snapshots, *reload, session.generation),
        |(sees, _, _)| async move {
            match sees {
                true => Some(
                    api::get::<Listed<Snapshot>>("/api/v1/performance/snapshots?limit=50")
                        .await
                        .map(|p| p.items)
                        .map_err(|e| e.message()),
                ),
                false => None,
            }
        },
    );
    let taken = use_state(Said::default);
    let take = {
        let (taken, reload) = (taken.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(p) = period else {
                taken.set(Said::Failed(t(DutyText::PeriodInvalid).into()));
                return;
            };
            let (taken, reload) = (taken.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = NewSnapshot {
                    period: p.to_string(),
                };
                match api::post::<_, Snapshot>("/api/v1/performance/snapshots", &body).await {
                    Ok(s) => {
                        taken.set(Said::Done(format!(
                            "{} {}",
                            t(DutyText::SnapshotTaken),
                            s.period
                        )));
                        reload.set(*reload + 1);
                    }
                    Err(e) => taken.set(Said::Failed(e.message())),
                }
            });
        })
    };
    let download_error = use_state(|| None::<String>);
    let download = |s: &Snapshot| {
        let (id, period, error) = (s.id, s.period.clone(), download_error.clone());
        Callback::from(move |_: MouseEvent| {
            let (period, error) = (period.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_file(&format!("/api/v1/performance/snapshots/{id}")).await {
                    Ok(mut file) => {
                        file.name = format!("gridwork-performance-snapshot-{period}-{id}.json");
                        if let Err(e) = save(&file) {
                            error.set(Some(e));
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    if !allowed {
        return html! {
            <Page>
                <h1>{ t(DutyText::PerformanceTitle) }</h1>
                <p class="error" role="alert" data-testid="not-allowed">{ t(DutyText::RecordsOnly) }</p>
                <Back />
            </Page>
        };
    }
    let months: Vec<(AttrValue, AttrValue)> = (1..=12)
        .map(|m| (format!("{m:02}").into(), format!("{m:02}").into()))
        .collect();
    let region_options: Vec<(AttrValue, AttrValue)> = regions
        .iter()
        .filter(|r| r.level != RegionLevel::Community)
        .map(|r| {
            (
                r.code.clone().into(),
                format!("{} {}", r.name, r.code).into(),
            )
        })
        .collect();
    let export_query = query.clone();
    html! {
        <Page wide=true testid="performance">
            <h1>{ t(DutyText::PerformanceTitle) }</h1>
            <form class="card filters" onsubmit={|e: SubmitEvent| e.prevent_default()} data-testid="period-picker">
                <label>{ t(DutyText::Year) }
                    <input name="period_year" type="number" min="2000" max="2100" value={(*year).clone()} oninput={on_input(&year)} />
                </label>
                <label>{ t(DutyText::Month) }
                    <Choice name="period_month" empty={t(DutyText::WholeYear)} options={months}
                        value={(*month).clone()} onchange={keep(&month)} />
                </label>
                <label>{ t(DutyText::Department) }
                    <Choice name="department" empty={t(DutyText::AllDepartments)} options={department_choices(&departments)}
                        value={(*department).clone()} onchange={keep(&department)} />
                </label>
                <label>{ t(DutyText::Region) }
                    <Choice name="region" empty={t(DutyText::AllRegions)} options={region_options}
                        value={(*region).clone()} onchange={keep(&region)} />
                </label>
            </form>
            { if period.is_none() { html! { <p class="error" role="alert">{ t(DutyText::PeriodInvalid) }</p> } } else { html! {} } }
            <div data-testid="records">
                { match &*records {
                    None | Some(None) => html! { <p class="loading">{ t(Text::Loading) }</p> },
                    Some(Some(Err(e))) => alert(&Some(e.clone())),
                    Some(Some(Ok(list))) if list.is_empty() => html! { <p class="empty">{ t(DutyText::NoRecords) }</p> },
                    Some(Some(Ok(list))) => html! { <>{ for list.iter().map(record) }</> },
                } }
            </div>
            { if period.is_some() { html! {
                <Export path="/api/v1/performance/export" query={export_query} testid="export-performance" />
            } } else { html! {} } }
            <h2>{ t(DutyText::WorkersTitle) }</h2>
            { match &*workers {
                None | Some(None) => html! {},
                Some(Some(Err(e))) => alert(&Some(e.clone())),
                Some(Some(Ok(list))) if list.is_empty() => html! { <p class="empty">{ t(OfficeText::NoWorkers) }</p> },
                Some(Some(Ok(list))) => html! {
                    <div class="scroll">
                    <table class="figures" data-testid="performance-workers">
                        <thead><tr>
                            <th>{ t(OfficeText::Worker) }</th><th>{ t(ScreenText::Filed) }</th><th>{ t(ScreenText::ClosedCount) }</th>
                            <th>{ t(OfficeText::Visits) }</th><th>{ t(ScreenText::Inspections) }</th>
                        </tr></thead>
                        <tbody>{ for list.iter().map(|w| html! {
                            <tr data-worker={w.username.clone()}>
                                <th scope="row">{ w.display_name.clone() }<br /><small>{ w.username.clone() }</small></th>
                                <td>{ w.filed }</td><td>{ w.closed }</td><td>{ w.visits }</td><td>{ w.inspections }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                    </div>
                },
            } }
            { if sees_snapshots { html! {
                <section class="card" data-testid="snapshots">
                    <h2>{ t(DutyText::Snapshots) }</h2>
                    <p class="hint">{ t(DutyText::SnapshotsHelp) }</p>
                    { if admin { html! {
                        <button class="big" type="button" data-testid="take-snapshot" disabled={period.is_none()} onclick={take}>
                            { format!("{} {}", t(DutyText::TakeSnapshot), period.map(|p| p.to_string()).unwrap_or_default()) }
                        </button>
                    } } else { html! {} } }
                    { said(&taken, "snapshot-result") }
                    { alert(&download_error) }
                    <ul class="list" data-testid="snapshot-list">
                        { match &*snapshots {
                            None | Some(None) => html! { <li class="empty">{ t(Text::Loading) }</li> },
                            Some(Some(Err(e))) => html! { <li>{ alert(&Some(e.clone())) }</li> },
                            Some(Some(Ok(list))) if list.is_empty() => html! { <li class="empty">{ t(DutyText::NoSnapshots) }</li> },
                            Some(Some(Ok(list))) => html! { <>{ for list.iter().map(|s| html! {
                                <li class="item" data-snapshot={s.id.to_string()}>
                                    <strong>{ format!("{} {}", t(DutyText::Period), s.period) }</strong>
                                    <small>{ format!(" {} ", t(DutyText::TakenAt)) }{ at(&s.taken_at) }</small>
                                    <p><small>{ "SHA-256 " }</small><code class="sha" data-testid="snapshot-sha">{ s.sha256.clone() }</code></p>
                                    <button type="button" class="link" data-testid="snapshot-download" onclick={download(s)}>{ t(DutyText::Download) }</button>
                                </li>
                            }) }</> },
                        } }
                    </ul>
                </section>
            } } else { html! {} } }
            <Back />
        </Page>
    }
}

/// One unit's record: its weighted score, tasks and figures.
fn record(r: &PerformanceRecord) -> Html {
    let key = r
        .department_id
        .map(|d| d.to_string())
        .or_else(|| r.region_code.clone())
        .unwrap_or_default();
    let kind = match r.kind {
        RecordKind::Department => DutyText::KindDepartment,
        RecordKind::Town => DutyText::KindTown,
    };
    let figure = |label: &str, value: String| {
        html! { <><dt>{ label.to_string() }</dt><dd>{ value }</dd></> }
    };
    let figures = match (&r.town, &r.department) {
        (Some(town), _) => html! { <dl class="figures-list" data-testid="record-figures">
            { figure(t(ScreenText::Filed), town.figures.filed.to_string()) }
            { figure(t(ScreenText::ClosedCount), town.figures.closed.to_string()) }
            { figure(t(ScreenText::OnTime), rate(town.figures.closed_on_time_rate)) }
            { figure(t(ScreenText::ReworkRate), rate(town.figures.rework_rate)) }
            { figure(t(ScreenText::VisitsOnTime), rate(town.figures.visits_on_time_rate)) }
            { figure(t(ScreenText::Inspections), town.figures.inspections.to_string()) }
            { figure(t(ScreenText::HazardsOpen), town.figures.hazards_open.to_string()) }
            { figure(t(DutyText::TeamsPoints), town.teams_points.to_string()) }
            { figure(t(DutyText::DeliberationsDone), town.deliberations_done.to_string()) }
        </dl> },
        (None, Some(dept)) => html! { <dl class="figures-list" data-testid="record-figures">
            { figure(t(DutyText::Handled), dept.handled.to_string()) }
            { figure(t(ScreenText::ClosedCount), dept.closed.to_string()) }
            { figure(t(ScreenText::OnTime), rate(dept.closed_on_time_rate)) }
        </dl> },
        _ => html! {},
    };
    html! {
        <section class="card record" data-unit={key} data-testid="record">
            <h3>{ r.name.clone() }{ " " }<small>{ t(kind) }</small></h3>
            <p><strong>{ format!("{} ", t(DutyText::WeightedScore)) }</strong>
                <span data-testid="weighted-score">{ score(r.weighted_score.map(|s| (s * 100.0).round() / 100.0)) }</span></p>
            { if r.tasks.is_empty() { html! {} } else { html! {
                <div class="scroll">
                <table class="figures" data-testid="record-tasks">
                    <thead><tr>
                        <th>{ t(DutyText::TitleField) }</th><th>{ t(DutyText::Weight) }</th><th>{ t(DutyText::Target) }</th>
                        <th>{ t(DutyText::Progress) }</th><th>{ t(DutyText::Completion) }</th><th>{ t(DutyText::Score) }</th>
                    </tr></thead>
                    <tbody>{ for r.tasks.iter().map(|task| html! {
                        <tr data-task={task.task_id.to_string()}>
                            <th scope="row">{ format!("{} {}", task.code, task.title) }</th>
                            <td>{ number(task.weight) }</td><td>{ number(task.target) }</td><td>{ number(task.progress) }</td>
                            <td>{ completion_bar(task.completion) }</td><td>{ score(task.score) }</td>
                        </tr>
                    }) }</tbody>
                </table>
                </div>
            } } }
            { figures }
        </section>
    }
}
