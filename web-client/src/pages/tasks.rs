//! The responsibility tasks (责任制) of the district: the board of a year's tasks, each with
//! how many of its units are complete and overdue, and the form that sets a new one (admins
//! and the district's supervisors); one task's page — its units with duty, target, progress,
//! completion, score and whether overdue, its newest progress reports, the form that
//! decomposes it to departments and towns, and the scoring of its units for a period. Needs
//! the network (office screens).

use std::rc::Rc;

use chrono::{NaiveDate, Utc};
use gridwork_shared::api::{Me, Region, Role, User};
use gridwork_shared::codes::RegionLevel;
use gridwork_shared::responsibility::{
    Duty, NewTask, Period, ScoresRequest, Task, TaskDetail, TaskUnit, UnitAssignment, UnitScore,
    UnitsRequest,
};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::admin::{Said, more_button, said, use_paged};
use super::departments::{department_choices, use_departments};
use crate::app::Route;
use crate::components::choice::Choice;
use crate::components::form::{alert, field_errors, input_value, on_input};
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::components::photo::Photos;
use crate::components::when::at;
use crate::hooks::{use_loaded, use_session, use_users};
use crate::i18n::duty::DutyText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::logic::day;
use crate::services::api::{self, ApiError};

/// The year now on the district's clock.
pub fn this_year() -> i32 {
    day(&Utc::now())[..4].parse().unwrap_or(2026)
}

/// A share (0–1) as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

/// A number as people write it: no ".0" on a whole one.
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{:.2}", x)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// A score, or "—" when none is given.
pub fn score(s: Option<f64>) -> String {
    s.map(number).unwrap_or_else(|| "—".into())
}

/// Who sets, decomposes and scores tasks: admins and the district's supervisors.
pub fn sets_tasks(me: &Me) -> bool {
    me.role == Role::Admin || (me.role == Role::Supervisor && me.region_code.len() == 6)
}

pub fn duty_label(d: Duty) -> DutyText {
    match d {
        Duty::Territorial => DutyText::Territorial,
        Duty::Functional => DutyText::Functional,
    }
}

/// The key a unit goes by: its department's id or its town's code.
fn unit_key(department_id: Option<Uuid>, region_code: Option<&str>) -> String {
    match (department_id, region_code) {
        (Some(d), _) => d.to_string(),
        (None, Some(r)) => r.to_string(),
        _ => String::new(),
    }
}

/// A completion bar with its percentage.
pub fn completion_bar(share: f64) -> Html {
    html! {
        <span class="completion">
            <progress max="1" value={share.clamp(0.0, 1.0).to_string()}></progress>
            { format!(" {}", percent(share)) }
        </span>
    }
}

/// The regions the caller may see, by code.
#[hook]
pub fn use_regions() -> Rc<Vec<Region>> {
    let regions = use_loaded((), |_| async {
        let mut list = api::get::<Vec<Region>>("/api/v1/regions")
            .await
            .unwrap_or_default();
        list.sort_by(|a, b| a.code.cmp(&b.code));
        Rc::new(list)
    });
    (*regions).clone().unwrap_or_default()
}

/// A new task as the form holds it.
#[derive(Debug, Clone, PartialEq)]
struct TaskForm {
    code: String,
    title: String,
    description: String,
    year: String,
    indicator: String,
    due_date: String,
    weight: String,
}

impl TaskForm {
    fn new() -> TaskForm {
        let year = this_year();
        TaskForm {
            code: String::new(),
            title: String::new(),
            description: String::new(),
            year: year.to_string(),
            indicator: String::new(),
            due_date: format!("{year}-12-31"),
            weight: "1".into(),
        }
    }

    /// The request, checked here first.
    fn request(&self, id: Uuid) -> Result<NewTask, String> {
        let year = self.year.trim().parse::<i32>();
        let weight = self.weight.trim().parse::<f64>();
        let due = NaiveDate::parse_from_str(self.due_date.trim(), "%Y-%m-%d");
        let (Ok(year), Ok(weight), Ok(due_date)) = (year, weight, due) else {
            return Err(t(DutyText::NumberInvalid).to_string());
        };
        let new = NewTask {
            id,
            code: self.code.trim().to_string(),
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            year,
            indicator: self.indicator.trim().to_string(),
            due_date,
            weight,
        };
        new.validate().map_err(|e| field_errors(&e))?;
        Ok(new)
    }
}

#[component]
pub fn TaskBoard() -> Html {
    let session = use_session();
    let me = session.me.clone();
    let allowed = me
        .as_ref()
        .is_some_and(|m| matches!(m.role, Role::Admin | Role::Supervisor));
    let setter = me.as_ref().is_some_and(sets_tasks);
    let year = use_state(|| this_year().to_string());
    let reload = use_state(|| 0u32);
    let path = match (allowed, year.trim().parse::<i32>()) {
        (true, Ok(y)) => format!("/api/v1/tasks?limit=100&year={y}"),
        _ => String::new(),
    };
    let tasks = use_paged::<Task>(path, *reload + session.generation);
    let form = use_state(TaskForm::new);
    let id = use_state(Uuid::new_v4);
    let result = use_state(Said::default);
    let created = use_state(|| None::<Task>);
    let set = |apply: fn(&mut TaskForm, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut f = (*form).clone();
            apply(&mut f, input_value(&e));
            form.set(f);
        })
    };
    let create = {
        let (form, id, result, created, reload, year) = (
            form.clone(),
            id.clone(),
            result.clone(),
            created.clone(),
            reload.clone(),
            year.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = match form.request(*id) {
                Ok(b) => b,
                Err(why) => {
                    result.set(Said::Failed(why));
                    return;
                }
            };
            let (form, id, result, created, reload, year) = (
                form.clone(),
                id.clone(),
                result.clone(),
                created.clone(),
                reload.clone(),
                year.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, TaskDetail>("/api/v1/tasks", &body).await {
                    Ok(d) => {
                        result.set(Said::Done(format!(
                            "{} {} {}",
                            t(DutyText::TaskCreated),
                            d.task.code,
                            d.task.title
                        )));
                        year.set(d.task.year.to_string());
                        created.set(Some(d.task));
                        form.set(TaskForm::new());
                        id.set(Uuid::new_v4());
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        created.set(None);
                        result.set(Said::Failed(e.message()));
                    }
                }
            });
        })
    };
    if !allowed {
        return html! {
            <Page>
                <h1>{ t(DutyText::Tasks) }</h1>
                <p class="error" role="alert" data-testid="not-allowed">{ t(DutyText::BoardOnly) }</p>
                <Back />
            </Page>
        };
    }
    let f = &*form;
    html! {
        <Page wide=true testid="task-board">
            <h1>{ t(DutyText::Tasks) }</h1>
            <form class="card filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <label>{ t(DutyText::Year) }
                    <input name="year" type="number" min="2000" max="2100" value={(*year).clone()} oninput={on_input(&year)} />
                </label>
            </form>
            <ul class="list" data-testid="tasks">
                { match &tasks.items {
                    None => html! { <li class="empty">{ t(Text::Loading) }</li> },
                    Some(Err(e)) if e.is_empty() => html! {},
                    Some(Err(e)) => html! { <li>{ alert(&Some(e.clone())) }</li> },
                    Some(Ok(list)) if list.is_empty() => html! { <li class="empty">{ t(DutyText::NoTasks) }</li> },
                    Some(Ok(list)) => html! { <>{ for list.iter().map(task_item) }</> },
                } }
            </ul>
            { more_button(&tasks, t(DutyText::More)) }
            { if setter { html! {
                <section class="card">
                    <h2>{ t(DutyText::NewTask) }</h2>
                    <form onsubmit={create} data-testid="new-task">
                        <label>{ t(DutyText::Code) }
                            <input name="task_code" autocomplete="off" placeholder="2026-AQ-05" value={f.code.clone()} oninput={set(|f, v| f.code = v)} />
                        </label>
                        <label>{ t(DutyText::TitleField) }
                            <input name="task_title" value={f.title.clone()} oninput={set(|f, v| f.title = v)} />
                        </label>
                        <label>{ t(DutyText::DescriptionField) }
                            <textarea name="task_description" value={f.description.clone()} oninput={set(|f, v| f.description = v)} />
                        </label>
                        <label>{ t(DutyText::Year) }
                            <input name="task_year" type="number" min="2000" max="2100" value={f.year.clone()} oninput={set(|f, v| f.year = v)} />
                        </label>
                        <label>{ t(DutyText::Indicator) }
                            <input name="task_indicator" placeholder={t(DutyText::IndicatorExample)} value={f.indicator.clone()} oninput={set(|f, v| f.indicator = v)} />
                        </label>
                        <label>{ t(DutyText::DueDate) }
                            <input name="task_due" type="date" value={f.due_date.clone()} oninput={set(|f, v| f.due_date = v)} />
                        </label>
                        <label>{ t(DutyText::Weight) }
                            <input name="task_weight" type="number" step="any" min="0" value={f.weight.clone()} oninput={set(|f, v| f.weight = v)} />
                        </label>
                        <button class="primary" type="submit">{ t(ScreenText::Create) }</button>
                    </form>
                    { said(&result, "task-result") }
                    { for created.iter().map(|task| html! {
                        <p data-testid="created-task">
                            <Link<Route> to={Route::Task { id: task.id.to_string() }}>
                                { format!("{} {}", t(DutyText::OpenTask), task.title) }
                            </Link<Route>>
                        </p>
                    }) }
                </section>
            } } else { html! {} } }
            <Back />
        </Page>
    }
}

/// A task as a row of the board: its units' completion and what is overdue.
fn task_item(task: &Task) -> Html {
    let units = match task.unit_count {
        0 => chip(t(DutyText::NotDecomposed), false),
        n => chip(
            format!("{}/{n} {}", task.units_complete, t(DutyText::UnitsDone)),
            false,
        ),
    };
    html! {
        <li class={classes!("item", (task.units_overdue > 0).then_some("late"))} data-code={task.code.clone()}>
            <Link<Route> to={Route::Task { id: task.id.to_string() }}>
                <strong>{ task.title.clone() }</strong>
                <small>{ format!(" {} · {} · {} {}", task.code, task.indicator, t(DutyText::Weight), number(task.weight)) }</small>
                { units }
                { if task.units_overdue > 0 {
                    chip(format!("{} {}", task.units_overdue, t(DutyText::UnitsOverdue)), true)
                } else { html! {} } }
                <small data-testid="task-due">{ format!(" {} {}", t(DutyText::DueDate), task.due_date) }</small>
            </Link<Route>>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct TaskProps {
    pub id: String,
}

/// A row of the decompose form.
#[derive(Debug, Clone, PartialEq)]
struct UnitRow {
    /// "department" or "town".
    kind: String,
    /// The department's id or the town's code.
    unit: String,
    duty: Duty,
    target: String,
}

impl UnitRow {
    fn of(u: &TaskUnit) -> UnitRow {
        UnitRow {
            kind: if u.department_id.is_some() {
                "department".into()
            } else {
                "town".into()
            },
            unit: unit_key(u.department_id, u.region_code.as_deref()),
            duty: u.duty,
            target: number(u.target),
        }
    }

    fn blank() -> UnitRow {
        UnitRow {
            kind: "department".into(),
            unit: String::new(),
            duty: Duty::Functional,
            target: String::new(),
        }
    }

    fn assignment(&self) -> Option<UnitAssignment> {
        let target = self
            .target
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|t| *t > 0.0)?;
        if self.unit.is_empty() {
            return None;
        }
        let (department_id, region_code) = match self.kind.as_str() {
            "department" => (Some(Uuid::parse_str(&self.unit).ok()?), None),
            _ => (None, Some(self.unit.clone())),
        };
        Some(UnitAssignment {
            department_id,
            region_code,
            duty: self.duty,
            target,
        })
    }
}

/// The scoring form's entry of one unit: (score, note).
type ScoreEntry = (String, String);

#[component]
pub fn TaskPage(props: &TaskProps) -> Html {
    let session = use_session();
    let me = session.me.clone();
    let setter = me.as_ref().is_some_and(sets_tasks);
    // The period whose scores the page shows and the scoring form gives ("" until the task
    // is read: then its year).
    let period = use_state(String::new);
    let reload = use_state(|| 0u32);
    let query = match Period::parse(period.trim()) {
        Some(p) => format!("?period={p}"),
        None => String::new(),
    };
    let detail = use_loaded(
        (props.id.clone(), query, *reload, session.generation),
        |(id, q, _, _)| async move {
            api::get::<TaskDetail>(&format!("/api/v1/tasks/{id}{q}"))
                .await
                .map_err(|e| e.message())
        },
    );
    // An answer of a form, newer than `detail` until it loads again.
    let answer = use_state(|| None::<TaskDetail>);
    let departments = use_departments(setter, 0);
    let regions = use_regions();
    let users = use_users(setter, session.generation);
    let rows = use_state(|| None::<Vec<UnitRow>>);
    let units_result = use_state(Said::default);
    let scores = use_state(Vec::<(String, ScoreEntry)>::new);
    let scores_result = use_state(Said::default);
    let current: Option<TaskDetail> = match (&*answer, &*detail) {
        (Some(a), _) if a.task.id.to_string() == props.id => Some(a.clone()),
        (_, Some(Ok(d))) => Some(d.clone()),
        _ => None,
    };
    {
        // The period starts as the task's year.
        let period = period.clone();
        let year = current.as_ref().map(|d| d.task.year);
        use_effect_with(year, move |year| {
            if let Some(y) = year
                && period.is_empty()
            {
                period.set(y.to_string());
            }
        });
    }
    {
        // The decompose form starts from the units as read (and again after each save).
        let rows = rows.clone();
        let units: Option<Vec<UnitRow>> = current
            .as_ref()
            .map(|d| d.units.iter().map(UnitRow::of).collect());
        use_effect_with(units, move |units| rows.set(units.clone()));
    }
    let Some(d) = current else {
        return html! {
            <Page testid="task">
                { match &*detail {
                    Some(Err(e)) => alert(&Some(e.clone())),
                    _ => html! { <p class="loading">{ t(Text::Loading) }</p> },
                } }
                <Back to={Route::Tasks} />
            </Page>
        };
    };
    let task_id = d.task.id;

    // The decompose form.
    let edit_row = {
        let rows = rows.clone();
        move |i: usize, apply: fn(&mut UnitRow, String)| {
            let rows = rows.clone();
            Callback::from(move |v: String| {
                let mut list = (*rows).clone().unwrap_or_default();
                if let Some(r) = list.get_mut(i) {
                    apply(r, v);
                }
                rows.set(Some(list));
            })
        }
    };
    let add_row = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut list = (*rows).clone().unwrap_or_default();
            list.push(UnitRow::blank());
            rows.set(Some(list));
        })
    };
    let save_units = {
        let (rows, result, answer) = (rows.clone(), units_result.clone(), answer.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let list = (*rows).clone().unwrap_or_default();
            let units: Option<Vec<UnitAssignment>> = list.iter().map(UnitRow::assignment).collect();
            let Some(units) = units else {
                result.set(Said::Failed(t(DutyText::ChooseUnitFirst).into()));
                return;
            };
            let body = UnitsRequest { units };
            if let Err(errors) = body.validate() {
                result.set(Said::Failed(field_errors(&errors)));
                return;
            }
            let (result, answer) = (result.clone(), answer.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, TaskDetail>(&format!("/api/v1/tasks/{task_id}/units"), &body)
                    .await
                {
                    Ok(after) => {
                        result.set(Said::Done(t(DutyText::UnitsSaved).into()));
                        answer.set(Some(after));
                    }
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    let towns: Vec<(AttrValue, AttrValue)> = regions
        .iter()
        .filter(|r| r.level == RegionLevel::Town)
        .map(|r| {
            (
                r.code.clone().into(),
                format!("{} {}", r.name, r.code).into(),
            )
        })
        .collect();
    let row_html = |(i, r): (usize, &UnitRow)| {
        let remove = {
            let rows = rows.clone();
            Callback::from(move |_: MouseEvent| {
                let mut list = (*rows).clone().unwrap_or_default();
                if i < list.len() {
                    list.remove(i);
                }
                rows.set(Some(list));
            })
        };
        let kinds: Vec<(AttrValue, AttrValue)> = vec![
            ("department".into(), t(DutyText::KindDepartment).into()),
            ("town".into(), t(DutyText::KindTown).into()),
        ];
        let duties: Vec<(AttrValue, AttrValue)> = [Duty::Functional, Duty::Territorial]
            .iter()
            .map(|d| (d.as_str().into(), t(duty_label(*d)).into()))
            .collect();
        let (unit_choices, empty) = match r.kind.as_str() {
            "department" => (
                department_choices(&departments),
                t(DutyText::ChooseDepartment),
            ),
            _ => (towns.clone(), t(DutyText::ChooseTown)),
        };
        html! {
            <tr data-row={i.to_string()}>
                <td><Choice name={format!("unit_kind_{i}")} options={kinds} value={r.kind.clone()}
                    onchange={edit_row(i, |r, v| { r.kind = v; r.unit = String::new(); })} /></td>
                <td><Choice name={format!("unit_{i}")} empty={empty} options={unit_choices} value={r.unit.clone()}
                    onchange={edit_row(i, |r, v| r.unit = v)} /></td>
                <td><Choice name={format!("unit_duty_{i}")} options={duties} value={r.duty.as_str()}
                    onchange={edit_row(i, |r, v| if let Some(d) = Duty::parse(&v) { r.duty = d; })} /></td>
                <td><input name={format!("unit_target_{i}")} type="number" step="any" min="0" value={r.target.clone()}
                    oninput={edit_row(i, |r, v| r.target = v).reform(|e: InputEvent| input_value(&e))} /></td>
                <td><button type="button" class="link" onclick={remove}>{ t(DutyText::Remove) }</button></td>
            </tr>
        }
    };
    let decompose = match (&*rows, setter) {
        (Some(list), true) => html! {
            <section class="card" data-testid="decompose">
                <h2>{ t(DutyText::Decompose) }</h2>
                <p class="hint">{ t(DutyText::DecomposeHelp) }</p>
                <form onsubmit={save_units}>
                    <div class="scroll">
                    <table class="figures">
                        <thead><tr>
                            <th>{ t(DutyText::UnitKind) }</th><th>{ t(DutyText::Unit) }</th>
                            <th>{ t(DutyText::Duty) }</th><th>{ t(DutyText::Target) }</th><th></th>
                        </tr></thead>
                        <tbody>{ for list.iter().enumerate().map(row_html) }</tbody>
                    </table>
                    </div>
                    <button type="button" class="big" data-testid="add-unit" onclick={add_row}>{ t(DutyText::AddUnit) }</button>
                    <button class="primary" type="submit" data-testid="save-units">{ t(DutyText::SaveUnits) }</button>
                </form>
                { said(&units_result, "units-result") }
            </section>
        },
        _ => html! {},
    };

    // The scoring form: a score and a note per unit, for the period.
    let score_of = |key: &str| -> ScoreEntry {
        scores
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, e)| e.clone())
            .unwrap_or_default()
    };
    let set_score = |key: String, note: bool| {
        let scores = scores.clone();
        Callback::from(move |e: InputEvent| {
            let v = input_value(&e);
            let mut list = (*scores).clone();
            match list.iter_mut().find(|(k, _)| *k == key) {
                Some((_, entry)) if note => entry.1 = v,
                Some((_, entry)) => entry.0 = v,
                None if note => list.push((key.clone(), (String::new(), v))),
                None => list.push((key.clone(), (v, String::new()))),
            }
            scores.set(list);
        })
    };
    let save_scores = {
        let (scores, result, answer, period) = (
            scores.clone(),
            scores_result.clone(),
            answer.clone(),
            period.clone(),
        );
        let units = d.units.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut given = Vec::new();
            for u in &units {
                let key = unit_key(u.department_id, u.region_code.as_deref());
                let Some((_, (s, note))) = scores.iter().find(|(k, _)| *k == key) else {
                    continue;
                };
                if s.trim().is_empty() {
                    continue;
                }
                let Ok(value) = s.trim().parse::<f64>() else {
                    result.set(Said::Failed(t(DutyText::NumberInvalid).into()));
                    return;
                };
                given.push(UnitScore {
                    department_id: u.department_id,
                    region_code: u.region_code.clone(),
                    score: value,
                    note: note.trim().to_string(),
                });
            }
            if given.is_empty() {
                result.set(Said::Failed(t(DutyText::NoScores).into()));
                return;
            }
            let body = ScoresRequest {
                period: period.trim().to_string(),
                scores: given,
            };
            if let Err(errors) = body.validate() {
                result.set(Said::Failed(field_errors(&errors)));
                return;
            }
            let (result, answer, scores) = (result.clone(), answer.clone(), scores.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, TaskDetail>(&format!("/api/v1/tasks/{task_id}/scores"), &body)
                    .await
                {
                    Ok(after) => {
                        result.set(Said::Done(format!(
                            "{} · {}",
                            t(DutyText::ScoresSaved),
                            body.period
                        )));
                        scores.set(Vec::new());
                        answer.set(Some(after));
                    }
                    Err(e) => result.set(Said::Failed(problem_text(&e))),
                }
            });
        })
    };
    let scoring = match setter && !d.units.is_empty() {
        false => html! {},
        true => html! {
            <section class="card" data-testid="scoring">
                <h2>{ t(DutyText::Scoring) }</h2>
                <p class="hint">{ t(DutyText::ScoringHelp) }</p>
                <form onsubmit={save_scores}>
                    <label>{ t(DutyText::Period) }
                        <input name="score_period" placeholder={t(DutyText::PeriodRule)} value={(*period).clone()} oninput={on_input(&period)} />
                    </label>
                    <div class="scroll">
                    <table class="figures">
                        <thead><tr><th>{ t(DutyText::Unit) }</th><th>{ t(DutyText::Score) }</th><th>{ t(ScreenText::Note) }</th></tr></thead>
                        <tbody>{ for d.units.iter().map(|u| {
                            let key = unit_key(u.department_id, u.region_code.as_deref());
                            let (s, note) = score_of(&key);
                            html! {
                                <tr data-unit={key.clone()}>
                                    <th scope="row">{ u.name.clone() }</th>
                                    <td><input name={format!("score_{key}")} type="number" min="0" max="100" step="any"
                                        value={s} oninput={set_score(key.clone(), false)} /></td>
                                    <td><input name={format!("score_note_{key}")} value={note} oninput={set_score(key.clone(), true)} /></td>
                                </tr>
                            }
                        }) }</tbody>
                    </table>
                    </div>
                    <button class="primary" type="submit" data-testid="save-scores">{ t(DutyText::SaveScores) }</button>
                </form>
                { said(&scores_result, "scores-result") }
            </section>
        },
    };

    let unit_names: Vec<(String, String)> = d
        .units
        .iter()
        .map(|u| {
            (
                unit_key(u.department_id, u.region_code.as_deref()),
                u.name.clone(),
            )
        })
        .collect();
    html! {
        <Page wide=true testid="task">
            <h1 data-testid="task-title">{ d.task.title.clone() }</h1>
            <section class="card">
                <dl data-testid="task-facts">
                    <dt>{ t(DutyText::Code) }</dt><dd>{ d.task.code.clone() }</dd>
                    <dt>{ t(DutyText::Indicator) }</dt><dd>{ d.task.indicator.clone() }</dd>
                    <dt>{ t(DutyText::Year) }</dt><dd>{ d.task.year }</dd>
                    <dt>{ t(DutyText::DueDate) }</dt><dd>{ d.task.due_date.to_string() }</dd>
                    <dt>{ t(DutyText::Weight) }</dt><dd>{ number(d.task.weight) }</dd>
                    <dt>{ t(DutyText::Period) }</dt><dd data-testid="task-period">{ (*period).clone() }</dd>
                </dl>
                { if d.task.description.is_empty() { html! {} } else { html! { <p>{ d.task.description.clone() }</p> } } }
            </section>
            <h2>{ t(DutyText::Units) }</h2>
            { if d.units.is_empty() { html! { <p class="empty">{ t(DutyText::NotDecomposed) }</p> } } else { html! {
                <div class="scroll">
                <table class="figures" data-testid="units">
                    <thead><tr>
                        <th>{ t(DutyText::Unit) }</th><th>{ t(DutyText::Duty) }</th><th>{ t(DutyText::Target) }</th>
                        <th>{ t(DutyText::Progress) }</th><th>{ t(DutyText::Completion) }</th><th>{ t(DutyText::Score) }</th>
                    </tr></thead>
                    <tbody>{ for d.units.iter().map(unit_row) }</tbody>
                </table>
                </div>
            } } }
            <h2>{ t(DutyText::Reports) }</h2>
            <ul class="list" data-testid="reports">
                { if d.reports.is_empty() { html! { <li class="empty">{ t(DutyText::NoReports) }</li> } } else { html! {} } }
                { for d.reports.iter().take(20).map(|r| {
                    let unit = unit_key(r.department_id, r.region_code.as_deref());
                    let name = unit_names.iter().find(|(k, _)| *k == unit).map(|(_, n)| n.clone()).unwrap_or(unit);
                    html! {
                        <li class="item" data-report={r.id.to_string()}>
                            <strong>{ format!("{} · {} {}", name, t(DutyText::Value), number(r.value)) }</strong>
                            { if r.note.is_empty() { html! {} } else { html! { <p>{ r.note.clone() }</p> } } }
                            { if r.photos.is_empty() { html! {} } else { html! { <Photos photos={r.photos.clone()} /> } } }
                            <small>{ format!("{} {} · ", t(DutyText::ReportedBy), reporter(&users, me.as_ref(), r.reporter_id)) }{ at(&r.reported_at) }</small>
                        </li>
                    }
                }) }
            </ul>
            { decompose }
            { scoring }
            <Back to={Route::Tasks} />
        </Page>
    }
}

/// A server's refusal in the form's words: one line per field, or its message.
fn problem_text(e: &ApiError) -> String {
    match e {
        ApiError::Problem(p) if !p.errors.is_empty() => {
            field_errors(&gridwork_shared::FieldErrors(p.errors.clone()))
        }
        other => other.message(),
    }
}

/// Who reported: a name from the users the caller may list, else a short id.
fn reporter(users: &[User], me: Option<&Me>, id: Uuid) -> String {
    if let Some(m) = me.filter(|m| m.id == id) {
        return m.display_name.clone();
    }
    users
        .iter()
        .find(|u| u.id == id)
        .map(|u| u.display_name.clone())
        .unwrap_or_else(|| id.to_string()[..8].to_string())
}

/// A unit of the task as a row: duty, target, progress, completion, score, overdue.
fn unit_row(u: &TaskUnit) -> Html {
    let key = unit_key(u.department_id, u.region_code.as_deref());
    html! {
        <tr data-unit={key} class={classes!(u.overdue.then_some("late"))}>
            <th scope="row">{ u.name.clone() }{ if u.overdue { chip(t(DutyText::OverdueChip), true) } else { html! {} } }</th>
            <td>{ t(duty_label(u.duty)) }</td>
            <td>{ number(u.target) }</td>
            <td data-testid="unit-progress">{ number(u.progress) }</td>
            <td data-testid="unit-completion">{ completion_bar(u.completion) }</td>
            <td data-testid="unit-score">{ score(u.score) }</td>
        </tr>
    }
}
