// End-to-end: two devices (two browser profiles) share assessments through a real
// pouchdb-server on 127.0.0.1 (started and stopped here), some runs through a fault proxy.
// The recognition chain across devices; disjoint offline edits merging; the same field asked
// and resolved on both; the outbox draining exactly once after a reply lost mid-push; 500 and
// a truncated _changes changing nothing; a wrong password and an expired session keeping the
// outbox; a record refused by validate_doc_update shown with the reason while the others go;
// hand-over by file; and a pass whose code (the records chunk) cannot be fetched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serve, launch, ready, fillNewAssessment, fillQuota, freeQuota, OUT } from './harness.mjs';
import { startCouch } from '../sync/server.mjs';
import { startProxy } from '../sync/faultproxy.mjs';
import { syncSteps, SET_2026, openId } from './sync-steps.mjs';

// Refused requests (401 of an expired session, a 500 injected) are logged by the browser; they
// are what the tests provoke, not app errors.
const appErrors = (b) => b.errors.filter((e) => !/Failed to load resource|net::ERR_|blocked by CORS policy/.test(e));

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

const { connect, syncNow, sign, switchAccount, create2026, answer, open } = syncSteps(() => app.url);

const serverDoc = async (id) => (await couch.admin('GET', `/tieuchi_p96/${encodeURIComponent('assessment:' + id)}`)).body;

test('the commune submits, the province returns it, the commune resubmits, the province recognises: both devices see each step', async () => {
  const commune = await launch();
  const province = await launch();
  const [a, b] = [commune.page, province.page];
  try {
    await connect(a, couch.url, 'xa1', 'pw-xa1');
    const id = await create2026(a);
    for (let c = 1; c <= 10; c++) await answer(a, c, true);
    await sign(a, 'Trần Thị B', 'Công chức Văn phòng – thống kê xã');
    await a.getByTestId('wf-submit').click();
    await a.getByTestId('wf-stage').getByText('Đã nộp').waitFor();
    await syncNow(a);
    assert.equal(await a.getByTestId('sync-unsynced').innerText(), '0');
    assert.equal((await serverDoc(id)).assessment.workflow.stage, 'submitted');
    await a.screenshot({ path: `${OUT}/sync-page-1024x768.png` });

    // The province's desk pulls it, and a reviewer returns it with a reason.
    await connect(b, couch.url, 'tt1', 'pw-tt1');
    await syncNow(b);
    await open(b, id);
    await b.getByTestId('wf-stage').getByText('Đã nộp').waitFor();
    await sign(b, 'Phạm Văn D', 'Trưởng đoàn thẩm tra');
    await b.getByTestId('wf-reason').fill('Bổ sung biên bản họp dân');
    await b.getByTestId('wf-return').click();
    await b.getByTestId('wf-stage').getByText('Bản nháp').waitFor();
    await syncNow(b);

    // The commune sees the return and its reason, fixes, resubmits.
    await syncNow(a);
    await open(a, id);
    await a.getByTestId('wf-stage').getByText('Bản nháp').waitFor();
    assert.match(await a.getByTestId('workflow').innerText(), /Bổ sung biên bản họp dân/);
    await answer(a, 3, true);
    await sign(a, 'Trần Thị B', 'Công chức Văn phòng – thống kê xã');
    await a.getByTestId('wf-submit').click();
    await a.getByTestId('wf-stage').getByText('Đã nộp').waitFor();
    await syncNow(a);

    // The province reviews, appraises and recognises: three officers, each signed in with an
    // account of their own on the same desk (the server accepts each part from one account).
    await syncNow(b);
    await open(b, id);
    await b.getByTestId('wf-stage').getByText('Đã nộp').waitFor();
    await sign(b, 'Phạm Văn D', 'Trưởng đoàn thẩm tra');
    await b.getByTestId('wf-review').click();
    await b.getByTestId('wf-stage').getByText('Đã thẩm tra').waitFor();
    await syncNow(b);
    assert.equal(await b.getByTestId('sync-unsynced').innerText(), '0');
    await switchAccount(b, 'td1', 'pw-td1');
    await open(b, id);
    await sign(b, 'Hồ Thị E', 'Phó Giám đốc Sở Nông nghiệp và Môi trường');
    await b.getByTestId('wf-appraise').click();
    await b.getByTestId('wf-stage').getByText('Đã thẩm định').waitFor();
    await syncNow(b);
    assert.equal(await b.getByTestId('sync-unsynced').innerText(), '0');
    await switchAccount(b, 'cn1', 'pw-cn1');
    await open(b, id);
    await b.getByTestId('condition-check-other_conditions').check();
    await sign(b, 'Nguyễn Văn F', 'Chủ tịch UBND tỉnh');
    await b.getByTestId('wf-decision-number').fill('88/QĐ-UBND');
    await b.getByTestId('wf-decision-date').fill('2026-11-20');
    await b.getByTestId('wf-recognise').click();
    await b.getByTestId('wf-stage').getByText('Đã công nhận').waitFor();
    await syncNow(b);
    assert.equal(await b.getByTestId('sync-unsynced').innerText(), '0');

    // The commune sees it recognised and read-only.
    await syncNow(a);
    await open(a, id);
    await a.getByTestId('wf-stage').getByText('Đã công nhận').waitFor();
    await a.getByTestId('criterion-1').click();
    assert.equal(await a.getByTestId('no-TC1').isDisabled(), true);
    const doc = await serverDoc(id);
    assert.equal(doc.assessment.workflow.stage, 'recognised');
    assert.deepEqual(
      doc.assessment.workflow.audit.filter((e) => e.kind.type === 'stage').map((e) => [e.role, e.account, e.by.name]),
      [['commune', 'xa1', 'Trần Thị B'], ['reviewer', 'tt1', 'Phạm Văn D'], ['commune', 'xa1', 'Trần Thị B'],
        ['reviewer', 'tt1', 'Phạm Văn D'], ['appraiser', 'td1', 'Hồ Thị E'], ['recogniser', 'cn1', 'Nguyễn Văn F']],
    );
    assert.ok(doc._id === `assessment:${id}`, 'the document has the assessment\'s own id');
    assert.deepEqual(appErrors(commune), []);
    assert.deepEqual(appErrors(province), []);
  } finally {
    await commune.close();
    await province.close();
  }
});

test('offline edits on two devices: different criteria merge by themselves; the same one is asked, and the choice reaches both', async () => {
  const first = await launch();
  const second = await launch();
  const [a, b] = [first.page, second.page];
  try {
    await connect(a, couch.url, 'xa1', 'pw-xa1');
    await connect(b, couch.url, 'xa1', 'pw-xa1');
    const id = await create2026(a);
    await answer(a, 1, true);
    await syncNow(a);
    await syncNow(b);
    await open(b, id);

    // Different criteria, edited apart (the second device offline).
    await second.context.setOffline(true);
    await open(a, id);
    await answer(a, 2, true);
    await answer(b, 5, false);
    await syncNow(a);
    await second.context.setOffline(false);
    await syncNow(b);
    assert.match(await b.getByTestId('sync-summary').innerText(), /tự gộp 1, xung đột 0/);
    await syncNow(a);
    await open(a, id);
    await a.getByTestId('criterion-5').click();
    assert.equal(await a.getByTestId('no-TC5').isChecked(), true, 'the other device\'s answer arrived');
    await a.getByTestId('criterion-2').click();
    assert.equal(await a.getByTestId('yes-TC2').isChecked(), true, 'its own answer kept');

    // The same criterion, edited apart.
    await open(b, id);
    await second.context.setOffline(true);
    await answer(a, 7, true);
    await answer(b, 7, false);
    await syncNow(a);
    await second.context.setOffline(false);
    await syncNow(b);
    assert.match(await b.getByTestId('sync-summary').innerText(), /xung đột 1/);
    await b.getByTestId('sync-conflicts').getByRole('link').click();
    await b.getByTestId('conflict-page').waitFor();
    const rows = b.getByTestId('conflict-row');
    assert.equal(await rows.count(), 1, 'only the field both changed is asked');
    assert.match(await rows.first().innerText(), /TC7[\s\S]*Không đạt[\s\S]*Đạt/);
    await b.screenshot({ path: `${OUT}/sync-conflict-1024x768.png` });
    await b.getByTestId('conflict-apply').click(); // keeps this device's "Không đạt"
    await b.getByTestId('assessment-title').waitFor();
    await syncNow(b);
    assert.equal(await b.getByTestId('sync-unsynced').innerText(), '0');
    await syncNow(a);
    await open(a, id);
    await a.getByTestId('criterion-7').click();
    assert.equal(await a.getByTestId('no-TC7').isChecked(), true, 'the resolution reached the first device');
    assert.deepEqual(appErrors(first), []);
    assert.deepEqual(appErrors(second), []);
  } finally {
    await first.close();
    await second.close();
  }
});

test('a reply lost mid-push, a 500 and a truncated _changes: the outbox drains exactly once and nothing local changes', async () => {
  const proxy = await startProxy(couch.url);
  const b = await launch();
  const page = b.page;
  try {
    await connect(page, proxy.url, 'xa1', 'pw-xa1', { auto: false });
    await syncNow(page);
    const ids = [await create2026(page), await create2026(page)];
    await answer(page, 1, true);
    // The server applies the write and the connection drops before the answer. Chromium
    // itself resends a POST whose connection closed without a byte of answer, so the fault is
    // armed for that resend too: the app then sees no answer at all.
    proxy.fault({ mode: 'drop_after', match: 'POST /tieuchi_p96/_bulk_docs', count: 2 });
    await syncNow(page);
    assert.notEqual(await page.getByTestId('sync-error').innerText(), '—');
    assert.equal(await page.getByTestId('sync-unsynced').innerText(), '2', 'kept in the outbox while unknown');
    await syncNow(page);
    assert.equal(await page.getByTestId('sync-unsynced').innerText(), '0');
    assert.equal(await page.getByTestId('sync-error').innerText(), '—');
    for (const id of ids) {
      const doc = await serverDoc(id);
      assert.match(doc._rev, /^1-/, `${id} was written once`);
    }
    const bulk = proxy.log().filter((r) => r.method === 'POST' && r.path.includes('_bulk_docs'));
    assert.ok(bulk.filter((r) => r.fault === 'drop_after').length === 2 && bulk.at(-1).status === 201, JSON.stringify(bulk));
    assert.equal(await page.getByTestId('sync-conflicts').count(), 0, 'its own write is not a conflict');

    // 500 and a cut-off body on _changes: storage and the checkpoint stay as they are.
    const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).filter(([k]) => k.startsWith('tieuchi/v1/')).sort()));
    proxy.fault({ mode: 'status', status: 500, match: '_changes' });
    await syncNow(page);
    assert.match(await page.getByTestId('sync-error').innerText(), /máy chủ báo lỗi 500/);
    assert.match(await page.getByTestId('sync-retry').innerText(), /1 lần lỗi liên tiếp/);
    proxy.fault({ mode: 'truncate', match: '_changes' });
    await syncNow(page);
    assert.match(await page.getByTestId('sync-error').innerText(), /bị cắt|không đọc được/);
    assert.match(await page.getByTestId('sync-retry').innerText(), /2 lần lỗi liên tiếp/, 'the backoff grows');
    const after = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).filter(([k]) => k.startsWith('tieuchi/v1/')).sort()));
    assert.equal(after, before, 'nothing stored changed');
    await syncNow(page);
    assert.equal(await page.getByTestId('sync-retry').innerText(), '—', 'and resets after a success');
    assert.deepEqual(appErrors(b), []);
  } finally {
    await b.close();
    await proxy.stop();
  }
});

test('a wrong password, an expired session and a record the server refuses: the outbox is kept and the others go', async () => {
  const short = await startCouch({ origin: new URL(app.url).origin, sessionTimeout: 3 });
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(app.url + '#/sync');
    await ready(page);
    await page.getByTestId('sync-server').fill(short.url);
    await page.getByTestId('sync-db').fill('tieuchi_p96');
    await page.getByTestId('sync-province').fill('96');
    await page.getByTestId('sync-auto').uncheck();
    await page.getByTestId('sync-user').fill('xa1');
    await page.getByTestId('sync-password').fill('sai-mat-khau');
    await page.getByTestId('sync-sign-in').click();
    await page.getByTestId('sync-message').getByText('sai tên đăng nhập hoặc mật khẩu').waitFor();
    assert.equal(await page.evaluate(() => Object.values(localStorage).some((v) => v.includes('sai-mat-khau'))), false, 'no password stored');
    await page.getByTestId('sync-password').fill('pw-xa1');
    await page.getByTestId('sync-sign-in').click();
    await page.getByTestId('sync-who').getByText('xa1').waitFor();
    assert.equal(await page.evaluate(() => Object.values(localStorage).some((v) => v.includes('pw-xa1'))), false, 'no password stored');

    // One draft, and one of a commune of another province (the server refuses that).
    const plain = await create2026(page);
    await answer(page, 1, true);
    await fillNewAssessment(page, app.url, { ...SET_2026, province: 'other', commune: null });
    await page.getByTestId('new-province-name').fill('Tỉnh An Giang');
    await page.getByTestId('new-commune-name').fill('Xã Vĩnh Thanh');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').waitFor();
    const signed = openId(page);
    await answer(page, 1, true);
    // The session (3 s) runs out while the records wait.
    await page.waitForTimeout(4500);
    await syncNow(page);
    assert.match(await page.getByTestId('sync-error').innerText(), /phiên đăng nhập đã hết hạn/);
    assert.equal(await page.getByTestId('sync-unsynced').innerText(), '2', 'the outbox is kept');
    await page.getByTestId('sync-password').fill('pw-xa1');
    await page.getByTestId('sync-sign-in').click();
    await page.getByTestId('sync-who').getByText('xa1').waitFor();
    await syncNow(page);
    const blocked = page.getByTestId('sync-blocked');
    await blocked.waitFor();
    assert.match(await blocked.innerText(), /Xã Vĩnh Thanh.*: .+/);
    assert.equal(await page.getByTestId('sync-unsynced').innerText(), '1', 'only the refused one is left');
    const ok = await short.admin('GET', `/tieuchi_p96/${encodeURIComponent('assessment:' + plain)}`);
    assert.equal(ok.status, 200, 'the other record went');
    const refused = await short.admin('GET', `/tieuchi_p96/${encodeURIComponent('assessment:' + signed)}`);
    assert.equal(refused.status, 404);
    await page.screenshot({ path: `${OUT}/sync-blocked-1024x768.png` });
    assert.deepEqual(appErrors(b), []);
  } finally {
    await b.close();
    await short.stop();
  }
});

test('hand-over by file: a commune without a server sends its dossier; the province opens it; edits made apart meet the conflict screen', async () => {
  const commune = await launch();
  const province = await launch();
  const [a, b] = [commune.page, province.page];
  try {
    const id = await create2026(a);
    await answer(a, 1, true);
    const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('handover-export').click()]);
    const file = `${OUT}/handover.json`;
    fs.copyFileSync(await download.path(), file);
    const records = JSON.parse(fs.readFileSync(file, 'utf8')).records;
    assert.deepEqual(Object.keys(records), [`tieuchi/v1/assessment/${id}`], 'only this dossier');

    await b.goto(app.url + '#/data');
    await ready(b);
    await b.getByTestId('backup-file').setInputFiles(file);
    await b.getByTestId('restore-apply').click();
    await b.getByTestId('restore-done').waitFor();
    await open(b, id);
    await b.getByTestId('criterion-1').click();
    assert.equal(await b.getByTestId('yes-TC1').isChecked(), true);

    // Both edit the same criterion; the next file meets the conflict screen on the province's side.
    await answer(b, 4, false);
    await open(a, id);
    await answer(a, 4, true);
    const [again] = await Promise.all([a.waitForEvent('download'), a.getByTestId('handover-export').click()]);
    fs.copyFileSync(await again.path(), file);
    await b.goto(app.url + '#/data');
    await b.getByTestId('backup-file').setInputFiles(file);
    await b.getByTestId('restore-plan').getByText(/Hai bên cùng sửa/).waitFor();
    await b.getByTestId('restore-apply').click();
    await open(b, id);
    await b.getByTestId('conflict-banner').waitFor();
    assert.deepEqual(appErrors(commune), []);
    assert.deepEqual(appErrors(province), []);
  } finally {
    await commune.close();
    await province.close();
  }
});

test('"Kiểm tra kết nối" names what is wrong, and a pull that meets a full storage stops cleanly and resumes', async () => {
  const other = await serve(); // a web server of another origin, without CORS
  const first = await launch();
  const second = await launch();
  const [a, b] = [first.page, second.page];
  try {
    await b.goto(app.url + '#/sync');
    await ready(b);
    const check = async (server, db, want) => {
      await b.getByTestId('sync-server').fill(server);
      await b.getByTestId('sync-db').fill(db);
      await b.getByTestId('sync-check').click();
      await b.getByTestId('sync-message').getByText(want).waitFor();
    };
    await check('http://127.0.0.1:9/', 'tieuchi_p96', /không có máy chủ trả lời ở địa chỉ này/);
    await check(other.url, 'tieuchi_p96', /chưa cho phép ứng dụng này \(CORS/);
    await check(couch.url, 'tieuchi_p96', /chưa đăng nhập/);
    await connect(b, couch.url, 'xa1', 'pw-xa1', { auto: false });
    await check(couch.url, 'khong_co', /máy chủ không có cơ sở dữ liệu này/);
    await check(couch.url, 'tieuchi_p96', /Kết nối được, đã đăng nhập \(xa1\)/);
    await syncNow(b);

    // Another device sends three records; this one's storage is full when they arrive.
    await connect(a, couch.url, 'xa1', 'pw-xa1', { auto: false });
    const ids = [await create2026(a), await create2026(a), await create2026(a)];
    await syncNow(a);
    const checkpoint = () => b.evaluate(() => localStorage.getItem('tieuchi/v1/sync/checkpoint'));
    const before = await checkpoint();
    await fillQuota(b);
    await syncNow(b);
    assert.match(await b.getByTestId('sync-error').innerText(), /bộ nhớ của trình duyệt đã đầy.*sao lưu rồi xoá bớt/);
    const has = () => b.evaluate((ids) => ids.filter((id) => localStorage.getItem(`tieuchi/v1/assessment/${id}`)).length, ids);
    assert.ok((await has()) < 3);
    assert.equal(await checkpoint(), before, 'the checkpoint did not pass a record not stored');
    await freeQuota(b);
    await syncNow(b);
    assert.equal(await has(), 3, 'after space is freed, the next pull brings them');
    assert.equal(await b.getByTestId('sync-error').innerText(), '—');
    assert.deepEqual(appErrors(first), []);
    assert.deepEqual(appErrors(second), []);
  } finally {
    await first.close();
    await second.close();
    await other.close();
  }
});

test('a sync pass whose code cannot be fetched (records chunk gone from cache and network) is a network failure: nothing stored changes, and it syncs once the file is back', async () => {
  const d = await launch();
  const page = d.page;
  try {
    await connect(page, couch.url, 'xa1', 'pw-xa1');
    await create2026(page);
    await answer(page, 1, true);
    await syncNow(page);
    const records = () => page.evaluate(() => Object.keys(localStorage).filter((k) => /\/(assessment|framework|trash|conflict)\//.test(k)).sort().map((k) => [k, localStorage.getItem(k)]));
    // The chunk that holds a pass is neither in the worker's cache nor reachable.
    const blocked = (route) => route.abort('internetdisconnected');
    await d.context.route(/split_records-[0-9a-f]+\.wasm/, blocked);
    await page.evaluate(async () => {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const r of await cache.keys()) if (/split_records-/.test(r.url)) await cache.delete(r);
      }
    });
    await page.goto(app.url + '#/');
    await page.reload();
    await ready(page);
    const before = await records();
    // The shell's timer starts a pass; its code does not load, so it counts as a network failure.
    await page.getByTestId('sync-chip').getByText('Lỗi đồng bộ').waitFor({ timeout: 30000 });
    assert.deepEqual(await records(), before, 'nothing stored changed');
    assert.equal(appErrors(d).filter((e) => !/split_records|chunk|wasm/i.test(e)).length, 0, appErrors(d).join('\n'));
    // Back on the network: the next try (after the backoff) syncs.
    await d.context.unroute(/split_records-[0-9a-f]+\.wasm/, blocked);
    await page.getByTestId('sync-chip').getByText('Đã đồng bộ').waitFor({ timeout: 30000 });
    assert.deepEqual(await records(), before, 'a pass with nothing new changes nothing');
  } finally {
    await d.close();
  }
});
