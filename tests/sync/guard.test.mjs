// Node test: the province-db guard (couchdb/guard.js) on pouchdb-server, the CouchDB wire facts the sync client relies on (brief §1.2/1.3), and the fault proxy modes.
// Run: node --test --test-concurrency=1 tests/sync/guard.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCouch, USERS } from './server.mjs';
import { startProxy } from './faultproxy.mjs';

const ORIGIN = 'http://127.0.0.1:8080';
const DBP = '/tieuchi_p96';
let couch;
let proxy;
const cookies = {};

const person = (name, title = '') => ({ name, title });
const stageEvent = (at, from, to, step, role, by = 'Người ký') => {
  const e = { at, by: person(by), kind: { type: 'stage', from, to, step: { type: step } } };
  if (step === 'return') e.kind.step.reason = 'Thiếu hồ sơ';
  if (role) e.role = role;
  return e;
};

/** An assessment document as the client writes it (schema 3). */
function assessmentDoc(id, { stage = 'draft', audit = [], province = '96', rev } = {}) {
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
      commune: { code: '31882', name: 'Xã Tân Thành', province: 'Tỉnh Cà Mau' },
      round: 2020,
      dimension_value: 'dbscl',
      entries: {},
      roster: {},
      rev: { dev1: 1 },
      workflow: { stage, reviews: {}, audit, conditions: [] },
      created_at: 1767225600000,
      updated_at: 1767225600000,
    },
    sync: { edit_id: 'dev1:1', by: 'xa1', saved_at: 1767225600000 },
  };
  if (rev) doc._rev = rev;
  return doc;
}

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
      rev: r.body[0].rev, stage: 'submitted', audit: [stageEvent(1, 'draft', 'submitted', 'submit', 'commune')],
    });
    await put('xa1', submitted);
  });

  test('every broken rule is a per-doc forbidden row with the Vietnamese reason; the valid doc of the batch is ok', async () => {
    // Existing documents the refused updates start from (written as _admin, who bypasses roles).
    const baseRev = await adminPut(assessmentDoc('base'));
    const reviewed = [stageEvent(1, 'draft', 'submitted', 'submit', 'commune'), stageEvent(2, 'submitted', 'reviewed', 'review', 'reviewer')];
    const revRev = await adminPut(assessmentDoc('rev', { stage: 'reviewed', audit: reviewed }));
    const audRev = await adminPut(assessmentDoc('aud', { stage: 'submitted', audit: reviewed.slice(0, 1) }));
    const delRev = await put('xa1', assessmentDoc('del'));
    const fwRev = await put('xa1', { _id: 'framework:ntm@1', type: 'framework', text: '{"id":"ntm"}' });

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
      [assessmentDoc('rev', { rev: revRev, stage: 'appraised', audit: [...reviewed, stageEvent(3, 'reviewed', 'appraised', 'appraise', 'appraiser')] }),
        /Tài khoản không có vai trò “thẩm định” \(tham_dinh\)/],
      [assessmentDoc('aud', { rev: audRev, stage: 'submitted', audit: [] }), /Không được xoá hay sửa nhật ký/],
      [{ _id: 'assessment:del', _rev: delRev, _deleted: true }, /Chỉ quản trị viên được xoá/],
      [{ _id: 'framework:ntm@1', _rev: fwRev, type: 'framework', text: '{"id":"ntm","x":1}' }, /Bộ tiêu chí đã có trên máy chủ, không được sửa/],
      [assessmentDoc('nosign', { stage: 'submitted' }), /Đổi trạng thái hồ sơ phải kèm bước ký/],
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

  test('a stage event without `role` needs the role of its step (old events)', async () => {
    const rev = await adminPut(assessmentDoc('norole', { stage: 'submitted', audit: [stageEvent(1, 'draft', 'submitted', 'submit')] }));
    const next = assessmentDoc('norole', {
      rev, stage: 'reviewed', audit: [stageEvent(1, 'draft', 'submitted', 'submit'), stageEvent(2, 'submitted', 'reviewed', 'review')],
    });
    const r = await bulk('xa1', [next]);
    assert.equal(r.body[0].error, 'forbidden');
    assert.match(r.body[0].reason, /thẩm tra.*tham_tra/);
    await put('tinh1', next);
  });

  test('tinh1 reviews, appraises, returns, and recognises; audit order may change', async () => {
    const audit = [stageEvent(10, 'draft', 'submitted', 'submit', 'commune')];
    let rev = await put('xa1', assessmentDoc('flow', { stage: 'submitted', audit }));
    const steps = [
      ['submitted', 'reviewed', 'review', 'reviewer'],
      ['reviewed', 'appraised', 'appraise', 'appraiser'],
      ['appraised', 'reviewed', 'return', 'recogniser'],
      ['reviewed', 'appraised', 'appraise', 'appraiser'],
      ['appraised', 'recognised', 'recognise', 'recogniser'],
    ];
    let at = 11;
    for (const [from, to, step, role] of steps) {
      audit.push(stageEvent(at++, from, to, step, role, 'Cán bộ tỉnh'));
      // A merge may sort events by `at` or re-serialise them: newest first here.
      const shuffled = [...audit].reverse().map(sortKeys);
      rev = await put('tinh1', assessmentDoc('flow', { rev, stage: to, audit: step === 'return' ? audit.slice() : shuffled }));
    }
    // Non-stage events (reviews, conditions) are not restricted by role.
    audit.push({ at: 99, by: person('Cán bộ tỉnh'), kind: { type: 'condition', id: 'c1', met: true } });
    await put('tinh1', assessmentDoc('flow', { rev, stage: 'recognised', audit }));
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
