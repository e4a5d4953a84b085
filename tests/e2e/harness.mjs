// Shared harness for the end-to-end tests: serves dist/ on 127.0.0.1 (optionally under a
// sub-path) and launches Debian's Chromium through playwright-core with a fresh profile.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

export const DIST = path.resolve(process.env.DIST_DIR || 'dist');
export const OUT = path.resolve('test-output');
fs.mkdirSync(OUT, { recursive: true });

/** Serves `dir` at `http://127.0.0.1:<port><prefix>`; returns { url, close, log }. With
 *  `gzip`, files are sent gzip -9 compressed to clients that accept it (as a static host
 *  would), and `log` lists every response ({ path, bytes } on the wire), for the benchmarks.
 *  `types` overrides content types by extension (a host that sends `.wasm` as another type). */
export async function serve(dir = DIST, prefix = '/', { gzip = false, types = {} } = {}) {
  const log = [];
  const packed = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404); return res.end('not found'); }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); return res.end('not found');
    }
    const ext = path.extname(file);
    const headers = { 'content-type': types[ext] || TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-cache' };
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      if (!packed.has(file)) packed.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
      const body = packed.get(file);
      log.push({ path: rel, bytes: body.length });
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': body.length });
      return res.end(body);
    }
    log.push({ path: rel, bytes: fs.statSync(file).size });
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, log, close: () => new Promise((r) => server.close(r)) };
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** A persistent context with a fresh profile, so storage survives reloads within one test. */
export async function launch(viewport = { width: 1024, height: 768 }, { bypassCSP = false } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tieuchi-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    bypassCSP, // only to inject axe-core for accessibility checks
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    context, page, errors,
    close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

/** Waits until the app has mounted (the header is rendered by wasm) and read its records (their
 * chunk loads right after the first screen). */
export async function ready(page) {
  await page.getByTestId('lang-switch').waitFor({ timeout: 20000 });
  await page.locator('main[data-store="ready"]').waitFor({ state: 'attached', timeout: 20000 });
}

/** Marks, in the page, when the first screen (the home's criteria list) is in the DOM. */
export const markFirstScreen = (context) => context.addInitScript(() => {
  new MutationObserver((_, o) => {
    if (document.querySelector('[data-testid="criteria-list"]')) { window.__firstScreenAt = performance.now(); o.disconnect(); }
  }).observe(document, { subtree: true, childList: true });
});

/** The wasm files the page began fetching before its first screen was in the DOM. */
export const wasmBeforeFirstScreen = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .filter((e) => e.name.endsWith('.wasm') && e.startTime < window.__firstScreenAt)
  .map((e) => e.name.split('/').pop()));

/** Stores assessment envelopes (as `bench/gen.mjs` makes them) and opens `hash` on a fresh load. */
export async function seedAssessments(page, url, envelopes, hash = '#/') {
  await page.goto(url + '#/data');
  await ready(page);
  await page.evaluate((list) => {
    for (const e of list) localStorage.setItem(`tieuchi/v1/assessment/${e.assessment.id}`, JSON.stringify(e));
  }, envelopes);
  await page.goto('about:blank');
  await page.goto(url + hash);
  await ready(page);
}

/** Runs axe-core on the page; returns serious and critical violations (needs bypassCSP). */
export async function a11y(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fills the origin's localStorage until the browser refuses, leaving too little room for the
 *  next write of an assessment (junk keys `junk/…`, removed by `freeQuota`). */
export async function fillQuota(page) {
  return page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    let name = '';
    try { for (let i = 0; ; i++) localStorage.setItem('junk/' + i, chunk); } catch (e) { name = e.name; }
    for (const size of [16384, 1024, 64, 8]) {
      const c = 'x'.repeat(size);
      try { for (let j = 0; ; j++) localStorage.setItem(`junk/${size}/${j}`, c); } catch (e) { /* full at this size */ }
    }
    return name;
  });
}

/** Removes the junk `fillQuota` stored. */
export async function freeQuota(page) {
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('junk/')) localStorage.removeItem(k); });
}

/** Every key the app stores under `tieuchi/` with its exact text, but the device id. */
export async function appStorage(page) {
  return page.evaluate(() => {
    const out = {};
    for (const k of Object.keys(localStorage).sort()) if (k.startsWith('tieuchi/') && k !== 'tieuchi/v1/device') out[k] = localStorage.getItem(k);
    return out;
  });
}

/** Fills the new-assessment form (framework key, province option, commune, round, region or
 *  group, date of assessment: each optional but the commune) without submitting it. The set is
 *  the 2016–2020 one unless told: the page itself starts from the set in force on the day. */
export async function fillNewAssessment(page, url, { framework = 'ntm-xa-2016-2020@1980/2016', province = '0', commune = 'Xã Vĩnh Thanh', round = '2020', dimension, date } = {}) {
  await page.goto(url + '#/new');
  await ready(page);
  if (framework) await page.getByTestId('new-framework').selectOption(framework);
  await page.getByTestId('new-province').selectOption(province);
  if (commune) await page.getByTestId('new-commune').selectOption(commune);
  await page.getByTestId('new-round').fill(round);
  if (dimension) await page.getByTestId('new-dimension').selectOption(dimension);
  if (date) await page.getByTestId('new-assessed-on').fill(date);
}

/** Creates an assessment through the form (confirming a second one of the same commune and
 *  round) and returns its id. */
export async function newAssessment(page, url, options) {
  await fillNewAssessment(page, url, options);
  await page.getByTestId('new-create').click();
  await Promise.race([page.getByTestId('assessment-title').waitFor(), page.getByTestId('new-duplicate').waitFor()]);
  if (await page.getByTestId('new-duplicate').count()) await page.getByTestId('new-create').click();
  await page.getByTestId('assessment-title').waitFor();
  return decodeURIComponent(page.url().split('#/a/')[1]);
}

/** A scratch copy of dist/ that a test may change (a release, a missing file); returns its path. */
export function copyOfDist(tag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tieuchi-${tag}-`));
  fs.cpSync(DIST, dir, { recursive: true });
  return dir;
}

/** Resolves once a service worker controls the page (it has precached the app). */
export const controlled = (page) => page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 20000 });

/** Turns the copy of a build in `dir` into its next release, the way a rebuild with a changed
 *  page would: that page's chunk gets new content under a new name, so the loader scripts that
 *  name it change, get a new build id in their names, and so does the inline loader; the SRI of
 *  index.html follows, and the worker is rewritten with a new version. Returns the old and new
 *  chunk names and the new build id. (A hashed name never changes its content: reusing one with
 *  new bytes would be served stale by the worker, as by any cache.) */
export async function shipRelease(dir, page = 'results') {
  const { writeServiceWorker } = await import('../../scripts/sw-manifest.mjs');
  const crypto = await import('node:crypto');
  const files = () => fs.readdirSync(dir);
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  const renameAll = (from, to) => {
    for (const f of files().filter((f) => /\.(js|html)$/.test(f) && f !== 'sw.js')) {
      const text = read(f);
      if (text.includes(from)) fs.writeFileSync(path.join(dir, f), text.split(from).join(to));
    }
    for (const f of files().filter((f) => f.includes(from))) fs.renameSync(path.join(dir, f), path.join(dir, f.split(from).join(to)));
  };
  const oldChunk = files().find((f) => f.startsWith(`split_${page}-`) && f.endsWith('.wasm'));
  const bytes = fs.readFileSync(path.join(dir, oldChunk));
  // A custom section at the end changes the bytes and not what the module does.
  const name = Buffer.from('release');
  const section = Buffer.concat([Buffer.from([0, 1 + name.length + 1, name.length]), name, Buffer.from([2])]);
  const newBytes = Buffer.concat([bytes, section]);
  const newChunk = `split_${page}-${crypto.createHash('sha256').update(newBytes).digest('hex').slice(0, 16)}.wasm`;
  fs.rmSync(path.join(dir, oldChunk));
  fs.writeFileSync(path.join(dir, newChunk), newBytes);
  renameAll(oldChunk, newChunk);
  const oldBuild = /name="tieuchi-build" content="([0-9a-f]+)"/.exec(read('index.html'))[1];
  const build = crypto.createHash('sha256').update(oldBuild + newChunk).digest('hex').slice(0, 16);
  renameAll(oldBuild, build);
  const init = files().find((f) => /^init-[0-9a-f]{16}\.js$/.test(f));
  renameAll(init, `init-${crypto.createHash('sha256').update(read(init)).digest('hex').slice(0, 16)}.js`);
  const sri = (f) => 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(path.join(dir, f))).digest('base64');
  const html = read('index.html').replace(/((?:src|href)="\.\/([^"]+)"[^>]*integrity=")[^"]*"/g, (_, head, f) => `${head}${sri(f)}"`);
  fs.writeFileSync(path.join(dir, 'index.html'), html);
  const { version } = writeServiceWorker(dir, build);
  return { oldChunk, newChunk, build, version };
}
