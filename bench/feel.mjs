// What an officer on a cheap tablet feels, measured the way they feel it (headless Chromium,
// CPU throttled 4×, files served gzip -9 by a static server without ETag or immutable headers):
//  1. first visit from a cold profile: bytes on the wire, including what the service worker
//     precaches, each file and how many times; time until the first screen is on screen (the end
//     of the frame after its DOM is in place, not the DOM alone); how much of it is the
//     wasm's download, compile and instantiation; then the same page warm (second visit);
//  2. each keystroke, from the `input` event's timestamp to the end of the next rendered frame
//     after the last DOM mutation it caused (rAF, then a task), over ≥ 100 real key presses on
//     fully answered assessments (1980, and 5,000 indicators), cross-checked against the Event
//     Timing API; p50, p95, max;
//  3. each autosave write of a 1980 assessment (localStorage.setItem of the record), and whether
//     it fell inside a keystroke's frame.
// No figure is a difference of two medians. Run with `ONLY=feel bash scripts/bench`, or
// `node bench/feel.mjs` after `trunk build --release`. RUNS=n (default 5) cold/warm runs; DIST_DIR=dir
// measures another build (e.g. an older commit, side by side); ONLY_KEYS=1 only the keystrokes,
// ONLY_FIRST=1 only the first visit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, CHROMIUM_ARGS, OUT } from '../tests/e2e/harness.mjs';
import { framework, assessment, full1980Answers, fullAnswers } from './gen.mjs';

const RUNS = Number(process.env.RUNS || 5);
const THROTTLE = Number(process.env.THROTTLE || 4);
const KEYS = Number(process.env.KEYS || 120);
// LINE=thin: the first visit over a thin line as well (CDP network emulation: 150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up, the figures Lighthouse uses for a slow mobile connection).
const THIN = process.env.LINE === 'thin';
const out = {};

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const med = (xs) => pct(xs, 50);
const f1 = (x) => `${x.toFixed(1)} ms`;

// Installed before the app starts: first-screen marks, wasm timing, keystroke and save timing.
const INIT = () => {
  window.__t = { marks: {}, painted: {}, wasm: [], keys: [], saves: [], events: [] };
  const T = window.__t;
  const watch = [
    ['home', () => document.querySelector('[data-testid="criteria-list"]')],
    ['assessment', () => { const e = document.querySelector('[data-testid^="yes-"], [data-testid^="num-"]'); return e && !e.disabled; }],
  ];
  let lastMutation = 0;
  new MutationObserver((records) => {
    const now = performance.now();
    // The save status changes 300 ms after an edit by design; it is not the keystroke's frame.
    if (records.some((r) => !(r.target.closest && r.target.closest('[data-testid="save-status"]')) && !(r.target.parentElement && r.target.parentElement.closest('[data-testid="save-status"]')))) lastMutation = now;
    for (const [name, test] of watch) {
      if (T.marks[name] || !test()) continue;
      T.marks[name] = now;
      // On screen: the end of the next frame (rAF, then a task), as for a keystroke below.
      requestAnimationFrame(() => setTimeout(() => { T.painted[name] = performance.now(); }, 0));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  // The wasm's compile + instantiate, however the loader calls it.
  for (const name of ['instantiateStreaming', 'instantiate', 'compileStreaming']) {
    const orig = WebAssembly[name];
    if (!orig) continue;
    WebAssembly[name] = function (...args) {
      const t0 = performance.now();
      const p = orig.apply(this, args);
      p.then(() => T.wasm.push({ name, start: t0, end: performance.now() }));
      return p;
    };
  }
  // Each keystroke: input timestamp → end of the first frame after which no further mutation
  // came (rAF, then a task, repeated while the app is still changing the page).
  document.addEventListener('input', (ev) => {
    const t0 = ev.timeStamp;
    const settle = () => {
      const seen = lastMutation;
      requestAnimationFrame(() => setTimeout(() => {
        if (lastMutation > seen) settle();
        else T.keys.push({ start: t0, end: performance.now(), ms: performance.now() - t0 });
      }, 0));
    };
    settle();
  }, true);
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    const t0 = performance.now();
    const r = setItem.call(this, k, v);
    if (String(k).startsWith('tieuchi/v1/assessment/')) T.saves.push({ start: t0, ms: performance.now() - t0, bytes: String(v).length * 2 });
    return r;
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (['keydown', 'keyup', 'keypress', 'input', 'beforeinput'].includes(e.name)) T.events.push({ name: e.name, start: e.startTime, duration: e.duration });
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch { /* Event Timing not available */ }
};

async function fresh() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tieuchi-feel-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1024, height: 768 },
  });
  await context.addInitScript(INIT);
  const page = context.pages()[0] || (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  if (THIN) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) });
  }
  return { context, page, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

const server = await serve(process.env.DIST_DIR, '/', { gzip: true });
try {
  // ONLY_KEYS=1 skips this part (for working on the keystroke path).
  if (process.env.ONLY_KEYS !== '1') {
  // ---- 1. First visit, cold, and the second visit ---------------------------------------------
  const cold = [];
  const coldDom = [];
  const coldFcp = [];
  const warm = [];
  const wasmCold = [];
  const phases = [];
  let wire = null;
  for (let r = 0; r < RUNS; r++) {
    const b = await fresh();
    const from = server.log.length;
    await b.page.goto(server.url + '#/');
    await b.page.waitForFunction(() => window.__t.painted.home, null, { timeout: 60000 });
    // The paint entry is reported after its frame is presented, sometimes after the harness's mark.
    await b.page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length, null, { timeout: 10000 });
    const t = await b.page.evaluate(() => ({
      home: window.__t.painted.home, dom: window.__t.marks.home, wasm: window.__t.wasm,
      // Where the cold time goes: the page's HTML, the main module on the wire, the app running.
      html: performance.getEntriesByType('navigation')[0].responseEnd,
      wasmIn: Math.max(0, ...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('_bg.wasm')).map((e) => e.responseEnd)),
      // The first frame with text in it (index.html's shell: the header and "Đang tải…").
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    }));
    cold.push(t.home);
    coldFcp.push(t.fcp);
    // The modules instantiated before the first screen was in the DOM (chunks read after it,
    // such as the records' chunk of a new tablet, are not the first screen's).
    const before = t.wasm.filter((w) => w.start < t.dom);
    const ready = before.length ? Math.max(...before.map((w) => w.end)) : NaN;
    phases.push({ html: t.html, wasmIn: t.wasmIn, instantiated: ready, startup: t.dom - ready, frame: t.home - t.dom });
    coldDom.push(t.dom);
    if (before.length) wasmCold.push(before.reduce((s, w) => s + (w.end - w.start), 0));
    // Until the service worker has precached everything (it controls the page when done).
    await b.page.evaluate(() => navigator.serviceWorker.ready.then(() => new Promise((r) => (navigator.serviceWorker.controller ? r() : navigator.serviceWorker.addEventListener('controllerchange', r)))));
    await b.page.waitForTimeout(500);
    // What the page itself began fetching before its first screen was on screen, by the fetch's
    // start in page time (the worker's precache is not the page's; a fetch begun after the
    // frame, while the harness was still polling, is not counted either).
    const firstScreenFiles = await b.page.evaluate(() => ['index.html', ...new Set(performance.getEntriesByType('resource')
      .filter((e) => e.startTime < window.__t.painted.home)
      .map((e) => decodeURIComponent(new URL(e.name).pathname.slice(1))))]);
    const visit = server.log.slice(from);
    if (!wire) {
      const byPath = {};
      for (const { path: p, bytes } of visit) { byPath[p] ??= { bytes: 0, times: 0 }; byPath[p].bytes += bytes; byPath[p].times += 1; }
      wire = { total: visit.reduce((s, x) => s + x.bytes, 0), byPath, firstScreenFiles };
    }
    const again = server.log.length;
    await b.page.goto('about:blank');
    await b.page.goto(server.url + '#/');
    await b.page.waitForFunction(() => window.__t.painted.home, null, { timeout: 60000 });
    warm.push(await b.page.evaluate(() => window.__t.painted.home));
    if (r === 0) wire.warmBytes = server.log.slice(again).reduce((s, x) => s + x.bytes, 0);
    await b.close();
  }
  const dist = fs.readdirSync(path.resolve(process.env.DIST_DIR || 'dist'));
  const whole = dist.reduce((s, f) => s + (fs.statSync(path.resolve(process.env.DIST_DIR || 'dist', f)).isFile() ? (server.log.find((x) => x.path === f) || { bytes: 0 }).bytes : 0), 0);
  console.log(`\nFirst visit, cold profile, gzip -9 served, CPU ${THROTTLE}×${THIN ? ', thin line (150 ms RTT, 1.6 Mbit/s)' : ''} (${RUNS} runs)`);
  for (const [p, v] of Object.entries(wire.byPath).sort((a, b) => b[1].bytes - a[1].bytes)) console.log(`  ${p.padEnd(44)} ${String(v.bytes).padStart(9)} B  × ${v.times}`);
  const gz = (f) => (server.log.find((x) => x.path === f) || { bytes: 0 }).bytes;
  const firstScreen = wire.firstScreenFiles.reduce((s, f) => s + gz(f), 0);
  console.log(`  first screen: the files the page fetched before it was ready (gzip -9): ${firstScreen} B (${(firstScreen / 1024).toFixed(1)} KiB; target ≤ 200 KB)`);
  console.log(`    ${wire.firstScreenFiles.map((f) => `${f} ${gz(f)}`).join(', ')}`);
  console.log(`  first-visit bytes on the wire, incl. service-worker precache: ${wire.total} B (${(wire.total / 1024).toFixed(1)} KiB)`);
  console.log(`  whole app, the app's files once each (gzip -9, as served):    ${whole} B (target ≤ 330 KB) → first visit / app = ${(wire.total / whole).toFixed(2)} (target ≤ 1.05)`);
  console.log(`  second visit, bytes on the wire:                               ${wire.warmBytes} B`);
  console.log(`  cold: first text on screen (first contentful paint), p50 ${f1(med(coldFcp))}, max ${f1(Math.max(...coldFcp))}`);
  console.log(`  cold first screen on screen (end of the frame that shows it): p50 ${f1(med(cold))}, max ${f1(Math.max(...cold))} (target ≤ 700 ms)`);
  console.log(`    (its DOM was in place at p50 ${f1(med(coldDom))}; the frame after it is the browser's first layout and paint)`);
  if (wasmCold.length) console.log(`    of which wasm compile + instantiate (awaited): p50 ${f1(med(wasmCold))}`);
  const ph = (k) => f1(med(phases.map((p) => p[k]).filter((x) => Number.isFinite(x))));
  console.log(`    timeline, p50 from navigation: HTML in ${ph('html')}, main module in ${ph('wasmIn')}, instantiated ${ph('instantiated')}; app start-up to the DOM ${ph('startup')}; first layout and paint ${ph('frame')}`);
  console.log(`  warm first screen on screen (second visit, service worker): p50 ${f1(med(warm))}, max ${f1(Math.max(...warm))}`);
  out.firstVisit = { ...wire, firstScreen, wholeApp: whole, cold, coldDom, coldFcp, warm, wasmCold, phases };
  }

  // ---- 2. Keystrokes on fully answered assessments -----------------------------------------------
  const b = await fresh();
  const f5000 = framework(5000);
  const a5000 = assessment(1, { fwId: 'bench', fwVersion: '1', answers: fullAnswers(f5000) });
  const cases = process.env.ONLY_FIRST === '1' ? [] : [
    ['1980 set, 49 indicators, fully answered', [['tieuchi/v1/assessment/bench-0', JSON.stringify(assessment(0, { answers: full1980Answers() }))]], 'bench-0', '15', '15.1', '≤ 16 ms'],
    ['5,000 indicators, fully answered', [['tieuchi/v1/framework/bench@1', JSON.stringify(f5000)], ['tieuchi/v1/assessment/bench-1', JSON.stringify(a5000)]], 'bench-1', '1', '1.2', '≤ 50 ms'],
  ];
  out.keys = {};
  for (const [name, kv, id, crit, ind, target] of cases) {
    await b.page.goto(server.url + '#/data');
    await b.page.waitForSelector('[data-testid="lang-switch"]');
    await b.page.evaluate((kv) => { localStorage.clear(); for (const [k, v] of kv) localStorage.setItem(k, v); }, kv);
    await b.page.goto('about:blank');
    await b.page.goto(server.url + `#/a/${id}`);
    await b.page.waitForFunction(() => window.__t.marks.assessment, null, { timeout: 120000 });
    await b.page.click(`[data-testid="criterion-${crit}"]`);
    const input = b.page.locator(`[data-testid="num-${ind}"]`);
    await input.click();
    await b.page.keyboard.press('End');
    await b.page.evaluate(() => { window.__t.keys = []; window.__t.events = []; window.__t.saves = []; });
    // Real key presses: delete the last digit, type another; each waits for its frame.
    for (let k = 0; k < KEYS; k++) {
      const key = k % 2 === 0 ? 'Backspace' : String((k >> 1) % 10);
      await b.page.keyboard.press(key);
      await b.page.waitForFunction((n) => window.__t.keys.length >= n, k + 1);
    }
    await b.page.waitForTimeout(800); // the debounced save after the last key
    const t = await b.page.evaluate(() => window.__t);
    // The same key presses into a plain input the app does not listen to, on the same page:
    // what the browser and this harness cost before the app does anything.
    await b.page.evaluate(() => {
      const el = document.createElement('input');
      el.id = 'bench-plain';
      el.setAttribute('aria-label', 'bench');
      el.value = '14';
      document.querySelector('main').prepend(el);
      window.__t.keys = [];
    });
    await b.page.click('#bench-plain');
    await b.page.keyboard.press('End');
    for (let k = 0; k < Math.min(KEYS, 60); k++) {
      await b.page.keyboard.press(k % 2 === 0 ? 'Backspace' : String((k >> 1) % 10));
      await b.page.waitForFunction((n) => window.__t.keys.length >= n, k + 1);
    }
    const plain = await b.page.evaluate(() => window.__t.keys.map((x) => x.ms));
    await b.page.evaluate(() => document.getElementById('bench-plain').remove());
    const ms = t.keys.map((x) => x.ms);
    const slow = t.events.filter((e) => e.name === 'keydown' || e.name === 'input');
    const inFrame = t.saves.filter((s) => t.keys.some((k) => s.start >= k.start && s.start <= k.end)).length;
    console.log(`\nKeystroke → next frame after its last DOM mutation, ${name} (${ms.length} key presses)`);
    console.log(`  p50 ${f1(pct(ms, 50))}   p95 ${f1(pct(ms, 95))}   max ${f1(Math.max(...ms))}   (target p95 ${target})`);
    console.log(`  the same presses into a plain input on that page (browser + harness only): p50 ${f1(pct(plain, 50))}   p95 ${f1(pct(plain, 95))}`);
    console.log(`  Event Timing cross-check: ${slow.length} keydown/input events over 16 ms${slow.length ? `, p95 duration ${f1(pct(slow.map((e) => e.duration), 95))}` : ''}`);
    if (t.saves.length) console.log(`  autosave writes: ${t.saves.length}, p50 ${f1(med(t.saves.map((s) => s.ms)))}, max ${f1(Math.max(...t.saves.map((s) => s.ms)))}, ${t.saves[0].bytes} B each; ${inFrame} inside a keystroke's frame (target ≤ 8 ms, off the frame)`);
    out.keys[name] = { ms, plain, eventTiming: slow, saves: t.saves };
  }
  await b.close();
  fs.writeFileSync(path.join(OUT, 'feel.json'), JSON.stringify({ date: new Date().toISOString(), throttle: THROTTLE, ...out }, null, 2));
  console.log(`\n(figures in ${path.join(OUT, 'feel.json')})`);
} finally {
  await server.close();
}
