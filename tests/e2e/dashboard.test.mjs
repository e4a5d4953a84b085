// End-to-end: the leaders' dashboard shows communes × criteria of a criteria set (latest round of
// each commune), counts per criterion, filters by province, and links to each assessment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, ready, a11y, OUT } from './harness.mjs';
import { assessment, full1980Answers } from '../../bench/gen.mjs';

test('dashboard: communes × criteria, latest round, totals, province filter, links', async () => {
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
    await page.goto(server.url + '#/data');
    await ready(page);
    await page.evaluate((list) => {
      for (const e of list) localStorage.setItem(`tieuchi/v1/assessment/${e.assessment.id}`, JSON.stringify(e));
    }, [met, old, newer, other]);
    await page.goto('about:blank');
    await page.goto(server.url + '#/dashboard');
    await ready(page);
    await page.getByTestId('dash-matrix').waitFor();

    assert.equal(await page.getByTestId('dash-row').count(), 3, 'one row per commune');
    assert.match(await page.getByTestId('dash-summary').innerText(), /^1\/3 xã đạt chuẩn/);
    const rows = await page.getByTestId('dash-row').allInnerTexts();
    assert.match(rows.join('\n'), /Xã Thử 1 Tỉnh Cà Mau · 2021/);
    assert.doesNotMatch(rows.join('\n'), /· 2020 ·.*Tỉnh Cà Mau|Tỉnh Cà Mau · 2020/);
    // Totals: criterion 1 met by all three, criterion 15 only by Xã Thử 0.
    const totals = await page.getByTestId('dash-totals').locator('td').allInnerTexts();
    assert.equal(totals[0], '3/3');
    assert.equal(totals[14], '1/3');
    // Cells carry a mark and a spoken label, not colour alone.
    const cell = page.getByTestId('dash-row').filter({ hasText: 'Xã Thử 1' }).locator('td').nth(14);
    assert.equal(await cell.innerText(), '✗');
    assert.match(await cell.getAttribute('aria-label'), /Tiêu chí 15: chưa đạt/);
    assert.deepEqual(await a11y(page), [], 'dashboard accessibility');
    await page.screenshot({ path: `${OUT}/dashboard-1366.png`, fullPage: true });

    await page.getByTestId('dash-province').selectOption('Tỉnh Bạc Liêu');
    assert.equal(await page.getByTestId('dash-row').count(), 2);
    assert.match(await page.getByTestId('dash-summary').innerText(), /^1\/2 /);
    await page.getByTestId('dash-row').filter({ hasText: 'Xã Thử 2' }).getByRole('link').click();
    await page.getByTestId('assessment-title').getByText('Xã Thử 2').waitFor();
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
