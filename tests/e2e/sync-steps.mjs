// Test steps shared by the sync end-to-end files: what an officer does on the Đồng bộ page and
// on an assessment, by the visible controls. `syncSteps(() => app.url)` binds them to the app
// under test (its URL is known only once the test server is up).
import assert from 'node:assert/strict';
import { ready, fillNewAssessment } from './harness.mjs';

/** A 2026–2030 assessment of a nhóm 2 commune (the set in force). */
export const SET_2026 = { framework: 'ntm-xa-2026-2030@51/2025-khung-tam', province: '1', round: '2026', dimension: 'nhom2' };
/** The assessment id of the page open at `#/a/<id>`. */
export const openId = (page) => decodeURIComponent(page.url().split('#/a/')[1]);

export function syncSteps(appUrl) {
  /** Sets up the server and signs in as `user` (auto sync on unless told). */
  async function connect(page, server, user = 'xa1', password = 'pw-xa1', { auto = true } = {}) {
    await page.goto(appUrl() + '#/sync');
    await ready(page);
    await page.getByTestId('sync-server').fill(server);
    await page.getByTestId('sync-db').fill('tieuchi_p96');
    await page.getByTestId('sync-province').fill('96');
    // Runs that count requests or time a session sync only when asked.
    if (!auto) await page.getByTestId('sync-auto').uncheck();
    await page.getByTestId('sync-user').fill(user);
    await page.getByTestId('sync-password').fill(password);
    await page.getByTestId('sync-sign-in').click();
    await page.getByTestId('sync-who').getByText(user).waitFor();
  }

  /** Opens the sync page, runs one pass and waits for it to finish. */
  async function syncNow(page) {
    if (!page.url().endsWith('#/sync')) await page.goto(appUrl() + '#/sync');
    const summary = page.getByTestId('sync-summary');
    await summary.waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="sync-now"]')?.disabled);
    const before = Number(await summary.getAttribute('data-passes'));
    await page.getByTestId('sync-now').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="sync-summary"]').dataset.passes) > n, before);
  }

  /** Signs as `name`: typed on a tablet without sync; with an account in the province's signer
   *  list, the app fills the list's name and title and they cannot be typed over (#28). */
  async function sign(page, name, title) {
    if (await page.getByTestId('signer-name').getAttribute('readonly') !== null) {
      assert.equal(await page.getByTestId('signer-name').inputValue(), name, 'the listed signer of this account');
      return;
    }
    await page.getByTestId('signer-name').fill(name);
    await page.getByTestId('signer-title').fill(title);
    await page.getByTestId('signer-title').press('Tab');
  }

  /** Signs this device out and in again as `user` (one desk, several officers). */
  async function switchAccount(page, user, password) {
    await page.goto(appUrl() + '#/sync');
    await ready(page);
    await page.getByTestId('sync-sign-out').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sync-sign-out"]')?.disabled);
    await page.getByTestId('sync-user').fill(user);
    await page.getByTestId('sync-password').fill(password);
    await page.getByTestId('sync-sign-in').click();
    await page.getByTestId('sync-who').getByText(user).waitFor();
  }

  /** Creates a 2026 assessment (confirming a second one of the same commune) and returns its id. */
  async function create2026(page) {
    await fillNewAssessment(page, appUrl(), SET_2026);
    await page.getByTestId('new-create').click();
    await Promise.race([page.getByTestId('assessment-title').waitFor(), page.getByTestId('new-duplicate').waitFor()]);
    if (await page.getByTestId('new-duplicate').count()) await page.getByTestId('new-create').click();
    await page.getByTestId('assessment-title').waitFor();
    return openId(page);
  }

  /** Answers criterion `tc` of the open assessment and waits for the save. */
  async function answer(page, tc, yes) {
    await page.getByTestId(`criterion-${tc}`).click();
    await page.getByTestId(`${yes ? 'yes' : 'no'}-TC${tc}`).check();
    await page.getByTestId('save-status').getByText(/Đã lưu lúc/).waitFor();
  }

  async function open(page, id) {
    await page.goto(appUrl() + `#/a/${encodeURIComponent(id)}`);
    await page.getByTestId('assessment-title').waitFor();
  }

  return { connect, syncNow, sign, switchAccount, create2026, answer, open };
}
