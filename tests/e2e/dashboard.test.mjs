// End-to-end: the leaders' dashboard shows communes × criteria of a criteria set (latest round of
// each commune), counts per criterion, filters by province, and links to each assessment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, a11y, seedAssessments, OUT } from './harness.mjs';
import { assessment, full1980Answers } from '../../bench/gen.mjs';

test('dashboard: provinces × criteria, then a province\'s communes × criteria (latest round), totals, links', async () => {
  const server = await serve();
  const b = await launch({ width: 1366, height: 1024 }, { bypassCSP: true });
  const page = b.page;
  try {
    const full = full1980Answers();
    const partial = Object.fromEntries(Object.entries(full).slice(0, 10)); // criteria 1–4 answered
    const met = assessment(0, { answers: full }); // Xã Thử 0, Bạc Liêu: every criterion met
    const old = assessment(1, { answers: partial }); // Xã Thử 1, Cà Mau, 2020
    const newer = assessment(3, { answers: full }); // same commune, 2021: the one shown
    newer.assessment.commune = { ...old.assessment.commune };
    newer.assessment.round = 2021;
    newer.assessment.entries['15.1'] = { answer: { t: 'pair', v: ['50', '100'] } }; // 15 not met
    const other = assessment(2, { answers: partial }); // Xã Thử 2, Bạc Liêu
    await seedAssessments(page, server.url, [met, old, newer, other], '#/dashboard');
    // All provinces: how many communes of each meet each criterion (latest round per commune).
    await page.getByTestId('dash-provinces').waitFor();
    // A draft that meets every criterion is not "đạt chuẩn": only recognition is.
    assert.match(await page.getByTestId('dash-summary').innerText(), /^0\/3 xã đã được công nhận đạt chuẩn · 1\/3 xã đạt đủ tiêu chí .* · Bản nháp: 3 · .*Đã công nhận: 0$/);
    const provinces = await page.getByTestId('dash-province-row').allInnerTexts();
    assert.equal(provinces.length, 2);
    assert.match(provinces[0], /^Tỉnh Bạc Liêu\s+· 2 xã\s+2\/2/);
    assert.match(provinces[0], /\s1\/2\s+0\/2$/);
    assert.match(provinces[1], /^Tỉnh Cà Mau\s+· 1 xã\s+1\/1/);
    assert.match(provinces[1], /\s0\/1\s+0\/1$/);
    assert.deepEqual(await a11y(page), [], 'dashboard (provinces) accessibility');
    await page.screenshot({ path: `${OUT}/dashboard-provinces-1366.png`, fullPage: true });

    // One province: its communes × criteria; Cà Mau shows the 2021 round, not 2020.
    await page.getByTestId('dash-province-row').filter({ hasText: 'Tỉnh Cà Mau' }).getByRole('button').click();
    await page.getByTestId('dash-matrix').waitFor();
    assert.equal(await page.getByTestId('dash-province').inputValue(), 'Tỉnh Cà Mau');
    assert.equal(await page.getByTestId('dash-row').count(), 1, 'one row per commune');
    assert.match(await page.getByTestId('dash-row').innerText(), /Xã Thử 1\s+Tỉnh Cà Mau · 2021/);
    // Cells carry a mark and a spoken label, not colour alone.
    const cell = page.getByTestId('dash-row').locator('td').nth(14);
    assert.equal(await cell.innerText(), '✗');
    assert.match(await cell.getAttribute('aria-label'), /Tiêu chí 15: chưa đạt/);

    await page.getByTestId('dash-province').selectOption('Tỉnh Bạc Liêu');
    assert.equal(await page.getByTestId('dash-row').count(), 2);
    assert.match(await page.getByTestId('dash-summary').innerText(), /^0\/2 .* · 1\/2 /);
    assert.match(await page.getByTestId('dash-row').filter({ hasText: 'Xã Thử 0' }).innerText(), /Đủ tiêu chí \(tạm tính\) — chưa công nhận/);
    // Totals: criterion 1 met by both, criterion 15 only by Xã Thử 0.
    const totals = await page.getByTestId('dash-totals').locator('td').allInnerTexts();
    assert.equal(totals[0], '2/2');
    assert.equal(totals[14], '1/2');
    assert.deepEqual(await a11y(page), [], 'dashboard (communes) accessibility');
    await page.screenshot({ path: `${OUT}/dashboard-1366.png`, fullPage: true });
    await page.getByTestId('dash-row').filter({ hasText: 'Xã Thử 2' }).getByRole('link').click();
    await page.getByTestId('assessment-title').getByText('Xã Thử 2').waitFor();
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('home lists the latest 100 assessments, then more on request', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await seedAssessments(page, server.url, Array.from({ length: 120 }, (_, i) => assessment(i)));
    const cards = page.getByTestId('assessment-list').locator('li');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 100);
    // Newest first: bench-119 was saved last. Cards are `content-visibility: auto`: innerText
    // is empty while the browser skips one, so read textContent.
    assert.match(await cards.first().textContent(), /Xã Thử 119/);
    await page.getByTestId('home-more').click();
    await cards.nth(119).waitFor(); // the next twenty render after the click, not within it
    assert.equal(await cards.count(), 120);
    assert.equal(await page.getByTestId('home-more').count(), 0);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('dashboard lists a province\'s communes a hundred at a time, then more on request', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    // 210 communes alternate between two provinces: 105 each.
    await seedAssessments(page, server.url, Array.from({ length: 210 }, (_, i) => assessment(i)), '#/dashboard');
    await page.getByTestId('dash-province').selectOption('Tỉnh Cà Mau');
    const rows = page.getByTestId('dash-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 100);
    await page.getByTestId('dash-more').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="dash-row"]').length === 105);
    assert.equal(await page.getByTestId('dash-more').count(), 0);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
