// End-to-end: importing a framework by paste. Each class of bad file gets its located message
// (path and line:column) and changes nothing stored; markup in titles stays inert text; a valid
// file is imported and listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serve, launch, ready } from './harness.mjs';

const MINIMAL = fs.readFileSync('tests/fixtures/frameworks/minimal.json', 'utf8');

const BAD = [
  ['malformed JSON', MINIMAL.replace('"version": "1",', '"version": "1"'), /JSON không hợp lệ: thiếu dấu “,” hoặc “}” trong đối tượng/, /title \(5:3\)/],
  ['unknown kind', MINIMAL.replace('"kind": "roster"', '"kind": "rooster"'), /loại chỉ tiêu không xác định “rooster”/, /groups\[0\]\.criteria\[0\]\.indicators\[5\]\.kind \(\d+:\d+\)/],
  ['duplicate id', MINIMAL.replace('"id": "2.2"', '"id": "2.1"'), /mã “2\.1” bị trùng/, /indicators\[1\]\.id \(\d+:\d+\)/],
  ['missing threshold', MINIMAL.replace('"by": {"a": 36, "b": null}', '"by": {"a": 36}'), /thiếu ngưỡng cho “b”/, /threshold\.by \(\d+:\d+\)/],
  ['comparator on yes/no', MINIMAL.replace('"kind": "yes_no", "source": "t", "verified": true}', '"kind": "yes_no", "comparator": ">=", "source": "t", "verified": true}'), /trường “comparator” không áp dụng cho loại “yes_no”/, /indicators\[0\]\.comparator/],
  ['dangling reference', MINIMAL.replace('"pass": ["x"]', '"pass": ["z"]'), /tham chiếu tới option không tồn tại: “z”/, /pass\[0\]/],
  ['too deep', '['.repeat(40) + ']'.repeat(40), /lồng nhau quá sâu/, /\$ \(1:33\)/],
];

test('bad files: located messages, nothing stored; valid file imports; markup stays text', async () => {
  const server = await serve();
  const b = await launch();
  const page = b.page;
  page.on('dialog', (d) => { b.errors.push('dialog opened: ' + d.message()); d.dismiss(); });
  try {
    await page.goto(server.url + '#/import');
    await ready(page);
    const storedBefore = await page.evaluate(() => Object.keys(localStorage).sort().join(','));
    for (const [name, text, message, location] of BAD) {
      await page.getByTestId('import-text').fill(text);
      await page.getByTestId('import-check').click();
      const errors = await page.getByTestId('import-errors').innerText();
      assert.match(errors, message, name);
      assert.match(errors, location, name);
      assert.equal(await page.getByTestId('import-accept').count(), 0, name);
    }
    // English messages too.
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('import-check').click();
    assert.match(await page.getByTestId('import-errors').innerText(), /nested too deeply/);
    await page.getByTestId('lang-switch').click();
    const storedAfter = await page.evaluate(() => Object.keys(localStorage).filter((k) => !k.endsWith('settings')).sort().join(','));
    assert.equal(storedAfter, storedBefore.split(',').filter((k) => k && !k.endsWith('settings')).join(','));

    // A valid file whose title carries markup: imported, and the markup is inert text.
    const evil = MINIMAL.replace('Bộ mẫu', '<img src=x onerror=alert(1)><script>alert(2)</script>');
    await page.getByTestId('import-text').fill(evil);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-ok').waitFor();
    // Editing the text after a check withdraws the result: what is accepted is what was checked.
    await page.getByTestId('import-text').fill(evil + ' x');
    assert.equal(await page.getByTestId('import-accept').count(), 0);
    await page.getByTestId('import-text').fill(evil);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-accept').click();
    await page.getByTestId('indicator-table').waitFor();
    assert.equal(await page.locator('main img').count(), 0);
    assert.match(await page.locator('main h1').innerText(), /<img src=x onerror=alert\(1\)>/);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('/framework/')).length), 1);

    // It survives a reload and is listed.
    await page.goto(server.url + '#/frameworks');
    await page.reload();
    await ready(page);
    // Cards are `content-visibility: auto`: innerText is empty while the browser skips them
    // (even once "visible", which only needs a box), so read textContent: markup rendered as
    // an element would not appear in it as text either.
    await page.getByTestId('framework-list').getByText('<img src=x', { exact: false }).waitFor();
    assert.match(await page.getByTestId('framework-list').textContent(), /<img src=x/);
    assert.equal(await page.getByTestId('framework-list').locator('img').count(), 0);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});

test('the benchmark generator writes frameworks the app imports without a single issue', async () => {
  const { framework } = await import('../../bench/gen.mjs');
  const server = await serve();
  const b = await launch();
  const page = b.page;
  try {
    await page.goto(server.url + '#/import');
    await ready(page);
    await page.getByTestId('import-text').fill(JSON.stringify(framework(300, { id: 'gen-check' })));
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-ok').waitFor();
    assert.equal(await page.getByTestId('import-errors').count(), 0);
    assert.equal(await page.getByTestId('import-warnings').count(), 0);
    await page.getByTestId('import-accept').click();
    await page.getByTestId('indicator-table').waitFor();
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('/framework/gen-check@')).length), 1);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
