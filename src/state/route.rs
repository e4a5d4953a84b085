//! The pages of the app and their hash paths (`#/a/<id>`): parsed and written in plain Rust (the
//! ids percent-encoded as `encodeURIComponent` does), tested natively.

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
    /// The guide, at a section or term (`#/guide/<id>`) or at its start.
    Guide(Option<String>),
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
            ("guide", None) => Route::Guide(None),
            ("guide", Some(id)) => Route::Guide((!id.is_empty()).then(|| decode(id))),
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
            Route::Guide(None) => "/guide".into(),
            Route::Guide(Some(id)) => format!("/guide/{}", encode(id)),
            Route::NotFound(p) => format!("/{p}"),
        }
    }

    /// The href of a link to this page.
    pub fn href(&self) -> String {
        format!("#{}", self.path())
    }
}

/// `encodeURIComponent`: every byte of the UTF-8 text but `A–Z a–z 0–9 - _ . ! ~ * ' ( )` as `%XX`.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `decodeURIComponent`, or the text as it is when it is not a valid encoding (a hand-typed
/// `%` or a broken UTF-8 sequence), as the page did before.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => return s.to_string(),
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paths_read_as_the_pages_they_name() {
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/a/x%2Fy/report"), Route::Report("x/y".into()));
        assert_eq!(Route::parse("#/a/abc/roster"), Route::Roster("abc".into()));
        assert_eq!(
            Route::parse("#/framework/ntm-xa-2026-2030%4051%2F2025-khung-tam"),
            Route::Framework("ntm-xa-2026-2030@51/2025-khung-tam".into())
        );
        assert_eq!(Route::parse("#/frameworks/edit/d1"), Route::FrameworkEdit("d1".into()));
        assert_eq!(Route::parse("#/frameworks/edit/"), Route::NotFound("frameworks/edit/".into()));
        assert_eq!(Route::parse("#/a/"), Route::NotFound("a/".into()));
        assert_eq!(Route::parse("#/nowhere"), Route::NotFound("nowhere".into()));
        // A hand-typed % or broken UTF-8 is kept as typed, never a panic.
        assert_eq!(Route::parse("#/a/50%"), Route::Assessment("50%".into()));
        assert_eq!(Route::parse("#/a/%C3"), Route::Assessment("%C3".into()));
        assert_eq!(
            Route::Assessment("Xã Vĩnh Hậu 2026".into()).href(),
            "#/a/X%C3%A3%20V%C4%A9nh%20H%E1%BA%ADu%202026"
        );
        assert_eq!(encode("a-b_c.d!e~f*g'h(i)j"), "a-b_c.d!e~f*g'h(i)j");
    }

    proptest! {
        /// Every page with any id comes back from its own link.
        #[test]
        fn a_link_reads_back_as_its_page(id in "\\PC{1,24}", which in 0usize..6) {
            let route = match which {
                0 => Route::Assessment(id),
                1 => Route::Roster(id),
                2 => Route::Report(id),
                3 => Route::Compare(id),
                4 => Route::Conflict(id),
                _ => Route::Framework(id),
            };
            prop_assert_eq!(Route::parse(&route.href()), route);
        }
    }
}
