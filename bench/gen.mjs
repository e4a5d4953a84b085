// Generates synthetic data for the benchmarks: frameworks of any size in the app's format, and
// stored assessments (in the storage envelope) against the bundled 1980 set.
import fs from 'node:fs';

const REGIONS = ['tdmnpb', 'dbsh', 'btb', 'dhntb', 'tn', 'dnb', 'dbscl'];
const T = (vi, en) => ({ vi, en });

/** A valid framework with `n` indicators in criteria of `perCriterion`. */
export function framework(n, { id = 'bench', perCriterion = 100 } = {}) {
  const criteria = [];
  for (let c = 0; c * perCriterion < n; c++) {
    const indicators = [];
    for (let i = 0; i < perCriterion && c * perCriterion + i < n; i++) {
      const code = `${c + 1}.${i + 1}`;
      const title = T(`Chỉ tiêu tổng hợp số ${code} về hạ tầng và dịch vụ xã hội nông thôn`, `Synthetic indicator ${code}`);
      const k = i % 3;
      if (k === 0) indicators.push({ id: code, title, kind: 'yes_no', source: 'bench', verified: true });
      else if (k === 1) indicators.push({
        id: code, title, kind: 'ratio', comparator: '>=', numerator: T('Số đạt', 'Met'), denominator: T('Tổng số', 'Total'),
        threshold: { national: 80, by: Object.fromEntries(REGIONS.map((r, j) => [r, 70 + j])) }, source: 'bench', verified: true,
      });
      else indicators.push({
        id: code, title, kind: 'number', unit: T('triệu đồng', 'million VND'), comparator: '>=',
        threshold: { national: 45, by: Object.fromEntries(REGIONS.map((r, j) => [r, 36 + j])) }, source: 'bench', verified: true,
      });
    }
    criteria.push({ id: `${c + 1}`, title: T(`Tiêu chí ${c + 1}`, `Criterion ${c + 1}`), indicators });
  }
  return {
    format: 'tieuchi-framework/1', id, version: '1', title: T(`Bộ tiêu chí thử ${n} chỉ tiêu`, `Synthetic ${n}-indicator set`),
    period: [2020, 2030], legal_basis: { decision: 'BENCH', signed: '2020-01-01', in_force: '2020-01-01' },
    dimension: { id: 'region', title: T('Vùng', 'Region'), values: REGIONS.map((r) => ({ id: r, title: T(r, r) })) },
    groups: [{ id: 'G', title: T('Nhóm', 'Group'), criteria }],
  };
}

/** A framework whose JSON text is about `bytes` long. */
export function frameworkOfSize(bytes) {
  const per = JSON.stringify(framework(300)).length / 300;
  return framework(Math.round(bytes / per), { id: 'bench-1mb' });
}

/** A stored assessment envelope against `fwId@fwVersion` with `answers` answered indicators. */
export function assessment(i, { fwId = 'ntm-xa-2016-2020', fwVersion = '1980/2016', answers = {} } = {}) {
  const entries = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, { answer: v }]));
  return {
    schema_version: 5, saved_at: 1764200000000 + i,
    assessment: {
      id: `bench-${i}`, framework_id: fwId, framework_version: fwVersion,
      commune: { name: `Xã Thử ${i}`, province: i % 2 ? 'Tỉnh Cà Mau' : 'Tỉnh Bạc Liêu' },
      round: 2020, dimension_value: 'dbscl', entries, created_at: 1764100000000 + i, updated_at: 1764200000000 + i,
    },
  };
}

/**
 * The text the app itself stores for `assessment(i, opts)`: its field order, the fields it
 * writes by default, map keys in Rust's order and numbers of type f64 written with ".0". A record
 * in this form is read straight at start-up; JSON.stringify's form (another key order) is read
 * and then walked key by key for fields the app does not know, as a record written elsewhere is.
 */
export function storedText(i, opts) {
  const env = assessment(i, opts);
  const a = env.assessment;
  const J = JSON.stringify;
  const f = (x) => (Number.isInteger(x) ? `${x}.0` : String(x));
  const keys = Object.keys(a.entries).sort(); // ASCII ids: UTF-16 order is byte order
  const entries = keys.map((k) => `${J(k)}:{"answer":${J(a.entries[k].answer)}}`).join(',');
  return `{"schema_version":${env.schema_version},"saved_at":${f(env.saved_at)},"assessment":{"id":${J(a.id)},`
    + `"framework_id":${J(a.framework_id)},"framework_version":${J(a.framework_version)},`
    + `"commune":{"code":null,"name":${J(a.commune.name)},"province":${J(a.commune.province)},"district":null},`
    + `"round":${a.round},"dimension_value":${J(a.dimension_value)},"assessors":[],"entries":{${entries}},`
    + `"workflow":{"stage":"draft","reviews":{},"audit":[]},"created_at":${f(a.created_at)},"updated_at":${f(a.updated_at)}}}`;
}

/** Answers for every indicator of the 1980 set that meet the Mekong Delta thresholds. */
export function full1980Answers() {
  const fw = JSON.parse(fs.readFileSync(new URL('../assets/frameworks/ntm-xa-2016-2020.json', import.meta.url), 'utf8'));
  const out = {};
  for (const g of fw.groups) for (const c of g.criteria) for (const ind of c.indicators) {
    if (ind.kind === 'yes_no') out[ind.id] = { t: 'flag', v: true };
    else if (ind.kind === 'number') out[ind.id] = { t: 'text', v: '60,5' };
    else if (ind.part) out[ind.id] = { t: 'triple', v: ['14', '14', '14'] }; // 17.1: hygienic, of which clean
    else out[ind.id] = { t: 'pair', v: [ind.comparator === '<=' ? '0' : '14', '14'] };
  }
  return out;
}

/** Answers for every indicator of a synthetic set from `framework`, each meeting its threshold. */
export function fullAnswers(fw) {
  const a = {};
  for (const g of fw.groups) for (const c of g.criteria) for (const ind of c.indicators) {
    if (ind.kind === 'yes_no') a[ind.id] = { t: 'flag', v: true };
    else if (ind.kind === 'ratio') a[ind.id] = { t: 'pair', v: ['90', '100'] };
    else a[ind.id] = { t: 'text', v: '60' };
  }
  return a;
}

if (process.argv[1] && process.argv[1].endsWith('gen.mjs')) {
  const [n = '5000', out = 'bench-framework.json'] = process.argv.slice(2);
  fs.writeFileSync(out, JSON.stringify(framework(Number(n))));
  console.log(`${out}: ${n} indicators, ${fs.statSync(out).size} bytes`);
}
