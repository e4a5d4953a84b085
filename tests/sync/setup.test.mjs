// Node test: scripts/couchdb-setup run against pouchdb-server behind a thin proxy that answers `GET /` and `/_node/_local/_config` as CouchDB 3 does (pouchdb-server has neither); the users CSV (RFC 4180, signer columns), the signer list in the guard and in `_design/guard`, the province names, `_design/rollup`, and `--national` (the national db, its `_security` and read-only guard, its `_replicator` documents, checked as documents only: pouchdb-server has `_all_dbs` and a `_replicator` db as CouchDB 3 has, but these tests do not rely on it running them).
// Run: node --test --test-concurrency=1 tests/sync/setup.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, guardSource, signersOf, startCouch, USERS } from './server.mjs';
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

const ROLLUP = JSON.parse(fs.readFileSync(path.join(ROOT, 'couchdb', 'rollup.json'), 'utf8'));
const NATIONAL_SECURITY = (() => {
  const sec = JSON.parse(fs.readFileSync(path.join(ROOT, 'couchdb', 'security.national.example.json'), 'utf8'));
  delete sec['//'];
  return sec;
})();
const READ_ONLY = /^Cơ sở dữ liệu toàn quốc chỉ đọc: chỉ bản sao từ cơ sở dữ liệu tỉnh được ghi vào \/ The national database is read-only: only replication from the province databases writes to it$/;

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

  test('--province installs _design/rollup from couchdb/rollup.json as it is; a second run leaves it alone', async () => {
    const args = ['--province', '96', '--province-names', 'Cà Mau,Bạc Liêu'];
    const first = await setup(args);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /tieuchi_p96: _design\/rollup (created|updated \(views changed\)|unchanged)/);
    const ddoc = (await couch.admin('GET', '/tieuchi_p96/_design/rollup')).body;
    const { _rev: rev, ...stored } = ddoc;
    assert.deepEqual(stored, ROLLUP, 'stored as the file has it: _id, language, comment, views');
    const again = await setup(args);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, new RegExp(`tieuchi_p96: _design/rollup unchanged \\(${rev}\\)`));
    assert.equal((await couch.admin('GET', '/tieuchi_p96/_design/rollup')).body._rev, rev);
    // Changed views are put back with the current _rev.
    const changed = { ...ddoc, views: { ...ddoc.views, saved: { map: 'function (doc) {}', reduce: '_stats' } } };
    assert.equal((await couch.admin('PUT', '/tieuchi_p96/_design/rollup', changed)).status, 201);
    const third = await setup(args);
    assert.equal(third.code, 0, third.out);
    assert.match(third.out, /tieuchi_p96: _design\/rollup updated \(views changed\)/);
    assert.deepEqual((await couch.admin('GET', '/tieuchi_p96/_design/rollup')).body.views, ROLLUP.views);
  });

  test('--national: tieuchi_national read-only for all but server admins, its rollup, one _replicator document per province db; a second run changes nothing', async () => {
    assert.equal((await couch.admin('PUT', '/tieuchi_p01')).status, 201);
    const r = await setup(['--national']);
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, new RegExp(ADMIN.password), 'the admin password is never printed');
    assert.match(r.out, /created tieuchi_national/);
    assert.match(r.out, /national viewers need a _users account with the role quoc_gia; the national views are read at http:\/\/127\.0\.0\.1:\d+\/tieuchi_national\/_design\/rollup\/_view\/communes\?group_level=6\n$/);

    const sec = (await couch.admin('GET', '/tieuchi_national/_security')).body;
    assert.deepEqual(sec, NATIONAL_SECURITY);
    assert.deepEqual(sec, { admins: { names: [], roles: [] }, members: { names: [], roles: ['quoc_gia'] } });
    const rollup = (await couch.admin('GET', '/tieuchi_national/_design/rollup')).body;
    assert.deepEqual(rollup.views, ROLLUP.views);
    assert.equal(rollup.comment, ROLLUP.comment);

    // Writes: a national viewer (a member) meets the guard; a province officer is not even a
    // member (pouchdb-server 401, CouchDB 3 403); a server admin (as replication runs) passes.
    await couch.admin('PUT', '/_users/org.couchdb.user:qg1', { _id: 'org.couchdb.user:qg1', name: 'qg1', type: 'user', roles: ['quoc_gia'], password: 'pw-qg1' });
    const viewer = await couch.login('qg1', 'pw-qg1');
    const doc = {
      _id: 'assessment:n1', type: 'assessment',
      assessment: {
        id: 'n1', framework_id: 'ntm', framework_version: '1', round: 2025, dimension_value: 'dbscl',
        commune: { code: null, name: 'Xã Thử', province: 'Tỉnh Cà Mau' }, workflow: { stage: 'recognised' },
      },
      summary: { v: 1, set: 'ntm@1', round: 2025, province: 'Tỉnh Cà Mau', commune: null, group: 'dbscl', stage: 'recognised', met: ['1', '2'], criteria: ['1', '2'], all_met: true, provisional: false },
    };
    const byViewer = await couch.request('PUT', '/tieuchi_national/assessment:n1', { cookie: viewer, body: doc });
    assert.equal(byViewer.status, 403, byViewer.text);
    assert.equal(byViewer.body.error, 'forbidden');
    assert.match(byViewer.body.reason, READ_ONLY);
    const bulk = await couch.request('POST', '/tieuchi_national/_bulk_docs', { cookie: viewer, body: { docs: [doc] } });
    assert.equal(bulk.body[0].error, 'forbidden', bulk.text);
    assert.match(bulk.body[0].reason, READ_ONLY);
    const xa1 = await couch.login('xa1', USERS.xa1.password);
    const byOfficer = await couch.request('PUT', '/tieuchi_national/assessment:n1', { cookie: xa1, body: doc });
    assert.ok([401, 403].includes(byOfficer.status), byOfficer.text);
    const byAdmin = await couch.admin('PUT', '/tieuchi_national/assessment:n1', doc);
    assert.equal(byAdmin.status, 201, byAdmin.text);
    // The viewer reads the roll-up.
    const rows = await couch.request('GET', '/tieuchi_national/_design/rollup/_view/communes?group_level=6', { cookie: viewer });
    assert.equal(rows.status, 200, rows.text);
    assert.deepEqual(rows.body.rows, [{ key: ['ntm@1', 2025, 'Tỉnh Cà Mau', 'dbscl', 'recognised', 2], value: [1, 1, 0, 1, 1] }]);

    // Every tieuchi_p<two digits> of _all_dbs feeds it (p95 and p96 from the tests above, p01 here).
    const provinceDbs = (await couch.admin('GET', '/_all_dbs')).body.filter((d) => /^tieuchi_p[0-9]{2}$/.test(d)).sort();
    assert.ok(provinceDbs.includes('tieuchi_p01') && provinceDbs.includes('tieuchi_p96'), provinceDbs.join());
    const auth = { basic: { username: ADMIN.name, password: ADMIN.password } };
    const revs = {};
    for (const db of provinceDbs) {
      const got = await couch.admin('GET', `/_replicator/${db}-to-national`);
      assert.equal(got.status, 200, `${db}: ${got.text}`);
      const { _id, _rev, ...fields } = got.body;
      assert.deepEqual(fields, {
        source: { url: `${front.url}/${db}`, auth },
        target: { url: `${front.url}/tieuchi_national`, auth },
        continuous: true,
        selector: { _id: { $regex: '^assessment:' } },
        create_target: false,
      }, db);
      revs[db] = _rev;
    }
    assert.match(r.out, new RegExp(`${provinceDbs.length} replication\\(s\\) into tieuchi_national`));

    // Again, naming the provinces: nothing changes.
    const again = await setup(['--national', '--provinces', '96,01']);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /tieuchi_national exists \(kept\)/);
    assert.match(again.out, /tieuchi_national: _design\/readonly unchanged/);
    assert.match(again.out, /tieuchi_national: _design\/rollup unchanged/);
    assert.match(again.out, /_replicator\/tieuchi_p01-to-national unchanged/);
    assert.match(again.out, /_replicator\/tieuchi_p96-to-national unchanged/);
    assert.match(again.out, /2 replication\(s\) into tieuchi_national/);
    for (const db of provinceDbs) {
      assert.equal((await couch.admin('GET', `/_replicator/${db}-to-national`)).body._rev, revs[db], db);
    }
    for (const d of ['_design/rollup', '_design/readonly']) {
      assert.match(again.out, new RegExp(`${d.replace('/', '\\/')} unchanged \\(${(await couch.admin('GET', `/tieuchi_national/${d}`)).body._rev}\\)`));
    }

    // A replication document changed by hand (and carrying the replicator's own fields) is put
    // back with its _rev; the fields the script does not write are not compared.
    const p01 = (await couch.admin('GET', '/_replicator/tieuchi_p01-to-national')).body;
    assert.equal((await couch.admin('PUT', '/_replicator/tieuchi_p01-to-national', { ...p01, selector: {}, note: 'by hand' })).status, 201);
    const p96 = (await couch.admin('GET', '/_replicator/tieuchi_p96-to-national')).body;
    assert.equal((await couch.admin('PUT', '/_replicator/tieuchi_p96-to-national', { ...p96, note: 'by hand' })).status, 201);
    const third = await setup(['--national', '--provinces', '01,96']);
    assert.equal(third.code, 0, third.out);
    assert.match(third.out, /_replicator\/tieuchi_p01-to-national updated/);
    assert.match(third.out, /_replicator\/tieuchi_p96-to-national unchanged/);
    assert.deepEqual((await couch.admin('GET', '/_replicator/tieuchi_p01-to-national')).body.selector, { _id: { $regex: '^assessment:' } });
  });

  test('--national refuses --province, province options and a province db that does not exist, before writing', async () => {
    const both = await setup(['--national', '--province', '96']);
    assert.notEqual(both.code, 0);
    assert.match(both.out, /--national and --province exclude each other/);
    const opts = await setup(['--national', '--session-timeout', '60']);
    assert.notEqual(opts.code, 0);
    assert.match(opts.out, /these options are for --province only: --session-timeout/);
    const bad = await setup(['--national', '--provinces', '96,1']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, /'1' is not a two-digit province code/);
    const before = (await couch.admin('GET', '/_replicator/_all_docs')).body.total_rows;
    const missing = await setup(['--national', '--provinces', '96,02']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.out, /tieuchi_p02 does not exist \(run --province 02 first\)/);
    assert.equal((await couch.admin('GET', '/_replicator/_all_docs')).body.total_rows, before);
  });
});
