// End-to-end: demo mode and the projector dashboard. One click loads the labelled sample
// (today's Cà Mau communes in 2026 under 51/2025, and former Bạc Liêu communes, 2016–2020); the charts' totals equal the matrix's; a sample commune
// compares two rounds; one click removes the sample and leaves a real assessment as it was.
// axe on the dashboard and the compare page; screenshots at 1366×768, 1024×768 and 768×1024.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, ready, a11y, OUT, newAssessment } from './harness.mjs';

test('sample data: charts add up to the matrix, two rounds compare, and removal touches nothing real', async () => {
  const server = await serve();
  const b = await launch({ width: 1366, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    const realId = await newAssessment(page, server.url);
    const real = await page.evaluate((id) => localStorage.getItem(`tieuchi/v1/assessment/${id}`), realId);
    await page.goto(server.url + '#/dashboard');
    await ready(page);
    await page.getByTestId('demo-load').click();
    await page.getByTestId('demo-banner').waitFor();
    // What the button did is said in the language shown, also after switching it.
    assert.match((await page.getByTestId('demo-message').innerText()).trim(), /^Đã tải hồ sơ mẫu: \d+$/);
    await page.getByTestId('lang-switch').click();
    // (English strings arrive with their chunk, a moment after the switch.)
    await page.getByTestId('demo-message').getByText(/^\s*Sample records loaded: \d+$/).waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('demo-message').getByText('Đã tải hồ sơ mẫu').waitFor();
    await page.getByTestId('dash-charts').waitFor();
    // In 2026 the dashboard opens on the set in force (today's Cà Mau communes); the 1980 rounds are history.
    assert.equal(await page.getByTestId('dash-framework').inputValue(), 'ntm-xa-2026-2030@51/2025-khung-tam');
    assert.match(await page.getByTestId('dash-scope').innerText(), /Tất cả các tỉnh · Lần mới nhất của mỗi xã · Máy tính bảng này/);
    await page.getByTestId('dash-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    await page.getByTestId('chart-criteria').getByTestId('chart-bar').nth(18).waitFor();
    const summary = await page.getByTestId('dash-summary').innerText();
    const n = Number(/\/(\d+) xã đã được công nhận/.exec(summary)[1]);
    assert.ok(n >= 40, summary);
    const sum = async (id) => Number(await page.getByTestId(id).getAttribute('data-sum'));
    assert.equal(await sum('chart-distribution'), n, 'every commune in one band');
    assert.equal(await sum('chart-stages'), n, 'every commune at one stage');
    const stageValues = await page.getByTestId('chart-stages').getByTestId('chart-bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.value)));
    const stageText = [...summary.matchAll(/: (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(stageValues, stageText.slice(-5), 'the stage chart says what the summary says');
    assert.equal(await page.getByTestId('chart-criteria').getByTestId('chart-bar').count(), 19);
    assert.match(await page.getByTestId('dash-charts').innerText(), /kết quả tạm tính/);
    // Filtered by stage, the table and its charts count only those communes.
    await page.getByTestId('dash-stage').selectOption('recognised');
    const recognised = stageValues[4];
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="chart-distribution"]').dataset.sum) === n, recognised);
    assert.equal(await sum('chart-stages'), recognised);
    await page.getByTestId('dash-stage').selectOption('');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="chart-distribution"]').dataset.sum) === n, n);
    // One round only: the communes assessed that year; printed as the province summary report.
    const in2016 = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/assessment/mau-') && k.endsWith('-2016')).length);
    await page.getByTestId('dash-round').selectOption('2016');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="chart-distribution"]').dataset.sum) === n, in2016);
    await page.emulateMedia({ media: 'print' });
    const pdf = `${OUT}/dashboard-2016.pdf`;
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const printed = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const want of ['DỮ LIỆU MẪU', 'Số xã theo số tiêu chí đạt', 'Tỷ lệ xã đạt từng tiêu chí', `/${in2016} xã đã được công nhận`]) {
      assert.ok(printed.includes(want), `the printed summary says “${want}”`);
    }
    assert.ok(!printed.includes('Tải dữ liệu mẫu'), 'no buttons on paper');
    await page.getByTestId('dash-round').selectOption('');
    assert.deepEqual(await a11y(page), [], 'dashboard accessibility');
    await page.screenshot({ path: `${OUT}/dashboard-demo-1366x768.png`, fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    const header = await page.locator('.ca-header').boundingBox();
    assert.ok(header.height <= 64, `the header takes ${header.height} px at 1024×768`);
    await page.screenshot({ path: `${OUT}/dashboard-demo-1024x768.png` });
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.screenshot({ path: `${OUT}/dashboard-demo-768x1024.png` });
    await page.setViewportSize({ width: 1024, height: 768 });

    // A sample commune assessed in 2020 and before: its rounds compared.
    const id = await page.evaluate(() => {
      const keys = Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/assessment/mau-'));
      const later = keys.find((k) => k.endsWith('-2020') && keys.includes(k.replace(/-2020$/, '-2018')));
      return later.slice('tieuchi/v1/assessment/'.length);
    });
    await page.goto(server.url + `#/a/${encodeURIComponent(id)}`);
    await page.getByTestId('demo-label').waitFor();
    await page.getByTestId('compare-link').click();
    await page.getByTestId('compare').waitFor();
    assert.match(await page.getByTestId('compare-summary').innerText(), /\d+ mới đạt · \d+ không còn đạt · \d+ giá trị thay đổi/);
    assert.ok(await page.getByTestId('compare-row').count() >= 19, 'at least every criterion');
    assert.deepEqual(await a11y(page), [], 'compare page accessibility');
    await page.screenshot({ path: `${OUT}/compare-1024x768.png` });
    for (const [w, h] of [[768, 1024], [1366, 768]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `${OUT}/compare-${w}x${h}.png` });
    }
    await page.setViewportSize({ width: 1024, height: 768 });

    // The gap list of the province: what the sample communes still lack, filtered, exported.
    await page.goto(server.url + '#/gaps');
    await page.getByTestId('gaps-table').waitFor();
    const lines = await page.getByTestId('gaps-row').count();
    assert.ok(lines > 0);
    assert.match(await page.getByTestId('gaps-count').innerText(), new RegExp(`^${lines} dòng · \\d+ xã`));
    await page.getByTestId('gaps-filter').fill('15.1');
    const filtered = await page.getByTestId('gaps-row').allInnerTexts();
    assert.ok(filtered.length > 0 && filtered.length < lines && filtered.every((r) => r.includes('15.1')));
    assert.ok(filtered.some((r) => /thiếu [\d\u00a0]+ \(số người có BHYT\) để đạt 85%/.test(r)), filtered[0]);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('gaps-csv').click()]);
    const text = (await import('node:fs')).readFileSync(await csv.path(), 'utf8');
    assert.ok(text.startsWith('\ufeff"Mã xã";"Tên xã"'), 'headings for people');
    assert.ok(text.includes('"Chưa đạt"') && !text.includes('chua_dat'), 'results in words');
    assert.ok(text.includes('[DỮ LIỆU MẪU] Xã'), 'sample lines say so');
    assert.deepEqual(await a11y(page), [], 'gap list accessibility');
    await page.screenshot({ path: `${OUT}/gaps-1024x768.png` });
    for (const [w, h] of [[768, 1024], [1366, 768]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `${OUT}/gaps-${w}x${h}.png` });
    }
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(server.url + '#/sync');
    await page.getByTestId('sync-status').waitFor();
    assert.deepEqual(await a11y(page), [], 'sync page accessibility');

    // The dashboard's exports for people: the communes shown, as CSV for Excel and as a workbook
    // whose archive unzip checks (CRC of every part) and whose sheet holds the same lines; and the
    // data CSV with its stable codes.
    await page.goto(server.url + '#/dashboard');
    await page.getByTestId('dash-charts').waitFor();
    await page.getByTestId('dash-tools').click();
    const [dcsv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-csv').click()]);
    const csvLines = (await import('node:fs')).readFileSync(await dcsv.path(), 'utf8').split('\r\n').filter(Boolean);
    const [dx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-xlsx').click()]);
    assert.match(dx.suggestedFilename(), /^ket-qua-.*\.xlsx$/);
    const xlsx = await dx.path();
    assert.match(execFileSync('unzip', ['-t', xlsx]).toString(), /No errors detected/);
    const sheet = execFileSync('unzip', ['-p', xlsx, 'xl/worksheets/sheet1.xml'], { maxBuffer: 64 << 20 }).toString('utf8');
    assert.equal((sheet.match(/<row /g) || []).length, csvLines.length, 'one sheet row per CSV line');
    assert.ok(sheet.includes('>[DỮ LIỆU MẪU] Xã'), 'sample lines say so, diacritics intact');
    const firstData = csvLines[1].split(';').map((f) => f.slice(1, -1));
    assert.ok(sheet.includes(`<v>${firstData[3]}</v>`), 'the year is a number');
    assert.ok(csvLines[0].includes('"Kết quả"') && sheet.includes('>Kết quả<'), 'Vietnamese headings');
    assert.ok(!sheet.includes('>chua_dat<') && sheet.includes('>Chưa đạt<'), 'results in words');
    const [dd] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-csv-data').click()]);
    assert.match(dd.suggestedFilename(), /^du-lieu-.*\.csv$/);
    const data = (await import('node:fs')).readFileSync(await dd.path(), 'utf8');
    assert.ok(data.startsWith('\ufeff"ma_xa","ten_xa","tinh","nam"'), 'the data CSV keeps its stable codes');
    assert.equal(data.split('\r\n').filter(Boolean).length, csvLines.length, 'the same lines');

    // Removing the sample leaves the real record as it was.
    await page.goto(server.url + '#/dashboard');
    await page.getByTestId('demo-remove').click();
    await page.getByTestId('demo-load').waitFor();
    assert.equal(await page.getByTestId('demo-banner').count(), 0);
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tieuchi/v1/assessment/')));
    assert.deepEqual(left, [`tieuchi/v1/assessment/${realId}`]);
    assert.equal(await page.evaluate((id) => localStorage.getItem(`tieuchi/v1/assessment/${id}`), realId), real);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
