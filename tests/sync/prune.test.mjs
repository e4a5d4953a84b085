// Node test: scripts/couchdb-prune-conflicts against pouchdb-server: losing leaves the winner absorbed are deleted by the server admin through the guard, open ones (unresolved, or holding a signed step the winner lacks) and framework leaves are kept; dry run first, a second --apply changes nothing.
// Run: node --test --test-concurrency=1 tests/sync/prune.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, USERS, startCouch } from './server.mjs';
import { assessmentDoc, edited, frameworkText, reviewEvent, signed } from './docs.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DBP = '/tieuchi_p96';
let couch;

/** A revision hash of the CouchDB shape (32 hex digits), fixed per name. */
const h = (name) => createHash('md5').update(name).digest('hex');
/** `doc` as the leaf `gen-h(names[0])` with the history `names` (newest first). */
const leaf = (doc, gen, names) => ({ ...doc, _rev: `${gen}-${h(names[0])}`, _revisions: { start: gen, ids: names.map(h) } });
const rev = (gen, name) => `${gen}-${h(name)}`;
/** The same value with object keys in reverse-sorted order (another serialiser's key order). */
const reverseKeys = (v) => (Array.isArray(v) ? v.map(reverseKeys)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().reverse().map((k) => [k, reverseKeys(v[k])])) : v);

/** An assessment as the current app writes it (schema 5) with its version vector. */
function record(id, vector, opts = {}) {
  const doc = assessmentDoc(id, opts);
  doc.schema_version = 5;
  doc.assessment.rev = vector;
  const writes = Object.values(vector).reduce((a, b) => a + b, 0);
  doc.sync = { edit_id: `${Object.keys(vector).at(-1)}:${writes}`, by: 'xa1', saved_at: 1767225600000 + writes };
  return doc;
}
const submitted = signed('xa1', 1767312000000, 'draft', 'submitted', 'submit');

/**
 * Writes leaves as the server admin with new_edits:false, one request each. pouchdb-server's
 * validation plugin replaces a written document's `_revisions` with the stored winner's history
 * before the guard runs (guard.js rule 3b), so with a validate_doc_update installed such a
 * write onto an existing id is a silent no-op (201, `[]`, nothing stored). The leaves are
 * therefore written while `_design/guard` has no validate_doc_update, and the guard is put back
 * before the script runs; on CouchDB 3 an admin replication or restore writes them as they are.
 */
async function writeLeaves(docs) {
  const ddoc = (await couch.admin('GET', `${DBP}/_design/guard`)).body;
  const { validate_doc_update: vdu, ...bare } = ddoc;
  assert.ok(vdu, 'the guard is installed');
  const off = await couch.admin('PUT', `${DBP}/_design/guard`, bare);
  assert.equal(off.status, 201, off.text);
  try {
    for (const doc of docs) {
      const r = await couch.admin('POST', `${DBP}/_bulk_docs`, { docs: [doc], new_edits: false });
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.body, [], r.text);
    }
  } finally {
    const now = (await couch.admin('GET', `${DBP}/_design/guard`)).body;
    const on = await couch.admin('PUT', `${DBP}/_design/guard`, { ...now, validate_doc_update: vdu });
    assert.equal(on.status, 201, on.text);
  }
}

/** `GET /{db}/{id}?conflicts=true` → { rev, conflicts (sorted) }. */
async function leaves(id) {
  const r = await couch.admin('GET', `${DBP}/${encodeURIComponent(id)}?conflicts=true`);
  assert.equal(r.status, 200, r.text);
  return { rev: r.body._rev, conflicts: [...(r.body._conflicts || [])].sort(), doc: r.body };
}

/** Runs the script; resolves { code, out } (stdout and stderr together). */
function prune(args, { user = ADMIN.name, password = ADMIN.password } = {}) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/couchdb-prune-conflicts', '--province', '96', ...args], {
      cwd: ROOT,
      env: { ...process.env, COUCH_URL: couch.url + '/', COUCH_ADMIN: user, COUCH_PASSWORD: password },
    });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    child.on('close', (code) => resolve({ code, out: out.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}
/** The table line of one leaf: [status, reason]. */
function lineOf(out, id, leafRev) {
  const line = out.split('\n').find((l) => l.startsWith(id + ' ') && l.includes(' ' + leafRev + ' '));
  assert.ok(line, `no line for ${id} ${leafRev} in:\n${out}`);
  const m = /\s(ABSORBED|OPEN)\s+(.*)$/.exec(line);
  return [m[1], m[2]];
}

// The expected leaves, filled in by before().
const T = {};

before(async () => {
  couch = await startCouch();
  const commune = { code: '31882', name: 'Xã Tân Thành', province: 'Tỉnh Cà Mau' };

  // prune1: tablets A and B edited apart from p1base ({tabA: 1}); the desk resolved A against B
  // over B's leaf (3-p1r over 2-p1b: the winner), descending from both and keeping A's signed
  // submit. Tablet C's edit arrived later and nobody has seen it: A is absorbed, C is open.
  const a = record('prune1', { tabA: 2 }, { commune, stage: 'submitted', audit: [submitted] });
  const r = record('prune1', { tabA: 2, tabB: 1, desk: 1 }, { commune, stage: 'submitted', audit: [submitted] });
  const c = edited(record('prune1', { tabA: 1, tabC: 1 }, { commune }), (d) => { d.assessment.entries['1.2'] = { answer: { t: 'flag', v: true } }; });
  await writeLeaves([leaf(a, 2, ['p1a', 'p1base']), leaf(r, 3, ['p1r', 'p1b', 'p1base']), leaf(c, 2, ['p1c', 'p1base'])]);
  T.p1 = { winner: rev(3, 'p1r'), absorbed: rev(2, 'p1a'), open: rev(2, 'p1c') };

  // prune2: the winner's rev descends from the loser's, but it lost the loser's signed submit
  // (a restore of an older copy): open, the officer must see it.
  const s = record('prune2', { tabA: 2 }, { commune, stage: 'submitted', audit: [submitted] });
  const w = record('prune2', { tabA: 2, desk: 1 }, { commune });
  await writeLeaves([leaf(s, 2, ['p2s', 'p2base']), leaf(w, 3, ['p2w', 'p2x', 'p2base'])]);
  T.p2 = { winner: rev(3, 'p2w'), open: rev(2, 'p2s') };

  // prune3: the same rev with other content (two copies made before revisions): open.
  const p = record('prune3', { tabA: 1 }, { commune });
  const q = edited(p, (d) => { d.assessment.entries['1.1'].answer.v = false; });
  await writeLeaves([leaf(p, 2, ['p3p', 'p3base']), leaf(q, 2, ['p3q', 'p3base'])]);
  const [w3, l3] = [rev(2, 'p3p'), rev(2, 'p3q')].sort().reverse();
  T.p3 = { winner: w3, open: l3 };

  // prune4: two losers, both absorbed (an older copy, and the same copy pushed through another
  // server with another saved_at): both go, in two requests (one leaf per id per request).
  const reviewAudit = [submitted, signed('tt1', 1767398400000, 'submitted', 'reviewed', 'review'),
    reviewEvent('tt1', 1767398300000, '1.1', 'Đã kiểm tra thực địa')];
  const d4 = record('prune4', { tabA: 1 }, { commune });
  const e4 = edited(record('prune4', { tabA: 2 }, { commune, stage: 'submitted', audit: [submitted] }), (d) => { d.saved_at += 5; });
  // The winner's audit in another order and with keys in another order: compared as canonical JSON.
  const f4 = record('prune4', { tabA: 2, tt: 1 }, {
    commune, stage: 'reviewed',
    audit: [...reviewAudit].reverse().map(reverseKeys),
  });
  await writeLeaves([leaf(d4, 2, ['p4d', 'p4base']), leaf(e4, 2, ['p4e', 'p4base']), leaf(f4, 3, ['p4f', 'p4x', 'p4base'])]);
  T.p4 = { winner: rev(3, 'p4f'), absorbed: [rev(2, 'p4d'), rev(2, 'p4e')] };

  // A framework with two texts under one id@version: listed, never deleted.
  const fw1 = { _id: 'framework:mini@1', type: 'framework', text: frameworkText() };
  const fw2 = { ...fw1, text: frameworkText((f) => { f.title.vi += ' (bản khác)'; }) };
  await writeLeaves([leaf(fw1, 1, ['fw1']), leaf(fw2, 1, ['fw2'])]);
  T.fw = { conflicts: (await leaves('framework:mini@1')).conflicts };

  // A document without conflicts, written as the app does.
  const plain = await couch.admin('POST', `${DBP}/_bulk_docs`, { docs: [record('plain', { tabA: 1 }, { commune })] });
  assert.equal(plain.body[0].ok, true, plain.text);
});

after(async () => {
  await couch?.stop();
});

describe('scripts/couchdb-prune-conflicts', () => {
  test('the fixture: the winners and losing leaves are as built, the guard is back', async () => {
    assert.deepEqual(await leaves('assessment:prune1').then((l) => [l.rev, l.conflicts]), [T.p1.winner, [T.p1.absorbed, T.p1.open].sort()]);
    assert.deepEqual(await leaves('assessment:prune2').then((l) => [l.rev, l.conflicts]), [T.p2.winner, [T.p2.open]]);
    assert.deepEqual(await leaves('assessment:prune3').then((l) => [l.rev, l.conflicts]), [T.p3.winner, [T.p3.open]]);
    assert.deepEqual(await leaves('assessment:prune4').then((l) => [l.rev, l.conflicts]), [T.p4.winner, [...T.p4.absorbed].sort()]);
    assert.equal(T.fw.conflicts.length, 1);
    // A member cannot delete a leaf: the guard is in place again (and could not tell it from the winner).
    const cookie = await couch.login('xa1', USERS.xa1.password);
    const r = await couch.request('POST', `${DBP}/_bulk_docs`, { cookie, body: { docs: [{ _id: 'assessment:prune1', _rev: T.p1.absorbed, _deleted: true }] } });
    assert.equal(r.body[0].error, 'forbidden', r.text);
    assert.match(r.body[0].reason, /Chỉ quản trị viên được xoá/);
  });

  test('dry run (paged): every losing leaf classified, nothing deleted', async () => {
    const r = await prune(['--page-size', '2']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /dry run \(nothing is written/);
    assert.deepEqual(lineOf(r.out, 'assessment:prune1', T.p1.absorbed)[0], 'ABSORBED');
    const [s1, why1] = lineOf(r.out, 'assessment:prune1', T.p1.open);
    assert.equal(s1, 'OPEN');
    assert.match(why1, /not resolved yet: the winner's rev lacks writes of this copy \(tabC 1 > 0\)/);
    const [s2, why2] = lineOf(r.out, 'assessment:prune2', T.p2.open);
    assert.equal(s2, 'OPEN');
    assert.match(why2, /the winner's audit lacks 1 event\(s\) of this copy, e\.g\. signed step submit \(draft → submitted\) by Trần Thị B at 2026-01-02 00:00Z/);
    assert.doesNotMatch(why2, /not resolved yet/, 'its rev is covered: only the signed step keeps it');
    const [s3, why3] = lineOf(r.out, 'assessment:prune3', T.p3.open);
    assert.equal(s3, 'OPEN');
    assert.match(why3, /same rev as the winner but other content/);
    for (const l of T.p4.absorbed) assert.equal(lineOf(r.out, 'assessment:prune4', l)[0], 'ABSORBED');
    const [sf, whyf] = lineOf(r.out, 'framework:mini@1', T.fw.conflicts[0]);
    assert.equal(sf, 'OPEN');
    assert.match(whyf, /framework document: never deleted/);
    // _design/guard, 5 conflicted documents, plain: 7 read over 4 pages.
    assert.match(r.out, /7 document\(s\) read, 5 with conflicts; 7 losing leaf\/leaves: 3 ABSORBED, 4 OPEN/);
    assert.match(r.out, /dry run: nothing deleted; --apply deletes the 3 ABSORBED leaf\/leaves/);
    assert.deepEqual((await leaves('assessment:prune1')).conflicts, [T.p1.absorbed, T.p1.open].sort());
    assert.deepEqual((await leaves('assessment:prune4')).conflicts, [...T.p4.absorbed].sort());
  });

  test('a member may look (dry run) but not --apply; a wrong password or a missing db fails', async () => {
    const look = await prune([], { user: 'xa1', password: USERS.xa1.password });
    assert.equal(look.code, 0, look.out);
    assert.match(look.out, /3 ABSORBED, 4 OPEN/);
    const member = await prune(['--apply'], { user: 'xa1', password: USERS.xa1.password });
    assert.notEqual(member.code, 0, member.out);
    assert.match(member.out, /xa1 is not a server admin: only _admin deletes losing leaves/);
    const wrong = await prune([], { password: 'not-the-password' });
    assert.notEqual(wrong.code, 0, wrong.out);
    assert.match(wrong.out, /HTTP 401/);
    const none = await new Promise((resolve) => {
      const child = spawn('bash', ['scripts/couchdb-prune-conflicts', '--province', '95'], {
        cwd: ROOT, env: { ...process.env, COUCH_URL: couch.url, COUCH_ADMIN: ADMIN.name, COUCH_PASSWORD: ADMIN.password },
      });
      let out = '';
      child.stderr.on('data', (c) => { out += c; });
      child.on('close', (code) => resolve({ code, out }));
    });
    assert.notEqual(none.code, 0);
    assert.match(none.out, /no database tieuchi_p95/);
    assert.deepEqual((await leaves('assessment:prune1')).conflicts, [T.p1.absorbed, T.p1.open].sort());
  });

  test('--apply deletes the absorbed leaves only, through the guard; the winners stay', async () => {
    const winners = {};
    for (const id of ['prune1', 'prune2', 'prune3', 'prune4']) winners[id] = (await leaves(`assessment:${id}`)).doc;
    const r = await prune(['--apply']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`deleted assessment:prune1 ${T.p1.absorbed} \\(tombstone 3-[0-9a-f]+; the winner ${T.p1.winner} stays\\)`));
    for (const l of T.p4.absorbed) assert.match(r.out, new RegExp(`deleted assessment:prune4 ${l} `));
    assert.match(r.out, /deleted 3 leaf\/leaves\n/);
    assert.doesNotMatch(r.out, /NOT deleted/);

    const p1 = await leaves('assessment:prune1');
    assert.deepEqual([p1.rev, p1.conflicts], [T.p1.winner, [T.p1.open]], 'only the open loser is left');
    assert.deepEqual((await leaves('assessment:prune2')).conflicts, [T.p2.open]);
    assert.deepEqual((await leaves('assessment:prune3')).conflicts, [T.p3.open]);
    const p4 = await leaves('assessment:prune4');
    assert.deepEqual([p4.rev, p4.conflicts], [T.p4.winner, []]);
    assert.deepEqual((await leaves('framework:mini@1')).conflicts, T.fw.conflicts);
    for (const id of Object.keys(winners)) {
      const { _conflicts: _now, ...now } = (await leaves(`assessment:${id}`)).doc;
      const { _conflicts: _was, ...was } = winners[id];
      assert.deepEqual(now, was, `${id}: the winner is untouched`);
    }
    // The open loser is still readable for the officer's tablets.
    const c = await couch.admin('GET', `${DBP}/assessment:prune1?rev=${T.p1.open}`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.assessment.rev.tabC, 1);
  });

  test('a second --apply changes nothing', async () => {
    const r = await prune(['--apply']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /4 losing leaf\/leaves: 0 ABSORBED, 4 OPEN/);
    assert.match(r.out, /nothing to delete/);
    assert.doesNotMatch(r.out, /deleted assessment:/);
    assert.deepEqual((await leaves('assessment:prune1')).conflicts, [T.p1.open]);
    assert.deepEqual((await leaves('assessment:prune4')).conflicts, []);
  });
});
