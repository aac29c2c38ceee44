//! What every browser test uses: the browser, the server behind its switchable proxy,
//! waiting for conditions, logging in, and reading what the server holds.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use gridwork_tests::{Engine, Proxy, TestApp};
use serde_json::{Value, json};

pub(crate) struct Browser {
    pub(crate) client: Client,
    pub(crate) driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) async fn browser() -> Browser {
    let port = free_port();
    let driver =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver; cargo xtask test installs it)");
    let profile = tempfile::tempdir().unwrap().keep();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--window-size=390,844",
                     format!("--user-data-dir={}", profile.display())],
        }
    });
    let caps: serde_json::Map<String, Value> = caps.as_object().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = loop {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot reach chromedriver: {e}"),
        }
    };
    Browser { client, driver }
}

/// Polls `probe` every 100 ms until it holds (at most `secs` seconds).
pub(crate) async fn until<F, Fut>(what: &str, secs: u64, mut probe: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !probe().await {
        if Instant::now() >= deadline {
            panic!("timed out waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The attribute `name` of the element `css` as it is now (None when either is missing).
pub(crate) async fn attr(c: &Client, css: &str, name: &str) -> Option<String> {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.attr(name).await.ok().flatten(),
        Err(_) => None,
    }
}

/// The attribute `name` of every element `css` now on the page ("" where one has none).
pub(crate) async fn attrs(c: &Client, css: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.unwrap_or_default() {
        out.push(e.attr(name).await.ok().flatten().unwrap_or_default());
    }
    out
}

/// The `value` property of the element `css`, once it is there (None when it cannot be read).
pub(crate) async fn value_of(c: &Client, css: &str) -> Option<String> {
    element(c, css, 30).await.prop("value").await.ok().flatten()
}

/// Waits for an element (at most `secs` seconds); on timeout, fails with what the page
/// shows instead.
pub(crate) async fn element(c: &Client, css: &str, secs: u64) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(secs))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(e) => e,
        Err(e) => panic!(
            "no `{css}` after {secs} s ({e}) at {:?}; the page: {:?}",
            c.current_url().await.map(|u| u.to_string()),
            c.execute(
                "return [document.documentElement.outerHTML.slice(0, 3000), \
                 !!navigator.serviceWorker.controller]",
                vec![]
            )
            .await
        ),
    }
}

/// Waits for the element (at most 30 s) and clicks it.
pub(crate) async fn click(c: &Client, css: &str) {
    element(c, css, 30).await.click().await.unwrap();
}

pub(crate) async fn fill(c: &Client, css: &str, value: &str) {
    let e = element(c, css, 20).await;
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// Saves a screenshot when `GRIDWORK_SCREENSHOTS` names a directory (for the README).
pub(crate) async fn shot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("GRIDWORK_SCREENSHOTS") {
        let png = c.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

pub(crate) async fn login(c: &Client, site: &str, username: &str) {
    c.goto(&format!("{site}/login")).await.unwrap();
    shot(c, "login").await;
    sign_in(c, username).await;
}

/// Signs in as `username` on the login screen in front of the browser.
pub(crate) async fn sign_in(c: &Client, username: &str) {
    fill(c, "input[name=username]", username).await;
    fill(
        c,
        "input[name=password]",
        gridwork_server::tools::demo::PASSWORD,
    )
    .await;
    click(c, "button[type=submit]").await;
}

/// Waits for worker1's home screen to list its incidents: the first pull is in.
pub(crate) async fn first_pull(c: &Client) {
    until(
        "the worker's incidents after the first pull",
        60,
        || async {
            text_of(c, "[data-testid=incidents]")
                .await
                .contains("小区门口垃圾堆积")
        },
    )
    .await;
}

/// Waits for the service worker to control the page: the app is on the phone.
pub(crate) async fn service_worker_controls(c: &Client) {
    until("the service worker controls the page", 60, || async {
        c.execute(
            "return !!(navigator.serviceWorker && navigator.serviceWorker.controller)",
            vec![],
        )
        .await
        .map(|v| v == json!(true))
        .unwrap_or(false)
    })
    .await;
}

/// The demo district served with the web client behind a switchable proxy, and a browser.
pub(crate) async fn start() -> (TestApp, Proxy, String, Browser) {
    let app = TestApp::spawn_with_web(Engine::Sqlite).await;
    let state = app.state.clone();
    app.with_db(move |c| {
        gridwork_server::tools::demo::seed(&state, c)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap();
    let port: u16 = app.base.rsplit(':').next().unwrap().parse().unwrap();
    let proxy = Proxy::start(port).await;
    let site = format!("http://127.0.0.1:{}", proxy.port);
    (app, proxy, site, browser().await)
}

/// The `items` of the list the API answers `token` at `path` (none when it answers none).
pub(crate) async fn items(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    app.get(path, token).await.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The incidents titled `title` the server holds, as `token` sees them.
pub(crate) async fn api_incidents(app: &TestApp, token: &str, title: &str) -> Vec<Value> {
    items(app, token, "/api/v1/incidents?limit=500")
        .await
        .into_iter()
        .filter(|i| i["title"] == title)
        .collect()
}

/// The user `username` as the API lists it to `token`.
pub(crate) async fn user(app: &TestApp, token: &str, username: &str) -> Value {
    app.get("/api/v1/users?limit=500", token).await.ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()
        .clone()
}

/// A point well inside the demo cell `code`, as (lon, lat).
pub(crate) fn inside(code: &str) -> (f64, f64) {
    use geo::InteriorPoint;
    let p = gridwork_server::tools::demo::demo_cells()
        .into_iter()
        .find(|c| c.code == code)
        .unwrap()
        .shape
        .interior_point()
        .unwrap();
    (p.x(), p.y())
}

/// Waits for the grid map to be drawn with `n` cells.
pub(crate) async fn map_drawn(c: &Client, n: usize) {
    until("the map drawn with the town's cells", 60, || async {
        attr(c, "#map", "data-cells").await.as_deref() == Some(&n.to_string())
    })
    .await;
}

/// Chooses the report form's first category once the phone has the categories (the picker
/// starts on "choose…").
pub(crate) async fn choose_category(c: &Client) {
    until("the categories on the phone", 30, || async {
        c.find(Locator::Css("select[name=category] option[value='0101']"))
            .await
            .is_ok()
    })
    .await;
    let select = c.find(Locator::Css("select[name=category]")).await.unwrap();
    select.select_by_value("0101").await.unwrap();
}

/// Picks a photo (a JPEG with EXIF) in the form's photo field and waits until the browser
/// has compressed it.
pub(crate) async fn attach_photo(c: &Client) {
    attach_jpeg(c, &gridwork_tests::fixtures::jpeg_with_exif()).await;
}

/// Picks the JPEG `jpeg` in the form's photo field and waits until the browser has
/// compressed it.
pub(crate) async fn attach_jpeg(c: &Client, jpeg: &[u8]) {
    attach_jpeg_to(c, "photo", jpeg).await;
}

/// Picks the JPEG `jpeg` in the photo field named `name` and waits until the browser has
/// compressed it.
pub(crate) async fn attach_jpeg_to(c: &Client, name: &str, jpeg: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.jpg");
    std::fs::write(&path, jpeg).unwrap();
    c.find(Locator::Css(&format!("input[name={name}]")))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    until("the photo compressed", 30, || async {
        text_of(c, &format!("[data-testid={name}]"))
            .await
            .contains("KB")
    })
    .await;
}

/// Waits for the login screen (after a logout).
pub(crate) async fn login_screen(c: &Client) {
    until("the login screen", 30, || async {
        c.find(Locator::Css("input[name=username]")).await.is_ok()
    })
    .await;
}

/// The records the phone keeps for `user_id` (its IndexedDB database), as stored.
pub(crate) async fn records_held(c: &Client, user_id: &Value) -> Vec<String> {
    let held = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const req = indexedDB.open('gridwork-' + arguments[0]);
             req.onsuccess = () => {
               const tx = req.result.transaction('records', 'readonly');
               const all = tx.objectStore('records').getAll();
               all.onsuccess = () => done(all.result);
             };
             req.onerror = () => done(null);",
            vec![user_id.clone()],
        )
        .await
        .unwrap();
    held.as_array()
        .expect("the phone's database opens")
        .iter()
        .map(|r| r.as_str().unwrap_or_default().to_string())
        .collect()
}

/// A Chrome DevTools command through ChromeDriver (`goog/cdp/execute`): network and CPU
/// throttling, geolocation.
#[derive(Debug)]
pub(crate) struct Cdp(pub(crate) &'static str, pub(crate) Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.0, "params": self.1});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The phone's GPS, emulated: `site` may locate the phone, which is at (`lon`, `lat`) with
/// a fix `accuracy` metres wide.
pub(crate) async fn gps(c: &Client, site: &str, lon: f64, lat: f64, accuracy: f64) {
    for (cmd, params) in [
        (
            "Browser.grantPermissions",
            json!({"origin": site, "permissions": ["geolocation"]}),
        ),
        (
            "Emulation.setGeolocationOverride",
            json!({"latitude": lat, "longitude": lon, "accuracy": accuracy}),
        ),
    ] {
        c.issue_cmd(Cdp(cmd, params)).await.unwrap();
    }
}

/// Waits until the form's position component holds a place; answers its status line.
pub(crate) async fn position_taken(c: &Client) -> String {
    until("a position in the form", 30, || async {
        attr(c, "[data-testid=position]", "data-fix")
            .await
            .is_some()
    })
    .await;
    text_of(c, "[data-testid=position-status]").await
}

/// Chooses `value` in the select `css`.
pub(crate) async fn choose(c: &Client, css: &str, value: &str) {
    element(c, css, 30)
        .await
        .select_by_value(value)
        .await
        .unwrap();
}

/// Chooses `value` in the select `css` once the select offers it.
pub(crate) async fn choose_offered(c: &Client, css: &str, value: &str) {
    element(c, &format!("{css} option[value='{value}']"), 30).await;
    choose(c, css, value).await;
}

/// The server back (`proxy` on): a sync round, the one refusal named below the top bar, then
/// the outbox showing it (its row naming `what`) with the reason, in Chinese, that the place
/// is outside every cell.
pub(crate) async fn refused_outside_grid(c: &Client, site: &str, proxy: &Proxy, what: &str) {
    proxy.set(true);
    click(c, "[data-testid=pending]").await;
    until("the refusal named below the top bar", 60, || async {
        text_of(c, "[data-testid=refused-link]")
            .await
            .starts_with("1 ")
    })
    .await;
    c.goto(&format!("{site}/outbox")).await.unwrap();
    until("the refused record with its reason", 30, || async {
        let t = text_of(c, "[data-testid=refused]").await;
        t.contains(what) && t.contains("该位置不在任何网格内")
    })
    .await;
}

/// Waits until the phone has nothing left to send or fix.
pub(crate) async fn all_sent(c: &Client) {
    until("nothing left to send or fix", 60, || async {
        text_of(c, "[data-testid=pending]").await.contains(" 0")
            && c.find(Locator::Css("[data-testid=refused-link]"))
                .await
                .is_err()
    })
    .await;
}

/// Logs `username` in and waits until the top bar names it.
pub(crate) async fn log_in(c: &Client, site: &str, username: &str) {
    login(c, site, username).await;
    until("signed in", 60, || async {
        !text_of(c, "header .who").await.trim().is_empty()
    })
    .await;
}

/// Logs out once nothing is left to send, and logs `username` in.
pub(crate) async fn switch_to(c: &Client, site: &str, username: &str) {
    all_sent(c).await;
    click(c, "[data-testid=logout]").await;
    login_screen(c).await;
    log_in(c, site, username).await;
}

/// Lets the browser save downloads into `dir`, as a person's browser saves them.
pub(crate) async fn downloads_into(c: &Client, dir: &std::path::Path) {
    let params = json!({"behavior": "allow", "downloadPath": dir});
    if c.issue_cmd(Cdp("Browser.setDownloadBehavior", params.clone()))
        .await
        .is_err()
    {
        c.issue_cmd(Cdp("Page.setDownloadBehavior", params))
            .await
            .unwrap();
    }
}

/// Waits for a finished download whose name ends with `ext`; answers its name and bytes.
pub(crate) async fn downloaded(dir: &std::path::Path, ext: &str) -> (String, Vec<u8>) {
    let find = || {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(ext))
    };
    until(&format!("a downloaded {ext} file"), 30, || async {
        find().is_some()
    })
    .await;
    let path = find().unwrap();
    (
        path.file_name().unwrap().to_string_lossy().to_string(),
        std::fs::read(&path).unwrap(),
    )
}
