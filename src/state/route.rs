//! The pages of the app and their hash paths (`#/a/<id>`).

/// A page of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Frameworks,
    Framework(String),
    /// The framework editor on a draft (`#/frameworks/edit/<draft id>`).
    FrameworkEdit(String),
    Import,
    Data,
    New,
    Assessment(String),
    Roster(String),
    /// Resolving a conflict between two copies of an assessment.
    Conflict(String),
    /// The printable report of an assessment.
    Report(String),
    /// This round of a commune against an earlier one.
    Compare(String),
    Training,
    Dashboard,
    /// Settings → sync with a CouchDB server.
    Sync,
    /// What communes still lack to reach "đạt".
    Gaps,
    NotFound(String),
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("", None) => Route::Home,
            ("frameworks", None) => Route::Frameworks,
            ("frameworks", Some(rest)) if rest.starts_with("edit/") && rest.len() > 5 => {
                Route::FrameworkEdit(decode(&rest[5..]))
            }
            ("framework", Some(key)) => Route::Framework(decode(key)),
            ("import", None) => Route::Import,
            ("data", None) => Route::Data,
            ("new", None) => Route::New,
            ("a", Some(rest)) if rest.ends_with("/roster") => {
                Route::Roster(decode(rest.trim_end_matches("/roster")))
            }
            ("a", Some(rest)) if rest.ends_with("/compare") => {
                Route::Compare(decode(rest.trim_end_matches("/compare")))
            }
            ("a", Some(rest)) if rest.ends_with("/report") => {
                Route::Report(decode(rest.trim_end_matches("/report")))
            }
            ("a", Some(rest)) if rest.ends_with("/conflict") => {
                Route::Conflict(decode(rest.trim_end_matches("/conflict")))
            }
            ("a", Some(id)) if !id.is_empty() => Route::Assessment(decode(id)),
            ("training", None) => Route::Training,
            ("dashboard", None) => Route::Dashboard,
            ("sync", None) => Route::Sync,
            ("gaps", None) => Route::Gaps,
            _ => Route::NotFound(path.to_string()),
        }
    }

    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Frameworks => "/frameworks".into(),
            Route::Framework(k) => format!("/framework/{}", encode(k)),
            Route::FrameworkEdit(k) => format!("/frameworks/edit/{}", encode(k)),
            Route::Import => "/import".into(),
            Route::Data => "/data".into(),
            Route::New => "/new".into(),
            Route::Assessment(id) => format!("/a/{}", encode(id)),
            Route::Roster(id) => format!("/a/{}/roster", encode(id)),
            Route::Conflict(id) => format!("/a/{}/conflict", encode(id)),
            Route::Report(id) => format!("/a/{}/report", encode(id)),
            Route::Compare(id) => format!("/a/{}/compare", encode(id)),
            Route::Training => "/training".into(),
            Route::Dashboard => "/dashboard".into(),
            Route::Sync => "/sync".into(),
            Route::Gaps => "/gaps".into(),
            Route::NotFound(p) => format!("/{p}"),
        }
    }

    /// The href of a link to this page.
    pub fn href(&self) -> String {
        format!("#{}", self.path())
    }
}

fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(s).map(String::from).unwrap_or_else(|_| s.to_string())
}
