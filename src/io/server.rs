//! The CouchDB database as sync needs it: the trait the browser's client (`io::couch`)
//! implements and the native tests fake. It lives in `io`, below `state`, so no arrow runs up.

use std::future::Future;

use serde_json::Value;

use crate::domain::sync::Failure;

/// A CouchDB database, as sync needs it. Every method answers the parsed JSON body of a 2xx
/// answer, or why there is none.
pub trait Couch {
    /// `POST {db}/_bulk_docs` with `docs`.
    fn bulk_docs(&self, docs: &[Value]) -> impl Future<Output = Result<Value, Failure>>;
    /// `GET {db}/{id}?conflicts=true`; `Ok(None)` when there is no such document (or it was
    /// deleted).
    fn get(&self, doc_id: &str) -> impl Future<Output = Result<Option<Value>, Failure>>;
    /// `GET {db}/_changes?since=…&limit=…&include_docs=true&conflicts=true&style=all_docs`: the
    /// answer's text, read row by row here (one bad row never stops a page).
    fn changes(&self, since: &Value, limit: u32) -> impl Future<Output = Result<String, Failure>>;
    /// `GET {db}/_local/tieuchi-db`: the marker that names this database (`None`: absent).
    fn marker(&self) -> impl Future<Output = Result<Option<Value>, Failure>>;
    /// `PUT {db}/_local/tieuchi-db`: writes the marker (a `_local` document: never replicated,
    /// gone with the database).
    fn put_marker(&self, doc: &Value) -> impl Future<Output = Result<(), Failure>>;
    /// `GET {db}/{id}?rev=…`: one leaf of a document (a conflict another writer left).
    fn get_rev(&self, doc_id: &str, rev: &str) -> impl Future<Output = Result<Option<Value>, Failure>>;
}

/// The server's accounts, as signing in needs them: the browser's client (`io::couch`)
/// implements it, the native tests fake it.
pub trait Account {
    /// `GET /_session`: who the browser's session cookie signs in as (`None`: nobody).
    fn session_name(&self) -> impl Future<Output = Result<Option<String>, crate::domain::sync::Problem>>;
    /// `POST /_session`, then confirms the cookie works: the account signed in.
    fn sign_in(
        &self,
        name: &str,
        password: &str,
    ) -> impl Future<Output = Result<String, crate::domain::sync::Problem>>;
    /// `account`'s entry in the province's signer list (`{db}/_design/guard`).
    fn listed_signer(
        &self,
        account: &str,
    ) -> impl Future<Output = Result<Option<crate::domain::assessment::Person>, Failure>>;
}
