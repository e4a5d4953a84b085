// Node test: the province-db guard (couchdb/guard.js) on pouchdb-server, the CouchDB wire facts the sync client relies on (brief §1.2/1.3), and the fault proxy modes.
// Run: node --test --test-concurrency=1 tests/sync/guard.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCouch, USERS } from './server.mjs';
import { startProxy } from './faultproxy.mjs';
import { assessmentDoc, conditionEvent, dossierAt, edited, frameworkText, reviewEntry, reviewEvent, signed } from './docs.mjs';

const ORIGIN = 'http://127.0.0.1:8080';
const DBP = '/tieuchi_p96';
let couch;
let proxy;
const cookies = {};

/** The same value with object keys in reverse-sorted order (another serialiser's key order). */
const sortKeys = (v) => (Array.isArray(v) ? v.map(sortKeys)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().reverse().map((k) => [k, sortKeys(v[k])])) : v);

const as = (user) => ({ cookie: cookies[user] });
const bulk = (user, docs) => couch.request('POST', `${DBP}/_bulk_docs`, { ...as(user), body: { docs } });
/** Rows by id: pouchdb-server does not keep the input order (guard refusals come first). */
const byId = (rows) => Object.fromEntries(rows.map((r) => [r.id, r]));

async function put(user, doc) {
  const r = await bulk(user, [doc]);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body[0].ok, true, `${doc._id} by ${user}: ${r.text}`);
  return r.body[0].rev;
}
async function adminPut(doc) {
  const r = await couch.admin('POST', `${DBP}/_bulk_docs`, { docs: [doc] });
  assert.equal(r.body[0].ok, true, r.text);
  return r.body[0].rev;
}

before(async () => {
  couch = await startCouch({ origin: ORIGIN, sessionTimeout: 3600 });
  for (const [name, u] of Object.entries(USERS)) cookies[name] = await couch.login(name, u.password);
  proxy = await startProxy(couch.url);
});

after(async () => {
  await proxy?.stop();
  await couch?.stop();
});

describe('guard', () => {
  test('xa1 creates a valid assessment; xa1 submits it with a signed event', async () => {
    const r = await bulk('xa1', [assessmentDoc('ok1')]);
    assert.equal(r.status, 201);
    assert.equal(r.body.length, 1);
    assert.equal(r.body[0].ok, true, r.text);
    assert.match(r.body[0].rev, /^1-/);
    const submitted = assessmentDoc('ok1', {
      rev: r.body[0].rev, stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit')],
    });
    await put('xa1', submitted);
  });

  test('every broken rule is a per-doc forbidden row with the Vietnamese reason; the valid doc of the batch is ok', async () => {
    // Existing documents the refused updates start from (written as _admin, who bypasses roles).
    const baseRev = await adminPut(assessmentDoc('base'));
    const reviewed = [signed('xa1', 1, 'draft', 'submitted', 'submit'), signed('tt1', 2, 'submitted', 'reviewed', 'review')];
    const revRev = await adminPut(assessmentDoc('rev', { stage: 'reviewed', audit: reviewed }));
    const audRev = await adminPut(assessmentDoc('aud', { stage: 'submitted', audit: reviewed.slice(0, 1) }));
    const delRev = await put('xa1', assessmentDoc('del'));
    const fwRev = await put('xa1', { _id: 'framework:mini@1', type: 'framework', text: frameworkText() });

    const wrongType = assessmentDoc('t1');
    wrongType.type = 'framework';
    const mismatch = assessmentDoc('m1');
    mismatch._id = 'assessment:m2';
    const oldSchema = assessmentDoc('s1');
    oldSchema.schema_version = 2;
    const prefix = assessmentDoc('x1');
    prefix._id = 'x:1';

    const cases = [
      [prefix, /Mã tài liệu phải bắt đầu bằng/],
      [wrongType, /Loại tài liệu \(type\) không khớp/],
      [mismatch, /Mã tài liệu phải là “assessment:” \+ mã bản đánh giá/],
      [oldSchema, /Phiên bản dữ liệu \(schema_version\) không được hỗ trợ/],
      [assessmentDoc('p1', { province: '79' }), /Bản đánh giá thuộc tỉnh khác: scope.province phải là 96/],
      [assessmentDoc('base', { rev: baseRev, province: '79' }), /Không được đổi tỉnh/],
      [assessmentDoc('rev', { rev: revRev, stage: 'appraised', audit: [...reviewed, signed('xa1', 3, 'reviewed', 'appraised', 'appraise')] }),
        /workflow\.audit\[2\]: tài khoản không có vai trò “thẩm định” \(tham_dinh\)/],
      [assessmentDoc('aud', { rev: audRev, stage: 'submitted', audit: [] }), /Không được xoá hay sửa nhật ký/],
      [{ _id: 'assessment:del', _rev: delRev, _deleted: true }, /Chỉ quản trị viên được xoá/],
      [{ _id: 'framework:mini@1', _rev: fwRev, type: 'framework', text: frameworkText((f) => { f.notes = [{ vi: 'x' }]; }) },
        /Bộ tiêu chí “mini@1” đã có \(hoặc đã bị xoá\) trên máy chủ, không được ghi lại/],
      [assessmentDoc('nosign', { stage: 'submitted' }), /workflow\.stage\) là “Đã nộp” \(submitted\) nhưng các bước ký dẫn tới “Bản nháp”/],
    ];
    const good = assessmentDoc('good1');
    const r = await bulk('xa1', [cases[0][0], good, ...cases.slice(1).map(([d]) => d)]);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.length, cases.length + 1);
    const rows = byId(r.body);
    assert.equal(rows['assessment:good1'].ok, true, r.text);
    for (const [doc, reason] of cases) {
      const row = rows[doc._id];
      assert.ok(row, `no row for ${doc._id}`);
      assert.equal(row.error, 'forbidden', `${doc._id}: ${JSON.stringify(row)}`);
      assert.match(row.reason, reason, doc._id);
      assert.match(row.reason, /[^ ] \/ [_A-Za-z]/, `${doc._id}: English after " / "`);
    }
    // Single-doc PUT: the same refusal is a 403.
    const single = await couch.request('PUT', `${DBP}/assessment:p2`, { ...as('xa1'), body: assessmentDoc('p2', { province: '79' }) });
    assert.equal(single.status, 403);
    assert.equal(single.body.error, 'forbidden');
  });

  test('the roll-up summary: accepted in its shape, refused when it differs from the record or breaks the shape', async () => {
    // What domain::rollup::summary writes for assessmentDoc's record (set ntm-2021-2025@1, 2020, dbscl).
    const summaryOf = (doc, over = {}) => ({
      v: 1, set: 'ntm-2021-2025@1', round: 2020, province: 'Tỉnh Cà Mau', commune: '31882', group: 'dbscl',
      stage: doc.assessment.workflow.stage, met: ['1'], criteria: Array.from({ length: 19 }, (_, i) => String(i + 1)),
      all_met: false, provisional: false, ...over,
    });
    const withSummary = (doc, over) => edited(doc, (d) => { d.summary = summaryOf(d, over); });
    const okRev = await put('xa1', withSummary(assessmentDoc('sum-ok')));
    // The same record submitted: its summary follows the stage.
    await put('xa1', withSummary(assessmentDoc('sum-ok', { rev: okRev, stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit')] })));
    const cases = [
      ['sum-set', { set: 'ntm-2026-2030@1' }, /summary\.set\) không đúng: phải là bộ tiêu chí của bản đánh giá “ntm-2021-2025@1”/],
      ['sum-round', { round: 2026 }, /summary\.round\) không đúng/],
      ['sum-prov', { province: 'Thành phố Cần Thơ' }, /summary\.province\) không đúng/],
      ['sum-commune', { commune: '99999' }, /summary\.commune\) không đúng/],
      ['sum-group', { group: 'nhom1' }, /summary\.group\) không đúng/],
      ['sum-stage', { stage: 'recognised' }, /summary\.stage\) không đúng: phải là trạng thái hồ sơ “Bản nháp”/],
      ['sum-all', { all_met: true }, /summary\.all_met\) không đúng/],
      ['sum-allmet', { met: ['1', '2'], criteria: ['1', '2'], all_met: false }, /summary\.all_met\) không đúng/],
      ['sum-dup', { met: ['1', '1'] }, /summary\.met\[1\]\) không đúng/],
      ['sum-other', { met: ['1', '99'] }, /summary\.met\[1\]\) không đúng: phải là một mã trong summary\.criteria/],
      ['sum-long', { met: ['1', '2', '3'], criteria: ['1', '2'] }, /summary\.met\) không đúng/],
      ['sum-crit', { criteria: 19 }, /summary\.criteria\) không đúng/],
      ['sum-crit0', { criteria: [], met: [] }, /summary\.criteria\) không đúng/],
      ['sum-critdup', { criteria: ['1', '1'] }, /summary\.criteria\[1\]\) không đúng/],
      ['sum-prov2', { provisional: 'yes' }, /summary\.provisional\) không đúng/],
      ['sum-extra', { by: 'cn1' }, /summary\.by\) không đúng: trường không có trong mẫu/],
      ['sum-v', { v: 2 }, /summary\.v\) không đúng/],
    ];
    const r = await bulk('xa1', cases.map(([id, over]) => withSummary(assessmentDoc(id), over)));
    const rows = byId(r.body);
    for (const [id, , reason] of cases) {
      assert.equal(rows[`assessment:${id}`].error, 'forbidden', `${id}: ${JSON.stringify(rows[`assessment:${id}`])}`);
      assert.match(rows[`assessment:${id}`].reason, reason, id);
      assert.match(rows[`assessment:${id}`].reason, / \/ The summary \(summary\./, id);
    }
    // Not an object at all.
    const notObject = edited(assessmentDoc('sum-str'), (d) => { d.summary = 'all met'; });
    const r2 = await bulk('xa1', [notObject]);
    assert.match(r2.body[0].reason, /phải là một đối tượng/);
    // A release that does not know the summary carries the stored one over unchanged with its
    // own edits (here: submitting): accepted, however stale; a changed one is checked.
    const oldRev = await put('xa1', withSummary(assessmentDoc('sum-old')));
    const carried = edited(assessmentDoc('sum-old', { rev: oldRev, stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit')] }),
      (d) => { d.summary = summaryOf(assessmentDoc('sum-old')); });
    assert.equal(carried.summary.stage, 'draft', 'the summary is stale');
    const carriedRev = await put('xa1', carried);
    const touchedStale = edited(assessmentDoc('sum-old', { rev: carriedRev, stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit')] }),
      (d) => { d.summary = summaryOf(assessmentDoc('sum-old'), { provisional: true }); });
    const r4 = await bulk('xa1', [touchedStale]);
    assert.match(r4.body[0].reason, /summary\.stage\) không đúng/);
    // A recognised dossier's criteria met never change (its content is frozen, so its score is).
    const recRev = await adminPut(withSummary(dossierAt('sum-rec', 'recognised'), { met: ['1'] }));
    const touched = withSummary(dossierAt('sum-rec', 'recognised', { rev: recRev }), { met: ['1', '2'] });
    const r3 = await bulk('tt1', [touched]);
    assert.equal(r3.body[0].error, 'forbidden', r3.text);
    assert.match(r3.body[0].reason, /hồ sơ đã công nhận: các tiêu chí đạt không được thay đổi/);
  });

  test('a stage event without `role` needs the role of its step (old events)', async () => {
    const rev = await adminPut(assessmentDoc('norole', { stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { role: null })] }));
    const next = (user) => assessmentDoc('norole', {
      rev, stage: 'reviewed',
      audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { role: null }), signed(user, 2, 'submitted', 'reviewed', 'review', { role: null })],
    });
    const r = await bulk('xa1', [next('xa1')]);
    assert.equal(r.body[0].error, 'forbidden');
    assert.match(r.body[0].reason, /thẩm tra.*tham_tra/);
    await put('tt1', next('tt1'));
  });

  test('each part signs its step; a merge may reorder and re-serialise the audit', async () => {
    const audit = [signed('xa1', 10, 'draft', 'submitted', 'submit')];
    let rev = await put('xa1', assessmentDoc('flow', { stage: 'submitted', audit }));
    const steps = [
      ['tt1', 'submitted', 'reviewed', 'review'],
      ['td1', 'reviewed', 'appraised', 'appraise'],
      ['cn1', 'appraised', 'draft', 'return'],
      ['xa1', 'draft', 'submitted', 'submit'],
      ['tt1', 'submitted', 'reviewed', 'review'],
      ['td1', 'reviewed', 'appraised', 'appraise'],
      ['cn1', 'appraised', 'recognised', 'recognise'],
    ];
    let at = 11;
    for (const [user, from, to, step] of steps) {
      audit.push(signed(user, at++, from, to, step));
      // A merge may sort events by `at` or re-serialise them: the stored ones newest first here.
      const shuffled = [...audit.slice(0, -1)].reverse().map(sortKeys).concat(audit.slice(-1));
      rev = await put(user, assessmentDoc('flow', { rev, stage: to, audit: step === 'return' ? audit.slice() : shuffled }));
    }
    const doc = (await couch.admin('GET', `${DBP}/assessment:flow`)).body;
    assert.equal(doc.assessment.workflow.stage, 'recognised');
    assert.equal(doc.assessment.workflow.audit.length, 8);
  });

  test('reviews and conditions: the holder of the stage writes them, signed with the account', async () => {
    const audit = [signed('xa1', 1, 'draft', 'submitted', 'submit')];
    let rev = await adminPut(assessmentDoc('rc', { stage: 'submitted', audit }));
    const reviews = { '1.1': reviewEntry('tt1', 2, 'Đã kiểm tra', false) };
    audit.push(reviewEvent('tt1', 2, '1.1', 'Đã kiểm tra', false));
    rev = await put('tt1', assessmentDoc('rc', { rev, stage: 'submitted', audit, reviews }));
    // The appraiser cannot comment while the reviewer holds it, nor may anyone drop a review.
    const r1 = await bulk('td1', [assessmentDoc('rc', { rev, stage: 'submitted', audit, reviews: { ...reviews, '1.2': reviewEntry('td1', 3, 'x') } })]);
    assert.match(r1.body[0].reason, /workflow\.reviews\.1\.2.*chỉ tài khoản có vai trò “thẩm tra” \(tham_tra\)/, r1.text);
    const r2 = await bulk('tt1', [assessmentDoc('rc', { rev, stage: 'submitted', audit, reviews: {} })]);
    assert.match(r2.body[0].reason, /Không được xoá nhận xét của chỉ tiêu “1.1”/, r2.text);
    // A review carries the writer's account.
    const r3 = await bulk('tt1', [assessmentDoc('rc', { rev, stage: 'submitted', audit, reviews: { ...reviews, '1.2': { ...reviewEntry('tt1', 3, 'x'), account: 'tt2' } } })]);
    assert.match(r3.body[0].reason, /workflow\.reviews\.1\.2: nhận xét mới hoặc sửa phải mang tài khoản đang ghi/, r3.text);
    audit.push(signed('tt1', 3, 'submitted', 'reviewed', 'review'));
    rev = await put('tt1', assessmentDoc('rc', { rev, stage: 'reviewed', audit, reviews }));
    audit.push(signed('td1', 4, 'reviewed', 'appraised', 'appraise'));
    rev = await put('td1', assessmentDoc('rc', { rev, stage: 'appraised', audit, reviews }));
    // Conditions are the recogniser's: not the appraiser's, even at appraised.
    const tick = [...audit, conditionEvent('td1', 5, 'other_conditions')];
    const r4 = await bulk('td1', [assessmentDoc('rc', { rev, stage: 'appraised', audit: tick, reviews, conditions: ['other_conditions'] })]);
    assert.match(r4.body[0].reason, /chỉ tài khoản có vai trò “công nhận” \(cong_nhan\) được xác nhận điều kiện công nhận/, r4.text);
    audit.push(conditionEvent('cn1', 5, 'other_conditions'));
    rev = await put('cn1', assessmentDoc('rc', { rev, stage: 'appraised', audit, reviews, conditions: ['other_conditions'] }));
    audit.push(signed('cn1', 6, 'appraised', 'recognised', 'recognise'));
    await put('cn1', assessmentDoc('rc', { rev, stage: 'recognised', audit, reviews, conditions: ['other_conditions'] }));
  });

  test('khac1 (other province) is refused; anonymous is refused', async () => {
    const r = await bulk('khac1', [assessmentDoc('k1'), assessmentDoc('k2', { province: '79' })]);
    // pouchdb-server: 201 with per-doc `unauthorized` (non-member); CouchDB 3: a whole-request 403.
    if (r.status === 201) {
      assert.equal(r.body.length, 2);
      for (const row of r.body) assert.ok(['unauthorized', 'forbidden'].includes(row.error), r.text);
    } else {
      assert.equal(r.status, 403, r.text);
    }
    const anon = await couch.request('POST', `${DBP}/_bulk_docs`, { body: { docs: [assessmentDoc('k3')] } });
    assert.ok(anon.status === 401 || anon.body.every((row) => row.error === 'unauthorized'), anon.text);
    const all = await couch.admin('GET', `${DBP}/_all_docs?keys=${encodeURIComponent('["assessment:k1","assessment:k2","assessment:k3"]')}`);
    assert.ok(all.body.rows.every((row) => row.error === 'not_found'), all.text);
  });

  test('quan_tri (with the province role) and _admin may delete', async () => {
    const u = await couch.admin('PUT', '/_users/org.couchdb.user:qt1',
      { name: 'qt1', password: 'pw-qt1', roles: ['quan_tri', 'tinh_96'], type: 'user' });
    assert.equal(u.status, 201, u.text);
    cookies.qt1 = await couch.login('qt1', 'pw-qt1');
    const rev1 = await put('xa1', assessmentDoc('gone1'));
    const rev2 = await put('xa1', assessmentDoc('gone2'));
    const byQt = await bulk('qt1', [{ _id: 'assessment:gone1', _rev: rev1, _deleted: true }]);
    assert.equal(byQt.body[0].ok, true, byQt.text);
    const r = await couch.admin('POST', `${DBP}/_bulk_docs`, { docs: [{ _id: 'assessment:gone2', _rev: rev2, _deleted: true }] });
    assert.equal(r.body[0].ok, true, r.text);
  });
});

describe('wire facts (brief §1.1–1.3)', () => {
  test('_bulk_docs: stale _rev → 201 + per-doc conflict; identical retry after success → conflict', async () => {
    const rev1 = await put('xa1', assessmentDoc('w1'));
    const edit = assessmentDoc('w1', { rev: rev1 });
    edit.sync.edit_id = 'dev1:2';
    const first = await bulk('xa1', [edit]);
    assert.equal(first.body[0].ok, true, first.text);
    const retry = await bulk('xa1', [edit]);
    assert.equal(retry.status, 201);
    assert.equal(retry.body[0].error, 'conflict', retry.text);
    const stale = assessmentDoc('w1', { rev: rev1 });
    stale.sync.edit_id = 'dev2:1';
    const s = await bulk('xa1', [stale]);
    assert.equal(s.status, 201);
    assert.deepEqual(Object.keys(s.body[0]).sort(), ['error', 'id', 'reason']);
    assert.equal(s.body[0].error, 'conflict');
    const got = await couch.request('GET', `${DBP}/assessment:w1`, as('xa1'));
    assert.equal(got.body._rev, first.body[0].rev);
    assert.equal(got.body.sync.edit_id, 'dev1:2');
  });

  test('_changes pages with limit and last_seq', async () => {
    const all = await couch.admin('GET', `${DBP}/_all_docs`);
    const seen = new Set();
    let since = 0;
    let pages = 0;
    for (;;) {
      const q = `since=${encodeURIComponent(JSON.stringify(since))}&include_docs=true&conflicts=true&style=all_docs&limit=2`;
      const r = await couch.request('GET', `${DBP}/_changes?${q}`, as('xa1'));
      assert.equal(r.status, 200, r.text);
      assert.ok(Array.isArray(r.body.results));
      assert.ok(r.body.results.length <= 2);
      assert.ok('last_seq' in r.body);
      for (const row of r.body.results) {
        assert.ok(row.seq !== undefined && Array.isArray(row.changes) && row.changes[0].rev, JSON.stringify(row));
        if (!row.deleted) assert.equal(row.doc._id, row.id);
        seen.add(row.id);
      }
      pages += 1;
      if (r.body.results.length < 2) break;
      since = r.body.last_seq; // verbatim
    }
    assert.ok(pages > 2);
    for (const row of all.body.rows) assert.ok(seen.has(row.id), row.id);
  });

  test('_session: wrong password 401, anonymous GET has name null, cookie GET names the user', async () => {
    const bad = await couch.request('POST', '/_session', { body: { name: 'xa1', password: 'sai' } });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error, 'unauthorized');
    assert.equal(bad.body.reason, 'Name or password is incorrect.');
    const form = await couch.request('POST', '/_session', {
      body: 'name=xa1&password=pw-xa1', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 200, form.text);
    assert.deepEqual(form.body.roles, USERS.xa1.roles);
    const anon = await couch.request('GET', '/_session');
    assert.equal(anon.status, 200);
    assert.equal(anon.body.userCtx.name, null);
    const me = await couch.request('GET', '/_session', as('xa1'));
    assert.equal(me.body.userCtx.name, 'xa1');
  });

  test('CORS: the configured origin is echoed with credentials', async () => {
    const r = await couch.request('GET', '/_session', { headers: { origin: ORIGIN } });
    assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
  });
});

describe('fault proxy', () => {
  const viaProxy = (method, path, opts = {}) => fetch(proxy.url + path, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json', cookie: cookies.xa1, ...(opts.headers || {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  });

  test('pass forwards, with cookies', async () => {
    const r = await viaProxy('GET', '/_session');
    assert.equal((await r.json()).userCtx.name, 'xa1');
  });

  test('drop_after: the write is applied, the client gets a socket error, the retry a conflict', async () => {
    proxy.clearLog();
    proxy.fault({ mode: 'drop_after', match: 'POST /tieuchi_p96/_bulk_docs' });
    const doc = assessmentDoc('lost1');
    await assert.rejects(viaProxy('POST', `${DBP}/_bulk_docs`, { body: { docs: [doc] } }), TypeError);
    const got = await couch.admin('GET', `${DBP}/assessment:lost1`);
    assert.equal(got.status, 200);
    const again = await viaProxy('POST', `${DBP}/_bulk_docs`, { body: { docs: [{ ...doc, _id: doc._id }] } });
    const rows = await again.json();
    assert.equal(again.status, 201);
    // A create retried without _rev: conflict (the doc exists); the client adopts via edit_id.
    assert.equal(rows[0].error, 'conflict');
    assert.deepEqual(proxy.log().map((e) => [e.method, e.fault]), [['POST', 'drop_after'], ['POST', null]]);
  });

  test('drop_before: nothing reaches the server', async () => {
    proxy.fault({ mode: 'drop_before', match: '_bulk_docs' });
    await assert.rejects(viaProxy('POST', `${DBP}/_bulk_docs`, { body: { docs: [assessmentDoc('never1')] } }), TypeError);
    assert.equal((await couch.admin('GET', `${DBP}/assessment:never1`)).status, 404);
  });

  test('truncate: status and headers arrive, the body is cut', async () => {
    proxy.fault({ mode: 'truncate', match: '_changes' });
    const r = await viaProxy('GET', `${DBP}/_changes?since=0&include_docs=true`);
    assert.equal(r.status, 200);
    const full = Number(r.headers.get('content-length'));
    let text = '';
    let broke = false;
    try {
      text = await r.text();
    } catch {
      broke = true;
    }
    assert.ok(broke || text.length < full, 'body should be partial');
    if (!broke) assert.throws(() => JSON.parse(text));
  });

  test('status: synthesized code with CORS headers; pass lets the first one through', async () => {
    proxy.clearLog();
    proxy.fault({ mode: 'pass', match: '/_session' });
    proxy.fault({ mode: 'status', status: 503, count: 2, match: '/_session' });
    const ok = await viaProxy('GET', '/_session', { headers: { origin: ORIGIN } });
    assert.equal(ok.status, 200);
    for (let i = 0; i < 2; i++) {
      const r = await viaProxy('GET', '/_session', { headers: { origin: ORIGIN } });
      assert.equal(r.status, 503);
      assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN);
      assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
      assert.deepEqual(await r.json(), { error: 'proxy', reason: 'injected' });
    }
    assert.equal((await viaProxy('GET', '/_session')).status, 200);
    assert.deepEqual(proxy.log().map((e) => [e.fault, e.status]), [['pass', 200], ['status', 503], ['status', 503], [null, 200]]);
    assert.deepEqual(proxy.pending(), []);
  });

  test('preflights are forwarded and do not consume a fault', async () => {
    proxy.fault({ mode: 'status', status: 500, match: '_bulk_docs' });
    const pre = await fetch(`${proxy.url}${DBP}/_bulk_docs`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.ok(pre.status === 200 || pre.status === 204, String(pre.status));
    assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(proxy.pending().length, 1);
    const r = await viaProxy('POST', `${DBP}/_bulk_docs`, { body: { docs: [] } });
    assert.equal(r.status, 500);
  });

  test('stall never answers (client timeout); delay waits then forwards', async () => {
    proxy.fault({ mode: 'stall', match: '/_session' });
    await assert.rejects(viaProxy('GET', '/_session', { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
    proxy.fault({ mode: 'delay', ms: 300, match: '/_session' });
    const t0 = Date.now();
    const r = await viaProxy('GET', '/_session');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 >= 280);
  });
});
