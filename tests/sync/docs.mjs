// Documents for the sync-server tests: assessments as the app writes them, signed audit events and reviews by the test users of server.mjs, framework texts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { USERS } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The guard's transition table, read from its one line in couchdb/guard.js. */
export const TRANSITIONS = JSON.parse(
  /^var TRANSITIONS = (.*);$/m.exec(fs.readFileSync(path.join(ROOT, 'couchdb', 'guard.js'), 'utf8'))[1],
);

/** The name and title `user` signs with (the signer list). */
export const signer = (user) => ({ name: USERS[user].full_name, title: USERS[user].title });

/**
 * A stage event signed by `user` as the app writes it: by = the user's signer entry, role = the
 * step's part, account = user. `opts.by`/`opts.account`/`opts.role` override (`role: null` omits it).
 */
export function signed(user, at, from, to, step, opts = {}) {
  const e = { at, by: opts.by || signer(user), kind: { type: 'stage', from, to, step: { type: step } } };
  if (step === 'return') e.kind.step.reason = opts.reason ?? 'Bổ sung biên bản họp dân';
  const part = TRANSITIONS[step]?.[from]?.part;
  if (opts.role !== null && (opts.role || part)) e.role = opts.role || part;
  if (opts.account !== null) e.account = opts.account ?? user;
  return e;
}

export const reviewEvent = (user, at, indicator, comment, overrideMet = null) => ({
  at, by: signer(user), kind: { type: 'review', indicator, comment, override_met: overrideMet }, account: user,
});
export const reviewEntry = (user, at, comment, overrideMet = null) => ({
  comment, override_met: overrideMet, by: signer(user), at, account: user,
});
export const conditionEvent = (user, at, id, met = true) => ({
  at, by: signer(user), kind: { type: 'condition', id, met }, account: user,
});

/** The whole signed chain to `stage` by xa1 → tt1 → td1 → cn1 (cn1 ticks other_conditions first). */
export function chainTo(stage) {
  const steps = [
    ['xa1', 'draft', 'submitted', 'submit'],
    ['tt1', 'submitted', 'reviewed', 'review'],
    ['td1', 'reviewed', 'appraised', 'appraise'],
    ['cn1', 'appraised', 'recognised', 'recognise'],
  ];
  const audit = [];
  let at = 1;
  for (const [user, from, to, step] of steps) {
    if (from === stage) break;
    if (step === 'review') audit.push(reviewEvent('tt1', at++, '1.1', 'Đã kiểm tra thực địa', true));
    if (step === 'recognise') audit.push(conditionEvent('cn1', at++, 'other_conditions'));
    audit.push(signed(user, at++, from, to, step));
  }
  const reviewed = audit.some((e) => e.kind.type === 'review');
  return {
    audit,
    reviews: reviewed ? { '1.1': reviewEntry('tt1', 2, 'Đã kiểm tra thực địa', true) } : {},
    conditions: audit.some((e) => e.kind.type === 'condition') ? ['other_conditions'] : [],
  };
}

/** An assessment document as the client writes it (schema 3). */
export function assessmentDoc(id, {
  stage = 'draft', audit = [], reviews = {}, conditions = [], province = '96', rev,
  commune = { code: '31882', name: 'Xã Tân Thành', province: 'Tỉnh Cà Mau' },
  entries = { '1.1': { answer: { t: 'flag', v: true } } },
} = {}) {
  const doc = {
    _id: `assessment:${id}`,
    type: 'assessment',
    schema_version: 3,
    saved_at: 1767225600000,
    scope: { province },
    assessment: {
      id,
      framework_id: 'ntm-2021-2025',
      framework_version: '1',
      commune,
      round: 2020,
      dimension_value: 'dbscl',
      entries,
      roster: {},
      rev: { dev1: 1 },
      workflow: { stage, reviews, audit, conditions },
      created_at: 1767225600000,
      updated_at: 1767225600000,
    },
    sync: { edit_id: 'dev1:1', by: 'xa1', saved_at: 1767225600000 },
  };
  if (rev) doc._rev = rev;
  return doc;
}

/** An assessment at `stage` with its whole legitimate chain (see `chainTo`). */
export const dossierAt = (id, stage, opts = {}) => assessmentDoc(id, { stage, ...chainTo(stage), ...opts });

/** A copy of `doc` (deep) with `fn` applied to it. */
export function edited(doc, fn) {
  const copy = structuredClone(doc);
  fn(copy);
  return copy;
}

/** The text of tests/fixtures/frameworks/minimal.json (id "mini", version "1"), optionally changed. */
export function frameworkText(change) {
  const fw = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'frameworks', 'minimal.json'), 'utf8'));
  if (change) change(fw);
  return JSON.stringify(fw);
}

/** The text of a bundled framework file, as the app would push it. */
export const bundledFramework = (file) => fs.readFileSync(path.join(ROOT, 'assets', 'frameworks', file), 'utf8');

/**
 * A full, generously filled record of the 49-indicator 2016–2020 set: every indicator answered
 * with a note and a source, 23 cadres on the roster, 12 reviews, 20 audit events. Used to size
 * the guard's document limit (docs/sync-server.md).
 */
export function fullRecord(id) {
  const fw = JSON.parse(bundledFramework('ntm-xa-2016-2020.json'));
  const entries = {};
  for (const g of fw.groups) for (const c of g.criteria) for (const i of c.indicators) {
    entries[i.id] = {
      answer: { t: 'pair', v: ['10.500', '11.800'] },
      note: 'Theo báo cáo của UBND xã ngày 15/10/2025, đã kiểm tra thực địa tại các ấp, có biên bản kèm theo',
      source_ref: 'Số 125/BC-UBND ngày 15/10/2025',
    };
  }
  const people = [];
  for (let k = 0; k < 23; k++) {
    people.push({
      id: `p${k}`, name: `Nguyễn Thị Thanh Hương ${k}`, title: 'cong_chuc_van_phong_thong_ke', birth_year: 1980,
      levels: { professional: 'dai_hoc', political: 'trung_cap' }, field: 'Quản lý đất đai', appointed: '2016-06-01',
      difficult_area: true, confirmed: { met: true, basis: 'Quyết định số 12/QĐ-UBND ngày 01/06/2016' },
    });
  }
  const comment = 'Đã kiểm tra hồ sơ minh chứng, đề nghị bổ sung biên bản';
  const ids = Object.keys(entries);
  const reviews = {};
  const audit = [];
  let at = 1767225600000;
  for (let k = 0; k < 8; k++) {
    audit.push(signed('xa1', at++, 'draft', 'submitted', 'submit'));
    audit.push(signed('tt1', at++, 'submitted', 'draft', 'return', { reason: 'Bổ sung biên bản họp dân về mức độ hài lòng' }));
  }
  audit.push(signed('xa1', at++, 'draft', 'submitted', 'submit'));
  for (let k = 0; k < 12; k++) {
    reviews[ids[k]] = reviewEntry('tt1', at, comment);
    if (audit.length < 20) audit.push(reviewEvent('tt1', at++, ids[k], comment));
  }
  const doc = assessmentDoc(id, { stage: 'submitted', audit, reviews, entries });
  Object.assign(doc.assessment, {
    framework_id: fw.id, framework_version: fw.version, assessed_on: '2025-10-15',
    assessors: [signer('xa1'), signer('xa2'), signer('tt1')], roster: { people },
    commune: { code: '31882', name: 'Xã Vĩnh Thanh', province: 'Tỉnh Cà Mau', district: 'Huyện Phước Long' },
  });
  return doc;
}
