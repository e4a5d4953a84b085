// Benchmarks, the way a field officer feels the app: download size, time to an interactive
// assessment page, per-edit latency (1980 set and a 5,000-indicator set), import of a 1 MB
// framework, the home dashboard with 1,000 stored assessments, and storage per assessment.
// Headless Chromium with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate).
// Run with `bash scripts/bench` (builds the release first). RUNS=n to change the run count.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, DIST, OUT } from '../tests/e2e/harness.mjs';
import { framework, frameworkOfSize, assessment, storedText, full1980Answers } from './gen.mjs';

const RUNS = Number(process.env.RUNS || 7);
// ONLY=edit,import,home runs some sections (default: all); handy while profiling one figure.
const want = (section) => !process.env.ONLY || process.env.ONLY.split(',').includes(section);
let bytes1980 = null;
const THROTTLE = Number(process.env.THROTTLE || 4);
const rows = [];
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: med, min: s[0], max: s[s.length - 1], n: s.length };
};
const ms = (x) => `${x.toFixed(1)} ms`;
function report(name, xs, target) {
  const s = stats(xs);
  rows.push({ name, ...s, target });
  console.log(`${name.padEnd(58)} median ${ms(s.median).padStart(10)}   spread ${ms(s.min)}–${ms(s.max)}   (n=${s.n})${target ? `   target ${target}` : ''}`);
}

// ---- 1. Sizes --------------------------------------------------------------------------------
function sizes() {
  const by = {};
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of fs.readdirSync(DIST)) {
    const buf = fs.readFileSync(path.join(DIST, f));
    const ext = path.extname(f).slice(1) || 'other';
    const kind = ['wasm', 'js', 'css', 'html'].includes(ext) ? ext : 'other';
    const g = zlib.gzipSync(buf, { level: 9 }).length;
    const b = zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    by[kind] ??= { raw: 0, gzip: 0, brotli: 0 };
    for (const [k, v] of [['raw', buf.length], ['gzip', g], ['brotli', b]]) { by[kind][k] += v; total[k] += v; }
  }
  console.log('\nDownload size (dist/, first visit downloads all of it)');
  console.log(`${'kind'.padEnd(8)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)} ${'brotli'.padStart(10)}`);
  for (const [k, v] of [...Object.entries(by), ['TOTAL', total]]) {
    console.log(`${k.padEnd(8)} ${String(v.raw).padStart(10)} ${String(v.gzip).padStart(10)} ${String(v.brotli).padStart(10)}`);
  }
  console.log(`target: total gzip ≤ 204800 bytes → ${total.gzip <= 204800 ? 'met' : 'MISSED'}`);
  return { by, total };
}

// In-page helpers, installed before the app starts on every navigation.
const INIT = () => {
  window.__marks = {};
  const watch = [
    ['interactive', () => document.querySelector('[data-testid="yes-1.1"]') && !document.querySelector('[data-testid="yes-1.1"]').disabled],
    ['list', () => document.querySelectorAll('[data-testid="assessment-list"] > li').length >= Number(sessionStorage.getItem('expectRows') || 1e9)],
    ['home', () => document.querySelector('[data-testid="criteria-list"]')],
    ['dash', () => document.querySelector('[data-testid="dash-province-row"]') && document.querySelector('[data-testid="chart-rounds"]')],
    ['import', () => document.querySelector('[data-testid="import-text"]')],
  ];
  new MutationObserver(() => {
    for (const [name, test] of watch) if (!window.__marks[name] && test()) window.__marks[name] = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true });
  // Time from an input event to the moment `watchSel` contains `expect`.
  window.__edit = (sel, value, watchSel, expect) => new Promise((resolve) => {
    const el = document.querySelector(sel);
    const target = document.querySelector(watchSel);
    const t0 = performance.now();
    const mo = new MutationObserver(() => {
      if (target.textContent.includes(expect)) { mo.disconnect(); resolve(performance.now() - t0); }
    });
    mo.observe(target, { subtree: true, childList: true, characterData: true });
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
};

async function open(server, b, hash, mark, expectRows) {
  await b.page.goto('about:blank');
  await b.page.goto(server.url + hash);
  await b.page.waitForFunction((m) => window.__marks && window.__marks[m], mark, { timeout: 60000 });
  return b.page.evaluate((m) => window.__marks[m], mark);
}

async function seed(b, server, entries) {
  await b.page.goto(server.url + '#/data');
  await b.page.waitForSelector('[data-testid="lang-switch"]');
  await b.page.evaluate((kv) => { localStorage.clear(); for (const [k, v] of kv) localStorage.setItem(k, v); }, entries);
}

const size = sizes();
const server = await serve();
const b = await launch({ width: 1024, height: 768 });
await b.context.addInitScript(INIT);
const cdp = await b.context.newCDPSession(b.page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
console.log(`\nTimings: headless Chromium, CPU throttled ${THROTTLE}×, ${RUNS} runs each (median and min–max)`);

try {
  if (want('edit')) {
  // ---- 2. Interactive assessment page, warm cache ------------------------------------------------
  const a1980 = assessment(0, { answers: full1980Answers() });
  await seed(b, server, [['tieuchi/v1/assessment/bench-0', JSON.stringify(a1980)]]);
  await open(server, b, '#/a/bench-0', 'interactive'); // warm the HTTP/SW caches
  const tti = [];
  for (let i = 0; i < RUNS; i++) tti.push(await open(server, b, '#/a/bench-0', 'interactive'));
  report('navigation → interactive assessment page (1980, warm)', tti, '≤ 1000 ms');

  // ---- 3. Per-edit latency, 1980 set --------------------------------------------------------------
  await b.page.click('[data-testid="criterion-15"]');
  await b.page.fill('[data-testid="den-15.1"]', '100');
  const edit1980 = [];
  for (let i = 0; i < RUNS * 4; i++) {
    const [v, expect] = i % 2 ? ['90', '90% ≥ 85%'] : ['80', '80% < 85%'];
    edit1980.push(await b.page.evaluate(([v, e]) => window.__edit('[data-testid="num-15.1"]', v, '[data-testid="explain-15.1"]', e), [v, expect]));
  }
  report('input → verdicts re-rendered (1980 set, 49 indicators)', edit1980, '≤ 16 ms');

  // localStorage bytes of one fully answered 1980 assessment, as the app writes it.
  await b.page.waitForFunction(() => /Đã lưu|Saved/.test(document.querySelector('[data-testid="save-status"]').textContent));
  bytes1980 = await b.page.evaluate(() => {
    const k = 'tieuchi/v1/assessment/bench-0';
    return (k.length + localStorage.getItem(k).length) * 2;
  });

  // ---- 4. Per-edit latency, 5,000 indicators ---------------------------------------------------
  const f5000 = framework(5000);
  const a5000 = assessment(1, { fwId: 'bench', fwVersion: '1' });
  await seed(b, server, [['tieuchi/v1/framework/bench@1', JSON.stringify(f5000)], ['tieuchi/v1/assessment/bench-1', JSON.stringify(a5000)]]);
  const tti5000 = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) tti5000.push(await open(server, b, '#/a/bench-1', 'interactive'));
  report('navigation → interactive page (5,000-indicator set)', tti5000);
  await b.page.fill('[data-testid="den-1.2"]', '100');
  const edit5000 = [];
  for (let i = 0; i < RUNS * 4; i++) {
    const [v, expect] = i % 2 ? ['90', '90% ≥ 76%'] : ['60', '60% < 76%'];
    edit5000.push(await b.page.evaluate(([v, e]) => window.__edit('[data-testid="num-1.2"]', v, '[data-testid="explain-1.2"]', e), [v, expect]));
  }
  report('input → verdicts re-rendered (5,000 indicators)', edit5000, '≤ 50 ms');
  }

  // ---- 5. Import of a 1 MB framework ------------------------------------------------------------
  if (want('import')) {
  const big = JSON.stringify(frameworkOfSize(1 << 20));
  await seed(b, server, []);
  const imports = [];
  for (let i = 0; i < RUNS; i++) {
    await open(server, b, '#/import', 'import');
    await b.page.evaluate((t) => {
      const el = document.querySelector('[data-testid="import-text"]');
      el.value = t;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, big);
    imports.push(await b.page.evaluate(() => new Promise((resolve) => {
      const t0 = performance.now();
      const mo = new MutationObserver(() => {
        if (document.querySelector('[data-testid="import-ok"]')) { mo.disconnect(); resolve(performance.now() - t0); }
      });
      mo.observe(document.body, { subtree: true, childList: true });
      document.querySelector('[data-testid="import-check"]').click();
    })));
  }
  report(`import check of a ${(big.length / 1048576).toFixed(2)} MB framework (parse + validate + render)`, imports, '≤ 150 ms');
  }

  // ---- 6. Dashboard with 1,000 stored assessments ------------------------------------------------
  if (want('home')) {
  const partial = Object.fromEntries(Object.entries(full1980Answers()).slice(0, 10));
  // As the app stores them (its own saves, sync pulls): read straight into the struct.
  const many = Array.from({ length: 1000 }, (_, i) => [`tieuchi/v1/assessment/bench-${i}`, storedText(i, { answers: partial })]);
  // As another program writes them (keys in another order): each is also walked key by key
  // for fields this release does not know (older schemas and hand-made files read this way).
  const foreign = Array.from({ length: 1000 }, (_, i) => [`tieuchi/v1/assessment/bench-${i}`, JSON.stringify(assessment(i, { answers: partial }))]);
  await seed(b, server, []);
  const empty = [];
  // Start-up with 1 MB of localStorage varies a lot from run to run: at least 11 runs here.
  const homeRuns = Math.max(RUNS, 11);
  for (let i = 0; i < homeRuns; i++) empty.push(await open(server, b, '#/', 'home'));
  report('navigation → home rendered, 0 assessments (baseline)', empty);
  await seed(b, server, many);
  await b.page.evaluate(() => sessionStorage.setItem('expectRows', '100'));
  const dash = [];
  for (let i = 0; i < homeRuns; i++) dash.push(await open(server, b, '#/', 'list'));
  report('navigation → home, 1,000 stored (latest 100 listed)', dash);
  report('  of which: 1,000 assessments (minus empty-home baseline)', dash.map((d, i) => d - stats(empty).median), '≤ 300 ms');
  await seed(b, server, foreign);
  await b.page.evaluate(() => sessionStorage.setItem('expectRows', '100'));
  const dashForeign = [];
  for (let i = 0; i < homeRuns; i++) dashForeign.push(await open(server, b, '#/', 'list'));
  report('navigation → home, the same 1,000 written by another program (keys in another order)', dashForeign);
  await seed(b, server, many);
  await b.page.evaluate(() => sessionStorage.setItem('expectRows', '100'));
  // The dashboard: provinces × criteria over all 1,000, then one province's first 100 communes.
  const matrix = [];
  const drill = [];
  for (let i = 0; i < homeRuns; i++) {
    matrix.push(await open(server, b, '#/dashboard', 'dash'));
    drill.push(await b.page.evaluate(() => new Promise((resolve) => {
      const sel = document.querySelector('[data-testid="dash-province"]');
      const t0 = performance.now();
      const mo = new MutationObserver(() => {
        if (document.querySelectorAll('[data-testid="dash-row"]').length >= 100) { mo.disconnect(); resolve(performance.now() - t0); }
      });
      mo.observe(document.body, { subtree: true, childList: true });
      sel.value = sel.options[1].value;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    })));
  }
  report('navigation → dashboard, provinces × 19 criteria + 4 charts over 1,000 assessments', matrix);
  report('  of which: 1,000 assessments (minus empty-home baseline)', matrix.map((d) => d - stats(empty).median), '≤ 300 ms');
  report('  choose a province (500 communes) → first 100 rows × 19 criteria', drill, '≤ 300 ms');
  }

  if (bytes1980) console.log(`\nlocalStorage per fully answered 1980 assessment: ${bytes1980} bytes (UTF-16) → about ${Math.floor((5 * 1024 * 1024) / bytes1980)} fit in a 5 MiB origin quota`);
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'bench.json'), JSON.stringify({ date: new Date().toISOString(), throttle: THROTTLE, runs: RUNS, size, rows, bytes1980 }, null, 2));
  console.log(`(figures also in ${path.join(OUT, 'bench.json')})`);
} catch (e) {
  console.error('benchmark failed:', e);
  process.exitCode = 1;
} finally {
  await b.close().catch(() => {});
  await server.close();
}
