//! Admin screens: users, cell import (every bad feature shown), workers for a cell.

use gridwork_shared::api::{ImportResult, NewUser, Role, User};
use serde::de::IgnoredAny;
use yew::prelude::*;

use crate::components::assign::Assign;
use crate::components::form::{chosen_file, input_value, lines, select_value};
use crate::components::page::Page;
use crate::hooks::use_users;
use crate::i18n::screens::ScreenText;
use crate::i18n::{Text, role, t};
use crate::services::api;

const ROLES: [Role; 4] = [Role::Worker, Role::Supervisor, Role::Volunteer, Role::Admin];

#[component]
pub fn Admin() -> Html {
    let reload = use_state(|| 0u32);
    let users = use_users(true, *reload);
    let form = use_state(|| NewUser {
        username: String::new(),
        password: String::new(),
        role: Role::Worker,
        region_code: String::new(),
        display_name: None,
    });
    let user_msg = use_state(Vec::<String>::new);
    let import_msg = use_state(Vec::<String>::new);
    let set_field = |set: fn(&mut NewUser, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut f = (*form).clone();
            set(&mut f, input_value(&e));
            form.set(f);
        })
    };
    let set_role = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let mut f = (*form).clone();
            f.role = Role::parse(&select_value(&e)).unwrap_or(f.role);
            form.set(f);
        })
    };
    let create = {
        let (form, user_msg, reload) = (form.clone(), user_msg.clone(), reload.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = (*form).clone();
            let (user_msg, reload) = (user_msg.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<NewUser, User>("/api/v1/users", &body).await {
                    Ok(u) => {
                        user_msg.set(vec![format!("✓ {}", u.username)]);
                        reload.set(*reload + 1);
                    }
                    Err(e) => user_msg.set(e.lines()),
                }
            });
        })
    };
    let import = {
        let import_msg = import_msg.clone();
        Callback::from(move |e: Event| {
            let Some(file) = chosen_file(&e) else {
                return;
            };
            let import_msg = import_msg.clone();
            wasm_bindgen_futures::spawn_local(async move {
                import_msg.set(vec!["…".into()]);
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string());
                // The file goes to the server as it is, which checks every feature in it; only
                // what is not JSON at all is stopped here.
                let Some(doc) = text.filter(|t| serde_json::from_str::<IgnoredAny>(t).is_ok())
                else {
                    import_msg.set(vec![t(ScreenText::NotJson).to_string()]);
                    return;
                };
                match api::post_json::<ImportResult>("/api/v1/cells/import", doc).await {
                    Ok(r) => import_msg.set(vec![format!(
                        "✓ {} {}, {} {}",
                        t(ScreenText::Created),
                        r.created,
                        t(ScreenText::Updated),
                        r.updated
                    )]),
                    Err(e) => import_msg.set(e.lines()),
                }
            });
        })
    };
    html! {
        <Page wide=true>
            <section class="card">
                <h2>{ t(ScreenText::Import) }</h2>
                <input type="file" name="geojson" accept=".geojson,.json,application/geo+json,application/json" onchange={import} />
                <div data-testid="import-result">{ lines(&import_msg[..]) }</div>
            </section>
            <Assign />
            <section class="card">
                <h2>{ t(ScreenText::Users) }</h2>
                <form onsubmit={create} class="grid">
                    <input name="new_username" placeholder={t(Text::Username)} oninput={set_field(|f, v| f.username = v)} />
                    <input name="new_password" type="password" placeholder={t(Text::Password)} oninput={set_field(|f, v| f.password = v)} />
                    <select name="new_role" onchange={set_role}>
                        { for ROLES.iter().map(|r| html!{ <option value={r.as_str()}>{ t(role(*r)) }</option> }) }
                    </select>
                    <input name="new_region" placeholder="500117001001" oninput={set_field(|f, v| f.region_code = v)} />
                    <input name="new_display_name" placeholder={t(ScreenText::DisplayName)} oninput={set_field(|f, v| f.display_name = Some(v).filter(|v| !v.is_empty()))} />
                    <button class="primary" type="submit">{ t(ScreenText::Create) }</button>
                </form>
                <div data-testid="user-result">{ lines(&user_msg[..]) }</div>
                <table class="users">
                    <tr><th>{ t(Text::Username) }</th><th>{ t(ScreenText::DisplayName) }</th><th>{ t(ScreenText::Role) }</th><th>{ t(ScreenText::Region) }</th></tr>
                    { for users.iter().map(|u| html!{ <tr>
                        <td>{ &u.username }</td>
                        <td>{ &u.display_name }</td>
                        <td>{ t(role(u.role)) }</td>
                        <td>{ &u.region_code }</td>
                    </tr> }) }
                </table>
            </section>
        </Page>
    }
}
