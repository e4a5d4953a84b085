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
    /// The server account that wrote it (the CouchDB user signed in), when sync is set up. The
    /// server's guard requires it equal to the writer and checks the name against its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
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
    /// Who takes `step` at `stage` (`transition`'s part; a step the procedure does not have
    /// at `stage` is refused before any signer is asked for, and is named here by the step).
    pub fn of(step: &Step, stage: Stage) -> Role {
        transition(step, stage).map_or(
            match step {
                Step::Submit => Role::Commune,
                Step::Review => Role::Reviewer,
                Step::Appraise => Role::Appraiser,
                Step::Recognise | Step::Return { .. } => Role::Recogniser,
            },
            |(_, role)| role,
        )
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

/// The conditions beyond the criteria are ticked while the dossier is with the recogniser.
pub const CONDITIONS_STAGE: Stage = Stage::Appraised;

/// The one table of the procedure: where `step` taken at `from` leads, and the part that takes
/// it. The app's steps, the check of a trail read from outside (`Workflow::verify`) and the
/// server's guard (`couchdb/guard.js`, its `TRANSITIONS` line checked against
/// `transition_table_json` by a test) all follow it.
pub fn transition(step: &Step, from: Stage) -> Option<(Stage, Role)> {
    Some(match (step, from) {
        (Step::Submit, Stage::Draft) => (Stage::Submitted, Role::Commune),
        (Step::Review, Stage::Submitted) => (Stage::Reviewed, Role::Reviewer),
        (Step::Appraise, Stage::Reviewed) => (Stage::Appraised, Role::Appraiser),
        (Step::Recognise, Stage::Appraised) => (Stage::Recognised, Role::Recogniser),
        (Step::Return { .. }, Stage::Submitted) => (Stage::Draft, Role::Reviewer),
        (Step::Return { .. }, Stage::Reviewed) => (Stage::Draft, Role::Appraiser),
        (Step::Return { .. }, Stage::Appraised) => (Stage::Draft, Role::Recogniser),
        _ => return None,
    })
}

/// Who holds the dossier at `stage` (comments and overrides are theirs): whoever may return it.
pub fn holder(stage: Stage) -> Option<Role> {
    transition(&Step::Return { reason: String::new() }, stage).map(|(_, role)| role)
}

const ALL_STAGES: [Stage; 5] =
    [Stage::Draft, Stage::Submitted, Stage::Reviewed, Stage::Appraised, Stage::Recognised];

fn step_name(step: &Step) -> &'static str {
    match step {
        Step::Submit => "submit",
        Step::Review => "review",
        Step::Appraise => "appraise",
        Step::Recognise => "recognise",
        Step::Return { .. } => "return",
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Draft => "draft",
        Stage::Submitted => "submitted",
        Stage::Reviewed => "reviewed",
        Stage::Appraised => "appraised",
        Stage::Recognised => "recognised",
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Commune => "commune",
        Role::Reviewer => "reviewer",
        Role::Appraiser => "appraiser",
        Role::Recogniser => "recogniser",
    }
}

/// `transition` as the one-line JavaScript object the server's guard reads:
/// `{"submit":{"draft":{"to":"submitted","part":"commune"}},…}`.
pub fn transition_table_json() -> String {
    let steps =
        [Step::Submit, Step::Review, Step::Appraise, Step::Recognise, Step::Return { reason: String::new() }];
    let mut out = String::from("{");
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("\"{}\":{{", step_name(step)));
        let mut first = true;
        for from in ALL_STAGES {
            if let Some((to, part)) = transition(step, from) {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&format!(
                    "\"{}\":{{\"to\":\"{}\",\"part\":\"{}\"}}",
                    stage_name(from),
                    stage_name(to),
                    role_name(part)
                ));
            }
        }
        out.push('}');
    }
    out.push('}');
    out
}

/// Why a trail read from outside (a server, a hand-over file, a backup, storage) does not prove
/// its stage. `event` is the position in the audit trail, counted from 1 as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// A stage step that the procedure does not have (e.g. a submit that leads to recognised).
    Illegal { event: usize, step: Step, from: Stage, to: Stage },
    /// Signed in a part other than the one that takes this step.
    WrongPart { event: usize, claimed: Role, part: Role },
    /// A stage step without the signer's name.
    Unsigned { event: usize },
    /// A return without its reason.
    NoReason { event: usize },
    /// The stage the record says is not where its signed steps lead.
    StageNotProven { stage: Stage, proven: Stage },
    /// One server account signed two parts of the dossier.
    TwoParts { event: usize, account: String, first: Role, second: Role },
    /// A recognition decision on a line that is not a recognition (a crafted file).
    MisplacedDecision { event: usize },
}

impl ChainError {
    pub fn message(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            ChainError::Illegal { event, step, from, to } => {
                if vi {
                    format!(
                        "bước ký thứ {event} (“{}”) đưa từ “{}” sang “{}”: quy trình không có bước này",
                        step.label(lang),
                        from.label(lang),
                        to.label(lang)
                    )
                } else {
                    format!(
                        "signed step {event} (“{}”) goes from “{}” to “{}”: the procedure has no such step",
                        step.label(lang),
                        from.label(lang),
                        to.label(lang)
                    )
                }
            }
            ChainError::WrongPart { event, claimed, part } => {
                if vi {
                    format!(
                        "bước ký thứ {event} ghi vai trò “{}”, nhưng bước này thuộc vai trò “{}”",
                        claimed.label(lang),
                        part.label(lang)
                    )
                } else {
                    format!(
                        "signed step {event} claims the part “{}”, but this step is “{}”'s",
                        claimed.label(lang),
                        part.label(lang)
                    )
                }
            }
            ChainError::Unsigned { event } => {
                if vi {
                    format!("bước ký thứ {event} không có tên người ký")
                } else {
                    format!("signed step {event} has no signer's name")
                }
            }
            ChainError::NoReason { event } => {
                if vi {
                    format!("bước trả lại thứ {event} không có lý do")
                } else {
                    format!("return {event} has no reason")
                }
            }
            ChainError::StageNotProven { stage, proven } => {
                if vi {
                    format!(
                        "hồ sơ ghi “{}” nhưng các bước đã ký chỉ dẫn đến “{}”",
                        stage.label(lang),
                        proven.label(lang)
                    )
                } else {
                    format!(
                        "the dossier says “{}” but its signed steps lead only to “{}”",
                        stage.label(lang),
                        proven.label(lang)
                    )
                }
            }
            ChainError::TwoParts { event, account, first, second } => {
                if vi {
                    format!(
                        "tài khoản {account} đã ký bước {} rồi ký tiếp bước {} (bước ký thứ {event})",
                        first.label(lang),
                        second.label(lang)
                    )
                } else {
                    format!(
                        "account {account} signed the {} step and then the {} step (signed step {event})",
                        first.label(lang),
                        second.label(lang)
                    )
                }
            }
            ChainError::MisplacedDecision { event } => {
                if vi {
                    format!(
                        "dòng nhật ký thứ {event} ghi quyết định công nhận nhưng không phải bước công nhận"
                    )
                } else {
                    format!("audit line {event} carries a recognition decision but is not a recognition")
                }
            }
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
    /// The server account that signed it (see `Review::account`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// On a recognition: the provincial chair's decision (number and date) that recognises it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<RecognitionDecision>,
}

/// The recognition decision of the provincial People's Committee chair (QĐ 18/2022 Điều 3):
/// "1234/QĐ-UBND", "2026-11-20". Recorded with the recognition step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecognitionDecision {
    pub number: String,
    /// YYYY-MM-DD.
    pub date: String,
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
    /// Recognition names the decision that recognises (its number and date).
    #[error("the recognition decision's number and date are required")]
    NoDecision,
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
            WorkflowError::NoDecision => {
                if vi {
                    "cần ghi số và ngày của quyết định công nhận (ví dụ 1234/QĐ-UBND, ngày ký)".into()
                } else {
                    "the recognition decision's number and date are required (e.g. 1234/QĐ-UBND, the date signed)".into()
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
    /// The stage the dossier stood at when `at` happened: the last stage step of the trail at or
    /// before it (a reviewer's comment made while it stood at "submitted" is the review's, at
    /// "reviewed" the appraisal's, at "appraised" the recognition's).
    pub fn stage_at(&self, at: f64) -> Stage {
        self.audit
            .iter()
            .rev()
            .filter(|e| e.at <= at)
            .find_map(|e| match &e.kind {
                AuditKind::Stage { to, .. } => Some(*to),
                _ => None,
            })
            .unwrap_or_default()
    }

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
        let Some((to, _)) = transition(&step, self.stage) else {
            return Err(WorkflowError::NotAllowed { stage: self.stage });
        };
        match &step {
            Step::Recognise if !commune_met => return Err(WorkflowError::NotMet),
            Step::Recognise if open_conditions > 0 => {
                return Err(WorkflowError::ConditionsOpen(open_conditions))
            }
            Step::Return { reason } if reason.trim().is_empty() => return Err(WorkflowError::NoReason),
            _ => {}
        }
        let mut next = self.clone();
        next.audit.push(AuditEvent {
            at: now,
            by: by.clone(),
            kind: AuditKind::Stage { from: self.stage, to, step },
            role: Some(role),
            account: None,
            decision: None,
        });
        next.stage = to;
        Ok(next)
    }

    /// Recognises the dossier (`apply_with` `Step::Recognise`), recording the chair's decision
    /// that does it: its number and a valid date, both required.
    pub fn apply_recognition(
        &self,
        by: &Person,
        now: f64,
        commune_met: bool,
        open_conditions: usize,
        decision: RecognitionDecision,
    ) -> Result<Workflow, WorkflowError> {
        let number = decision.number.trim().to_string();
        let date = decision.date.trim().to_string();
        if number.is_empty() || number.chars().count() > 120 || !crate::domain::date::is_iso(&date) {
            return Err(WorkflowError::NoDecision);
        }
        let mut next = self.apply_with(Step::Recognise, by, now, commune_met, open_conditions)?;
        if let Some(e) = next.audit.last_mut() {
            e.decision = Some(RecognitionDecision { number, date });
        }
        Ok(next)
    }

    /// The decision recorded with the recognition that holds (the last recognise step), if any.
    pub fn recognition_decision(&self) -> Option<&RecognitionDecision> {
        self.audit
            .iter()
            .rev()
            .find(|e| matches!(&e.kind, AuditKind::Stage { step: Step::Recognise, .. }))
            .and_then(|e| e.decision.as_ref())
    }

    /// Ticks (or unticks) recognition condition `id` while the dossier is with the recogniser
    /// (appraised: the conditions are the recogniser's part, as the server's guard checks).
    pub fn check_condition(
        &self,
        id: &str,
        met: bool,
        by: &Person,
        now: f64,
    ) -> Result<Workflow, WorkflowError> {
        if self.stage != CONDITIONS_STAGE {
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
                account: None,
                decision: None,
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
            account: None,
            decision: None,
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
            Review {
                comment: comment.trim().to_string(),
                override_met,
                by: by.clone(),
                at: now,
                account: None,
            },
        );
        next.audit.push(AuditEvent {
            role: None,
            account: None,
            decision: None,
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

    /// Whether the signed steps of the trail prove the stage: each stage step is one the
    /// procedure has (`transition`), signed by name in its own part, a return with its reason;
    /// following the steps whose `from` is where the dossier stood (a step taken on a copy that
    /// another signed step overtook is kept, not followed) leads to `stage`; no server account
    /// signs two parts. What it cannot check — that a name is the person's — the server's guard
    /// does for what it stores.
    pub fn verify(&self) -> Result<(), ChainError> {
        let mut at = Stage::Draft;
        let mut parts: BTreeMap<&str, Role> = BTreeMap::new();
        for (i, e) in self.audit.iter().enumerate() {
            let recognition = matches!(&e.kind, AuditKind::Stage { step: Step::Recognise, .. });
            if e.decision.is_some() && !recognition {
                return Err(ChainError::MisplacedDecision { event: i + 1 });
            }
            let AuditKind::Stage { from, to, step } = &e.kind else { continue };
            let event = i + 1;
            let Some((_, part)) = transition(step, *from).filter(|(t, _)| t == to) else {
                return Err(ChainError::Illegal { event, step: step.clone(), from: *from, to: *to });
            };
            if let Some(claimed) = e.role.filter(|r| *r != part) {
                return Err(ChainError::WrongPart { event, claimed, part });
            }
            if e.by.name.trim().is_empty() {
                return Err(ChainError::Unsigned { event });
            }
            if matches!(step, Step::Return { reason } if reason.trim().is_empty()) {
                return Err(ChainError::NoReason { event });
            }
            if let Some(account) = e.account.as_deref() {
                match parts.get(account) {
                    Some(first) if *first != part => {
                        return Err(ChainError::TwoParts {
                            event,
                            account: account.to_string(),
                            first: *first,
                            second: part,
                        })
                    }
                    _ => {
                        parts.insert(account, part);
                    }
                }
            }
            if *from == at {
                at = *to;
            }
        }
        if at != self.stage {
            return Err(ChainError::StageNotProven { stage: self.stage, proven: at });
        }
        Ok(())
    }

    /// Writes `account` on what this device added since the trail had `since` events: those
    /// events, and the reviews they record.
    pub fn stamp_account(&mut self, since: usize, account: &str) {
        for e in self.audit.iter_mut().skip(since) {
            e.account = Some(account.to_string());
            if let AuditKind::Review { indicator, .. } = &e.kind {
                if let Some(r) = self.reviews.get_mut(indicator) {
                    r.account = Some(account.to_string());
                }
            }
        }
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
    fn a_comment_belongs_to_the_step_the_dossier_stood_at() {
        let w = Workflow::default().apply(Step::Submit, &p("A"), 1.0, true).expect("submit");
        let w = w.review("15.1", "Thiếu biên bản", None, &p("C"), 2.0).expect("review comment");
        let w = w.apply(Step::Review, &p("C"), 3.0, true).expect("review");
        let w = w.review("17.1", "Đối chiếu lại", Some(false), &p("D"), 4.0).expect("appraisal comment");
        assert_eq!(w.stage_at(0.5), Stage::Draft);
        // Made while it stood submitted: the review's (thẩm tra), though the trail moved on since.
        assert_eq!(w.stage_at(w.reviews["15.1"].at), Stage::Submitted);
        // Made after the review was signed: the appraisal's (thẩm định).
        assert_eq!(w.stage_at(w.reviews["17.1"].at), Stage::Reviewed);
        // A step signed at the same instant as the comment counts as before it.
        assert_eq!(w.stage_at(3.0), Stage::Reviewed);
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

    fn forged(json: &str) -> Workflow {
        serde_json::from_str(json).expect("a workflow")
    }

    #[test]
    fn a_signed_chain_proves_its_stage_and_a_forged_one_does_not() {
        let w = Workflow::default();
        let w = w.apply(Step::Submit, &p("A"), 1.0, true).expect("submit");
        let w = w.apply(Step::Return { reason: "thiếu".into() }, &p("B"), 2.0, true).expect("return");
        let w = w.apply(Step::Submit, &p("A"), 3.0, true).expect("resubmit");
        let w = w.apply(Step::Review, &p("B"), 4.0, true).expect("review");
        let w = w.apply(Step::Appraise, &p("C"), 5.0, true).expect("appraise");
        let w = w.apply(Step::Recognise, &p("D"), 6.0, true).expect("recognise");
        assert_eq!(w.verify(), Ok(()));
        assert_eq!(Workflow::default().verify(), Ok(()));

        // Recognised with no signed step at all.
        let bare = forged(r#"{"stage":"recognised","audit":[]}"#);
        assert_eq!(
            bare.verify(),
            Err(ChainError::StageNotProven { stage: Stage::Recognised, proven: Stage::Draft })
        );
        // One submit that claims to lead to recognised.
        let jump = forged(
            r#"{"stage":"recognised","audit":[{"at":1,"by":{"name":"X","title":"t"},
            "kind":{"type":"stage","from":"draft","to":"recognised","step":{"type":"submit"}},"role":"commune"}]}"#,
        );
        assert!(matches!(jump.verify(), Err(ChainError::Illegal { event: 1, step: Step::Submit, .. })));
        // A return that claims the dossier stood at submitted when it was recognised: not
        // followed, so the trail proves recognised while the record says draft.
        let mut stale = w.clone();
        stale.audit.push(AuditEvent {
            at: 7.0,
            by: p("B"),
            kind: AuditKind::Stage {
                from: Stage::Submitted,
                to: Stage::Draft,
                step: Step::Return { reason: "x".into() },
            },
            role: Some(Role::Reviewer),
            account: None,
            decision: None,
        });
        stale.stage = Stage::Draft;
        assert_eq!(
            stale.verify(),
            Err(ChainError::StageNotProven { stage: Stage::Draft, proven: Stage::Recognised })
        );
        // A review signed in the commune's part.
        let mut wrong = w.clone();
        wrong.audit[3].role = Some(Role::Commune);
        assert_eq!(
            wrong.verify(),
            Err(ChainError::WrongPart { event: 4, claimed: Role::Commune, part: Role::Reviewer })
        );
        // A step with no name.
        let mut unsigned = w.clone();
        unsigned.audit[4].by.name = " ".into();
        assert_eq!(unsigned.verify(), Err(ChainError::Unsigned { event: 5 }));
        // One account, two parts.
        let mut two = w.clone();
        two.audit[4].account = Some("so_nn".into());
        two.audit[5].account = Some("so_nn".into());
        assert_eq!(
            two.verify(),
            Err(ChainError::TwoParts {
                event: 6,
                account: "so_nn".into(),
                first: Role::Appraiser,
                second: Role::Recogniser
            })
        );
        for e in [bare.verify(), jump.verify(), two.verify()] {
            let e = e.expect_err("invalid");
            assert!(!e.message(Lang::Vi).is_empty() && e.message(Lang::Vi) != e.message(Lang::En));
        }
    }

    #[test]
    fn the_account_is_written_on_what_this_device_added() {
        let w = Workflow::default().apply(Step::Submit, &p("A"), 1.0, true).expect("submit");
        let mut w = w.review("1.1", "Đã xem", Some(false), &p("B"), 2.0).expect("review");
        w.stamp_account(1, "tham_tra_1");
        assert_eq!(w.audit[0].account, None);
        assert_eq!(w.audit[1].account.as_deref(), Some("tham_tra_1"));
        assert_eq!(w.reviews["1.1"].account.as_deref(), Some("tham_tra_1"));
        let text = serde_json::to_string(&w).expect("json");
        assert!(text.contains(r#""account":"tham_tra_1""#));
        let back: Workflow = serde_json::from_str(&text).expect("reads");
        assert_eq!(back, w);
    }

    #[test]
    fn the_table_has_every_step_the_app_takes_and_no_other() {
        let table: serde_json::Value = serde_json::from_str(&transition_table_json()).expect("json");
        let mut n = 0;
        for step in [Step::Submit, Step::Review, Step::Appraise, Step::Recognise] {
            for from in ALL_STAGES {
                let app =
                    Workflow { stage: from, ..Default::default() }.apply(step.clone(), &p("Z"), 1.0, true);
                let row = &table[step_name(&step)][stage_name(from)];
                assert_eq!(app.is_ok(), row.is_object(), "{step:?} at {from:?}");
                if let Ok(w) = app {
                    n += 1;
                    assert_eq!(row["to"], stage_name(w.stage));
                    assert_eq!(row["part"], role_name(w.audit[0].role.expect("role")));
                }
            }
        }
        assert_eq!(n, 4);
        assert_eq!(table["return"].as_object().map(|o| o.len()), Some(3));
        assert_eq!(holder(Stage::Reviewed), Some(Role::Appraiser));
        assert_eq!(holder(Stage::Recognised), None);
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

    #[test]
    fn recognition_records_the_chairs_decision_number_and_date() {
        let w = Workflow { stage: Stage::Appraised, ..Default::default() };
        let chair = p("Chủ tịch");
        let decision = |n: &str, d: &str| RecognitionDecision { number: n.into(), date: d.into() };
        for bad in
            [decision("", "2026-11-20"), decision("1234/QĐ-UBND", ""), decision("1234/QĐ-UBND", "20/11/2026")]
        {
            assert_eq!(w.apply_recognition(&chair, 1.0, true, 0, bad), Err(WorkflowError::NoDecision));
        }
        assert!(WorkflowError::NoDecision.message(Lang::Vi).contains("số và ngày của quyết định công nhận"));
        // The other refusals still hold.
        assert_eq!(
            w.apply_recognition(&chair, 1.0, false, 0, decision("1234/QĐ-UBND", "2026-11-20")),
            Err(WorkflowError::NotMet)
        );
        let done = w
            .apply_recognition(&chair, 1.0, true, 0, decision(" 1234/QĐ-UBND ", "2026-11-20"))
            .expect("recognised");
        assert_eq!(done.stage, Stage::Recognised);
        assert_eq!(done.recognition_decision(), Some(&decision("1234/QĐ-UBND", "2026-11-20")));
        let json = serde_json::to_value(&done).expect("json");
        assert_eq!(
            json["audit"][0]["decision"],
            serde_json::json!({"number": "1234/QĐ-UBND", "date": "2026-11-20"})
        );
        let back: Workflow = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, done);
        // A crafted file puts a decision on a line that is not a recognition: the chain is refused.
        let submitted = Workflow::default().apply(Step::Submit, &p("Xã"), 1.0, true).expect("submitted");
        let mut bad = submitted.clone();
        bad.audit[0].decision = Some(decision("9/QĐ-UBND", "2026-01-01"));
        assert_eq!(submitted.verify(), Ok(()));
        assert_eq!(bad.verify(), Err(ChainError::MisplacedDecision { event: 1 }));
        assert!(ChainError::MisplacedDecision { event: 1 }
            .message(Lang::Vi)
            .contains("không phải bước công nhận"));
    }
}
