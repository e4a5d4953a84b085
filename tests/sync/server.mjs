// Test harness: starts a throw-away pouchdb-server 4.2.0 on 127.0.0.1 set up like a Tiêu chí province CouchDB (users, tieuchi_p96, _security, _design/guard).
//
//   const couch = await startCouch({ origin: 'http://127.0.0.1:8080', sessionTimeout: 3 });
//   await couch.admin('GET', '/tieuchi_p96/_all_docs')      // → { status, body, headers }
//   const cookie = await couch.login('xa1', 'pw-xa1');        // "AuthSession=…"
//   await couch.request('POST', '/tieuchi_p96/_bulk_docs', { cookie, body: { docs } });
//   await couch.stop();
//
// Facts this relies on (brief §5.1): `-p 0` falls back to 5984, so the port is picked here; on
// EADDRINUSE pouchdb-server prints an error and exits with status 0, so "GET / answers" alone does
// not prove it is ours — the child must still be alive; config.json/log.txt land in the cwd, and
// admins persist in config.json, hence a fresh temp dir per run; a non-admin `PUT /{db}` crashes
// it (pouchdb/pouchdb-server #374), so the db is created as admin.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin', 'pouchdb-server');

export const ADMIN = { name: 'admin', password: 'secret' };
export const PROVINCE = '96';
export const DB = `tieuchi_p${PROVINCE}`;
/**
 * The users every test server has (name → password, roles, and the name and title they sign
 * with: the signer list inlined into the guard and stored as `signers` of `_design/guard`).
 * xa1, tinh1 and khac1 are the end-to-end tests' users; tinh1 holds three parts' roles but, as
 * every account, signs only one part of a dossier.
 */
export const USERS = {
  xa1: { password: 'pw-xa1', roles: ['xa', 'tinh_96'], full_name: 'Trần Thị B', title: 'Công chức Văn phòng – thống kê xã' },
  tinh1: { password: 'pw-tinh1', roles: ['tham_tra', 'tham_dinh', 'cong_nhan', 'tinh_96'], full_name: 'Lê Văn C', title: 'Chuyên viên Sở Nông nghiệp và Môi trường' },
  khac1: { password: 'pw-khac1', roles: ['xa', 'tinh_79'], full_name: 'Đỗ Văn K', title: 'Công chức xã' },
  xa2: { password: 'pw-xa2', roles: ['xa', 'tinh_96'], full_name: 'Võ Thị H', title: 'Công chức Địa chính – xây dựng xã' },
  tt1: { password: 'pw-tt1', roles: ['tham_tra', 'tinh_96'], full_name: 'Phạm Văn D', title: 'Trưởng đoàn thẩm tra huyện' },
  tt2: { password: 'pw-tt2', roles: ['tham_tra', 'tinh_96'], full_name: 'Đặng Thị G', title: 'Thành viên đoàn thẩm tra' },
  td1: { password: 'pw-td1', roles: ['tham_dinh', 'tinh_96'], full_name: 'Hồ Thị E', title: 'Phó Giám đốc Sở Nông nghiệp và Môi trường' },
  cn1: { password: 'pw-cn1', roles: ['cong_nhan', 'tinh_96'], full_name: 'Nguyễn Văn F', title: 'Chủ tịch UBND tỉnh' },
  tdcn1: { password: 'pw-tdcn1', roles: ['tham_dinh', 'cong_nhan', 'tinh_96'], full_name: 'Bùi Văn M', title: 'Phó Chủ tịch UBND tỉnh' },
  xa31882: { password: 'pw-xa31882', roles: ['xa', 'xa_31882', 'tinh_96'], full_name: 'Lý Thị N', title: 'Công chức Văn phòng – thống kê xã Vĩnh Thanh' },
};

/** `{account: {name, title}}` of `users` that have a full name (the guard's `__SIGNERS__`). */
export function signersOf(users = USERS) {
  const out = {};
  for (const [name, u] of Object.entries(users)) {
    if (u.full_name) out[name] = { name: u.full_name, title: u.title || '' };
  }
  return out;
}

/** The province names the guard accepts in `assessment.commune.province` (Bạc Liêu merged into Cà Mau on 01/07/2025). */
export const PROVINCE_NAMES = { 96: ['Cà Mau', 'Bạc Liêu'] };

/** JSON as JavaScript source: U+2028/U+2029 are line ends to ES5 engines, inside strings too. */
const jsLiteral = (v) => JSON.stringify(v).replace(/\u2028|\u2029/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'));

/**
 * The `validate_doc_update` source for `province`, built from couchdb/guard.js as
 * scripts/couchdb-setup builds it: everything before the first line starting with "function"
 * dropped, `__PROVINCE__`, `__PROVINCE_NAMES__` and `__SIGNERS__` replaced in one pass (so a
 * signer's name can never be read as a placeholder). `file` (or the environment variable
 * TIEUCHI_GUARD_FILE) installs another guard, e.g. an older one to see a test fail on it.
 */
export function guardSource(province = PROVINCE, {
  file = process.env.TIEUCHI_GUARD_FILE || path.join(ROOT, 'couchdb', 'guard.js'),
  signers = signersOf(),
  provinceNames = PROVINCE_NAMES[province] || [],
} = {}) {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.search(/^function\b/m);
  if (start < 0) throw new Error(`${file}: no line starts with "function"`);
  const values = { __PROVINCE__: province, __PROVINCE_NAMES__: jsLiteral(provinceNames), __SIGNERS__: jsLiteral(signers) };
  return text.slice(start).replace(/__PROVINCE_NAMES__|__SIGNERS__|__PROVINCE__/g, (m) => values[m]).trimEnd();
}

/** The `_design/guard` document: the guard, and the signer list the app reads to sign with. */
export function guardDoc(province = PROVINCE, opts = {}) {
  const signers = opts.signers || signersOf();
  return { validate_doc_update: guardSource(province, { ...opts, signers }), signers };
}

/** `_security` for `province`, built from couchdb/security.example.json (written for 96). */
export function securityObject(province = PROVINCE) {
  const sec = JSON.parse(fs.readFileSync(path.join(ROOT, 'couchdb', 'security.example.json'), 'utf8'));
  delete sec['//'];
  return JSON.parse(JSON.stringify(sec).replaceAll('tinh_96', `tinh_${province}`));
}

export function basicAuth(name, password) {
  return 'Basic ' + Buffer.from(`${name}:${password}`).toString('base64');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One HTTP request to `base + path`. `body`: an object/array is sent as JSON, a string as is
 * (then set `headers['content-type']` yourself). `cookie`: a `Cookie` header value; `auth`:
 * `{name, password}` for Basic auth. Resolves `{ status, body, text, headers }`, `body` being the
 * parsed JSON or `undefined` when the reply is not JSON.
 */
export async function request(base, method, urlPath, { body, headers = {}, cookie, auth, signal } = {}) {
  const h = { accept: 'application/json', ...headers };
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
    else {
      payload = JSON.stringify(body);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
    }
  }
  if (cookie) h.cookie = cookie;
  if (auth) h.authorization = basicAuth(auth.name, auth.password);
  const res = await fetch(base + urlPath, { method, headers: h, body: payload, signal });
  const text = await res.text();
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

async function spawnServer(dir, port) {
  fs.writeFileSync(path.join(dir, 'config.json'), '{}\n');
  const child = spawn(process.execPath, [fs.realpathSync(BIN), '--in-memory', '--port', String(port),
    '--host', '127.0.0.1', '--config', path.join(dir, 'config.json'), '--no-stdout-logs'], {
    cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-4000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, sig) => { exited = { code, sig }; resolve(exited); }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const r = await request(url, 'GET', '/', { signal: AbortSignal.timeout(1000) });
      // Ours only if the child is still alive after answering (another server may own the port).
      await sleep(50);
      if (r.status === 200 && !exited) return { child, url, exit, output: () => output };
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  killTree(child);
  const why = exited ? `exited (${exited.code ?? exited.sig})` : 'did not answer within 20 s';
  const err = new Error(`pouchdb-server on port ${port} ${why}:\n${output}`);
  err.retry = Boolean(exited);
  throw err;
}

function killTree(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

/**
 * Starts pouchdb-server in a fresh temp dir, ends the admin party (admin:secret), sets CORS
 * origins (only when `origin` is given; pouchdb-server's default echoes any origin with
 * credentials) and `couch_httpd_auth/timeout` (seconds, when `sessionTimeout` is given), creates
 * USERS, the db `tieuchi_p96`, its `_security` and `_design/guard` (`guardDoc(PROVINCE, guard)`:
 * `guard` may name another `file`, `signers` or `provinceNames`).
 *
 * Resolves `{ url, adminUrl, db, port, users, stop, admin, adminFetch, request, login }`:
 *  - `url` "http://127.0.0.1:P", `adminUrl` "http://admin:secret@127.0.0.1:P" (for curl and
 *    browsers; fetch() refuses credentials in URLs, use `admin`/`adminFetch`);
 *  - `admin(method, path, body?)` → `{status, body, text, headers}` as _admin (Basic auth);
 *  - `adminFetch(path, init?)` → the raw fetch Response, as _admin;
 *  - `request(method, path, opts)` → like the exported `request` against `url`;
 *  - `login(name, password)` → the `AuthSession=…` cookie (throws unless 200);
 *  - `stop()` kills the server's process group and removes the temp dir.
 */
export async function startCouch({ origin, sessionTimeout, guard = {} } = {}) {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} missing: run npm ci in ${ROOT}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tieuchi-couch-'));
  let started;
  for (let attempt = 0; ; attempt++) {
    try {
      started = await spawnServer(dir, await freePort());
      break;
    } catch (e) {
      if (!e.retry || attempt >= 2) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }
  const { child, url, exit } = started;
  const onExit = () => killTree(child, 'SIGKILL');
  process.once('exit', onExit);
  const adminUrl = url.replace('http://', `http://${ADMIN.name}:${ADMIN.password}@`);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    killTree(child);
    const timer = setTimeout(() => killTree(child, 'SIGKILL'), 2000);
    await exit;
    clearTimeout(timer);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const asAdmin = { name: ADMIN.name, password: ADMIN.password };
  const admin = (method, urlPath, body) => request(url, method, urlPath, { body, auth: asAdmin });
  const adminFetch = (urlPath, init = {}) => fetch(url + urlPath, {
    ...init, headers: { authorization: basicAuth(ADMIN.name, ADMIN.password), ...(init.headers || {}) },
  });
  const must = async (what, p, ok = [200, 201]) => {
    const r = await p;
    if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.text}`);
    return r;
  };

  try {
    // Admin party until an admin exists; this ends it.
    await must('create admin', request(url, 'PUT', '/_config/admins/admin', { body: JSON.stringify(ADMIN.password) }));
    if (origin) await must('cors origins', admin('PUT', '/_config/cors/origins', JSON.stringify(origin)));
    if (sessionTimeout !== undefined) {
      await must('session timeout', admin('PUT', '/_config/couch_httpd_auth/timeout', JSON.stringify(String(sessionTimeout))));
    }
    for (const [name, u] of Object.entries(USERS)) {
      await must(`user ${name}`, admin('PUT', `/_users/org.couchdb.user:${name}`,
        { _id: `org.couchdb.user:${name}`, name, password: u.password, roles: u.roles, type: 'user' }));
    }
    await must('create db', admin('PUT', `/${DB}`));
    await must('security', admin('PUT', `/${DB}/_security`, securityObject(PROVINCE)));
    await must('guard', admin('PUT', `/${DB}/_design/guard`, guardDoc(PROVINCE, guard)));
  } catch (e) {
    await stop();
    throw e;
  }

  const login = async (name, password) => {
    const r = await request(url, 'POST', '/_session', { body: { name, password } });
    if (r.status !== 200) throw new Error(`login ${name}: HTTP ${r.status} ${r.text}`);
    const set = r.headers.getSetCookie().find((c) => c.startsWith('AuthSession='));
    if (!set) throw new Error(`login ${name}: no AuthSession cookie`);
    return set.split(';')[0];
  };

  return {
    url, adminUrl, db: DB, port: Number(new URL(url).port), users: USERS, stop, admin, adminFetch, login,
    request: (method, urlPath, opts) => request(url, method, urlPath, opts),
  };
}
