//! A CouchDB server over `fetch`: the database calls sync needs (`_bulk_docs`, one document,
//! `_changes`), signing in with the `_session` cookie (the password goes to the server and
//! nowhere else), and the connection check that names what is wrong. Requests carry the
//! cookie (`credentials: include`) and are aborted after a timeout.

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::sync::{Config, Failure, Problem};
use crate::io::server::Couch;

/// How long a request may take before it is abandoned (a stalled server must not hang sync).
pub const TIMEOUT_MS: i32 = 30_000;

/// A body to send: content type and text.
type Body<'a> = Option<(&'a str, String)>;

/// An HTTP answer: status and body text.
struct Answer {
    status: u16,
    text: String,
}

async fn request(method: &str, url: &str, body: Body<'_>, timeout_ms: i32) -> Result<Answer, Failure> {
    let window = web_sys::window().ok_or(Failure::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::Include);
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_cache(web_sys::RequestCache::NoStore);
    let headers = web_sys::Headers::new().map_err(|_| Failure::Network)?;
    let _ = headers.set("Accept", "application/json");
    if let Some((content_type, text)) = body {
        let _ = headers.set("Content-Type", content_type);
        init.set_body(&JsValue::from_str(&text));
    }
    init.set_headers(&headers);
    let controller = web_sys::AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let abort = controller.clone().map(|c| Closure::once_into_js(move || c.abort()));
    let timer = abort.as_ref().and_then(|f| {
        window.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), timeout_ms).ok()
    });
    let aborted = || controller.as_ref().is_some_and(|c| c.signal().aborted());
    let result = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    let resp: web_sys::Response = match result {
        Ok(r) => r.dyn_into().map_err(|_| Failure::Network)?,
        Err(_) => {
            clear(timer);
            return Err(if aborted() { Failure::Timeout } else { Failure::Network });
        }
    };
    let status = resp.status();
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    clear(timer);
    match text {
        Ok(t) => Ok(Answer { status, text: t.as_string().unwrap_or_default() }),
        Err(_) if aborted() => Err(Failure::Timeout),
        // The connection broke in the middle of the body.
        Err(_) => Err(Failure::BadBody),
    }
}

fn clear(timer: Option<i32>) {
    if let (Some(w), Some(t)) = (web_sys::window(), timer) {
        w.clear_timeout_with_handle(t);
    }
}

fn json(a: &Answer) -> Result<Value, Failure> {
    serde_json::from_str(&a.text).map_err(|_| Failure::BadBody)
}

/// `encodeURIComponent`.
fn enc(s: &str) -> String {
    js_sys::encode_uri_component(s).as_string().unwrap_or_default()
}

/// One database of one server.
pub struct HttpCouch {
    db_url: String,
}

impl HttpCouch {
    pub fn new(config: &Config) -> HttpCouch {
        HttpCouch { db_url: absolute(&config.db_url()) }
    }
}

/// A relative server address (`/couch/`, `couch/`) is resolved against the page, so the app
/// works under any sub-path.
pub fn absolute(url: &str) -> String {
    let base = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    web_sys::Url::new_with_base(url, &base).map(|u| u.href()).unwrap_or_else(|_| url.to_string())
}

impl Couch for HttpCouch {
    async fn bulk_docs(&self, docs: &[Value]) -> Result<Value, Failure> {
        let body = serde_json::json!({ "docs": docs }).to_string();
        let url = format!("{}/_bulk_docs", self.db_url);
        let a = request("POST", &url, Some(("application/json", body)), TIMEOUT_MS).await?;
        // 201, and 202 (stored on fewer copies than the cluster's quorum): rows either way.
        if let Some(f) = Failure::from_status(a.status) {
            return Err(f);
        }
        json(&a)
    }

    async fn marker(&self) -> Result<Option<Value>, Failure> {
        get_json(&format!("{}/{}", self.db_url, crate::domain::sync::MARKER_ID)).await
    }

    async fn put_marker(&self, doc: &Value) -> Result<(), Failure> {
        let url = format!("{}/{}", self.db_url, crate::domain::sync::MARKER_ID);
        let a = request("PUT", &url, Some(("application/json", doc.to_string())), TIMEOUT_MS).await?;
        match Failure::from_status(a.status) {
            Some(f) => Err(f),
            None => Ok(()),
        }
    }

    async fn get(&self, doc_id: &str) -> Result<Option<Value>, Failure> {
        get_json(&format!("{}/{}?conflicts=true", self.db_url, enc(doc_id))).await
    }

    async fn get_rev(&self, doc_id: &str, rev: &str) -> Result<Option<Value>, Failure> {
        get_json(&format!("{}/{}?rev={}", self.db_url, enc(doc_id), enc(rev))).await
    }

    async fn changes(&self, since: &Value, limit: u32) -> Result<String, Failure> {
        // The sequence goes back exactly as the server gave it (opaque on CouchDB 3).
        let since = match since {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let url = format!(
            "{}/_changes?since={}&limit={limit}&include_docs=true&conflicts=true&style=all_docs&seq_interval={limit}",
            self.db_url,
            enc(&since)
        );
        let a = request("GET", &url, None, TIMEOUT_MS).await?;
        if let Some(f) = Failure::from_status(a.status) {
            return Err(f);
        }
        Ok(a.text)
    }
}

/// A document, or `None` when the server has none (404).
async fn get_json(url: &str) -> Result<Option<Value>, Failure> {
    let a = request("GET", url, None, TIMEOUT_MS).await?;
    if a.status == 404 {
        return Ok(None);
    }
    if let Some(f) = Failure::from_status(a.status) {
        return Err(f);
    }
    json(&a).map(Some)
}

/// `account`'s entry in the province's signer list (`{db}/_design/guard`'s `signers`), if the
/// server has one. `Err` when it cannot be read now (the last one known is kept then).
pub async fn listed_signer(
    config: &Config,
    account: &str,
) -> Result<Option<crate::domain::assessment::Person>, Failure> {
    let design = get_json(&format!("{}/_design/guard", config.db_url())).await?;
    Ok(design.and_then(|d| crate::domain::sync::listed_signer(&d, account)))
}

fn session_url(server: &str) -> String {
    format!("{}/_session", absolute(server).trim_end_matches('/'))
}

/// The name the browser's session cookie signs in as (`None`: anonymous).
pub async fn session_name(server: &str) -> Result<Option<String>, Problem> {
    let a = request("GET", &session_url(server), None, 10_000).await.map_err(|f| problem(&f))?;
    if let Some(f) = Failure::from_status(a.status) {
        return Err(problem(&f));
    }
    let v: Value = serde_json::from_str(&a.text).map_err(|_| Problem::NotCouchDb)?;
    Ok(v.pointer("/userCtx/name").and_then(Value::as_str).map(String::from))
}

/// Signs in with `_session` (a form body: no preflight); the password is sent once and never
/// kept. Then confirms the cookie works: a browser that refuses it is named.
pub async fn sign_in(server: &str, name: &str, password: &str) -> Result<String, Problem> {
    let body = format!("name={}&password={}", enc(name), enc(password));
    let a = request("POST", &session_url(server), Some(("application/x-www-form-urlencoded", body)), 15_000)
        .await
        .map_err(|f| problem(&f))?;
    match a.status {
        200..=299 => {}
        401 => return Err(Problem::WrongPassword),
        // CouchDB 3.4+ locks an account after repeated failures ("Account is temporarily
        // locked due to multiple authentication failures"), checked before the password.
        403 => return Err(Problem::Locked),
        404 => return Err(Problem::NotCouchDb),
        s => return Err(Problem::Server(s)),
    }
    match session_name(server).await? {
        Some(n) => Ok(n),
        None => Err(Problem::CookiesBlocked),
    }
}

/// Signs out (the browser drops the cookie).
pub async fn sign_out(server: &str) {
    let _ = request("DELETE", &session_url(server), None, 10_000).await;
}

/// "Kiểm tra kết nối": the server answers as CouchDB, the session is signed in, and the database
/// exists and may be read. The first thing wrong is named.
pub async fn check(config: &Config) -> Result<String, Problem> {
    let root = format!("{}/", absolute(&config.server).trim_end_matches('/'));
    match request("GET", &root, None, 10_000).await {
        Ok(a) if a.status < 300 => {
            let v: Value = serde_json::from_str(&a.text).map_err(|_| Problem::NotCouchDb)?;
            if v.get("couchdb").is_none() && v.get("express-pouchdb").is_none() {
                return Err(Problem::NotCouchDb);
            }
        }
        Ok(a) if a.status == 404 => return Err(Problem::NotCouchDb),
        Ok(a) if a.status >= 500 => return Err(Problem::Server(a.status)),
        Ok(_) => {}
        Err(Failure::Timeout) => return Err(Problem::Timeout),
        Err(_) => {
            return Err(if reachable(&root).await { Problem::CorsNotEnabled } else { Problem::WrongAddress })
        }
    }
    let name = session_name(&config.server).await?.ok_or(Problem::NotSignedIn)?;
    let db = absolute(&config.db_url());
    let a = request("GET", &db, None, 10_000).await.map_err(|f| problem(&f))?;
    match a.status {
        200..=299 => Ok(name),
        401 => Err(Problem::NotSignedIn),
        403 => Err(Problem::NoPermission),
        404 => Err(Problem::NoDatabase),
        s => Err(Problem::Server(s)),
    }
}

/// Whether anything answers at `url` at all, read or not (an opaque `no-cors` answer): tells a
/// CORS refusal from a wrong address.
async fn reachable(url: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let init = web_sys::RequestInit::new();
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_cache(web_sys::RequestCache::NoStore);
    JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.is_ok()
}

fn problem(f: &Failure) -> Problem {
    match f {
        Failure::Network => Problem::WrongAddress,
        Failure::Timeout => Problem::Timeout,
        Failure::Unauthorized => Problem::NotSignedIn,
        Failure::Forbidden => Problem::NoPermission,
        Failure::NotFound => Problem::NoDatabase,
        Failure::TooLarge => Problem::Server(413),
        Failure::Server(s) => Problem::Server(*s),
        Failure::BadBody => Problem::NotCouchDb,
    }
}

/// The configured server's accounts (`io::server::Account`).
pub struct HttpAccount {
    config: Config,
}

impl HttpAccount {
    pub fn new(config: &Config) -> HttpAccount {
        HttpAccount { config: config.clone() }
    }
}

impl crate::io::server::Account for HttpAccount {
    async fn session_name(&self) -> Result<Option<String>, Problem> {
        session_name(&self.config.server).await
    }
    async fn sign_in(&self, name: &str, password: &str) -> Result<String, Problem> {
        sign_in(&self.config.server, name, password).await
    }
    async fn listed_signer(
        &self,
        account: &str,
    ) -> Result<Option<crate::domain::assessment::Person>, Failure> {
        listed_signer(&self.config, account).await
    }
}

/// One roll-up view (`_design/rollup`) of database `db` on `server`, over set `set`, grouped at
/// `level`: the answer's text and its length in bytes. A database or a design document that is not
/// there is `Failure::NotFound`.
pub async fn rollup_view(
    server: &str,
    db: &str,
    view: &str,
    set: &str,
    level: u8,
) -> Result<String, Failure> {
    let (start, end) = crate::domain::rollup::set_range(set);
    let url = format!(
        "{}/{}/{}/_view/{view}?group_level={level}&startkey={}&endkey={}",
        absolute(server).trim_end_matches('/'),
        enc(db.trim_matches('/')),
        crate::domain::rollup::DESIGN,
        enc(&start),
        enc(&end)
    );
    let a = request("GET", &url, None, TIMEOUT_MS).await?;
    if let Some(f) = Failure::from_status(a.status) {
        return Err(f);
    }
    Ok(a.text)
}
