// Opening an assessment, the way an officer does on a cheap tablet: a cold profile (nothing
// cached, no service worker yet) that already holds the record (a fully answered 1980
// assessment, as a tablet does after a hand-over or a sync), `#/a/<id>` typed, CPU 4×, the files
// served gzip -9. "Usable" is the officer's moment: the commune's verdict on screen and the
// answers' inputs enabled, at the end of the frame that shows it.
//
// LINE=thin shapes the line at the server, so the service worker's fetches share it with the
// page's: each response waits one round trip (150 ms), and every response body shares one
// 1.6 Mbit/s line (the figures Lighthouse uses for a slow mobile connection). Printed, medians of
// RUNS (default 5) cold opens: time until usable; bytes and files the server sent before it
// (page and worker alike); the request rounds after the HTML (the longest chain of requests each
// begun after the one before it had arrived); what the worker fetched before it.
// `node bench/open.mjs` after `trunk build --release`; DIST_DIR=dir measures another build.
// `openAssessment` is also what bench/feel.mjs calls for its "assessment ready" figures.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.mjs';
import { assessment, full1980Answers } from './gen.mjs';

const RTT = 150;
const LINE_BYTES_PER_MS = 1.6e6 / 8 / 1000;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };
const record = JSON.stringify(assessment(0, { answers: full1980Answers() }));
export const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Cold opens of `#/a/bench-0` from `dist`, `runs` times; one result per run. */
export async function openAssessment({ dist, thin = false, runs = 5, throttle = 4 }) {
  const DIST = path.resolve(dist || 'dist');
  // One shared line: the time at which it is free again.
  let lineFreeAt = 0;
  const packed = new Map();
  const log = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const rel = decodeURIComponent(url.pathname.slice(1)) || 'index.html';
    const file = path.join(DIST, rel);
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    if (!packed.has(file)) packed.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
    const body = packed.get(file);
    const at = performance.now();
    // The worker's script itself, and its own fetches (its precache, sent with the worker's
    // script as referrer).
    const precache = /\/sw\.js$/.test(req.headers.referer || '');
    const worker = req.headers['service-worker'] === 'script' || precache;
    log.push({ path: rel, bytes: body.length, at, worker, precache });
    const send = () => {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'content-encoding': 'gzip', 'content-length': body.length, 'cache-control': 'no-cache' });
      if (!thin) { res.end(body); return; }
      // The body takes its turn on the one line.
      const start = Math.max(performance.now(), lineFreeAt);
      lineFreeAt = start + body.length / LINE_BYTES_PER_MS;
      setTimeout(() => res.end(body), lineFreeAt - performance.now());
    };
    if (thin) setTimeout(send, RTT); else send();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const results = [];
  try {
    for (let r = 0; r < runs; r++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tieuchi-open-'));
      const context = await chromium.launchPersistentContext(dir, {
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1024, height: 768 },
      });
      try {
        await context.addInitScript((text) => {
          if (!localStorage.getItem('tieuchi/v1/assessment/bench-0')) localStorage.setItem('tieuchi/v1/assessment/bench-0', text);
        }, record);
        const page = context.pages()[0] || (await context.newPage());
        const cdp = await context.newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
        lineFreeAt = 0;
        const from = log.length;
        await page.goto(base + '#/a/bench-0', { waitUntil: 'commit' });
        // Usable: the verdict shown and the answers' inputs enabled, at the end of that frame.
        const usable = await page.waitForFunction(() => {
          const v = document.querySelector('[data-testid="commune-verdict"]');
          const inputs = [...document.querySelectorAll('[data-testid^="yes-"], [data-testid^="value-"], [data-testid^="num-"]')];
          if (!v || !v.textContent.trim() || !inputs.length || inputs.some((i) => i.disabled)) return false;
          return new Promise((res) => requestAnimationFrame(() => setTimeout(() => res(performance.now()), 0)));
        }, null, { polling: 'raf', timeout: 120000 });
        const ready = await usable.jsonValue();
        const serverReady = performance.now();
        const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ name: new URL(e.name).pathname.slice(1), start: e.startTime, end: e.responseEnd })));
        // Rounds after the HTML: the longest chain of the page's requests, each begun after the
        // one before it had arrived (requests begun together are one round).
        const before = entries.filter((e) => e.start < ready);
        const depth = new Map();
        for (const e of [...before].sort((a, b) => a.start - b.start)) {
          const prior = before.filter((q) => q !== e && q.end <= e.start).map((q) => depth.get(q) || 1);
          depth.set(e, 1 + (prior.length ? Math.max(...prior) : 0));
        }
        const rounds = Math.max(1, ...depth.values());
        const sent = log.slice(from).filter((x) => x.at <= serverReady);
        const workerBefore = sent.filter((x) => x.worker);
        results.push({
          ready,
          bytes: sent.reduce((s, x) => s + x.bytes, 0),
          files: sent.length,
          rounds,
          workerBytes: workerBefore.reduce((s, x) => s + x.bytes, 0),
          precacheBytes: workerBefore.filter((x) => x.precache).reduce((s, x) => s + x.bytes, 0),
          list: sent.map((x) => `${x.path}${x.worker ? ' (worker)' : ''}`),
        });
      } finally {
        await context.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    server.close();
  }
  return results;
}

/** Prints the figures of `results`, one line each. */
export function report(results, { thin, throttle = 4, dist = 'dist' }) {
  const line = thin ? `thin line at the server (${RTT} ms a round trip, 1.6 Mbit/s shared)` : 'loopback line';
  console.log(`Opening an assessment cold (49 indicators answered), CPU ${throttle}×, ${line}, ${results.length} runs — ${path.resolve(dist)}`);
  console.log(`  usable (verdict shown, inputs enabled, end of frame): p50 ${med(results.map((x) => x.ready)).toFixed(0)} ms  (runs: ${results.map((x) => x.ready.toFixed(0)).join(', ')}; goal on the thin line ≤ 2,000 ms)`);
  console.log(`  bytes the server sent before it, page and worker: p50 ${med(results.map((x) => x.bytes))} B (goal ≤ 250 KB)`);
  console.log(`    of which the service worker's: p50 ${med(results.map((x) => x.workerBytes))} B, its precache's ${med(results.map((x) => x.precacheBytes))} B (goal 0: the precache waits for the form)`);
  console.log(`  files before it: p50 ${med(results.map((x) => x.files))}; request rounds, HTML included: ${thin ? `p50 ${med(results.map((x) => x.rounds))} (goal: the HTML and ≤ 2 more)` : '— (told apart only on the thin line, where a round trip is long)'}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const thin = process.env.LINE === 'thin';
  const throttle = Number(process.env.THROTTLE || 4);
  const results = await openAssessment({ dist: process.env.DIST_DIR, thin, runs: Number(process.env.RUNS || 5), throttle });
  report(results, { thin, throttle, dist: process.env.DIST_DIR || 'dist' });
  fs.mkdirSync('test-output', { recursive: true });
  fs.writeFileSync(path.join('test-output', `open${thin ? '-thin' : ''}.json`), JSON.stringify(results, null, 1));
}
