//! The recognition workflow: draft → submitted (self-assessment) → reviewed (thẩm tra) →
//! appraised (thẩm định) → recognised (công nhận), or returned with a reason at any step before
//! recognition. Reviewers comment per indicator and may record a different verdict with a reason.
//! Every change is appended to an audit trail; nothing in it is ever rewritten.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::assessment::Person;
use crate::domain::text::Lang;

/// Ordered as the procedure goes: a later stage is further along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    #[default]
    Draft,
    Submitted,
    Reviewed,
    Appraised,
    Recognised,
}

impl Stage {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::Draft, Lang::Vi) => "Bản nháp",
            (Stage::Submitted, Lang::Vi) => "Đã nộp (xã tự đánh giá)",
            (Stage::Reviewed, Lang::Vi) => "Đã thẩm tra",
            (Stage::Appraised, Lang::Vi) => "Đã thẩm định",
            (Stage::Recognised, Lang::Vi) => "Đã công nhận",
            (Stage::Draft, Lang::En) => "Draft",
            (Stage::Submitted, Lang::En) => "Submitted (self-assessment)",
            (Stage::Reviewed, Lang::En) => "Reviewed",
            (Stage::Appraised, Lang::En) => "Appraised",
            (Stage::Recognised, Lang::En) => "Recognised",
        }
    }
    /// Answers can be edited only in a draft.
    pub fn answers_editable(self) -> bool {
        self == Stage::Draft
    }
    /// Reviewers comment and override while the assessment is with them.
    pub fn reviewable(self) -> bool {
        matches!(self, Stage::Submitted | Stage::Reviewed | Stage::Appraised)
    }
}

/// A step someone takes. Stored as `{"type": "submit"}` or `{"type": "return", "reason": …}`
/// (read by hand below, not by serde's tagged-enum code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Step {
    Submit,
    Review,
    Appraise,
    Recognise,
    Return { reason: String },
}

impl Step {
    pub fn label(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Step::Submit, Lang::Vi) => "Nộp hồ sơ tự đánh giá",
            (Step::Review, Lang::Vi) => "Xác nhận thẩm tra",
            (Step::Appraise, Lang::Vi) => "Xác nhận thẩm định",
            (Step::Recognise, Lang::Vi) => "Công nhận đạt chuẩn",
            (Step::Return { .. }, Lang::Vi) => "Trả lại",
            (Step::Submit, Lang::En) => "Submit self-assessment",
            (Step::Review, Lang::En) => "Sign off review",
            (Step::Appraise, Lang::En) => "Sign off appraisal",
            (Step::Recognise, Lang::En) => "Recognise",
            (Step::Return { .. }, Lang::En) => "Return",
        }
    }
}

/// A reviewer's note on one indicator, optionally with a different verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub comment: String,
    /// `Some(true)` = reviewer finds it met, `Some(false)` = not met, `None` = comment only.
    #[serde(default)]
    pub override_met: Option<bool>,
    pub by: Person,
    pub at: f64,
}

/// What an audit line records. Stored tagged by `type` (read by hand below).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuditKind {
    Stage {
        from: Stage,
        to: Stage,
        step: Step,
    },
    Review {
        indicator: String,
        comment: String,
        override_met: Option<bool>,
    },
    /// A recognition condition (beyond the criteria) ticked as met, or unticked.
    Condition {
        id: String,
        met: bool,
    },
    /// Moved to another version of its criteria set (`id@version` before and after), with the
    /// verdicts that changed listed to the officer first.
    Framework {
        from: String,
        to: String,
    },
}

// Step and AuditKind are read by hand. serde's derive for an enum tagged by a field buffers each
// value as generic content first and then reads every variant from it: for these two that was
// 19 KB of the first screen's code (before wasm-opt), and it ran on every audit line of every
// stored record at start-up. Here each is one flat struct of the fields any variant has, then
// the variant is picked by `type`: the same JSON, read and written the same way (tests below and
// in tests/persist.rs).

/// The fields of every `Step` variant.
#[derive(Deserialize)]
struct StepFields {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    reason: Option<String>,
}

impl StepFields {
    fn into_step<E: serde::de::Error>(self) -> Result<Step, E> {
        Ok(match self.kind.as_str() {
            "submit" => Step::Submit,
            "review" => Step::Review,
            "appraise" => Step::Appraise,
            "recognise" => Step::Recognise,
            "return" => Step::Return { reason: self.reason.ok_or_else(|| E::missing_field("reason"))? },
            other => {
                return Err(E::unknown_variant(
                    other,
                    &["submit", "review", "appraise", "recognise", "return"],
                ))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StepFields::deserialize(d)?.into_step()
    }
}

/// The fields of every `AuditKind` variant (`from` and `to` are stages or set keys).
#[derive(Deserialize)]
struct AuditFields {
    #[serde(rename = "type")]
    kind: String,
    from: Option<String>,
    to: Option<String>,
    step: Option<StepFields>,
    indicator: Option<String>,
    comment: Option<String>,
    override_met: Option<bool>,
    id: Option<String>,
    met: Option<bool>,
}

impl<'de> Deserialize<'de> for AuditKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        fn need<T, E: Error>(v: Option<T>, field: &'static str) -> Result<T, E> {
            v.ok_or_else(|| E::missing_field(field))
        }
        fn stage<E: Error>(v: Option<String>, field: &'static str) -> Result<Stage, E> {
            // Stage's own (derived) reading of its name.
            Stage::deserialize(serde::de::value::StrDeserializer::<E>::new(&need::<_, E>(v, field)?))
        }
        let f = AuditFields::deserialize(d)?;
        Ok(match f.kind.as_str() {
            "stage" => AuditKind::Stage {
                from: stage(f.from, "from")?,
                to: stage(f.to, "to")?,
                step: need::<_, D::Error>(f.step, "step")?.into_step()?,
            },
            "review" => AuditKind::Review {
                indicator: need(f.indicator, "indicator")?,
                comment: need(f.comment, "comment")?,
                override_met: f.override_met,
            },
            "condition" => AuditKind::Condition { id: need(f.id, "id")?, met: need(f.met, "met")? },
            "framework" => AuditKind::Framework { from: need(f.from, "from")?, to: need(f.to, "to")? },
            other => {
                return Err(D::Error::unknown_variant(other, &["stage", "review", "condition", "framework"]))
            }
        })
    }
}

/// The part a signer plays in the procedure (QĐ 2540/2016, QĐ 18/2022): the commune assesses
/// itself, a review team checks (thẩm tra), the province appraises (thẩm định), the chair of
/// the provincial People's Committee recognises (công nhận).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Commune,
    Reviewer,
    Appraiser,
    Recogniser,
}

impl Role {
    /// Who takes `step` at `stage`: a return is made by whoever holds the dossier then.
    pub fn of(step: &Step, stage: Stage) -> Role {
        match (step, stage) {
            (Step::Submit, _) => Role::Commune,
            (Step::Review, _) | (Step::Return { .. }, Stage::Submitted) => Role::Reviewer,
            (Step::Appraise, _) | (Step::Return { .. }, Stage::Reviewed) => Role::Appraiser,
            (Step::Recognise, _) | (Step::Return { .. }, _) => Role::Recogniser,
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Commune, Lang::Vi) => "xã tự đánh giá",
            (Role::Reviewer, Lang::Vi) => "thẩm tra",
            (Role::Appraiser, Lang::Vi) => "thẩm định",
            (Role::Recogniser, Lang::Vi) => "công nhận",
            (Role::Commune, Lang::En) => "commune self-assessment",
            (Role::Reviewer, Lang::En) => "review",
            (Role::Appraiser, Lang::En) => "appraisal",
            (Role::Recogniser, Lang::En) => "recognition",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at: f64,
    pub by: Person,
    pub kind: AuditKind,
    /// The signer's part in the procedure, for stage changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Workflow {
    #[serde(default)]
    pub stage: Stage,
    /// The latest review per indicator (the audit keeps every earlier one).
    #[serde(default)]
    pub reviews: BTreeMap<String, Review>,
    #[serde(default)]
    pub audit: Vec<AuditEvent>,
    /// The framework's recognition conditions (beyond the criteria) ticked as met.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub conditions: std::collections::BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("step not allowed at this stage")]
    NotAllowed { stage: Stage },
    #[error("a name is required")]
    NoName,
    #[error("a reason is required")]
    NoReason,
    #[error("the commune does not meet every criterion")]
    NotMet,
    /// Recognition conditions beyond the criteria are not all ticked (how many are open).
    #[error("recognition conditions open")]
    ConditionsOpen(usize),
    /// The signer already signed another stage of this dossier (since its last return).
    #[error("same signer for two stages")]
    SameSigner(Role),
    /// Another tab edits the assessment, or a newer release wrote it.
    #[error("read-only here")]
    ReadOnly,
}

impl WorkflowError {
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            WorkflowError::NotAllowed { stage } => {
                if vi {
                    format!("không thực hiện được bước này ở trạng thái “{}”", stage.label(lang))
                } else {
                    format!("this step is not allowed at stage “{}”", stage.label(lang))
                }
            }
            WorkflowError::NoName => {
                if vi {
                    "cần ghi họ tên và chức vụ người ký".into()
                } else {
                    "enter the signer's name and title".into()
                }
            }
            WorkflowError::NoReason => {
                if vi {
                    "cần ghi lý do".into()
                } else {
                    "a reason is required".into()
                }
            }
            WorkflowError::NotMet => {
                if vi {
                    "chỉ công nhận khi xã đạt tất cả tiêu chí".into()
                } else {
                    "recognition needs every criterion met".into()
                }
            }
            WorkflowError::ConditionsOpen(n) => {
                if vi {
                    format!("còn {n} điều kiện công nhận chưa được xác nhận")
                } else {
                    format!("{n} recognition condition(s) not confirmed yet")
                }
            }
            WorkflowError::SameSigner(role) => {
                if vi {
                    format!(
                        "người này đã ký bước {} của hồ sơ — mỗi bước do một người khác ký",
                        role.label(lang)
                    )
                } else {
                    format!(
                        "this person already signed the {} step — each step is signed by someone else",
                        role.label(lang)
                    )
                }
            }
            WorkflowError::ReadOnly => {
                if vi {
                    "bản này chỉ xem được ở đây (đang sửa ở tab khác, hoặc do phiên bản mới hơn lưu)".into()
                } else {
                    "read-only here (edited in another tab, or saved by a newer release)".into()
                }
            }
        }
    }
}

impl Workflow {
    /// The steps possible now.
    pub fn possible_steps(&self) -> Vec<Step> {
        let ret = Step::Return { reason: String::new() };
        match self.stage {
            Stage::Draft => vec![Step::Submit],
            Stage::Submitted => vec![Step::Review, ret],
            Stage::Reviewed => vec![Step::Appraise, ret],
            Stage::Appraised => vec![Step::Recognise, ret],
            Stage::Recognised => vec![],
        }
    }

    /// Everyone who signed a stage step (returns included) of this dossier, with their role.
    fn signers(&self) -> impl Iterator<Item = (&Person, Role)> {
        self.audit.iter().filter_map(|e| match (&e.kind, e.role) {
            (AuditKind::Stage { .. }, Some(role)) => Some((&e.by, role)),
            _ => None,
        })
    }

    /// Takes `step`, signed by `by` at `now`. `commune_met` is the commune verdict with reviewers'
    /// overrides applied, `open_conditions` the recognition conditions not yet ticked
    /// (recognition requires both). One person signs in one role of a dossier. Returns the new
    /// workflow; `self` is unchanged.
    pub fn apply(
        &self,
        step: Step,
        by: &Person,
        now: f64,
        commune_met: bool,
    ) -> Result<Workflow, WorkflowError> {
        self.apply_with(step, by, now, commune_met, 0)
    }

    /// `apply`, with the number of recognition conditions still open.
    pub fn apply_with(
        &self,
        step: Step,
        by: &Person,
        now: f64,
        commune_met: bool,
        open_conditions: usize,
    ) -> Result<Workflow, WorkflowError> {
        if by.name.trim().is_empty() || by.title.trim().is_empty() {
            return Err(WorkflowError::NoName);
        }
        // One person plays one part in a dossier: whoever signed (or returned) it in one role
        // cannot sign it in another.
        let role = Role::of(&step, self.stage);
        let me = crate::domain::text::name_key(&by.name);
        if let Some((_, other)) =
            self.signers().find(|(p, r)| *r != role && crate::domain::text::name_key(&p.name) == me)
        {
            return Err(WorkflowError::SameSigner(other));
        }
        let to = match (&step, self.stage) {
            (Step::Submit, Stage::Draft) => Stage::Submitted,
            (Step::Review, Stage::Submitted) => Stage::Reviewed,
            (Step::Appraise, Stage::Reviewed) => Stage::Appraised,
            (Step::Recognise, Stage::Appraised) => {
                if !commune_met {
                    return Err(WorkflowError::NotMet);
                }
                if open_conditions > 0 {
                    return Err(WorkflowError::ConditionsOpen(open_conditions));
                }
                Stage::Recognised
            }
            (Step::Return { reason }, Stage::Submitted | Stage::Reviewed | Stage::Appraised) => {
                if reason.trim().is_empty() {
                    return Err(WorkflowError::NoReason);
                }
                Stage::Draft
            }
            (_, stage) => return Err(WorkflowError::NotAllowed { stage }),
        };
        let mut next = self.clone();
        next.audit.push(AuditEvent {
            at: now,
            by: by.clone(),
            kind: AuditKind::Stage { from: self.stage, to, step },
            role: Some(role),
        });
        next.stage = to;
        Ok(next)
    }

    /// Ticks (or unticks) recognition condition `id` while the dossier is with the reviewers.
    pub fn check_condition(
        &self,
        id: &str,
        met: bool,
        by: &Person,
        now: f64,
    ) -> Result<Workflow, WorkflowError> {
        if !self.stage.reviewable() {
            return Err(WorkflowError::NotAllowed { stage: self.stage });
        }
        if by.name.trim().is_empty() || by.title.trim().is_empty() {
            return Err(WorkflowError::NoName);
        }
        let mut next = self.clone();
        let changed = if met { next.conditions.insert(id.to_string()) } else { next.conditions.remove(id) };
        if changed {
            next.audit.push(AuditEvent {
                at: now,
                by: by.clone(),
                kind: AuditKind::Condition { id: id.to_string(), met },
                role: None,
            });
        }
        Ok(next)
    }

    /// Notes in the audit trail that the assessment moved from set `from` to set `to`
    /// (`id@version`), by `by`.
    pub fn note_framework_change(&mut self, from: &str, to: &str, by: &Person, now: f64) {
        self.audit.push(AuditEvent {
            at: now,
            by: by.clone(),
            kind: AuditKind::Framework { from: from.into(), to: to.into() },
            role: None,
        });
    }

    /// Records a reviewer's comment and optional verdict override on one indicator.
    pub fn review(
        &self,
        indicator: &str,
        comment: &str,
        override_met: Option<bool>,
        by: &Person,
        now: f64,
    ) -> Result<Workflow, WorkflowError> {
        if !self.stage.reviewable() {
            return Err(WorkflowError::NotAllowed { stage: self.stage });
        }
        if by.name.trim().is_empty() {
            return Err(WorkflowError::NoName);
        }
        if comment.trim().is_empty() {
            return Err(WorkflowError::NoReason);
        }
        let mut next = self.clone();
        next.reviews.insert(
            indicator.to_string(),
            Review { comment: comment.trim().to_string(), override_met, by: by.clone(), at: now },
        );
        next.audit.push(AuditEvent {
            role: None,
            at: now,
            by: by.clone(),
            kind: AuditKind::Review {
                indicator: indicator.to_string(),
                comment: comment.trim().to_string(),
                override_met,
            },
        });
        Ok(next)
    }

    /// The sign-off of the step that reached `stage` most recently, if any.
    pub fn sign_off(&self, stage: Stage) -> Option<&AuditEvent> {
        self.audit.iter().rev().find(|e| matches!(&e.kind, AuditKind::Stage { to, .. } if *to == stage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str) -> Person {
        Person { name: name.into(), title: "Chuyên viên".into() }
    }

    #[test]
    fn full_path_with_a_return() {
        let w = Workflow::default();
        let w = w.apply(Step::Submit, &p("A"), 1.0, false).expect("submit");
        assert_eq!(w.stage, Stage::Submitted);
        assert!(!w.stage.answers_editable());
        let r = Step::Return { reason: "Thiếu minh chứng 17.1".into() };
        let w = w.apply(r, &p("B"), 2.0, false).expect("return");
        assert_eq!(w.stage, Stage::Draft);
        let w = w.apply(Step::Submit, &p("A"), 3.0, true).expect("resubmit");
        let w = w.apply(Step::Review, &p("C"), 4.0, true).expect("review");
        let w = w.apply(Step::Appraise, &p("D"), 5.0, true).expect("appraise");
        let w = w.apply(Step::Recognise, &p("E"), 6.0, true).expect("recognise");
        assert_eq!(w.stage, Stage::Recognised);
        assert_eq!(w.audit.len(), 6);
        assert_eq!(w.sign_off(Stage::Appraised).map(|e| e.by.name.as_str()), Some("D"));
        assert!(w.possible_steps().is_empty());
    }

    #[test]
    fn one_person_signs_one_stage_of_a_dossier() {
        let w = Workflow::default().apply(Step::Submit, &p("Trần Thị B"), 1.0, true).expect("submit");
        // The commune officer cannot also review (written another way, still the same name).
        assert_eq!(
            w.apply(Step::Review, &p("trần thị  B"), 2.0, true),
            Err(WorkflowError::SameSigner(Role::Commune))
        );
        let w = w.apply(Step::Review, &p("Lê Văn C"), 2.0, true).expect("review");
        assert_eq!(w.audit[1].role, Some(Role::Reviewer));
        assert_eq!(
            w.apply(Step::Appraise, &p("Lê Văn C"), 3.0, true),
            Err(WorkflowError::SameSigner(Role::Reviewer))
        );
        // The appraiser returns the dossier; each signs again in the same role.
        let w = w.apply(Step::Return { reason: "thiếu".into() }, &p("Hồ Thị E"), 3.0, true).expect("return");
        assert_eq!(w.audit[2].role, Some(Role::Appraiser));
        assert_eq!(
            w.apply(Step::Submit, &p("Hồ Thị E"), 4.0, true),
            Err(WorkflowError::SameSigner(Role::Appraiser))
        );
        let w = w.apply(Step::Submit, &p("Trần Thị B"), 4.0, true).expect("resubmit");
        let w = w.apply(Step::Review, &p("Lê Văn C"), 5.0, true).expect("review again");
        let w = w.apply(Step::Appraise, &p("Hồ Thị E"), 6.0, true).expect("appraise");
        assert_eq!(
            w.apply_with(Step::Recognise, &p("Nguyễn Văn F"), 7.0, true, 2),
            Err(WorkflowError::ConditionsOpen(2))
        );
        let w = w.check_condition("no_debt", true, &p("Hồ Thị E"), 7.0).expect("tick");
        assert!(w.conditions.contains("no_debt"));
        assert!(matches!(w.audit.last().map(|e| &e.kind), Some(AuditKind::Condition { met: true, .. })));
        let w = w.apply_with(Step::Recognise, &p("Nguyễn Văn F"), 8.0, true, 0).expect("recognise");
        assert_eq!(w.audit.last().and_then(|e| e.role), Some(Role::Recogniser));
    }

    #[test]
    fn refusals_change_nothing() {
        let w = Workflow::default();
        assert_eq!(
            w.apply(Step::Review, &p("A"), 1.0, true),
            Err(WorkflowError::NotAllowed { stage: Stage::Draft })
        );
        assert_eq!(w.apply(Step::Submit, &Person::default(), 1.0, true), Err(WorkflowError::NoName));
        let s = w.apply(Step::Submit, &p("A"), 1.0, true).expect("submit");
        assert_eq!(
            s.apply(Step::Return { reason: " ".into() }, &p("B"), 2.0, true),
            Err(WorkflowError::NoReason)
        );
        let a = s
            .apply(Step::Review, &p("B"), 2.0, true)
            .and_then(|w| w.apply(Step::Appraise, &p("C"), 3.0, true))
            .expect("to appraised");
        assert_eq!(a.apply(Step::Recognise, &p("D"), 4.0, false), Err(WorkflowError::NotMet));
        assert_eq!(
            w.review("1.1", "x", None, &p("A"), 1.0),
            Err(WorkflowError::NotAllowed { stage: Stage::Draft })
        );
        let r = s.review("1.1", "Đã kiểm tra thực địa", Some(false), &p("B"), 2.0).expect("review");
        assert_eq!(r.reviews["1.1"].override_met, Some(false));
        assert_eq!(r.audit.len(), 2);
    }

    /// What serde's derive made of the same JSON before `Step` and `AuditKind` were read by hand.
    mod derived {
        // Compared through `Debug` only.
        #![allow(dead_code)]
        use super::super::Stage;
        use serde::Deserialize;

        #[derive(Debug, Deserialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        pub enum Step {
            Submit,
            Review,
            Appraise,
            Recognise,
            Return { reason: String },
        }

        #[derive(Debug, Deserialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        pub enum AuditKind {
            Stage { from: Stage, to: Stage, step: Step },
            Review { indicator: String, comment: String, override_met: Option<bool> },
            Condition { id: String, met: bool },
            Framework { from: String, to: String },
        }
    }

    /// The hand-written readers take exactly what the derive took, and refuse what it refused.
    #[test]
    fn audit_kinds_read_by_hand_as_the_derive_read_them() {
        let cases = [
            r#"{"type":"stage","from":"draft","to":"submitted","step":{"type":"submit"}}"#,
            r#"{"type":"stage","from":"submitted","to":"draft","step":{"type":"return","reason":"thiếu"}}"#,
            r#"{"step":{"reason":"x","type":"return"},"to":"draft","type":"stage","from":"appraised"}"#,
            r#"{"type":"stage","from":"reviewed","to":"appraised","step":{"type":"appraise","extra":1}}"#,
            r#"{"type":"review","indicator":"1.1","comment":"ok","override_met":false}"#,
            r#"{"type":"review","indicator":"1.1","comment":"ok","override_met":null}"#,
            r#"{"type":"review","indicator":"1.1","comment":"ok"}"#,
            r#"{"type":"condition","id":"no_debt","met":true,"note":"kept elsewhere"}"#,
            r#"{"type":"framework","from":"a@1","to":"a@2"}"#,
            // Refused by both:
            r#"{"type":"stage","from":"draft","to":"submitted"}"#,
            r#"{"type":"stage","from":"draft","to":"later","step":{"type":"submit"}}"#,
            r#"{"type":"stage","from":"draft","to":"submitted","step":{"type":"return"}}"#,
            r#"{"type":"stage","from":"draft","to":"submitted","step":{"type":"sign"}}"#,
            r#"{"type":"review","indicator":"1.1"}"#,
            r#"{"type":"condition","id":"no_debt","met":"yes"}"#,
            r#"{"type":"framework","from":"a@1"}"#,
            r#"{"type":"signature"}"#,
            r#"{"from":"a@1","to":"a@2"}"#,
            r#"{"type":7}"#,
            r#""stage""#,
        ];
        for case in cases {
            let ours = serde_json::from_str::<AuditKind>(case);
            let theirs = serde_json::from_str::<derived::AuditKind>(case);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "{case}: {ours:?} / {theirs:?}");
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                // Written back, ours is the same JSON as what the derive read.
                let back: serde_json::Value = serde_json::to_value(&ours).expect("json");
                let again = serde_json::from_value::<derived::AuditKind>(back).expect("reads");
                assert_eq!(format!("{again:?}"), format!("{theirs:?}"), "{case}");
            }
        }
    }
}
