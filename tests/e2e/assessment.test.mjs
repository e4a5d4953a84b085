// End-to-end: create an assessment for a former-Bạc-Liêu commune under 1980/QĐ-TTg (Mekong Delta
// thresholds), fill every indicator, see "đạt chuẩn" only when all 19 criteria are met, see a
// located inline message for bad input, and find every keystroke again after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serve, launch, ready, a11y, OUT, seedAssessments } from './harness.mjs';
import { assessment, full1980Answers } from '../../bench/gen.mjs';

/** Values that meet the Mekong Delta thresholds of each 1980 indicator, by kind of input. */
const LOW_IS_GOOD = new Set(['11', '15.3']);

async function fillCriterion(page) {
  for (const article of await page.locator('article.ca-indicator').all()) {
    const id = (await article.getAttribute('data-testid')).replace('indicator-', '');
    if (await article.getByTestId(`yes-${id}`).count()) {
      await article.getByTestId(`yes-${id}`).check();
    } else if (await article.getByTestId(`num-${id}`).count()) {
      const num = LOW_IS_GOOD.has(id) ? '0' : '14';
      await article.getByTestId(`num-${id}`).fill(num);
      await article.getByTestId(`den-${id}`).fill('14');
      if (await article.getByTestId(`part-${id}`).count()) await article.getByTestId(`part-${id}`).fill(num);
    } else if (await article.getByTestId(`value-${id}`).count()) {
      await article.getByTestId(`value-${id}`).fill('60,5');
    } else {
      throw new Error(`no input for ${id}`);
    }
  }
}

test('create, fill all 49 indicators, live verdicts, bad input, reload keeps everything', async () => {
  const server = await serve();
  const b = await launch({ width: 1024, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    await page.goto(server.url);
    await ready(page);
    assert.deepEqual(await a11y(page), [], 'home page accessibility');
    await page.getByTestId('new-assessment').click();
    await page.getByTestId('new-create').waitFor();
    assert.deepEqual(await a11y(page), [], 'new assessment page accessibility');
    // The 2016–2020 set (the page starts from the set in force today: 51/2025 since 15/02/2026).
    await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    await page.getByTestId('new-province').selectOption('1'); // Bạc Liêu 2019–2025
    await page.getByTestId('new-commune').selectOption('Xã Vĩnh Thanh');
    await page.getByTestId('new-round').fill('2019');
    assert.equal(await page.getByTestId('new-dimension').inputValue(), 'dbscl');
    await page.getByTestId('new-assessor').fill('Trần Thị B');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').waitFor();
    assert.match(await page.getByTestId('assessment-title').innerText(), /Vĩnh Thanh, Tỉnh Bạc Liêu · 2019 · Đồng bằng sông Cửu Long/);

    // The explanation of 15.1 with the example from the issue.
    await page.getByTestId('criterion-15').click();
    await page.getByTestId('num-15.1').fill('83');
    await page.getByTestId('den-15.1').fill('100');
    assert.equal(await page.getByTestId('explain-15.1').innerText(), '✗ Chưa đạt 15.1: 83% < 85% (Đồng bằng sông Cửu Long) → chưa đạt');

    // Invalid input: inline message, no verdict.
    await page.getByTestId('num-15.1').fill('120');
    assert.match(await page.getByTestId('explain-15.1').innerText(), /tử số lớn hơn mẫu số/);
    assert.match(await page.getByTestId('explain-15.1').innerText(), /Chưa xác định/);

    // Fill every criterion with values that meet the thresholds.
    for (let c = 1; c <= 19; c++) {
      await page.getByTestId(`criterion-${c}`).click();
      await fillCriterion(page);
    }
    await page.getByTestId('progress').getByText('49/49').waitFor();
    assert.match(await page.getByTestId('commune-verdict').innerText(), /Xã đạt đủ các tiêu chí — kết quả tạm tính/);
    assert.match(await page.getByTestId('progress').innerText(), /19\/19/);
    await page.screenshot({ path: `${OUT}/assessment-all-met-1024.png` });
    // Scrolled down to the last indicator of a long criterion, the commune's verdict is still in view.
    await page.getByTestId('criterion-17').click();
    await page.evaluate(() => {
      const body = document.querySelector('.ca-assess__body').getBoundingClientRect();
      window.scrollTo(0, window.scrollY + body.bottom - window.innerHeight);
    });
    assert.ok(await page.evaluate(() => window.scrollY) > 300, 'the page did scroll');
    const nv = await page.getByTestId('nav-verdict').boundingBox();
    assert.ok(nv && nv.y >= 0 && nv.y + nv.height <= 768, `verdict in view: ${JSON.stringify(nv)}`);
    assert.match(await page.getByTestId('nav-verdict').innerText(), /kết quả tạm tính · 19\/19/);
    await page.evaluate(() => window.scrollTo(0, 0));

    // One indicator below its Mekong Delta threshold (14.2: ≥ 80%) flips the commune.
    await page.getByTestId('criterion-14').click();
    await page.getByTestId('num-14.2').fill('79');
    await page.getByTestId('den-14.2').fill('100');
    assert.match(await page.getByTestId('explain-14.2').innerText(), /79% < 80% \(Đồng bằng sông Cửu Long\)/);
    assert.match(await page.getByTestId('commune-verdict').innerText(), /Xã chưa đạt chuẩn/);

    // "Only unmet" hides met indicators.
    await page.getByTestId('only-unmet').check();
    assert.equal(await page.getByTestId('indicator-14.1').isHidden(), true);
    assert.equal(await page.getByTestId('indicator-14.2').isVisible(), true);

    // Saved: reload and find the same state.
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    await page.reload();
    await ready(page);
    await page.getByTestId('criterion-14').click();
    assert.equal(await page.getByTestId('num-14.2').inputValue(), '79');
    assert.match(await page.getByTestId('commune-verdict').innerText(), /Xã chưa đạt chuẩn/);
    assert.match(await page.getByTestId('progress').innerText(), /49\/49/);

    assert.deepEqual(await a11y(page), [], 'assessment page accessibility');

    // Workflow: the 14.2 value is corrected, then submit → return with a reason → resubmit →
    // review (with a per-indicator comment) → appraise → recognise; the audit shows each step.
    await page.getByTestId('only-unmet').uncheck();
    await page.getByTestId('num-14.2').fill('80');
    assert.match(await page.getByTestId('commune-verdict').innerText(), /Xã đạt đủ các tiêu chí — kết quả tạm tính/);
    // Never a bare "đạt chuẩn": no bundled value is from the official text, and it says so.
    assert.match(await page.getByTestId('provisional-reason').innerText(), /Tạm tính vì: 49 chỉ tiêu quyết định kết quả có nội dung, ngưỡng chưa đối chiếu được với văn bản gốc/);
    const sign = async (name, title) => {
      await page.getByTestId('signer-name').fill(name);
      await page.getByTestId('signer-title').fill(title);
      await page.getByTestId('signer-title').press('Tab');
    };
    await sign('Trần Thị B', 'Công chức Văn phòng – thống kê xã');
    await page.getByTestId('wf-submit').click();
    await page.getByTestId('wf-stage').getByText('Đã nộp').waitFor();
    assert.equal(await page.getByTestId('readonly').isVisible(), true);
    assert.equal(await page.getByTestId('num-14.2').isDisabled(), true);

    await sign('Lê Văn C', 'Chuyên viên Sở Nông nghiệp và Môi trường');
    await page.getByTestId('review-comment-14.2').fill('Cần bản sao danh sách học sinh');
    await page.getByTestId('review-save-14.2').click();
    // Made while the dossier stands submitted, it is the review's (thẩm tra), not the appraisal's.
    assert.match(await page.getByTestId('review-note-14.2').innerText(), /^Ý kiến thẩm tra \(Lê Văn C\): Cần bản sao/);
    assert.match(await page.getByTestId('audit').innerText(), /Ý kiến thẩm tra 14\.2: Cần bản sao danh sách học sinh/);
    // A comment alone changes no verdict; the reviewer's own verdict changes the row, its
    // criterion and the commune's line at once (the page re-scores only what changed).
    assert.match(await page.getByTestId('explain-14.2').innerText(), /14\.2: 80% .*→ đạt$/);
    await page.getByTestId('review-comment-14.2').fill('Danh sách chỉ có 70%');
    await page.getByTestId('review-override-14.2').selectOption('not_met');
    await page.getByTestId('review-save-14.2').click();
    await page.getByTestId('explain-14.2').getByText('người thẩm tra\/thẩm định ghi nhận khác').waitFor();
    assert.match(await page.getByTestId('explain-14.2').innerText(), /14\.2: người thẩm tra\/thẩm định ghi nhận khác → chưa đạt \(kết quả tính: đạt\)/);
    assert.match(await page.getByTestId('criterion-14').innerText(), /Chưa đạt/);
    assert.match(await page.getByTestId('commune-verdict').innerText(), /Xã chưa đạt chuẩn/);
    await page.getByTestId('review-comment-14.2').fill('Đã bổ sung danh sách');
    await page.getByTestId('review-override-14.2').selectOption('met');
    await page.getByTestId('review-save-14.2').click();
    await page.getByTestId('commune-verdict').getByText('Xã đạt đủ các tiêu chí').waitFor();
    assert.match(await page.getByTestId('criterion-14').innerText(), /Đạt/);
    await page.getByTestId('wf-return').click();
    await page.getByTestId('wf-error').getByText('cần ghi lý do').waitFor();
    await page.getByTestId('wf-reason').fill('Thiếu minh chứng tiêu chí 14');
    await page.getByTestId('wf-return').click();
    await page.getByTestId('wf-stage').getByText('Bản nháp').waitFor();
    assert.equal(await page.getByTestId('num-14.2').isDisabled(), false);

    // Each stage is signed by someone else: the reviewer cannot also submit for the commune.
    await page.getByTestId('wf-submit').click();
    await page.getByTestId('wf-error').getByText(/người này đã ký bước thẩm tra/).waitFor();
    await sign('Trần Thị B', 'Công chức Văn phòng – thống kê xã');
    await page.getByTestId('wf-submit').click();
    await page.getByTestId('wf-stage').getByText('Đã nộp').waitFor();
    await page.getByTestId('wf-review').click();
    await page.getByTestId('wf-error').getByText(/người này đã ký bước xã tự đánh giá/).waitFor();
    await sign('Lê Văn C', 'Chuyên viên Sở Nông nghiệp và Môi trường');
    await page.getByTestId('wf-review').click();
    await sign('Hồ Thị E', 'Phó Giám đốc Sở Nông nghiệp và Môi trường');
    await page.getByTestId('wf-appraise').click();
    // Recognition waits for the conditions beyond the criteria (QĐ 2540/2016, secondary source).
    await sign('Nguyễn Văn F', 'Chủ tịch UBND tỉnh');
    assert.equal(await page.getByTestId('wf-recognise').isDisabled(), true);
    assert.match(await page.getByTestId('conditions-open').innerText(), /chưa xác nhận: 2/);
    assert.match(await page.getByTestId('condition-no_debt').innerText(), /Không có nợ đọng xây dựng cơ bản[\s\S]*⚠ nguồn thứ cấp/);
    await page.getByTestId('condition-check-registered').check();
    await page.getByTestId('condition-check-no_debt').check();
    await page.getByTestId('conditions-open').getByText('Đã xác nhận đủ').waitFor();
    // Recognition names the chair's decision: refused without it, nothing changes.
    await page.getByTestId('wf-recognise').click();
    assert.match(await page.getByTestId('wf-error').innerText(), /cần ghi số và ngày của quyết định công nhận/);
    assert.equal(await page.getByTestId('wf-stage').innerText(), 'Đã thẩm định');
    await page.getByTestId('wf-decision-number').fill('1234/QĐ-UBND');
    await page.getByTestId('wf-decision-date').fill('2020-11-20');
    await page.getByTestId('wf-recognise').click();
    await page.getByTestId('wf-stage').getByText('Đã công nhận').waitFor();
    assert.match(await page.getByTestId('audit').innerText(), /Công nhận đạt chuẩn: Đã thẩm định → Đã công nhận — Quyết định công nhận số 1234\/QĐ-UBND, 20\/11\/2020/);
    const audit = await page.getByTestId('audit').innerText();
    for (const step of ['Nộp hồ sơ tự đánh giá', 'Ý kiến thẩm tra 14.2: Cần bản sao danh sách học sinh', 'Trả lại', 'Thiếu minh chứng tiêu chí 14', 'Xác nhận thẩm tra', 'Xác nhận thẩm định', 'Xác nhận điều kiện: Không có nợ đọng', 'Công nhận đạt chuẩn']) {
      assert.ok(audit.includes(step), `audit shows ${step}:\n${audit}`);
    }
    // 9 steps and conditions, and the two reviewer's verdicts on 14.2.
    assert.equal(await page.getByTestId('audit-event').count(), 11);
    assert.match(audit, /Lê Văn C \(Chuyên viên Sở Nông nghiệp và Môi trường\) \[thẩm tra\]/);
    assert.match(audit, /Nguyễn Văn F \(Chủ tịch UBND tỉnh\) \[công nhận\]/);
    await page.reload();
    await ready(page);
    await page.getByTestId('wf-stage').getByText('Đã công nhận').waitFor();
    assert.equal(await page.getByTestId('audit-event').count(), 11);
    assert.match(await page.getByTestId('readonly').innerText(), /Đã công nhận đạt chuẩn — hồ sơ chỉ xem/);

    // Tablet portrait and phone layouts render the same page.
    for (const [w, h] of [[768, 1024], [1366, 1024], [390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `${OUT}/assessment-${w}x${h}.png` });
    }
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a units list imported from CSV offers its communes; a bad file is refused with its row', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url + '#/new');
    await ready(page);
    await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    const bad = `${OUT}/units-bad.csv`;
    fs.writeFileSync(bad, 'Tỉnh;Huyện;Mã;Tên;Loại\nTỉnh Hậu Giang;Huyện Long Mỹ;31471;Xã Vĩnh Viễn;Xã\nTỉnh Hậu Giang;Huyện Long Mỹ;;Ấp Một;Ấp\n');
    await page.getByTestId('units-file').setInputFiles(bad);
    assert.equal(await page.getByTestId('units-errors').innerText(), 'Dòng 3, cột “loai”: “Ấp” không phải xã/phường/thị trấn');
    const good = `${OUT}/units-good.csv`;
    fs.writeFileSync(good, '\ufeffTỉnh;Huyện;Mã;Tên;Loại\nTỉnh Hậu Giang;Huyện Long Mỹ;31471;Xã Vĩnh Viễn;Xã\nTỉnh Hậu Giang;Huyện Long Mỹ;31472;Xã Lương Tâm;Xã\n');
    await page.getByTestId('units-file').setInputFiles(good);
    await page.getByTestId('new-commune').selectOption('Xã Lương Tâm');
    await page.getByTestId('new-round').fill('2020');
    // The file names no region: none is assumed (it used to default to the Mekong Delta).
    assert.equal(await page.getByTestId('new-dimension').inputValue(), '');
    await page.getByTestId('new-create').click();
    await page.getByTestId('new-error').waitFor();
    await page.getByTestId('new-dimension').selectOption('dbscl');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').getByText('Xã Lương Tâm, Tỉnh Hậu Giang').waitFor();
    // A file that names its region gets it by default.
    await page.goto(server.url + '#/new');
    await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    const withRegion = `${OUT}/units-region.csv`;
    fs.writeFileSync(withRegion, 'Tỉnh;Mã;Tên;Loại;Vùng\nTỉnh Lào Cai;02800;Xã Bản Lầu;Xã;Trung du miền núi phía Bắc\n');
    await page.getByTestId('units-file').setInputFiles(withRegion);
    await page.getByTestId('new-commune').selectOption('Xã Bản Lầu');
    assert.equal(await page.getByTestId('new-dimension').inputValue(), 'tdmnpb');
    // Two communes of one name (in two former districts) are picked by their unit code.
    const twins = `${OUT}/units-twins.csv`;
    fs.writeFileSync(twins, 'Tỉnh;Huyện;Mã;Tên;Loại;Vùng\nTỉnh Thử;Huyện A;90001;Xã Vĩnh Thanh;Xã;dbscl\nTỉnh Thử;Huyện B;90002;Xã Vĩnh Thanh;Xã;dbscl\n');
    await page.getByTestId('units-file').setInputFiles(twins);
    await page.getByTestId('new-commune').selectOption('90002');
    await page.getByTestId('new-round').fill('2020');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').getByText('Xã Vĩnh Thanh, Tỉnh Thử').waitFor();
    const commune = await page.evaluate((id) => JSON.parse(localStorage.getItem(`tieuchi/v1/assessment/${id}`)).assessment.commune, decodeURIComponent(page.url().split('#/a/')[1]));
    assert.deepEqual([commune.code, commune.district], ['90002', 'Huyện B']);
    await page.reload();
    await ready(page);
    await page.goto(server.url + '#/new');
    assert.match(await page.getByTestId('new-province').innerText(), /Tỉnh Hậu Giang/);
  } finally {
    await b.close();
    await server.close();
  }
});

test('the 2026–2030 set ships provisional: it says what it lacks, and scores criterion by criterion', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url + '#/new');
    await ready(page);
    await page.getByTestId('new-framework').selectOption('ntm-xa-2026-2030@51/2025-khung-tam');
    assert.match(await page.getByTestId('unverified-census').innerText(), /10\/10 chỉ tiêu còn bị đánh dấu chưa xác minh .* 0\/10 chỉ tiêu đã đối chiếu với văn bản gốc/);
    assert.match(await page.getByTestId('framework-notes').innerText(), /KHUNG TẠM.*47 chỉ tiêu/s);
    await page.getByTestId('new-province').selectOption('1');
    await page.getByTestId('new-commune').selectOption('Xã Vĩnh Thanh');
    await page.getByTestId('new-round').fill('2026');
    await page.getByTestId('new-dimension').selectOption('nhom2');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').getByText('Xã nhóm 2').waitFor();
    assert.match(await page.getByTestId('unverified-census').innerText(), /10\/10/);
    for (let c = 1; c <= 10; c++) {
      await page.getByTestId(`criterion-${c}`).click();
      await page.getByTestId(`indicator-TC${c}`).getByTestId('unverified').waitFor();
      await page.getByTestId(`yes-TC${c}`).check();
    }
    assert.equal(await page.getByTestId('commune-verdict').innerText(), 'Xã đạt đủ các tiêu chí — kết quả tạm tính');
    assert.match(await page.getByTestId('provisional-reason').innerText(), /bộ tiêu chí tạm, thiếu bảng chỉ tiêu/);
    assert.match(await page.getByTestId('progress').innerText(), /10\/10 · 10\/10/);
    await page.getByTestId('criterion-5').click();
    await page.getByTestId('no-TC5').check();
    assert.equal(await page.getByTestId('commune-verdict').innerText(), 'Xã chưa đạt chuẩn');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('the home card never says a bare "Đạt" where the assessment page says the result is provisional', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    // Every 1980 indicator answered to meet the Mekong Delta thresholds: all 19 criteria met,
    // on values not yet checked against the official text.
    const met = assessment(7, { answers: full1980Answers() });
    const undecided = assessment(8);
    await seedAssessments(page, server.url, [met, undecided]);
    const row = page.getByTestId('assessment-list').locator('li', { hasText: 'Xã Thử 7' });
    await row.waitFor();
    assert.match(await row.textContent(), /19\/19/);
    assert.equal(await row.getByTestId('verdict').innerText(), '✓ Đạt (tạm tính)');
    const other = page.getByTestId('assessment-list').locator('li', { hasText: 'Xã Thử 8' });
    assert.equal(await other.getByTestId('verdict').innerText(), '… Chưa xác định');
    await row.getByTestId('assessment-link').click();
    assert.equal(await page.getByTestId('commune-verdict').innerText(), 'Xã đạt đủ các tiêu chí — kết quả tạm tính');
    // The same in English.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('assessment-list').getByText('✓ Met (provisional)').waitFor();
    // A criterion with one indicator (criterion 5, schools, among others) says "1 indicator".
    const list = await page.getByTestId('criteria-list').innerText();
    assert.match(list, /\(1 indicator\)/);
    assert.doesNotMatch(list, /\(1 indicators\)/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a units list not in force in the round\'s year is said beside the province, in both languages', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await page.clock.setFixedTime(new Date('2026-12-06T09:00:00+07:00'));
    await page.goto(server.url + '#/new');
    await ready(page);
    const warning = page.getByTestId('units-out-of-period');
    // 1980, round 2020, Bạc Liêu's list (11/09/2019 – 30/06/2025): in force, nothing said.
    await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    await page.getByTestId('new-province').selectOption('1');
    assert.equal(await warning.count(), 0);
    // The same list for a 2026–2030 round (this year's, 2026): its communes may no longer exist.
    await page.getByTestId('new-framework').selectOption('ntm-xa-2026-2030@51/2025-khung-tam');
    await warning.waitFor();
    assert.equal(await warning.innerText(), '⚠ Danh sách đơn vị hành chính này chỉ có hiệu lực 11/09/2019 – 30/06/2025, không gồm năm đánh giá 2026.');
    await page.screenshot({ path: `${OUT}/new-units-out-of-period-1024x768.png` });
    // Cà Mau's list (from 01/07/2025) is in force in 2026 ...
    await page.getByTestId('new-province').selectOption('0');
    assert.equal(await warning.count(), 0);
    // ... but not for a 2020 round, typed.
    await page.getByTestId('new-round').fill('2020');
    await warning.waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('units-out-of-period').getByText("This list of administrative units is in force only 01/07/2025 – now, which does not include the round's year 2020.").waitFor();
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a new assessment starts from the set, units list and round in force on the day, as the data says; a set picked by the officer stays', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  const defaults = async () => ({
    set: await page.getByTestId('new-framework').inputValue(),
    province: await page.getByTestId('new-province').inputValue(),
    round: await page.getByTestId('new-round').inputValue(),
  });
  try {
    // Today (the session's clock): 51/2025 in force since 15/02/2026, Cà Mau's list since 01/07/2025.
    await page.clock.setFixedTime(new Date('2026-12-06T09:00:00+07:00'));
    await page.goto(server.url + '#/new');
    await ready(page);
    // The bundled 51/2025 set comes in a chunk after the page: it becomes the default when in.
    await page.waitForFunction(() => document.querySelector('[data-testid="new-framework"]')?.value.startsWith('ntm-xa-2026-2030@'));
    assert.deepEqual(await defaults(), { set: 'ntm-xa-2026-2030@51/2025-khung-tam', province: '0', round: '2026' });
    assert.equal(await page.getByTestId('units-out-of-period').count(), 0, 'no out-of-period warning for the defaults');
    await page.screenshot({ path: `${OUT}/new-defaults-2026-1024x768.png` });
    // The officer picks the old set: it stays, with its last round.
    await page.getByTestId('new-framework').selectOption('ntm-xa-2016-2020@1980/2016');
    await page.waitForFunction(() => document.querySelector('[data-testid="new-round"]')?.value === '2020');
    assert.deepEqual(await defaults(), { set: 'ntm-xa-2016-2020@1980/2016', province: '0', round: '2020' });

    // A month before 51/2025 took effect, 318 still applied (its period over: its last round).
    await page.clock.setFixedTime(new Date('2026-01-10T09:00:00+07:00'));
    await page.goto('about:blank');
    await page.goto(server.url + '#/new');
    await ready(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="new-framework"]')?.value.startsWith('ntm-xa-2021-2025@'));
    assert.deepEqual(await defaults(), { set: 'ntm-xa-2021-2025@318/2022-khung-tam', province: '0', round: '2025' });

    // In 2019: 1980 and Bạc Liêu's list, before the merger.
    await page.clock.setFixedTime(new Date('2019-10-01T09:00:00+07:00'));
    await page.goto('about:blank');
    await page.goto(server.url + '#/new');
    await ready(page);
    // Every bundled set is in (the later ones come in a chunk): the default no longer moves.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="new-framework"] option').length >= 3);
    assert.deepEqual(await defaults(), { set: 'ntm-xa-2016-2020@1980/2016', province: '1', round: '2019' });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
