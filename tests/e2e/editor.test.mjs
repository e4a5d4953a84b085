// End-to-end: an officer completes the criteria set in force inside the app. From the 51/2025
// provisional set, a province's own set: criterion 1's stand-in check replaced by two real
// indicators, one threshold cited from the official text and one not found; bad input refused
// at its field; the diff before publishing; an assessment of a nhóm 2 commune on the published
// set, its "tạm tính" flag on the not-found value. Then the spreadsheet template: exported,
// a 47-row annex table keyed into it and imported, a broken row located with nothing changed,
// and the time and actions each route takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, ready, OUT, a11y, newAssessment } from './harness.mjs';

const SET_51 = 'ntm-xa-2026-2030@51/2025-khung-tam';

test('a province completes 51/2025 in the editor, publishes it, and assesses a nhóm 2 commune on it', async () => {
  const server = await serve();
  const b = await launch(undefined, { bypassCSP: true });
  const page = b.page;
  let actions = 0;
  // Every click, fill and choice the officer makes in the editor, counted.
  const act = async (p) => { actions += 1; await p; };
  try {
    await page.goto(server.url + `#/framework/${encodeURIComponent(SET_51)}`);
    await ready(page);
    assert.match(await page.getByTestId('fw-complete-why').innerText(), /Bộ này còn tạm/);
    assert.equal(await page.getByTestId('fw-edit').innerText(), 'Hoàn thiện bộ tiêu chí này');
    const t0 = Date.now();
    await act(page.getByTestId('fw-edit').click());
    await page.getByTestId('editor').waitFor();
    assert.match(await page.getByTestId('edit-status').innerText(), /^Không có lỗi/);
    const draftId = decodeURIComponent(page.url().split('#/frameworks/edit/')[1]);

    // The set's identity.
    await act(page.getByTestId('meta-id').fill('ntm-xa-2026-2030-camau'));
    await page.getByTestId('meta-id').dispatchEvent('change');
    await act(page.getByTestId('meta-title').first().fill('Bộ tiêu chí xã nông thôn mới tỉnh Cà Mau giai đoạn 2026–2030'));
    await page.getByTestId('meta-title').first().dispatchEvent('change');

    // The set is complete where it is used: no longer provisional as a whole.
    await act(page.getByTestId('meta-provisional').uncheck());

    // Criterion 1: the stand-in check becomes 1.1, and 1.2 is added as a ratio.
    const card = page.getByTestId('edit-indicator');
    const field = async (n, id, value) => {
      await act(card.nth(n).getByTestId(id).fill(value));
      await card.nth(n).getByTestId(id).dispatchEvent('change');
    };
    await field(0, 'ind-id', '1.1');
    await field(0, 'ind-title', 'Có quy hoạch chung xây dựng xã được phê duyệt');
    await field(0, 'ind-source', 'QĐ 51/2025/QĐ-TTg, Phụ lục I, tiêu chí 1, chỉ tiêu 1.1');
    await field(0, 'ind-note', '');
    await act(page.getByTestId('crit-note').fill(''));
    await page.getByTestId('crit-note').dispatchEvent('change');
    await act(card.nth(0).getByTestId('ind-provenance').selectOption('official'));
    await act(card.nth(0).getByTestId('ind-verified').check());
    await act(page.getByTestId('edit-add-indicator').click());
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=edit-indicator]').length === 2);
    await act(card.nth(1).getByTestId('ind-kind').selectOption('ratio'));
    await card.nth(1).getByTestId('edit-cells').waitFor();
    await field(1, 'ind-id', '1.2');
    await field(1, 'ind-title', 'Tỷ lệ thôn, ấp có quy hoạch chi tiết được phê duyệt');
    await field(1, 'ind-numerator', 'Số thôn, ấp có quy hoạch');
    await field(1, 'ind-denominator', 'Tổng số thôn, ấp');
    await act(card.nth(1).getByTestId('ind-provenance').selectOption('official'));
    await act(card.nth(1).getByTestId('ind-verified').check());
    // Each commune group's value, with its level and source.
    for (const [col, value, level] of [['nhom1', '100', 'official'], ['nhom2', '90', 'not_found'], ['nhom3', '80', 'official']]) {
      const row = card.nth(1).getByTestId('edit-cells').locator(`[data-column=${col}]`);
      await act(row.getByTestId(`cell-${col}`).fill(value));
      await row.getByTestId(`cell-${col}`).dispatchEvent('change');
      await act(row.getByTestId(`level-${col}`).selectOption(level));
      if (level === 'official') {
        await act(row.getByTestId(`source-${col}`).fill('QĐ 51/2025/QĐ-TTg, Phụ lục I, dòng 1.2'));
        await row.getByTestId(`source-${col}`).dispatchEvent('change');
      }
    }
    const keyedIn = Date.now() - t0;
    assert.match(await page.getByTestId('edit-status').innerText(), /^Không có lỗi/);

    // Bad input: a value that is not a number is refused where it was typed, nothing changes.
    const before = await page.evaluate((id) => localStorage.getItem(`tieuchi/v1/framework-draft/${id}`), draftId);
    const n2 = card.nth(1).getByTestId('edit-cells').getByTestId('cell-nhom2');
    await n2.fill('chín mươi');
    await n2.dispatchEvent('change');
    assert.equal(await page.getByTestId('edit-op-error').innerText(), '“chín mươi” không phải là số.');
    assert.equal(await page.evaluate((id) => localStorage.getItem(`tieuchi/v1/framework-draft/${id}`), draftId), before);
    // An ambiguous one too.
    await n2.fill('10.500');
    await n2.dispatchEvent('change');
    assert.match(await page.getByTestId('edit-op-error').innerText(), /nghìn hoặc thập phân/);
    // A code used twice: the loader's error at that field, and publishing is refused.
    await field(1, 'ind-id', '1.1');
    assert.match(await page.getByTestId('edit-status').innerText(), /^1 lỗi/);
    assert.match(await card.nth(1).getByTestId('field-problem').first().innerText(), /1\.1/);
    assert.equal(await page.getByTestId('edit-publish').isDisabled(), true);
    await page.screenshot({ path: `${OUT}/editor-error-1024x768.png` });
    await page.getByTestId('edit-undo').click();
    assert.match(await page.getByTestId('edit-status').innerText(), /^Không có lỗi/);
    assert.equal(await card.nth(1).getByTestId('ind-id').inputValue(), '1.2');
    assert.deepEqual(await a11y(page), [], 'editor accessibility');
    await page.screenshot({ path: `${OUT}/editor-1024x768.png` });
    await page.getByTestId('edit-indicator').nth(1).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/editor-criterion-1024x768.png` });
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.screenshot({ path: `${OUT}/editor-768x1024.png` });
    await page.setViewportSize({ width: 1024, height: 768 });

    // The draft survives a reload.
    await page.reload();
    await page.getByTestId('editor').waitFor();
    assert.equal(await page.getByTestId('edit-indicator').nth(1).getByTestId('ind-id').inputValue(), '1.2');

    // Publish: the differences first, then the new version.
    await act(page.getByTestId('edit-publish').click());
    assert.match(await page.getByTestId('edit-diff-summary').innerText(), /^2 chỉ tiêu thêm · 1 chỉ tiêu bỏ · 0 ngưỡng đổi/);
    assert.deepEqual(await page.getByTestId('edit-diff-added').allInnerTexts(), ['+ 1.1', '+ 1.2']);
    assert.deepEqual(await page.getByTestId('edit-diff-removed').allInnerTexts(), ['− TC1']);
    await act(page.getByTestId('edit-publish-confirm').click());
    assert.match(await page.getByTestId('edit-published').innerText(), /ntm-xa-2026-2030-camau@1/);
    const publishedAt = Date.now() - t0;
    // The same version again is refused: a published version never changes.
    await page.getByTestId('edit-publish').click();
    await page.getByTestId('edit-publish-confirm').click();
    assert.match(await page.getByTestId('edit-op-error').innerText(), /Đã có bộ ntm-xa-2026-2030-camau@1/);
    const stored = await page.evaluate(() => localStorage.getItem('tieuchi/v1/framework/ntm-xa-2026-2030-camau@1'));
    assert.ok(stored && JSON.parse(stored).groups[0].criteria[0].indicators.length === 2);

    // An assessment of a nhóm 2 commune on it.
    await newAssessment(page, server.url, { framework: 'ntm-xa-2026-2030-camau@1', round: '2026', dimension: 'nhom2' });
    await page.getByTestId('yes-1.1').click();
    await page.getByTestId('num-1.2').fill('9');
    await page.getByTestId('den-1.2').fill('10');
    assert.match(await page.getByTestId('explain-1.2').innerText(), /1\.2: 90% ≥ 90% .*→ đạt/);
    assert.equal(await page.locator('#ind-1-2').getByTestId('unverified').count(), 1, 'the not-found value is flagged');
    assert.equal(await page.locator('#ind-1-1').getByTestId('unverified').count(), 0, 'the official one is not');
    // Criteria 2–10 are still the provisional set's checks: answered, the commune meets every
    // criterion, and the result says it is provisional, and why.
    for (let c = 2; c <= 10; c += 1) {
      await page.getByTestId(`criterion-${c}`).click();
      await page.getByTestId(`yes-TC${c}`).click();
    }
    const reason = await page.getByTestId('provisional-reason').innerText();
    assert.match(reason, /Tạm tính vì: 10 chỉ tiêu quyết định kết quả/, '1.2 (not found) and the nine stand-ins');
    assert.doesNotMatch(reason, /bộ tiêu chí tạm/, 'the set itself is no longer provisional');
    await page.getByTestId('criterion-1').click();
    await page.getByTestId('num-1.2').fill('8');
    assert.match(await page.getByTestId('explain-1.2').innerText(), /1\.2: 80% < 90% .*→ chưa đạt/);
    await page.screenshot({ path: `${OUT}/editor-assessment-nhom2-1024x768.png` });
    const assessmentUrl = page.url();

    // Version 2 lowers nhóm 2's value to 85%: the assessment keeps version 1 until moved,
    // and the move lists what changes first.
    await page.goto(server.url + `#/frameworks/edit/${encodeURIComponent(draftId)}`);
    await page.getByTestId('editor').waitFor();
    await page.getByTestId('meta-version').fill('2');
    await page.getByTestId('meta-version').dispatchEvent('change');
    const n2v = page.getByTestId('edit-indicator').nth(1).getByTestId('edit-cells').getByTestId('cell-nhom2');
    await n2v.fill('85');
    await n2v.dispatchEvent('change');
    await page.getByTestId('edit-publish').click();
    await page.waitForFunction(() => /ngưỡng đổi/.test(document.querySelector('[data-testid=edit-diff-summary]')?.textContent || ''));
    assert.match(await page.getByTestId('edit-diff-summary').innerText(), /^0 chỉ tiêu thêm · 0 chỉ tiêu bỏ · 1 ngưỡng đổi/);
    assert.match(await page.getByTestId('edit-diff-changed').innerText(), /^1\.2: .*nhom2: 90.* → .*nhom2: 85/);
    await page.getByTestId('edit-publish-confirm').click();
    await page.getByTestId('edit-published').waitFor();
    await page.goto(assessmentUrl);
    await page.getByTestId('assessment-title').waitFor();
    await page.getByTestId('criterion-1').click();
    await page.getByTestId('num-1.2').fill('85');
    await page.getByTestId('den-1.2').fill('100');
    assert.match(await page.getByTestId('explain-1.2').innerText(), /85% < 90% .*→ chưa đạt/, 'still version 1');
    await page.getByTestId('signer-name').fill('Trần Thị B');
    await page.getByTestId('signer-title').fill('Chuyên viên');
    await page.getByTestId('move-preview').click();
    assert.deepEqual(await page.getByTestId('move-change').allInnerTexts(), ['Kết quả xã: chưa đạt → đạt', 'Tiêu chí 1: chưa đạt → đạt']);
    await page.getByTestId('move-confirm').click();
    await page.getByTestId('criterion-1').click();
    assert.match(await page.getByTestId('explain-1.2').innerText(), /85% ≥ 85% .*→ đạt/, 'now version 2');
    assert.match((await page.getByTestId('audit-event').allInnerTexts()).join('\n'), /Chuyển bộ tiêu chí: ntm-xa-2026-2030-camau@1 → ntm-xa-2026-2030-camau@2/);
    const id = decodeURIComponent(assessmentUrl.split('#/a/')[1]);
    const rec = JSON.parse(await page.evaluate((id) => localStorage.getItem(`tieuchi/v1/assessment/${id}`), id));
    assert.equal(rec.assessment.framework_version, '2');
    assert.equal(rec.schema_version, 6);
    console.log(`editor route: ${actions} actions, ${keyedIn} ms to key criterion 1's two indicators, ${publishedAt} ms to publish`);
    fs.writeFileSync(path.join(OUT, 'editor-figures.json'), JSON.stringify({ editorActions: actions, editorKeyMs: keyedIn, editorPublishMs: publishedAt }));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

/** A 47-row annex table as a province office would type it into the template: 10 criteria,
 *  numbers and ratios with a value per commune group, each cited. */
function annex(header) {
  const col = (name) => header.indexOf(name);
  const rows = [];
  const perCriterion = [5, 5, 5, 5, 5, 5, 5, 4, 4, 4]; // 47 in all
  perCriterion.forEach((n, c) => {
    for (let i = 1; i <= n; i += 1) {
      const f = new Array(header.length).fill('');
      const ratio = i % 2 === 1;
      f[col('nhom')] = 'PL1';
      f[col('tieu_chi')] = String(c + 1);
      f[col('chi_tieu')] = `${c + 1}.${i}`;
      f[col('noi_dung')] = `Chỉ tiêu ${c + 1}.${i} theo Phụ lục I`;
      f[col('loai')] = ratio ? 'ratio' : 'number';
      f[col('so_sanh')] = '≥';
      f[col('don_vi')] = ratio ? '' : 'triệu đồng/người/năm';
      f[col('tu_so')] = ratio ? 'Số đạt' : '';
      f[col('mau_so')] = ratio ? 'Tổng số' : '';
      f[col('nguon')] = `QĐ 51/2025/QĐ-TTg, Phụ lục I, dòng ${c + 1}.${i}`;
      f[col('muc')] = 'van_ban_goc';
      f[col('xac_minh')] = 'x';
      ['nhom1', 'nhom2', 'nhom3'].forEach((g, k) => {
        f[col(g)] = ratio ? String(100 - 5 * k) : `${70 - 10 * k},5`;
        f[col(`${g}_muc`)] = 'van_ban_goc';
        f[col(`${g}_nguon`)] = `PL I, dòng ${c + 1}.${i}`;
      });
      rows.push(f);
    }
  });
  return rows;
}

const csvLine = (fields) => fields.map((f) => `"${String(f).replace(/"/g, '""')}"`).join(';');

test('the spreadsheet template: exported, a 47-row table keyed in Excel imported, a broken row located', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url + `#/framework/${encodeURIComponent(SET_51)}`);
    await ready(page);
    const t0 = Date.now();
    let actions = 0;
    await page.getByTestId('fw-edit').click(); actions += 1;
    await page.getByTestId('editor').waitFor();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('edit-csv').click()]); actions += 1;
    const exported = fs.readFileSync(await dl.path(), 'utf8');
    assert.ok(exported.startsWith('\ufeff"nhom";"tieu_chi";"ten_tieu_chi";"chi_tieu"'), exported.slice(0, 60));
    const lines = exported.replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
    assert.equal(lines.length, 11, 'header and one row per indicator of the provisional set');
    const header = JSON.parse(`[${lines[0].replace(/;/g, ',')}]`);
    for (const c of ['nhom1', 'nhom1_muc', 'nhom1_nguon', 'nhom2', 'nhom3_nguon', 'chung']) assert.ok(header.includes(c), c);

    // Imported unchanged: nothing changes (no undo step appears).
    const file = path.join(OUT, 'mau-51-2025.csv');
    fs.writeFileSync(file, exported);
    await page.getByTestId('edit-csv-import').setInputFiles(file);
    // Waits for the import to be done (a fixed wait could look before it ran).
    await page.getByTestId('edit-csv-status').getByText('giống hệt bộ đang sửa, không có thay đổi').waitFor();
    assert.equal(await page.getByTestId('edit-undo').isDisabled(), true, 'the same set: no change to undo');

    // A broken row: located, and the set unchanged.
    const table = annex(header);
    table[6][header.indexOf('nhom2')] = 'chín mươi';
    fs.writeFileSync(file, '\ufeff' + [csvLine(header), ...table.map(csvLine)].join('\r\n'));
    await page.getByTestId('edit-csv-import').setInputFiles(file);
    await page.getByTestId('edit-csv-issues').waitFor();
    assert.match(await page.getByTestId('edit-csv-issues').innerText(), /Dòng 8, cột “nhom2”: “chín mươi” không phải là số\./);
    assert.equal(await page.getByTestId('edit-indicator').count(), 1, 'still the provisional set');
    await page.screenshot({ path: `${OUT}/editor-csv-refused-1024x768.png` });

    // The 47-row table, fixed, imported: 47 indicators, no errors, published as a new set.
    table[6][header.indexOf('nhom2')] = '90';
    fs.writeFileSync(file, '\ufeff' + [csvLine(header), ...table.map(csvLine)].join('\r\n'));
    await page.getByTestId('edit-csv-import').setInputFiles(file); actions += 1;
    await page.waitForFunction(() => !document.querySelector('[data-testid=edit-csv-issues]'));
    assert.match(await page.getByTestId('edit-status').innerText(), /^Không có lỗi/);
    await page.getByTestId('meta-version').fill('2');
    await page.getByTestId('meta-version').dispatchEvent('change'); actions += 1;
    await page.getByTestId('edit-publish').click(); actions += 1;
    // The diff is a card (content-visibility: auto): visible once a frame has laid it out.
    await page.getByTestId('edit-diff-summary').waitFor();
    assert.match(await page.getByTestId('edit-diff-summary').innerText(), /^47 chỉ tiêu thêm · 10 chỉ tiêu bỏ/);
    await page.getByTestId('edit-publish-confirm').click(); actions += 1;
    await page.getByTestId('edit-published').waitFor();
    const ms = Date.now() - t0;
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('tieuchi/v1/framework/ntm-xa-2026-2030-tinh@2')));
    const inds = stored.groups.flatMap((g) => g.criteria).flatMap((c) => c.indicators);
    assert.equal(inds.length, 47);
    assert.deepEqual(inds[0].threshold.by.nhom2, { value: 95, source: 'PL I, dòng 1.1', provenance: 'official' });
    assert.equal(inds[1].threshold.by.nhom3.value, 50.5, '"50,5" read as a decimal');
    // Exported again, the published table reads as what was typed.
    const [dl2] = await Promise.all([page.waitForEvent('download'), page.getByTestId('edit-csv').click()]);
    const again = fs.readFileSync(await dl2.path(), 'utf8').replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
    assert.equal(again.length, 48);
    // Every column as typed (the criterion's name, left empty, is the set's own).
    const got = again[2].split(';');
    const want = csvLine(table[1]).split(';');
    header.forEach((h, k) => { if (h !== 'ten_tieu_chi') assert.equal(got[k], want[k], h); });
    assert.equal(got[header.indexOf('ten_tieu_chi')], '"Quy hoạch"');
    console.log(`template route: ${actions} actions in the app, ${ms} ms from opening the editor to publishing 47 indicators`);
    const figures = path.join(OUT, 'editor-figures.json');
    const prev = fs.existsSync(figures) ? JSON.parse(fs.readFileSync(figures, 'utf8')) : {};
    fs.writeFileSync(figures, JSON.stringify({ ...prev, templateActions: actions, templateMs: ms }));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('two tabs on one draft: the older tab never overwrites the newer copy', async () => {
  const server = await serve();
  const b = await launch();
  try {
    await b.page.goto(server.url + `#/framework/${encodeURIComponent(SET_51)}`);
    await ready(b.page);
    await b.page.getByTestId('fw-edit').click();
    await b.page.getByTestId('editor').waitFor();
    const url = b.page.url();
    const id = decodeURIComponent(url.split('#/frameworks/edit/')[1]);
    const other = await b.context.newPage();
    await other.goto(url);
    await other.getByTestId('editor').waitFor();
    // The second tab saves first…
    await other.getByTestId('meta-version').fill('9');
    await other.getByTestId('meta-version').dispatchEvent('change');
    const stored = () => b.page.evaluate((id) => JSON.parse(localStorage.getItem(`tieuchi/v1/framework-draft/${id}`)).doc.version, id);
    assert.equal(await stored(), '9');
    // …then the first, still on the older copy, is refused and says why.
    await b.page.getByTestId('meta-version').fill('2');
    await b.page.getByTestId('meta-version').dispatchEvent('change');
    assert.match(await b.page.getByTestId('edit-save-error').innerText(), /vừa được lưu ở một thẻ khác/);
    assert.equal(await stored(), '9', 'the newer copy is kept');
    await other.close();
  } finally {
    await b.close();
    await server.close();
  }
});
