//! Admin screens: users, cell import (every bad feature shown), workers for a cell.

use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{input_value, select_value};
use crate::i18n::t;
use crate::pages::header::Header;
use crate::services::api::{self, ApiError};

fn problem_lines(e: &ApiError) -> Vec<String> {
    match e {
        ApiError::Problem(p) if !p.errors.is_empty() => p
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect(),
        other => vec![other.message()],
    }
}

#[component]
pub fn Admin() -> Html {
    let users = use_state(Vec::<Value>::new);
    let reload = use_state(|| 0u32);
    let form = use_state(
        || json!({"username": "", "password": "", "role": "worker", "region_code": "", "display_name": ""}),
    );
    let user_msg = use_state(Vec::<String>::new);
    let import_msg = use_state(Vec::<String>::new);
    let cell = use_state(String::new);
    let chosen = use_state(Vec::<String>::new);
    let assign_msg = use_state(Vec::<String>::new);
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
            let Some(file) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
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
    let toggle = |id: String| {
        let chosen = chosen.clone();
        Callback::from(move |_| {
            let mut c = (*chosen).clone();
            if let Some(i) = c.iter().position(|x| *x == id) {
                c.remove(i);
            } else {
                c.push(id.clone());
            }
            chosen.set(c);
        })
    };
    let assign = {
        let (cell, chosen, assign_msg) = (cell.clone(), chosen.clone(), assign_msg.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (code, ids, assign_msg) = ((*cell).clone(), (*chosen).clone(), assign_msg.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/cells/{code}/workers");
                match api::put::<Value, Value>(&path, &json!({"worker_ids": ids})).await {
                    Ok(r) => assign_msg.set(vec![format!(
                        "✓ {}: {}",
                        r["code"].as_str().unwrap_or_default(),
                        r["workers"]
                            .as_array()
                            .map(|w| w
                                .iter()
                                .filter_map(|u| u["display_name"].as_str())
                                .collect::<Vec<_>>()
                                .join("、"))
                            .unwrap_or_default()
                    )]),
                    Err(e) => assign_msg.set(problem_lines(&e)),
                }
            });
        })
    };
    let lines = |v: &Vec<String>| html! { <ul class="messages">{ for v.iter().map(|l| html!{ <li>{ l }</li> }) }</ul> };
    html! {
        <>
        <Header />
        <main class="page wide">
            <section class="card">
                <h2>{ t("import") }</h2>
                <input type="file" name="geojson" accept=".geojson,.json,application/geo+json,application/json" onchange={import} />
                <div data-testid="import-result">{ lines(&import_msg) }</div>
            </section>
            <section class="card">
                <h2>{ t("assign") }</h2>
                <form onsubmit={assign}>
                    <label>{ t("cell") }<input name="cell" placeholder="500117001001001" value={(*cell).clone()}
                        oninput={let c = cell.clone(); move |e: InputEvent| c.set(input_value(&e))} /></label>
                    <div class="checks">
                        { for users.iter().filter(|u| u["role"] == "worker").map(|u| {
                            let id = u["id"].as_str().unwrap_or_default().to_string();
                            html!{ <label class="check"><input type="checkbox" checked={chosen.contains(&id)} onclick={toggle(id.clone())} />
                                { format!("{} ({})", u["display_name"].as_str().unwrap_or_default(), u["region_code"].as_str().unwrap_or_default()) }</label> }
                        }) }
                    </div>
                    <button class="primary" type="submit">{ t("save") }</button>
                </form>
                <div data-testid="assign-result">{ lines(&assign_msg) }</div>
            </section>
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
                <div data-testid="user-result">{ lines(&user_msg) }</div>
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
