// End-to-end (#29): sync heals by itself and hides nothing from the officer. A tablet that
// starts offline (or while the server is down) syncs as soon as the server answers; "deleted on
// the server" stays asked across passes and reloads until answered; a database created again
// behind the same address is recognised and refilled; each record's stage and sync state are on
// its home card and its page. Against pouchdb-server (started here), some runs through the
// fault proxy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, ready, fillNewAssessment, controlled, OUT } from './harness.mjs';
import { startCouch, securityObject, guardDoc } from '../sync/server.mjs';
import { startProxy } from '../sync/faultproxy.mjs';
import { syncSteps, SET_2026, openId } from './sync-steps.mjs';


let app;
let couch;
test.before(async () => {
  app = await serve();
  couch = await startCouch({ origin: new URL(app.url).origin });
});
test.after(async () => {
  await couch?.stop();
  await app?.close();
});

const { connect, syncNow, create2026, answer } = syncSteps(() => app.url);

const serverDoc = async (id) => (await couch.admin('GET', `/tieuchi_p96/${encodeURIComponent('assessment:' + id)}`)).body;
const answerOn = (doc, tc) => doc?.assessment?.entries?.[`TC${tc}`]?.answer?.v;

/** Waits until `pred` holds of the server's copy of `id`; returns the ms it took. */
async function untilServer(id, pred, ms = 90000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const d = await serverDoc(id);
    if (d && pred(d)) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server's copy of ${id} never changed`);
}

test('a tablet that starts offline syncs by itself once the network is back, and says it is waiting meanwhile', async () => {
  const b = await launch();
  const { page, context } = b;
  try {
    await page.goto(app.url);
    await ready(page);
    await controlled(page);
    await connect(page, couch.url);
    const id = await create2026(page);
    await answer(page, 1, true);
    await syncNow(page);
    assert.equal(answerOn(await serverDoc(id), 1), true);

    // The commune hall has no signal: the app opens from its cache.
    await context.setOffline(true);
    await page.goto('about:blank');
    await page.goto(app.url + `#/a/${encodeURIComponent(id)}`);
    await ready(page);
    await page.getByTestId('sync-chip').getByText('đang chờ mạng').waitFor();
    assert.doesNotMatch(await page.getByTestId('sync-chip').innerText(), /chưa đăng nhập/);
    await answer(page, 2, false);
    await page.getByTestId('record-unsynced').waitFor();
    await page.screenshot({ path: `${OUT}/sync-offline-start-1024x768.png` });

    // Signal again: nothing to press.
    await context.setOffline(false);
    const ms = await untilServer(id, (d) => answerOn(d, 2) === false);
    console.log(`offline start: network back → first push ${ms} ms`);
    await page.getByTestId('sync-chip').getByText(/đã đồng bộ/i).waitFor({ timeout: 20000 });
    // The province's desk sees the edit on its next pass.
    const desk = await launch();
    try {
      await connect(desk.page, couch.url, 'tt1', 'pw-tt1');
      await syncNow(desk.page);
      await desk.page.goto(app.url + `#/a/${encodeURIComponent(id)}`);
      await desk.page.getByTestId('criterion-2').click();
      assert.equal(await desk.page.getByTestId('no-TC2').isChecked(), true);
    } finally {
      await desk.close();
    }
  } finally {
    await b.close();
  }
});

test('a server out of reach at start-up: the session is asked again with backoff and the outbox goes when it answers', async () => {
  const proxy = await startProxy(couch.url);
  const b = await launch();
  const { page } = b;
  try {
    await connect(page, proxy.url);
    const id = await create2026(page);
    await answer(page, 1, true);
    await syncNow(page);
    // The server is down when the app starts, and while the officer edits.
    proxy.fault({ mode: 'status', status: 503, count: 100000, match: '/' });
    await page.goto('about:blank');
    await page.goto(app.url + `#/a/${encodeURIComponent(id)}`);
    await ready(page);
    await page.getByTestId('sync-chip').getByText('đang kết nối máy chủ').waitFor();
    await answer(page, 3, true);
    await page.waitForTimeout(4000); // a few refused session checks
    const refused = proxy.log().filter((r) => r.path.includes('/_session')).length;
    assert.ok(refused >= 2, `the session is asked again (${refused})`);
    proxy.clear();
    const ms = await untilServer(id, (d) => answerOn(d, 3) === true);
    console.log(`server outage at start-up: server back → first push ${ms} ms (${refused} session checks refused meanwhile)`);
  } finally {
    await b.close();
    await proxy.stop();
  }
});

test('"deleted on the server" is asked until answered: after more passes, after a reload, on the card; keeping it sends it again', async () => {
  const b = await launch();
  const { page } = b;
  try {
    await connect(page, couch.url);
    const id = await create2026(page);
    await answer(page, 1, true);
    await syncNow(page);
    const doc = await serverDoc(id);
    const del = await couch.admin('DELETE', `/tieuchi_p96/${encodeURIComponent('assessment:' + id)}?rev=${doc._rev}`);
    assert.equal(del.status, 200, del.text);
    await page.goto(app.url + `#/a/${encodeURIComponent(id)}`);
    await answer(page, 2, true);
    await syncNow(page);
    await page.getByTestId('sync-deleted').waitFor();
    await syncNow(page);
    await syncNow(page);
    assert.match(await page.getByTestId('sync-deleted').innerText(), /Xã/, 'still asked after two more passes');
    await page.reload();
    await ready(page);
    await page.getByTestId('sync-deleted').waitFor();
    await page.goto(app.url + '#/');
    await page.getByTestId('record-deleted').first().waitFor();
    await page.screenshot({ path: `${OUT}/home-record-state-1024x768.png` });
    await page.goto(app.url + '#/sync');
    await page.getByTestId('sync-deleted').getByRole('button', { name: /Giữ/ }).click();
    await untilServer(id, (d) => answerOn(d, 2) === true, 30000);
    await page.waitForFunction(() => !document.querySelector('[data-testid="sync-deleted"]'));
  } finally {
    await b.close();
  }
});

test('a database deleted and created again is recognised: said, read from the start, every record of this device offered again', async () => {
  const b = await launch();
  const { page } = b;
  try {
    await connect(page, couch.url);
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await create2026(page));
      await answer(page, 1, true);
    }
    await syncNow(page);
    for (const id of ids) assert.ok(await serverDoc(id), id);
    // A second device holds the same records.
    const other = await launch();
    await connect(other.page, couch.url, 'xa2', 'pw-xa2');
    await syncNow(other.page); // its first pull done: it knows this database
    // The administrator deletes and recreates the province database.
    assert.equal((await couch.admin('DELETE', '/tieuchi_p96')).status, 200);
    assert.equal((await couch.admin('PUT', '/tieuchi_p96')).status, 201);
    await couch.admin('PUT', '/tieuchi_p96/_security', securityObject('96'));
    await couch.admin('PUT', '/tieuchi_p96/_design/guard', guardDoc('96'));
    await syncNow(page);
    const banner = page.getByTestId('sync-recreated');
    await banner.waitFor();
    assert.match(await banner.innerText(), /đã được tạo lại/);
    for (const id of ids) assert.equal(answerOn(await serverDoc(id), 1), true, `${id} offered again`);
    // Every record this device holds (its own and those it had pulled from the old database),
    // once each.
    const held = await page.evaluate(() => Object.keys(localStorage)
      .filter((k) => k.startsWith('tieuchi/v1/assessment/')).map((k) => 'assessment:' + k.slice('tieuchi/v1/assessment/'.length)).sort());
    const all = (await couch.admin('GET', '/tieuchi_p96/_all_docs')).body.rows.filter((r) => r.id.startsWith('assessment:')).map((r) => r.id).sort();
    assert.deepEqual(all, held, 'one copy of each record this device holds');
    // The second device finds it too, offers what it holds, and nothing is doubled.
    await syncNow(other.page);
    await other.page.getByTestId('sync-recreated').waitFor();
    const after = (await couch.admin('GET', '/tieuchi_p96/_all_docs')).body.rows.filter((r) => r.id.startsWith('assessment:')).map((r) => r.id).sort();
    const otherHeld = await other.page.evaluate(() => Object.keys(localStorage)
      .filter((k) => k.startsWith('tieuchi/v1/assessment/')).map((k) => 'assessment:' + k.slice('tieuchi/v1/assessment/'.length)).sort());
    assert.deepEqual(after, [...new Set([...held, ...otherHeld])].sort(), 'one copy per id from both devices');
    await other.close();
    // A later edit of an old record is sent, not taken for a deletion on the server.
    await page.goto(app.url + `#/a/${encodeURIComponent(ids[0])}`);
    await answer(page, 4, true);
    await syncNow(page);
    assert.equal(answerOn(await serverDoc(ids[0]), 4), true);
    assert.equal(await page.getByTestId('sync-deleted').count(), 0);
    await banner.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/sync-recreated-1024x768.png` });
  } finally {
    await b.close();
  }
});

test('the home card and the assessment page show the stage and a refusal by the server, with its reason', async () => {
  const b = await launch();
  const { page } = b;
  try {
    await connect(page, couch.url);
    // A commune of another province: refused by the server.
    await fillNewAssessment(page, app.url, { ...SET_2026, province: 'other', commune: null });
    await page.getByTestId('new-province-name').fill('Tỉnh An Giang');
    await page.getByTestId('new-commune-name').fill('Xã Mỹ Hoà');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').waitFor();
    const id = openId(page);
    await answer(page, 1, true);
    await syncNow(page);
    await page.goto(app.url + `#/a/${encodeURIComponent(id)}`);
    await ready(page);
    const refused = page.getByTestId('record-refused');
    await refused.waitFor();
    assert.match(await refused.innerText(), /máy chủ từ chối: .+/);
    assert.equal(await page.getByTestId('record-stage').innerText(), 'Bản nháp');
    await page.goto(app.url + '#/');
    const card = page.locator('.ca-card', { hasText: 'Xã Mỹ Hoà' });
    await card.getByTestId('record-refused').waitFor();
    assert.equal(await card.getByTestId('record-stage').innerText(), 'Bản nháp');
    await page.screenshot({ path: `${OUT}/home-refused-1024x768.png` });
  } finally {
    await b.close();
  }
});
