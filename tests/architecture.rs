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

/// The layers point down only: `io` (browser I/O, below `state`) names neither `state` nor
/// `ui` (the `Couch` trait used to be imported from `state` by `io::couch`).
#[test]
fn io_names_no_layer_above_it() {
    let mut offences = Vec::new();
    for file in rust_files(&root().join("src/io")) {
        let text = fs::read_to_string(&file).expect("utf-8 source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in ["crate::state", "crate::ui"] {
                if code.contains(word) {
                    offences.push(format!("{}:{}: {word}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "src/io must not depend on the layers above it:\n{}", offences.join("\n"));
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
    // Every key literal passed to t("…") or tr(…, "…") in the UI exists, and the scan sees them:
    // a literal missing from the locales fails here.
    let mut unknown = Vec::new();
    let mut seen = 0;
    for file in rust_files(&root().join("src/ui")) {
        let text = fs::read_to_string(&file).expect("utf-8 source");
        let code: String =
            text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for key in ui_string_keys(&code) {
            seen += 1;
            if !vi.contains_key(key) {
                unknown.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(seen > 150, "the scan found only {seen} keys: it no longer sees the UI's t(…) and tr(…) calls");
    assert!(unknown.is_empty(), "keys used but not in locales:\n{}", unknown.join("\n"));
}

/// The string keys given to `t("key")` and `tr(lang, "key")` in `text` (a call whose key is
/// computed is skipped).
fn ui_string_keys(text: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    for (i, _) in text.match_indices('(') {
        let before = &text[..i];
        let name_start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |p| p + 1);
        let name = &before[name_start..];
        let rest = &text[i + 1..];
        let arg = match name {
            "t" => rest,
            "tr" => match first_arg_end(rest) {
                Some(c) => &rest[c + 1..],
                None => continue,
            },
            _ => continue,
        };
        let arg = arg.trim_start();
        let Some(arg) = arg.strip_prefix('"') else { continue };
        if let Some(end) = arg.find('"') {
            keys.push(&arg[..end]);
        }
    }
    keys
}

/// The offset of the comma that ends the first argument (at nesting depth 0), if any.
fn first_arg_end(args: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in args.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return None,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

#[test]
fn the_ui_key_scan_sees_both_call_forms() {
    let sample = r#"view! { {t("a.b")} {move || tr(lang(), "c.d")} {tr(l, &key)} attr("x") }"#;
    assert_eq!(ui_string_keys(sample), ["a.b", "c.d"]);
}
