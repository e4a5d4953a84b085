// End-to-end: drafts survive every fault a tablet meets — storage full, a corrupt entry, two
// pages on one assessment, a page closed mid-typing, an old-schema entry, storage disabled —
// and backup → clear → restore gives the same data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serve, launch, ready, OUT, fillQuota, freeQuota, appStorage } from './harness.mjs';

let server;
test.before(async () => { server = await serve(); });
test.after(async () => { await server.close(); });

/** Creates an assessment for a Cà Mau commune and returns its URL. */
async function createAssessment(page) {
  await page.goto(server.url + '#/new');
  await ready(page);
  await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
  await page.getByTestId('new-province').selectOption('0');
  await page.getByTestId('new-commune').selectOption('Xã Vĩnh Thanh');
  await page.getByTestId('new-round').fill('2020');
  await page.getByTestId('new-create').click();
  // A second assessment of the same commune and round is made only when confirmed.
  await Promise.race([page.getByTestId('assessment-title').waitFor(), page.getByTestId('new-duplicate').waitFor()]);
  if (await page.getByTestId('new-duplicate').count()) await page.getByTestId('new-create').click();
  await page.getByTestId('assessment-title').waitFor();
  await page.getByTestId('criterion-10').click();
  return page.url();
}

const stored = (page) => page.evaluate(() => {
  const out = {};
  for (const k of Object.keys(localStorage)) {
    if (!k.startsWith('tieuchi/v1/assessment/')) continue;
    try { out[k] = JSON.parse(localStorage.getItem(k)).assessment; } catch (e) { /* quarantined: not an assessment */ }
  }
  return out;
});

test('storage full: edits stay in memory, the user is told and can export, nothing lost', async () => {
  const b = await launch();
  const page = b.page;
  try {
    await createAssessment(page);
    // Fill the origin's quota with junk until the browser refuses, leaving just too little room.
    assert.equal(await fillQuota(page), 'QuotaExceededError');
    await page.evaluate(() => { location.hash = '#/data'; });
    await page.getByTestId('storage-warning').waitFor(); // over 80% of the ~5 MB quota
    await page.goBack();
    await page.getByTestId('criterion-10').click();
    await page.getByTestId('value-10').fill('61,25');
    await page.getByTestId('save-status').getByText(/Bộ nhớ đầy/).waitFor();
    assert.equal(await page.getByTestId('save-export').isVisible(), true);
    assert.equal(await page.getByTestId('value-10').inputValue(), '61,25');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-export').click()]);
    const backup = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    const exported = Object.entries(backup.records).filter(([k]) => k.startsWith('tieuchi/v1/assessment/'));
    assert.equal(exported.length, 1);
    assert.equal(JSON.parse(exported[0][1]).assessment.entries['10'].answer.v, '61,25', 'export has the unsaved edit');
    // Free space; the next edit saves everything.
    await freeQuota(page);
    await page.getByTestId('value-10').fill('61,255');
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    await page.reload();
    await ready(page);
    await page.getByTestId('criterion-10').click();
    assert.equal(await page.getByTestId('value-10').inputValue(), '61,255');
  } finally { await b.close(); }
});

test('a page closed mid-typing keeps every keystroke; reopening returns to the assessment', async () => {
  const b = await launch();
  try {
    const url = await createAssessment(b.page);
    await b.page.getByTestId('value-10').pressSequentially('58,7', { delay: 20 });
    await b.page.close({ runBeforeUnload: true }); // well inside the 300 ms debounce
    const page = await b.context.newPage();
    await page.goto(server.url); // no hash: the app returns to the last assessment
    await ready(page);
    await page.getByTestId('assessment-title').waitFor();
    assert.equal(page.url(), url);
    await page.getByTestId('criterion-10').click();
    assert.equal(await page.getByTestId('value-10').inputValue(), '58,7');
  } finally { await b.close(); }
});

test('reopening returns to where the officer was on the page, once the page is drawn', async () => {
  const b = await launch();
  try {
    const url = await createAssessment(b.page);
    const y = await b.page.evaluate(() => {
      window.scrollTo(0, Math.min(700, document.documentElement.scrollHeight - window.innerHeight));
      return window.scrollY;
    });
    assert.ok(y > 200, `the page scrolled (${y})`);
    await b.page.close({ runBeforeUnload: true });
    const page = await b.context.newPage();
    await page.goto(server.url); // no hash: back to the assessment, and to the same place on it
    await page.getByTestId('assessment-title').waitFor();
    assert.equal(page.url(), url);
    // It waits for the page to be tall enough (a fixed 120 ms left it at the top on a slow start).
    await page.waitForFunction((y) => Math.abs(window.scrollY - y) <= 2, y, { timeout: 5000 });
  } finally { await b.close(); }
});

test('a corrupt entry is quarantined: listed, exportable, kept, and the app works', async () => {
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    await page.evaluate(() => localStorage.setItem('tieuchi/v1/assessment/broken', '{"schema_version":1,"assessment":{"id":'));
    await page.reload();
    await ready(page);
    const q = await page.getByTestId('quarantine').innerText();
    assert.match(q, /tieuchi\/v1\/assessment\/broken/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('quarantine').getByRole('button').click()]);
    assert.equal(fs.readFileSync(await download.path(), 'utf8'), '{"schema_version":1,"assessment":{"id":');
    assert.equal(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/broken')), '{"schema_version":1,"assessment":{"id":');
    await createAssessment(page); // the app still works
    assert.equal(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/broken')), '{"schema_version":1,"assessment":{"id":');
  } finally { await b.close(); }
});

test('an assessment saved in schema 1 opens unchanged in meaning', async () => {
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    const v1 = fs.readFileSync('tests/fixtures/persist/assessment-v1.json', 'utf8');
    await page.evaluate((v) => localStorage.setItem('tieuchi/v1/assessment/19abc-1f', v), v1);
    await page.goto(server.url + '#/a/19abc-1f');
    await page.reload();
    await ready(page);
    assert.match(await page.getByTestId('assessment-title').innerText(), /Xã Vĩnh Thanh, Tỉnh Bạc Liêu · 2019/);
    await page.getByTestId('criterion-15').click();
    assert.match(await page.getByTestId('explain-15.1').innerText(), /15\.1: 83% < 85% \(Đồng bằng sông Cửu Long\) → chưa đạt/);
    await page.getByTestId('criterion-10').click();
    assert.equal(await page.getByTestId('value-10').inputValue(), '58');
    // Stored as it was until edited; the first edit writes the current schema (6) with a revision.
    assert.equal(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/19abc-1f')), v1);
    await page.getByTestId('value-10').fill('59');
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    const now = JSON.parse(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/19abc-1f')));
    assert.equal(now.schema_version, 6);
    assert.equal(Object.values(now.assessment.rev).reduce((a, b) => a + b, 0), 1);
    assert.equal(now.assessment.entries['15.1'].answer.v[0], '83');
  } finally { await b.close(); }
});

test('two pages on one assessment: the second is read-only, sees the first one\'s edits, can take over', async () => {
  const b = await launch();
  try {
    const url = await createAssessment(b.page);
    const second = await b.context.newPage();
    await second.goto(url);
    await ready(second);
    await second.getByTestId('other-tab').waitFor();
    assert.equal(await second.getByTestId('wf-submit').count(), 0, 'a read-only tab takes no workflow step');
    await second.getByTestId('criterion-10').click();
    assert.equal(await second.getByTestId('value-10').isDisabled(), true);
    await b.page.getByTestId('value-10').fill('49');
    await b.page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    await second.waitForFunction(() => document.querySelector('[data-testid="value-10"]').value === '49', null, { timeout: 5000 }).catch(async (e) => { throw new Error('second did not see 49: ' + await second.evaluate(() => document.querySelector('[data-testid="value-10"]').value)); });
    // Take over: the first page becomes read-only, the second edits.
    await second.getByTestId('take-over').click();
    // Handed over by the holder when asked, not by the 3 s fallback that steals from a frozen tab.
    await second.waitForFunction(() => !document.querySelector('[data-testid="value-10"]').disabled, null, { timeout: 2000 });
    await b.page.getByTestId('other-tab').waitFor();
    assert.equal(await b.page.getByTestId('value-10').isDisabled(), true);
    await second.getByTestId('value-10').fill('52');
    await second.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    await b.page.waitForFunction(() => document.querySelector('[data-testid="value-10"]').value === '52');
    const data = Object.values(await stored(second));
    assert.equal(data.length, 1);
    assert.equal(data[0].entries['10'].answer.v, '52');
  } finally { await b.close(); }
});

test('storage disabled: the app works in memory and warns', async () => {
  const b = await launch();
  const page = b.page;
  try {
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
    });
    await page.goto(server.url);
    await ready(page);
    await page.getByTestId('save-status').getByText(/Không dùng được bộ nhớ trình duyệt/).waitFor();
    await createAssessment(page);
    await page.getByTestId('value-10').fill('47');
    assert.match(await page.getByTestId('explain-10').innerText(), /47 < 50/);
    assert.match(await page.getByTestId('save-status').innerText(), /Không dùng được bộ nhớ trình duyệt/);
    assert.equal(await page.getByTestId('save-export').isVisible(), true);
  } finally { await b.close(); }
});

test('backup → clear storage → restore gives byte-identical storage, every kind of record included', async () => {
  const b = await launch();
  const page = b.page;
  try {
    await createAssessment(page);
    await page.getByTestId('value-10').fill('55');
    await createAssessment(page);
    await page.getByTestId('value-10').fill('44');
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    // A quarantined entry, an imported units list and a trashed assessment come along too.
    await page.evaluate(() => {
      localStorage.setItem('tieuchi/v1/assessment/broken', '{"schema_version":2,"assessment":{"id":');
      localStorage.setItem('tieuchi/v1/units/test', JSON.stringify({ format: 'tieuchi-units/1', id: 'test', province: { name: 'Tỉnh Thử' }, valid_from: '2025-07-01', source: 'e2e', units: [{ name: 'Xã Một', type: 'xã' }] }));
    });
    await createAssessment(page);
    await page.getByTestId('trash-assessment').click();
    await page.getByTestId('trash-assessment-confirm').click();
    await page.getByTestId('new-assessment').waitFor();
    const before = await stored(page);
    assert.equal(Object.keys(before).length, 2, "two assessments (the third is in the trash)");
    await page.goto(server.url + '#/data');
    await page.getByTestId('trash-item').waitFor();
    const bytes = await appStorage(page);
    assert.ok(Object.keys(bytes).some((k) => k.startsWith('tieuchi/v1/trash/')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-export').click()]);
    const file = `${OUT}/backup.json`;
    fs.copyFileSync(await download.path(), file);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await ready(page);
    assert.equal(Object.keys(await stored(page)).length, 0);
    await page.goto(server.url + '#/data');
    await page.getByTestId('backup-file').setInputFiles(file);
    await page.getByTestId('restore-plan').waitFor();
    // Reloading wrote the settings again (language, last page): they are the same text.
    const left = Object.keys(await appStorage(page));
    assert.ok(left.every((k) => k === 'tieuchi/v1/settings'), left.join());
    assert.match(await page.getByTestId('restore-plan').innerText(), new RegExp(`Thêm mới: ${6 - left.length}`));
    await page.getByTestId('restore-apply').click();
    await page.getByTestId('restore-done').waitFor();
    assert.deepEqual(await appStorage(page), bytes, 'byte-identical');
    await page.getByTestId('trash-item').waitFor(); // the trash is back too
    // Restoring again changes nothing; a damaged file is refused.
    await page.getByTestId('backup-file').setInputFiles(file);
    assert.match(await page.getByTestId('restore-plan').innerText(), /Giống hệt \(bỏ qua\): 6/);
    fs.writeFileSync(`${OUT}/broken-backup.json`, '{"format":"tieuchi-backup/1"');
    await page.getByTestId('backup-file').setInputFiles(`${OUT}/broken-backup.json`);
    await page.getByTestId('restore-error').waitFor();
    assert.deepEqual(await appStorage(page), bytes);
    fs.writeFileSync(`${OUT}/empty-backup.json`, '');
    await page.getByTestId('backup-file').setInputFiles(`${OUT}/empty-backup.json`);
    await page.getByTestId('restore-error').getByText(/tệp rỗng/).waitFor();
  } finally { await b.close(); }
});
