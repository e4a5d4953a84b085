//! The key-value store every record goes through: a small trait with the browser's
//! localStorage behind it (`storage::LocalStorage`) and an in-memory twin (`MemoryKv`, with a
//! quota and an "unavailable" switch) with which the record logic is tested natively.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// Why a storage call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// localStorage does not exist or throws on access (private mode, disabled by policy).
    #[error("localStorage is unavailable")]
    Unavailable,
    /// The browser refused the write: storage is full.
    #[error("storage is full (QuotaExceededError)")]
    QuotaExceeded,
    /// Any other exception, with its message.
    #[error("storage error: {0}")]
    Other(String),
}

impl StorageError {
    /// What the officer reads, with what to do.
    pub fn message(&self, lang: crate::domain::text::Lang) -> String {
        let vi = lang == crate::domain::text::Lang::Vi;
        match (self, vi) {
            (StorageError::Unavailable, true) => {
                "Trình duyệt không cho lưu dữ liệu (chế độ riêng tư hoặc bị chặn): dữ liệu chỉ còn đến khi đóng trang".into()
            }
            (StorageError::Unavailable, false) => {
                "The browser does not allow storing data (private mode or blocked): data lasts until the page closes".into()
            }
            (StorageError::QuotaExceeded, true) => {
                "Bộ nhớ của trình duyệt đã đầy: xuất bản sao lưu và xoá bớt hồ sơ cũ (trang Dữ liệu)".into()
            }
            (StorageError::QuotaExceeded, false) => {
                "The browser's storage is full: export a backup and remove old records (Data page)".into()
            }
            (StorageError::Other(m), true) => format!("Lỗi khi lưu dữ liệu ({m})"),
            (StorageError::Other(m), false) => format!("Storage error ({m})"),
        }
    }
}

/// A string key-value store with localStorage's semantics (synchronous, per origin).
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&self, key: &str) -> Result<(), StorageError>;
    /// Every key that starts with `prefix`, sorted.
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError>;
}

/// The in-memory twin: a map, an optional quota in bytes (UTF-16, as browsers count), and a
/// switch that makes every call fail as unavailable.
#[derive(Default)]
pub struct MemoryKv {
    pub map: RefCell<BTreeMap<String, String>>,
    pub quota: Cell<Option<usize>>,
    pub unavailable: Cell<bool>,
}

impl MemoryKv {
    pub fn new() -> MemoryKv {
        MemoryKv::default()
    }
    fn used_without(&self, key: &str) -> usize {
        self.map
            .borrow()
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, v)| (k.encode_utf16().count() + v.encode_utf16().count()) * 2)
            .sum()
    }
    fn check(&self) -> Result<(), StorageError> {
        if self.unavailable.get() {
            return Err(StorageError::Unavailable);
        }
        Ok(())
    }
}

impl KeyValue for MemoryKv {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.check()?;
        Ok(self.map.borrow().get(key).cloned())
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.check()?;
        if let Some(q) = self.quota.get() {
            let size = (key.encode_utf16().count() + value.encode_utf16().count()) * 2;
            if self.used_without(key) + size > q {
                return Err(StorageError::QuotaExceeded);
            }
        }
        self.map.borrow_mut().insert(key.to_string(), value.to_string());
        Ok(())
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.check()?;
        self.map.borrow_mut().remove(key);
        Ok(())
    }
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        self.check()?;
        Ok(self.map.borrow().keys().filter(|k| k.starts_with(prefix)).cloned().collect())
    }
}
