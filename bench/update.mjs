// The bytes of an update, from one release to the next, as a tablet that already runs the first
// one downloads them: release A is served, the app opens and its service worker precaches A;
// then the server publishes release B at the same address, the worker checks for an update and
// installs B (waiting until the officer reloads). Printed: the bytes and files the server sent
// for the update, against the bytes of the files B changed (what an update cannot avoid) and
// B's whole app. `FROM=dirA TO=dirB node bench/update.mjs` (two release builds, e.g. an older
// commit's and this one's).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';

const FROM = path.resolve(process.env.FROM || '');
const TO = path.resolve(process.env.TO || 'dist');
if (!process.env.FROM) throw new Error('FROM=<an older release build> is needed');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };

let root = FROM;
const log = [];
const gz = new Map();
const packed = (file) => {
  if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
  return gz.get(file);
};
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1)) || 'index.html';
  const file = path.join(root, rel);
  if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
  const body = packed(file);
  log.push({ path: rel, bytes: body.length });
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-encoding': 'gzip', 'content-length': body.length, 'cache-control': 'no-cache' });
  res.end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tieuchi-update-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1024, height: 768 },
});
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(base + '#/');
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 120000 });
  const firstVisit = log.reduce((s, x) => s + x.bytes, 0);
  // Release B is published at the same address; the worker is asked to look for it.
  root = TO;
  const from = log.length;
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg.update();
    await new Promise((resolve) => {
      const done = () => reg.waiting && resolve();
      if (reg.installing) reg.installing.addEventListener('statechange', done);
      reg.addEventListener('updatefound', () => reg.installing.addEventListener('statechange', done));
      done();
    });
  });
  const update = log.slice(from);
  const files = (d) => fs.readdirSync(d).filter((f) => fs.statSync(path.join(d, f)).isFile());
  const a = new Set(files(FROM));
  const changed = files(TO).filter((f) => !a.has(f) || !fs.readFileSync(path.join(FROM, f)).equals(fs.readFileSync(path.join(TO, f))));
  const bytesOf = (list) => list.reduce((s, f) => s + packed(path.join(TO, f)).length, 0);
  const whole = bytesOf(files(TO));
  const sent = update.reduce((s, x) => s + x.bytes, 0);
  console.log(`An update from ${FROM} to ${TO} (gzip -9 served)`);
  console.log(`  first visit of the older release, page and precache: ${firstVisit} B`);
  console.log(`  the update: ${sent} B in ${update.length} requests (whole new release ${whole} B)`);
  console.log(`  files the new release changed or added: ${changed.length}, ${bytesOf(changed)} B — what an update cannot avoid`);
  const again = update.filter((x) => !changed.includes(x.path) && x.path !== '');
  console.log(`  unchanged files downloaded again: ${again.length}${again.length ? ` (${again.map((x) => x.path).join(', ')})` : ''}`);
} finally {
  await context.close();
  fs.rmSync(dir, { recursive: true, force: true });
  server.close();
}
