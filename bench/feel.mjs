// What an officer on a cheap tablet feels, measured the way they feel it (headless Chromium,
// CPU throttled 4×, files served gzip -9, bytes counted at the server):
//  1. the home, first visit from a cold profile: bytes on the wire, including what the service
//     worker precaches; time until the first screen is on screen; then the same page warm;
//  2. an assessment opened cold (bench/open.mjs): usable = the commune's verdict shown and the
//     answers' inputs enabled, on loopback and on a thin line shaped at the server (150 ms a round
//     trip, 1.6 Mbit/s shared by the page and its worker); bytes, files and request rounds before it;
//  3. each keystroke timed by Chromium itself: a trace's `EventLatency` slice of the key press runs
//     from the key event's timestamp to the presentation (draw and swap) of the frame that holds
//     its DOM change; the `EventTiming` slice of the same keydown (what INP reports in the field) is
//     set beside it. Cases: a static page with one input (the floor), a fully answered 1980
//     assessment (49 indicators), the first key into each empty input of a new one, 5,000
//     indicators. Key presses come GAP ms apart (default 150, a brisk typist);
//  4. each autosave write of the record, and whether it fell inside a keystroke's frame.
// At the end, each figure against its goal (issue #32). BEFORE=dir measures an older build in the
// same sitting (build it with `trunk build --release --dist dir` on a worktree of that commit)
// and prints it side by side. Run with `ONLY=feel bash scripts/bench`, or `node bench/feel.mjs`
// after `trunk build --release`. RUNS=n (default 5) cold runs; DIST_DIR=dir measures another
// build; ONLY_KEYS=1 only the keystrokes, ONLY_FIRST=1 only the first visits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, CHROMIUM_ARGS, OUT } from '../tests/e2e/harness.mjs';
import { framework, assessment, full1980Answers, fullAnswers } from './gen.mjs';
import { openAssessment, report as reportOpen } from './open.mjs';

const RUNS = Number(process.env.RUNS || 5);
const THROTTLE = Number(process.env.THROTTLE || 4);
const KEYS = Number(process.env.KEYS || 120);
const GAP = Number(process.env.GAP || 150);
// LINE=thin: the home's first visit over a thin line as well (CDP network emulation: 150 ms round
// trip, 1.6 Mbit/s down; it does not slow the worker's fetches: the assessment's figures below
// shape the line at the server instead).
const THIN = process.env.LINE === 'thin';

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const med = (xs) => pct(xs, 50);
const f1 = (x) => `${x.toFixed(1)} ms`;

// Installed before the app starts: first-screen marks, wasm timing, keystroke and save timing.
const INIT = () => {
  window.__t = { marks: {}, painted: {}, wasm: [], saves: [] };
  const T = window.__t;
  const watch = [['home', () => document.querySelector('[data-testid="criteria-list"]')]];
  new MutationObserver(() => {
    const now = performance.now();
    for (const [name, test] of watch) {
      if (T.marks[name] || !test()) continue;
      T.marks[name] = now;
      // On screen: the end of the next frame (rAF, then a task).
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
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    const t0 = performance.now();
    const r = setItem.call(this, k, v);
    if (String(k).startsWith('tieuchi/v1/assessment/')) T.saves.push({ start: t0, ms: performance.now() - t0, bytes: String(v).length * 2 });
    return r;
  };
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

// ---- 1. The home, first visit, cold, and the second visit ----------------------------------------
async function firstVisit(dist) {
  const server = await serve(dist, '/', { gzip: true });
  try {
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
    const dir = path.resolve(dist || 'dist');
    const whole = fs.readdirSync(dir).reduce((s, f) => s + (fs.statSync(path.resolve(dir, f)).isFile() ? (server.log.find((x) => x.path === f) || { bytes: 0 }).bytes : 0), 0);
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
    return { ...wire, firstScreen, wholeApp: whole, cold, coldDom, coldFcp, warm, wasmCold, phases };
  } finally {
    await server.close();
  }
}

// ---- 3. Key presses, timed by Chromium's own trace ---------------------------------------------
const TRACE = 'devtools.timeline,cc,benchmark,input';
const FLOOR = '<!doctype html><html lang="vi"><meta charset="utf-8"><title>floor</title><input id="floor" aria-label="floor" value="14">';

/** Presses keys (`press(k)` for k < n, GAP ms apart) under a trace; per key press: the swap
 *  clock (EventLatency, key event → presented frame), Event Timing's duration of its keydown,
 *  the page-time start, and whether Chromium marked it high-latency. */
async function traced(page, n, press) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: TRACE, transferMode: 'ReportEvents' });
  for (let k = 0; k < n; k++) {
    await press(k);
    await page.waitForTimeout(GAP);
  }
  await page.waitForTimeout(600);
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  // Async slices: begin and end share an id (local to the process).
  const slices = (name) => {
    const open = new Map();
    const out = [];
    for (const e of events) {
      if (e.name !== name) continue;
      const id = `${e.pid}:${e.id2?.local ?? e.id2?.global ?? e.id}`;
      if (e.ph === 'b') open.set(id, e);
      else if (e.ph === 'e' && open.has(id)) { const b = open.get(id); open.delete(id); out.push({ ts: b.ts, ms: (e.ts - b.ts) / 1000, args: b.args }); }
    }
    return out;
  };
  const latency = slices('EventLatency').filter((x) => x.args?.event_latency?.event_type === 'KEY_PRESSED');
  const timing = slices('EventTiming').filter((x) => x.args?.data?.type === 'keydown');
  return latency.sort((a, b) => a.ts - b.ts).map((l) => {
    // The keydown's Event Timing slice begins at the same timestamp (the key event's).
    const et = timing.find((t) => Math.abs(t.ts - l.ts) < 1000);
    return { ms: l.ms, high: !!l.args.event_latency.has_high_latency, et: et ? et.args.data.duration : null, start: et ? et.args.data.timeStamp : null };
  });
}

const digit = (k) => (k % 2 === 0 ? 'Backspace' : String((k >> 1) % 10));

async function keystrokes(dist) {
  const server = await serve(dist, '/', { gzip: true });
  const b = await fresh();
  const out = {};
  try {
    // The floor: a static page with one input, on the same origin, before the app (and its worker) is there.
    await b.page.route(server.url + 'floor.html', (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: FLOOR }));
    await b.page.goto(server.url + 'floor.html');
    await b.page.click('#floor');
    await b.page.keyboard.press('End');
    out.floor = await traced(b.page, Math.min(KEYS, 60), (k) => b.page.keyboard.press(digit(k)));
    await b.page.unroute(server.url + 'floor.html');
    const f5000 = framework(5000);
    const cases = [
      ['edit49', [['tieuchi/v1/assessment/bench-0', JSON.stringify(assessment(0, { answers: full1980Answers() }))]], 'bench-0', '15', '15.1'],
      ['first49', [['tieuchi/v1/assessment/bench-2', JSON.stringify(assessment(2, { answers: {} }))]], 'bench-2', null, null],
      ['edit5000', [['tieuchi/v1/framework/bench@1', JSON.stringify(f5000)], ['tieuchi/v1/assessment/bench-1', JSON.stringify(assessment(1, { fwId: 'bench', fwVersion: '1', answers: fullAnswers(f5000) }))]], 'bench-1', '1', '1.2'],
    ];
    for (const [name, kv, id, crit, ind] of cases) {
      await b.page.goto(server.url + '#/data');
      await b.page.waitForSelector('[data-testid="lang-switch"]');
      await b.page.evaluate((kv) => { localStorage.clear(); for (const [k, v] of kv) localStorage.setItem(k, v); }, kv);
      await b.page.goto('about:blank');
      await b.page.goto(server.url + `#/a/${id}`);
      await b.page.waitForSelector('[data-testid="commune-verdict"]', { timeout: 120000 });
      await b.page.evaluate(() => { window.__t.saves = []; });
      if (name === 'first49') {
        // The first key into each empty number input, criterion by criterion (the second key into
        // the same input is not counted: it is the edit case above).
        const inputs = [];
        for (let c = 1; c <= 19 && inputs.length < 40; c++) {
          await b.page.click(`[data-testid="criterion-${c}"]`);
          for (const testid of await b.page.$$eval('[data-testid^="num-"], [data-testid^="value-"], [data-testid^="den-"]', (xs) => xs.filter((x) => !x.value && !x.disabled && x.offsetParent).map((x) => x.dataset.testid))) inputs.push([c, testid]);
        }
        let shown = 0;
        out[name] = await traced(b.page, inputs.length, async (k) => {
          const [c, testid] = inputs[k];
          if (c !== shown) { await b.page.click(`[data-testid="criterion-${c}"]`); shown = c; }
          await b.page.click(`[data-testid="${testid}"]`);
          await b.page.keyboard.press(String(1 + (k % 9)));
        });
      } else {
        await b.page.click(`[data-testid="criterion-${crit}"]`);
        await b.page.click(`[data-testid="num-${ind}"]`);
        await b.page.keyboard.press('End');
        out[name] = await traced(b.page, KEYS, (k) => b.page.keyboard.press(digit(k)));
      }
      await b.page.waitForTimeout(800); // the debounced save after the last key
      const saves = await b.page.evaluate(() => window.__t.saves);
      const keys = out[name].filter((k) => k.start != null);
      out[name].saves = saves.map((s) => ({ ...s, inFrame: keys.some((k) => s.start >= k.start && s.start <= k.start + k.ms) }));
    }
  } finally {
    await b.close();
    await server.close();
  }
  return out;
}

const p95 = (xs) => pct(xs, 95);
const keyLine = (label, keys) => {
  const ms = keys.map((k) => k.ms);
  const et = keys.filter((k) => k.et != null);
  const diff = et.map((k) => Math.abs(k.et - k.ms));
  console.log(`  ${label.padEnd(52)} n ${String(ms.length).padStart(3)}  p50 ${f1(pct(ms, 50)).padStart(8)}  p95 ${f1(p95(ms)).padStart(8)}  max ${f1(Math.max(...ms)).padStart(8)}  high-latency ${keys.filter((k) => k.high).length}`);
  console.log(`  ${''.padEnd(52)} Event Timing keydown: ${et.length} of ${keys.length} reported (≥ 16 ms), p95 ${et.length ? f1(p95(et.map((k) => k.et))) : '—'}; |Event Timing − swap| max ${diff.length ? f1(Math.max(...diff)) : '—'}, over 16 ms: ${diff.filter((d) => d > 16).length}`);
  if (keys.saves?.length) console.log(`  ${''.padEnd(52)} autosave writes ${keys.saves.length}, p50 ${f1(med(keys.saves.map((s) => s.ms)))}, ${keys.saves[0].bytes} B each; inside a keystroke's frame: ${keys.saves.filter((s) => s.inFrame).length}`);
};

async function measure(label, dist) {
  console.log(`\n==== ${label}: ${path.resolve(dist || 'dist')}`);
  const fig = {};
  if (process.env.ONLY_KEYS !== '1') {
    fig.home = await firstVisit(dist);
    fig.open = await openAssessment({ dist, runs: RUNS, throttle: THROTTLE });
    reportOpen(fig.open, { thin: false, throttle: THROTTLE, dist: dist || 'dist' });
    fig.openThin = await openAssessment({ dist, thin: true, runs: RUNS, throttle: THROTTLE });
    reportOpen(fig.openThin, { thin: true, throttle: THROTTLE, dist: dist || 'dist' });
  }
  if (process.env.ONLY_FIRST !== '1') {
    fig.keys = await keystrokes(dist);
    console.log(`\nKey → presented frame (Chromium's EventLatency: key event to the swap of the frame with its change), CPU ${THROTTLE}×, keys ${GAP} ms apart`);
    keyLine('floor: a static page with one input', fig.keys.floor);
    keyLine('49 indicators, fully answered, editing 15.1', fig.keys.edit49);
    keyLine('49 indicators, the first key into each empty input', fig.keys.first49);
    keyLine('5,000 indicators, fully answered, editing 1.2', fig.keys.edit5000);
  }
  return fig;
}

// ---- Each figure against its goal ----------------------------------------------------------------
function goals(figs) {
  const kb = (b) => `${(b / 1000).toFixed(0)} KB`;
  const ms = (x) => `${x.toFixed(0)} ms`;
  const rows = [
    ['assessment usable, thin line, p50', '≤ 2,000 ms', (f) => f.openThin && ms(med(f.openThin.map((x) => x.ready)))],
    ['bytes until usable (page + worker), thin line', '≤ 250 KB', (f) => f.openThin && kb(med(f.openThin.map((x) => x.bytes)))],
    ['request rounds until usable, HTML included', '≤ 3', (f) => f.openThin && String(med(f.openThin.map((x) => x.rounds)))],
    ['files until usable', '—', (f) => f.openThin && String(med(f.openThin.map((x) => x.files)))],
    ['precache bytes before usable', '0', (f) => f.openThin && `${med(f.openThin.map((x) => x.precacheBytes))} B`],
    ['assessment usable, loopback, p50', '—', (f) => f.open && ms(med(f.open.map((x) => x.ready)))],
    ['home on screen, cold, loopback, p50', '—', (f) => f.home && ms(med(f.home.cold))],
    ['whole app as served (gzip -9)', 'not to grow', (f) => f.home && `${f.home.wholeApp} B`],
    ['floor key → presented, p50 / p95', '—', (f) => f.keys && `${f1(pct(f.keys.floor.map((k) => k.ms), 50))} / ${f1(p95(f.keys.floor.map((k) => k.ms)))}`],
    ['49 ind. key → presented, p95, first keys included', 'floor p95 + 8 ms', (f) => f.keys && `${f1(p95([...f.keys.edit49, ...f.keys.first49].map((k) => k.ms)))} (goal ${f1(p95(f.keys.floor.map((k) => k.ms)) + 8)})`],
    ['  of which editing, p50 / p95', '', (f) => f.keys && `${f1(pct(f.keys.edit49.map((k) => k.ms), 50))} / ${f1(p95(f.keys.edit49.map((k) => k.ms)))}`],
    ['  of which first keys, p50 / p95', '', (f) => f.keys && `${f1(pct(f.keys.first49.map((k) => k.ms), 50))} / ${f1(p95(f.keys.first49.map((k) => k.ms)))}`],
    ['5,000 ind. key → presented, p95', '≤ 50 ms', (f) => f.keys && f1(p95(f.keys.edit5000.map((k) => k.ms)))],
    ['|Event Timing − swap|, max over all keys', '≤ 16 ms', (f) => f.keys && f1(Math.max(...['floor', 'edit49', 'first49', 'edit5000'].flatMap((c) => f.keys[c].filter((k) => k.et != null).map((k) => Math.abs(k.et - k.ms)))))],
    ['autosave writes inside a keystroke frame', '0', (f) => f.keys && String(['edit49', 'first49', 'edit5000'].reduce((s, c) => s + (f.keys[c].saves || []).filter((x) => x.inFrame).length, 0))],
  ];
  const names = Object.keys(figs);
  console.log(`\nGoals (issue #32), CPU ${THROTTLE}×, medians of ${RUNS} cold runs, one sitting`);
  console.log(`  ${'figure'.padEnd(52)} ${'goal'.padEnd(18)} ${names.map((n) => n.padEnd(26)).join(' ')}`);
  for (const [label, goal, get] of rows) console.log(`  ${label.padEnd(52)} ${goal.padEnd(18)} ${names.map((n) => String(get(figs[n]) ?? '—').padEnd(26)).join(' ')}`);
}

const figs = {};
if (process.env.BEFORE) figs.before = await measure('before', process.env.BEFORE);
figs[process.env.BEFORE ? 'after' : 'this build'] = await measure(process.env.BEFORE ? 'after' : 'this build', process.env.DIST_DIR);
goals(figs);
fs.writeFileSync(path.join(OUT, 'feel.json'), JSON.stringify({ date: new Date().toISOString(), throttle: THROTTLE, gap: GAP, ...figs }, null, 2));
console.log(`\n(figures in ${path.join(OUT, 'feel.json')})`);
