// End to end: a 2026 assessment of a Cà Mau commune under the rules in force (issue #30). The
// commune group comes from the units data (or is picked, with a note), a ward is asked about, a
// roster of the commune's job positions is judged under the 2025 period with each source level
// shown (an old title is asked to be placed), those below the standard are listed for training,
// and the communes it was formed from show their last results beside it, nothing inherited.
// Run: node --test --test-concurrency=1 tests/e2e/rules2026.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serve, launch, ready, OUT, newAssessment } from './harness.mjs';

const HEADER = 'Họ và tên;Chức danh;Năm sinh;Giáo dục phổ thông;Chuyên môn;Ngành;Lý luận chính trị;Tin học;Quản lý nhà nước;Ngày bổ nhiệm;Vùng khó khăn';
const ROWS = [
  // Professional positions of the new commune (Decree 150/2025 bodies).
  'Nguyễn Văn An;Công chức chuyên môn – Phòng Kinh tế;1985;THPT;Đại học;Kinh tế;;;;01/02/2020;không',
  'Trần Thị Bé;Công chức chuyên môn – Phòng Văn hóa – Xã hội;1990;THPT;Cao đẳng;;;;;01/06/2021;không',
  'Lâm Văn Cừ;Công chức chuyên môn – Văn phòng HĐND và UBND;1992;THPT;Trung cấp;;;;;01/06/2021;có',
  // A title of before 07/2025, as last year's list had it.
  'Phạm Thị Dung;Tài chính – kế toán;1988;THPT;Đại học;Kế toán;;;;01/01/2015;không',
  // A leader: the values of the standard were not found.
  'Lê Văn Em;Chủ tịch UBND;1975;THPT;Đại học;;Cao cấp / cử nhân;;;01/07/2025;không',
];

test('a 2026 Cà Mau assessment: group from the data, roster by job position, predecessors side by side', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await page.clock.setFixedTime(new Date('2026-12-06T09:00:00+07:00'));
    // A predecessor's record of 2020 (former Bạc Liêu), made as it was then.
    const oldId = await newAssessment(page, server.url, { province: '1', commune: 'Xã Vĩnh Hậu A', round: '2020' });
    await page.getByTestId('criterion-1').click();
    await page.getByTestId('yes-1.1').check();

    // The new-assessment page: 51/2025, Cà Mau; the group of Vĩnh Hậu comes from the data.
    await page.goto(server.url + '#/new');
    await ready(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="new-framework"]')?.value.startsWith('ntm-xa-2026-2030@'));
    // A round the officer typed stays when the province changes (it was reset to the default).
    await page.getByTestId('new-round').fill('2027');
    await page.getByTestId('new-province').selectOption('1');
    await page.getByTestId('new-province').selectOption('0');
    assert.equal(await page.getByTestId('new-round').inputValue(), '2027');
    await page.getByTestId('new-round').fill('2026');
    await page.getByTestId('new-commune').selectOption('Xã Tân Thuận');
    assert.match(await page.getByTestId('new-group').innerText(), /chưa có nhóm của xã này: chọn nhóm theo quyết định của tỉnh/);
    assert.match(await page.getByTestId('new-group-note').innerText(), /02354\/QĐ-UBND.*CHƯA TÌM THẤY/s);
    await page.getByTestId('new-commune').selectOption('Xã Vĩnh Hậu');
    await page.waitForFunction(() => document.querySelector('[data-testid="new-dimension"]')?.value === 'nhom3');
    assert.match(await page.getByTestId('new-group').innerText(), /Nhóm xã theo dữ liệu đơn vị hành chính: Xã nhóm 3 — chưa xác minh\. QĐ 02354\/QĐ-UBND/);
    await page.getByTestId('new-group-note').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/new-group-2026-1024x768.png` });

    // A ward is listed apart and asked about once, not refused.
    await page.getByTestId('new-commune').selectOption('Phường Vĩnh Trạch');
    await page.getByTestId('new-dimension').selectOption('nhom2');
    await page.getByTestId('new-create').click();
    assert.match(await page.getByTestId('new-ward').innerText(), /Phường Vĩnh Trạch: là phường, không thuộc phạm vi đánh giá xã nông thôn mới/);
    assert.ok(page.url().endsWith('#/new'), 'nothing made yet');
    await page.screenshot({ path: `${OUT}/new-ward-asked-1024x768.png` });

    await page.getByTestId('new-commune').selectOption('Xã Vĩnh Hậu');
    await page.waitForFunction(() => document.querySelector('[data-testid="new-dimension"]')?.value === 'nhom3');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').waitFor();
    assert.match(await page.getByTestId('assessment-title').innerText(), /Xã Vĩnh Hậu, Tỉnh Cà Mau · 2026 · Xã nhóm 3/);

    // The roster of job positions, judged under the 2025 period.
    await page.getByTestId('roster-header-link').click();
    await page.getByTestId('roster-period').getByText('vị trí việc làm của xã (từ 01/7/2025)').waitFor();
    assert.match(await page.getByTestId('roster-census').innerText(), /0 văn bản gốc · 4 nguồn thứ cấp · 13 chưa tìm thấy/);
    assert.match(await page.getByTestId('roster-unbound').innerText(), /chưa có chỉ tiêu gắn với danh sách cán bộ/);
    const csv = `${OUT}/roster-2026.csv`;
    fs.writeFileSync(csv, '\ufeff' + [HEADER, ...ROWS].join('\r\n') + '\r\n');
    await page.getByTestId('roster-csv').setInputFiles(csv);
    await page.getByTestId('roster-import-confirm').click();
    const rows = page.getByTestId('roster-row');
    assert.equal(await rows.count(), 5);
    const standing = async (i) => (await rows.nth(i).getByTestId('roster-standing').innerText()).replace(/\s+/g, ' ');
    assert.match(await standing(0), /✓ Đạt.*chuẩn từ nguồn thứ cấp/);
    assert.match(await standing(1), /✗ Chưa đạt.*Chuyên môn, nghiệp vụ: Cao đẳng < Đại học/);
    // In post when the commune was formed, in a difficult area: five years, to 01/07/2030.
    assert.match(await standing(2), /Trong thời hạn chuẩn hóa đến 2030-07-01/);
    assert.match(await standing(3), /Chức danh trước quy định này — chọn vị trí việc làm tương ứng/);
    assert.match(await standing(4), /Chưa có chuẩn cho chức danh này.*chưa tìm thấy văn bản quy định mức chuẩn/);
    assert.match(await page.getByTestId('roster-summary').innerText(), /Cán bộ, công chức đạt chuẩn: 2\/3 đạt chuẩn/);
    await page.screenshot({ path: `${OUT}/roster-2026-1024x768.png`, fullPage: true });
    // The old title offers the positions in force; placing the person ends the question.
    await rows.nth(3).getByLabel('Chức danh').selectOption('cc_kinh_te');
    assert.match(await standing(3), /✓ Đạt/);
    assert.equal(await page.getByTestId('roster-old-title').count(), 0);
    assert.match(await page.getByTestId('roster-summary').innerText(), /3\/4/);

    // Those below the standard, and the training they need, across the province.
    await page.goto(server.url + '#/training');
    await page.getByTestId('training-province').selectOption('Tỉnh Cà Mau');
    await page.getByTestId('training-list').getByText('Trần Thị Bé').waitFor();
    assert.match(await page.getByTestId('training-list').innerText(), /Chuyên môn, nghiệp vụ: Đại học[\s\S]*Trần Thị Bé — Công chức chuyên môn – Phòng Văn hóa – Xã hội, Xã Vĩnh Hậu/);

    // The predecessors' last results beside it; nothing inherited.
    await page.goBack();
    await page.goBack();
    const newId = decodeURIComponent(page.url().split('#/a/')[1].split('/')[0]);
    await page.goto(server.url + `#/a/${encodeURIComponent(newId)}/report`);
    const preds = page.getByTestId('predecessors');
    await preds.waitFor();
    assert.match(await preds.innerText(), /Xã mới không kế thừa kết quả đạt chuẩn/);
    await preds.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/report-predecessors-1024x768.png` });
    const predRows = preds.getByTestId('predecessor-row');
    assert.equal(await predRows.count(), 3);
    assert.match(await predRows.nth(1).innerText(), /Xã Vĩnh Hậu A \(Huyện Hoà Bình\)\s+2020\s+1980\/2016\s+Bản nháp\s+\d+\/19/);
    assert.match(await predRows.nth(2).innerText(), /Xã Vĩnh Thịnh \(Huyện Hoà Bình\)\s+chưa có hồ sơ trên máy này/);
    await preds.getByRole('link', { name: /Xã Vĩnh Hậu A/ }).click();
    await page.waitForFunction((id) => decodeURIComponent(location.hash).includes(id), oldId);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('"không xem xét" where guidance allows it: counted as its source says, said so in the report and CSV', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    const id = await newAssessment(page, server.url, { province: '1', commune: 'Xã Vĩnh Hậu A', round: '2020' });
    await page.getByTestId('criterion-7').click();
    // Before: the officer had to type a false "no".
    await page.getByTestId('no-7').check();
    assert.match(await page.getByTestId('explain-7').innerText(), /Chưa đạt\s+7: chưa đạt$/);
    // The workflow speaks of the two-level government and says what was not found.
    assert.match(await page.getByTestId('wf-two-level').innerText(), /không còn cấp huyện.*chưa tìm thấy.*Chủ tịch UBND tỉnh quyết định công nhận/s);
    // Indicator 1.1 has no such case: nothing offered.
    assert.equal(await page.getByTestId('not-assessed-1.1').count(), 0);
    const box = page.getByTestId('not-assessed-7');
    assert.match(await box.innerText(), /Không xem xét: Xã không có cơ sở hạ tầng thương mại nông thôn trong quy hoạch/);
    await box.locator('input').check();
    assert.match(await page.getByTestId('explain-7').innerText(), /7: không xem xét — Xã không có cơ sở hạ tầng thương mại nông thôn trong quy hoạch → tính là đạt \(QĐ 4800\/QĐ-BCT/);
    assert.equal(await page.getByTestId('no-7').isDisabled(), true, 'the kept answer is not edited meanwhile');
    await page.screenshot({ path: `${OUT}/not-assessed-1024x768.png` });
    await page.goto(server.url + `#/a/${encodeURIComponent(id)}/report`);
    await page.getByTestId('report').waitFor();
    assert.match(await page.getByTestId('report').innerText(), /Không xem xét/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv-data').click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.match(csv, /"7","7","Không xem xét",.*"khong_xem_xet"/);
    const [people] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
    assert.match(fs.readFileSync(await people.path(), 'utf8'), /"7";"7";"[^"]*";"Không xem xét";.*"Không xem xét"/);
    // Unticked: the kept answer is scored again.
    await page.goBack();
    await page.getByTestId('criterion-7').click();
    await page.getByTestId('not-assessed-7').locator('input').uncheck();
    assert.match(await page.getByTestId('explain-7').innerText(), /Chưa đạt\s+7: chưa đạt$/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
