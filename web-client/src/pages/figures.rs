//! The assessment figures (考评) of the supervisor's region and of each region under it, for
//! a date range (default: what the server picks, the current month). Needs the network.

use gridwork_shared::stats::{StatFigures, Stats};
use yew::prelude::*;

use crate::components::form::{alert, on_input};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
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

#[component]
pub fn Figures() -> Html {
    let session = use_session();
    let from = use_state(String::new);
    let to = use_state(String::new);
    let range = ((*from).clone(), (*to).clone());
    let stats = use_loaded((range, session.generation), |((from, to), _)| async move {
        let mut q = Vec::new();
        if from.len() == 10 {
            q.push(format!("from={from}"));
        }
        if to.len() == 10 {
            q.push(format!("to={to}"));
        }
        let path = format!("/api/v1/stats?{}", q.join("&"));
        api::get::<Stats>(&path).await.map_err(|e| e.message())
    });
    html! {
        <Page>
            <h1>{ t(Text::Figures) }</h1>
            <form class="card filters">
                <label>{ t(ScreenText::From) }<input type="date" name="from" value={(*from).clone()} oninput={on_input(&from)} /></label>
                <label>{ t(ScreenText::To) }<input type="date" name="to" value={(*to).clone()} oninput={on_input(&to)} /></label>
            </form>
            { match &*stats {
                None => html!{ <p>{ "…" }</p> },
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
            <Back />
        </Page>
    }
}
