// End-to-end (#28): what the officer sees when a dossier's signatures do not prove its stage,
// whatever brought it — a hand-over file, a server pull, a record already in storage — and when
// one document of a pull cannot be read; and exports whose cells a spreadsheet would run.
// Each asserts what the build before this change did not do (it showed a forged "recognised" as
// recognised, stopped the whole pull at a deep document, and wrote "=HYPERLINK(…)" as it was).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { serve, launch, ready, seedAssessments, newAssessment, OUT } from './harness.mjs';
import { startCouch } from '../sync/server.mjs';
import { syncSteps } from './sync-steps.mjs';

let app;
test.before(async () => { app = await serve(); });
test.after(async () => { await app?.close(); });

/** A stored envelope (schema 4) of a 2016–2020 assessment with `workflow` as given. */
function envelope(id, { commune = 'Xã Vĩnh Thanh', workflow = {} } = {}) {
  return {
    schema_version: 4, saved_at: 1764200000000,
    assessment: {
      id, framework_id: 'ntm-xa-2016-2020', framework_version: '1980/2016',
      commune: { name: commune, province: 'Tỉnh Cà Mau' },
      round: 2020, dimension_value: 'dbscl', entries: {}, created_at: 1764100000000, updated_at: 1764200000000,
      rev: { dX: 3 }, workflow: { stage: 'draft', audit: [], reviews: {}, ...workflow },
    },
  };
}
/** "Recognised" with no signature at all, and with one submit that claims to reach recognised. */
const FORGED_BARE = { stage: 'recognised', audit: [] };
const FORGED_JUMP = {
  stage: 'recognised',
  audit: [{ at: 1, by: { name: 'Chủ tịch UBND tỉnh', title: 'Chủ tịch' }, role: 'commune',
    kind: { type: 'stage', from: 'draft', to: 'recognised', step: { type: 'submit' } } }],
};

test('a hand-over file with a forged "recognised" dossier is refused and changes nothing here', async () => {
  const b = await launch();
  const { page } = b;
  try {
    await seedAssessments(page, app.url, [envelope('kept-1')], '#/data');
    const before = await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/kept-1'));
    const forged = envelope('kept-1', { workflow: FORGED_BARE });
    const other = envelope('forged-2', { commune: 'Xã Tân Thành', workflow: FORGED_JUMP });
    const file = `${OUT}/forged-handover.json`;
    fs.writeFileSync(file, JSON.stringify({
      format: 'tieuchi-backup/2', created_at: 1764200000000,
      records: {
        'tieuchi/v1/assessment/kept-1': JSON.stringify(forged),
        'tieuchi/v1/assessment/forged-2': JSON.stringify(other),
      },
    }));
    await page.getByTestId('backup-file').setInputFiles(file);
    const invalid = page.getByTestId('restore-invalid');
    await invalid.waitFor();
    const text = await invalid.innerText();
    assert.match(text, /Hồ sơ không hợp lệ: các bước ký không khớp/);
    assert.match(text, /Xã Tân Thành, Tỉnh Cà Mau · 2020: bước ký thứ 1 \(“Nộp hồ sơ tự đánh giá”\) đưa từ “Bản nháp” sang “Đã công nhận”/, text);
    assert.match(text, /Xã Vĩnh Thanh, Tỉnh Cà Mau · 2020: hồ sơ ghi “Đã công nhận” nhưng các bước đã ký chỉ dẫn đến “Bản nháp”/, text);
    await page.screenshot({ path: `${OUT}/forged-handover-1024x768.png` });
    await page.getByTestId('restore-apply').click();
    await page.getByTestId('restore-done').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/kept-1')), before, 'the valid copy is untouched');
    assert.equal(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/forged-2')), null, 'nothing written');
  } finally {
    await b.close();
  }
});

test('a forged record already in storage is kept apart at start-up: listed with why, never counted or opened', async () => {
  const b = await launch();
  const { page } = b;
  try {
    await seedAssessments(page, app.url, [envelope('good-1'), envelope('bad-1', { commune: 'Xã Giả', workflow: FORGED_JUMP })]);
    const q = page.getByTestId('quarantine');
    await q.waitFor();
    assert.match(await q.innerText(), /bad-1[\s\S]*Hồ sơ không hợp lệ: các bước ký không khớp — bước ký thứ 1/);
    assert.doesNotMatch(await q.innerText(), /Invalid dossier/, 'in the page\'s language only');
    const list = await page.locator('main').innerText();
    assert.doesNotMatch(list.replace(await q.innerText(), ''), /Xã Giả/, 'not in the list of assessments');
    assert.ok(await page.evaluate(() => localStorage.getItem('tieuchi/v1/assessment/bad-1') !== null), 'kept as it is');
  } finally {
    await b.close();
  }
});

test('exports neutralise cells a spreadsheet would run as formulas (CSV and xlsx)', async () => {
  const b = await launch();
  const { page } = b;
  try {
    const evil = '=HYPERLINK("http://127.0.0.1:9/x","Bấm vào")';
    const env = envelope('evil-1', { commune: evil });
    // A value typed as text (kept raw, refused as a number) goes out as typed.
    env.assessment.entries = { '10': { answer: { t: 'text', v: '+cmd|\' /C calc\'!A0' } } };
    await seedAssessments(page, app.url, [env], '#/a/evil-1/report');
    await page.getByTestId('report-title').waitFor();
    const [csvDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
    const csv = fs.readFileSync(await csvDl.path(), 'utf8');
    assert.ok(csv.includes(`"'=HYPERLINK(""http://127.0.0.1:9/x"",""Bấm vào"")"`), csv.slice(0, 600));
    assert.ok(csv.includes(`"'+cmd|' /C calc'!A0"`), 'the value as typed too');
    assert.ok(!/(^|;)"[=+@-]/m.test(csv), 'no cell starts with a formula character');
    const [xlsxDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx').click()]);
    const file = `${OUT}/neutralised.xlsx`;
    fs.copyFileSync(await xlsxDl.path(), file);
    const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    assert.ok(sheet.includes('>\'=HYPERLINK(&quot;http://127.0.0.1:9/x&quot;,&quot;Bấm vào&quot;)</t>'), sheet.slice(0, 800));
    assert.ok(!sheet.includes('<f>'), 'no formula element');
  } finally {
    await b.close();
  }
});

test('a pull with a forged dossier and a deep document takes the rest and lists both with why', async () => {
  const couch = await startCouch({ origin: new URL(app.url).origin });
  const b = await launch();
  const { page } = b;
  try {
    // A server without the guard (never installed, or replicated from elsewhere): the app is
    // the last check. Two good documents around two bad ones.
    const guard = (await couch.admin('GET', '/tieuchi_p96/_design/guard')).body;
    assert.equal((await couch.admin('DELETE', `/tieuchi_p96/_design/guard?rev=${guard._rev}`)).status, 200);
    const doc = (env) => ({
      _id: `assessment:${env.assessment.id}`, type: 'assessment', schema_version: 4, saved_at: env.saved_at,
      scope: { province: '96' }, assessment: env.assessment, sync: { edit_id: 'dX:3', by: 'x', saved_at: env.saved_at },
    });
    let deep = 0;
    for (let i = 0; i < 300; i++) deep = [deep];
    const docs = [
      doc(envelope('pull-good-1', { commune: 'Xã Một' })),
      doc(envelope('pull-forged', { commune: 'Xã Giả', workflow: FORGED_BARE })),
      { _id: 'assessment:pull-deep', type: 'assessment', deep },
      doc(envelope('pull-good-2', { commune: 'Xã Hai' })),
    ];
    for (const d of docs) {
      const r = await couch.admin('POST', '/tieuchi_p96/_bulk_docs', { docs: [d] });
      assert.ok(r.body?.[0]?.ok, `${d._id}: ${r.text}`);
    }
    await syncSteps(() => app.url).connect(page, couch.url);
    const title = page.getByTestId('sync-rejected-title');
    await title.waitFor({ timeout: 30000 });
    assert.match(await title.innerText(), /Không nhận được 2 hồ sơ từ máy chủ/);
    const why = await page.getByTestId('sync-rejected').innerText();
    assert.match(why, /assessment:pull-forged: hồ sơ không hợp lệ: các bước ký không khớp/);
    assert.match(why, /assessment:pull-deep: tài liệu lồng quá nhiều tầng/);
    await title.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/sync-rejected-1024x768.png` });
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/assessment/')).sort());
    assert.deepEqual(stored, ['tieuchi/v1/assessment/pull-good-1', 'tieuchi/v1/assessment/pull-good-2']);
  } finally {
    await b.close();
    await couch.stop();
  }
});

test('hostile roster files get a located message at once, the page keeps answering and nothing is imported', async () => {
  const b = await launch();
  const { page } = b;
  try {
    await newAssessment(page, app.url, {});
    await page.getByTestId('criterion-18').click();
    await page.getByTestId('roster-link').click();
    const header = 'Họ và tên;Chức danh;Năm sinh;Giáo dục phổ thông;Chuyên môn';
    const cases = [
      // 500,000 combining accents on one letter (1 MB): normalising it froze, then crashed, the tab.
      ['marks', header + '\r\n' + 'A' + '\u0301'.repeat(500000) + ';Văn phòng – thống kê;1985;THPT;Đại học\r\n',
        /dòng 2: một chữ mang hơn 16 dấu liền nhau — tệp bị hỏng, không đọc/],
      // 500,000 separators in the header: 17 s of folding before.
      ['commas', ','.repeat(500000) + '\r\n', /Dòng 1: dòng có 500001 cột; tối đa 200/],
      // One cell of 3,000 characters.
      ['cell', header + '\r\n' + 'x'.repeat(3000) + ';Văn phòng – thống kê;1985;THPT;Đại học\r\n', /Dòng 2, cột “1”: ô quá dài \(hơn 2000 ký tự\)/],
      // 3 MB.
      ['size', header + '\r\n' + ('Nguyễn Văn An;Văn phòng – thống kê;1985;THPT;Đại học\r\n').repeat(52000), /tệp quá lớn \(\d+ KB; tối đa 2048 KB\)/],
    ];
    for (const [name, text, message] of cases) {
      const file = `${OUT}/hostile-roster-${name}.csv`;
      fs.writeFileSync(file, text);
      const t0 = Date.now();
      await page.getByTestId('roster-csv').setInputFiles(file);
      await page.getByTestId('roster-csv-errors').getByText(message).waitFor({ timeout: 10000 });
      const shown = Date.now() - t0;
      // The page answers a script call at once after the message (no work left behind).
      const t1 = Date.now();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      console.log(`hostile roster ${name} (${(fs.statSync(file).size / 1024).toFixed(0)} KB): message after ${shown} ms, next frame ${Date.now() - t1} ms`);
      assert.equal(await page.getByTestId('roster-row').count(), 0, name);
    }
  } finally {
    await b.close();
  }
});
