// End-to-end: the guide ("Hướng dẫn"). It is in the header of every page, works offline and
// under a sub-path, is axe-clean, and prints as an A4 booklet with its contents (read back with
// pdftotext). Every term and warning the app shows links to the guide's paragraph about it: a
// walk through the pages fails on a term without a "?" in its place (its section, panel or
// header); a "?" opens that paragraph beside the page and closing it leaves the officer where
// they were. A new tablet is welcomed once. Screenshots at 1024×768.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { serve, launch, ready, a11y, OUT, seedAssessments, controlled } from './harness.mjs';
import { assessment, full1980Answers } from '../../bench/gen.mjs';

// The terms the app shows, by the guide paragraph that explains them.
const TERMS = {
  'tam-tinh': /tạm tính/i,
  'chua-xac-minh': /chưa xác minh/i,
  'khung-tam': /\bbộ tạm\b|khung tạm/i,
  'tham-tra': /thẩm tra|thẩm định/i,
  'xung-dot': /xung đột/i,
  'khong-xem-xet': /không xem xét/i,
  nguon: /nguồn thứ cấp|chưa tìm thấy/i,
  'nhom-xa': /nhóm xã/i,
};

/** The terms on the page shown without a link to their paragraph in the same place. */
async function unexplained(page) {
  return page.evaluate((terms) => {
    const missing = [];
    const walker = document.createTreeWalker(document.querySelector('#main'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('.ca-guide, [data-testid="help-panel"], script, style, option') || !el.getClientRects().length) continue;
      for (const [id, src] of Object.entries(terms)) {
        if (!new RegExp(src, 'i').test(n.textContent)) continue;
        const place = el.closest('[data-help-scope], section, aside, nav, header, main');
        if (!place || !place.querySelector(`a[data-guide="${id}"]`)) {
          missing.push(`${id}: “${n.textContent.trim().slice(0, 70)}” in ${place ? place.tagName.toLowerCase() + (place.className ? '.' + place.className.split(' ')[0] : '') : '?'}`);
        }
      }
    }
    return [...new Set(missing)];
  }, Object.fromEntries(Object.entries(TERMS).map(([k, v]) => [k, v.source])));
}

test('every term the pages show links to its paragraph of the guide, which opens beside the page', async () => {
  const server = await serve();
  const b = await launch({ width: 1024, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    // A new tablet: welcomed once, never blocked.
    await page.goto(server.url);
    await ready(page);
    await page.getByTestId('welcome').waitFor();
    assert.deepEqual(await a11y(page), [], 'home with the welcome');
    await page.screenshot({ path: `${OUT}/welcome-1024x768.png` });
    assert.equal(await page.getByTestId('new-assessment').isVisible(), true, 'the welcome does not cover the page');
    await page.getByTestId('welcome-dismiss').click();
    await page.reload();
    await ready(page);
    assert.equal(await page.getByTestId('welcome').count(), 0, 'dismissed for good');

    const full = assessment(0, { answers: full1980Answers() });
    const env2026 = assessment(1, { fwId: 'ntm-xa-2026-2030', fwVersion: '51/2025', answers: {} });
    await seedAssessments(page, server.url, [full], '#/dashboard');
    await page.getByTestId('demo-load').click();
    await page.getByTestId('demo-banner').waitFor();
    const pages = [
      ['#/', 'criteria-list'],
      ['#/dashboard', 'dash-charts'],
      [`#/a/${full.assessment.id}`, 'workflow'],
      [`#/a/${full.assessment.id}/report`, 'report'],
      [`#/a/${full.assessment.id}/roster`, 'roster-summary'],
      [`#/a/${full.assessment.id}/conflict`, null],
      ['#/new', null],
      ['#/frameworks', null],
      ['#/gaps', null],
      ['#/training', null],
      ['#/data', null],
      ['#/sync', 'sync-status'],
    ];
    const gaps = [];
    let checked = 0;
    for (const [hash, wait] of pages) {
      await page.goto(server.url + hash);
      await ready(page);
      if (wait) await page.getByTestId(wait).first().waitFor();
      await page.waitForTimeout(300);
      for (const g of await unexplained(page)) gaps.push(`${hash} — ${g}`);
      checked += 1;
    }
    assert.deepEqual(gaps, [], `terms without a link to the guide:\n${gaps.join('\n')}`);
    console.log(`# ${checked} pages walked, ${Object.keys(TERMS).length} terms`);

    // One tap on "?" opens the paragraph beside the page; closing returns to the same place.
    await page.goto(server.url + `#/a/${full.assessment.id}`);
    await page.getByTestId('workflow').waitFor();
    const help = page.locator('a[data-guide="tam-tinh"]').first();
    await help.scrollIntoViewIfNeeded();
    const y = await page.evaluate(() => window.scrollY);
    await help.click();
    await page.getByTestId('help-panel').getByText(/Kết quả "tạm tính" là kết quả tính theo các ngưỡng/).waitFor();
    assert.equal(page.url(), server.url + `#/a/${full.assessment.id}`, 'the page stays');
    assert.deepEqual(await a11y(page), [], 'help panel');
    await page.screenshot({ path: `${OUT}/help-panel-1024x768.png` });
    await page.keyboard.press('Escape');
    await page.getByTestId('help-panel').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => window.scrollY), y, 'the same place');
    // The focus goes back to the "?" pressed, once the panel's frame is gone.
    await page.waitForFunction(() => document.activeElement?.dataset.guide === 'tam-tinh' && document.activeElement.hasAttribute('data-return-point'), null, { timeout: 5000 });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('the guide: in every header, offline under a sub-path, in English, printed as an A4 booklet', async () => {
  const server = await serve(undefined, '/tieuchi/');
  const b = await launch({ width: 1024, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    await controlled(page);
    // Nothing of the guide on the first screen; both languages in the worker's precache.
    const pageFetched = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /guide\./.test(e.name)).map((e) => e.name));
    assert.deepEqual(pageFetched, [], 'the page fetched no guide before it was opened');
    const guideBytes = server.log.filter((x) => /^guide\.(vi|en)\.md$/.test(x.path));
    assert.deepEqual(guideBytes.map((x) => x.path).sort(), ['guide.en.md', 'guide.vi.md'], 'precached once each');
    console.log(`# the guide in the precache: ${guideBytes.reduce((s, x) => s + x.bytes, 0)} B`);
    await b.context.setOffline(true);
    await page.reload();
    await ready(page);
    await page.getByTestId('nav-guide').click();
    await page.getByTestId('guide-toc').waitFor();
    const toc = await page.getByTestId('guide-toc').locator('li').allInnerTexts();
    assert.ok(toc.length >= 9, toc.join(' | '));
    assert.deepEqual(await a11y(page), [], 'guide page');
    await page.screenshot({ path: `${OUT}/guide-1024x768.png` });
    // A section by its address.
    await page.goto(server.url + '#/guide/nhap-so');
    await page.locator('#g-nhap-so').waitFor();
    assert.match(await page.locator('article[data-testid="guide"]').innerText(), /`?10\.500`? là mười nghìn năm trăm/);
    await page.getByTestId('lang-switch').click();
    await page.getByText('A dot separates thousands').waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByText('Dấu chấm ngăn hàng nghìn').waitFor();

    await page.emulateMedia({ media: 'print' });
    const pdf = `${OUT}/guide.pdf`;
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
    console.log(`# the guide prints on ${pages} A4 pages, ${toc.length} sections`);
    assert.ok(text.startsWith('Hướng dẫn sử dụng Tiêu chí') || text.includes('Mục lục'), text.slice(0, 200));
    for (const t of toc) assert.ok(text.includes(t), `the booklet has “${t}”`);
    assert.ok(pages >= toc.length, `each section on its own page: ${pages} pages`);
    assert.ok(!text.includes('Đánh giá xã nông thôn mới Đánh giá'), 'no app header on paper');
    assert.deepEqual(b.errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED/.test(e)), []);
  } finally {
    await b.close();
    await server.close();
  }
});
