// End-to-end: the app opens, shows the criteria set in force on the day in Vietnamese, switches
// to English, and the choice survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, ready, OUT } from './harness.mjs';

test('criteria list in Vietnamese, switch to English, choice persists', async () => {
  const server = await serve();
  const b = await launch();
  try {
    // In 2019 the set in force was 1980/QĐ-TTg (19 criteria) ...
    await b.page.clock.setFixedTime(new Date('2019-10-01T09:00:00+07:00'));
    await b.page.goto(server.url);
    await ready(b.page);
    const list = b.page.getByTestId('criteria-list');
    await list.waitFor();
    assert.equal(await b.page.getByTestId('criterion').count(), 19);
    assert.match(await list.innerText(), /Giao thông/);
    assert.match(await list.innerText(), /Hệ thống chính trị và tiếp cận pháp luật/);
    assert.match(await b.page.getByTestId('framework-in-force').locator('h2').innerText(), /^Bộ tiêu chí đang áp dụng: .*2016–2020$/);
    // ... today it is 51/2025/QĐ-TTg (10 criteria, in force since 15/02/2026), provisional.
    await b.page.clock.setFixedTime(new Date('2026-12-06T09:00:00+07:00'));
    await b.page.reload();
    await ready(b.page);
    assert.equal(await b.page.getByTestId('criterion').count(), 10);
    assert.match(await list.innerText(), /Hạ tầng kinh tế - xã hội/);
    assert.match(await b.page.getByTestId('framework-in-force').locator('h2').innerText(), /2026–2030 — KHUNG TẠM/);
    assert.equal(await b.page.getAttribute('html', 'lang'), 'vi');

    await b.page.getByTestId('lang-switch').click();
    await b.page.getByText('Economic and social infrastructure').first().waitFor();
    assert.equal(await b.page.getAttribute('html', 'lang'), 'en');

    await b.page.reload();
    await ready(b.page);
    await b.page.getByText('Economic and social infrastructure').first().waitFor();
    assert.match(await b.page.getByTestId('framework-in-force').locator('h2').innerText(), /^Criteria set in force: /);
    assert.match(await b.page.getByTestId('nav-home').innerText(), /Assessments/);
    assert.equal(await b.page.getAttribute('html', 'lang'), 'en');
    await b.page.screenshot({ path: `${OUT}/foundation-en.png`, fullPage: false });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
