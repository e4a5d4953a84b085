//! The server's guard follows the app's one table of the procedure: its `TRANSITIONS` line is
//! `domain::workflow::transition_table_json`, to the character.
#![cfg(not(target_arch = "wasm32"))]

use tieuchi::domain::workflow::transition_table_json;

#[test]
fn the_guard_reads_the_same_transition_table_as_the_app() {
    let guard =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/couchdb/guard.js")).expect("guard.js");
    let line = format!("var TRANSITIONS = {};", transition_table_json());
    let found: Vec<&str> = guard.lines().filter(|l| l.trim_start().starts_with("var TRANSITIONS")).collect();
    assert_eq!(
        found,
        vec![line.as_str()],
        "couchdb/guard.js must hold exactly one TRANSITIONS line, equal to:\n{line}"
    );
    // Nothing else in the guard spells a stage step's target by hand.
    for stale in ["case \"submit\": return", "ROLE_OF_PART[partOf"] {
        assert!(!guard.contains(stale), "guard.js keeps a second copy of the table: {stale}");
    }
}

/// The guard takes the records this release writes: its known schema versions include ours.
#[test]
fn the_guard_knows_the_schema_this_release_writes() {
    let guard =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/couchdb/guard.js")).expect("guard.js");
    let line =
        guard.lines().find(|l| l.contains("var KNOWN_SCHEMA_VERSIONS")).expect("KNOWN_SCHEMA_VERSIONS");
    let list = line.split(['[', ']']).nth(1).expect("a list");
    let versions: Vec<u32> = list.split(',').filter_map(|v| v.trim().parse().ok()).collect();
    assert!(versions.contains(&tieuchi::domain::persist::SCHEMA_VERSION), "{line}");
}
