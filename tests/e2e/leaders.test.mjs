// End-to-end (#33): the leaders' room. With the sample, the dashboard opens on the set in force
// (51/2025 over today's Cà Mau communes) with the headline first at 1366×768 and 1920×1080, every
// criterion of the matrix in view without scrolling sideways, and present mode paged by keyboard
// and printed as A4 landscape slides. Against pouchdb-server: 3,300 generated communes × 2 rounds
// in 34 province databases replicated into the national one, the dashboard drawn from its
// roll-up views (figures checked against the generator's own counts), kept and dated offline,
// a hostile view answer refused with its row; and a tablet's own record reaching its province's
// views through the guard with the summary the app wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, ready, a11y, controlled, OUT } from './harness.mjs';
import { startCouch } from '../sync/server.mjs';
import { nationalDocs, expectedTotals, seedProvinces, replicateToNational, queryViews, createRollupDb, NATIONAL_DB } from '../sync/national.mjs';
import { syncSteps } from './sync-steps.mjs';

const SET_51 = 'ntm-xa-2026-2030@51/2025-khung-tam';
const big = async (page, id) => Number((await page.getByTestId(id).locator('.ca-kpi__big').innerText()).trim().replaceAll('.', ''));

/** The headline's four numbers. */
async function headline(page) {
  return {
    recognised: await big(page, 'kpi-recognised'),
    met: await big(page, 'kpi-met'),
    progress: await big(page, 'kpi-progress'),
    draft: await big(page, 'kpi-draft'),
  };
}

/** Whether the matrix (or table) scrolls sideways. */
const scrollsSideways = (page) => page.locator('.ca-matrix__wrap').evaluate((e) => e.scrollWidth > e.clientWidth + 1);

test('the sample: headline first at 1366×768 and 1920×1080, every criterion in view, present mode by keyboard, printed as slides', async () => {
  const server = await serve();
  const b = await launch({ width: 1366, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    await page.goto(server.url + '#/dashboard');
    await ready(page);
    await page.getByTestId('demo-load').click();
    await page.getByTestId('dash-headline').waitFor();
    assert.equal(await page.getByTestId('dash-framework').inputValue(), SET_51, 'the set in force first');
    // The oracle: the sample's 2026 records as stored, counted here (51/2025 is ten yes/no
    // criteria: a record meets them all when every answer is "yes").
    const stored = await page.evaluate(() => Object.keys(localStorage)
      .filter((k) => k.startsWith('tieuchi/v1/assessment/mau-') && k.endsWith('-2026'))
      .map((k) => JSON.parse(localStorage.getItem(k)).assessment));
    assert.ok(stored.length >= 50, `${stored.length} communes of Cà Mau`);
    assert.ok(stored.every((a) => a.commune.province === 'Tỉnh Cà Mau' && a.framework_version === '51/2025-khung-tam'));
    const allYes = (a) => Array.from({ length: 10 }, (_, i) => a.entries[`TC${i + 1}`]?.answer?.v).every((v) => v === true);
    const stage = (a) => a.workflow?.stage || 'draft';
    const want = {
      recognised: stored.filter((a) => stage(a) === 'recognised').length,
      met: stored.filter(allYes).length,
      progress: stored.filter((a) => ['submitted', 'reviewed', 'appraised'].includes(stage(a))).length,
      draft: stored.filter((a) => stage(a) === 'draft').length,
    };
    assert.ok(want.recognised > 0 && want.met > want.recognised && want.draft > 0, JSON.stringify(want));
    assert.deepEqual(await headline(page), want);
    assert.match(await page.getByTestId('kpi-met').innerText(), /tạm tính/, 'a provisional set says so');
    assert.match(await page.getByTestId('dash-demo-label').innerText(), /DỮ LIỆU MẪU/);
    // Commune groups: the five communes the units list places in group 3 are counted there.
    const groups = await page.getByTestId('kpi-groups').innerText();
    assert.match(groups, /Xã nhóm 3\s+5 xã/);

    // The first screen is the headline, with the charts starting in it; nothing scrolls sideways.
    for (const [w, h] of [[1366, 768], [1920, 1080]]) {
      await page.setViewportSize({ width: w, height: h });
      const kpis = await page.getByTestId('dash-headline').boundingBox();
      assert.ok(kpis.y + kpis.height <= h, `${w}×${h}: the headline ends at ${kpis.y + kpis.height} px`);
      const charts = await page.getByTestId('chart-stages').boundingBox();
      assert.ok(charts.y < h - 150, `${w}×${h}: the charts start at ${charts.y} px`);
      const header = await page.locator('.ca-header').boundingBox();
      assert.ok(header.height <= 64, `${w}×${h}: the header takes ${header.height} px`);
      assert.equal(await scrollsSideways(page), false, `${w}×${h}: 51/2025 matrix`);
      await page.screenshot({ path: `${OUT}/leaders-${w}x${h}.png` });
    }
    assert.deepEqual(await a11y(page), [], 'dashboard (1920×1080) accessibility');
    // The 19 criteria of 1980 too, province by province and commune by commune, at 1366 px.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('dash-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    // (The sample's history is one province, Bạc Liêu before the merger: its communes at once.)
    await page.getByTestId('dash-matrix').waitFor();
    assert.equal(await page.getByTestId('dash-matrix').locator('thead th').count(), 1 + 19 + 2);
    assert.equal(await scrollsSideways(page), false, '1980 communes × 19 criteria');
    await page.screenshot({ path: `${OUT}/leaders-1980-matrix-1366x768.png`, fullPage: true });
    await page.getByTestId('dash-framework').selectOption(SET_51);
    await page.getByTestId('dash-province').selectOption('');
    await page.getByTestId('dash-headline').waitFor();

    // Present mode: the summary, each criterion's share, then the communes still short.
    await page.getByTestId('present-open').click();
    const deck = page.getByTestId('present');
    await deck.waitFor();
    const where = async () => (await page.getByTestId('present-where').innerText()).trim();
    const total = Number((await where()).split('/')[1]);
    const short = stored.filter((a) => !allYes(a)).length;
    assert.equal(total, 2 + Math.ceil(short / 5), `summary, criteria, ${short} communes still short five a slide`);
    const current = deck.locator('.ca-slide--current');
    assert.match(await current.innerText(), /Tổng quan — NTM xã 2026–2030/);
    assert.match(await current.innerText(), new RegExp(`${want.recognised}\\s+Đã công nhận đạt chuẩn`));
    await page.screenshot({ path: `${OUT}/present-1-1366x768.png` });
    await page.keyboard.press('PageDown'); // a clicker's "next"
    assert.equal(await where(), `2/${total}`);
    assert.equal(await current.getByTestId('chart-bar').count(), 10);
    await page.keyboard.press('ArrowRight');
    assert.equal(await where(), `3/${total}`);
    const first = await current.getByTestId('slide-short').first().innerText();
    const name = first.split(' · ')[0];
    const record = stored.find((a) => a.commune.name === name);
    assert.ok(record && !allYes(record), `${name} is still short`);
    const lacking = Array.from({ length: 10 }, (_, i) => i + 1).filter((i) => record.entries[`TC${i}`]?.answer?.v !== true);
    assert.match(first, new RegExp(`^\\s*${lacking[0]}\\. `, 'm'), `the first criterion ${name} lacks is named: ${first}`);
    await page.screenshot({ path: `${OUT}/present-3-1366x768.png` });
    await page.keyboard.press('End');
    assert.equal(await where(), `${total}/${total}`);
    await page.keyboard.press('ArrowRight');
    assert.equal(await where(), `${total}/${total}`, 'no page after the last');
    await page.keyboard.press('Home');
    assert.equal(await where(), `1/${total}`);
    await page.keyboard.press('PageUp');
    assert.equal(await where(), `1/${total}`);
    assert.deepEqual(await a11y(page), [], 'present mode accessibility');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `${OUT}/present-1-1920x1080.png` });
    await page.setViewportSize({ width: 1366, height: 768 });
    // Printed: one A4 landscape page per slide, nothing else of the page.
    await page.emulateMedia({ media: 'print' });
    const pdf = `${OUT}/present-slides.pdf`;
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    assert.equal(Number(/Pages:\s+(\d+)/.exec(info)[1]), total, info);
    const [pw, ph] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info).slice(1).map(Number);
    assert.ok(Math.abs(pw - 841.9) < 2 && Math.abs(ph - 595.3) < 2, `A4 landscape: ${pw}×${ph}`);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    assert.ok(text.includes('Tổng quan') && text.includes('Tỷ lệ xã đạt từng tiêu chí') && text.includes('DỮ LIỆU MẪU'));
    assert.ok(!text.includes('Tải dữ liệu mẫu') && !text.includes('Trang sau'), 'no buttons on the slides');
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', pdf, `${OUT}/present-slides`]);
    // Esc leaves, and the page is as it was.
    await page.keyboard.press('Escape');
    assert.equal(await deck.count(), 0);
    assert.deepEqual(await headline(page), want);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('the national view: 3,300 communes × 2 rounds from CouchDB views, kept and dated offline, a hostile answer refused; a tablet\'s record through the guard', async () => {
  const app = await serve();
  const origin = new URL(app.url).origin;
  const couch = await startCouch({ origin });
  const { connect, syncNow, create2026, answer } = syncSteps(() => app.url);
  const b = await launch({ width: 1366, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    // 34 generated provinces (labelled "Tỉnh Thử NN", communes "Xã thử …"), replicated into the
    // national database, readable by the national viewer role only.
    const data = nationalDocs({ communes: 3300, rounds: [2025, 2026] });
    await seedProvinces(couch, data);
    await replicateToNational(couch, data);
    const sec = await couch.admin('PUT', `/${NATIONAL_DB}/_security`, { members: { names: [], roles: ['quoc_gia'] }, admins: { names: [], roles: [] } });
    assert.equal(sec.status, 200, sec.text);
    await couch.admin('PUT', '/_users/org.couchdb.user:qg1', { _id: 'org.couchdb.user:qg1', name: 'qg1', password: 'pw-qg1', type: 'user', roles: ['quoc_gia', 'tinh_96'] });
    // The views are built before a leader asks (docs/sync-server.md: warm them after replication).
    const t0 = Date.now();
    await queryViews(couch, NATIONAL_DB);
    console.log(`national views built in ${Date.now() - t0} ms (pouchdb-server, 6,600 documents)`);

    await connect(page, couch.url, 'qg1', 'pw-qg1');
    await page.goto(app.url + '#/dashboard');
    await ready(page);
    await controlled(page);
    const fetched = [];
    page.on('response', async (r) => { if (r.url().includes('/_view/')) fetched.push((await r.body()).length); });
    await page.getByTestId('dash-source').selectOption('nation');
    await page.getByTestId('dash-server-provinces').waitFor({ timeout: 60000 });
    // No round chosen: the newest the server holds.
    const want = expectedTotals(data, { round: 2026 });
    const w = want.stages;
    assert.deepEqual(await headline(page), {
      recognised: w.recognised, met: want.all_met, progress: w.submitted + w.reviewed + w.appraised, draft: w.draft,
    });
    assert.equal(await page.getByTestId('dash-server-province').count(), 34);
    const bars = await page.getByTestId('chart-criteria').getByTestId('chart-bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.value)));
    assert.deepEqual(bars, Array.from({ length: 10 }, (_, i) => want.criteria[String(i + 1)] || 0));
    const line = await page.getByTestId('dash-source-line').innerText();
    assert.match(line, /số liệu lấy lúc \d\d:\d\d \d\d\/\d\d\/\d{4} · tieuchi_national · tài khoản qg1 · \d+ KB · thay đổi mới nhất trên máy chủ/);
    assert.match(await page.getByTestId('dash-scope').innerText(), /Tất cả các tỉnh · 2026 · Máy chủ — toàn quốc/);
    const bytes = fetched.reduce((s, n) => s + n, 0);
    console.log(`national dashboard: ${fetched.length} view answers, ${bytes} bytes`);
    assert.equal(fetched.length, 2, 'two views: communes and saved');
    assert.ok(bytes > 0 && bytes <= 500 * 1024, `${bytes} bytes of views`);
    await page.screenshot({ path: `${OUT}/leaders-national-1366x768.png` });
    await page.setViewportSize({ width: 1920, height: 1080 });
    assert.equal(await scrollsSideways(page), false);
    await page.screenshot({ path: `${OUT}/leaders-national-1920x1080.png` });
    await page.setViewportSize({ width: 1366, height: 768 });
    assert.deepEqual(await a11y(page), [], 'national dashboard accessibility');

    // One round, one province, one group: the generator's counts again.
    await page.getByTestId('dash-round').selectOption('2025');
    await page.getByTestId('dash-province').selectOption('Tỉnh Thử 07');
    await page.getByTestId('dash-group').selectOption('nhom2');
    const one = expectedTotals(data, { round: 2025, province: 'Tỉnh Thử 07', group: 'nhom2' });
    await page.waitForFunction((n) => document.querySelector('[data-testid="kpi-draft"] .ca-kpi__big')?.textContent.trim() === String(n), one.stages.draft);
    assert.deepEqual(await headline(page), {
      recognised: one.stages.recognised, met: one.all_met, progress: one.stages.submitted + one.stages.reviewed + one.stages.appraised, draft: one.stages.draft,
    });
    // And by stage: the recognised dossiers of that slice, each criterion counted among them only.
    await page.getByTestId('dash-stage').selectOption('recognised');
    const rec = expectedTotals(data, { round: 2025, province: 'Tỉnh Thử 07', group: 'nhom2', stage: 'recognised' });
    await page.waitForFunction((n) => document.querySelector('[data-testid="kpi-recognised"] .ca-kpi__big')?.textContent.trim() === String(n)
      && document.querySelector('[data-testid="kpi-draft"] .ca-kpi__big')?.textContent.trim() === '0', rec.records);
    const recBars = await page.getByTestId('chart-criteria').getByTestId('chart-bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.value)));
    assert.deepEqual(recBars, Array.from({ length: 10 }, (_, i) => rec.criteria[String(i + 1)] || 0));
    await page.getByTestId('dash-stage').selectOption('');
    await page.getByTestId('dash-round').selectOption('');
    await page.getByTestId('dash-province').selectOption('');
    await page.getByTestId('dash-group').selectOption('');

    // Present mode from the server: the summary and the provinces, twelve a slide.
    await page.getByTestId('present-open').click();
    assert.equal(await page.getByTestId('present-where').innerText(), `1/${2 + Math.ceil(34 / 12) + 1}`);
    await page.keyboard.press('Escape');

    // Out of reach: the last figures stay, dated, and the page says why.
    await b.context.setOffline(true);
    await page.getByTestId('dash-refresh').click();
    await page.getByTestId('dash-source-line').getByText('Không lấy được số liệu từ máy chủ').waitFor();
    assert.match(await page.getByTestId('dash-source-line').innerText(), /đang hiện số liệu đã lấy lúc \d\d:\d\d \d\d\/\d\d\/\d{4}/);
    assert.equal((await headline(page)).recognised, w.recognised, 'the last figures are still shown');
    await page.screenshot({ path: `${OUT}/leaders-national-offline-1366x768.png` });
    // After a reload offline too (kept on this tablet).
    await page.reload();
    await ready(page);
    await page.getByTestId('dash-source').selectOption('nation');
    await page.getByTestId('dash-source-line').getByText('đang hiện số liệu đã lấy lúc').waitFor();
    assert.equal((await headline(page)).met, want.all_met);
    await b.context.setOffline(false);

    // A hostile answer: refused with its row, and the figures kept are not replaced.
    const hostile = (rows) => (r) => r.fulfill({
      status: 200, contentType: 'application/json',
      headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' },
      body: JSON.stringify({ rows }),
    });
    const good = { key: [SET_51, 2026, 'Tỉnh Thử 01', 'nhom2', 'draft', 10], value: [3, 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] };
    await page.route(/_view\/communes/, hostile([good, { key: ['x'], value: [1e9] }]));
    await page.getByTestId('dash-refresh').click();
    await page.getByTestId('dash-source-line').getByText(/Dòng 2 của bảng tổng hợp trên máy chủ không đúng dạng \(key\)/).waitFor();
    assert.equal((await headline(page)).met, want.all_met);
    // Counts for another number of criteria than the set has (a forged or foreign summary).
    await page.unroute(/_view\/communes/);
    await page.route(/_view\/communes/, hostile([good, { ...good, value: [1, 1, 0, 1, 1] }]));
    await page.getByTestId('dash-refresh').click();
    await page.getByTestId('dash-source-line').getByText(/Dòng 2 của bảng tổng hợp trên máy chủ không đúng dạng \(value\)/).waitFor();
    assert.equal((await headline(page)).met, want.all_met, 'the figures kept are not replaced');
    await page.unroute(/_view\/communes/);
    // A summary listing another number of criteria (written by hand, or by another version) is a
    // row of its own: left out, counted and said, and the rest is drawn.
    await page.route(/_view\/communes/, hostile([good, { ...good, key: [...good.key.slice(0, 5), 3], value: [7, 0, 0, 1, 1, 1] }]));
    await page.getByTestId('dash-refresh').click();
    await page.getByTestId('dash-left-out').getByText(/^7 hồ sơ trên máy chủ có bản tóm tắt không khớp/).waitFor();
    assert.deepEqual(await headline(page), { recognised: 0, met: 0, progress: 0, draft: 3 });
    await page.unroute(/_view\/communes/);
    await page.getByTestId('dash-refresh').click();
    await page.getByTestId('dash-source-line').getByText(/^số liệu lấy lúc/).waitFor();

    // A commune's tablet: its record reaches the province's views with the summary the app
    // wrote, accepted by the guard.
    const t = await launch();
    try {
      await connect(t.page, couch.url, 'xa1', 'pw-xa1');
      const id = await create2026(t.page);
      await answer(t.page, 1, true);
      await answer(t.page, 2, false);
      await syncNow(t.page);
      const doc = (await couch.admin('GET', `/tieuchi_p96/${encodeURIComponent('assessment:' + id)}`)).body;
      assert.deepEqual(doc.summary, {
        v: 1, set: SET_51, round: 2026, province: doc.assessment.commune.province, commune: doc.assessment.commune.code ?? null,
        group: 'nhom2', stage: 'draft', met: ['1'], criteria: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
        all_met: false, provisional: true,
      });
      await t.page.goto(app.url + '#/dashboard');
      await t.page.getByTestId('dash-source').selectOption('province');
      // A province database set up before the roll-up existed: the page says what to run.
      await t.page.getByTestId('dash-source-line').getByText('máy chủ không có bảng tổng hợp của cơ sở dữ liệu tieuchi_p96 (_design/rollup)').waitFor();
      await createRollupDb(couch, 'tieuchi_p96');
      await t.page.getByTestId('dash-refresh').click();
      await t.page.getByTestId('dash-server-provinces').waitFor();
      assert.deepEqual(await headline(t.page), { recognised: 0, met: 0, progress: 0, draft: 1 });
      assert.match(await t.page.getByTestId('dash-source-line').innerText(), /tieuchi_p96 · tài khoản xa1/);
      // The national database is not this account's: refused, said in Vietnamese, nothing drawn.
      // (CouchDB 3 answers a non-member 403, "no permission"; pouchdb-server answers 401, which
      // reads as a session to renew.)
      await t.page.getByTestId('dash-source').selectOption('nation');
      await t.page.getByTestId('dash-source-line').getByText(/Không lấy được số liệu từ máy chủ: (tài khoản không có quyền với cơ sở dữ liệu này|chưa đăng nhập hoặc phiên đăng nhập đã hết hạn)/).waitFor();
      assert.equal(await t.page.getByTestId('dash-headline').count(), 0);
    } finally {
      await t.close();
    }
    // The browser logs each refused or unreachable request (offline, the sync marker's first
    // 404); anything else logged is the app's and fails the test.
    assert.deepEqual(b.errors.filter((e) => !/^Failed to load resource|Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(e)), []);
  } finally {
    await b.close();
    await couch.stop();
    await app.close();
  }
});
