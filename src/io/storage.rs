//! localStorage access with typed errors: unavailable (private mode, disabled), quota exceeded,
//! or another failure; `LocalStorage` is its `KeyValue` implementation. Every call fetches
//! `window.localStorage` afresh, so nothing here holds a non-`Send` handle.

use wasm_bindgen::JsCast;

pub use crate::io::kv::StorageError;

fn storage() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or(StorageError::Unavailable)?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        _ => Err(StorageError::Unavailable),
    }
}

fn classify(err: wasm_bindgen::JsValue) -> StorageError {
    if let Some(e) = err.dyn_ref::<web_sys::DomException>() {
        // Chromium names it QuotaExceededError (code 22); old Firefox NS_ERROR_DOM_QUOTA_REACHED.
        if e.name() == "QuotaExceededError" || e.code() == 22 || e.name() == "NS_ERROR_DOM_QUOTA_REACHED" {
            return StorageError::QuotaExceeded;
        }
        return StorageError::Other(format!("{}: {}", e.name(), e.message()));
    }
    StorageError::Other(format!("{err:?}"))
}

/// Whether localStorage can be written at all (probed with a throwaway key).
pub fn available() -> bool {
    let Ok(s) = storage() else { return false };
    let probe = "tieuchi/probe";
    let ok = s.set_item(probe, "1").is_ok();
    let _ = s.remove_item(probe);
    ok
}

pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    storage()?.get_item(key).map_err(classify)
}

pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?.set_item(key, value).map_err(classify)
}

pub fn remove(key: &str) -> Result<(), StorageError> {
    storage()?.remove_item(key).map_err(classify)
}

/// Every key that starts with `prefix`.
pub fn keys_with_prefix(prefix: &str) -> Result<Vec<String>, StorageError> {
    let s = storage()?;
    let n = s.length().map_err(classify)?;
    let mut keys = Vec::new();
    for i in 0..n {
        if let Ok(Some(k)) = s.key(i) {
            if k.starts_with(prefix) {
                keys.push(k);
            }
        }
    }
    keys.sort();
    Ok(keys)
}

/// Bytes used by keys with `prefix` (UTF-16, as browsers count against the quota).
pub fn bytes_used(prefix: &str) -> usize {
    let Ok(keys) = keys_with_prefix(prefix) else { return 0 };
    keys.iter()
        .map(|k| {
            let v = get(k).ok().flatten().unwrap_or_default();
            (k.encode_utf16().count() + v.encode_utf16().count()) * 2
        })
        .sum()
}

/// The browser's localStorage as a `KeyValue` store.
pub struct LocalStorage;

impl crate::io::kv::KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        remove(key)
    }
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        keys_with_prefix(prefix)
    }
}
