// End-to-end: records are never lost or silently rewritten. An old backup never un-recognises
// a signed assessment; a divergent one becomes a conflict resolved field by field; one tab
// writes an assessment whatever order the tabs opened it in, and the lock goes when that tab
// closes; unsaved edits block an update's reload and a tab's close; the trash and the
// duplicate warning; a record of a newer schema and a framework today's loader refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, ready, OUT, DIST, fillQuota, appStorage, fillNewAssessment, copyOfDist } from './harness.mjs';
import { writeServiceWorker } from '../../scripts/sw-manifest.mjs';

let server;
test.before(async () => { server = await serve(); });
test.after(async () => { await server.close(); });

const SET_2026 = { framework: 'ntm-xa-2026-2030@51/2025-khung-tam', province: '1', round: '2026', dimension: 'nhom2' };

/** Fills the new-assessment form for a 2026 assessment of Xã Vĩnh Thanh and presses create. */
async function submit2026(page) {
  await fillNewAssessment(page, server.url, SET_2026);
  await page.getByTestId('new-create').click();
}

const openId = (page) => decodeURIComponent(page.url().split('#/a/')[1]);

/** Creates a 2026 assessment (10 criterion-level checks) and returns its id. */
async function create2026(page) {
  await submit2026(page);
  await page.getByTestId('assessment-title').waitFor();
  return openId(page);
}

async function meetAll(page) {
  for (let c = 1; c <= 10; c++) {
    await page.getByTestId(`criterion-${c}`).click();
    await page.getByTestId(`yes-TC${c}`).check();
  }
  await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
}

async function sign(page, name, title) {
  await page.getByTestId('signer-name').fill(name);
  await page.getByTestId('signer-title').fill(title);
  await page.getByTestId('signer-title').press('Tab');
}

async function exportBackup(page, name) {
  await page.goto(server.url + '#/data');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-export').click()]);
  const file = `${OUT}/${name}`;
  fs.copyFileSync(await download.path(), file);
  return file;
}

const storedRecord = (page, id) => page.evaluate((id) => JSON.parse(localStorage.getItem(`tieuchi/v1/assessment/${id}`)), id);

test('restoring an old backup never un-recognises a signed assessment', async () => {
  const b = await launch();
  const page = b.page;
  try {
    const id = await create2026(page);
    await meetAll(page);
    const file = await exportBackup(page, 'backup-draft.json');
    await page.goto(server.url + `#/a/${id}`);
    await sign(page, 'Trần Thị B', 'Công chức Văn phòng – thống kê xã');
    await page.getByTestId('wf-submit').click();
    await page.getByTestId('wf-stage').getByText('Đã nộp').waitFor();
    await sign(page, 'Lê Văn C', 'Chuyên viên Sở Nông nghiệp và Môi trường');
    await page.getByTestId('wf-return').waitFor();
    await page.getByTestId('wf-reason').fill('Bổ sung minh chứng');
    await page.getByTestId('wf-return').click();
    await page.getByTestId('wf-stage').getByText('Bản nháp').waitFor();
    await sign(page, 'Trần Thị B', 'Công chức Văn phòng – thống kê xã');
    await page.getByTestId('wf-submit').click();
    await sign(page, 'Lê Văn C', 'Chuyên viên Sở Nông nghiệp và Môi trường');
    await page.getByTestId('wf-review').click();
    await sign(page, 'Hồ Thị E', 'Phó Giám đốc Sở');
    await page.getByTestId('wf-appraise').click();
    await page.getByTestId('condition-check-other_conditions').check(); // 2026–2030: text not found, flagged
    await sign(page, 'Nguyễn Văn F', 'Chủ tịch UBND tỉnh');
    await page.getByTestId('wf-decision-number').fill('88/QĐ-UBND');
    await page.getByTestId('wf-decision-date').fill('2026-11-20');
    await page.getByTestId('wf-recognise').click();
    await page.getByTestId('wf-stage').getByText('Đã công nhận').waitFor();
    assert.equal((await storedRecord(page, id)).assessment.workflow.audit.length, 7);

    // The old backup: the record here is a later revision of it, so it stays as it is.
    await page.goto(server.url + '#/data');
    await page.getByTestId('backup-export').waitFor();
    const signed = await appStorage(page); // (the settings remember this page)
    await page.getByTestId('backup-file').setInputFiles(file);
    const plan = await page.getByTestId('restore-plan').innerText();
    assert.match(plan, /Trên máy đã mới hơn \(giữ nguyên\): 1/);
    assert.match(plan, /Thêm mới: 0/);
    await page.screenshot({ path: `${OUT}/restore-old-backup-1024x768.png` });
    await page.getByTestId('restore-apply').click();
    await page.getByTestId('restore-done').waitFor();
    assert.deepEqual(await appStorage(page), signed, 'nothing stored changed');

    // Even with the backup's clock far ahead, revisions decide.
    const backup = JSON.parse(fs.readFileSync(file, 'utf8'));
    const key = `tieuchi/v1/assessment/${id}`;
    const rec = JSON.parse(backup.records[key]);
    rec.assessment.updated_at = 9e15;
    rec.saved_at = 9e15;
    backup.records[key] = JSON.stringify(rec);
    fs.writeFileSync(`${OUT}/backup-clock-ahead.json`, JSON.stringify(backup));
    await page.getByTestId('backup-file').setInputFiles(`${OUT}/backup-clock-ahead.json`);
    await page.getByTestId('restore-plan').getByText(/Trên máy đã mới hơn \(giữ nguyên\): 1/).waitFor();
    await page.getByTestId('restore-apply').click();
    assert.deepEqual(await appStorage(page), signed);

    await page.goto(server.url + `#/a/${id}`);
    await page.getByTestId('wf-stage').getByText('Đã công nhận').waitFor();
    await page.getByTestId('criterion-3').click();
    assert.equal(await page.getByTestId('yes-TC3').isDisabled(), true, 'inputs stay read-only');
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test('a backup edited elsewhere since it parted is a conflict, resolved field by field', async () => {
  const b = await launch();
  const page = b.page;
  try {
    const id = await create2026(page);
    await page.getByTestId('criterion-1').click();
    await page.getByTestId('yes-TC1').check();
    await page.getByTestId('criterion-2').click();
    await page.getByTestId('yes-TC2').check();
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    const file = await exportBackup(page, 'backup-common.json');
    // Here: TC2 becomes "no". In the copy at the province's desk: TC1 becomes "no".
    await page.goto(server.url + `#/a/${id}`);
    await page.getByTestId('criterion-2').click();
    await page.getByTestId('no-TC2').check();
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    const here = await storedRecord(page, id);
    const backup = JSON.parse(fs.readFileSync(file, 'utf8'));
    const key = `tieuchi/v1/assessment/${id}`;
    const desk = JSON.parse(backup.records[key]);
    desk.assessment.entries.TC1.answer.v = false;
    desk.assessment.rev = { ...desk.assessment.rev, desk0000000000ff: 1 };
    backup.records[key] = JSON.stringify(desk);
    fs.writeFileSync(`${OUT}/backup-desk.json`, JSON.stringify(backup));

    await page.goto(server.url + '#/data');
    await page.getByTestId('backup-file').setInputFiles(`${OUT}/backup-desk.json`);
    assert.match(await page.getByTestId('restore-plan').innerText(), /Hai bên cùng sửa — giữ cả hai để chọn: 1/);
    await page.getByTestId('restore-apply').click();
    await page.getByTestId('restore-conflicts').waitFor();
    assert.deepEqual(await storedRecord(page, id), here, 'the copy here is unchanged until resolved');

    await page.goto(server.url + `#/a/${id}`);
    await page.getByTestId('conflict-banner').waitFor();
    await page.getByTestId('conflict-open').click();
    await page.getByTestId('conflict-page').waitFor();
    assert.equal(await page.getByTestId('conflict-row').count(), 2, 'TC1 and TC2 differ');
    await page.screenshot({ path: `${OUT}/conflict-1024x768.png` });
    await page.getByTestId('pick-TC1-theirs').check(); // the desk's TC1, this tablet's TC2
    await page.getByTestId('conflict-apply').click();
    await page.getByTestId('assessment-title').waitFor();
    assert.equal(await page.getByTestId('conflict-banner').count(), 0);
    const merged = (await storedRecord(page, id)).assessment;
    assert.equal(merged.entries.TC1.answer.v, false);
    assert.equal(merged.entries.TC2.answer.v, false);
    for (const [dev, n] of Object.entries({ ...here.assessment.rev, desk0000000000ff: 1 })) {
      assert.ok(merged.rev[dev] >= n, `the resolved revision descends from both (${dev})`);
    }
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/conflict/')).length), 0);
    assert.deepEqual(b.errors, []);
  } finally { await b.close(); }
});

test('one tab writes an assessment whatever the order the tabs opened it in; closing it hands over', async () => {
  const b = await launch();
  try {
    const older = b.page; // opened first, on the home page
    await older.goto(server.url);
    await ready(older);
    const younger = await b.context.newPage();
    const id = await create2026(younger);
    await younger.getByTestId('criterion-1').click();
    await younger.getByTestId('yes-TC1').check();
    // The older tab opens the assessment after the younger one: it is read-only.
    await older.goto(server.url + `#/a/${id}`);
    await older.getByTestId('other-tab').waitFor();
    await older.getByTestId('criterion-1').click();
    assert.equal(await older.getByTestId('yes-TC1').isDisabled(), true);
    assert.equal(await older.getByTestId('wf-submit').count(), 0);
    // Leaving and coming back does not take the lock either.
    await older.goto(server.url + '#/');
    await older.goto(server.url + `#/a/${id}`);
    await older.getByTestId('other-tab').waitFor();
    // The younger tab keeps editing; the older one follows its saves.
    await younger.getByTestId('criterion-2').click();
    await younger.getByTestId('yes-TC2').check();
    await younger.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    await older.getByTestId('criterion-2').click();
    await older.waitForFunction(() => document.querySelector('[data-testid="yes-TC2"]').checked);
    // The writing tab closes: the lock goes with it, and the older tab may edit.
    await younger.close({ runBeforeUnload: true });
    await older.getByTestId('other-tab').waitFor({ state: 'detached' });
    await older.getByTestId('no-TC2').check();
    await older.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    const rec = await storedRecord(older, id);
    assert.equal(rec.assessment.entries.TC1.answer.v, true, 'the closed tab\'s edits are kept');
    assert.equal(rec.assessment.entries.TC2.answer.v, false);
    // A third tab is read-only in turn.
    const third = await b.context.newPage();
    await third.goto(server.url + `#/a/${id}`);
    await ready(third);
    await third.getByTestId('other-tab').waitFor();
  } finally { await b.close(); }
});

test('edits held only in memory block the update reload until exported, and a close asks first', async () => {
  const dir = copyOfDist('release');
  const release = await serve(dir, '/app/');
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(release.url);
    await ready(page);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
    await page.getByTestId('new-assessment').click();
    await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    await page.getByTestId('new-province').selectOption('1');
    await page.getByTestId('new-commune').selectOption('Xã Long Điền');
    await page.getByTestId('new-round').fill('2020');
    await page.getByTestId('new-create').click();
    await page.getByTestId('criterion-10').click();
    fs.appendFileSync(path.join(dir, 'index.html'), '\n<!-- release 2 -->\n');
    writeServiceWorker(dir, JSON.parse(fs.readFileSync(path.join(dir, 'version.json'), 'utf8')).build);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.getByTestId('update-ready').waitFor({ timeout: 20000 });

    assert.equal(await fillQuota(page), 'QuotaExceededError');
    await page.getByTestId('value-10').fill('61,5');
    await page.getByTestId('save-status').getByText(/Bộ nhớ đầy/).waitFor();
    await page.getByTestId('update-reload').click();
    await page.getByTestId('update-refused').waitFor();
    await page.screenshot({ path: `${OUT}/update-refused-1024x768.png` });
    assert.equal(await page.getByTestId('value-10').inputValue(), '61,5', 'not reloaded');

    // Closing the tab asks first.
    let asked = false;
    page.once('dialog', async (d) => { asked = d.type() === 'beforeunload'; await d.dismiss(); });
    await page.close({ runBeforeUnload: true });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(asked, true, 'beforeunload asked');
    assert.equal(page.isClosed(), false);
    assert.equal(await page.getByTestId('value-10').inputValue(), '61,5');

    // Once exported, the reload goes ahead.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('update-export').click()]);
    const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.ok(Object.values(saved.records).some((t) => t.includes('61,5')), 'the export holds the edit');
    // Listening before the click: a fast reload's load event is not missed (it was, once, in CI).
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await ready(page);
  } finally {
    await b.close();
    await release.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('trash: an assessment moved there comes back, and emptying asks first; a duplicate warns', async () => {
  const b = await launch();
  const page = b.page;
  try {
    const id = await create2026(page);
    await page.getByTestId('criterion-1').click();
    await page.getByTestId('yes-TC1').check();
    // A second one for the same commune and round: warned, with a link to the first.
    await submit2026(page);
    await page.getByTestId('new-duplicate').waitFor();
    await page.screenshot({ path: `${OUT}/new-duplicate-1024x768.png` });
    assert.match(await page.getByTestId('new-duplicate').innerText(), /Xã Vĩnh Thanh.*2026.*Bản nháp.*1 chỉ tiêu/s);
    await page.getByTestId('new-create').click(); // confirmed: made
    await page.getByTestId('assessment-title').waitFor();
    const second = openId(page);
    assert.notEqual(second, id);
    // The empty second one does not hide the first on the dashboard.
    await page.getByTestId('trash-assessment').click();
    await page.getByTestId('trash-assessment-confirm').click();
    await page.getByTestId('new-assessment').waitFor();
    assert.equal(await page.getByTestId('assessment-link').count(), 1);
    await page.goto(server.url + '#/data');
    await page.getByTestId('trash-item').waitFor();
    await page.getByTestId('trash-restore').click();
    await page.getByTestId('trash-item').waitFor({ state: 'detached' });
    await page.goto(server.url + '#/');
    assert.equal(await page.getByTestId('assessment-link').count(), 2);
    await page.goto(server.url + `#/a/${second}`);
    await page.getByTestId('trash-assessment').click();
    await page.getByTestId('trash-assessment-confirm').click();
    await page.goto(server.url + '#/data');
    await page.getByTestId('trash-empty').click();
    await page.getByTestId('trash-empty-confirm').click();
    await page.getByTestId('trash').getByText('Thùng rác trống.').waitFor();
    const left = Object.keys(await appStorage(page)).filter((k) => k.includes('/assessment/') || k.includes('/trash/'));
    assert.deepEqual(left, [`tieuchi/v1/assessment/${id}`]);
  } finally { await b.close(); }
});

test('a record saved by a newer release is shown read-only and never written', async () => {
  const b = await launch();
  const page = b.page;
  try {
    const id = await create2026(page);
    await page.getByTestId('criterion-1').click();
    await page.getByTestId('yes-TC1').check();
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    const raw = await page.evaluate((id) => localStorage.getItem(`tieuchi/v1/assessment/${id}`), id);
    const newer = JSON.parse(raw);
    newer.schema_version = newer.schema_version + 1;
    newer.assessment.photos = ['anh-1.jpg'];
    const text = JSON.stringify(newer);
    await page.evaluate(([id, t]) => localStorage.setItem(`tieuchi/v1/assessment/${id}`, t), [id, text]);
    await page.reload();
    await ready(page);
    await page.getByTestId('newer-schema').waitFor();
    await page.getByTestId('criterion-1').click();
    assert.equal(await page.getByTestId('yes-TC1').isChecked(), true);
    assert.equal(await page.getByTestId('no-TC1').isDisabled(), true);
    assert.equal(await page.getByTestId('wf-submit').count(), 0);
    await page.evaluate(() => { location.hash = '#/data'; });
    await page.evaluate(() => { location.hash = '#/'; });
    assert.equal(await page.evaluate((id) => localStorage.getItem(`tieuchi/v1/assessment/${id}`), id), text, 'never written');
  } finally { await b.close(); }
});

test('a framework accepted at import stays usable when a later release is stricter', async () => {
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    // The minimal set, as stored by an earlier release, with a period this release refuses.
    const fw = JSON.parse(fs.readFileSync('tests/fixtures/frameworks/minimal.json', 'utf8'));
    fw.period = [2025, 2020];
    const a = {
      schema_version: 2, saved_at: 1,
      assessment: {
        id: 'old-fw', framework_id: 'mini', framework_version: '1',
        commune: { name: 'Xã Thử', province: 'Tỉnh Thử' }, round: 2021, dimension_value: 'a',
        entries: { '1.1': { answer: { t: 'flag', v: true } } }, created_at: 1, updated_at: 1, rev: { e2e: 1 },
      },
    };
    await page.evaluate(([f, a]) => {
      localStorage.setItem('tieuchi/v1/framework/mini@1', f);
      localStorage.setItem('tieuchi/v1/assessment/old-fw', a);
    }, [JSON.stringify(fw), JSON.stringify(a)]);
    await page.goto(server.url + '#/a/old-fw');
    await page.reload();
    await ready(page);
    await page.getByTestId('assessment-title').waitFor();
    await page.getByTestId('stale-framework').waitFor();
    assert.equal(await page.getByTestId('quarantine').count(), 0, 'the framework is not quarantined');
    assert.equal(await page.getByTestId('yes-1.1').isChecked(), true);
  } finally { await b.close(); }
});
