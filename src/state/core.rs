//! The app's state as plain data, and the rules that change it — editing, saving, the trash,
//! conflicts, signing, restore, the one-writer seat — over the storage trait and a clock, with
//! no signals and no browser: compiled and tested natively. `AppState` keeps one `Core` and one
//! change trigger per [`Part`]; each action runs a method here, then wakes the parts it changed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::domain::answer::RawAnswer;
use crate::domain::assessment::{Assessment, Commune, Entry, Person};
use crate::domain::backup::{parse_backup, plan_restore, Backup, RestorePlan};
use crate::domain::framework::{bundled, load_str_accepted, Framework};
use crate::domain::geography::UnitList;
use crate::domain::persist;
use crate::domain::records::{Field, Side};
use crate::domain::score::{self, evaluate, Verdict};
use crate::domain::signers::KnownSigners;
use crate::domain::sync::Config;
use crate::domain::text::Lang;
use crate::domain::workflow::{RecognitionDecision, Role, Step, Workflow, WorkflowError};
use crate::io::clock::Clock;
use crate::io::kv::{KeyValue, StorageError};
use crate::state::records::{self, Quarantined, RestoreReport};
use crate::state::seat::{OnGranted, OnOpen, Seat};
use crate::state::session::{self, SaveStatus};
use crate::state::{ActionError, Route};

/// `blocked_by` while the record's lock is being asked for: read-only, no banner yet.
pub const CHECKING: &str = "";
/// `blocked_by` when another tab holds the lock.
pub const OTHER_TAB: &str = "other";

/// The parts of the state a page can watch; an action wakes only those it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Lang,
    Signer,
    Route,
    Frameworks,
    Assessments,
    Units,
    Save,
    Quarantine,
    Trash,
    Conflicts,
    StaleFrameworks,
    UnsavedExported,
    ReloadRefused,
    Editing,
    BlockedBy,
    StoreReady,
    StoreFailed,
    Online,
    UpdateReady,
}

/// How many parts there are.
pub const PARTS: usize = 19;

/// The parts an action changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changed(u32);

impl Changed {
    pub fn has(self, p: Part) -> bool {
        self.has_index(p as usize)
    }
    /// Whether the part numbered `i` (its place in [`Part`]) changed.
    pub fn has_index(self, i: usize) -> bool {
        i < PARTS && self.0 & (1 << i) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// What an action reads and writes besides the state: storage and the clock.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub kv: &'a dyn KeyValue,
    pub clock: &'a dyn Clock,
}

/// What is kept across visits on this tablet (never a password).
#[derive(serde::Serialize, serde::Deserialize, Default)]
pub struct Settings {
    #[serde(default)]
    pub lang: Lang,
    /// The person who signs workflow steps and reviews on this tablet (remembered).
    #[serde(default)]
    pub signer: Person,
    /// Where the person was when the app was last hidden, to return there on reopening.
    #[serde(default)]
    pub last_path: Option<String>,
    #[serde(default)]
    pub last_scroll: f64,
    /// The first-start welcome was dismissed on this device (it is not shown again).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub welcomed: bool,
}

/// The settings stored here (the defaults if none or unreadable).
pub fn read_settings(kv: &dyn KeyValue) -> Settings {
    kv.get(persist::SETTINGS_KEY)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// The signers remembered on this device (`persist::SIGNERS_KEY`; none when missing or
/// unreadable).
fn read_known_signers(kv: &dyn KeyValue) -> KnownSigners {
    kv.get(persist::SIGNERS_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// The sync settings stored here (the defaults if none or unreadable).
pub fn read_sync_config(kv: &dyn KeyValue) -> Config {
    kv.get(persist::SYNC_CONFIG_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Who signs workflow steps on this device: the account last signed in (written on every step,
/// the server checks it), and the name and title the province's list gives that account.
pub fn signing_identity(kv: &dyn KeyValue) -> (Option<String>, Option<Person>) {
    let config = read_sync_config(kv);
    let account = config.account().map(String::from);
    let listed = account.as_ref().and(config.signer);
    (account, listed)
}

/// How many of the framework's recognition conditions the workflow `w` has not confirmed.
pub fn open_conditions(fw: &Framework, w: &Workflow) -> usize {
    fw.conditions.iter().filter(|c| !w.conditions.contains(&c.id)).count()
}

/// A commune name as part of a file name ("Xã Vĩnh Thanh" → "Xã-Vĩnh-Thanh").
pub fn file_part(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Compares a backup file with what is stored, record by record.
pub fn plan(kv: &dyn KeyValue, text: &str, lang: Lang) -> Result<RestorePlan, String> {
    let records = parse_backup(text).map_err(|e| e.message(lang))?;
    Ok(plan_restore(records, &|key| kv.get(key).ok().flatten()))
}

/// One line of the home page's list of assessments.
#[derive(Clone, PartialEq)]
pub struct HomeRow {
    pub id: String,
    pub title: String,
    pub province: String,
    pub verdict: Verdict,
    /// A verdict resting on a value not from the official text, or on a provisional set: never
    /// shown as a bare "Đạt" (as on the assessment page).
    pub provisional: bool,
    /// Criteria met out of all, or "—" when the framework is not on this tablet (or not read
    /// yet: the bundled sets other than the default are read when first needed).
    pub criteria: String,
    pub set_missing: bool,
    pub stage: crate::domain::workflow::Stage,
}

/// What the "new assessment" form collects.
pub struct NewAssessment {
    pub framework: Arc<Framework>,
    pub commune: Commune,
    pub round: u16,
    pub dimension_value: String,
    pub assessors: Vec<Person>,
    /// The date of assessment (YYYY-MM-DD).
    pub assessed_on: String,
}

/// Where the person was when the app was last hidden (to return there on reopening).
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub path: String,
    pub scroll: f64,
}

/// The state of one tab.
pub struct Core {
    lang: Lang,
    signer: Person,
    welcomed: bool,
    route: Route,
    /// Bundled and imported frameworks, every version (the bundled sets other than the default
    /// once `merge_bundled` has read them).
    frameworks: Vec<Arc<Framework>>,
    assessments: BTreeMap<String, Assessment>,
    /// Administrative unit lists: shipped and imported. Empty until `ensure_units`.
    units: Vec<UnitList>,
    units_loaded: bool,
    /// `Some(n)` until the bundled sets other than the default are read (`n`: how many bundled
    /// sets start-up read, first in `frameworks`); `None` once they are.
    bundled_later: Option<usize>,
    save: SaveStatus,
    quarantine: Vec<Quarantined>,
    /// Assessments moved to the trash, by trash key (restorable until the trash is emptied).
    trash: BTreeMap<String, Assessment>,
    /// The other copies of assessments in conflict, by assessment id: (storage key, copy).
    conflicts: BTreeMap<String, Vec<(String, Assessment)>>,
    /// Imported frameworks that today's loader would refuse: key → number of errors.
    stale_frameworks: BTreeMap<String, usize>,
    /// This browser's device id (revisions).
    device: String,
    /// Unsaved edits were exported to a file after the last edit (a reload may then proceed).
    unsaved_exported: bool,
    /// The last reload for an update was refused (edits held only in memory).
    reload_refused: bool,
    /// This tab's id (orders tabs by opening time).
    tab_id: String,
    /// The one-writer rule's bookkeeping: the record this tab shows, and whether it holds it.
    seat: Seat,
    /// Another tab edits the record shown: this tab is read-only ([`CHECKING`], [`OTHER_TAB`]).
    blocked_by: Option<String>,
    /// The stored records have been read (right after the first screen, by the store's chunk).
    store_ready: bool,
    /// The records' chunk could not be fetched (offline before the app was cached).
    store_failed: bool,
    /// Assessments were stored when the app started (home says "loading" rather than "none").
    records_at_start: bool,
    /// The app's host answers (not just `navigator.onLine`).
    online: bool,
    /// A new release is installed and waiting for the person to reload.
    update_ready: bool,
    /// Ids edited but not yet written.
    dirty: BTreeSet<String>,
    changed: Changed,
}

/// Read access, one method per part (`AppState`'s getters project through these).
impl Core {
    pub fn lang(&self) -> &Lang {
        &self.lang
    }
    pub fn signer(&self) -> &Person {
        &self.signer
    }
    pub fn route(&self) -> &Route {
        &self.route
    }
    pub fn frameworks(&self) -> &Vec<Arc<Framework>> {
        &self.frameworks
    }
    pub fn assessments(&self) -> &BTreeMap<String, Assessment> {
        &self.assessments
    }
    pub fn units(&self) -> &Vec<UnitList> {
        &self.units
    }
    pub fn save(&self) -> &SaveStatus {
        &self.save
    }
    pub fn quarantine(&self) -> &Vec<Quarantined> {
        &self.quarantine
    }
    pub fn trash(&self) -> &BTreeMap<String, Assessment> {
        &self.trash
    }
    pub fn conflicts(&self) -> &BTreeMap<String, Vec<(String, Assessment)>> {
        &self.conflicts
    }
    pub fn stale_frameworks(&self) -> &BTreeMap<String, usize> {
        &self.stale_frameworks
    }
    pub fn unsaved_exported(&self) -> &bool {
        &self.unsaved_exported
    }
    pub fn reload_refused(&self) -> &bool {
        &self.reload_refused
    }
    pub fn editing(&self) -> &Option<String> {
        self.seat.editing_slot()
    }
    pub fn blocked_by(&self) -> &Option<String> {
        &self.blocked_by
    }
    pub fn store_ready(&self) -> &bool {
        &self.store_ready
    }
    pub fn store_failed(&self) -> &bool {
        &self.store_failed
    }
    pub fn online(&self) -> &bool {
        &self.online
    }
    pub fn update_ready(&self) -> &bool {
        &self.update_ready
    }
    pub fn device(&self) -> &str {
        &self.device
    }
    pub fn tab_id(&self) -> &str {
        &self.tab_id
    }
    pub fn records_at_start(&self) -> bool {
        self.records_at_start
    }
    pub fn dirty(&self) -> &BTreeSet<String> {
        &self.dirty
    }
    pub fn seat(&self) -> &Seat {
        &self.seat
    }
    pub fn units_loaded(&self) -> bool {
        self.units_loaded
    }
    pub fn bundled_later(&self) -> Option<usize> {
        self.bundled_later
    }
    pub fn framework(&self, id: &str, version: &str) -> Option<Arc<Framework>> {
        self.frameworks.iter().find(|f| f.id == id && f.version == version).cloned()
    }
    pub fn framework_by_key(&self, key: &str) -> Option<Arc<Framework>> {
        self.frameworks.iter().find(|f| f.key() == key).cloned()
    }
}

impl Core {
    /// A tab's state at start: the settings from storage, this browser's device id (made once
    /// with `random`), the page from `hash` — or, when the URL names none, the place the person
    /// was last (returned, to scroll there). The records are read later (`load_records`).
    pub fn start(
        kv: &dyn KeyValue,
        hash: &str,
        storage_ok: bool,
        tab_id: String,
        random: impl FnOnce() -> String,
    ) -> (Core, Option<Place>) {
        let settings = read_settings(kv);
        // Reopening the app with no page in the URL returns to where the person was (an
        // explicit `#/` is the home page and stays there).
        let place = match settings.last_path {
            Some(p) if hash.is_empty() && p != "/" => Some(Place { path: p, scroll: settings.last_scroll }),
            _ => None,
        };
        let route = Route::parse(place.as_ref().map_or(hash, |p| p.path.as_str()));
        let device = records::device_id(kv, random);
        let records_at_start = kv
            .keys(persist::PREFIX)
            .unwrap_or_default()
            .iter()
            .any(|k| k.starts_with(&persist::assessment_key("")));
        let core = Core {
            lang: settings.lang,
            signer: settings.signer,
            welcomed: settings.welcomed,
            route,
            frameworks: Vec::new(),
            assessments: BTreeMap::new(),
            units: Vec::new(),
            units_loaded: false,
            bundled_later: Some(0),
            save: if storage_ok { SaveStatus::Idle } else { SaveStatus::MemoryOnly },
            quarantine: Vec::new(),
            trash: BTreeMap::new(),
            conflicts: BTreeMap::new(),
            stale_frameworks: BTreeMap::new(),
            device,
            unsaved_exported: false,
            reload_refused: false,
            tab_id,
            seat: Seat::default(),
            blocked_by: None,
            store_ready: false,
            store_failed: false,
            records_at_start,
            online: true,
            update_ready: false,
            dirty: BTreeSet::new(),
            changed: Changed::default(),
        };
        (core, place)
    }

    /// The parts changed since the last call, and forgets them.
    pub fn take_changed(&mut self) -> Changed {
        std::mem::take(&mut self.changed)
    }

    /// Marks part `p` changed (its pages are drawn again).
    pub fn touch(&mut self, p: Part) {
        self.changed.0 |= 1 << p as u32;
    }

    fn set_blocked(&mut self, b: Option<&str>) {
        if self.blocked_by.as_deref() != b {
            self.blocked_by = b.map(str::to_string);
            self.touch(Part::BlockedBy);
        }
    }

    fn set_save(&mut self, s: SaveStatus) {
        if self.save != s {
            self.save = s;
            self.touch(Part::Save);
        }
    }

    fn set_flag(&mut self, p: Part, v: bool) {
        let slot = match p {
            Part::UnsavedExported => &mut self.unsaved_exported,
            Part::ReloadRefused => &mut self.reload_refused,
            Part::StoreReady => &mut self.store_ready,
            Part::StoreFailed => &mut self.store_failed,
            Part::Online => &mut self.online,
            Part::UpdateReady => &mut self.update_ready,
            _ => return,
        };
        if *slot != v {
            *slot = v;
            self.touch(p);
        }
    }

    /// The browser's page (URL hash) changed.
    pub fn set_route(&mut self, route: Route) {
        self.route = route;
        self.touch(Part::Route);
    }

    pub fn set_online(&mut self, up: bool) {
        self.set_flag(Part::Online, up);
    }

    pub fn set_update_ready(&mut self) {
        self.set_flag(Part::UpdateReady, true);
    }

    pub fn set_store_failed(&mut self, failed: bool) {
        self.set_flag(Part::StoreFailed, failed);
    }

    /// Takes the language and signer from restored settings text (not written again); the
    /// language, if it read.
    pub fn adopt_settings(&mut self, text: &str) -> Option<Lang> {
        let s = serde_json::from_str::<Settings>(text).ok()?;
        self.lang = s.lang;
        self.signer = s.signer;
        self.touch(Part::Lang);
        self.touch(Part::Signer);
        Some(s.lang)
    }

    /// Keeps the language, the signer and the place (the page, scrolled to `scroll`).
    pub fn save_settings(&self, kv: &dyn KeyValue, scroll: f64) -> Result<(), StorageError> {
        let settings = Settings {
            lang: self.lang,
            signer: self.signer.clone(),
            last_path: Some(self.route.path()),
            last_scroll: scroll,
            welcomed: self.welcomed,
        };
        kv.set(persist::SETTINGS_KEY, &serde_json::to_string(&settings).unwrap_or_default())
    }

    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        self.touch(Part::Lang);
    }

    pub fn set_signer(&mut self, signer: Person) {
        self.signer = signer;
        self.touch(Part::Signer);
    }

    /// Whether the first-start welcome was dismissed on this device.
    pub fn welcomed(&self) -> bool {
        self.welcomed
    }

    /// Dismisses the first-start welcome for good on this device (kept in its settings).
    pub fn dismiss_welcome(&mut self, kv: &dyn KeyValue) {
        self.welcomed = true;
        let mut s = read_settings(kv);
        s.welcomed = true;
        if let Ok(text) = serde_json::to_string(&s) {
            let _ = kv.set(persist::SETTINGS_KEY, &text);
        }
    }

    /// The signers remembered on this device (`persist::SIGNERS_KEY`; an unreadable or
    /// missing list reads as none). Read when a workflow panel asks, not at start-up.
    pub fn known_signers(&self, kv: &dyn KeyValue) -> KnownSigners {
        read_known_signers(kv)
    }

    /// Forgets a remembered signer of `role` on this device.
    pub fn forget_signer(&mut self, kv: &dyn KeyValue, role: Role, person: &Person) {
        let mut known = self.known_signers(kv);
        if known.forget(role, person) {
            self.set_known_signers(kv, &known);
        }
    }

    /// Stores `known` (best effort: with a full storage the list is not kept, and nothing else
    /// is touched).
    fn set_known_signers(&mut self, kv: &dyn KeyValue, known: &KnownSigners) {
        self.touch(Part::Signer);
        if let Ok(text) = serde_json::to_string(known) {
            let _ = kv.set(persist::SIGNERS_KEY, &text);
        }
    }

    /// Who signs a step here: the province's list entry for the account signed in on this
    /// device (the server accepts no other name from it), else the name typed on this tablet.
    pub fn signer_for_steps(&self, kv: &dyn KeyValue) -> Person {
        signing_identity(kv).1.unwrap_or_else(|| self.signer.clone())
    }

    /// Whether this tab may change assessment `id`: not while another tab edits it here, and
    /// never a record written by a newer release. Every action that changes an assessment asks
    /// first; the UI's disabled controls only mirror it.
    pub fn writable(&self, id: &str) -> bool {
        session::writable(id, self.seat.editing(), self.blocked_by.is_some(), self.assessments.get(id))
    }

    /// Other assessments of the same commune and round (same unit code, or the same name and
    /// province however written: "Hoà"/"Hòa", NFC/NFD), most advanced first.
    pub fn duplicates_of(&self, commune: &Commune, round: u16) -> Vec<Assessment> {
        let norm = crate::domain::text::name_key;
        let mut out: Vec<Assessment> = self
            .assessments
            .values()
            .filter(|a| a.round == round)
            .filter(|a| match (&a.commune.code, &commune.code) {
                (Some(x), Some(y)) => x == y,
                _ => {
                    norm(&a.commune.name) == norm(&commune.name)
                        && norm(&a.commune.province) == norm(&commune.province)
                }
            })
            .cloned()
            .collect();
        out.sort_by(|a, b| {
            b.workflow.stage.cmp(&a.workflow.stage).then(b.entries.len().cmp(&a.entries.len()))
        });
        out
    }

    // ---- editing and saving ----

    /// `id` was edited: it waits for the next flush. Parts change only when their value does,
    /// so a keystroke does not redraw the header.
    pub fn mark_dirty(&mut self, id: &str) {
        self.set_flag(Part::UnsavedExported, false);
        self.dirty.insert(id.to_string());
        if !matches!(self.save, SaveStatus::MemoryOnly | SaveStatus::QuotaExceeded | SaveStatus::Pending) {
            self.set_save(SaveStatus::Pending);
        }
    }

    /// Writes every dirty assessment now, through the one writer (`records::save`): a copy that
    /// another writer changed meanwhile is not overwritten (ours is kept as a conflict copy and
    /// this tab shows the stored one); any other failure keeps the edit in memory and says why.
    pub fn flush(&mut self, env: Env) {
        if self.dirty.is_empty() {
            return;
        }
        let now = env.clock.now_ms();
        let out = session::flush(env.kv, &self.device, now, &self.dirty, &self.assessments);
        // The revision is bookkeeping: set without waking every view of the assessment.
        for (id, rev) in &out.revs {
            if let Some(a) = self.assessments.get_mut(id) {
                a.rev = rev.clone();
            }
        }
        if !out.conflicts.is_empty() {
            for (stored, key, ours) in out.conflicts {
                self.conflicts.entry(stored.id.clone()).or_default().push((key, ours));
                self.assessments.insert(stored.id.clone(), stored);
            }
            self.touch(Part::Assessments);
            self.touch(Part::Conflicts);
        }
        for id in &out.done {
            self.dirty.remove(id);
        }
        self.set_save(out.status);
    }

    /// Marks `id` dirty and writes at once: for steps that must not wait for the debounce.
    pub fn save_now(&mut self, env: Env, id: &str) {
        self.mark_dirty(id);
        self.flush(env);
    }

    /// Whether edits are held only in memory (not written, and not exported since the last one).
    pub fn has_unsaved(&self) -> bool {
        !self.dirty.is_empty() && !self.unsaved_exported
    }

    /// Before this tab reloads (after a flush): whether nothing is left only in memory. If
    /// something is, the reload is refused (`reload_refused`, which shows the export button);
    /// otherwise the place is kept for the reopening.
    pub fn ready_to_reload(&mut self, kv: &dyn KeyValue, scroll: f64) -> bool {
        let unsaved = self.has_unsaved();
        self.set_flag(Part::ReloadRefused, unsaved);
        if !unsaved {
            let _ = self.save_settings(kv, scroll);
        }
        !unsaved
    }

    /// The held-only-in-memory edits were exported to a file: a reload may proceed.
    pub fn mark_exported(&mut self) {
        self.set_flag(Part::UnsavedExported, true);
    }

    /// Creates an assessment, stores it at once, and returns its id.
    pub fn create_assessment(&mut self, env: Env, spec: NewAssessment) -> String {
        let now = env.clock.now_ms();
        let mut a = Assessment::new(
            env.clock.new_id(),
            (&spec.framework.id, &spec.framework.version),
            spec.commune,
            spec.round,
            &spec.dimension_value,
            now,
        );
        a.assessors = spec.assessors;
        a.assessed_on = spec.assessed_on;
        let id = a.id.clone();
        self.assessments.insert(id.clone(), a);
        self.touch(Part::Assessments);
        self.save_now(env, &id);
        id
    }

    /// Changes one indicator's entry of an assessment; `true` when it did (the caller schedules
    /// the save). Answers (and "không xem xét") change only in a draft that this tab may write:
    /// a signed dossier's are frozen here, not only by the page's disabled inputs.
    pub fn edit_entry(
        &mut self,
        now: f64,
        assessment: &str,
        indicator: &str,
        f: impl FnOnce(&mut Entry),
    ) -> bool {
        let draft = self.assessments.get(assessment).is_some_and(|a| a.workflow.stage.answers_editable());
        if !self.writable(assessment) || !draft {
            return false;
        }
        if let Some(a) = self.assessments.get_mut(assessment) {
            f(a.entries.entry(indicator.to_string()).or_default());
            a.touch(now);
        }
        self.touch(Part::Assessments);
        self.mark_dirty(assessment);
        true
    }

    /// Sets one indicator's answer (see `edit_entry`).
    pub fn set_answer(
        &mut self,
        now: f64,
        assessment: &str,
        indicator: &str,
        answer: Option<RawAnswer>,
    ) -> bool {
        self.edit_entry(now, assessment, indicator, |e| e.answer = answer)
    }

    /// Changes the roster of an assessment and re-derives its roster indicators (18.1); `true`
    /// when it did (the caller schedules the save). Like answers, only in a draft this tab may
    /// write: the roster decides a signed answer.
    pub fn edit_roster(
        &mut self,
        now: f64,
        id: &str,
        f: impl FnOnce(&mut crate::domain::roster::Roster),
    ) -> bool {
        let draft = self.assessments.get(id).is_some_and(|a| a.workflow.stage.answers_editable());
        if !self.writable(id) || !draft {
            return false;
        }
        let fw = self.assessments.get(id).and_then(|a| self.framework(&a.framework_id, &a.framework_version));
        let Some(a) = self.assessments.get_mut(id) else { return false };
        crate::state::roster::edit(a, fw.as_deref(), f);
        a.touch(now);
        self.touch(Part::Assessments);
        self.mark_dirty(id);
        true
    }

    /// Adds an empty person (id `person`) to the roster of `id`; see `edit_roster`.
    pub fn add_person(&mut self, now: f64, id: &str, person: String) -> bool {
        self.edit_roster(now, id, |r| {
            r.people.push(crate::domain::roster::Cadre {
                id: person,
                title: "van_phong_thong_ke".into(),
                ..Default::default()
            })
        })
    }

    /// Brings a draft's roster-decided answers (18.1) up to what its roster decides today (the
    /// standards data or the date of assessment may have changed since); `true` when it did.
    /// A submitted or signed record keeps what was signed.
    pub fn refresh_derived(&mut self, now: f64, id: &str) -> bool {
        let stale = self.assessments.get(id).is_some_and(|a| {
            self.framework(&a.framework_id, &a.framework_version)
                .is_some_and(|fw| crate::state::roster::derived_is_stale(a, &fw))
        });
        stale && self.edit_roster(now, id, |_| {})
    }

    // ---- the trash ----

    /// Moves an assessment to the trash (restorable until the trash is emptied). Unsaved edits
    /// are saved first, so the trashed copy is the latest.
    pub fn trash_assessment(&mut self, env: Env, id: &str) -> Result<(), ActionError> {
        if !self.writable(id) {
            return Err(ActionError::ReadOnly);
        }
        self.flush(env);
        if self.dirty.contains(id) {
            return Err(ActionError::Unsaved);
        }
        let key = records::trash(env.kv, id)?;
        if let Some(a) = self.assessments.remove(id) {
            self.trash.insert(key, a);
        }
        self.touch(Part::Assessments);
        self.touch(Part::Trash);
        Ok(())
    }

    /// Puts a trashed assessment back.
    pub fn untrash(&mut self, kv: &dyn KeyValue, key: &str) -> Result<(), ActionError> {
        let a = records::untrash(kv, key).map_err(|e| match e {
            records::UntrashError::Occupied => ActionError::Occupied,
            records::UntrashError::Storage(s) => ActionError::Storage(s),
        })?;
        self.trash.remove(key);
        self.assessments.insert(a.id.clone(), a);
        self.touch(Part::Assessments);
        self.touch(Part::Trash);
        Ok(())
    }

    /// Deletes the trashed assessments for good.
    pub fn empty_trash(&mut self, kv: &dyn KeyValue) -> Result<usize, ActionError> {
        let n = records::empty_trash(kv)?;
        self.trash.clear();
        self.touch(Part::Trash);
        Ok(n)
    }

    // ---- conflicts ----

    /// Resolves the conflict between assessment `id` here and its copy at `conflict_key`, field
    /// by field as chosen; the audit trail keeps every signed step of both.
    pub fn resolve_conflict(
        &mut self,
        env: Env,
        id: &str,
        conflict_key: &str,
        choices: &BTreeMap<Field, Side>,
    ) -> Result<(), ActionError> {
        if !self.writable(id) {
            return Err(ActionError::ReadOnly);
        }
        self.flush(env);
        let here = self.assessments.get(id).cloned().ok_or(ActionError::NotFound)?;
        let theirs = self
            .conflicts
            .get(id)
            .and_then(|v| v.iter().find(|(k, _)| k == conflict_key).map(|(_, a)| a.clone()))
            .ok_or(ActionError::NotFound)?;
        let now = env.clock.now_ms();
        let resolved = crate::domain::records::resolve(&here, &theirs, choices, &self.device, now);
        records::write_resolved(env.kv, &resolved, &here.rev, conflict_key, now)?;
        self.assessments.insert(id.to_string(), resolved);
        if let Some(v) = self.conflicts.get_mut(id) {
            v.retain(|(k, _)| k != conflict_key);
            if v.is_empty() {
                self.conflicts.remove(id);
            }
        }
        self.touch(Part::Assessments);
        self.touch(Part::Conflicts);
        if self.save == SaveStatus::Conflict {
            self.set_save(SaveStatus::Saved(now));
        }
        Ok(())
    }

    // ---- signing ----

    /// Takes a workflow step on an assessment, signed by `by`. On refusal nothing changes.
    pub fn workflow_step(
        &mut self,
        env: Env,
        id: &str,
        step: Step,
        by: &Person,
    ) -> Result<(), WorkflowError> {
        self.sign(env, id, |w, now, met, open| w.apply_with(step, by, now, met, open))
    }

    /// Recognises an assessment, signed by `by`, recording the chair's decision.
    pub fn recognise(
        &mut self,
        env: Env,
        id: &str,
        by: &Person,
        decision: RecognitionDecision,
    ) -> Result<(), WorkflowError> {
        self.sign(env, id, |w, now, met, open| w.apply_recognition(by, now, met, open, decision))
    }

    /// Confirms (or withdraws) one recognition condition, signed by `by`.
    pub fn check_condition(
        &mut self,
        env: Env,
        id: &str,
        condition: &str,
        met: bool,
        by: &Person,
    ) -> Result<(), WorkflowError> {
        self.change_workflow(env, id, |a, now| a.workflow.check_condition(condition, met, by, now))
    }

    /// Records a reviewer's comment (and optional verdict override) on one indicator.
    pub fn review_indicator(
        &mut self,
        env: Env,
        id: &str,
        indicator: &str,
        comment: &str,
        override_met: Option<bool>,
        by: &Person,
    ) -> Result<(), WorkflowError> {
        self.change_workflow(env, id, |a, now| a.workflow.review(indicator, comment, override_met, by, now))
    }

    /// A signed step on `id`'s workflow, given the commune's verdict (with reviewers'
    /// overrides) and how many recognition conditions are still open, as recognition needs both.
    fn sign(
        &mut self,
        env: Env,
        id: &str,
        step: impl FnOnce(&Workflow, f64, bool, usize) -> Result<Workflow, WorkflowError>,
    ) -> Result<(), WorkflowError> {
        let fw = self.assessments.get(id).and_then(|a| self.framework(&a.framework_id, &a.framework_version));
        self.change_workflow(env, id, |a, now| {
            let met = fw.as_ref().is_some_and(|fw| evaluate(fw, a).commune == Verdict::Met);
            let open = fw.as_ref().map_or(0, |fw| open_conditions(fw, &a.workflow));
            step(&a.workflow, now, met, open)
        })
    }

    /// Replaces an assessment's workflow with what `f` returns and saves at once; an error
    /// changes nothing.
    fn change_workflow(
        &mut self,
        env: Env,
        id: &str,
        f: impl FnOnce(&Assessment, f64) -> Result<Workflow, WorkflowError>,
    ) -> Result<(), WorkflowError> {
        if !self.writable(id) {
            return Err(WorkflowError::ReadOnly);
        }
        let now = env.clock.now_ms();
        let account = signing_identity(env.kv).0;
        let Some(a) = self.assessments.get_mut(id) else { return Ok(()) };
        let mut w = f(a, now)?;
        // What this device adds is written with the account signed in here: the server accepts
        // it only from that account.
        if let Some(account) = &account {
            w.stamp_account(a.workflow.audit.len(), account);
        }
        // Whoever signed a step in their part is offered again at that part's next step.
        let mut known = read_known_signers(env.kv);
        let mut remembered = false;
        for e in &w.audit[a.workflow.audit.len().min(w.audit.len())..] {
            if let Some(role) = e.role {
                remembered |= known.remember(role, &e.by);
            }
        }
        a.workflow = w;
        a.touch(now);
        self.touch(Part::Assessments);
        if remembered {
            self.set_known_signers(env.kv, &known);
        }
        self.save_now(env, id);
        Ok(())
    }

    /// Moves assessment `id` to `new` (another version of its set), only while its answers may
    /// be changed by this tab; the answers stay under their indicator codes, the step is in the
    /// audit trail, and the page shows the assessment with the new set.
    pub fn move_to(&mut self, env: Env, id: &str, new: &Framework, by: &Person) -> Result<(), ActionError> {
        let editable = self.assessments.get(id).is_some_and(|a| a.workflow.stage.answers_editable());
        if !self.writable(id) || !editable {
            return Err(ActionError::ReadOnly);
        }
        let now = env.clock.now_ms();
        if let Some(a) = self.assessments.get_mut(id) {
            let from = format!("{}@{}", a.framework_id, a.framework_version);
            a.framework_id = new.id.clone();
            a.framework_version = new.version.clone();
            a.workflow.note_framework_change(&from, &new.key(), by, now);
            a.touch(now);
        }
        self.touch(Part::Assessments);
        self.save_now(env, id);
        self.set_route(Route::Assessment(id.to_string()));
        Ok(())
    }

    // ---- frameworks and units ----

    /// Stores an imported framework (`text`, which the loader read as `fw`) and adds it to the
    /// list. Nothing is changed when storing fails.
    pub fn import_framework(
        &mut self,
        kv: &dyn KeyValue,
        text: &str,
        fw: Framework,
    ) -> Result<Arc<Framework>, ActionError> {
        kv.set(&persist::framework_key(&fw.key()), text)?;
        let fw = Arc::new(fw);
        if !self.frameworks.iter().any(|f| f.key() == fw.key()) {
            self.frameworks.push(fw.clone());
            self.touch(Part::Frameworks);
        }
        Ok(fw)
    }

    /// Adds the bundled sets other than the default, once (after the ones start-up read).
    pub fn merge_bundled(&mut self, sets: Vec<Framework>) {
        if let Some(at) = self.bundled_later.take() {
            bundled::merge(&mut self.frameworks, at, sets.into_iter().map(Arc::new).collect());
            self.touch(Part::Frameworks);
        }
    }

    /// Reads the administrative unit lists the first time a page needs them: the shipped lists
    /// and every imported one. An imported list that no longer reads is quarantined, and left.
    pub fn ensure_units(&mut self, kv: &dyn KeyValue) {
        if self.units_loaded {
            return;
        }
        self.units_loaded = true;
        let mut units = crate::domain::geography::bundled();
        let mut quarantine = Vec::new();
        for key in kv.keys(&persist::units_key("")).unwrap_or_default() {
            let raw = kv.get(&key).ok().flatten().unwrap_or_default();
            match crate::domain::geography::parse_units(&raw) {
                Ok(list) => units.push(list),
                Err(_) => quarantine.push(Quarantined { key, raw, error: "units list does not load".into() }),
            }
        }
        self.units = units;
        self.touch(Part::Units);
        self.add_quarantine(quarantine);
    }

    fn add_quarantine(&mut self, more: Vec<Quarantined>) {
        if !more.is_empty() {
            self.quarantine.extend(more);
            self.quarantine.sort_by(|a, b| a.key.cmp(&b.key));
            self.touch(Part::Quarantine);
        }
    }

    /// Imports a units list (CSV or JSON) and stores it; replaces an earlier import of the same
    /// province. On any error nothing is stored and the located messages are returned. `Ok`:
    /// the list's place among the lists.
    pub fn import_units(&mut self, kv: &dyn KeyValue, text: &str, lang: Lang) -> Result<usize, Vec<String>> {
        let list = crate::domain::geography::parse_units(text).map_err(|e| {
            e.into_iter().map(|(vi, en)| if lang == Lang::Vi { vi } else { en }).collect::<Vec<_>>()
        })?;
        let json = serde_json::to_string(&list).unwrap_or_default();
        kv.set(&persist::units_key(&list.id), &json).map_err(|e| vec![e.message(lang)])?;
        self.ensure_units(kv);
        let index = self.units.len();
        self.units.retain(|l| l.id != list.id || l.source != "imported");
        self.units.push(list);
        self.touch(Part::Units);
        Ok(index.min(self.units.len() - 1))
    }

    // ---- the records ----

    /// Reads every criteria set (`default`, then the imported ones) and record among `keys`
    /// (unreadable ones quarantined, left in storage): the store's chunk does this once.
    pub fn load_records(&mut self, kv: &dyn KeyValue, keys: &[String], default: Vec<Framework>) {
        let sets = records::load_frameworks(kv, keys, default);
        let stored = records::load_from(kv, keys);
        // Bundled sets read before this go after the default.
        if self.bundled_later.is_some() {
            self.bundled_later = Some(sets.bundled);
        }
        self.frameworks = sets.list.into_iter().map(Arc::new).collect();
        self.stale_frameworks = sets.stale;
        self.assessments = stored.assessments;
        self.trash = stored.trash;
        self.conflicts = stored.conflicts;
        for p in [Part::Frameworks, Part::StaleFrameworks, Part::Assessments, Part::Trash, Part::Conflicts] {
            self.touch(p);
        }
        let mut quarantine = sets.quarantine;
        quarantine.extend(stored.quarantine);
        self.add_quarantine(quarantine);
        self.set_flag(Part::StoreReady, true);
    }

    /// Replaces the copy of `id` here with the stored one (another tab saved it), unless this
    /// tab has unsaved edits of it.
    pub fn reload_if_clean(&mut self, kv: &dyn KeyValue, id: &str) {
        if self.dirty.contains(id) {
            return;
        }
        if let Ok(Some(raw)) = kv.get(&persist::assessment_key(id)) {
            if let Ok(a) = persist::read_assessment(&raw) {
                if self.assessments.get(&a.id) != Some(&a) {
                    self.assessments.insert(a.id.clone(), a);
                    self.touch(Part::Assessments);
                }
            }
        }
    }

    /// Reads what a sync pass stored back: assessments it wrote (not those this tab still holds
    /// unsaved), conflict copies, the trash, frameworks it received.
    pub fn adopt_pass(&mut self, kv: &dyn KeyValue, report: &crate::state::sync_engine::Report) {
        let (changed, frameworks) = (&report.changed, &report.frameworks);
        if changed.is_empty() && frameworks.is_empty() {
            return;
        }
        let stored = records::load(kv);
        for id in changed.iter().filter(|id| !self.dirty.contains(*id)) {
            match stored.assessments.get(id) {
                Some(a) => self.assessments.insert(id.clone(), a.clone()),
                None => self.assessments.remove(id),
            };
        }
        self.conflicts = stored.conflicts;
        self.trash = stored.trash;
        for p in [Part::Assessments, Part::Conflicts, Part::Trash] {
            self.touch(p);
        }
        for key in frameworks {
            let text = kv.get(&persist::framework_key(key)).ok().flatten().unwrap_or_default();
            // Read as at start-up (`load_trusted`): the pulled set was checked where it was made.
            if let Some((fw, _)) = crate::domain::framework::load_trusted(&text) {
                if self.framework_by_key(&fw.key()).is_none() {
                    self.frameworks.push(Arc::new(fw));
                    self.touch(Part::Frameworks);
                }
            }
        }
    }

    /// Deleted on the server while edited here: keep it (sent again as a new document) or let
    /// it go (to the trash here, where it can still be restored). Refused like every other
    /// change while another tab edits it or a newer release wrote it.
    pub fn decide_deleted(&mut self, kv: &dyn KeyValue, id: &str, keep: bool) -> bool {
        if !self.writable(id) {
            return false;
        }
        let key = persist::sync_doc_key(id);
        if keep {
            let _ = kv.remove(&key);
        } else if records::trash(kv, id).is_ok() {
            let _ = kv.remove(&key);
            self.assessments.remove(id);
            self.trash = records::load(kv).trash;
            self.touch(Part::Assessments);
            self.touch(Part::Trash);
        }
        true
    }

    /// The home page's first `limit` assessments, newest first, each scored against its set
    /// (only those shown are scored; none is cloned).
    pub fn home_rows(&self, limit: usize) -> Vec<HomeRow> {
        let mut order: Vec<&Assessment> = self.assessments.values().collect();
        order.sort_by(|a, b| b.updated_at.total_cmp(&a.updated_at));
        order
            .into_iter()
            .take(limit)
            .map(|a| {
                let fw = self.framework(&a.framework_id, &a.framework_version);
                let (verdict, provisional, criteria) = match &fw {
                    Some(fw) => {
                        let ev = evaluate(fw, a);
                        let flagged = score::provisional(fw, &ev, &a.dimension_value).is_some();
                        (ev.commune, flagged, format!("{}/{}", ev.criteria_met, ev.criteria.len()))
                    }
                    None => (Verdict::Pending, false, "—".into()),
                };
                HomeRow {
                    id: a.id.clone(),
                    title: format!("{} — {}", a.commune.name, a.round),
                    province: a.commune.province.clone(),
                    verdict,
                    provisional,
                    criteria,
                    set_missing: fw.is_none(),
                    stage: a.workflow.stage,
                }
            })
            .collect()
    }

    // ---- backup, hand-over, restore, sample data ----

    fn unsaved(&self) -> Vec<&Assessment> {
        self.dirty.iter().filter_map(|id| self.assessments.get(id)).collect()
    }

    /// The backup of everything stored, with unsaved edits in place of their stored copies.
    pub fn backup_json(&self, env: Env) -> String {
        let now = env.clock.now_ms();
        let records = records::snapshot(env.kv, &self.unsaved(), now);
        serde_json::to_string_pretty(&Backup::new(records, now)).unwrap_or_default()
    }

    /// A hand-over file of assessments `ids` (for another device without a server): its name
    /// (with `today` as dd/mm/yyyy) and text — a backup holding only them and their imported sets.
    pub fn handover_file(&self, env: Env, ids: &[String], today: &str) -> (String, String) {
        let now = env.clock.now_ms();
        let records = records::handover(env.kv, ids, &self.unsaved(), now);
        let commune = ids
            .first()
            .and_then(|id| self.assessments.get(id))
            .map(|a| file_part(&a.commune.name))
            .unwrap_or_default();
        let name = format!("tieuchi-chuyen-giao-{commune}-{}.json", today.replace('/', "-"));
        (name, serde_json::to_string_pretty(&Backup::new(records, now)).unwrap_or_default())
    }

    /// Applies a restore plan (after a flush) and reads what it wrote back. Nothing stored is
    /// replaced except by a later revision of itself; conflicts are kept beside the record.
    pub fn apply_restore(&mut self, kv: &dyn KeyValue, plan: &RestorePlan) -> RestoreReport {
        let report = records::apply_restore(kv, plan);
        let stored = records::load(kv);
        let a_prefix = persist::assessment_key("");
        // Edits this tab still holds only in memory are not replaced: their next save meets the
        // restored revision and is kept as a conflict copy.
        for id in report.written.iter().filter_map(|k| k.strip_prefix(&a_prefix)) {
            if !self.dirty.contains(id) {
                if let Some(a) = stored.assessments.get(id) {
                    self.assessments.insert(id.to_string(), a.clone());
                }
            }
        }
        self.trash = stored.trash;
        self.conflicts = stored.conflicts;
        for p in [Part::Assessments, Part::Trash, Part::Conflicts] {
            self.touch(p);
        }
        let mut quarantine = stored.quarantine;
        for key in &report.written {
            if let Some(fw_key) = key.strip_prefix(&persist::framework_key("")) {
                let text = kv.get(key).ok().flatten().unwrap_or_default();
                match load_str_accepted(&text).framework {
                    Some(fw) if self.framework_by_key(&fw.key()).is_none() => {
                        self.frameworks.push(Arc::new(fw));
                        self.touch(Part::Frameworks);
                    }
                    Some(_) => {}
                    None => quarantine.push(Quarantined {
                        key: key.clone(),
                        raw: text,
                        error: format!("framework {fw_key} does not load"),
                    }),
                }
            } else if key.starts_with(&persist::units_key("")) && self.units_loaded {
                // Lists not read yet are read with this one when a page first needs them.
                let text = kv.get(key).ok().flatten().unwrap_or_default();
                if let Ok(list) = crate::domain::geography::parse_units(&text) {
                    self.units.push(list);
                    self.touch(Part::Units);
                }
            }
        }
        if report.written.iter().any(|k| k == persist::SETTINGS_KEY) {
            if let Ok(Some(text)) = kv.get(persist::SETTINGS_KEY) {
                self.adopt_settings(&text);
            }
        }
        // Keep the quarantine entries of the other kinds (frameworks, units) read at start-up.
        let kept: Vec<Quarantined> =
            self.quarantine.iter().filter(|x| !quarantine.iter().any(|y| y.key == x.key)).cloned().collect();
        quarantine.extend(kept);
        quarantine.sort_by(|a, b| a.key.cmp(&b.key));
        self.quarantine = quarantine;
        self.touch(Part::Quarantine);
        report
    }

    /// Loads the sample data ("dữ liệu mẫu": former Bạc Liêu communes, 2016–2020, 1980 set)
    /// through the one writer; returns how many records. Real records are not touched.
    pub fn load_demo(&mut self, env: Env) -> Result<usize, String> {
        let fw = self.framework("ntm-xa-2016-2020", "1980/2016").ok_or("1980 set missing")?;
        let units = crate::domain::geography::bundled()
            .into_iter()
            .find(|u| u.id.starts_with("baclieu"))
            .ok_or("Bạc Liêu list missing")?;
        let now = env.clock.now_ms();
        // The set in force this year over the units list in force (Cà Mau since 01/07/2025), when
        // this tablet holds both: what a leader asks about today, the 1980 rounds as history.
        let year = crate::domain::date::year_of_ms(now);
        let in_force = self
            .frameworks
            .iter()
            .filter(|f| (f.period.0..=f.period.1).contains(&year))
            .max_by(|a, b| a.period.cmp(&b.period))
            .cloned();
        let today = crate::domain::geography::bundled().into_iter().find(|u| u.valid_to.is_none());
        let mut sample = match (in_force, today) {
            (Some(f), Some(u)) if f.id != fw.id => crate::domain::demo::sample_in_force(&f, &u, now),
            _ => Vec::new(),
        };
        sample.extend(crate::domain::demo::sample(&fw, &units, 40, now));
        let mut n = 0;
        for mut a in sample {
            if self.assessments.contains_key(&a.id) {
                continue;
            }
            a.rev = records::save(env.kv, &self.device, &a, now).map_err(|e| e.to_string())?;
            self.assessments.insert(a.id.clone(), a);
            self.touch(Part::Assessments);
            n += 1;
        }
        Ok(n)
    }

    /// Removes every sample record, and only them.
    pub fn remove_demo(&mut self, kv: &dyn KeyValue) -> Result<usize, ActionError> {
        let n = records::remove_demo(kv)?;
        self.assessments.retain(|id, _| !crate::domain::demo::is_demo(id));
        self.touch(Part::Assessments);
        Ok(n)
    }

    // ---- one writer per record across tabs (the browser's locks do what these return) ----

    /// A page shows `id`: `true` when the tab must let go of any earlier lock and ask for this
    /// one (read-only until granted, if the browser has locks).
    pub fn open_record(&mut self, id: &str, locks: bool) -> bool {
        if self.seat.open(id) == OnOpen::AlreadyOpen {
            return false;
        }
        self.touch(Part::Editing);
        self.set_blocked(locks.then_some(CHECKING));
        true
    }

    /// A page showing `id` is removed: `true` when it was the last one (the caller saves and
    /// lets the lock go); the tab edits nothing now.
    pub fn close_record(&mut self, id: &str) -> bool {
        if !self.seat.close(id) {
            return false;
        }
        self.touch(Part::Editing);
        self.set_blocked(None);
        true
    }

    /// The lock of `id` was granted: `Keep` (writable now; the caller takes the stored copy, the
    /// previous writer may have saved) or `Release` (the person left the record meanwhile).
    pub fn lock_granted(&mut self, id: &str) -> OnGranted {
        let on = self.seat.granted(id);
        if on == OnGranted::Keep {
            self.set_blocked(None);
        }
        on
    }

    /// Another tab holds the lock of the record shown: read-only, waiting for it.
    pub fn lock_held_elsewhere(&mut self) {
        self.set_blocked(Some(OTHER_TAB));
    }

    /// Another tab took (or announced it takes) the lock of `id`: `true` when this tab was its
    /// writer — the caller saves at once, hands the lock over and waits for it back.
    pub fn lock_lost(&mut self, id: &str) -> bool {
        let was = self.seat.stolen(id);
        if was {
            self.set_blocked(Some(OTHER_TAB));
        }
        was
    }

    /// A take-over asked of the writer was not answered: `true` when this tab still shows `id`
    /// without holding it (the caller steals the lock, as the person asked).
    pub fn takeover_unanswered(&self, id: &str) -> bool {
        !self.seat.holds(id) && self.seat.editing() == Some(id)
    }
}
