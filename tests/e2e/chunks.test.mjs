// End-to-end on the split build: pages in their own wasm chunks work offline under a sub-path
// once precached, a chunk that cannot be fetched shows a message (not a dead page) and can be
// retried, and an old tab whose chunks an update removed saves its draft and reloads once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, ready, DIST, OUT, copyOfDist, controlled, seedAssessments, markFirstScreen, wasmBeforeFirstScreen } from './harness.mjs';
import { assessment, full1980Answers } from '../../bench/gen.mjs';

const chunkOf = (dir, name) => fs.readdirSync(dir).find((f) => f.startsWith(`split_${name}-`) && f.endsWith('.wasm'));

async function draft(page) {
  await page.getByTestId('new-assessment').click();
  await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
  await page.getByTestId('new-province').selectOption('1');
  await page.getByTestId('new-commune').selectOption('Xã Long Điền');
  await page.getByTestId('new-round').fill('2020');
  await page.getByTestId('new-create').click();
  await page.getByTestId('assessment-title').waitFor();
  await page.getByTestId('criterion-10').click();
  await page.getByTestId('value-10').fill('55');
  await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
}
const storedDrafts = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/assessment/')).map((k) => localStorage.getItem(k)).join('\n'));

test('the build is split: the first screen does not fetch the other pages; they open offline under a sub-path', async () => {
  const chunks = fs.readdirSync(DIST).filter((f) => f.endsWith('.wasm') && !f.endsWith('_bg.wasm'));
  assert.ok(chunks.some((f) => f.startsWith('split_frameworks-')), `no frameworks chunk in ${chunks.slice(0, 5)}`);
  const server = await serve(DIST, '/tieuchi/');
  const b = await launch();
  const page = b.page;
  await markFirstScreen(b.context);
  try {
    await page.goto(server.url);
    await ready(page);
    await controlled(page);
    const first = await wasmBeforeFirstScreen(page);
    assert.equal(first.length, 1, `the first screen of a new tablet needs only the main module: ${first}`);
    assert.match(first[0], /_bg\.wasm$/);
    // The page itself fetched only the main module: the chunks came with the precache.
    const byPage = server.log.filter((x) => /split_|chunk_/.test(x.path));
    const editor = server.log.filter((x) => x.path.includes('split_frameworks-'));
    assert.equal(editor.length, 1, 'the frameworks chunk (editor included) is precached once');
    assert.ok(byPage.length >= chunks.length, `${byPage.length} chunk requests for ${chunks.length} chunks`);
    const cached = await page.evaluate(async () => {
      const c = await caches.open((await caches.keys())[0]);
      return (await c.keys()).map((r) => r.url).filter((u) => u.endsWith('.wasm')).length;
    });
    assert.equal(cached, chunks.length + 1, 'every chunk and the main module are in the cache');

    await b.context.setOffline(true);
    await page.reload();
    await ready(page);
    for (const [nav, testid] of [['nav-dashboard', 'dash-empty'], ['nav-sync', 'sync-server'], ['nav-frameworks', 'fw-new-empty']]) {
      await page.getByTestId(nav).click();
      await page.getByTestId(testid).first().waitFor({ timeout: 10000 });
    }
    // The dashboard's chunk works, not only its first paint: sample data offline fills the matrix.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('demo-load').click();
    await page.getByTestId('dash-charts').waitFor({ timeout: 10000 });
    assert.match(await page.getByTestId('dash-summary').innerText(), /xã đã được công nhận/);
    assert.equal(await page.getByTestId('chunk-failed').count(), 0);
    assert.deepEqual(b.errors.filter((e) => !/integrity/.test(e)), []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a chunk that cannot be fetched shows a message, the draft stays, and retry opens the page', async () => {
  const dir = copyOfDist('chunk');
  fs.rmSync(path.join(dir, 'sw.js')); // no worker: every chunk comes from this server
  const sync = chunkOf(dir, 'records');
  const hidden = path.join(os.tmpdir(), `${sync}.away`);
  fs.renameSync(path.join(dir, sync), hidden);
  const server = await serve(dir, '/app/');
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    await draft(page);
    const before = await storedDrafts(page);
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('chunk-failed').waitFor({ timeout: 10000 });
    assert.match(await page.getByTestId('chunk-failed').innerText(), /Không tải được trang này/);
    await page.screenshot({ path: `${OUT}/chunk-failed-1024.png` });
    assert.equal(await storedDrafts(page), before, 'nothing stored changed');
    // The rest of the app still works.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('new-assessment').waitFor();
    await page.getByTestId('nav-sync').click();
    await page.getByTestId('chunk-failed').waitFor();
    // The file is back (the connection returned): retry opens the page, no reload needed.
    fs.renameSync(hidden, path.join(dir, sync));
    await page.getByTestId('chunk-retry').click();
    await page.getByTestId('sync-server').waitFor({ timeout: 10000 });
    assert.equal(await page.getByTestId('chunk-failed').count(), 0);
  } finally {
    await b.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an old tab whose chunks an update removed saves its draft and reloads once, then says why', async () => {
  const dir = copyOfDist('stale');
  const server = await serve(dir, '/app/');
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    await controlled(page);
    await draft(page);
    await page.getByTestId('value-10').fill('55,75'); // inside the autosave debounce
    // The update: the server publishes another build and no longer has this tab's chunks, and
    // the new worker took over and removed the old cache.
    fs.rmSync(path.join(dir, chunkOf(dir, 'results')));
    const v = JSON.parse(fs.readFileSync(path.join(dir, 'version.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'version.json'), JSON.stringify({ ...v, build: 'ffffffffffffffff' }));
    await page.evaluate(async () => { for (const k of await caches.keys()) await caches.delete(k); });
    let loads = 0;
    page.on('load', () => { loads += 1; });
    await page.getByTestId('nav-dashboard').click();
    await page.waitForEvent('load', { timeout: 15000 });
    await ready(page);
    // After the one reload the chunk is still missing: the message, and no second reload.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('chunk-failed').waitFor({ timeout: 10000 });
    await page.waitForTimeout(1500);
    assert.equal(loads, 1, 'reloaded exactly once');
    assert.match(await storedDrafts(page), /55,75/, 'the draft typed just before was saved first');
  } finally {
    await b.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('English strings are a chunk of their own: a Vietnamese start does not fetch them; unreachable, the page stays Vietnamese; back, the switch and a reload show English', async () => {
  const dir = copyOfDist('strings');
  fs.rmSync(path.join(dir, 'sw.js')); // no worker: the strings come from this server or not at all
  const en = chunkOf(dir, 'strings_en');
  assert.ok(en, 'an English strings chunk is built');
  const hidden = path.join(os.tmpdir(), `${en}.away`);
  fs.renameSync(path.join(dir, en), hidden);
  const server = await serve(dir, '/app/');
  const b = await launch();
  const page = b.page;
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url().split('/').pop()); });
  try {
    await page.goto(server.url);
    await ready(page);
    await page.getByTestId('criteria-list').waitFor();
    assert.ok(!wasm.some((f) => f.startsWith('split_strings_en-')), 'a Vietnamese start does not fetch the English strings');
    const before = await page.evaluate(() => Object.keys(localStorage).filter((k) => !k.endsWith('settings')).sort().join(','));
    // Unreachable: asked for, and the page stays in Vietnamese (never a key).
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('split_strings_en-')));
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('nav-home').innerText(), 'Đánh giá');
    assert.doesNotMatch(await page.locator('header').innerText(), /nav\.|save\.|lang\./);
    assert.equal(await page.getByTestId('chunk-failed').count(), 0, 'no page failed: only the strings');
    // Back: switching again (to Vietnamese, then English) fetches them and redraws in English.
    fs.renameSync(hidden, path.join(dir, en));
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('nav-home').getByText('Assessments').waitFor({ timeout: 10000 });
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    // Saved: a reload shows English on its first screen (fetched before the app mounts).
    await page.reload();
    await ready(page);
    assert.equal(await page.getByTestId('nav-home').innerText(), 'Assessments');
    const after = await page.evaluate(() => Object.keys(localStorage).filter((k) => !k.endsWith('settings')).sort().join(','));
    assert.equal(after, before, 'only the settings changed');
  } finally {
    await b.close();
    await server.close();
    if (fs.existsSync(hidden)) fs.renameSync(hidden, path.join(dir, en));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled sets other than the default are read when first needed: a 51/2025 assessment on the home is scored once they arrive; a page lists all three', async () => {
  const server = await serve(DIST, '/');
  const b = await launch();
  const page = b.page;
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url().split('/').pop()); });
  try {
    const older = assessment(1);
    const newer = assessment(2, { fwId: 'ntm-xa-2026-2030', fwVersion: '51/2025-khung-tam' });
    newer.assessment.dimension_value = 'nhom2';
    await seedAssessments(page, server.url, [older, newer]);
    await page.getByTestId('criteria-list').waitFor();
    const rows = page.getByTestId('assessment-list').locator('li');
    await rows.first().waitFor();
    // The newer (51/2025) is listed first: scored against its 10 criteria, not "—".
    await page.waitForFunction(() => /0\/10/.test(document.querySelector('[data-testid="assessment-list"] li').textContent), null, { timeout: 10000 });
    assert.match(await rows.nth(1).textContent(), /0\/19/);
    // They come with the records' chunk, which every page needs: no chunk of their own.
    assert.ok(wasm.some((f) => f.startsWith('split_store-')), `the records' chunk was fetched: ${wasm}`);
    assert.ok(!wasm.some((f) => f.startsWith('split_sets-')), `no separate sets chunk: ${wasm}`);
    // Every page sees every bundled set: the new-assessment page lists all three.
    await page.getByTestId('new-assessment').click();
    await page.getByTestId('new-framework').waitFor();
    const options = await page.getByTestId('new-framework').locator('option').allTextContents();
    assert.ok(options.some((o) => /51\/2025/.test(o)) && options.some((o) => /318/.test(o)) && options.some((o) => /1980/.test(o)), options.join(' | '));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('the service worker is registered after the first screen is painted and the records are read, downloads no wasm a second time, and still precaches the app', async () => {
  const server = await serve(DIST, '/');
  const b = await launch();
  const page = b.page;
  await b.context.addInitScript(() => {
    window.__order = [];
    new MutationObserver(() => {
      if (!window.__order.includes('first screen') && document.querySelector('[data-testid="criteria-list"]')) window.__order.push('first screen');
      if (!window.__order.includes('records') && document.querySelector('main[data-store="ready"]')) window.__order.push('records');
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-store'] });
    const sw = navigator.serviceWorker;
    const register = sw.register.bind(sw);
    sw.register = (...args) => { window.__order.push('register'); return register(...args); };
  });
  try {
    await page.goto(server.url);
    await ready(page);
    await controlled(page);
    // The records' chunk (and the pieces it shares) is in before the precache starts, so the
    // precache takes it from the HTTP cache: no file is downloaded twice on a first visit.
    assert.deepEqual(await page.evaluate(() => window.__order), ['first screen', 'records', 'register']);
    const wasm = server.log.map((l) => l.path).filter((p) => p.endsWith('.wasm'));
    assert.deepEqual(wasm.filter((p, i) => wasm.indexOf(p) !== i), [], 'downloaded twice');
    const cached = await page.evaluate(async () => (await (await caches.open((await caches.keys())[0])).keys()).length);
    assert.ok(cached > 10, `${cached} files precached`);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a cold open of an assessment asks for its chunks beside the main module, each once, and the worker registers only once the page is on screen', async () => {
  const server = await serve(DIST, '/');
  const b = await launch();
  const page = b.page;
  const record = JSON.stringify(assessment(0, { answers: full1980Answers() }));
  await b.context.addInitScript((text) => {
    if (!localStorage.getItem('tieuchi/v1/assessment/bench-0')) localStorage.setItem('tieuchi/v1/assessment/bench-0', text);
    window.__order = [];
    new MutationObserver(() => {
      if (!window.__order.includes('page') && document.querySelector('[data-testid="commune-verdict"]')) window.__order.push('page');
    }).observe(document, { subtree: true, childList: true });
    const sw = navigator.serviceWorker;
    const register = sw.register.bind(sw);
    sw.register = (...args) => { window.__order.push('register'); return register(...args); };
  }, record);
  try {
    await page.goto(server.url + '#/a/bench-0');
    await page.getByTestId('commune-verdict').waitFor();
    await controlled(page);
    // Asked for by the loader (a preload link), not discovered after the main module has run.
    const asked = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => /split_(assess|store)-/.test(e.name)).map((e) => [new URL(e.name).pathname.slice(1).replace(/-.*/, ''), e.initiatorType]));
    assert.deepEqual(asked.sort(), [['split_assess', 'link'], ['split_store', 'link']]);
    const wasm = server.log.map((l) => l.path).filter((p) => p.endsWith('.wasm'));
    assert.deepEqual(wasm.filter((p, i) => wasm.indexOf(p) !== i), [], 'downloaded twice');
    assert.deepEqual(await page.evaluate(() => window.__order), ['page', 'register']);
    // The page works: an answer can be changed.
    await page.getByTestId('criterion-10').click();
    await page.getByTestId('value-10').fill('61');
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('until the app starts, index.html shows its header and "Đang tải…", which the app replaces; a main module that cannot be fetched says so in both languages with a reload button, and nothing stored changes', async () => {
  const server = await serve(DIST, '/');
  const b = await launch();
  const page = b.page;
  const mainModule = /_bg\.wasm$/;
  try {
    // A stored draft, put there from a static file of the same origin (no app, no worker yet).
    await page.goto(server.url + 'manifest.webmanifest');
    const stored = JSON.stringify(assessment(0));
    await page.evaluate((v) => localStorage.setItem('tieuchi/v1/assessment/bench-0', v), stored);

    await page.route(mainModule, (route) => route.abort());
    await page.goto(server.url + '#/');
    const error = page.getByTestId('boot-error');
    await error.waitFor();
    const said = await error.textContent();
    assert.match(said, /Không mở được ứng dụng\. Kiểm tra kết nối mạng rồi tải lại trang\. Dữ liệu đã lưu trên máy này không bị thay đổi\./);
    assert.match(said, /The app could not start\. Check the connection, then reload the page\./);
    assert.equal(await page.locator('header.ca-header').count(), 1, 'the shell keeps its header');
    await page.screenshot({ path: path.join(OUT, 'boot-failed-1024.png') });
    assert.equal(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/bench-0')), stored);
    assert.equal(await page.evaluate(() => localStorage.length), 1, 'nothing else written');
    assert.ok(b.errors.some((e) => /Failed to fetch/.test(e)), `the failure is logged: ${b.errors}`);

    // Back on the line, the module slow to come: the reload shows the shell until the app replaces it.
    await page.unroute(mainModule);
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(mainModule, async (route) => { await held; await route.continue(); });
    await page.getByTestId('boot-reload').click();
    const status = page.getByTestId('boot-status');
    await status.waitFor();
    assert.equal(await status.textContent(), 'Đang tải… · Loading…');
    assert.equal(await page.locator('.ca-brand strong').textContent(), 'Tiêu chí');
    await page.screenshot({ path: path.join(OUT, 'boot-loading-1024.png') });
    release();
    await ready(page);
    assert.equal(await page.locator('#boot').count(), 0, 'the shell is gone');
    assert.equal(await page.locator('header.ca-header').count(), 1, 'one header: the app’s');
    assert.equal(await page.locator('main').count(), 1);
    await page.getByText('Xã Thử 0').first().waitFor();
  } finally {
    await b.close();
    await server.close();
  }
});

test('a host that serves .wasm without application/wasm still runs the app: the records are read and the pages in chunks open', async () => {
  const server = await serve(DIST, '/', { types: { '.wasm': 'application/octet-stream' } });
  const b = await launch();
  const page = b.page;
  try {
    await seedAssessments(page, server.url, [assessment(0)]);
    await page.getByTestId('assessment-list').getByText('Xã Thử 0').waitFor();
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dash-province').waitFor();
    await page.getByTestId('nav-frameworks').click();
    await page.getByTestId('fw-new-empty').first().waitFor();
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
