// End-to-end: the printable commune report. A fully answered 1980 assessment, signed through
// submit and review, printed to PDF by headless Chromium (A4, print CSS); pdftotext reads back
// the Vietnamese text, every criterion, the gaps and the signatures; the page count is stated.
// The results CSV downloads with a BOM and reads back with its diacritics. axe on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { serve, launch, ready, a11y, OUT, seedAssessments } from './harness.mjs';
import { assessment, full1980Answers } from '../../bench/gen.mjs';

test('the commune report prints to A4 with every criterion, the gaps and the signatures, and exports CSV', async () => {
  const server = await serve();
  const b = await launch({ width: 1024, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    const answers = full1980Answers();
    answers['15.1'] = { t: 'pair', v: ['10.500', '14.600'] }; // 71,9% < 85%: 1 910 short
    const env = assessment(0, { answers });
    env.assessment.commune = { code: '31882', name: 'Xã Vĩnh Thanh', province: 'Tỉnh Bạc Liêu' };
    env.assessment.round = 2019;
    env.assessment.entries['1.1'].source_ref = 'QĐ 12/QĐ-UBND ngày 05/3/2018';
    env.assessment.workflow = {
      stage: 'reviewed', reviews: { '15.1': { comment: 'Đề nghị bổ sung danh sách hộ', by: { name: 'Lê Văn C', title: 'Chuyên viên Sở' }, at: 1764200000000 } },
      audit: [
        { at: 1764000000000, by: { name: 'Trần Thị B', title: 'Công chức Văn phòng – thống kê xã' }, role: 'commune', kind: { type: 'stage', from: 'draft', to: 'submitted', step: { type: 'submit' } } },
        { at: 1764050000000, by: { name: 'Lê Văn C', title: 'Chuyên viên Sở Nông nghiệp và Môi trường' }, role: 'reviewer', kind: { type: 'stage', from: 'submitted', to: 'draft', step: { type: 'return', reason: 'Thiếu biên bản họp dân' } } },
        { at: 1764100000000, by: { name: 'Trần Thị B', title: 'Công chức Văn phòng – thống kê xã' }, role: 'commune', kind: { type: 'stage', from: 'draft', to: 'submitted', step: { type: 'submit' } } },
        { at: 1764200000000, by: { name: 'Lê Văn C', title: 'Chuyên viên Sở Nông nghiệp và Môi trường' }, role: 'reviewer', kind: { type: 'stage', from: 'submitted', to: 'reviewed', step: { type: 'review' } } },
      ],
      conditions: [],
    };
    await seedAssessments(page, server.url, [env], `#/a/${env.assessment.id}`);
    await page.getByTestId('report-link').click();
    await page.getByTestId('report').waitFor();
    assert.deepEqual(await a11y(page), [], 'report page accessibility');
    assert.equal(await page.getByTestId('report-row').count(), 49);
    // Dates as the audit writes them (dd/mm/yyyy), never ISO.
    assert.match(await page.getByTestId('report-date').innerText(), /^\d{2}\/\d{2}\/\d{4}$/);
    // One card per signed step in the order signed: the return between the two submissions has
    // its card and reason, and the second submission says it is the second.
    const cards = (await page.getByTestId('report-sign').allInnerTexts()).map((c) => c.replace(/\s+/g, ' '));
    assert.equal(cards.length, 4, cards.join(' | '));
    assert.match(cards[0], /^Nộp hồ sơ tự đánh giá → Đã nộp/);
    assert.match(cards[1], /^Trả lại → Bản nháp .*Lý do trả lại: Thiếu biên bản họp dân/);
    assert.match(cards[2], /^Nộp hồ sơ tự đánh giá \(lần 2\) → Đã nộp/);
    assert.match(cards[3], /^Xác nhận thẩm tra → Đã thẩm tra .*Lê Văn C/);
    await page.screenshot({ path: `${OUT}/report-1024x768.png` });
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.screenshot({ path: `${OUT}/report-768x1024.png` });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: `${OUT}/report-1366x768.png` });

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.ca-header').isVisible(), false, 'no app header on paper');
    const pdf = `${OUT}/report.pdf`;
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    // Reading order (not -layout): a cell's text stays together when it wraps.
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
    console.log(`# report of a 49-indicator assessment: ${pages} A4 pages`);
    assert.ok(pages >= 2 && pages <= 8, `${pages} pages`); // 7 today at 8.5 pt
    for (const want of ['Xã Vĩnh Thanh, Tỉnh Bạc Liêu', 'Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2016–2020', 'Đã thẩm tra',
      'Trần Thị B', 'Lê Văn C', 'Chuyên viên Sở Nông nghiệp và Môi trường', 'QĐ 12/QĐ-UBND ngày 05/3/2018',
      'Đề nghị bổ sung danh sách hộ', 'Chữ ký các bước', 'Nhật ký']) {
      assert.ok(text.includes(want), `the PDF says “${want}”`);
    }
    assert.match(text, /thiếu 1 910 \(số người có BHYT\) để đạt 85%/);
    for (let c = 1; c <= 19; c++) assert.match(text, new RegExp(`Tiêu chí ${c} —`), `criterion ${c} is printed`);
    assert.match(text, /Nộp hồ sơ tự đánh giá \(lần 2\)/);
    // Below the last line of the last page the paper is white (the page's grey filled it).
    execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', String(pages), '-l', String(pages), pdf, `${OUT}/report-last`]);
    const pgm = fs.readdirSync(OUT).filter((f) => /^report-last.*\.pgm$/.test(f)).map((f) => `${OUT}/${f}`)[0];
    const [, w, h] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(fs.readFileSync(pgm).subarray(0, 40).toString('latin1')).map(Number);
    const px = fs.readFileSync(pgm).subarray(-w * h);
    const inked = (y) => px.subarray(y * w, (y + 1) * w).some((v) => v < 200);
    let last = h - 1;
    while (last > 0 && !inked(last)) last--;
    const below = px.subarray((last + 2) * w);
    const grey = below.filter((v) => v < 252).length;
    assert.equal(grey, 0, `the last page is not white below its last line (${grey} of ${below.length} pixels grey)`);
    fs.rmSync(pgm);
    await page.emulateMedia({ media: 'screen' });

    // CSV for Excel, for people: BOM, Vietnamese headings and words, one line per indicator.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines.length, 50);
    assert.match(lines[0], /^"Mã xã";"Tên xã";"Tỉnh\/thành phố";"Năm đánh giá"/);
    assert.match(lines.find((l) => l.includes('"15.1"')), /"31882";"Xã Vĩnh Thanh";"Tỉnh Bạc Liêu";"2019";.*"10\.500 \/ 14\.600";"71,92";"%";.*"Chưa đạt";.*"Đã thẩm tra";"\d\d\/\d\d\/\d{4}"/);
    // The data CSV keeps the stable codes, comma-separated (docs/data-formats.md).
    const [data] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv-data').click()]);
    const dataLines = fs.readFileSync(await data.path(), 'utf8').slice(1).split('\r\n').filter(Boolean);
    assert.match(dataLines[0], /^"ma_xa","ten_xa","tinh","nam"/);
    assert.match(dataLines.find((l) => l.includes('"15.1"')), /"31882","Xã Vĩnh Thanh","Tỉnh Bạc Liêu","2019",.*"10\.500 \/ 14\.600",.*"chua_dat","reviewed"/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
