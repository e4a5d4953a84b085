//! Architecture invariants, checked like rust-analyzer's tidy tests: `domain` names no browser
//! or UI crate, every source file starts with a `//!` line, and every UI string key exists in
//! both locale files.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("readable dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn domain_names_no_browser_or_ui_crate() {
    let forbidden =
        ["leptos", "web_sys", "js_sys", "wasm_bindgen", "gloo", "crate::io", "crate::state", "crate::ui"];
    let mut offences = Vec::new();
    for file in rust_files(&root().join("src/domain")) {
        let text = fs::read_to_string(&file).expect("utf-8 source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    offences.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "src/domain must stay pure:\n{}", offences.join("\n"));
}

#[test]
fn only_io_may_allow_the_disallowed_io_lints() {
    for file in rust_files(&root().join("src")) {
        let text = fs::read_to_string(&file).expect("utf-8 source");
        if text.contains("clippy::disallowed_methods") {
            assert!(file.ends_with("src/io/mod.rs"), "{} allows disallowed I/O methods", file.display());
        }
    }
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let mut missing = Vec::new();
    for dir in ["src", "tests"] {
        for file in rust_files(&root().join(dir)) {
            let text = fs::read_to_string(&file).expect("utf-8 source");
            if !text.starts_with("//!") {
                missing.push(file.display().to_string());
            }
        }
    }
    assert!(missing.is_empty(), "files without a leading //! line:\n{}", missing.join("\n"));
}

fn locale(name: &str) -> BTreeMap<String, String> {
    let text = fs::read_to_string(root().join("locales").join(name)).expect("locale file");
    serde_json::from_str(&text).expect("locale is a flat JSON object of strings")
}

#[test]
fn locales_have_the_same_keys_and_every_used_key_exists() {
    let vi = locale("vi.json");
    let en = locale("en.json");
    let vi_keys: BTreeSet<_> = vi.keys().collect();
    let en_keys: BTreeSet<_> = en.keys().collect();
    assert_eq!(vi_keys, en_keys, "vi.json and en.json must have the same keys");
    for (k, v) in vi.iter().chain(en.iter()) {
        assert!(!v.trim().is_empty(), "empty text for {k}");
    }
    // Every tr(…, "key") literal in the UI exists.
    let mut unknown = Vec::new();
    for file in rust_files(&root().join("src/ui")) {
        let text = fs::read_to_string(&file).expect("utf-8 source");
        let mut rest = text.as_str();
        while let Some(i) = rest.find("tr(") {
            let preceded_by_ident = rest[..i].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[i + 3..];
            if preceded_by_ident {
                continue; // include_str(, attr(, …
            }
            let Some(q) = rest.find('"') else { break };
            let close = rest.find(')').unwrap_or(0);
            if q > close {
                continue; // tr(lang, &computed_key)
            }
            let after = &rest[q + 1..];
            let Some(end) = after.find('"') else { break };
            let key = &after[..end];
            if !vi.contains_key(key) {
                unknown.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(unknown.is_empty(), "keys used but not in locales:\n{}", unknown.join("\n"));
}
