//! The admin's users: the list (searched by name, filtered by role and region, page by
//! page), creating one (the role picked explicitly: the role shown is the role sent), and one
//! user's page — name, role and region edited; deactivated or reactivated; unlocked after
//! too many failed logins; a new password set — each with its result line.

use gridwork_shared::ErrorCode;
use gridwork_shared::api::{NewUser, Region, Role, User, UserPatch};
use gridwork_shared::responsibility::Department;
use gridwork_shared::{FieldErrors, validate};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use super::admin::{Said, admins_only_page, more_button, said, use_paged};
use super::departments::{department_choices, department_name, use_departments};
use super::regions::level_label;
use crate::app::Route;
use crate::components::choice::Choice;
use crate::components::form::{alert, field_errors, input_value, on_input, select_value};
use crate::components::list::chip;
use crate::components::page::{Back, Page};
use crate::components::when::at;
use crate::hooks::{use_loaded, use_session};
use crate::i18n::admin::AdminText;
use crate::i18n::duty::DutyText;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, role, t};
use crate::services::api::{self, ApiError};

/// The roles, in the order the pickers offer them.
pub const ROLES: [Role; 5] = [
    Role::Worker,
    Role::Volunteer,
    Role::Supervisor,
    Role::Department,
    Role::Admin,
];

/// The regions in the caller's scope, by code (empty until they come or when they cannot).
#[hook]
fn use_regions() -> Vec<Region> {
    let regions = use_loaded((), |_| async {
        let mut list = api::get::<Vec<Region>>("/api/v1/regions")
            .await
            .unwrap_or_default();
        list.sort_by(|a, b| a.code.cmp(&b.code));
        list
    });
    (*regions).clone().unwrap_or_default()
}

/// A region as the screens name it: its name and code, or the code alone when unknown; an
/// admin's empty region as "the whole system".
fn region_name(regions: &[Region], code: &str) -> String {
    if code.is_empty() {
        return t(AdminText::WholeSystem).to_string();
    }
    match regions.iter().find(|r| r.code == code) {
        Some(r) => format!("{} {}", r.name, r.code),
        None => code.to_string(),
    }
}

/// The options of a region picker: "choose…" until one is chosen, then every region.
fn region_choices(regions: &[Region]) -> Vec<(AttrValue, AttrValue)> {
    regions
        .iter()
        .map(|r| {
            let label = format!("{} {} ({})", r.name, r.code, level_label(r.level));
            (r.code.clone().into(), label.into())
        })
        .collect()
}

/// The roles by name, for a role picker that shows "choose…" until one is chosen.
fn role_choices() -> Vec<(AttrValue, AttrValue)> {
    ROLES
        .iter()
        .map(|r| (r.as_str().into(), t(role(*r)).into()))
        .collect()
}

/// The words for a refusal of a user form: a taken username said as such, else the server's.
fn refusal(e: &ApiError, username: &str) -> String {
    match e {
        ApiError::Problem(p) if p.code == ErrorCode::UsernameTaken => {
            format!("{username} {}", t(AdminText::UsernameTaken))
        }
        other => other.message(),
    }
}

/// A new user as the form holds it; the role is `None` until one is picked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserForm {
    pub username: String,
    pub password: String,
    pub role: Option<Role>,
    pub region_code: String,
    pub display_name: String,
    /// The department of department staff ("" until one is picked).
    pub department_id: String,
}

impl UserForm {
    /// The request this form sends, checked on the phone first; what is missing or wrong
    /// otherwise. An admin's region is always "".
    pub fn request(&self) -> Result<NewUser, Result<AdminText, FieldErrors>> {
        let Some(role) = self.role else {
            return Err(Ok(AdminText::ChooseRoleFirst));
        };
        if !matches!(role, Role::Admin | Role::Department) && self.region_code.is_empty() {
            return Err(Ok(AdminText::ChooseRegionFirst));
        }
        let new = NewUser {
            username: self.username.trim().to_string(),
            password: self.password.clone(),
            role,
            // Department staff belong to the district, which the server fills in.
            region_code: if matches!(role, Role::Admin | Role::Department) {
                String::new()
            } else {
                self.region_code.clone()
            },
            display_name: Some(self.display_name.trim().to_string()).filter(|n| !n.is_empty()),
            // Only department staff have one (the server refuses it for other roles).
            department_id: match role {
                Role::Department => uuid::Uuid::parse_str(&self.department_id).ok(),
                _ => None,
            },
        };
        new.validate().map_err(Err)?;
        Ok(new)
    }
}

#[component]
pub fn Users() -> Html {
    let session = use_session();
    let regions = use_regions();
    let departments = use_departments(true, 0);
    let q = use_state(String::new);
    let role_filter = use_state(String::new);
    let region_filter = use_state(String::new);
    let reload = use_state(|| 0u32);
    let mut path = "/api/v1/users?limit=50".to_string();
    for (key, value) in [
        ("q", (*q).trim()),
        ("role", role_filter.as_str()),
        ("region", region_filter.as_str()),
    ] {
        if !value.is_empty() {
            path.push_str(&format!("&{key}={}", super::audit::encode(value)));
        }
    }
    let users = use_paged::<User>(path, *reload);
    let form = use_state(UserForm::default);
    let result = use_state(Said::default);
    let created = use_state(|| None::<User>);
    let set = |apply: fn(&mut UserForm, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut f = (*form).clone();
            apply(&mut f, input_value(&e));
            form.set(f);
        })
    };
    let pick = |apply: fn(&mut UserForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut f = (*form).clone();
            apply(&mut f, v);
            form.set(f);
        })
    };
    let create = {
        let (form, result, created, reload) = (
            form.clone(),
            result.clone(),
            created.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = match form.request() {
                Ok(b) => b,
                Err(Ok(missing)) => {
                    result.set(Said::Failed(t(missing).into()));
                    return;
                }
                Err(Err(errors)) => {
                    result.set(Said::Failed(field_errors(&errors)));
                    return;
                }
            };
            let (form, result, created, reload) = (
                form.clone(),
                result.clone(),
                created.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, User>("/api/v1/users", &body).await {
                    Ok(u) => {
                        result.set(Said::Done(format!(
                            "{} {} ({}, {})",
                            t(AdminText::UserCreated),
                            u.username,
                            t(role(u.role)),
                            u.display_name
                        )));
                        created.set(Some(u));
                        form.set(UserForm::default());
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        created.set(None);
                        result.set(Said::Failed(refusal(&e, &body.username)));
                    }
                }
            });
        })
    };
    if session.me.as_ref().map(|m| m.role) != Some(Role::Admin) {
        return admins_only_page(t(ScreenText::Users), t(AdminText::AdminsOnly));
    }
    let f = &*form;
    html! {
        <Page testid="users">
            <h1>{ t(ScreenText::Users) }</h1>
            <form class="card filters" onsubmit={|e: SubmitEvent| e.prevent_default()}>
                <label>{ t(AdminText::Search) }
                    <input name="q" type="search" placeholder={t(AdminText::SearchExample)}
                        value={(*q).clone()} oninput={on_input(&q)} />
                </label>
                <label>{ t(ScreenText::Role) }
                    <select name="role" onchange={let s = role_filter.clone(); move |e: Event| s.set(select_value(&e))}>
                        <option value="" selected={role_filter.is_empty()}>{ t(AdminText::AllRoles) }</option>
                        { for ROLES.iter().map(|r| html! {
                            <option value={r.as_str()} selected={*role_filter == r.as_str()}>{ t(role(*r)) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t(AdminText::Region) }
                    <select name="region" onchange={let s = region_filter.clone(); move |e: Event| s.set(select_value(&e))}>
                        <option value="" selected={region_filter.is_empty()}>{ t(AdminText::AllRegions) }</option>
                        { for regions.iter().map(|r| html! {
                            <option value={r.code.clone()} selected={*region_filter == r.code}>{ format!("{} {}", r.name, r.code) }</option>
                        }) }
                    </select>
                </label>
            </form>
            <ul class="list" data-testid="users">
                { match &users.items {
                    None => html! { <li class="empty">{ t(Text::Loading) }</li> },
                    Some(Err(e)) => html! { <li>{ alert(&Some(e.clone())) }</li> },
                    Some(Ok(list)) if list.is_empty() => html! { <li class="empty">{ t(Text::Nothing) }</li> },
                    Some(Ok(list)) => html! { <>{ for list.iter().map(|u| user_item(u, &regions, &departments)) }</> },
                } }
            </ul>
            { more_button(&users, t(AdminText::More)) }
            <section class="card">
                <h2>{ t(AdminText::NewUser) }</h2>
                <form onsubmit={create} data-testid="new-user">
                    <label>{ t(Text::Username) }
                        <input name="new_username" autocomplete="off" placeholder="li.na"
                            value={f.username.clone()} oninput={set(|f, v| f.username = v)} />
                    </label>
                    <p class="hint">{ t(AdminText::UsernameRule) }</p>
                    <label>{ t(Text::Password) }
                        <input name="new_password" type="password" autocomplete="new-password"
                            value={f.password.clone()} oninput={set(|f, v| f.password = v)} />
                    </label>
                    <p class="hint">{ t(AdminText::PasswordRule) }</p>
                    <label>{ t(ScreenText::Role) }
                        <Choice name="new_role" empty={t(AdminText::ChooseRole)} options={role_choices()}
                            value={f.role.map(|r| r.as_str()).unwrap_or_default()}
                            onchange={pick(|f, v| f.role = Role::parse(&v))} />
                    </label>
                    { if f.role == Some(Role::Admin) { html! {
                        <p class="hint" data-testid="admin-no-region">{ t(AdminText::AdminNoRegion) }</p>
                    } } else if f.role == Some(Role::Department) { html! {
                        <>
                        <p class="hint">{ t(DutyText::DistrictStaff) }</p>
                        <label>{ t(DutyText::Department) }
                            <Choice name="new_department" empty={t(DutyText::ChooseDepartment)} options={department_choices(&departments)}
                                value={f.department_id.clone()} onchange={pick(|f, v| f.department_id = v)} />
                        </label>
                        </>
                    } } else { html! {
                        <label>{ t(AdminText::Region) }
                            <Choice name="new_region" empty={t(AdminText::ChooseRegion)} options={region_choices(&regions)}
                                value={f.region_code.clone()} onchange={pick(|f, v| f.region_code = v)} />
                        </label>
                    } } }
                    <label>{ t(ScreenText::DisplayName) }
                        <input name="new_display_name" placeholder={t(AdminText::DisplayNameExample)}
                            value={f.display_name.clone()} oninput={set(|f, v| f.display_name = v)} />
                    </label>
                    <button class="primary" type="submit">{ t(ScreenText::Create) }</button>
                </form>
                { said(&result, "user-result") }
                { for created.iter().map(|u| html! {
                    <p data-testid="created-link">
                        <Link<Route> to={Route::AdminUser { id: u.id.to_string() }}>
                            { format!("{} {}", t(AdminText::OpenUser), u.display_name) }
                        </Link<Route>>
                    </p>
                }) }
            </section>
            <Back to={Route::Admin} />
        </Page>
    }
}

/// One user as a row of the list.
fn user_item(u: &User, regions: &[Region], departments: &[Department]) -> Html {
    html! {
        <li class={classes!("item", (!u.active).then_some("late"))} data-username={u.username.clone()}>
            <Link<Route> to={Route::AdminUser { id: u.id.to_string() }}>
                <strong>{ u.display_name.clone() }</strong>
                <small>{ u.username.clone() }</small>
                { chip(t(role(u.role)), false) }
                { if u.active { html! {} } else { chip(t(AdminText::Inactive), true) } }
                <small>{ region_name(regions, &u.region_code) }</small>
                { for u.department_id.map(|d| html! { <small data-testid="user-department">{ format!(" · {}", department_name(departments, d)) }</small> }) }
            </Link<Route>>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct UserPageProps {
    pub id: String,
}

/// The audit log's filters as a link carries them (`/admin/audit?entity=…`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditLink {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actor: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entity: String,
}

/// The edit form of a user: what is typed and picked.
#[derive(Debug, Clone, PartialEq)]
struct EditForm {
    display_name: String,
    role: Role,
    region_code: String,
    department_id: Option<uuid::Uuid>,
}

impl EditForm {
    fn of(u: &User) -> EditForm {
        EditForm {
            display_name: u.display_name.clone(),
            role: u.role,
            region_code: u.region_code.clone(),
            department_id: u.department_id,
        }
    }

    /// Only what differs from `u`, checked on the phone; `None` when nothing does.
    fn patch(&self, u: &User) -> Result<Option<UserPatch>, FieldErrors> {
        let region = match self.role {
            Role::Admin => String::new(),
            // Department staff stay in the district; one made staff now gets it from the server.
            Role::Department if u.role == Role::Department => u.region_code.clone(),
            Role::Department => String::new(),
            _ => self.region_code.clone(),
        };
        let department = match self.role {
            Role::Department => self.department_id.filter(|d| u.department_id != Some(*d)),
            _ => None,
        };
        let name = self.display_name.trim().to_string();
        let p = UserPatch {
            display_name: (name != u.display_name).then_some(name),
            role: (self.role != u.role).then_some(self.role),
            region_code: (region != u.region_code).then_some(region),
            department_id: department,
            ..UserPatch::default()
        };
        if p.display_name.is_none()
            && p.role.is_none()
            && p.region_code.is_none()
            && p.department_id.is_none()
        {
            return Ok(None);
        }
        p.validate(u.role, &u.region_code, u.department_id)?;
        Ok(Some(p))
    }
}

/// Checks a new password typed twice; what is wrong, else the patch that sets it.
pub fn password_patch(
    first: &str,
    second: &str,
) -> Result<UserPatch, Result<AdminText, FieldErrors>> {
    if first != second {
        return Err(Ok(AdminText::PasswordsDiffer));
    }
    let mut e = FieldErrors::new();
    validate::password(&mut e, "password", first);
    e.into_result().map_err(Err)?;
    Ok(UserPatch {
        password: Some(first.to_string()),
        ..UserPatch::default()
    })
}

#[component]
pub fn UserPage(props: &UserPageProps) -> Html {
    let session = use_session();
    let regions = use_regions();
    let departments = use_departments(true, 0);
    let user = use_loaded(props.id.clone(), |id| async move {
        api::get::<User>(&format!("/api/v1/users/{id}"))
            .await
            .map_err(|e| e.message())
    });
    let form = use_state(|| None::<EditForm>);
    let edit_result = use_state(Said::default);
    let active_result = use_state(Said::default);
    let confirming = use_state(|| false);
    let unlock_result = use_state(Said::default);
    let password = use_state(String::new);
    let password2 = use_state(String::new);
    let password_result = use_state(Said::default);
    let current: Option<User> = match &*user {
        Some(Ok(u)) => Some(u.clone()),
        _ => None,
    };
    {
        // The form starts from the user as read (and again after each change).
        let form = form.clone();
        use_effect_with(current.clone(), move |u| {
            form.set(u.as_ref().map(EditForm::of));
        });
    }
    // Sends a change; the answer is the user as it is now.
    let send = {
        let (user, id) = (user.clone(), props.id.clone());
        move |patch: UserPatch, result: UseStateHandle<Said>, done: AdminText| {
            let (user, id) = (user.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::patch::<_, User>(&format!("/api/v1/users/{id}"), &patch).await {
                    Ok(u) => {
                        result.set(Said::Done(t(done).to_string()));
                        user.set(Some(Ok(u)));
                    }
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        }
    };
    let save = {
        let (form, result, current, send) = (
            form.clone(),
            edit_result.clone(),
            current.clone(),
            send.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(f), Some(u)) = (&*form, &current) else {
                return;
            };
            if !matches!(f.role, Role::Admin | Role::Department) && f.region_code.is_empty() {
                result.set(Said::Failed(t(AdminText::ChooseRegionFirst).into()));
                return;
            }
            match f.patch(u) {
                Ok(Some(p)) => send(p, result.clone(), AdminText::Saved),
                Ok(None) => result.set(Said::Failed(t(AdminText::NothingChanged).into())),
                Err(errors) => result.set(Said::Failed(field_errors(&errors))),
            }
        })
    };
    let set_active = {
        let (result, confirming, send) = (active_result.clone(), confirming.clone(), send.clone());
        Callback::from(move |(active, sure): (bool, bool)| {
            if !active && !sure {
                confirming.set(true);
                return;
            }
            confirming.set(false);
            let patch = UserPatch {
                active: Some(active),
                ..UserPatch::default()
            };
            let done = if active {
                AdminText::Reactivated
            } else {
                AdminText::Deactivated
            };
            send(patch, result.clone(), done);
        })
    };
    let unlock = {
        let (result, id) = (unlock_result.clone(), props.id.clone());
        Callback::from(move |_| {
            let (result, id) = (result.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, ()>(&format!("/api/v1/users/{id}/unlock"), &()).await {
                    Ok(()) => result.set(Said::Done(t(AdminText::Unlocked).into())),
                    Err(e) => result.set(Said::Failed(e.message())),
                }
            });
        })
    };
    let reset = {
        let (password, password2, result, send) = (
            password.clone(),
            password2.clone(),
            password_result.clone(),
            send.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match password_patch(&password, &password2) {
                Ok(p) => {
                    send(p, result.clone(), AdminText::PasswordReset);
                    password.set(String::new());
                    password2.set(String::new());
                }
                Err(Ok(why)) => result.set(Said::Failed(t(why).into())),
                Err(Err(errors)) => result.set(Said::Failed(field_errors(&errors))),
            }
        })
    };
    if session.me.as_ref().map(|m| m.role) != Some(Role::Admin) {
        return admins_only_page(t(ScreenText::Users), t(AdminText::AdminsOnly));
    }
    let (Some(u), Some(f)) = (current, (*form).clone()) else {
        return html! {
            <Page testid="user">
                { match &*user {
                    Some(Err(e)) => alert(&Some(e.clone())),
                    _ => html! { <p>{ t(Text::Loading) }</p> },
                } }
                <Back to={Route::AdminUsers} />
            </Page>
        };
    };
    let edit = |apply: fn(&mut EditForm, String)| {
        let form = form.clone();
        move |v: String| {
            if let Some(mut f) = (*form).clone() {
                apply(&mut f, v);
                form.set(Some(f));
            }
        }
    };
    let on_name = {
        let edit = edit(|f, v| f.display_name = v);
        Callback::from(move |e: InputEvent| edit(input_value(&e)))
    };
    let on_role = {
        let edit = edit(|f, v| {
            if let Some(r) = Role::parse(&v) {
                f.role = r;
            }
        });
        Callback::from(move |v: String| edit(v))
    };
    let on_region = {
        let edit = edit(|f, v| f.region_code = v);
        Callback::from(move |v: String| edit(v))
    };
    let on_department = {
        let edit = edit(|f, v| f.department_id = uuid::Uuid::parse_str(&v).ok());
        Callback::from(move |v: String| edit(v))
    };
    let me = session.me.as_ref().map(|m| m.id) == Some(u.id);
    html! {
        <Page testid="user">
            <h1>{ u.display_name.clone() }</h1>
            <section class="card">
                <dl data-testid="user-facts">
                    <dt>{ t(Text::Username) }</dt><dd>{ u.username.clone() }</dd>
                    <dt>{ t(ScreenText::Role) }</dt><dd data-testid="user-role">{ t(role(u.role)) }</dd>
                    <dt>{ t(AdminText::Region) }</dt><dd data-testid="user-region">{ region_name(&regions, &u.region_code) }</dd>
                    { for u.department_id.map(|d| html! { <>
                        <dt>{ t(DutyText::Department) }</dt><dd data-testid="user-department">{ department_name(&departments, d) }</dd>
                    </> }) }
                    <dt>{ t(AdminText::State) }</dt>
                    <dd data-testid="user-active">{ if u.active { t(AdminText::Active) } else { t(AdminText::Inactive) } }</dd>
                    <dt>{ t(AdminText::CreatedAt) }</dt><dd>{ at(&u.created_at) }</dd>
                    <dt>{ t(AdminText::UpdatedAt) }</dt><dd>{ at(&u.updated_at) }</dd>
                </dl>
                <Link<Route, AuditLink> to={Route::AdminAudit} classes="big"
                    query={Some(AuditLink { entity: u.id.to_string(), ..AuditLink::default() })}>
                    { t(AdminText::AuditOfUser) }
                </Link<Route, AuditLink>>
            </section>
            <section class="card">
                <h2>{ t(AdminText::Edit) }</h2>
                <form onsubmit={save} data-testid="edit-user">
                    <label>{ t(ScreenText::DisplayName) }
                        <input name="edit_name" value={f.display_name.clone()} oninput={on_name} />
                    </label>
                    <label>{ t(ScreenText::Role) }
                        <Choice name="edit_role" empty={t(AdminText::ChooseRole)} options={role_choices()}
                            value={f.role.as_str()} onchange={on_role} disabled={me} />
                    </label>
                    { if f.role == Role::Admin { html! {
                        <p class="hint">{ t(AdminText::AdminNoRegion) }</p>
                    } } else if f.role == Role::Department { html! {
                        <label>{ t(DutyText::Department) }
                            <Choice name="edit_department" empty={t(DutyText::ChooseDepartment)} options={department_choices(&departments)}
                                value={f.department_id.map(|d| d.to_string()).unwrap_or_default()} onchange={on_department} />
                        </label>
                    } } else { html! {
                        <label>{ t(AdminText::Region) }
                            <Choice name="edit_region" empty={t(AdminText::ChooseRegion)} options={region_choices(&regions)}
                                value={f.region_code.clone()} onchange={on_region} />
                        </label>
                    } } }
                    <button class="primary" type="submit">{ t(AdminText::Save) }</button>
                </form>
                { said(&edit_result, "edit-result") }
            </section>
            <section class="card">
                <h2>{ t(AdminText::Access) }</h2>
                { if me { html! { <p class="hint">{ t(AdminText::NotYourself) }</p> } }
                  else if u.active { html! {
                    <>
                    <button class="big" type="button" data-testid="deactivate"
                        onclick={set_active.reform(|_| (false, false))}>{ t(AdminText::Deactivate) }</button>
                    { if *confirming { html! {
                        <p class="notice">{ t(AdminText::DeactivateWhat) }
                            <button type="button" data-testid="deactivate-sure"
                                onclick={set_active.reform(|_| (false, true))}>{ t(AdminText::DeactivateSure) }</button>
                            <button type="button" class="link"
                                onclick={let c = confirming.clone(); move |_| c.set(false)}>{ t(AdminText::Cancel) }</button>
                        </p>
                    } } else { html! {} } }
                    </>
                } } else { html! {
                    <button class="big" type="button" data-testid="reactivate"
                        onclick={set_active.reform(|_| (true, true))}>{ t(AdminText::Reactivate) }</button>
                } } }
                { said(&active_result, "active-result") }
                <p class="hint">{ t(AdminText::UnlockWhat) }</p>
                <button class="big" type="button" data-testid="unlock" onclick={unlock}>{ t(AdminText::Unlock) }</button>
                { said(&unlock_result, "unlock-result") }
            </section>
            <section class="card">
                <h2>{ t(AdminText::ResetPassword) }</h2>
                <form onsubmit={reset} data-testid="reset-password">
                    <label>{ t(AdminText::NewPassword) }
                        <input name="reset_password" type="password" autocomplete="new-password"
                            value={(*password).clone()} oninput={on_input(&password)} />
                    </label>
                    <label>{ t(AdminText::NewPasswordAgain) }
                        <input name="reset_password2" type="password" autocomplete="new-password"
                            value={(*password2).clone()} oninput={on_input(&password2)} />
                    </label>
                    <p class="hint">{ t(AdminText::PasswordRule) }</p>
                    <button class="primary" type="submit">{ t(AdminText::SetPassword) }</button>
                </form>
                { said(&password_result, "password-result") }
            </section>
            <Back to={Route::AdminUsers} />
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_user_needs_a_role_picked_and_sends_that_role() {
        let mut f = UserForm {
            username: "li.na".into(),
            password: "long enough pw".into(),
            ..UserForm::default()
        };
        assert_eq!(f.request().unwrap_err(), Ok(AdminText::ChooseRoleFirst));
        f.role = Some(Role::Supervisor);
        assert_eq!(f.request().unwrap_err(), Ok(AdminText::ChooseRegionFirst));
        f.region_code = "500117001".into();
        let sent = f.request().unwrap();
        assert_eq!(sent.role, Role::Supervisor);
        assert_eq!(sent.region_code, "500117001");
        assert_eq!(sent.display_name, None);
        // An admin has no region, whatever was picked before.
        f.role = Some(Role::Admin);
        assert_eq!(f.request().unwrap().region_code, "");
        f.username = "x".into();
        assert!(f.request().unwrap_err().is_err());
    }

    fn user() -> User {
        User {
            id: uuid::Uuid::nil(),
            username: "li.na".into(),
            role: Role::Worker,
            region_code: "500117001001".into(),
            display_name: "李娜".into(),
            active: true,
            department_id: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn an_edit_sends_only_what_changed() {
        let u = user();
        let mut f = EditForm::of(&u);
        assert!(f.patch(&u).unwrap().is_none());
        f.role = Role::Supervisor;
        f.region_code = "500117001".into();
        let p = f.patch(&u).unwrap().unwrap();
        assert_eq!(p.role, Some(Role::Supervisor));
        assert_eq!(p.region_code.as_deref(), Some("500117001"));
        assert!(p.display_name.is_none() && p.password.is_none() && p.active.is_none());
        // Made an admin: the region goes with it.
        f.role = Role::Admin;
        assert_eq!(
            f.patch(&u).unwrap().unwrap().region_code.as_deref(),
            Some("")
        );
    }

    #[test]
    fn a_new_password_is_typed_twice_alike() {
        assert_eq!(
            password_patch("long enough pw", "long enough pX").unwrap_err(),
            Ok(AdminText::PasswordsDiffer)
        );
        assert!(password_patch("short", "short").unwrap_err().is_err());
        let p = password_patch("long enough pw", "long enough pw").unwrap();
        assert_eq!(p.password.as_deref(), Some("long enough pw"));
    }
}
