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
