// End-to-end: the app opens, shows the default criteria list in Vietnamese, switches to
// English, and the choice survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, ready, OUT } from './harness.mjs';

test('criteria list in Vietnamese, switch to English, choice persists', async () => {
  const server = await serve();
  const b = await launch();
  try {
    await b.page.goto(server.url);
    await ready(b.page);
    const list = b.page.getByTestId('criteria-list');
    await list.waitFor();
    assert.equal(await b.page.getByTestId('criterion').count(), 19);
    assert.match(await list.innerText(), /Giao thông/);
    assert.match(await list.innerText(), /Hệ thống chính trị và tiếp cận pháp luật/);
    assert.equal(await b.page.getAttribute('html', 'lang'), 'vi');

    await b.page.getByTestId('lang-switch').click();
    await b.page.getByText('Transport').first().waitFor();
    assert.equal(await b.page.getAttribute('html', 'lang'), 'en');

    await b.page.reload();
    await ready(b.page);
    await b.page.getByText('Transport').first().waitFor();
    assert.match(await b.page.getByTestId('nav-home').innerText(), /Assessments/);
    assert.equal(await b.page.getAttribute('html', 'lang'), 'en');
    await b.page.screenshot({ path: `${OUT}/foundation-en.png`, fullPage: false });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
    await server.close();
  }
});
