//! Admin screens: users, cell import (every bad feature shown), workers for a cell.

use gridwork_shared::api::Role;
use serde_json::{Value, json};
use yew::prelude::*;

use crate::components::assign::Assign;
use crate::components::form::{chosen_file, input_value, lines, select_value};
use crate::components::page::Page;
use crate::hooks::use_users;
use crate::i18n::{Text, role, t};
use crate::services::api;

const ROLES: [Role; 4] = [Role::Worker, Role::Supervisor, Role::Volunteer, Role::Admin];

#[component]
pub fn Admin() -> Html {
    let reload = use_state(|| 0u32);
    let users = use_users(true, *reload);
    let form = use_state(
        || json!({"username": "", "password": "", "role": "worker", "region_code": "", "display_name": ""}),
    );
    let user_msg = use_state(Vec::<String>::new);
    let import_msg = use_state(Vec::<String>::new);
    let set_field = |key: &'static str| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut f = (*form).clone();
            f[key] = json!(input_value(&e));
            form.set(f);
        })
    };
    let create = {
        let (form, user_msg, reload) = (form.clone(), user_msg.clone(), reload.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut body = (*form).clone();
            if body["display_name"] == "" {
                body.as_object_mut().expect("object").remove("display_name");
            }
            let (user_msg, reload) = (user_msg.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<Value, Value>("/api/v1/users", &body).await {
                    Ok(u) => {
                        user_msg.set(vec![format!(
                            "✓ {}",
                            u["username"].as_str().unwrap_or_default()
                        )]);
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
                let Some(doc) = text.and_then(|t| serde_json::from_str::<Value>(&t).ok()) else {
                    import_msg.set(vec![t(Text::NotJson).to_string()]);
                    return;
                };
                match api::post::<Value, Value>("/api/v1/cells/import", &doc).await {
                    Ok(r) => import_msg.set(vec![format!(
                        "✓ {} {}, {} {}",
                        t(Text::Created),
                        r["created"],
                        t(Text::Updated),
                        r["updated"]
                    )]),
                    Err(e) => import_msg.set(e.lines()),
                }
            });
        })
    };
    let role_of = |u: &Value| {
        let r = u["role"].as_str().unwrap_or_default();
        Role::parse(r).map(|r| t(role(r))).unwrap_or(r).to_string()
    };
    html! {
        <Page wide=true>
            <section class="card">
                <h2>{ t(Text::Import) }</h2>
                <input type="file" name="geojson" accept=".geojson,.json,application/geo+json,application/json" onchange={import} />
                <div data-testid="import-result">{ lines(&import_msg[..]) }</div>
            </section>
            <Assign />
            <section class="card">
                <h2>{ t(Text::Users) }</h2>
                <form onsubmit={create} class="grid">
                    <input name="new_username" placeholder={t(Text::Username)} oninput={set_field("username")} />
                    <input name="new_password" type="password" placeholder={t(Text::Password)} oninput={set_field("password")} />
                    <select name="new_role" onchange={let f = form.clone(); move |e: Event| { let mut v = (*f).clone(); v["role"] = json!(select_value(&e)); f.set(v); }}>
                        { for ROLES.iter().map(|r| html!{ <option value={r.as_str()}>{ t(role(*r)) }</option> }) }
                    </select>
                    <input name="new_region" placeholder="500117001001" oninput={set_field("region_code")} />
                    <input name="new_display_name" placeholder={t(Text::DisplayName)} oninput={set_field("display_name")} />
                    <button class="primary" type="submit">{ t(Text::Create) }</button>
                </form>
                <div data-testid="user-result">{ lines(&user_msg[..]) }</div>
                <table class="users">
                    <tr><th>{ t(Text::Username) }</th><th>{ t(Text::DisplayName) }</th><th>{ t(Text::Role) }</th><th>{ t(Text::Region) }</th></tr>
                    { for users.iter().map(|u| html!{ <tr>
                        <td>{ u["username"].as_str().unwrap_or_default() }</td>
                        <td>{ u["display_name"].as_str().unwrap_or_default() }</td>
                        <td>{ role_of(u) }</td>
                        <td>{ u["region_code"].as_str().unwrap_or_default() }</td>
                    </tr> }) }
                </table>
            </section>
        </Page>
    }
}
