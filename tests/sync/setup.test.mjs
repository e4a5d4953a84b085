// Node test: scripts/couchdb-setup run against pouchdb-server behind a thin proxy that answers `GET /` and `/_node/_local/_config` as CouchDB 3 does (pouchdb-server has neither); the users CSV (RFC 4180, signer columns), the signer list in the guard and in `_design/guard`, the province names.
// Run: node --test --test-concurrency=1 tests/sync/setup.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, guardSource, signersOf, startCouch } from './server.mjs';
import { assessmentDoc, signed } from './docs.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let couch;
let front;
let dir;

/** Forwards to pouchdb-server, answering what only CouchDB 3 has. */
function startFront(target) {
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ couchdb: 'Welcome', version: '3.3.3' }));
      return;
    }
    const url = req.url.replace(/^\/_node\/_local\/_config\//, '/_config/');
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['content-length'];
    const r = await fetch(target + url, { method: req.method, headers, body: body.length ? body : undefined });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') || 'application/json' });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  })));
}

/** Runs the setup script; resolves { code, out } (stdout and stderr together). */
function setup(args) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/couchdb-setup', ...args], {
      cwd: ROOT,
      env: { ...process.env, COUCH_URL: front.url, COUCH_ADMIN: ADMIN.name, COUCH_PASSWORD: ADMIN.password },
    });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

const csv = (name, text) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

before(async () => {
  couch = await startCouch();
  front = await startFront(couch.url);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tieuchi-setup-'));
});

after(async () => {
  await front?.stop();
  await couch?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('scripts/couchdb-setup', () => {
  test('a fresh province db: users and signers from an RFC 4180 CSV, names from the geography files; the guard works', async () => {
    const file = csv('users-95.csv', [
      'name,password,roles,full_name,title',
      'xa_phong,"Mk,1 ""x""",xa|tinh_95,"Nguyễn Văn A, Jr.","Công chức Văn phòng – thống kê xã, kiêm Thủ quỹ"',
      'tt_huyen,Mk-2,tham_tra|tinh_95,Lê Thị Q,Trưởng đoàn thẩm tra',
      'qt_95,Mk-3,quan_tri|tinh_95|tinh_95_admin,,',
      'xa_nosign,Mk-4,xa|tinh_95,,',
      '',
    ].join('\r\n'));
    const r = await setup(['--province', '95', '--users', file]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /province 95 names: \["Tỉnh Bạc Liêu"\]/);
    assert.match(r.out, /xa_nosign has no full_name and title: this account cannot sign/);
    assert.doesNotMatch(r.out, /qt_95 has no full_name/, 'no warning for an account that signs nothing');
    assert.match(r.out, /signer list: 2 account\(s\): tt_huyen, xa_phong/);

    const ddoc = (await couch.admin('GET', '/tieuchi_p95/_design/guard')).body;
    const signers = {
      tt_huyen: { name: 'Lê Thị Q', title: 'Trưởng đoàn thẩm tra' },
      xa_phong: { name: 'Nguyễn Văn A, Jr.', title: 'Công chức Văn phòng – thống kê xã, kiêm Thủ quỹ' },
    };
    assert.deepEqual(ddoc.signers, signers);
    // The same source as the test harness builds: one recipe in both installers.
    assert.equal(ddoc.validate_doc_update, guardSource('95', { signers, provinceNames: ['Tỉnh Bạc Liêu'] }));

    // The password with a comma and quotes works; the account signs under the CSV's name only.
    const login = await couch.request('POST', '/_session', { body: { name: 'xa_phong', password: 'Mk,1 "x"' } });
    assert.equal(login.status, 200, login.text);
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const doc = (id, by) => assessmentDoc(id, {
      province: '95', commune: { code: '31813', name: 'Phường 2', province: 'Bạc Liêu' },
      stage: 'submitted', audit: [signed('xa1', 1, 'draft', 'submitted', 'submit', { by, account: 'xa_phong' })],
    });
    const ok = await couch.request('POST', '/tieuchi_p95/_bulk_docs', { cookie, body: { docs: [doc('s1', signers.xa_phong)] } });
    assert.equal(ok.body[0].ok, true, ok.text);
    const bad = await couch.request('POST', '/tieuchi_p95/_bulk_docs', { cookie, body: { docs: [doc('s2', { name: 'Chủ tịch', title: 'Chủ tịch UBND tỉnh' })] } });
    assert.equal(bad.body[0].error, 'forbidden', bad.text);
  });

  test('run again: the stored signer list is kept, a CSV row without a name removes one, an unchanged guard is left alone', async () => {
    // tieuchi_p96 was made by the test harness with the signer list of USERS.
    const file = csv('users-96.csv', 'tinh1,pw-tinh1,tham_tra|tham_dinh|cong_nhan|tinh_96\nxa2,pw-xa2,xa|tinh_96,Võ Thị H2,Công chức xã\n');
    const r = await setup(['--province', '96', '--users', file, '--province-names', 'Cà Mau, Bạc Liêu']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /tinh1 has no full_name and title: this account cannot sign/);
    const ddoc = (await couch.admin('GET', '/tieuchi_p96/_design/guard')).body;
    const expected = signersOf();
    delete expected.tinh1;
    expected.xa2 = { name: 'Võ Thị H2', title: 'Công chức xã' };
    assert.deepEqual(ddoc.signers, Object.fromEntries(Object.keys(expected).sort().map((k) => [k, expected[k]])));
    assert.equal(ddoc.validate_doc_update, guardSource('96', { signers: ddoc.signers, provinceNames: ['Cà Mau', 'Bạc Liêu'] }));
    const again = await setup(['--province', '96', '--province-names', 'Cà Mau,Bạc Liêu']);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /_design\/guard unchanged/);
  });

  test('a bad CSV stops the script before anything is written', async () => {
    const file = csv('bad.csv', 'xa9,pass,word,xa|tinh_96\n');
    const r = await setup(['--province', '94', '--users', file]);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /bad\.csv:1: expected 3 or 5 fields .* got 4; quote a field that holds a comma/);
    assert.equal((await couch.admin('GET', '/tieuchi_p94')).status, 404);
  });
});
