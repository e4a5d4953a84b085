//! The dashboard's server source: the roll-up views of a province or the national database
//! (`domain::rollup`), fetched with this tablet's session, and the last figures fetched kept on
//! this tablet with their time, so that out of reach of the server the dashboard still shows
//! them, dated. Signal-free: the page runs `fetch` and draws what it returns.

use crate::domain::persist::SYNC_PREFIX;
use crate::domain::rollup::Fetched;
use crate::io::kv::KeyValue;

/// The national database `scripts/couchdb-setup --national` creates.
pub const NATIONAL_DB: &str = "tieuchi_national";

/// Where the last figures of database `db` for set `set` are kept (with sync's own keys: not
/// backed up, they describe this device's relation to a server).
pub fn key(db: &str, set: &str) -> String {
    format!("{SYNC_PREFIX}rollup/{db}/{set}")
}

/// The last figures fetched from `db` for `set`, if any were kept (and can be read).
pub fn last(kv: &dyn KeyValue, db: &str, set: &str) -> Option<Fetched> {
    let text = kv.get(&key(db, set)).ok()??;
    serde_json::from_str(&text).ok()
}

/// Keeps `f` as the last figures of its database and set. A full storage keeps the older ones:
/// they are a convenience, never worth an officer's records.
pub fn keep(kv: &dyn KeyValue, f: &Fetched) -> bool {
    let text = serde_json::to_string(f).unwrap_or_default();
    kv.set(&key(&f.db, &f.set), &text).is_ok()
}

/// Why the server's figures could not be taken: no answer to act on, or an answer whose rows
/// are not the views' (a hostile or changed server). The last figures kept are left as they were.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    Server(crate::domain::sync::Failure),
    /// The database (or its `_design/rollup`) is not there: not set up for the roll-up.
    NoViews(String),
    Rows(crate::domain::rollup::RowsError),
}

impl FetchError {
    pub fn message(&self, lang: crate::domain::text::Lang) -> String {
        match self {
            FetchError::Server(f) => f.message(lang),
            FetchError::NoViews(db) => match lang {
                crate::domain::text::Lang::Vi => format!(
                    "máy chủ không có bảng tổng hợp của cơ sở dữ liệu {db} (_design/rollup): quản trị máy chủ chạy scripts/couchdb-setup"
                ),
                crate::domain::text::Lang::En => format!(
                    "the server has no roll-up for database {db} (_design/rollup): the server's administrator runs scripts/couchdb-setup"
                ),
            },
            FetchError::Rows(e) => e.message(lang),
        }
    }
}

/// Fetches the two views of `db` on `server` for `set` (of `criteria` criteria), checks every
/// row, and only then keeps them as the last figures.
#[cfg(target_arch = "wasm32")]
pub async fn fetch(
    kv: &dyn KeyValue,
    server: &str,
    db: &str,
    set: &str,
    criteria: usize,
    now: f64,
) -> Result<Fetched, FetchError> {
    use crate::io::couch::rollup_view;
    let (communes, saved) = futures::future::join(
        rollup_view(server, db, "communes", set, 6),
        rollup_view(server, db, "saved", set, 1),
    )
    .await;
    let failed = |f: crate::domain::sync::Failure| match f {
        crate::domain::sync::Failure::NotFound => FetchError::NoViews(db.to_string()),
        f => FetchError::Server(f),
    };
    let communes = communes.map_err(failed)?;
    let saved = saved.unwrap_or_default();
    let f = checked(db, set, criteria, now, communes, &saved)?;
    keep(kv, &f);
    Ok(f)
}

/// The figures of the two view answers, once every row of `communes` reads as the view gives it
/// for a set of `criteria` criteria.
pub fn checked(
    db: &str,
    set: &str,
    criteria: usize,
    now: f64,
    communes: String,
    saved: &str,
) -> Result<Fetched, FetchError> {
    crate::domain::rollup::parse_communes(&communes, criteria).map_err(FetchError::Rows)?;
    Ok(Fetched {
        db: db.to_string(),
        set: set.to_string(),
        fetched_at: now,
        newest: crate::domain::rollup::parse_newest(saved),
        bytes: (communes.len() + saved.len()) as u64,
        communes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::kv::MemoryKv;

    #[test]
    fn the_last_figures_are_kept_per_database_and_set_and_a_full_store_keeps_the_older() {
        let kv = MemoryKv::default();
        let f = Fetched {
            db: "tieuchi_national".into(),
            set: "s@1".into(),
            fetched_at: 5.0,
            newest: Some(4.0),
            communes: r#"{"rows":[]}"#.into(),
            bytes: 11,
        };
        assert!(keep(&kv, &f));
        assert_eq!(last(&kv, "tieuchi_national", "s@1"), Some(f.clone()));
        assert_eq!(last(&kv, "tieuchi_p96", "s@1"), None);
        assert!(key("tieuchi_national", "s@1").starts_with(SYNC_PREFIX), "never in a backup");
        // Garbage where the figures were: nothing, not a failure.
        kv.set(&key("x", "s@1"), "{").expect("set");
        assert_eq!(last(&kv, "x", "s@1"), None);
        // A hostile answer is refused with its row, and nothing kept changes.
        let bad =
            checked("tieuchi_national", "s@1", 2, 9.0, r#"{"rows":[{"key":["s@1"],"value":1}]}"#.into(), "");
        assert!(matches!(bad, Err(FetchError::Rows(crate::domain::rollup::RowsError::Row(0, "key")))));
        assert_eq!(last(&kv, "tieuchi_national", "s@1"), Some(f.clone()));
        // A store with no room left keeps what it had.
        let full = MemoryKv::default();
        full.quota.set(Some(10));
        assert!(!keep(&full, &f));
    }
}
