// End-to-end: numbers typed the Vietnamese way, and the first minutes on a new assessment. In
// a count field "10.500" is ten thousand five hundred and the page says how it was read; in a decimal field "52.500" is asked about, never
// guessed; negatives, a decimal count and a numerator above its denominator are errors with no
// verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, ready, OUT, newAssessment, fillNewAssessment } from './harness.mjs';

test('numbers as officers type them: thousands dots, decimal commas, ambiguity asked', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await newAssessment(page, server.url);

    // 15.1: people with health insurance / population — counts.
    await page.getByTestId('criterion-15').click();
    await page.getByTestId('num-15.1').fill('10.500');
    await page.getByTestId('den-15.1').fill('11800'); // one written with a dot, one without
    assert.equal(await page.getByTestId('reading-15.1').innerText(), '= 10\u00a0500 / 11\u00a0800');
    assert.match(await page.getByTestId('explain-15.1').innerText(), /15\.1: 88,98% ≥ 85% .*→ đạt/);
    await page.getByTestId('num-15.1').fill('12.000');
    assert.match(await page.getByTestId('explain-15.1').innerText(), /tử số lớn hơn mẫu số → chưa xác định/);
    await page.getByTestId('num-15.1').fill('10,5');
    assert.match(await page.getByTestId('explain-15.1').innerText(), /phải là số nguyên/);
    await page.getByTestId('num-15.1').fill('-5');
    assert.match(await page.getByTestId('explain-15.1').innerText(), /không được âm/);

    // 17.1: two conditions over total households — hygienic water, and of it clean water
    // (ĐBSCL: ≥ 95%, of which ≥ 65%). Both decide.
    await page.getByTestId('criterion-17').click();
    await page.getByTestId('num-17.1').fill('9.600');
    await page.getByTestId('den-17.1').fill('10.000');
    assert.match(await page.getByTestId('explain-17.1').innerText(), /cần nhập cả số “trong đó” → chưa xác định/);
    await page.getByTestId('part-17.1').fill('6.000');
    assert.equal(await page.getByTestId('reading-17.1').innerText(), '= 9\u00a0600 / 10\u00a0000 (trong đó 6\u00a0000)');
    assert.match(await page.getByTestId('explain-17.1').innerText(), /17\.1: 96% ≥ 95%; Trong đó: số hộ dùng nước sạch 60% < 65% .*→ chưa đạt/);
    await page.getByTestId('part-17.1').fill('7.000');
    assert.match(await page.getByTestId('explain-17.1').innerText(), /17\.1: 96% ≥ 95%; Trong đó: số hộ dùng nước sạch 70% ≥ 65% .*→ đạt/);
    await page.getByTestId('part-17.1').fill('9.700');
    assert.match(await page.getByTestId('explain-17.1').innerText(), /số “trong đó” lớn hơn tử số → chưa xác định/);
    await page.getByTestId('part-17.1').fill('7.000');
    await page.locator('#ind-17-1').screenshot({ path: `${OUT}/water-17-1-1024x768.png` });

    // 10: income in million đồng — a decimal field.
    await page.getByTestId('criterion-10').click();
    await page.getByTestId('value-10').fill('-5');
    assert.match(await page.getByTestId('explain-10').innerText(), /không được âm → chưa xác định/);
    await page.getByTestId('value-10').fill('52.500');
    assert.match(await page.getByTestId('explain-10').innerText(), /“52\.500” là 52\u00a0500 hay 52,5\? Chọn cách đọc đúng → chưa xác định/);
    await page.screenshot({ path: `${OUT}/number-ambiguous-1024x768.png` });
    await page.getByTestId('read-decimal-10').click();
    assert.equal(await page.getByTestId('value-10').inputValue(), '52,5');
    assert.match(await page.getByTestId('explain-10').innerText(), /10: 52,5 ≥ 50 .*→ đạt/);
    assert.equal(await page.getByTestId('choose-10').count(), 0);
    await page.getByTestId('value-10').fill('83.5');
    assert.match(await page.getByTestId('explain-10').innerText(), /10: 83,5 ≥ 50/);
    assert.equal(await page.getByTestId('reading-10').innerText(), '= 83,5');
    // Typed in đồng where the unit is millions: asked with both readings, never scored.
    await page.getByTestId('value-10').fill('45.000.000');
    assert.match(
      await page.getByTestId('explain-10').innerText(),
      /45\u00a0000\u00a0000 nằm ngoài khoảng hợp lý \(1 – 1\u00a0000 triệu đồng\/người\/năm\): có phải 45\u00a0000\u00a0000 đồng = 45 triệu đồng\/người\/năm\?.*→ chưa xác định/,
    );
    await page.getByTestId('read-rescaled-10').click();
    assert.equal(await page.getByTestId('value-10').inputValue(), '45');
    assert.match(await page.getByTestId('explain-10').innerText(), /10: 45 < 50 \(Đồng bằng sông Cửu Long\) → chưa đạt/);
    assert.equal(await page.getByTestId('read-rescaled-10').count(), 0);
    await page.getByTestId('value-10').fill('1.234,5');
    assert.match(await page.getByTestId('explain-10').innerText(), /1\u00a0234,5 nằm ngoài khoảng hợp lý.*kiểm tra đơn vị.*→ chưa xác định/);
    assert.equal(await page.getByTestId('read-rescaled-10').count(), 0, 'no reading in range: nothing offered');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('a new assessment opens at its top, the skip link reaches the first answer, a yes/no answer clears', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await fillNewAssessment(page, server.url);
    await page.getByTestId('new-create').scrollIntoViewIfNeeded();
    assert.ok(await page.evaluate(() => window.scrollY) > 0, 'the form was scrolled');
    await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').waitFor();
    await page.waitForFunction(() => window.scrollY === 0, null, { timeout: 3000 }).catch(() => {});
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'opens at the top');

    // Opening the assessment, one Tab reaches the skip link; Enter puts the focus in the first
    // answer field (it took 31 Tabs through the header and the criteria list).
    await page.reload();
    await page.getByTestId('assessment-title').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'yes-1.1');

    await page.getByTestId('yes-1.1').check();
    assert.match(await page.getByTestId('explain-1.1').innerText(), /1\.1: đạt/);
    await page.getByTestId('clear-1.1').click();
    assert.equal(await page.getByTestId('yes-1.1').isChecked(), false);
    assert.equal(await page.getByTestId('no-1.1').isChecked(), false);
    assert.match(await page.getByTestId('explain-1.1').innerText(), /1\.1: chưa nhập/);
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
    const stored = await page.evaluate(() => {
      const k = Object.keys(localStorage).find((k) => k.startsWith('tieuchi/v1/assessment/'));
      return JSON.parse(localStorage.getItem(k)).assessment.entries['1.1'];
    });
    assert.equal(stored?.answer, undefined, 'the cleared answer is not stored');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
