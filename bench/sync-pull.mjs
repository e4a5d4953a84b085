// Benchmark: a fresh tablet's first pull from a pouchdb-server on 127.0.0.1, in pages of 100,
// CPU throttled like the other benchmarks (THROTTLE, default 4). Two runs, each against its own
// server and a fresh browser profile:
//
//  1. Interrupted and resumed (RESUME_N, default 1,500 fully answered 1980 assessments; 0 skips
//     it): the page is reloaded part-way and the pull resumes from its checkpoint. Prints the
//     time the officer waits, the bytes over the wire and what localStorage holds after.
//  2. A first pull of PULL_N (default 5,000) fully answered 1980 assessments, measured: time from
//     the sign-in click to the last record and the last page (checkpoint) stored, and to the
//     header's status line saying "Đã đồng bộ"; peak JS heap during the pull (CDP
//     Performance.getMetrics every 200 ms), the wasm memory and the renderer's peak RSS; bytes
//     over the wire; localStorage used after (key + value × 2, UTF-16) and what the app's
//     #/data page says; and whether the page stays usable meanwhile: every ~500 ms the delay
//     of a requestAnimationFrame callback (from when it was due), and a navigation click (the
//     header's "Đánh giá" (home) / "Đồng bộ" links, from the click's event timestamp to the end of the
//     frame that shows the page's list), p50/p95/max, with the same probes before signing in as
//     the floor; long tasks (≥ 50 ms) during the pull. If the browser's storage fills before
//     all are stored (the app stops the pull cleanly), that is printed, and the pull is run
//     again with fewer answers per record (PULL_FIT_ANSWERS, else as many as fit in 95% of the
//     quota measured in the first run) so that a full PULL_N is measured too.
//
// Run with `ONLY=pull bash scripts/bench` or `node bench/sync-pull.mjs` after a release build;
// `PULL_N=5000 RESUME_N=0 node bench/sync-pull.mjs` runs only the measured pull. PULL_ANSWERS=n
// answers only the first n indicators in the measured pull. A bench prints figures: nothing here
// is a timed assertion (the exit status is 1 only when the bench itself could not run).
import fs from 'node:fs';
import { serve, launch } from '../tests/e2e/harness.mjs';
import { startCouch } from '../tests/sync/server.mjs';
import { assessment, full1980Answers, storedText } from './gen.mjs';

const N = Number(process.env.PULL_N || 5000);
const RESUME_N = Number(process.env.RESUME_N ?? 1500);
const THROTTLE = Number(process.env.THROTTLE || 4);
const ALL_ANSWERS = full1980Answers();
const ANSWERED_ALL = Object.keys(ALL_ANSWERS).length;

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const ms = (x) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '—');
const mb = (x) => (Number.isFinite(x) ? `${(x / 1048576).toFixed(1)} MiB` : '—');
const dist = (xs) => (xs.length ? `p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}, max ${ms(Math.max(...xs))} (n=${xs.length})` : 'no samples');
const sleep = (t) => new Promise((r) => setTimeout(r, t));

/** The first `n` answers of the 1980 set (all of them when n is not given). */
function answersOf(n) {
  if (!Number.isFinite(n) || n >= ANSWERED_ALL) return ALL_ANSWERS;
  return Object.fromEntries(Object.entries(ALL_ANSWERS).slice(0, n));
}

/** Stores `n` assessments on the server as the province's documents (admin `_bulk_docs`). */
async function seed(couch, n, answers) {
  for (let from = 0; from < n; from += 500) {
    const docs = [];
    for (let i = from; i < Math.min(n, from + 500); i++) {
      const env = assessment(i, { answers });
      env.assessment.rev = { bench: 1 };
      docs.push({ _id: `assessment:${env.assessment.id}`, type: 'assessment', scope: { province: '96' }, sync: { edit_id: 'bench:1', by: 'bench', saved_at: 0 }, ...env });
    }
    const r = await couch.admin('POST', '/tieuchi_p96/_bulk_docs', { docs });
    if (r.status !== 201 || r.body.some((row) => row.error)) throw new Error(`seeding failed: ${r.status} ${r.text.slice(0, 200)}`);
  }
}

async function fillSyncForm(page, couch) {
  await page.getByTestId('sync-server').fill(couch.url);
  await page.getByTestId('sync-db').fill('tieuchi_p96');
  await page.getByTestId('sync-province').fill('96');
  await page.getByTestId('sync-auto').uncheck();
  await page.getByTestId('sync-user').fill('xa1');
  await page.getByTestId('sync-password').fill('pw-xa1');
}

const storageUsed = (page) => page.evaluate(() => {
  let bytes = 0;
  let records = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    bytes += (k.length + localStorage.getItem(k).length) * 2;
    if (k.startsWith('tieuchi/v1/assessment/')) records += 1;
  }
  return { bytes, keys: localStorage.length, records };
});

// ---- 1. Interrupted and resumed ------------------------------------------------------------

async function resumed(app, n) {
  const answers = ALL_ANSWERS;
  const couch = await startCouch({ origin: new URL(app.url).origin });
  const b = await launch({ width: 1024, height: 768 });
  const page = b.page;
  try {
    await seed(couch, n, answers);
    let wire = 0;
    let pages = 0;
    page.on('response', async (res) => {
      if (!res.url().includes('/_changes')) return;
      pages += 1;
      try { wire += (await res.body()).length; } catch { /* the reload cut it off */ }
    });
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    await page.goto(app.url + '#/sync');
    await page.getByTestId('lang-switch').waitFor({ timeout: 30000 });
    await fillSyncForm(page, couch);
    const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/assessment/')).length);
    const t0 = Date.now();
    await page.getByTestId('sync-sign-in').click(); // signing in runs the first pass
    const cut = Math.floor(n * 0.4);
    while ((await stored()) < cut) await page.waitForTimeout(50);
    const firstPart = Date.now() - t0;
    await page.reload(); // interrupted mid-pull
    await page.getByTestId('lang-switch').waitFor({ timeout: 30000 });
    const atReload = await stored();
    const checkpoint = await page.evaluate(() => JSON.parse(localStorage.getItem('tieuchi/v1/sync/checkpoint') || 'null')?.since);
    const t1 = Date.now();
    await page.getByTestId('sync-now').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="sync-now"]').disabled);
    await page.getByTestId('sync-now').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="sync-summary"]').dataset.passes) > 0, null, { timeout: 600000 });
    const resumedMs = Date.now() - t1;
    const total = await stored();
    const used = (await storageUsed(page)).bytes;
    const error = await page.getByTestId('sync-error').innerText();
    console.log(`\nFirst pull of ${n} fully answered 1980 assessments, interrupted and resumed (pouchdb-server on 127.0.0.1, CPU ${THROTTLE}× throttled)`);
    console.log(`  before the interruption: ${firstPart} ms for ${atReload} stored (checkpoint since=${JSON.stringify(checkpoint)})`);
    console.log(`  resumed after a reload:  ${resumedMs} ms for the remaining ${total - atReload}; total stored ${total}/${n}; last error: ${error}`);
    console.log(`  officer's wait in all:  ${firstPart + resumedMs} ms; _changes pages: ${pages}; bytes over the wire: ${wire} (${(wire / n).toFixed(0)} per assessment)`);
    console.log(`  localStorage used after: ${used} bytes (UTF-16) of about 10 485 760 (5 Mi characters)`);
    if (total !== n) process.exitCode = 1;
  } finally {
    await b.close().catch(() => {});
    await couch.stop();
  }
}

// ---- 2. A first pull, measured -------------------------------------------------------------

// Installed before the app starts: what the pull stores and when, the header's sync line, the
// probes (rAF delay, navigation clicks), long tasks, and the wasm memories.
const PROBES = () => {
  const P = (window.__pull = {
    records: new Set(), firstRecordAt: null, lastRecordAt: null, checkpoints: 0, lastCheckpointAt: null,
    quotaErrors: 0, firstQuotaAt: null, chip: [], raf: [], nav: [], pending: null, longtasks: [], signInAt: null, memories: new Set(),
  });
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) {
    let r;
    try {
      r = setItem.call(this, k, v);
    } catch (e) {
      P.quotaErrors += 1;
      if (P.firstQuotaAt === null) P.firstQuotaAt = performance.now();
      throw e;
    }
    const key = String(k);
    if (key.startsWith('tieuchi/v1/assessment/')) {
      P.records.add(key);
      P.lastRecordAt = performance.now();
      if (P.firstRecordAt === null) P.firstRecordAt = P.lastRecordAt;
    } else if (key === 'tieuchi/v1/sync/checkpoint') {
      P.checkpoints += 1;
      P.lastCheckpointAt = performance.now();
    }
    return r;
  };
  // The wasm memories (the app's Rust heap is there, not in the JS heap).
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const orig = WebAssembly[name];
    if (!orig) continue;
    WebAssembly[name] = function (...args) {
      return orig.apply(this, args).then((res) => {
        const instance = res instanceof WebAssembly.Instance ? res : res.instance;
        for (const v of Object.values(instance?.exports || {})) if (v instanceof WebAssembly.Memory) P.memories.add(v);
        return res;
      });
    };
  }
  P.wasmBytes = () => [...P.memories].reduce((s, m) => s + m.buffer.byteLength, 0);
  // The header's sync line, each time its text changes.
  const seeChip = () => {
    const t = document.querySelector('[data-testid="sync-chip"]')?.textContent ?? null;
    if (t !== (P.chip.at(-1)?.text ?? null)) P.chip.push({ at: performance.now(), text: t });
  };
  // Navigation clicks: from the click's timestamp to the end of the frame that shows the page.
  const shown = {
    'nav-home': () => document.querySelector('[data-testid="new-assessment"]')
      && document.querySelector('[data-testid="assessment-list"], [data-testid="no-assessments"]')
      && !document.querySelector('[data-testid="sync-page"]'),
    'nav-sync': () => document.querySelector('[data-testid="sync-page"]') && !document.querySelector('[data-testid="new-assessment"]'),
  };
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[data-testid="nav-home"], a[data-testid="nav-sync"]');
    if (a) {
      const to = a.dataset.testid;
      const start = ev.timeStamp;
      const wait = () => requestAnimationFrame(() => {
        if (shown[to]()) setTimeout(() => P.nav.push({ to, at: start, ms: performance.now() - start }), 0);
        else wait();
      });
      wait();
    }
    if (ev.target.closest && ev.target.closest('[data-testid="sync-sign-in"]') && P.signInAt === null) P.signInAt = ev.timeStamp;
  }, true);
  const start = () => {
    new MutationObserver(seeChip).observe(document, { subtree: true, childList: true, characterData: true });
    seeChip();
    // Every ~500 ms: how late a frame callback runs after it was due.
    const tick = () => {
      const due = performance.now() + 500;
      setTimeout(() => requestAnimationFrame(() => { P.raf.push({ at: due, ms: performance.now() - due }); tick(); }), 500);
    };
    tick();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) P.longtasks.push({ at: e.startTime, ms: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch { /* no Long Tasks API */ }
};

/** Renderer processes of the browser this node process started, with their RSS and peak RSS (kB). */
function renderers() {
  const out = [];
  const parent = (pid) => {
    try { return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]); } catch { return 0; }
  };
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let cmd;
    try { cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmd.includes('--type=renderer')) continue;
    let p = Number(d);
    let ours = false;
    for (let i = 0; i < 10 && p > 1; i++) { p = parent(p); if (p === process.pid) { ours = true; break; } }
    if (!ours) continue;
    try {
      const status = fs.readFileSync(`/proc/${d}/status`, 'utf8');
      const kb = (name) => Number((new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status) || [])[1]);
      out.push({ pid: Number(d), rss: kb('VmRSS'), hwm: kb('VmHWM') });
    } catch { /* gone */ }
  }
  return out;
}

async function measured(app, n, answered) {
  const answers = answersOf(answered);
  const perRecord = storedText(n - 1, { answers }).length;
  const couch = await startCouch({ origin: new URL(app.url).origin });
  const b = await launch({ width: 1024, height: 768 });
  const page = b.page;
  let sampling = true;
  const samplers = [];
  try {
    await seed(couch, n, answers);
    await b.context.addInitScript(PROBES);
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    // Bytes over the wire to and from the server (headers included, as encoded).
    await cdp.send('Network.enable');
    const urls = new Map();
    const origin = new URL(couch.url).origin;
    const wire = { bytes: 0, changes: 0, changesBytes: 0, changesDecoded: 0, requests: 0 };
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.dataReceived', (e) => {
      const url = urls.get(e.requestId);
      if (url && url.startsWith(origin) && url.includes('/_changes')) wire.changesDecoded += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const url = urls.get(e.requestId);
      if (!url || !url.startsWith(origin)) return;
      wire.bytes += e.encodedDataLength;
      wire.requests += 1;
      if (url.includes('/_changes')) { wire.changes += 1; wire.changesBytes += e.encodedDataLength; }
    });
    await cdp.send('Performance.enable');
    const heap = []; // { at (Date.now()), used, total }
    samplers.push((async () => {
      while (sampling) {
        try {
          const { metrics } = await cdp.send('Performance.getMetrics');
          const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
          heap.push({ at: Date.now(), used: m.JSHeapUsedSize, total: m.JSHeapTotalSize });
        } catch { /* closing */ }
        await sleep(200);
      }
    })());
    const rss = []; // { at, kb } of the largest renderer
    samplers.push((async () => {
      while (sampling) {
        const r = renderers();
        if (r.length) rss.push({ at: Date.now(), kb: Math.max(...r.map((x) => x.rss)) });
        await sleep(200);
      }
    })());

    await page.goto(app.url + '#/sync');
    await page.getByTestId('lang-switch').waitFor({ timeout: 30000 });
    await page.locator('main[data-store="ready"]').waitFor({ state: 'attached', timeout: 30000 });

    // One navigation click, timed in the page (from the click's event timestamp).
    const navClick = async (testid) => {
      const k = await page.evaluate(() => window.__pull.nav.length);
      // A real click (scrolled into view: the header's links overflow a 1024 px wide screen).
      await page.getByTestId(testid).click({ timeout: 300000 });
      await page.waitForFunction((k) => window.__pull.nav.length > k, k, { timeout: 300000, polling: 100 });
    };
    // The floor: the same probes on the idle page, before signing in (after one round that
    // loads each page's code).
    await navClick('nav-home');
    await navClick('nav-sync');
    await page.evaluate(() => { window.__pull.idleFrom = performance.now(); });
    for (let i = 0; i < 4; i++) {
      await navClick('nav-home');
      await sleep(500);
      await navClick('nav-sync');
      await sleep(500);
    }
    const before = await page.evaluate(() => ({ t: performance.now(), wasm: window.__pull.wasmBytes() }));
    const heapBefore = heap.at(-1);
    await fillSyncForm(page, couch);
    const wallSignIn = Date.now();
    await page.getByTestId('sync-sign-in').click(); // signing in runs the first pass

    // While the pull runs: a navigation click every ~500 ms, alternating home and sync.
    const state = () => page.evaluate(() => {
      const P = window.__pull;
      const after = P.chip.filter((c) => c.at >= P.signInAt);
      const ran = after.findIndex((c) => /Đang đồng bộ/.test(c.text || ''));
      const end = ran < 0 ? null : after.slice(ran + 1).find((c) => /Đã đồng bộ|Lỗi đồng bộ|⚠/.test(c.text || ''));
      return { stored: P.records.size, end: end || null };
    });
    let to = 'nav-home';
    let s;
    const deadline = Date.now() + 30 * 60 * 1000;
    for (;;) {
      s = await state();
      if (s.end || Date.now() > deadline) break;
      await navClick(to);
      to = to === 'nav-home' ? 'nav-sync' : 'nav-home';
      await sleep(500);
    }
    const wallDone = Date.now();
    sampling = false;
    await Promise.all(samplers);
    const P = await page.evaluate(() => {
      const P = window.__pull;
      return {
        idleFrom: P.idleFrom, signInAt: P.signInAt, firstRecordAt: P.firstRecordAt, lastRecordAt: P.lastRecordAt, lastCheckpointAt: P.lastCheckpointAt,
        checkpoints: P.checkpoints, quotaErrors: P.quotaErrors, firstQuotaAt: P.firstQuotaAt, chip: P.chip, raf: P.raf, nav: P.nav,
        longtasks: P.longtasks, wasm: P.wasmBytes(),
      };
    });
    const endAt = s.end ? s.end.at : NaN;
    const inPull = (x) => x.at >= P.signInAt && x.at <= endAt;
    const idle = (x) => x.at >= P.idleFrom && x.at < P.signInAt;
    const rafIdle = P.raf.filter(idle).map((x) => x.ms);
    const rafPull = P.raf.filter(inPull).map((x) => x.ms);
    const navIdle = P.nav.filter(idle).map((x) => x.ms);
    const navPull = P.nav.filter(inPull).map((x) => x.ms);
    const long = P.longtasks.filter((x) => x.at >= P.signInAt && x.at <= endAt);
    const heapPull = heap.filter((h) => h.at >= wallSignIn && h.at <= wallDone);
    const peak = heapPull.reduce((m, h) => (h.used > m.used ? h : m), { used: 0 });
    const rssPull = rss.filter((r) => r.at >= wallSignIn && r.at <= wallDone).map((r) => r.kb);
    const rssIdle = rss.filter((r) => r.at < wallSignIn).map((r) => r.kb);
    const hwm = Math.max(0, ...renderers().map((r) => r.hwm));

    // What the officer is told, what storage holds, what the app says it uses.
    const used = await storageUsed(page);
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('sync-page').waitFor();
    const error = await page.getByTestId('sync-error').innerText();
    const summary = await page.getByTestId('sync-summary').innerText();
    const unsynced = await page.getByTestId('sync-unsynced').innerText();
    await page.getByTestId('nav-data').click();
    const usage = await page.getByTestId('storage-usage').innerText();
    const warning = (await page.getByTestId('storage-warning').count()) ? await page.getByTestId('storage-warning').innerText() : null;
    const full = used.records < n;

    const kind = answered >= ANSWERED_ALL ? `fully answered (${ANSWERED_ALL} indicators)` : `with ${answered} of ${ANSWERED_ALL} indicators answered`;
    console.log(`\nFirst pull of ${n} 1980 assessments ${kind}, about ${perRecord} characters each as stored (pouchdb-server on 127.0.0.1, CPU ${THROTTLE}× throttled, navigation probes running)`);
    console.log(`  sign-in → first record stored:        ${ms(P.firstRecordAt - P.signInAt)}`);
    console.log(`  sign-in → last record stored:         ${ms(P.lastRecordAt - P.signInAt)}`);
    console.log(`  sign-in → last page stored (checkpoint): ${ms(P.lastCheckpointAt - P.signInAt)} (${P.checkpoints} checkpoint writes)`);
    console.log(`  sign-in → status line "${s.end?.text?.trim() ?? '(never settled)'}": ${ms(endAt - P.signInAt)}`);
    console.log(`  stored: ${used.records}/${n} assessments${full ? ` — the browser's storage filled (${P.quotaErrors} writes refused, the first ${ms(P.firstQuotaAt - P.signInAt)} after sign-in)` : ''}`);
    console.log(`  sync page after: unsynced ${unsynced}; last error: ${error}; last pass: ${summary}`);
    console.log(`  over the wire (server ↔ page, encoded, headers included): ${wire.bytes} bytes in ${wire.requests} requests; _changes: ${wire.changes} pages, ${wire.changesBytes} bytes gzip as sent (${(wire.changesBytes / Math.max(1, used.records)).toFixed(0)} per stored assessment; the synthetic records differ only in their ids, so they compress far better than real ones), ${wire.changesDecoded} bytes of JSON decoded (${(wire.changesDecoded / Math.max(1, used.records)).toFixed(0)} per stored assessment)`);
    console.log(`  JS heap used (CDP Performance.getMetrics, every 200 ms, ${heapPull.length} samples in the pull): before ${mb(heapBefore?.used)}, peak ${mb(peak.used)} (heap total then ${mb(peak.total)}), after ${mb(heap.at(-1)?.used)}`);
    console.log(`  wasm memory (the Rust heap; it never shrinks): before ${mb(before.wasm)}, after ${mb(P.wasm)}`);
    console.log(`  renderer RSS (largest renderer, /proc, every 200 ms): idle max ${mb(Math.max(...rssIdle) * 1024)}, pull max ${mb(Math.max(...rssPull) * 1024)}, peak (VmHWM) ${mb(hwm * 1024)}`);
    console.log(`  localStorage after: ${used.bytes} bytes ((key + value) × 2, UTF-16) in ${used.keys} keys; the app's #/data says "${usage.replace(/\s+/g, ' ').trim()}"${warning ? `, warning "${warning}"` : ''}`);
    console.log(`  page usable during the pull (floor: the same probes on the idle page before sign-in):`);
    console.log(`    rAF delay every ~500 ms: pull ${dist(rafPull)}; idle ${dist(rafIdle)}`);
    console.log(`    navigation click → page shown: pull ${dist(navPull)}; idle ${dist(navIdle)}`);
    const longest = long.reduce((m, x) => (x.ms > m.ms ? x : m), { ms: 0, at: NaN });
    const tail = long.filter((x) => x.at + x.ms > P.lastCheckpointAt);
    console.log(`    long tasks in the pull: ${long.length}, longest ${ms(longest.ms)} (starting ${ms(longest.at - P.signInAt)} after sign-in), total blocking (time over 50 ms) ${ms(long.reduce((s, x) => s + Math.max(0, x.ms - 50), 0))}; after the last page was stored: ${tail.length} (${ms(tail.reduce((s, x) => s + x.ms, 0))} in all)`);
    return { stored: used.records, usedBytes: used.bytes, perRecord, full };
  } finally {
    sampling = false;
    await Promise.all(samplers).catch(() => {});
    await b.close().catch(() => {});
    await couch.stop();
  }
}

/** The most answers per record for which `n` records fit in 95% of the quota the first run met. */
function answersThatFit(n, first) {
  const quotaChars = first.usedBytes / 2;
  const overhead = first.usedBytes / 2 / first.stored - first.perRecord; // key, sync state, …
  let best = 0;
  for (let a = 0; a <= ANSWERED_ALL; a++) {
    if ((storedText(n - 1, { answers: answersOf(a) }).length + overhead) * n <= 0.95 * quotaChars) best = a;
  }
  return best;
}

const app = await serve();
try {
  if (RESUME_N > 0) await resumed(app, RESUME_N);
  const answered = process.env.PULL_ANSWERS ? Number(process.env.PULL_ANSWERS) : ANSWERED_ALL;
  const first = await measured(app, N, answered);
  if (first.full) {
    const fit = process.env.PULL_FIT_ANSWERS ? Number(process.env.PULL_FIT_ANSWERS) : answersThatFit(N, first);
    console.log(`\n  (storage filled at ${first.stored} records: the same pull again with ${fit} answers per record, so that all ${N} fit)`);
    await measured(app, N, fit);
  }
} catch (e) {
  console.error('sync pull benchmark failed:', e);
  process.exitCode = 1;
} finally {
  await app.close();
}
