// Benchmark: a fresh tablet's first pull of a province's 1,500 fully answered assessments from
// a pouchdb-server on 127.0.0.1, in pages of 100, interrupted (the page reloaded) part-way and
// resumed from its checkpoint. Prints the time the officer waits, the bytes over the wire and
// what localStorage holds after. CPU throttled like the other benchmarks (THROTTLE, default 4).
// Run with `bash scripts/bench` (ONLY=pull for this one) or `node bench/sync-pull.mjs` after a
// release build.
import { serve, launch } from '../tests/e2e/harness.mjs';
import { startCouch } from '../tests/sync/server.mjs';
import { assessment, full1980Answers } from './gen.mjs';

const N = Number(process.env.PULL_N || 1500);
const THROTTLE = Number(process.env.THROTTLE || 4);
const app = await serve();
const couch = await startCouch({ origin: new URL(app.url).origin });
const b = await launch({ width: 1024, height: 768 });
const page = b.page;
try {
  const answers = full1980Answers();
  for (let from = 0; from < N; from += 500) {
    const docs = [];
    for (let i = from; i < Math.min(N, from + 500); i++) {
      const env = assessment(i, { answers });
      env.assessment.rev = { bench: 1 };
      docs.push({ _id: `assessment:${env.assessment.id}`, type: 'assessment', scope: { province: '96' }, sync: { edit_id: 'bench:1', by: 'bench', saved_at: 0 }, ...env });
    }
    const r = await couch.admin('POST', '/tieuchi_p96/_bulk_docs', { docs });
    if (r.status !== 201 || r.body.some((row) => row.error)) throw new Error(`seeding failed: ${r.status} ${r.text.slice(0, 200)}`);
  }
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
  await page.getByTestId('sync-server').fill(couch.url);
  await page.getByTestId('sync-db').fill('tieuchi_p96');
  await page.getByTestId('sync-province').fill('96');
  await page.getByTestId('sync-auto').uncheck();
  await page.getByTestId('sync-user').fill('xa1');
  await page.getByTestId('sync-password').fill('pw-xa1');
  const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/assessment/')).length);
  const t0 = Date.now();
  await page.getByTestId('sync-sign-in').click(); // signing in runs the first pass
  const cut = Math.floor(N * 0.4);
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
  const resumed = Date.now() - t1;
  const total = await stored();
  const used = await page.evaluate(() => Object.entries(localStorage).reduce((s, [k, v]) => s + (k.length + v.length) * 2, 0));
  const error = await page.getByTestId('sync-error').innerText();
  console.log(`\nFirst pull of ${N} fully answered 1980 assessments (pouchdb-server on 127.0.0.1, CPU ${THROTTLE}× throttled)`);
  console.log(`  before the interruption: ${firstPart} ms for ${atReload} stored (checkpoint since=${JSON.stringify(checkpoint)})`);
  console.log(`  resumed after a reload:  ${resumed} ms for the remaining ${total - atReload}; total stored ${total}/${N}; last error: ${error}`);
  console.log(`  officer's wait in all:  ${firstPart + resumed} ms; _changes pages: ${pages}; bytes over the wire: ${wire} (${(wire / N).toFixed(0)} per assessment)`);
  console.log(`  localStorage used after: ${used} bytes (UTF-16) of about 10 485 760 (5 Mi characters)`);
  if (total !== N) process.exitCode = 1;
} catch (e) {
  console.error('sync pull benchmark failed:', e);
  process.exitCode = 1;
} finally {
  await b.close().catch(() => {});
  await couch.stop();
  await app.close();
}
