//! Signing in and asking the session (`state::sync_session`) natively, against a fake server's
//! accounts and the in-memory store: an offline start is never "signed out" and is asked again
//! after a backoff; signing in as another account forgets the last one's listed signer; a wrong
//! password is the server saying nobody is signed in; a list that cannot be read keeps the last.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::RefCell;
use std::collections::VecDeque;

use common::block_on;

use tieuchi::domain::assessment::Person;
use tieuchi::domain::persist;
use tieuchi::domain::sync::{Config, Failure, Problem};
use tieuchi::io::clock::TestClock;
use tieuchi::io::kv::{KeyValue, MemoryKv};
use tieuchi::io::server::Account;
use tieuchi::state::sync_session::{begin_pass, begin_session_check, session_check, sign_in, SyncHome};
use tieuchi::state::sync_status::Status;

/// The server's answers, in order.
#[derive(Default)]
struct Server {
    sessions: RefCell<VecDeque<Result<Option<String>, Problem>>>,
    sign_ins: RefCell<VecDeque<Result<String, Problem>>>,
    lists: RefCell<VecDeque<Result<Option<Person>, Failure>>>,
}

impl Account for Server {
    async fn session_name(&self) -> Result<Option<String>, Problem> {
        self.sessions.borrow_mut().pop_front().expect("a session answer")
    }
    async fn sign_in(&self, _name: &str, _password: &str) -> Result<String, Problem> {
        self.sign_ins.borrow_mut().pop_front().expect("a sign-in answer")
    }
    async fn listed_signer(&self, _account: &str) -> Result<Option<Person>, Failure> {
        self.lists.borrow_mut().pop_front().expect("a list answer")
    }
}

#[derive(Default)]
struct Home {
    config: RefCell<Config>,
    status: RefCell<Status>,
}

impl SyncHome for Home {
    fn config(&self) -> Config {
        self.config.borrow().clone()
    }
    fn set_config(&self, config: Config) {
        *self.config.borrow_mut() = config;
    }
    fn status(&self, f: &mut dyn FnMut(&mut Status)) {
        f(&mut self.status.borrow_mut())
    }
}

fn home(user: &str) -> Home {
    let config = Config {
        server: "http://127.0.0.1:5984".into(),
        db: "tieuchi-camau".into(),
        user: user.into(),
        province: "Cà Mau".into(),
        auto: true,
        ..Config::default()
    };
    Home { config: RefCell::new(config), status: RefCell::new(Status { leader: true, ..Status::default() }) }
}

fn chair() -> Person {
    Person { name: "Trần Văn Cường".into(), title: "Chủ tịch UBND xã".into() }
}

fn stored_config(kv: &MemoryKv) -> Config {
    serde_json::from_str(&kv.get(persist::SYNC_CONFIG_KEY).expect("get").expect("stored")).expect("reads")
}

#[test]
fn an_offline_start_is_asked_again_and_resumes_when_the_server_answers() {
    let (kv, clock, server, home) =
        (MemoryKv::new(), TestClock::at(1_000.0), Server::default(), home("xa.vinhhau"));
    server.sessions.borrow_mut().push_back(Err(Problem::WrongAddress));
    assert!(begin_session_check(&home));
    assert!(!begin_session_check(&home), "one question at a time");
    assert!(!block_on(session_check(&home, &server, &kv, &clock, 0.5)), "no pass while out of reach");
    let s = home.status.borrow().clone();
    assert!(!s.session_known && s.signed_in.is_none() && !s.checking_session);
    let next = s.next_session_check.expect("asked again later");
    assert!(next > 1_000.0 && !s.session_due(next - 1.0, true) && s.session_due(next, true));

    // The server answers: signed in, the signer list read and kept, and a pass runs.
    server.sessions.borrow_mut().push_back(Ok(Some("xa.vinhhau".into())));
    server.lists.borrow_mut().push_back(Ok(Some(chair())));
    assert!(begin_session_check(&home));
    assert!(block_on(session_check(&home, &server, &kv, &clock, 0.5)));
    let s = home.status.borrow().clone();
    assert_eq!((s.signed_in.as_deref(), s.session_known, s.session_failures), (Some("xa.vinhhau"), true, 0));
    assert_eq!(stored_config(&kv).signer, Some(chair()));
    // Nobody signed in: known, and no pass.
    server.sessions.borrow_mut().push_back(Ok(None));
    begin_session_check(&home);
    assert!(!block_on(session_check(&home, &server, &kv, &clock, 0.5)));
    assert_eq!(home.status.borrow().signed_in, None);
    assert!(home.status.borrow().session_known);
    // No settings: nothing to ask.
    assert!(!begin_session_check(&Home::default()));
}

#[test]
fn signing_in_as_another_account_forgets_the_last_ones_signer() {
    let (kv, server) = (MemoryKv::new(), Server::default());
    let home = home("xa.vinhhau");
    home.config.borrow_mut().signer = Some(chair());
    server.sign_ins.borrow_mut().push_back(Ok("tinh.thamdinh".into()));
    server.lists.borrow_mut().push_back(Err(Failure::Network));
    let who = block_on(sign_in(&home, &server, &kv, "tinh.thamdinh", "…")).expect("signed in");
    assert_eq!(who, "tinh.thamdinh");
    let kept = stored_config(&kv);
    assert_eq!((kept.user.as_str(), kept.signer), ("tinh.thamdinh", None), "not the commune chair's name");
    assert_eq!(home.status.borrow().signed_in.as_deref(), Some("tinh.thamdinh"));

    // The same account again, the list readable now: its entry is kept.
    let appraiser = Person { name: "Lê Thị Dung".into(), title: "Chuyên viên Sở NN&MT".into() };
    server.sign_ins.borrow_mut().push_back(Ok("tinh.thamdinh".into()));
    server.lists.borrow_mut().push_back(Ok(Some(appraiser.clone())));
    block_on(sign_in(&home, &server, &kv, "tinh.thamdinh", "…")).expect("signed in");
    assert_eq!(stored_config(&kv).signer, Some(appraiser.clone()));
    // The list out of reach later: the entry known is kept.
    server.sessions.borrow_mut().push_back(Ok(Some("tinh.thamdinh".into())));
    server.lists.borrow_mut().push_back(Err(Failure::Network));
    begin_session_check(&home);
    block_on(session_check(&home, &server, &kv, &TestClock::at(0.0), 0.5));
    assert_eq!(stored_config(&kv).signer, Some(appraiser));
}

#[test]
fn a_wrong_password_says_nobody_is_signed_in_and_an_unreachable_server_changes_nothing() {
    let (kv, server) = (MemoryKv::new(), Server::default());
    let home = home("xa.vinhhau");
    home.status.borrow_mut().signed_in = Some("xa.vinhhau".into());
    server.sign_ins.borrow_mut().push_back(Err(Problem::WrongAddress));
    assert_eq!(block_on(sign_in(&home, &server, &kv, "x", "y")), Err(Problem::WrongAddress));
    assert_eq!(home.status.borrow().signed_in.as_deref(), Some("xa.vinhhau"), "out of reach: unchanged");
    assert_eq!(kv.get(persist::SYNC_CONFIG_KEY).expect("get"), None, "nothing stored");
    server.sign_ins.borrow_mut().push_back(Err(Problem::WrongPassword));
    assert_eq!(block_on(sign_in(&home, &server, &kv, "x", "y")), Err(Problem::WrongPassword));
    let s = home.status.borrow().clone();
    assert_eq!((s.signed_in, s.session_known), (None, true));
    assert_eq!(home.config.borrow().user, "xa.vinhhau", "the settings stay");
}

#[test]
fn a_pass_starts_only_in_the_syncing_tab_with_settings_once_the_records_are_read() {
    let home = home("xa.vinhhau");
    assert_eq!(begin_pass(&home, false, "dev", 5.0), None, "records not read yet");
    home.status.borrow_mut().leader = false;
    assert_eq!(begin_pass(&home, true, "dev", 5.0), None, "another tab syncs");
    home.status.borrow_mut().leader = true;
    assert_eq!(begin_pass(&Home::default(), true, "dev", 5.0), None, "no settings");
    let (config, ctx) = begin_pass(&home, true, "dev", 5.0).expect("starts");
    assert_eq!(
        (config.db.as_str(), ctx.user.as_str(), ctx.province.as_str()),
        ("tieuchi-camau", "xa.vinhhau", "Cà Mau")
    );
    let s = home.status.borrow().clone();
    assert_eq!((s.running, s.last_attempt), (true, Some(5.0)));
    assert_eq!(begin_pass(&home, true, "dev", 6.0), None, "one pass at a time");
}
