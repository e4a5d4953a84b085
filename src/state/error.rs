//! What a state action refuses: one error type with a kind the caller can match (as ripgrep's
//! errors do), rendered in Vietnamese or English only at the `ui` edge (`message`).

use crate::domain::text::Lang;
use crate::io::kv::StorageError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ActionError {
    /// Another tab edits it, a newer release wrote it, or it is signed: read-only here.
    #[error("read-only here")]
    ReadOnly,
    /// The edits made before could not be written first, so nothing else was done.
    #[error("unsaved edits")]
    Unsaved,
    /// The record or copy asked for is no longer stored (another tab or a sync moved it).
    #[error("not found")]
    NotFound,
    /// Another tab saved this copy since this page read it; nothing was written.
    #[error("saved by another tab since")]
    Stale,
    /// A trashed record cannot come back: a record with its id is stored again.
    #[error("a record with this id is stored again")]
    Occupied,
    /// Storage refused.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<crate::state::records::SaveError> for ActionError {
    fn from(e: crate::state::records::SaveError) -> ActionError {
        use crate::state::records::SaveError;
        match e {
            SaveError::Storage(s) => ActionError::Storage(s),
            // Another writer stored a different copy since: nothing of ours replaced it.
            SaveError::Conflict { .. } => ActionError::Stale,
            SaveError::StoredUnreadable | SaveError::NewerSchema(_) => ActionError::ReadOnly,
        }
    }
}

impl ActionError {
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        let s = |v: &str, e: &str| if vi { v.to_string() } else { e.to_string() };
        match self {
            ActionError::ReadOnly => s(
                "Hồ sơ chỉ xem ở đây (đang sửa ở thẻ khác, do phiên bản mới hơn ghi, hoặc đã ký)",
                "Read-only here (edited in another tab, written by a newer release, or signed)",
            ),
            ActionError::Unsaved => s(
                "Chưa lưu được các thay đổi trước đó nên chưa làm gì: giải phóng bộ nhớ rồi thử lại",
                "The earlier changes could not be saved, so nothing was done: free some storage and try again",
            ),
            ActionError::NotFound => s(
                "Không còn hồ sơ này trên máy (thẻ khác hoặc đồng bộ đã chuyển nó)",
                "This record is no longer stored here (another tab or a sync moved it)",
            ),
            ActionError::Stale => s(
                "Thẻ khác đã lưu bản này sau khi trang này mở: chưa ghi gì",
                "Another tab saved this since this page opened it: nothing was written",
            ),
            ActionError::Occupied => s(
                "Đã có hồ sơ cùng mã trên máy: không khôi phục đè lên",
                "A record with the same id is stored: not restored over it",
            ),
            ActionError::Storage(e) => e.message(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_both_languages_with_no_code_word() {
        let all = [
            ActionError::ReadOnly,
            ActionError::Unsaved,
            ActionError::NotFound,
            ActionError::Stale,
            ActionError::Occupied,
            ActionError::Storage(StorageError::QuotaExceeded),
            ActionError::Storage(StorageError::Unavailable),
            ActionError::Storage(StorageError::Other("SecurityError".into())),
        ];
        for e in all {
            let (vi, en) = (e.message(Lang::Vi), e.message(Lang::En));
            assert_ne!(vi, en, "{e:?}");
            // The sentinel that reached the Vietnamese page ("…: unsaved") is gone.
            for word in ["unsaved", "stale", "QuotaExceededError", "localStorage"] {
                assert!(!vi.contains(word), "{e:?}: {vi}");
            }
            assert!(vi.chars().any(|c| "ảạãàáâêôơưđ".contains(c)), "{e:?} reads in Vietnamese: {vi}");
        }
    }
}
