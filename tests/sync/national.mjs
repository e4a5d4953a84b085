// GENERATED national data for the roll-up views (couchdb/rollup.json): every province's
// assessments, seeded into one pouchdb-server database per province (tieuchi_pNN) and replicated
// into tieuchi_national, with an independent oracle of what the views must answer. Used by
// tests/sync/national.test.mjs, bench/rollup-views.mjs and the national dashboard's e2e/bench.
//
//   const data = nationalDocs({ communes: 3300 });          // [{ province: {code, name}, docs }]
//   const couch = await startCouch();                        // tests/sync/server.mjs
//   await seedProvinces(couch, data);                        // → { docs, ms }
//   await replicateToNational(couch, data);                  // → { ms }
//   const v = await queryViews(couch, 'tieuchi_national', SET); // → { communes, saved, bytes, ms }
//   expectedTotals(data, { round: 2026 })                     // plain counting over `data`
//   totalsFromRows(v, { round: 2026 })                        // the rows summed into the same shape
//
// NOTHING HERE IS REAL DATA. Provinces are "Tỉnh Thử 01" … "Tỉnh Thử 34" (codes "01".."34"), every
// commune name starts with "Xã thử ", every document carries `generated: true` at top level and
// is made by a seeded pseudo-random generator (mulberry32; no Math.random), so the same options
// always give the same documents. Each document is shaped as the app writes an assessment
// (src/domain/sync.rs `to_doc`: the stored envelope of schema 6 + _id, type, scope, sync,
// summary) with no answers (`entries: {}`) and no signed chain (`audit: []`): the summaries'
// `met` are drawn, not scored, and a stage past draft has no signatures, so these documents are
// written as admin and would not pass the guard as a user's write (no guard is installed here).
// Every `summary` repeats its record's own fields exactly (as the guard demands of real ones), and
// its `criteria` is the set's criterion ids in order (the `criteria` option).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** couchdb/rollup.json, the design document `_design/rollup` (read fresh each call). */
export const rollupDesign = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'couchdb', 'rollup.json'), 'utf8'));

export const NATIONAL_DB = 'tieuchi_national';
export const DEFAULT_SET = 'ntm-xa-2026-2030@51/2025-khung-tam';
export const STAGES = ['draft', 'submitted', 'reviewed', 'appraised', 'recognised'];
export const GROUPS = ['nhom1', 'nhom2', 'nhom3'];
/** The criteria of the 51/2025 set (assets/frameworks/ntm-xa-2026-2030-khung-tam.json): "1".."10". */
export const CRITERIA_51 = Array.from({ length: 10 }, (_, i) => String(i + 1));
export const provinceDb = (code) => `tieuchi_p${code}`;

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks a key of `table` ({key: weight}) with `r` in [0, 1). */
function pick(table, r) {
  const entries = Object.entries(table);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [k, w] of entries) {
    if (x < w) return k;
    x -= w;
  }
  return entries[entries.length - 1][0];
}

// Stage tables. Only an all-met dossier goes past 'reviewed' (appraised, recognised). The first
// round is mostly finished; later rounds are under way, spread over every stage.
const FIRST_ALL_MET = { recognised: 78, appraised: 14, reviewed: 6, submitted: 2 };
const FIRST_NOT_MET = { draft: 30, submitted: 40, reviewed: 30 };
const LATER_ALL_MET = { draft: 15, submitted: 25, reviewed: 25, appraised: 20, recognised: 15 };
const LATER_NOT_MET = { draft: 45, submitted: 35, reviewed: 20 };
const GROUP_TABLE = { nhom1: 15, nhom2: 70, nhom3: 15 };

/** How many of `total` communes each of `n` provinces gets: uneven (about 1:10), each ≥ 1, summing to `total`. */
function spread(total, n, rand) {
  const weights = Array.from({ length: n }, () => 0.3 + 2.7 * rand() ** 2);
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) counts[order[k][1]]++;
  for (let k = n - 1; left < 0; k = (k + n - 1) % n) {
    const i = order[k][1];
    if (counts[i] > 1) { counts[i]--; left++; }
  }
  return counts;
}

/**
 * The generated nation: `communes` communes spread unevenly over `provinces` provinces, one
 * assessment per commune and round. Returns `[{ province: {code, name}, docs }]`, docs in commune
 * then round order. `criteria` are the set's criterion ids (default "1".."10"), `provisional`
 * what every summary says (the 51/2025 set is provisional).
 */
export function nationalDocs({
  communes = 3300, rounds = [2025, 2026], provinces = 34, set = DEFAULT_SET, seed = 1,
  criteria = CRITERIA_51, provisional = true,
} = {}) {
  if (provinces < 1 || provinces > 99) throw new Error('provinces: 1..99 (two-digit codes)');
  if (communes < provinces) throw new Error('communes: at least one per province');
  const rand = prng(seed);
  const at = set.indexOf('@');
  const [frameworkId, frameworkVersion] = at < 0 ? [set, ''] : [set.slice(0, at), set.slice(at + 1)];
  const sizes = spread(communes, provinces, rand);
  const out = [];
  for (let p = 0; p < provinces; p++) {
    const code = String(p + 1).padStart(2, '0');
    const name = `Tỉnh Thử ${code}`;
    const docs = [];
    for (let n = 1; n <= sizes[p]; n++) {
      const group = pick(GROUP_TABLE, rand());
      // The order in which this commune comes to meet the criteria, and how many it meets:
      // never fewer from one round to the next.
      const order = [...criteria];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let k = rand() < 0.3 ? criteria.length : 2 + Math.floor(rand() * (criteria.length - 2));
      const unit = `${code}${String(n).padStart(4, '0')}`;
      const commune = { code: unit, name: `Xã thử ${code}-${String(n).padStart(4, '0')}`, province: name };
      rounds.forEach((round, r) => {
        if (r > 0 && k < criteria.length) k = rand() < 0.3 ? criteria.length : Math.min(criteria.length, k + Math.floor(rand() * 4));
        const reached = new Set(order.slice(0, k));
        const met = criteria.filter((c) => reached.has(c));
        const allMet = met.length === criteria.length;
        const stage = pick(r === 0 ? (allMet ? FIRST_ALL_MET : FIRST_NOT_MET) : (allMet ? LATER_ALL_MET : LATER_NOT_MET), rand());
        const created = Date.UTC(round, 0, 15) + Math.floor(rand() * 280 * 86400000);
        const updated = created + Math.floor(rand() * 30 * 86400000);
        const saved = updated + Math.floor(rand() * 3600000);
        const id = `thu-${code}-${n}-${round}`;
        docs.push({
          _id: `assessment:${id}`,
          type: 'assessment',
          generated: true,
          schema_version: 6,
          saved_at: saved,
          scope: { province: code },
          assessment: {
            id,
            framework_id: frameworkId,
            framework_version: frameworkVersion,
            commune: { ...commune },
            round,
            dimension_value: group,
            entries: {},
            rev: { thu: 1 },
            workflow: { stage, reviews: {}, audit: [], conditions: [] },
            created_at: created,
            updated_at: updated,
          },
          sync: { edit_id: 'thu:1', by: 'thu', saved_at: saved },
          summary: {
            v: 1,
            set,
            round,
            province: name,
            commune: unit,
            group,
            stage,
            met,
            criteria: [...criteria],
            all_met: allMet,
            provisional,
          },
        });
      });
    }
    out.push({ province: { code, name }, docs });
  }
  return out;
}

/**
 * What the views must answer for `round` (and only `province`, given as code or name, and
 * `group` when given), counted plainly from the records' own fields (assessment.*, not the
 * summary, except `met` which only the summary holds): `{ records, all_met, provisional,
 * met_total, stages: {stage: n}, criteria: {id: n}, provinces: {name: {records, all_met}},
 * groups: {group: n}, saved: {count, min, max, sum} }`.
 */
export function expectedTotals(data, { round, province, group, set, stage } = {}) {
  const t = {
    records: 0, all_met: 0, provisional: 0, met_total: 0,
    stages: Object.fromEntries(STAGES.map((s) => [s, 0])), criteria: {}, provinces: {}, groups: {},
    saved: { count: 0, min: Infinity, max: -Infinity, sum: 0 },
  };
  for (const { province: p, docs } of data) {
    if (province !== undefined && province !== p.code && province !== p.name) continue;
    for (const d of docs) {
      const a = d.assessment;
      if (round !== undefined && a.round !== round) continue;
      if (group !== undefined && a.dimension_value !== group) continue;
      if (stage !== undefined && a.workflow.stage !== stage) continue;
      if (set !== undefined && `${a.framework_id}@${a.framework_version}` !== set) continue;
      const met = d.summary.met;
      const all = met.length === d.summary.criteria.length;
      t.records++;
      if (all) t.all_met++;
      if (d.summary.provisional) t.provisional++;
      t.met_total += met.length;
      t.stages[a.workflow.stage] = (t.stages[a.workflow.stage] || 0) + 1;
      for (const c of met) t.criteria[c] = (t.criteria[c] || 0) + 1;
      const byP = (t.provinces[a.commune.province] ||= { records: 0, all_met: 0 });
      byP.records++;
      if (all) byP.all_met++;
      t.groups[a.dimension_value] = (t.groups[a.dimension_value] || 0) + 1;
      const s = d.sync.saved_at;
      t.saved.count++;
      t.saved.sum += s;
      t.saved.min = Math.min(t.saved.min, s);
      t.saved.max = Math.max(t.saved.max, s);
    }
  }
  return t;
}

async function must(what, p, ok = [200, 201]) {
  const r = await p;
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
  return r;
}

/** Creates `db` as admin (an existing one is kept) and puts couchdb/rollup.json in it. */
export async function createRollupDb(couch, db) {
  await must(`create ${db}`, couch.admin('PUT', `/${db}`), [201, 412]);
  const design = rollupDesign();
  const old = await couch.admin('GET', `/${db}/${design._id}`);
  if (old.status === 200) design._rev = old.body._rev;
  await must(`${db}/${design._id}`, couch.admin('PUT', `/${db}/${design._id}`, design));
}

/** Writes `docs` into `db` with admin `_bulk_docs` in batches of `batch`; throws on any refused document. */
export async function bulkWrite(couch, db, docs, batch = 500) {
  for (let i = 0; i < docs.length; i += batch) {
    const r = await must(`${db}/_bulk_docs`, couch.admin('POST', `/${db}/_bulk_docs`, { docs: docs.slice(i, i + batch) }));
    const bad = r.body.filter((x) => x.error);
    if (bad.length) throw new Error(`${db}/_bulk_docs: ${bad.length} refused, first ${JSON.stringify(bad[0])}`);
  }
}

/** Creates each tieuchi_pNN with `_design/rollup` and writes its documents. → `{ docs, ms }`. */
export async function seedProvinces(couch, data) {
  const t0 = performance.now();
  let docs = 0;
  for (const { province, docs: list } of data) {
    const db = provinceDb(province.code);
    await createRollupDb(couch, db);
    await bulkWrite(couch, db, list);
    docs += list.length;
  }
  return { docs, ms: performance.now() - t0 };
}

/**
 * Creates tieuchi_national with `_design/rollup` and replicates every province database into it
 * with `POST /_replicate` (one-shot, one province after the other). → `{ ms, filtered, replications }`.
 *
 * A real CouchDB gets `selector: {type: 'assessment'}`, so only assessments travel. pouchdb-server
 * 4.2.0 (express-pouchdb lib/routes/replicate.js) passes on only `source`, `target`,
 * `continuous`, `filter` and `query_params`: a `selector` is silently dropped and everything
 * would be copied anyway. Against it the replication is therefore sent without one, openly
 * unfiltered: the provinces' `_design/rollup` (the same text as the national one) travels too,
 * which the views do not count (they emit only for `type: 'assessment'`). `selector` forces one
 * way or the other; by default it is used unless the server answers `GET /` as express-pouchdb.
 */
export async function replicateToNational(couch, data, { selector } = {}) {
  const t0 = performance.now();
  await createRollupDb(couch, NATIONAL_DB);
  if (selector === undefined) {
    const root = await couch.admin('GET', '/');
    selector = !(root.body && 'express-pouchdb' in root.body);
  }
  const replications = [];
  for (const { province } of data) {
    const body = {
      source: `${couch.adminUrl}/${provinceDb(province.code)}`,
      target: `${couch.adminUrl}/${NATIONAL_DB}`,
    };
    if (selector) body.selector = { _id: { $regex: '^assessment:' } };
    const r = await must(`replicate ${province.code}`, couch.admin('POST', '/_replicate', body));
    if (r.body.ok !== true) throw new Error(`replicate ${province.code}: ${r.text.slice(0, 500)}`);
    replications.push({ province: province.code, docs_written: r.body.docs_written, doc_write_failures: r.body.doc_write_failures });
  }
  return { ms: performance.now() - t0, filtered: selector, replications };
}

const enc = (v) => encodeURIComponent(JSON.stringify(v));

/**
 * The two roll-up views of `db` for `set`, grouped as a dashboard reads them (communes at level 5,
 * saved at level 1), fetched one after the other as admin.
 * → `{ communes, saved, bytes, ms: {communes, saved}, bytesOf: {communes, saved} }`,
 * each view's `rows`, `bytes` the answers' bodies summed.
 */
export async function queryViews(couch, db, set = DEFAULT_SET) {
  const range = `startkey=${enc([set])}&endkey=${enc([set, {}])}`;
  const paths = {
    communes: `/${db}/_design/rollup/_view/communes?group_level=6&${range}`,
    saved: `/${db}/_design/rollup/_view/saved?group_level=1&${range}`,
  };
  const out = { bytes: 0, ms: {}, bytesOf: {} };
  for (const [view, p] of Object.entries(paths)) {
    const t0 = performance.now();
    const r = await must(`${db} view ${view}`, couch.admin('GET', p), [200]);
    out.ms[view] = performance.now() - t0;
    out.bytesOf[view] = Buffer.byteLength(r.text);
    out.bytes += out.bytesOf[view];
    out[view] = r.body.rows;
  }
  return out;
}

/**
 * The communes rows of `queryViews` summed back into `expectedTotals`' shape for `round` (and
 * `province` name, `group` when given), so the two can be compared with deepStrictEqual
 * (all but `saved`, which is not returned: the saved view is keyed by the set only). A row's value
 * is [records, all met, provisional, then one count per criterion]: value[3 + i] counts the
 * records meeting `criteria[i]` (the set's ids in the summaries' order, default "1".."10"), and
 * `met_total` is their sum. As in expectedTotals, a criterion met by no record has no entry.
 * Throws on a value whose length is not 3 + criteria.length (another set's criteria).
 */
export function totalsFromRows(views, { round, province, group, criteria = CRITERIA_51 } = {}) {
  const t = {
    records: 0, all_met: 0, provisional: 0, met_total: 0,
    stages: Object.fromEntries(STAGES.map((s) => [s, 0])), criteria: {}, provinces: {}, groups: {},
  };
  const keep = (key) => (round === undefined || key[1] === round)
    && (province === undefined || key[2] === province) && (group === undefined || key[3] === group);
  for (const { key, value } of views.communes) {
    if (!keep(key)) continue;
    if (!Array.isArray(value) || value.length !== 3 + criteria.length) {
      throw new Error(`communes row ${JSON.stringify(key)}: value ${JSON.stringify(value)} is not [records, all met, provisional, one count for each of ${criteria.length} criteria]`);
    }
    const [n, all, prov] = value;
    t.records += n;
    t.all_met += all;
    t.provisional += prov;
    criteria.forEach((c, i) => {
      const met = value[3 + i];
      t.met_total += met;
      if (met) t.criteria[c] = (t.criteria[c] || 0) + met;
    });
    t.stages[key[4]] = (t.stages[key[4]] || 0) + n;
    const byP = (t.provinces[key[2]] ||= { records: 0, all_met: 0 });
    byP.records += n;
    byP.all_met += all;
    t.groups[key[3]] = (t.groups[key[3]] || 0) + n;
  }
  return t;
}
