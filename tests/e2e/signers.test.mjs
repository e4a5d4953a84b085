// End-to-end: signing without retyping. On a tablet where the four parts have signed once, a
// second dossier goes through the whole procedure — submit, return with a reason, submit again,
// review, appraise, two conditions, recognise with the chair's decision — picking each signer in
// one tap. Every click and every typed character is counted: the whole run takes under 100
// actions (it took 503 when each step's name and title were typed again). axe on the panel;
// a screenshot at 1024×768.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, a11y, OUT, seedAssessments } from './harness.mjs';
import { assessment, full1980Answers } from '../../bench/gen.mjs';

const PEOPLE = {
  commune: ['Trần Thị B', 'Công chức Văn phòng – thống kê xã Vĩnh Hậu'],
  reviewer: ['Lê Văn C', 'Chuyên viên Sở Nông nghiệp và Môi trường tỉnh Cà Mau'],
  appraiser: ['Hồ Thị E', 'Phó Giám đốc Sở Nông nghiệp và Môi trường tỉnh Cà Mau'],
  recogniser: ['Nguyễn Văn F', 'Chủ tịch Ủy ban nhân dân tỉnh Cà Mau'],
};

test('a full procedure on a tablet that knows its signers takes under 100 actions', async () => {
  const server = await serve();
  const b = await launch({ width: 1024, height: 768 }, { bypassCSP: true });
  const page = b.page;
  try {
    const first = assessment(0, { answers: full1980Answers() });
    const second = assessment(1, { answers: full1980Answers() });
    await seedAssessments(page, server.url, [first, second], `#/a/${first.assessment.id}`);

    // The first dossier: each person types their name and title once (not counted).
    const type = async (who) => {
      await page.getByTestId('signer-name').fill(PEOPLE[who][0]);
      await page.getByTestId('signer-title').fill(PEOPLE[who][1]);
      await page.getByTestId('signer-title').press('Tab');
    };
    const stage = (text) => page.getByTestId('wf-stage').getByText(text).waitFor();
    await type('commune');
    await page.getByTestId('wf-submit').click();
    await stage('Đã nộp');
    await type('reviewer');
    await page.getByTestId('wf-review').click();
    await stage('Đã thẩm tra');
    await type('appraiser');
    await page.getByTestId('wf-appraise').click();
    await stage('Đã thẩm định');
    await type('recogniser');
    await page.getByTestId('condition-check-registered').check();
    await page.getByTestId('condition-check-no_debt').check();
    await page.getByTestId('wf-decision-number').fill('1234/QĐ-UBND');
    await page.getByTestId('wf-decision-date').fill('2026-11-20');
    await page.getByTestId('wf-recognise').click();
    await stage('Đã công nhận');

    // The second dossier, counted: a click is one action, each typed character one more.
    let actions = 0;
    const click = async (testid) => { actions += 1; await page.getByTestId(testid).click(); };
    // `keys`: what a person types (a date field takes its eight digits), when it is not the text.
    const typeIn = async (testid, text, keys = text) => { actions += 1 + [...keys].length; await page.getByTestId(testid).fill(text); };
    const pick = async (name) => {
      // The part's known signers are offered; one tap signs as that person.
      const chips = page.getByTestId('known-signers').getByRole('button', { name: new RegExp(`^${name}`) });
      assert.equal(await chips.count(), 1, `${name} is offered once`);
      actions += 1;
      await chips.click();
      await page.waitForFunction((n) => document.querySelector('[data-testid="signer-name"]').value === n, name);
    };
    actions += 1; // opening the dossier from the list
    await page.goto(server.url + `#/a/${second.assessment.id}`);
    await page.getByTestId('workflow').waitFor();
    assert.match(await page.getByTestId('known-signers').innerText(), /Người đã ký trên máy này \(xã tự đánh giá\)[\s\S]*Trần Thị B — Công chức Văn phòng/);
    assert.equal(await page.getByTestId('known-signers').getByRole('button', { name: /Lê Văn C/ }).count(), 0, 'only this part’s signers are offered');
    assert.deepEqual(await a11y(page), [], 'workflow panel with known signers');
    // On paper the assessment page says to print the report (it shows one criterion at a time).
    assert.equal(await page.getByTestId('print-use-report').isVisible(), false, 'not on screen');
    await page.emulateMedia({ media: 'print' });
    assert.match(await page.getByTestId('print-use-report').innerText(), /mở “Báo cáo” ở đầu trang đánh giá rồi in/);
    await page.emulateMedia({ media: 'screen' });
    await page.screenshot({ path: `${OUT}/known-signers-1024x768.png` });
    await pick('Trần Thị B');
    await click('wf-submit');
    await stage('Đã nộp');
    await pick('Lê Văn C');
    await typeIn('wf-reason', 'Thiếu biên bản họp dân');
    await click('wf-return');
    await stage('Bản nháp');
    await pick('Trần Thị B');
    await click('wf-submit');
    await stage('Đã nộp');
    await pick('Lê Văn C');
    await click('wf-review');
    await stage('Đã thẩm tra');
    await pick('Hồ Thị E');
    await click('wf-appraise');
    await stage('Đã thẩm định');
    await pick('Nguyễn Văn F');
    await click('condition-check-registered');
    await click('condition-check-no_debt');
    await typeIn('wf-decision-number', '1235/QĐ-UBND');
    await typeIn('wf-decision-date', '2026-11-20', '20112026');
    await click('wf-recognise');
    await stage('Đã công nhận');
    const audit = await page.getByTestId('audit').innerText();
    for (const [name, title] of Object.values(PEOPLE)) assert.ok(audit.includes(`${name} (${title})`), `${name} signed with their title:\n${audit}`);
    console.log(`# a full procedure with known signers: ${actions} actions`);
    assert.ok(actions < 100, `${actions} actions`);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
