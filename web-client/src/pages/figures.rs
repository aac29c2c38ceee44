//! The assessment figures (考评) of the supervisor's region and of each region under it, for
//! a date range (default: what the server picks, the current month). Needs the network.

use serde_json::Value;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{Superseded, input_value};
use crate::app::{Route, SessionCtx};
use crate::i18n::t;
use crate::pages::header::Header;
use crate::services::api;

/// A rate as a whole percentage ("—" when there was nothing to measure).
pub fn percent(v: &Value) -> String {
    match v.as_f64() {
        Some(r) => format!("{}%", (r * 100.0).round() as i64),
        None => "—".into(),
    }
}

fn row(name: &str, f: &Value) -> Html {
    let n = |k: &str| f[k].as_i64().unwrap_or(0).to_string();
    html! {
        <tr>
            <th scope="row">{ name.to_string() }</th>
            <td>{ n("filed") }</td>
            <td>{ n("closed") }</td>
            <td>{ percent(&f["closed_on_time_rate"]) }</td>
            <td>{ percent(&f["rework_rate"]) }</td>
            <td>{ percent(&f["visits_on_time_rate"]) }</td>
            <td>{ n("inspections") }</td>
            <td>{ n("hazards_open") }</td>
        </tr>
    }
}

#[component]
pub fn Figures() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let from = use_state(String::new);
    let to = use_state(String::new);
    let stats = use_state(|| None::<Result<Value, String>>);
    {
        let stats = stats.clone();
        let range = ((*from).clone(), (*to).clone());
        use_effect_with((range, session.generation), move |((from, to), _)| {
            let mut q = Vec::new();
            if from.len() == 10 {
                q.push(format!("from={from}"));
            }
            if to.len() == 10 {
                q.push(format!("to={to}"));
            }
            let path = format!("/api/v1/stats?{}", q.join("&"));
            let (superseded, cleanup) = Superseded::new();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::get::<Value>(&path).await.map_err(|e| e.message());
                if !superseded.get() {
                    stats.set(Some(answer));
                }
            });
            cleanup
        });
    }
    let date = |state: &UseStateHandle<String>| {
        let s = state.clone();
        Callback::from(move |e: InputEvent| s.set(input_value(&e)))
    };
    html! {
        <>
        <Header />
        <main class="page">
            <h1>{ t("figures") }</h1>
            <form class="card filters">
                <label>{ t("from") }<input type="date" name="from" value={(*from).clone()} oninput={date(&from)} /></label>
                <label>{ t("to") }<input type="date" name="to" value={(*to).clone()} oninput={date(&to)} /></label>
            </form>
            { match &*stats {
                None => html!{ <p>{ "…" }</p> },
                Some(Err(e)) => html!{ <p class="error" role="alert">{ e.clone() }</p> },
                Some(Ok(s)) => html! {
                    <div class="scroll">
                    <p><small>{ format!("{} – {}", s["from"].as_str().unwrap_or_default(), s["to"].as_str().unwrap_or_default()) }</small></p>
                    <table class="figures" data-testid="figures">
                        <thead><tr>
                            <th>{ t("region") }</th><th>{ t("filed") }</th><th>{ t("closed_count") }</th>
                            <th>{ t("on_time") }</th><th>{ t("rework_rate") }</th><th>{ t("visits_on_time") }</th>
                            <th>{ t("inspections") }</th><th>{ t("hazards_open") }</th>
                        </tr></thead>
                        <tbody>
                            { row(t("overall"), &s["overall"]) }
                            { for s["children"].as_array().cloned().unwrap_or_default().iter().map(|c| row(c["name"].as_str().unwrap_or_default(), c)) }
                        </tbody>
                    </table>
                    </div>
                },
            } }
            <Link<Route> to={Route::Home}>{ t("back") }</Link<Route>>
        </main>
        </>
    }
}
