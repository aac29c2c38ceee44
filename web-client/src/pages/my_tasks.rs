//! A responsible unit's own tasks (a town's supervisors, a department's staff) and the form
//! that reports a task's progress. The tasks come from the phone's copy (`/sync/pull` carries
//! the caller's unit's tasks), so the list opens with no signal; a report is a cumulative
//! value queued as a `task.progress` operation under an id made here, sent when there is a
//! network. With a network the form also shows where the unit stands on the task.

use chrono::Utc;
use gridwork_shared::api::{Me, Role};
use gridwork_shared::responsibility::{NewProgress, Task, TaskDetail, TaskUnit};
use gridwork_shared::sync::{OnTask, Operation};
use uuid::Uuid;
use yew::prelude::*;
use yew_router::prelude::*;

use super::tasks::{completion_bar, number};
use crate::app::Route;
use crate::components::form::{alert, field_errors, on_input};
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::components::photo_field::PhotoField;
use crate::hooks::{use_field_form, use_loaded, use_local, use_local_record, use_session};
use crate::i18n::duty::DutyText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, t};
use crate::logic::PhotoOwner;
use crate::services::{api, queue};

/// Who reports progress: department staff and a town's supervisors.
pub fn reports_progress(me: &Me) -> bool {
    me.role == Role::Department || (me.role == Role::Supervisor && me.region_code.len() == 9)
}

/// The caller's unit as a progress report names it: (department, town).
fn my_unit(me: &Me) -> (Option<Uuid>, Option<String>) {
    match me.role {
        Role::Department => (me.department_id, None),
        _ => (None, Some(me.region_code.clone())),
    }
}

/// Is `u` the caller's unit?
fn is_mine(u: &TaskUnit, me: &Me) -> bool {
    let (department, town) = my_unit(me);
    match department {
        Some(d) => u.department_id == Some(d),
        None => u.department_id.is_none() && u.region_code == town,
    }
}

/// The progress reports queued on this phone and not sent yet: (task, value), oldest first.
async fn queued_progress() -> Vec<(Uuid, f64)> {
    queue::pending_operations()
        .await
        .into_iter()
        .filter_map(|op| match op {
            Operation::TaskProgress(p) => Some((p.task_id, p.body.value)),
            _ => None,
        })
        .collect()
}

#[component]
pub fn MyTasks() -> Html {
    let session = use_session();
    let tasks = use_local(|| async {
        let mut list = queue::records::<Task>().await;
        list.sort_by(|a, b| b.year.cmp(&a.year).then(a.code.cmp(&b.code)));
        list
    });
    let waiting = use_loaded((session.generation, session.pending), |_| queued_progress());
    let Some(me) = session.me.clone() else {
        return html! { <Page><p>{ t(Text::Loading) }</p></Page> };
    };
    if !reports_progress(&me) {
        return html! {
            <Page>
                <h1>{ t(DutyText::MyTasksTitle) }</h1>
                <p class="error" role="alert" data-testid="not-allowed">{ t(DutyText::UnitsOnly) }</p>
                <Back />
            </Page>
        };
    }
    let waiting = waiting.as_deref().unwrap_or_default();
    let item = |task: &Task| {
        let queued = waiting.iter().rev().find(|(id, _)| *id == task.id);
        html! {
            <li class="item" data-code={task.code.clone()}>
                <Link<Route> to={Route::TaskProgress { id: task.id.to_string() }}>
                    <strong>{ task.title.clone() }</strong>
                    <small>{ format!(" {} · {}", task.code, task.indicator) }</small>
                    { for queued.map(|(_, v)| html! {
                        <span data-testid="progress-waiting">{ chip(format!("{} {}", t(DutyText::Waiting), number(*v)), false) }</span>
                    }) }
                    <small>{ format!(" {} {}", t(DutyText::DueDate), task.due_date) }</small>
                </Link<Route>>
            </li>
        }
    };
    html! {
        <Page testid="my-tasks">
            <h1>{ t(DutyText::MyTasksTitle) }</h1>
            <p class="hint">{ t(DutyText::MyTasksHelp) }</p>
            <ul class="list" data-testid="my-tasks-list">
                { match tasks.as_deref() {
                    None => html! { <li class="empty">{ t(Text::Loading) }</li> },
                    Some([]) => html! { <li class="empty">{ t(DutyText::NoMyTasks) }</li> },
                    Some(list) => html! { <>{ for list.iter().map(item) }</> },
                } }
            </ul>
            <Back />
        </Page>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub id: String,
}

#[component]
pub fn ProgressForm(props: &ProgressProps) -> Html {
    let session = use_session();
    let task = use_local_record::<Task>(&props.id);
    // Where the unit stands, when there is a network.
    let detail = use_loaded(
        (props.id.clone(), session.generation),
        |(id, _)| async move {
            api::get::<TaskDetail>(&format!("/api/v1/tasks/{id}"))
                .await
                .ok()
        },
    );
    let value = use_state(String::new);
    let note = use_state(String::new);
    let form = use_field_form();
    let Some(me) = session.me.clone() else {
        return html! { <Page><p>{ t(Text::Loading) }</p></Page> };
    };
    if !reports_progress(&me) {
        return html! {
            <Page>
                <p class="error" role="alert" data-testid="not-allowed">{ t(DutyText::UnitsOnly) }</p>
                <Back />
            </Page>
        };
    }
    let Some(task) = task else {
        return html! {
            <Page testid="progress-form">
                <p class="empty">{ t(DutyText::NotYourTask) }</p>
                <Back to={Route::MyTasks} />
            </Page>
        };
    };
    let unit = (*detail)
        .clone()
        .flatten()
        .and_then(|d| d.units.into_iter().find(|u| is_mine(u, &me)));
    let send = {
        let (value, note, form, me) = (value.clone(), note.clone(), form.clone(), me.clone());
        let task_id = task.id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(v) = value.trim().parse::<f64>() else {
                form.fail(t(DutyText::NumberInvalid).into());
                return;
            };
            let (department_id, region_code) = my_unit(&me);
            let body = NewProgress {
                id: Uuid::new_v4(),
                department_id,
                region_code,
                value: v,
                note: note.trim().to_string(),
                reported_at: Utc::now(),
            };
            if let Err(errors) = body.validate(Utc::now()) {
                form.fail(field_errors(&errors));
                return;
            }
            // The evidence, if any, waits on the phone for its report.
            let owner = (PhotoOwner::Progress, body.id.to_string());
            form.send_in_place_of(
                Operation::TaskProgress(OnTask { task_id, body }),
                Some(owner),
                Route::MyTasks,
                None,
            );
        })
    };
    html! {
        <Page testid="progress-form">
            <h1>{ task.title.clone() }</h1>
            <dl data-testid="progress-facts">
                <dt>{ t(DutyText::Code) }</dt><dd>{ task.code.clone() }</dd>
                <dt>{ t(DutyText::Indicator) }</dt><dd>{ task.indicator.clone() }</dd>
                <dt>{ t(DutyText::DueDate) }</dt><dd>{ task.due_date.to_string() }</dd>
                { for unit.iter().map(|u| html! { <>
                    <dt>{ t(DutyText::YourUnit) }</dt><dd>{ u.name.clone() }</dd>
                    <dt>{ t(DutyText::Target) }</dt><dd data-testid="my-target">{ number(u.target) }</dd>
                    <dt>{ t(DutyText::Progress) }</dt><dd data-testid="my-progress">{ number(u.progress) }</dd>
                    <dt>{ t(DutyText::Completion) }</dt><dd>{ completion_bar(u.completion) }</dd>
                </> }) }
            </dl>
            <section class="card">
                <h2>{ t(DutyText::ReportProgress) }</h2>
                <form onsubmit={send} data-testid="progress">
                    <label>{ t(DutyText::Value) }
                        <input name="value" type="number" min="0" step="any" inputmode="decimal"
                            value={(*value).clone()} oninput={on_input(&value)} />
                    </label>
                    <p class="hint">{ t(DutyText::ValueHelp) }</p>
                    <label>{ t(ScreenText::Note) }
                        <textarea name="note" value={(*note).clone()} oninput={on_input(&note)} />
                    </label>
                    <PhotoField photo={form.photo.clone()} error={form.error.clone()} />
                    { alert(&form.error) }
                    <button class="primary big" type="submit" data-testid="send-progress">{ t(DutyText::SendProgress) }</button>
                </form>
            </section>
            <Back to={Route::MyTasks} />
        </Page>
    }
}
