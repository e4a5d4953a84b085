// Benchmark: the roll-up views (couchdb/rollup.json) on pouchdb-server 4.2.0 (in memory, 127.0.0.1),
// node only. For each N (ROLLUP_N, default 1000,3300,6600,13200 documents) a fresh server, one
// database holding N GENERATED assessments (tests/sync/national.mjs: N/2 communes × rounds 2025
// and 2026 over 34 provinces, put together as the national database would hold them), then each
// view queried as a dashboard does (communes group_level=6, saved group_level=1, for the set):
// the first query (the index build) and a second one (warm), and the bytes of the answer. Each
// view emits one row per document (the communes value carries one count per criterion, summed
// element by element by _sum). Prints a table; nothing is asserted.
//
// Read with care: PouchDB builds each view of a design document on its own (CouchDB builds all of
// a design document's views together on the first query of any), and PouchDB keeps no reductions
// in its index, so a warm grouped query still reduces every emitted row (CouchDB reads stored
// reductions); the figures are this test server's, not a production CouchDB's.
//
// Run with `ONLY=rollup bash scripts/bench` or `node bench/rollup-views.mjs`.
import { startCouch } from '../tests/sync/server.mjs';
import { DEFAULT_SET, NATIONAL_DB, bulkWrite, createRollupDb, nationalDocs, queryViews } from '../tests/sync/national.mjs';

const SIZES = (process.env.ROLLUP_N || '1000,3300,6600,13200').split(',').map(Number);
const VIEWS = ['communes', 'saved'];
const ms = (x) => `${Math.round(x)}`;
const kib = (x) => `${(x / 1024).toFixed(1)}`;

const results = [];
for (const n of SIZES) {
  if (!Number.isInteger(n) || n < 68 || n % 2) throw new Error(`ROLLUP_N: ${n} must be an even whole number ≥ 68`);
  const docs = nationalDocs({ communes: n / 2 }).flatMap((p) => p.docs);
  const couch = await startCouch();
  try {
    const t0 = performance.now();
    await createRollupDb(couch, NATIONAL_DB);
    await bulkWrite(couch, NATIONAL_DB, docs);
    const seed = performance.now() - t0;
    const cold = await queryViews(couch, NATIONAL_DB, DEFAULT_SET);
    const warm = await queryViews(couch, NATIONAL_DB, DEFAULT_SET);
    // Rows each view emits: one per assessment with a summary (communes and saved alike).
    const emitted = docs.filter((d) => d.type === 'assessment' && d.summary?.v === 1).length;
    const row = { n, seed, cold, warm, emitted };
    results.push(row);
    console.error(`N=${n}: seeded in ${ms(seed)} ms, built in ${ms(VIEWS.reduce((s, v) => s + cold.ms[v], 0))} ms`);
  } finally {
    await couch.stop();
  }
}

console.log(`\nRoll-up views on pouchdb-server 4.2.0 (in memory, 127.0.0.1), one database, generated assessments (2 rounds, 34 provinces); ms, answer KiB (uncompressed)`);
const head = ['docs', 'seed ms', 'build communes', 'build saved', 'warm communes', 'warm saved', 'rows c/s', 'KiB c/s', 'rows emitted per view'];
const lines = results.map(({ n, seed, cold, warm, emitted }) => [
  String(n), ms(seed), ...VIEWS.map((v) => ms(cold.ms[v])), ...VIEWS.map((v) => ms(warm.ms[v])),
  VIEWS.map((v) => cold[v].length).join('/'), VIEWS.map((v) => kib(cold.bytesOf[v])).join('/'), String(emitted),
]);
const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const fmt = (cells) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
console.log(fmt(head));
for (const l of lines) console.log(fmt(l));
