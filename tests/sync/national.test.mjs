// Node test: the roll-up views (couchdb/rollup.json) over a GENERATED nation (tests/sync/national.mjs:
// 3,300 communes × 2 rounds in 34 province databases tieuchi_p01..34, replicated into
// tieuchi_national) answer exactly what plain counting over the generated list says: per round
// the records, all-met, each stage, each criterion (the communes rows' value arrays, one count per
// criterion of the set) and a few provinces; one province's own views equal its slice of the
// national ones; the national rows equal the provinces' rows put together.
// Prints the seed, replication and first-query (view build) times and the answers' bytes.
// Run: node --test --test-concurrency=1 tests/sync/national.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCouch } from './server.mjs';
import {
  CRITERIA_51, DEFAULT_SET, NATIONAL_DB, expectedTotals, nationalDocs, provinceDb, queryViews, replicateToNational,
  seedProvinces, totalsFromRows,
} from './national.mjs';

const ROUNDS = [2025, 2026];
const data = nationalDocs({ communes: 3300, rounds: ROUNDS, provinces: 34, set: DEFAULT_SET, seed: 1 });
const TOTAL = data.reduce((s, p) => s + p.docs.length, 0);
const bySize = [...data].sort((a, b) => b.docs.length - a.docs.length);
/** The biggest, the smallest and a middling province. */
const SAMPLE = [bySize[0], bySize[bySize.length - 1], bySize[Math.floor(bySize.length / 2)]].map((p) => p.province);

let couch;
let national;
const ms = (x) => `${Math.round(x)} ms`;
const kb = (x) => `${(x / 1024).toFixed(1)} KiB`;
/** Every saved_at added exactly (BigInt), as a Number. */
const exactSum = (d) => Number(d.reduce((s, p) => s + p.docs.reduce((t, doc) => t + BigInt(doc.sync.saved_at), 0n), 0n));
const assertClose = (got, want) => assert.ok(Math.abs(got - want) <= want * 1e-14, `${got} ≉ ${want}`);
const byKey = (rows) => new Map(rows.map((r) => [JSON.stringify(r.key), r.value]));
/** expectedTotals without `saved` (the saved view is keyed by the set alone, not by round). */
const counted = (opts) => {
  const { saved, ...rest } = expectedTotals(data, opts);
  return rest;
};

describe('roll-up views over a generated nation (3,300 communes × 2 rounds, 34 provinces)', { timeout: 600000 }, () => {
  before(async () => {
    couch = await startCouch();
    const seeded = await seedProvinces(couch, data);
    assert.equal(seeded.docs, TOTAL);
    const rep = await replicateToNational(couch, data);
    national = await queryViews(couch, NATIONAL_DB, DEFAULT_SET);
    const sizes = data.map((p) => p.docs.length / ROUNDS.length);
    console.log(`generated: ${TOTAL} documents, ${data.length} provinces of ${Math.min(...sizes)}–${Math.max(...sizes)} communes`);
    console.log(`seed (34 × PUT db + _design/rollup + _bulk_docs by 500): ${ms(seeded.ms)}`);
    console.log(`replication into ${NATIONAL_DB} (34 × POST /_replicate, ${rep.filtered ? 'selector type=assessment' : 'unfiltered: pouchdb-server drops `selector`'}): ${ms(rep.ms)}`);
    console.log(`national first query (view build) communes ${ms(national.ms.communes)}, saved ${ms(national.ms.saved)}`);
    console.log(`national answers: communes ${national.communes.length} rows ${kb(national.bytesOf.communes)}, saved ${national.saved.length} row ${kb(national.bytesOf.saved)}; total ${national.bytes} bytes`);
    const again = await queryViews(couch, NATIONAL_DB, DEFAULT_SET);
    console.log(`national second query communes ${ms(again.ms.communes)}, saved ${ms(again.ms.saved)}`);
  });
  after(async () => {
    await couch?.stop();
  });

  test('the national database holds every generated assessment (and the design document)', async () => {
    const info = await couch.admin('GET', `/${NATIONAL_DB}`);
    assert.equal(info.status, 200);
    // Unfiltered against pouchdb-server, the provinces' _design/rollup arrives too: the same
    // text, hence the same revision as the national one (no conflict, one document).
    assert.equal(info.body.doc_count, TOTAL + 1);
    const design = await couch.admin('GET', `/${NATIONAL_DB}/_design/rollup?conflicts=true`);
    assert.equal(design.body._conflicts, undefined);
  });

  for (const round of ROUNDS) {
    test(`round ${round}: national rows summed = plain counting (records, all met, stages, criteria, provinces, groups)`, () => {
      const got = totalsFromRows(national, { round });
      const want = counted({ round });
      assert.ok(want.records > 3000 && want.records === 3300);
      assert.equal(got.records, want.records);
      assert.equal(got.all_met, want.all_met);
      assert.deepEqual(got.stages, want.stages);
      // Every criterion of the set is met by someone nationally: one count each, from value[3 + i].
      assert.deepEqual(Object.keys(want.criteria).sort((a, b) => a - b), CRITERIA_51);
      for (const c of CRITERIA_51) assert.equal(got.criteria[c], want.criteria[c], `criterion ${c}`);
      assert.equal(got.met_total, want.met_total);
      assert.deepEqual(got, want);
      for (const p of SAMPLE) {
        assert.deepEqual(totalsFromRows(national, { round, province: p.name }), counted({ round, province: p.code }), p.name);
      }
      assert.deepEqual(totalsFromRows(national, { round, group: 'nhom1' }), counted({ round, group: 'nhom1' }));
    });
  }

  test('every communes row is [records, all met, provisional, one count per criterion], each count ≤ records', () => {
    assert.ok(national.communes.length > 0);
    for (const { key, value } of national.communes) {
      // [set, round, province, group, stage, number of criteria in the summary]
      assert.equal(key.length, 6, JSON.stringify(key));
      assert.equal(key[5], CRITERIA_51.length, JSON.stringify(key));
      assert.equal(value.length, 3 + CRITERIA_51.length, JSON.stringify(key));
      const [n, all, prov, ...met] = value;
      assert.ok(n > 0 && all <= n && prov === n, JSON.stringify({ key, value }));
      // A record meeting all the criteria counts in every criterion's column.
      assert.ok(met.every((m) => m >= all && m <= n), JSON.stringify({ key, value }));
    }
  });

  test('the generated rounds improve and only all-met dossiers go past reviewed', () => {
    const [first, second] = ROUNDS.map((round) => counted({ round }));
    assert.ok(second.all_met > first.all_met && second.met_total > first.met_total);
    for (const round of ROUNDS) {
      for (const stage of ['appraised', 'recognised']) {
        const rows = national.communes.filter((r) => r.key[1] === round && r.key[4] === stage);
        assert.ok(rows.every((r) => r.value[0] === r.value[1] && r.value.slice(3).every((m) => m === r.value[0])), `${round} ${stage}: all met`);
      }
    }
    assert.ok(first.stages.recognised > first.stages.draft, 'the first round is mostly done');
  });

  test('saved: one row for the set, its count, sum, min and max those of every record', () => {
    assert.equal(national.saved.length, 1);
    const all = expectedTotals(data, {}).saved;
    const { value } = national.saved[0];
    assert.deepEqual(national.saved[0].key, [DEFAULT_SET]);
    assert.equal(value.count, all.count);
    // The sum of 6,600 epoch milliseconds (~1.2e16) is past 2^53: both sides are doubles summed
    // in different orders, so they agree only to the last few units (a dashboard must not read
    // `sum` as exact; sum/count, the mean save time, is good to well under a millisecond).
    assertClose(value.sum, exactSum(data));
    assert.equal(value.min, all.min);
    assert.equal(value.max, all.max);
  });

  test("one province's own views are its slice of the national ones", async () => {
    const p = SAMPLE[0];
    const own = await queryViews(couch, provinceDb(p.code), DEFAULT_SET);
    assert.deepEqual(byKey(own.communes), byKey(national.communes.filter((r) => r.key[2] === p.name)));
    for (const round of ROUNDS) assert.deepEqual(totalsFromRows(own, { round }), counted({ round, province: p.code }));
    assert.equal(own.saved[0].value.count, bySize[0].docs.length);
  });

  test('the national rows are the provinces\' rows put together', async () => {
    const t0 = performance.now();
    const rows = { communes: [] };
    const saved = { count: 0, sum: 0, min: Infinity, max: -Infinity };
    let bytes = 0;
    for (const { province } of data) {
      const v = await queryViews(couch, provinceDb(province.code), DEFAULT_SET);
      rows.communes.push(...v.communes);
      const s = v.saved[0].value;
      saved.count += s.count;
      saved.sum += s.sum;
      saved.min = Math.min(saved.min, s.min);
      saved.max = Math.max(saved.max, s.max);
      bytes += v.bytes;
    }
    console.log(`34 province databases queried (first query: view builds): ${ms(performance.now() - t0)}, ${bytes} bytes`);
    assert.deepEqual(byKey(rows.communes), byKey(national.communes));
    for (const round of ROUNDS) assert.deepEqual(totalsFromRows(rows, { round }), totalsFromRows(national, { round }));
    const n = national.saved[0].value;
    assert.deepEqual({ ...saved, sum: 0 }, { count: n.count, sum: 0, min: n.min, max: n.max });
    assertClose(saved.sum, n.sum);
  });
});
