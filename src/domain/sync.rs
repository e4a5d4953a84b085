//! Sync with CouchDB, pure: the wire document of an assessment, what this device knows of each
//! record on the server, which records to send, what each answer of `_bulk_docs` and each row
//! of `_changes` means for the copy here, the three-way merge, the checkpoint and the backoff.
//! No I/O: `state::sync` drives it over `io::couch`, and native tests drive it over a fake
//! server. The design is a plain CouchDB client (the server refuses a stale write with
//! `conflict`; the tablet that made the later edit merges), see ARCHITECTURE.md.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::domain::assessment::Assessment;
use crate::domain::json_rows::{self, RowProblem};
use crate::domain::records::{differences, keeps_signatures, reconcile, resolve, Field, Reconcile, Side};
use crate::domain::revision::{Relation, Rev};
use crate::domain::text::Lang;

/// `_id` prefix of assessment documents (the id after it is the assessment's own, so no
/// server ever assigns one and a retried create cannot make a duplicate).
pub const ASSESSMENT_PREFIX: &str = "assessment:";
/// `_id` prefix of imported framework documents (create-only on the server).
pub const FRAMEWORK_PREFIX: &str = "framework:";
/// Records sent per `_bulk_docs` at most.
pub const BATCH: usize = 50;
/// Rows asked per `_changes` page.
pub const PAGE: u32 = 100;
/// Fields of a wire document that are not part of the stored envelope.
const WIRE_ONLY: &[&str] = &[
    "_id",
    "_rev",
    "type",
    "scope",
    "sync",
    "summary",
    "_conflicts",
    "_deleted_conflicts",
    "_revisions",
    "_deleted",
];

pub fn doc_id(assessment_id: &str) -> String {
    format!("{ASSESSMENT_PREFIX}{assessment_id}")
}

/// Where sync sends to. The password is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// The server's base URL: `/couch/` behind the app's own origin, or `https://…`.
    pub server: String,
    pub db: String,
    /// The CouchDB user name last signed in (shown; the session is the browser's cookie).
    #[serde(default)]
    pub user: String,
    /// The province code written as the documents' scope (checked by the server).
    #[serde(default)]
    pub province: String,
    /// Sync by itself (every minute, and soon after an edit); off: only on "Đồng bộ ngay"
    /// (a metered connection).
    #[serde(default = "yes")]
    pub auto: bool,
    /// `user`'s entry in the province's signer list (`_design/guard`'s `signers`, written by
    /// the setup script): the name and title the server accepts on this account's signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<crate::domain::assessment::Person>,
}

impl Config {
    /// The account that signs on this device (the one last signed in), when sync is set up.
    pub fn account(&self) -> Option<&str> {
        (self.is_set() && !self.user.trim().is_empty()).then_some(self.user.as_str())
    }
}

/// `account`'s entry in the signer list of a `_design/guard` document, if it has a name.
pub fn listed_signer(design: &Value, account: &str) -> Option<crate::domain::assessment::Person> {
    let e = design.get("signers")?.get(account)?;
    let name = e.get("name")?.as_str()?.trim();
    let title = e.get("title").and_then(Value::as_str).unwrap_or("").trim();
    (!name.is_empty()).then(|| crate::domain::assessment::Person { name: name.into(), title: title.into() })
}

fn yes() -> bool {
    true
}

impl Default for Config {
    fn default() -> Config {
        Config {
            server: String::new(),
            db: String::new(),
            user: String::new(),
            province: String::new(),
            auto: true,
            signer: None,
        }
    }
}

impl Config {
    /// The database URL, without a trailing slash.
    pub fn db_url(&self) -> String {
        format!("{}/{}", self.server.trim_end_matches('/'), self.db.trim_matches('/'))
    }
    pub fn is_set(&self) -> bool {
        !self.server.trim().is_empty() && !self.db.trim().is_empty()
    }
}

/// What this device knows of one assessment on the server (stored beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DocState {
    /// The server's `_rev` of the last copy both sides had (`None`: never on the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_rev: Option<String>,
    /// The local revision of that copy: the record is unsynced while its revision differs.
    #[serde(default)]
    pub rev: Rev,
    /// The server refused this revision: it is not sent again until it is edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
    /// Deleted on the server while it was edited here: kept here until the officer decides.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted_on_server: bool,
    /// Conflicting leaves another writer left on the server, already brought here as conflict
    /// copies (each is brought once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub losers: Vec<String>,
}

/// A write the server refused, with its own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocked {
    pub rev: Rev,
    pub error: String,
    pub reason: String,
}

/// A document the server sent that this device did not take, and why: listed on the sync page
/// ("Không nhận được N hồ sơ từ máy chủ") for an administrator to act on. A later copy of the
/// same document that is taken removes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub id: String,
    pub problem: RowProblem,
    pub at: f64,
}

/// `list` with `id`'s entry set to `problem` (one entry per document, the latest reason).
pub fn note_rejected(list: &mut Vec<Rejected>, id: &str, problem: RowProblem, now: f64) {
    list.retain(|r| r.id != id);
    list.push(Rejected { id: id.to_string(), problem, at: now });
}

/// Where the last pull stopped, for one server and database. `since` is kept exactly as the
/// server gave it (CouchDB 3 sequences are opaque strings; pouchdb-server's are numbers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub server: String,
    pub db: String,
    pub since: Value,
    /// The marker of the database this checkpoint is in (its `_local` document, `identity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

/// The `_local` document that names a database: written once by the first device that syncs
/// with it; a database deleted and created again has none (or another).
pub const MARKER_ID: &str = "_local/tieuchi-db";

/// What the marker on the server says about the database this device synced with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// The same database.
    Same,
    /// First sync with a marked database (or this device's state predates markers): remember it.
    Adopt(String),
    /// An unmarked database this device has never synced with: mark it.
    Mark,
    /// Another database than the one this device synced with (another marker): start over.
    Recreated(String),
    /// The marker this device knew is gone: the database was created again. Mark it and start over.
    MarkRecreated,
}

/// Decides from the server's marker and the one kept with the checkpoint. A device that kept
/// none (its first sync, or a checkpoint from before markers) adopts or writes one without
/// starting over: nothing says the database changed.
pub fn identity(server: Option<&str>, kept: Option<&str>) -> Identity {
    match (server, kept) {
        (Some(s), Some(k)) if s == k => Identity::Same,
        (Some(s), Some(_)) => Identity::Recreated(s.to_string()),
        (Some(s), None) => Identity::Adopt(s.to_string()),
        (None, Some(_)) => Identity::MarkRecreated,
        (None, None) => Identity::Mark,
    }
}

impl Checkpoint {
    /// The checkpoint for `config`: the stored one if it is for the same server and database,
    /// else the start.
    pub fn for_config(stored: Option<Checkpoint>, config: &Config) -> Checkpoint {
        match stored {
            Some(c) if c.server == config.server && c.db == config.db => c,
            _ => Checkpoint {
                server: config.server.clone(),
                db: config.db.clone(),
                since: Value::from(0),
                marker: None,
            },
        }
    }
}

/// Whether `a` has changes the server does not have.
pub fn is_unsynced(a: &Assessment, state: Option<&DocState>) -> bool {
    state.is_none_or(|s| s.rev != a.rev)
}

/// Whether `a` is sent on the next push: unsynced, not sample data, not in conflict here (nothing of it goes
/// until the officer resolves it), not refused at this very revision, not deleted on the
/// server pending a decision, and not written by a newer release.
pub fn to_push(a: &Assessment, state: Option<&DocState>, in_conflict: bool) -> bool {
    is_unsynced(a, state)
        && !crate::domain::demo::is_demo(&a.id)
        && !in_conflict
        && a.read_only_schema().is_none()
        && state.is_none_or(|s| !s.deleted_on_server && s.blocked.as_ref().is_none_or(|b| b.rev != a.rev))
}

/// The wire document of a stored assessment: its envelope text as stored, with the CouchDB
/// `_id`, the `_rev` it replaces, its type, the province scope and the edit that wrote it.
pub fn to_doc(envelope: &str, a: &Assessment, state: Option<&DocState>, ctx: &PushContext) -> Value {
    let mut doc = match serde_json::from_str::<Value>(envelope) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    doc.insert("_id".into(), Value::from(doc_id(&a.id)));
    if let Some(rev) = state.and_then(|s| s.server_rev.as_ref()) {
        doc.insert("_rev".into(), Value::from(rev.clone()));
    }
    doc.insert("type".into(), Value::from("assessment"));
    doc.insert("scope".into(), serde_json::json!({ "province": ctx.province }));
    doc.insert(
        "sync".into(),
        serde_json::json!({ "edit_id": edit_id(&ctx.device, &a.rev), "by": ctx.user, "saved_at": ctx.now }),
    );
    // What the roll-up views count (`domain::rollup`), scored against the record's own set; a
    // record whose set this device does not hold goes without one (the views skip it).
    let fw = ctx.frameworks.iter().find(|f| f.id == a.framework_id && f.version == a.framework_version);
    if let Some(summary) = fw.map(|fw| crate::domain::rollup::summary(fw, a)) {
        doc.insert("summary".into(), serde_json::to_value(summary).unwrap_or(Value::Null));
    } else {
        doc.remove("summary");
    }
    Value::Object(doc)
}

/// Who pushes, for the `scope` and `sync` parts of a document, and the sets its `summary` is
/// scored against.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PushContext {
    pub device: String,
    pub user: String,
    pub province: String,
    pub now: f64,
    pub frameworks: Vec<std::sync::Arc<crate::domain::framework::Framework>>,
}

/// `<device>:<writes>`: names one write of a record (the revision it carries decides whether
/// a copy on the server is this write).
pub fn edit_id(device: &str, rev: &Rev) -> String {
    format!("{device}:{}", rev.count())
}

/// An assessment document read back from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerDoc {
    pub id: String,
    pub server_rev: String,
    /// The stored envelope text (what `persist::read_assessment` reads).
    pub envelope: String,
    /// Other leaves of the document on the server (conflicts made by other writers).
    pub conflicts: Vec<String>,
}

/// Reads an assessment document (`None` for other document types or design documents).
pub fn from_doc(doc: &Value) -> Option<ServerDoc> {
    let m = doc.as_object()?;
    let id = m.get("_id")?.as_str()?.strip_prefix(ASSESSMENT_PREFIX)?.to_string();
    let server_rev = m.get("_rev")?.as_str()?.to_string();
    let conflicts = m
        .get("_conflicts")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let envelope: Map<String, Value> = m
        .iter()
        .filter(|(k, _)| !WIRE_ONLY.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(ServerDoc { id, server_rev, envelope: Value::Object(envelope).to_string(), conflicts })
}

/// The wire document of an imported framework: its text as imported, created once.
pub fn framework_doc(key: &str, text: &str) -> Value {
    serde_json::json!({ "_id": format!("{FRAMEWORK_PREFIX}{key}"), "type": "framework", "text": text })
}

/// An imported framework read back from the server: (key `id@version`, text).
pub fn framework_from_doc(doc: &Value) -> Option<(String, String)> {
    let key = doc.get("_id")?.as_str()?.strip_prefix(FRAMEWORK_PREFIX)?.to_string();
    Some((key, doc.get("text")?.as_str()?.to_string()))
}

/// Why a request did not give an answer to act on. Nothing stored changes on any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: offline, wrong address, or (cross-origin) CORS not enabled.
    Network,
    /// No answer in time.
    Timeout,
    /// Not signed in, or the session expired.
    Unauthorized,
    /// Signed in, but not a member of this database.
    Forbidden,
    /// The database does not exist.
    NotFound,
    /// The request was too large for the server.
    TooLarge,
    /// The server failed (5xx) or answered something that is not what CouchDB sends.
    Server(u16),
    /// The body was cut off or is not JSON.
    BadBody,
}

impl Failure {
    pub fn from_status(status: u16) -> Option<Failure> {
        match status {
            200..=299 => None,
            401 => Some(Failure::Unauthorized),
            403 => Some(Failure::Forbidden),
            404 => Some(Failure::NotFound),
            413 => Some(Failure::TooLarge),
            s => Some(Failure::Server(s)),
        }
    }
    /// Worth trying again later by itself (the others wait for the officer).
    pub fn is_transient(&self) -> bool {
        matches!(self, Failure::Network | Failure::Timeout | Failure::Server(_) | Failure::BadBody)
    }
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            Failure::Network => if vi {
                "không kết nối được máy chủ (mất mạng, sai địa chỉ, hoặc máy chủ chưa bật CORS cho ứng dụng này)"
            } else {
                "cannot reach the server (offline, wrong address, or CORS not enabled for this app)"
            }
            .into(),
            Failure::Timeout => if vi { "máy chủ không trả lời kịp" } else { "the server did not answer in time" }.into(),
            Failure::Unauthorized => if vi {
                "chưa đăng nhập hoặc phiên đăng nhập đã hết hạn — đăng nhập lại"
            } else {
                "not signed in, or the session expired — sign in again"
            }
            .into(),
            Failure::Forbidden => if vi {
                "tài khoản không có quyền với cơ sở dữ liệu này"
            } else {
                "this account has no permission on this database"
            }
            .into(),
            Failure::NotFound => if vi { "máy chủ không có cơ sở dữ liệu này" } else { "the server has no such database" }.into(),
            Failure::TooLarge => if vi { "dữ liệu quá lớn so với giới hạn của máy chủ" } else { "too large for the server" }.into(),
            Failure::Server(s) => if vi { format!("máy chủ báo lỗi {s}") } else { format!("server error {s}") },
            Failure::BadBody => if vi {
                "câu trả lời của máy chủ bị cắt hoặc không đọc được"
            } else {
                "the server's answer was cut off or unreadable"
            }
            .into(),
        }
    }
}

/// What "Kiểm tra kết nối" and signing in can find wrong, each named plainly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing answers at that address (or the device is offline).
    WrongAddress,
    /// Something answers, but the browser may not read it: the server does not allow this
    /// app's origin (CORS).
    CorsNotEnabled,
    /// Signed in, yet the next request is anonymous: the browser did not keep the cookie.
    CookiesBlocked,
    WrongPassword,
    /// Too many failed attempts (CouchDB 3.4+), with the server's words.
    /// The server locked the account after repeated failed sign-ins (CouchDB 3.4+: 403).
    Locked,
    NotSignedIn,
    NoDatabase,
    NoPermission,
    /// It answers, but not as CouchDB does (a web page, a proxy error).
    NotCouchDb,
    Server(u16),
    Timeout,
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let s = |v: &str, e: &str| if vi { v.to_string() } else { e.to_string() };
        match self {
            Problem::WrongAddress => s(
                "không có máy chủ trả lời ở địa chỉ này (kiểm tra địa chỉ và mạng)",
                "no server answers at this address (check the address and the network)",
            ),
            Problem::CorsNotEnabled => s(
                "máy chủ có trả lời nhưng chưa cho phép ứng dụng này (CORS chưa bật cho địa chỉ của ứng dụng) — nên đặt máy chủ sau cùng địa chỉ, ví dụ /couch/",
                "the server answers but does not allow this app (CORS not enabled for its origin) — better serve it under the same origin, e.g. /couch/",
            ),
            Problem::CookiesBlocked => s(
                "trình duyệt chặn cookie đăng nhập của máy chủ (máy chủ khác tên miền) — dùng máy chủ cùng địa chỉ với ứng dụng",
                "the browser blocks the server's sign-in cookie (another site) — serve it under the app's origin",
            ),
            Problem::WrongPassword => s("sai tên đăng nhập hoặc mật khẩu", "wrong name or password"),
            Problem::Locked => s(
                "tài khoản tạm thời bị khoá do đăng nhập sai nhiều lần — chờ rồi thử lại, hoặc liên hệ quản trị viên",
                "the account is temporarily locked after repeated failed sign-ins — wait and try again, or ask the administrator",
            ),
            Problem::NotSignedIn => s("chưa đăng nhập", "not signed in"),
            Problem::NoDatabase => Failure::NotFound.message(lang),
            Problem::NoPermission => Failure::Forbidden.message(lang),
            Problem::NotCouchDb => s(
                "địa chỉ này trả lời nhưng không phải máy chủ CouchDB",
                "this address answers, but it is not a CouchDB server",
            ),
            Problem::Server(code) => Failure::Server(*code).message(lang),
            Problem::Timeout => Failure::Timeout.message(lang),
        }
    }
}

/// One row of a `_bulk_docs` answer (201 and 202 both carry rows; every row is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushRow {
    Ok {
        rev: String,
    },
    /// The `_rev` sent is not the current one (someone else wrote, or our own write whose
    /// answer was lost): fetch the server's copy and decide.
    Conflict,
    /// Refused by the server's rules (`validate_doc_update`), with its reason.
    Refused {
        error: String,
        reason: String,
    },
    /// Refused because the session is not allowed to write.
    Unauthorized {
        reason: String,
    },
}

/// Reads a `_bulk_docs` answer into (document id, row).
pub fn parse_bulk(body: &Value) -> Result<Vec<(String, PushRow)>, Failure> {
    let rows = body.as_array().ok_or(Failure::BadBody)?;
    rows.iter()
        .map(|r| {
            let id = r.get("id").and_then(Value::as_str).ok_or(Failure::BadBody)?.to_string();
            let text = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            let row = match (r.get("ok"), r.get("rev"), r.get("error").and_then(Value::as_str)) {
                (_, Some(Value::String(rev)), None) => PushRow::Ok { rev: rev.clone() },
                (_, _, Some("conflict")) => PushRow::Conflict,
                (_, _, Some("unauthorized")) => PushRow::Unauthorized { reason: text("reason") },
                (_, _, Some(e)) => PushRow::Refused { error: e.to_string(), reason: text("reason") },
                _ => return Err(Failure::BadBody),
            };
            Ok((id, row))
        })
        .collect()
}

/// What to do when the server said `conflict` to our write of `pushed` and its own copy is
/// `server`. `base` is the last copy both sides had, when kept.
#[derive(Debug, Clone, PartialEq)]
pub enum OnConflict {
    /// The server's copy is our write (its answer was lost): take its `_rev`, nothing else.
    Ours,
    /// The server's copy already has everything here: store it here.
    TakeServer,
    /// The copy here has everything the server's has: send it again over the server's `_rev`.
    SendAgain,
    /// Both changed, on different fields: the merged record (a revision after both), sent next.
    Merged(Box<Assessment>),
    /// Both changed the same fields: the officer decides (the server's copy is kept beside).
    Ask(Vec<Field>),
}

/// Decides between the copy here and the server's copy of the same record.
pub fn on_conflict(
    here: &Assessment,
    server: &Assessment,
    base: Option<&Assessment>,
    device: &str,
    now: f64,
) -> OnConflict {
    if server.rev == here.rev && server.same_content(here) {
        return OnConflict::Ours;
    }
    // The same content under revisions made apart (two devices wrote the same thing): one
    // revision after both, so the two devices stop sending it to each other.
    if server.same_content(here) && server.rev.relation(&here.rev) == Relation::Diverged {
        return OnConflict::Merged(Box::new(resolve(here, server, &Default::default(), device, now)));
    }
    match reconcile(here, server) {
        Reconcile::Same => OnConflict::Ours,
        Reconcile::KeepHere => OnConflict::SendAgain,
        Reconcile::TakeIncoming => OnConflict::TakeServer,
        Reconcile::Conflict => match merge3(base, here, server, device, now) {
            Ok(m) => OnConflict::Merged(Box::new(m)),
            Err(fields) => OnConflict::Ask(fields),
        },
    }
}

/// The three-way merge: a field changed on one side only since `base` is taken from that
/// side; a field both changed to different values is asked (`Err`). Without a base every
/// differing field is asked. The audit trail is the union of both; a stage both moved is
/// always asked, never picked.
pub fn merge3(
    base: Option<&Assessment>,
    here: &Assessment,
    theirs: &Assessment,
    device: &str,
    now: f64,
) -> Result<Assessment, Vec<Field>> {
    let (choices, ask) = split(base, here, theirs);
    if !ask.is_empty() {
        return Err(ask);
    }
    let merged = resolve(here, theirs, &choices, device, now);
    // Two trails that together prove no stage (steps taken apart from the same stage) are the
    // officer's call, never sent.
    if merged.workflow.verify().is_err() {
        return Err(vec![Field::Workflow]);
    }
    Ok(merged)
}

/// The fields two copies differ in, split into those decided by the base (changed on one side
/// only: that side) and those to ask (changed on both, or no base to tell).
pub fn split(
    base: Option<&Assessment>,
    here: &Assessment,
    theirs: &Assessment,
) -> (std::collections::BTreeMap<Field, Side>, Vec<Field>) {
    let mut choices = std::collections::BTreeMap::new();
    let Some(base) = base else { return (choices, differences(here, theirs)) };
    let changed_here = differences(base, here);
    let changed_theirs = differences(base, theirs);
    let mut ask = Vec::new();
    for f in differences(here, theirs) {
        match (changed_here.contains(&f), changed_theirs.contains(&f)) {
            (true, true) => ask.push(f),
            (false, true) => {
                choices.insert(f, Side::Theirs);
            }
            _ => {
                choices.insert(f, Side::Here);
            }
        }
    }
    // The stage: moved on one side only → that side's workflow (with both trails); moved on
    // both → asked. `differences` lists the workflow only when the trails diverge.
    let moved = |a: &Assessment| a.workflow.stage != base.workflow.stage;
    if moved(here) && moved(theirs) && here.workflow.stage != theirs.workflow.stage {
        if !ask.contains(&Field::Workflow) {
            ask.push(Field::Workflow);
        }
    } else if !keeps_signatures(&here.workflow, &theirs.workflow)
        && !keeps_signatures(&theirs.workflow, &here.workflow)
    {
        let side = if moved(theirs) && !moved(here) { Side::Theirs } else { Side::Here };
        ask.retain(|f| *f != Field::Workflow);
        choices.insert(Field::Workflow, side);
    }
    // A signed stage freezes the answers: what one side changed is not taken while the other
    // side's stage no longer lets answers change (a tablet's offline edit of a dossier the
    // province has since signed). The officer sees it; it is never sent over the signature.
    let frozen_on = |side: Side| match side {
        Side::Here => !theirs.workflow.stage.answers_editable(),
        Side::Theirs => !here.workflow.stage.answers_editable(),
    };
    let held: Vec<Field> = choices
        .iter()
        .filter(|(f, side)| **f != Field::Workflow && frozen_on(**side))
        .map(|(f, _)| f.clone())
        .collect();
    for f in held {
        choices.remove(&f);
        ask.push(f);
    }
    ask.sort();
    (choices, ask)
}

/// What a pulled copy means for the record here.
#[derive(Debug, Clone, PartialEq)]
pub enum OnPull {
    /// Not here, or here unchanged since the last sync and behind the server: store it.
    Store,
    /// Already here (the same revision): only remember the server's `_rev`.
    Known,
    /// The copy here is newer (it will be sent): remember the server's `_rev` only if it is
    /// the copy both had.
    Keep,
    /// Both changed since they parted: merge or ask, as `on_conflict` says.
    Diverged,
}

/// Decides about a pulled copy `server` of a record held `here` (if any).
pub fn on_pull(here: Option<&Assessment>, server: &Assessment) -> OnPull {
    let Some(here) = here else { return OnPull::Store };
    if here.rev == server.rev && here.same_content(server) {
        return OnPull::Known;
    }
    if server.same_content(here) && server.rev.relation(&here.rev) == Relation::Diverged {
        return OnPull::Diverged;
    }
    match reconcile(here, server) {
        Reconcile::Same => OnPull::Known,
        Reconcile::TakeIncoming => OnPull::Store,
        Reconcile::KeepHere => OnPull::Keep,
        // Both changed (or, unchanged here yet not an ancestor of the server's copy: two copies
        // made apart before revisions): merged, or the officer's call.
        Reconcile::Conflict => OnPull::Diverged,
    }
}

/// A `_changes` page: its rows in order, each readable or set aside with why.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangesPage {
    pub rows: Vec<PageRow>,
    pub last_seq: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub seq: Value,
    pub id: String,
    pub deleted: bool,
    pub doc: Option<Value>,
}

/// One row of a page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageRow {
    Row(ChangeRow),
    /// Not taken: its id and seq as far as they can be read (`"?"`, null otherwise), and why.
    SetAside {
        id: String,
        seq: Value,
        problem: RowProblem,
    },
}

impl PageRow {
    pub fn seq(&self) -> &Value {
        match self {
            PageRow::Row(r) => &r.seq,
            PageRow::SetAside { seq, .. } => seq,
        }
    }
}

/// Reads a `_changes` answer row by row (see `json_rows`): one row that cannot be read is set
/// aside, never the page; only an answer that is not a page at all is `BadBody`.
pub fn parse_changes(text: &str) -> Result<ChangesPage, Failure> {
    let raw = json_rows::split_changes(text).map_err(|_| Failure::BadBody)?;
    let rows = raw
        .rows
        .iter()
        .map(|row| {
            let set_aside = |problem: RowProblem| {
                let (id, seq) = json_rows::row_id_seq(row);
                PageRow::SetAside {
                    id: id.unwrap_or_else(|| "?".into()),
                    seq: seq.unwrap_or(Value::Null),
                    problem,
                }
            };
            let v = match json_rows::parse_row(row) {
                Ok(v) => v,
                Err(p) => return set_aside(p),
            };
            match (v.get("seq"), v.get("id").and_then(Value::as_str)) {
                (Some(seq), Some(id)) => PageRow::Row(ChangeRow {
                    seq: seq.clone(),
                    id: id.to_string(),
                    deleted: v.get("deleted").and_then(Value::as_bool).unwrap_or(false),
                    doc: v.get("doc").cloned(),
                }),
                _ => set_aside(RowProblem::WrongShape),
            }
        })
        .collect();
    Ok(ChangesPage { rows, last_seq: raw.last_seq })
}

/// Where the checkpoint stands after applying the first `applied` rows of `page` (all of them:
/// the page's `last_seq`; some: the last applied row's seq; none: where it was). It never
/// passes a change that was not stored.
pub fn checkpoint_after(page: &ChangesPage, applied: usize, since: &Value) -> Value {
    if applied >= page.rows.len() {
        return page.last_seq.clone();
    }
    page.rows[..applied].iter().rev().map(PageRow::seq).find(|s| !s.is_null()).unwrap_or(since).clone()
}

/// The wait before the next try after `failures` transient failures in a row: 1, 2, 4 … s,
/// at most 5 minutes, scaled by `jitter` in [0, 1) to between half and all of it (so a whole
/// province's tablets do not retry in step).
pub fn backoff_ms(failures: u32, jitter: f64) -> f64 {
    if failures == 0 {
        return 0.0;
    }
    let full = (1000.0 * 2f64.powi(failures.saturating_sub(1).min(20) as i32)).min(300_000.0);
    full * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Days since the oldest unsynced edit, for the warning that a browser may clear the site's
/// storage after a week without use.
pub fn oldest_unsynced_days(unsynced_updated_at: impl Iterator<Item = f64>, now: f64) -> Option<f64> {
    unsynced_updated_at
        .map(|t| (now - t) / 86_400_000.0)
        .fold(None, |m, d| Some(m.map_or(d, |m: f64| m.max(d))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_reason_is_shown_in_the_language_of_the_page() {
        use crate::domain::text::in_lang;
        let r = "Xã “A” thuộc “Tỉnh An Giang” (QĐ 51/2025) / Commune “A” is in “Tỉnh An Giang”";
        assert_eq!(in_lang(r, Lang::Vi), "Xã “A” thuộc “Tỉnh An Giang” (QĐ 51/2025)");
        assert_eq!(in_lang(r, Lang::En), "Commune “A” is in “Tỉnh An Giang”");
        assert_eq!(in_lang("Document update conflict.", Lang::Vi), "Document update conflict.");
        let kept = crate::domain::text::in_lang(
            "Hồ sơ không hợp lệ: các bước ký không khớp — x / Invalid dossier: the signed steps do not match — y",
            Lang::En,
        );
        assert_eq!(kept, "Invalid dossier: the signed steps do not match — y");
    }

    #[test]
    fn backoff_grows_caps_and_jitters() {
        assert_eq!(backoff_ms(0, 0.3), 0.0);
        assert_eq!(backoff_ms(1, 1.0), 1000.0);
        assert_eq!(backoff_ms(2, 1.0), 2000.0);
        assert_eq!(backoff_ms(4, 1.0), 8000.0);
        assert_eq!(backoff_ms(30, 1.0), 300_000.0);
        assert_eq!(backoff_ms(3, 0.0), 2000.0, "half of 4 s at the lowest jitter");
    }

    #[test]
    fn the_oldest_unsynced_edit_is_counted_in_days() {
        let day = 86_400_000.0;
        assert_eq!(oldest_unsynced_days([10.0 * day, 7.0 * day].into_iter(), 12.0 * day), Some(5.0));
        assert_eq!(oldest_unsynced_days(std::iter::empty(), 12.0 * day), None);
    }

    #[test]
    fn bulk_rows_are_read_one_by_one() {
        let body = serde_json::json!([
            {"ok": true, "id": "assessment:a", "rev": "2-x"},
            {"id": "assessment:b", "error": "conflict", "reason": "Document update conflict."},
            {"id": "assessment:c", "error": "forbidden", "reason": "sai tỉnh / wrong province"},
            {"id": "assessment:d", "error": "unauthorized", "reason": "no"},
        ]);
        let rows = parse_bulk(&body).expect("rows");
        assert_eq!(rows[0], ("assessment:a".into(), PushRow::Ok { rev: "2-x".into() }));
        assert_eq!(rows[1].1, PushRow::Conflict);
        assert_eq!(
            rows[2].1,
            PushRow::Refused { error: "forbidden".into(), reason: "sai tỉnh / wrong province".into() }
        );
        assert!(matches!(rows[3].1, PushRow::Unauthorized { .. }));
        assert_eq!(parse_bulk(&serde_json::json!({"results": []})), Err(Failure::BadBody));
    }

    #[test]
    fn checkpoint_never_passes_an_unstored_change() {
        let page = ChangesPage {
            rows: (1..=3)
                .map(|i| {
                    PageRow::Row(ChangeRow {
                        seq: Value::from(format!("{i}-g1A")),
                        id: format!("d{i}"),
                        deleted: false,
                        doc: None,
                    })
                })
                .collect(),
            last_seq: Value::from("3-g1A"),
        };
        let since = Value::from("0-g1A");
        assert_eq!(checkpoint_after(&page, 3, &since), Value::from("3-g1A"));
        assert_eq!(checkpoint_after(&page, 2, &since), Value::from("2-g1A"));
        assert_eq!(checkpoint_after(&page, 0, &since), since);
    }
}
