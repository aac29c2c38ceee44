//! Admin screens: users, cell import (every bad feature shown), workers for a cell.

use serde_json::{Value, json};
use yew::prelude::*;

use super::{input_value, select_value};
use crate::i18n::t;
use crate::pages::assign::{Assign, lines, problem_lines};
use crate::pages::header::Header;
use crate::services::api;

#[component]
pub fn Admin() -> Html {
    let users = use_state(Vec::<Value>::new);
    let reload = use_state(|| 0u32);
    let form = use_state(
        || json!({"username": "", "password": "", "role": "worker", "region_code": "", "display_name": ""}),
    );
    let user_msg = use_state(Vec::<String>::new);
    let import_msg = use_state(Vec::<String>::new);
    {
        let users = users.clone();
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(page) = api::get::<Value>("/api/v1/users?limit=500").await {
                    users.set(page["items"].as_array().cloned().unwrap_or_default());
                }
            });
        });
    }
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
                    Err(e) => user_msg.set(problem_lines(&e)),
                }
            });
        })
    };
    let import = {
        let import_msg = import_msg.clone();
        Callback::from(move |e: Event| {
            let Some(file) = super::chosen_file(&e) else {
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
                    import_msg.set(vec![t("not_json").to_string()]);
                    return;
                };
                match api::post::<Value, Value>("/api/v1/cells/import", &doc).await {
                    Ok(r) => import_msg.set(vec![format!(
                        "✓ {} {}, {} {}",
                        t("created"),
                        r["created"],
                        t("updated"),
                        r["updated"]
                    )]),
                    Err(e) => import_msg.set(problem_lines(&e)),
                }
            });
        })
    };
    html! {
        <>
        <Header />
        <main class="page wide">
            <section class="card">
                <h2>{ t("import") }</h2>
                <input type="file" name="geojson" accept=".geojson,.json,application/geo+json,application/json" onchange={import} />
                <div data-testid="import-result">{ lines(&import_msg[..]) }</div>
            </section>
            <Assign />
            <section class="card">
                <h2>{ t("users") }</h2>
                <form onsubmit={create} class="grid">
                    <input name="new_username" placeholder={t("username")} oninput={set_field("username")} />
                    <input name="new_password" type="password" placeholder={t("password")} oninput={set_field("password")} />
                    <select name="new_role" onchange={let f = form.clone(); move |e: Event| { let mut v = (*f).clone(); v["role"] = json!(select_value(&e)); f.set(v); }}>
                        { for ["worker", "supervisor", "volunteer", "admin"].iter().map(|r| html!{ <option value={*r}>{ *r }</option> }) }
                    </select>
                    <input name="new_region" placeholder="500117001001" oninput={set_field("region_code")} />
                    <input name="new_display_name" placeholder={t("display_name")} oninput={set_field("display_name")} />
                    <button class="primary" type="submit">{ t("create") }</button>
                </form>
                <div data-testid="user-result">{ lines(&user_msg[..]) }</div>
                <table class="users">
                    <tr><th>{ t("username") }</th><th>{ t("display_name") }</th><th>{ "role" }</th><th>{ "region" }</th></tr>
                    { for users.iter().map(|u| html!{ <tr>
                        <td>{ u["username"].as_str().unwrap_or_default() }</td>
                        <td>{ u["display_name"].as_str().unwrap_or_default() }</td>
                        <td>{ u["role"].as_str().unwrap_or_default() }</td>
                        <td>{ u["region_code"].as_str().unwrap_or_default() }</td>
                    </tr> }) }
                </table>
            </section>
        </main>
        </>
    }
}
