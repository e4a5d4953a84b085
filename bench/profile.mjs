// Profiles one benchmark scenario with the Chromium CPU profiler and prints the functions with the
// most self time. Needs a build that keeps wasm names: `bash scripts/bench --profile` makes one
// (wasm-opt off) in target/profile-dist. SCENARIO=start|edit1980|edit5000|home1000|import1mb (the edits on fully answered assessments).
import { serve, launch } from '../tests/e2e/harness.mjs';
import { framework, frameworkOfSize, assessment, full1980Answers, fullAnswers } from './gen.mjs';

const dir = process.env.DIST_DIR;
const scenario = process.env.SCENARIO || 'edit5000';
const server = await serve(dir);
const b = await launch({ width: 1024, height: 768 });
const cdp = await b.context.newCDPSession(b.page);
async function seed(entries) {
  await b.page.goto(server.url + '#/data');
  await b.page.waitForSelector('[data-testid="lang-switch"]');
  await b.page.evaluate((kv) => { localStorage.clear(); for (const [k, v] of kv) localStorage.setItem(k, v); }, entries);
}
await cdp.send('Profiler.enable');
const profiles = [];
const throttle = () => cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
if (scenario === 'edit1980') {
  // A fully answered 1980 assessment, as an officer has it near the end.
  await seed([['tieuchi/v1/assessment/bench-0', JSON.stringify(assessment(0, { answers: full1980Answers() }))]]);
  await b.page.goto('about:blank');
  await b.page.goto(server.url + '#/a/bench-0');
  await b.page.waitForSelector('[data-testid="criterion-15"]', { timeout: 120000 });
  await b.page.click('[data-testid="criterion-15"]');
  await throttle();
  await cdp.send('Profiler.start');
  for (let i = 0; i < 40; i++) {
    await b.page.fill('[data-testid="num-15.1"]', i % 2 ? '13' : '12');
    await b.page.waitForFunction((e) => document.querySelector('[data-testid="explain-15.1"]').textContent.includes(e), i % 2 ? '92,86%' : '85,71%');
  }
} else if (scenario === 'edit5000') {
  const f5000 = framework(5000);
  await seed([['tieuchi/v1/framework/bench@1', JSON.stringify(f5000)], ['tieuchi/v1/assessment/bench-1', JSON.stringify(assessment(1, { fwId: 'bench', fwVersion: '1', answers: fullAnswers(f5000) }))]]);
  await b.page.goto('about:blank');
  await b.page.goto(server.url + '#/a/bench-1');
  await b.page.waitForSelector('[data-testid="num-1.2"]', { timeout: 120000 });
  await b.page.fill('[data-testid="den-1.2"]', '100');
  await throttle();
  await cdp.send('Profiler.start');
  for (let i = 0; i < 20; i++) {
    await b.page.fill('[data-testid="num-1.2"]', i % 2 ? '90' : '60');
    await b.page.waitForFunction((e) => document.querySelector('[data-testid="explain-1.2"]').textContent.includes(e), i % 2 ? '90%' : '60%');
  }
} else if (scenario === 'home1000') {
  const partial = Object.fromEntries(Object.entries(full1980Answers()).slice(0, 10));
  await seed(Array.from({ length: 1000 }, (_, i) => [`tieuchi/v1/assessment/bench-${i}`, JSON.stringify(assessment(i, { answers: partial }))]));
  await throttle();
  await cdp.send('Profiler.start');
  for (let i = 0; i < 3; i++) {
    await b.page.goto('about:blank');
    await b.page.goto(server.url + '#/');
    // The home page lists the latest 100 (then pages): waiting for 1,000 timed out.
    await b.page.waitForFunction(() => document.querySelectorAll('[data-testid="assessment-list"] > li').length >= 100, null, { timeout: 60000 });
  }
} else if (scenario === 'start') {
  // Start-up: from navigation to the home page drawn (what the cold first screen waits for).
  await seed([]);
  await throttle();
  await cdp.send('Profiler.start');
  for (let i = 0; i < 5; i++) {
    await b.page.goto('about:blank');
    await b.page.goto(server.url + '#/');
    await b.page.waitForSelector('[data-testid="criteria-list"]', { timeout: 60000 });
  }
} else if (scenario === 'import1mb') {
  const big = JSON.stringify(frameworkOfSize(1 << 20));
  await seed([]);
  await throttle();
  for (let i = 0; i < 3; i++) {
    await b.page.goto('about:blank');
    await b.page.goto(server.url + '#/import');
    await b.page.waitForSelector('[data-testid="import-text"]');
    await b.page.evaluate((t) => { const el = document.querySelector('[data-testid="import-text"]'); el.value = t; el.dispatchEvent(new Event('input', { bubbles: true })); }, big);
    await cdp.send('Profiler.start');
    await b.page.click('[data-testid="import-check"]');
    await b.page.waitForSelector('[data-testid="import-ok"]');
    if (i < 2) profiles.push((await cdp.send('Profiler.stop')).profile);
  }
}
profiles.push((await cdp.send('Profiler.stop')).profile);
const self = new Map();
let total = 0;
let interval = 0;
for (const profile of profiles) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const s of profile.samples) counts.set(s, (counts.get(s) || 0) + 1);
  for (const [id, c] of counts) {
    const n = byId.get(id);
    const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop() || 'anon'})`;
    self.set(name, (self.get(name) || 0) + c);
    total += c;
  }
  interval = profile.timeDeltas.reduce((a, b) => a + b, 0) / profile.timeDeltas.length / 1000;
}
console.log(`${scenario}: ${total} samples, ~${interval.toFixed(2)} ms each`);
for (const [name, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 40))) {
  console.log(`${(c * 100 / total).toFixed(1).padStart(5)}%  ${name.slice(0, 150)}`);
}
await b.close();
await server.close();
