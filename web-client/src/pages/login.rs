use yew::prelude::*;
use yew_router::prelude::*;

use super::input_value;
use crate::app::{Route, SessionCtx};
use crate::i18n::t;
use crate::pages::header::Header;
use crate::services::api;

#[component]
pub fn Login() -> Html {
    let session = use_context::<SessionCtx>().expect("session");
    let navigator = use_navigator().expect("router");
    let username = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let submit = {
        let (username, password, error, busy) = (
            username.clone(),
            password.clone(),
            error.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (u, p) = ((*username).clone(), (*password).clone());
            let (error, busy, session, navigator) = (
                error.clone(),
                busy.clone(),
                session.clone(),
                navigator.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::login(&u, &p).await {
                    Ok(me) => {
                        session.set_me.emit(Some(me));
                        navigator.push(&Route::Home);
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <>
        <Header />
        <main class="page">
            <form class="card" onsubmit={submit}>
                <h1>{ t("app") }</h1>
                <label>{ t("username") }
                    <input name="username" autocomplete="username" value={(*username).clone()}
                        oninput={let s = username.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                </label>
                <label>{ t("password") }
                    <input name="password" type="password" autocomplete="current-password" value={(*password).clone()}
                        oninput={let s = password.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                </label>
                { for error.iter().map(|e| html!{ <p class="error" role="alert">{ e }</p> }) }
                <button class="primary" type="submit" disabled={*busy}>{ t("login") }</button>
            </form>
        </main>
        </>
    }
}
