//! Record policies, pure: when a copy of an assessment may replace another (restore, import,
//! another tab, later sync), when the two are a conflict, what differs between them field by
//! field, and the record the officer's choices resolve them to. A signed step is never lost:
//! a copy that lacks one of the other's signed steps never replaces it silently.

use std::collections::BTreeMap;

use crate::domain::assessment::{Assessment, Commune, Person};
use crate::domain::revision::Relation;
use crate::domain::workflow::Workflow;

/// What to do with an incoming copy of a record stored here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconcile {
    /// Identical: nothing to do.
    Same,
    /// The copy here already has everything the incoming one has (it is an older revision).
    KeepHere,
    /// The incoming copy descends from the one here and keeps every signed step: take it.
    TakeIncoming,
    /// Both were changed since they parted (or they differ under one revision, or taking
    /// either would drop a signed step): keep both until the officer resolves it.
    Conflict,
}

/// Whether `newer`'s audit trail starts with every event of `older`'s.
pub fn keeps_signatures(older: &Workflow, newer: &Workflow) -> bool {
    newer.audit.len() >= older.audit.len() && newer.audit[..older.audit.len()] == older.audit[..]
}

/// Decides between the copy `here` and an `incoming` copy of the same record.
pub fn reconcile(here: &Assessment, incoming: &Assessment) -> Reconcile {
    if here == incoming {
        return Reconcile::Same;
    }
    match incoming.rev.relation(&here.rev) {
        Relation::Precedes if keeps_signatures(&incoming.workflow, &here.workflow) => Reconcile::KeepHere,
        Relation::Descends if keeps_signatures(&here.workflow, &incoming.workflow) => Reconcile::TakeIncoming,
        // Same revision with other content (two copies made before revisions existed), a real
        // divergence, or an order of revisions that would lose a signature: the officer decides.
        _ if here.same_content(incoming) => Reconcile::KeepHere,
        _ => Reconcile::Conflict,
    }
}

/// A part of an assessment the officer chooses between in a conflict.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// Commune, round, region or group, assessors, framework version.
    Header,
    /// One indicator's entry (answer, note, document, typed count).
    Entry(String),
    /// The cadre roster.
    Roster,
    /// The workflow stage and reviews; the audit trail is always the union of both.
    Workflow,
}

/// Which copy a field is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    #[default]
    Here,
    Theirs,
}

/// The fields that differ between two copies, in display order. The workflow is listed only
/// when neither audit trail contains the other (otherwise the longer one is taken).
pub fn differences(here: &Assessment, theirs: &Assessment) -> Vec<Field> {
    let mut out = Vec::new();
    type Header<'a> = (&'a Commune, u16, &'a String, &'a Vec<Person>, &'a String, &'a String, &'a String);
    fn header(a: &Assessment) -> Header<'_> {
        (
            &a.commune,
            a.round,
            &a.dimension_value,
            &a.assessors,
            &a.framework_id,
            &a.framework_version,
            &a.assessed_on,
        )
    }
    if header(here) != header(theirs) {
        out.push(Field::Header);
    }
    let ids: std::collections::BTreeSet<&String> = here.entries.keys().chain(theirs.entries.keys()).collect();
    for id in ids {
        let a = here.entries.get(id).filter(|e| **e != Default::default());
        let b = theirs.entries.get(id).filter(|e| **e != Default::default());
        if a != b {
            out.push(Field::Entry(id.clone()));
        }
    }
    if here.roster != theirs.roster {
        out.push(Field::Roster);
    }
    if here.workflow != theirs.workflow
        && !keeps_signatures(&here.workflow, &theirs.workflow)
        && !keeps_signatures(&theirs.workflow, &here.workflow)
    {
        out.push(Field::Workflow);
    }
    out
}

/// What `a` holds for field `f`, in one line, for the officer choosing between two copies.
pub fn describe(a: &Assessment, f: &Field, lang: crate::domain::text::Lang) -> String {
    use crate::domain::answer::RawAnswer;
    let vi = lang == crate::domain::text::Lang::Vi;
    match f {
        Field::Header => format!(
            "{}, {} · {} · {} · {}@{}",
            a.commune.name,
            a.commune.province,
            a.round,
            a.dimension_value,
            a.framework_id,
            a.framework_version
        ),
        Field::Entry(id) => match a.entries.get(id) {
            None => (if vi { "(trống)" } else { "(empty)" }).to_string(),
            Some(e) => {
                let answer = match &e.answer {
                    None => String::new(),
                    Some(RawAnswer::Flag(b)) => (match (b, vi) {
                        (true, true) => "Đạt",
                        (false, true) => "Không đạt",
                        (true, false) => "Met",
                        (false, false) => "Not met",
                    })
                    .to_string(),
                    Some(RawAnswer::Text(t) | RawAnswer::Choice(t)) => t.clone(),
                    Some(RawAnswer::Pair(x, y)) => format!("{x}/{y}"),
                    Some(RawAnswer::Triple(x, y, z)) => {
                        format!("{x}/{y} ({} {z})", if vi { "trong đó" } else { "of which" })
                    }
                    Some(RawAnswer::Checks(c)) => c.iter().cloned().collect::<Vec<_>>().join(", "),
                };
                let mut parts = vec![answer];
                if !e.note.is_empty() {
                    parts.push(format!("“{}”", e.note));
                }
                if !e.source_ref.is_empty() {
                    parts.push(e.source_ref.clone());
                }
                parts.retain(|p| !p.is_empty());
                if parts.is_empty() {
                    (if vi { "(trống)" } else { "(empty)" }).to_string()
                } else {
                    parts.join(" · ")
                }
            }
        },
        Field::Roster => format!("{} {}", a.roster.people.len(), if vi { "người" } else { "people" }),
        Field::Workflow => format!(
            "{} · {} {}",
            a.workflow.stage.label(lang),
            a.workflow.audit.len(),
            if vi { "bước đã ký" } else { "signed steps" }
        ),
    }
}

/// `Field::Header` of `src` into `out`: commune, round, region or group, assessors, set and
/// version, date of assessment.
fn take_header(out: &mut Assessment, src: &Assessment) {
    out.commune = src.commune.clone();
    out.round = src.round;
    out.dimension_value = src.dimension_value.clone();
    out.assessors = src.assessors.clone();
    out.framework_id = src.framework_id.clone();
    out.framework_version = src.framework_version.clone();
    out.assessed_on = src.assessed_on.clone();
}

/// The resolved record: each differing field from the chosen side (here by default), the
/// workflow of the chosen side with every audit event of both, and a revision that descends
/// from both copies (bumped by `device`, which writes it).
pub fn resolve(
    here: &Assessment,
    theirs: &Assessment,
    choices: &BTreeMap<Field, Side>,
    device: &str,
    now: f64,
) -> Assessment {
    let pick = |f: &Field| choices.get(f).copied().unwrap_or_default();
    let mut out = here.clone();
    if pick(&Field::Header) == Side::Theirs {
        take_header(&mut out, theirs);
    }
    for f in differences(here, theirs) {
        if let Field::Entry(id) = &f {
            if pick(&f) == Side::Theirs {
                match theirs.entries.get(id) {
                    Some(e) => out.entries.insert(id.clone(), e.clone()),
                    None => out.entries.remove(id),
                };
            }
        }
    }
    if pick(&Field::Roster) == Side::Theirs {
        out.roster = theirs.roster.clone();
    }
    out.workflow = if keeps_signatures(&here.workflow, &theirs.workflow) {
        theirs.workflow.clone()
    } else if keeps_signatures(&theirs.workflow, &here.workflow) {
        here.workflow.clone()
    } else {
        let (chosen, other) = match pick(&Field::Workflow) {
            Side::Here => (&here.workflow, &theirs.workflow),
            Side::Theirs => (&theirs.workflow, &here.workflow),
        };
        // The chosen trail as it is, then the other's steps it lacks: kept (a signed step is
        // never lost), after the steps that prove the chosen stage. Sorted by the tablets'
        // clocks, a step taken apart could come between them and the trail would no longer
        // prove its stage (the record then kept apart at the next start-up).
        let mut w = chosen.clone();
        for e in &other.audit {
            if !w.audit.contains(e) {
                w.audit.push(e.clone());
            }
        }
        w
    };
    // A signed stage keeps the answers it was signed with: whatever was picked, the content of
    // a dossier past draft is the content of the copy that carries that stage.
    if !out.workflow.stage.answers_editable() {
        let signed = [theirs, here].into_iter().find(|a| a.workflow.stage == out.workflow.stage);
        if let Some(src) = signed {
            take_header(&mut out, src);
            out.entries = src.entries.clone();
            out.roster = src.roster.clone();
        }
    }
    out.created_at = here.created_at.min(theirs.created_at);
    out.updated_at = here.updated_at.max(theirs.updated_at).max(now);
    out.rev = here.rev.join(&theirs.rev).bumped(device);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answer::RawAnswer;
    use crate::domain::assessment::Commune;
    use crate::domain::workflow::Step;

    fn base() -> Assessment {
        let commune =
            Commune { name: "Xã Vĩnh Thanh".into(), province: "Cà Mau".into(), ..Default::default() };
        Assessment::new("a1".into(), ("f", "1"), commune, 2020, "dbscl", 1.0)
    }

    fn signer(n: &str) -> Person {
        Person { name: n.into(), title: "Chuyên viên".into() }
    }

    fn recognised(a: &Assessment, device: &str) -> Assessment {
        let mut a = a.clone();
        let mut w = a.workflow.clone();
        for (i, s) in [Step::Submit, Step::Review, Step::Appraise, Step::Recognise].into_iter().enumerate() {
            w = w.apply(s, &signer(&format!("P{i}")), 10.0 + i as f64, true).expect("step");
            a.rev = a.rev.bumped(device);
        }
        a.workflow = w;
        a
    }

    #[test]
    fn an_old_backup_never_replaces_a_signed_record() {
        let mut draft = base();
        draft.rev = draft.rev.bumped("tablet");
        draft.set_answer("10", Some(RawAnswer::Text("55".into())), 2.0);
        let signed = recognised(&draft, "tablet");
        assert_eq!(reconcile(&signed, &draft), Reconcile::KeepHere);
        // Even with a clock far ahead on the old copy.
        let mut ahead = draft.clone();
        ahead.updated_at = 9e15;
        assert_eq!(reconcile(&signed, &ahead), Reconcile::KeepHere);
        assert_eq!(reconcile(&draft, &signed), Reconcile::TakeIncoming);
    }

    #[test]
    fn divergence_is_a_conflict_and_resolution_keeps_every_signature() {
        let mut common = base();
        common.rev = common.rev.bumped("tablet");
        let signed = recognised(&common, "tablet");
        let mut edited = common.clone();
        edited.set_answer("10", Some(RawAnswer::Text("61".into())), 3.0);
        edited.rev = edited.rev.bumped("desk");
        assert_eq!(reconcile(&signed, &edited), Reconcile::Conflict);
        assert_eq!(differences(&signed, &edited), vec![Field::Entry("10".into())]);
        let choices = BTreeMap::from([(Field::Entry("10".into()), Side::Theirs)]);
        let r = resolve(&signed, &edited, &choices, "tablet", 50.0);
        // The copy here was recognised with no answer for 10: a signed stage keeps the answers
        // it was signed with, whatever is picked (#28: a stale tablet's edit never lands).
        assert_eq!(r.answer("10"), None);
        assert_eq!(r.workflow, signed.workflow, "the longer audit trail is taken");
        // Picked the other way round (the draft copy here), the same.
        let r2 = resolve(&edited, &signed, &BTreeMap::new(), "desk", 50.0);
        assert_eq!((r2.answer("10"), r2.workflow.stage), (None, signed.workflow.stage));
        assert_eq!(r.rev.relation(&signed.rev), Relation::Descends);
        assert_eq!(r.rev.relation(&edited.rev), Relation::Descends);
    }

    /// Two desks took different steps from the same stage (one returned, one reviewed); the
    /// officer keeps either: the resolved trail still proves the stage kept, so the record is
    /// not kept apart as invalid at the next start-up, and the other step is still there.
    #[test]
    fn a_resolved_trail_proves_the_stage_it_keeps() {
        let mut common = base();
        common.workflow = common.workflow.apply(Step::Submit, &signer("A"), 1.0, true).expect("submit");
        let mut returned = common.clone();
        returned.workflow = returned
            .workflow
            .apply(Step::Return { reason: "thiếu".into() }, &signer("B"), 10.0, true)
            .expect("return");
        returned.rev = returned.rev.bumped("desk1");
        let mut reviewed = common.clone();
        reviewed.workflow = reviewed.workflow.apply(Step::Review, &signer("C"), 11.0, true).expect("review");
        reviewed.rev = reviewed.rev.bumped("desk2");
        for (side, stage) in [(Side::Here, reviewed.workflow.stage), (Side::Theirs, returned.workflow.stage)]
        {
            let choices = BTreeMap::from([(Field::Workflow, side)]);
            let r = resolve(&reviewed, &returned, &choices, "desk2", 20.0);
            assert_eq!(r.workflow.stage, stage);
            assert_eq!(r.workflow.verify(), Ok(()), "{side:?}");
            assert_eq!(r.workflow.audit.len(), 3, "no signed step lost");
        }
    }

    #[test]
    fn two_signed_histories_are_united() {
        let mut common = base();
        common.rev = common.rev.bumped("x");
        let a = recognised(&common, "tablet");
        let mut b = common.clone();
        b.workflow = b.workflow.apply(Step::Submit, &signer("Q"), 5.0, true).expect("submit");
        b.rev = b.rev.bumped("desk");
        assert_eq!(reconcile(&a, &b), Reconcile::Conflict);
        assert!(differences(&a, &b).contains(&Field::Workflow));
        let r = resolve(&a, &b, &BTreeMap::new(), "tablet", 60.0);
        assert_eq!(r.workflow.stage, a.workflow.stage);
        assert_eq!(r.workflow.audit.len(), a.workflow.audit.len() + 1, "no signed step lost");
        // The kept trail first, as signed (it proves the stage), then the other's step.
        assert!(keeps_signatures(&a.workflow, &r.workflow));
        assert_eq!(r.workflow.verify(), Ok(()));
    }

    #[test]
    fn copies_from_before_revisions_that_differ_are_conflicts() {
        let a = base();
        let mut b = base();
        b.set_answer("1.1", Some(RawAnswer::Flag(true)), 2.0);
        assert_eq!(reconcile(&a, &b), Reconcile::Conflict);
        assert_eq!(reconcile(&a, &a.clone()), Reconcile::Same);
    }

    #[test]
    fn a_later_revision_that_drops_a_signature_is_a_conflict() {
        let mut common = base();
        common.rev = common.rev.bumped("tablet");
        let signed = recognised(&common, "tablet");
        let mut rewritten = common.clone();
        rewritten.rev = signed.rev.bumped("tablet"); // claims to descend, but lost the trail
        assert_eq!(reconcile(&signed, &rewritten), Reconcile::Conflict);
    }
}
