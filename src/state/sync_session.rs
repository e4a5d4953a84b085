//! Signing in and asking the server who is signed in, without signals or a browser: over the
//! server's accounts (`io::server::Account`), the storage trait and wherever the sync settings
//! and status live ([`SyncHome`]: signals in the browser, cells in the native tests). An
//! offline start is never "signed out": the session is asked again with backoff until a
//! server answers.

use crate::domain::persist;
use crate::domain::sync::{Config, Problem, PushContext};
use crate::io::clock::Clock;
use crate::io::kv::KeyValue;
use crate::io::server::Account;
use crate::state::sync_status::Status;
use crate::state::ActionError;

/// Where the sync settings and status live.
pub trait SyncHome {
    fn config(&self) -> Config;
    fn set_config(&self, config: Config);
    fn status(&self, f: &mut dyn FnMut(&mut Status));
}

/// Keeps the settings (never a password) in storage, then in `home`; nothing changes if
/// storage refuses.
pub fn keep_config(home: &dyn SyncHome, kv: &dyn KeyValue, config: Config) -> Result<(), ActionError> {
    kv.set(persist::SYNC_CONFIG_KEY, &serde_json::to_string(&config).unwrap_or_default())?;
    home.set_config(config);
    Ok(())
}

/// Starts asking the session: `false` (nothing to ask) without settings or while a question
/// is out; otherwise it is marked as being asked and [`session_check`] follows.
pub fn begin_session_check(home: &dyn SyncHome) -> bool {
    if !home.config().is_set() {
        return false;
    }
    let mut begin = false;
    home.status(&mut |s| {
        begin = !s.checking_session;
        s.checking_session = true;
    });
    begin
}

/// Asks the server who is signed in (after [`begin_session_check`]). Signed in: the signer list
/// is read again; `true` when a pass should run now. Out of reach: asked again with backoff
/// (`random` in 0..1 spreads the tablets).
pub async fn session_check(
    home: &dyn SyncHome,
    account: &impl Account,
    kv: &dyn KeyValue,
    clock: &dyn Clock,
    random: f64,
) -> bool {
    match account.session_name().await {
        Ok(name) => {
            home.status(&mut |s| s.session_answered(name.clone()));
            if let Some(who) = &name {
                refresh_signer(home, account, kv, who).await;
            }
            name.is_some() && home.config().auto
        }
        Err(_) => {
            let now = clock.now_ms();
            home.status(&mut |s| s.session_unreachable(now, random));
            false
        }
    }
}

/// Signs in as `name`. Another account than before forgets the signer listed for the last one;
/// the list is read for the new one. A wrong password or a locked account is the server's
/// answer that nobody is signed in; a server out of reach changes nothing.
pub async fn sign_in(
    home: &dyn SyncHome,
    account: &impl Account,
    kv: &dyn KeyValue,
    name: &str,
    password: &str,
) -> Result<String, Problem> {
    let who = match account.sign_in(name, password).await {
        Ok(who) => who,
        Err(p) => {
            if matches!(p, Problem::WrongPassword | Problem::Locked) {
                home.status(&mut Status::signed_out);
            }
            return Err(p);
        }
    };
    let mut config = home.config();
    if config.user != who {
        config.signer = None;
    }
    config.user = who.clone();
    let _ = keep_config(home, kv, config);
    refresh_signer(home, account, kv, &who).await;
    home.status(&mut |s| s.signed_in_as(who.clone()));
    Ok(who)
}

/// Reads `who`'s entry in the province's signer list and keeps it with the settings: what this
/// device signs as from now on. Kept as it was when the server cannot be read.
async fn refresh_signer(home: &dyn SyncHome, account: &impl Account, kv: &dyn KeyValue, who: &str) {
    if let Ok(listed) = account.listed_signer(who).await {
        let mut c = home.config();
        if c.user == who && c.signer != listed {
            c.signer = listed;
            let _ = keep_config(home, kv, c);
        }
    }
}

/// Starts a pass at `now` if one may run: in the syncing tab, none running, with settings, and
/// once the records are read (`records_read`: what a pass stores is then read into the page).
/// Returns the settings and what the pass writes on every document.
pub fn begin_pass(
    home: &dyn SyncHome,
    records_read: bool,
    device: &str,
    now: f64,
) -> Option<(Config, PushContext)> {
    let config = home.config();
    let mut may = false;
    home.status(&mut |s| may = !s.running && s.leader);
    if !may || !config.is_set() || !records_read {
        return None;
    }
    home.status(&mut |s| s.pass_started(now));
    let ctx = PushContext {
        device: device.to_string(),
        user: config.user.clone(),
        province: config.province.clone(),
        now,
        frameworks: Vec::new(),
    };
    Some((config, ctx))
}
