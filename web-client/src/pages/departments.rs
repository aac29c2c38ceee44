//! The district's departments (区级部门): the admin's list and the form that creates one (with
//! an id made here, so sending it twice creates it once). Also what the other screens use
//! to name and pick departments: `use_departments`.

use std::rc::Rc;

use gridwork_shared::ErrorCode;
use gridwork_shared::api::Role;
use gridwork_shared::responsibility::{Department, NewDepartment};
use uuid::Uuid;
use yew::prelude::*;

use super::admin::{Said, admins_only_page, said};
use crate::app::Route;
use crate::components::form::{alert, field_errors, on_input};
use crate::components::page::{Back, Page};
use crate::hooks::{use_loaded, use_session};
use crate::i18n::duty::DutyText;
use crate::i18n::t;
use crate::services::api::{self, ApiError};

/// Every department (`GET /departments`, by code), when `wanted`; loaded again when
/// `reload` changes. Empty until they come, when not wanted, and with no network.
#[hook]
pub fn use_departments(wanted: bool, reload: u32) -> Rc<Vec<Department>> {
    let list = use_loaded((wanted, reload), |(wanted, _)| async move {
        match wanted {
            true => Rc::new(
                api::get::<Vec<Department>>("/api/v1/departments")
                    .await
                    .unwrap_or_default(),
            ),
            false => Rc::default(),
        }
    });
    (*list).clone().unwrap_or_default()
}

/// A department's name (with its code), or its id when unknown.
pub fn department_name(departments: &[Department], id: Uuid) -> String {
    departments
        .iter()
        .find(|d| d.id == id)
        .map(|d| format!("{} {}", d.name, d.code))
        .unwrap_or_else(|| id.to_string())
}

/// The options of a department picker.
pub fn department_choices(departments: &[Department]) -> Vec<(AttrValue, AttrValue)> {
    departments
        .iter()
        .map(|d| {
            (
                d.id.to_string().into(),
                format!("{} {}", d.name, d.code).into(),
            )
        })
        .collect()
}

#[component]
pub fn Departments() -> Html {
    let session = use_session();
    let admin = session.me.as_ref().map(|m| m.role) == Some(Role::Admin);
    let reload = use_state(|| 0u32);
    let list = use_loaded((admin, *reload), |(admin, _)| async move {
        match admin {
            true => Some(
                api::get::<Vec<Department>>("/api/v1/departments")
                    .await
                    .map_err(|e| e.message()),
            ),
            false => None,
        }
    });
    let code = use_state(String::new);
    let name = use_state(String::new);
    // The id of the department being created: kept until it is created, so a form sent
    // again (an answer lost on the way) names the same department.
    let id = use_state(Uuid::new_v4);
    let result = use_state(Said::default);
    let create = {
        let (code, name, id, result, reload) = (
            code.clone(),
            name.clone(),
            id.clone(),
            result.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = NewDepartment {
                id: *id,
                code: code.trim().to_string(),
                name: name.trim().to_string(),
            };
            if let Err(errors) = body.validate() {
                result.set(Said::Failed(field_errors(&errors)));
                return;
            }
            let (code, name, id, result, reload) = (
                code.clone(),
                name.clone(),
                id.clone(),
                result.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, Department>("/api/v1/departments", &body).await {
                    Ok(d) => {
                        result.set(Said::Done(format!(
                            "{} {} {}",
                            t(DutyText::DepartmentCreated),
                            d.code,
                            d.name
                        )));
                        code.set(String::new());
                        name.set(String::new());
                        id.set(Uuid::new_v4());
                        reload.set(*reload + 1);
                    }
                    Err(ApiError::Problem(p)) if p.code == ErrorCode::CodeTaken => result.set(
                        Said::Failed(format!("{} {}", body.code, ApiError::Problem(p).message())),
                    ),
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    if !admin {
        return admins_only_page(t(DutyText::DepartmentsTitle), t(DutyText::AdminsOnly));
    }
    html! {
        <Page testid="departments">
            <h1>{ t(DutyText::DepartmentsTitle) }</h1>
            <ul class="list" data-testid="department-list">
                { match &*list {
                    None | Some(None) => html! { <li class="empty">{ t(crate::i18n::Text::Loading) }</li> },
                    Some(Some(Err(e))) => html! { <li>{ alert(&Some(e.clone())) }</li> },
                    Some(Some(Ok(l))) if l.is_empty() => html! { <li class="empty">{ t(crate::i18n::Text::Nothing) }</li> },
                    Some(Some(Ok(l))) => html! { <>{ for l.iter().map(|d| html! {
                        <li class="item" data-code={d.code.clone()}>
                            <strong>{ d.name.clone() }</strong>{ " " }<small>{ d.code.clone() }</small>
                        </li>
                    }) }</> },
                } }
            </ul>
            <section class="card">
                <h2>{ t(DutyText::NewDepartment) }</h2>
                <form onsubmit={create} data-testid="new-department">
                    <label>{ t(DutyText::DepartmentCode) }
                        <input name="department_code" autocomplete="off" placeholder="D05"
                            value={(*code).clone()} oninput={on_input(&code)} />
                    </label>
                    <p class="hint">{ t(DutyText::DepartmentCodeRule) }</p>
                    <label>{ t(DutyText::DepartmentName) }
                        <input name="department_name" placeholder={t(DutyText::DepartmentNameExample)}
                            value={(*name).clone()} oninput={on_input(&name)} />
                    </label>
                    <button class="primary" type="submit">{ t(crate::i18n::screens::ScreenText::Create) }</button>
                </form>
                { said(&result, "department-result") }
            </section>
            <Back to={Route::Admin} />
        </Page>
    }
}

/// The incident screen's choice between dispatching to a worker and to a department, and
/// the department picker (starting on "choose…") when it is a department.
pub fn dispatch_target(
    departments: &[Department],
    to_department: &UseStateHandle<bool>,
    chosen: &UseStateHandle<String>,
) -> Html {
    use crate::components::choice::{Choice, keep};
    use crate::i18n::duty::dispatch::DispatchText;
    let mode = |on: bool| {
        let (to_department, chosen) = (to_department.clone(), chosen.clone());
        Callback::from(move |_: Event| {
            to_department.set(on);
            chosen.set(String::new());
        })
    };
    html! {
        <>
        <fieldset class="checks" data-testid="dispatch-target">
            <label class="check"><input type="radio" name="dispatch_target" value="worker"
                checked={!**to_department} onchange={mode(false)} />{ t(DispatchText::ToWorker) }</label>
            <label class="check"><input type="radio" name="dispatch_target" value="department"
                checked={**to_department} onchange={mode(true)} />{ t(DispatchText::ToDepartment) }</label>
        </fieldset>
        { if !**to_department { html! {} } else if departments.is_empty() { html! {
            <p class="notice">{ t(DispatchText::NoDepartments) }</p>
        } } else { html! {
            <label>{ t(DispatchText::Department) }
                <Choice name="department" empty={t(DispatchText::ChooseDepartment)} options={department_choices(departments)}
                    value={(**chosen).clone()} onchange={keep(chosen)} />
            </label>
        } } }
        </>
    }
}
