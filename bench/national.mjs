// The national dashboard as a leader feels it: 3,300 generated communes × 2 rounds in 34 province
// databases, replicated into tieuchi_national on pouchdb-server, its views built once (as a
// deployment warms them after replication), then in Chromium with the CPU throttled 4× the
// dashboard's source switched to "Máy chủ — toàn quốc": the time from that change to the end of
// the frame that shows the headline and the provinces' table, and the bytes of the two view
// answers (on the wire as pouchdb-server sends them, compressed; decoded; and gzip -9 of the
// bodies, what a reverse proxy with gzip would send). Also the views' build time at the first query. Goals (#33): ≤ 500 KB, ≤ 1.5 s.
// `node bench/national.mjs` after `trunk build --release`; RUNS=n (default 5); DIST_DIR=dir.
import zlib from 'node:zlib';
import { serve, launch, ready, controlled } from '../tests/e2e/harness.mjs';
import { startCouch } from '../tests/sync/server.mjs';
import { nationalDocs, seedProvinces, replicateToNational, queryViews, NATIONAL_DB } from '../tests/sync/national.mjs';
import { syncSteps } from '../tests/e2e/sync-steps.mjs';

const RUNS = Number(process.env.RUNS || 5);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const app = await serve();
const couch = await startCouch({ origin: new URL(app.url).origin });
const b = await launch({ width: 1366, height: 768 }, { bypassCSP: true });
try {
  const data = nationalDocs({ communes: 3300, rounds: [2025, 2026] });
  const seeded = await seedProvinces(couch, data);
  const replicated = await replicateToNational(couch, data);
  await couch.admin('PUT', `/${NATIONAL_DB}/_security`, { members: { names: [], roles: ['quoc_gia'] }, admins: { names: [], roles: [] } });
  await couch.admin('PUT', '/_users/org.couchdb.user:qg1', { _id: 'org.couchdb.user:qg1', name: 'qg1', password: 'pw-qg1', type: 'user', roles: ['quoc_gia', 'tinh_96'] });
  const t0 = performance.now();
  const cold = await queryViews(couch, NATIONAL_DB);
  const built = performance.now() - t0;
  const warm = await queryViews(couch, NATIONAL_DB);

  const page = b.page;
  const { connect } = syncSteps(() => app.url);
  await connect(page, couch.url, 'qg1', 'pw-qg1');
  await page.goto(app.url + '#/dashboard');
  await ready(page);
  await controlled(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  let wire = 0;
  cdp.on('Network.responseReceived', (e) => { if (e.response.url.includes('/_view/')) urls.set(e.requestId, e.response.url); });
  cdp.on('Network.loadingFinished', (e) => { if (urls.has(e.requestId)) wire += e.encodedDataLength; });
  const bodies = [];
  page.on('response', async (r) => { if (r.url().includes('/_view/')) bodies.push(await r.body()); });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

  const times = [];
  const wires = [];
  for (let i = 0; i < RUNS; i++) {
    await page.getByTestId('dash-source').selectOption('tablet');
    await page.getByTestId('dash-server-provinces').waitFor({ state: 'detached' });
    wire = 0;
    bodies.length = 0;
    const ms = await page.evaluate(() => new Promise((done) => {
      const select = document.querySelector('[data-testid="dash-source"]');
      const drawn = () => document.querySelector('[data-testid="dash-server-provinces"]')
        && document.querySelector('[data-testid="kpi-recognised"] .ca-kpi__big');
      const t = performance.now();
      const end = () => requestAnimationFrame(() => {
        // After the frame that shows it: the next task once it is presented.
        const ch = new MessageChannel();
        ch.port1.onmessage = () => done(performance.now() - t);
        ch.port2.postMessage(0);
      });
      new MutationObserver((_, obs) => { if (drawn()) { obs.disconnect(); end(); } })
        .observe(document.body, { childList: true, subtree: true });
      select.value = 'nation';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }));
    await page.waitForTimeout(300); // the last bodies' events
    times.push(ms);
    wires.push(wire);
  }
  const raw = bodies.reduce((s, x) => s + x.length, 0);
  const gz = bodies.reduce((s, x) => s + zlib.gzipSync(x, { level: 9 }).length, 0);
  console.log(`\nnational dashboard — ${data.reduce((s, p) => s + p.docs.length, 0)} documents, 34 provinces, pouchdb-server, CPU 4×, ${RUNS} runs`);
  console.log(`  seeded ${seeded.docs} docs in ${seeded.ms.toFixed(0)} ms; replicated into ${NATIONAL_DB} in ${replicated.ms.toFixed(0)} ms`);
  console.log(`  views built at the first query: ${built.toFixed(0)} ms (communes ${cold.ms.communes.toFixed(0)}, saved ${cold.ms.saved.toFixed(0)}); warm from node: communes ${warm.ms.communes.toFixed(0)}, saved ${warm.ms.saved.toFixed(0)} ms`);
  console.log(`  source → headline and provinces drawn: p50 ${med(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  bytes of the two view answers: ${kb(med(wires))} on the wire (as pouchdb-server sends them, gzip), ${kb(raw)} decoded, ${kb(gz)} with gzip -9`);
  console.log('  goal     ≤ 500 KB and ≤ 1,500 ms');
  console.log(`  verdict  bytes ${med(wires) <= 500 * 1024 ? 'met' : 'NOT met'}, time ${med(times) <= 1500 ? 'met' : 'NOT met'}`);
} finally {
  await b.close();
  await couch.stop();
  await app.close();
}
