// End-to-end: offline-first from a sub-path. Load once online, go offline, reload, create and
// fill an assessment, reload offline again (draft intact), come back online; and a new release
// shows the update prompt, and updating keeps the draft being edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, ready, shipRelease, DIST, OUT, copyOfDist, controlled } from './harness.mjs';


async function newAssessment(page) {
  await page.getByTestId('new-assessment').click();
  await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
  await page.getByTestId('new-province').selectOption('1');
  await page.getByTestId('new-commune').selectOption('Xã Long Điền');
  await page.getByTestId('new-round').fill('2020');
  await page.getByTestId('new-create').click();
  await page.getByTestId('assessment-title').waitFor();
  await page.getByTestId('criterion-10').click();
}

test('served under /tieuchi/: works offline after one online visit, drafts survive offline reloads', async () => {
  const server = await serve(DIST, '/tieuchi/');
  const b = await launch({ width: 800, height: 1280 });
  const page = b.page;
  try {
    await page.clock.setFixedTime(new Date('2026-12-06T09:00:00+07:00'));
    await page.goto(server.url);
    await ready(page);
    await controlled(page);
    await page.getByTestId('online-status').getByText('Trực tuyến').waitFor();
    // The precache took the wasm the page had just downloaded: once on the wire, not twice
    // (this server sends `no-cache` and no ETag, like a bare static host).
    const wasm = server.log.filter((x) => x.path.endsWith('_bg.wasm'));
    assert.equal(wasm.length, 1, `the wasm was fetched ${wasm.length} times on the first visit`);

    await b.context.setOffline(true);
    await page.reload();
    await ready(page);
    await page.getByTestId('online-status').getByText(/Ngoại tuyến/).waitFor();
    assert.equal(await page.getByTestId('criterion').count(), 10, 'the set in force (51/2025) listed offline');

    await newAssessment(page);
    await page.getByTestId('value-10').fill('51,5');
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    const url = page.url();
    assert.ok(url.startsWith(server.url), url);
    await page.reload();
    await ready(page);
    await page.getByTestId('criterion-10').click();
    assert.equal(await page.getByTestId('value-10').inputValue(), '51,5');
    assert.match(await page.getByTestId('explain-10').innerText(), /51,5 ≥ 50/);
    await page.screenshot({ path: `${OUT}/offline-800x1280.png` });

    await b.context.setOffline(false);
    await page.getByTestId('online-status').getByText('Trực tuyến').waitFor({ timeout: 40000 });
  } finally {
    await b.close();
    await server.close();
  }
});

test('with the server out of reach, the look for a new release is no error on the console', async () => {
  const server = await serve(DIST, '/tieuchi/');
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    await controlled(page);
    // The host is gone (a tablet in the field): the page comes from the worker, and the
    // worker's check for a new release fails. That is the normal state, not an error: it was
    // two uncaught "Failed to update a ServiceWorker" on the console.
    await server.close();
    const failed = new Promise((resolve) => page.on('console', (m) => { if (/ServiceWorker/i.test(m.text())) resolve(m.text()); }));
    await page.reload();
    await ready(page);
    const update = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.update().then(() => 'updated', (e) => `refused: ${e}`)));
    assert.match(update, /^refused/, 'the check for a new release fails with the host gone (the case under test)');
    await Promise.race([failed, page.waitForTimeout(1500)]);
    const swErrors = b.errors.filter((e) => /ServiceWorker/i.test(e));
    assert.deepEqual(swErrors, [], `the update check reached the console: ${swErrors.join(' | ')}`);
  } finally {
    await b.close();
  }
});

test('a new release shows the update prompt; updating keeps the draft', async () => {
  const dir = copyOfDist('release');
  const server = await serve(dir, '/app/');
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    await controlled(page);
    const oldVersion = JSON.parse(fs.readFileSync(path.join(dir, 'version.json'), 'utf8')).version;
    await newAssessment(page);
    await page.getByTestId('value-10').fill('55');

    // Ship the next release: a page's chunk changed (so did its name, and the loaders naming it).
    const from = server.log.length;
    const { oldChunk, newChunk, version } = await shipRelease(dir);
    assert.notEqual(version, oldVersion);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.getByTestId('update-ready').waitFor({ timeout: 20000 });
    // Only what changed is downloaded: the new chunk, not the unchanged files, hashed or not.
    const fetched = server.log.slice(from).map((l) => l.path);
    assert.ok(fetched.includes(newChunk), fetched.join(' '));
    for (const same of ['icon-192.png', 'icon-512.png', 'manifest.webmanifest']) {
      assert.ok(!fetched.includes(same), `${same} is unchanged but was downloaded again: ${fetched.join(' ')}`);
    }
    assert.ok(!fetched.some((f) => /^chunk_\d+-/.test(f) || f.endsWith('_bg.wasm')), `unchanged modules downloaded again: ${fetched.join(' ')}`);

    // Keep typing, then update at once (inside the autosave debounce).
    await page.getByTestId('value-10').fill('55,75');
    // Listening before the click: a fast reload's load event is not missed (it was, once, in CI).
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await ready(page);
    await page.waitForFunction((v) => caches.keys().then((k) => k.length === 1 && k[0] === `tieuchi-${v}`), version);
    await page.getByTestId('assessment-title').waitFor();
    await page.getByTestId('criterion-10').click();
    assert.equal(await page.getByTestId('value-10').inputValue(), '55,75');
    assert.equal(await page.getByTestId('update-ready').count(), 0);
    // The new release's chunk is precached in place of the old one: the page opens offline.
    const cachedWasm = await page.evaluate(async () => {
      const c = await caches.open((await caches.keys())[0]);
      return (await c.keys()).map((r) => r.url.split('/').pop()).filter((u) => u.endsWith('.wasm'));
    });
    assert.ok(cachedWasm.includes(newChunk) && !cachedWasm.includes(oldChunk), cachedWasm.join(' '));
    await b.context.setOffline(true);
    await page.getByTestId('nav-dashboard').click();
    assert.match(await page.getByTestId('dash-summary').innerText(), /0\/1 xã đã được công nhận/);
    assert.equal(await page.getByTestId('chunk-failed').count(), 0);
  } finally {
    await b.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
