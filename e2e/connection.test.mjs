// End to end, in the real app: add a connector, save a connection with a
// wrong key (Disconnected and the diagnosis), fix the key (Connected),
// restart the app (still there), delete it. Screenshots of each step land in
// e2e/artifacts/.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { appWithPeer, chooseAuth, openAdvanced, openNewEditor, shot, startApp } from './harness.mjs';

const GOOD_KEY = 'pb-e2e-right-key-7f3a';
const WRONG_KEY = 'pb-e2e-wrong-key-0000';
const env = appWithPeer(GOOD_KEY);

const badge = (scope) => scope.getByTestId('status-badge').first();

test('a connection goes from Disconnected to Connected, survives a restart and is deleted', async () => {
  let page = await env.browser.newPage(env.app.url);

  // First run teaches where to start.
  await page.getByTestId('empty-state').waitFor();
  await shot(page, '01-first-run');

  // Add connector → pick the generic HTTP API from the searchable catalog.
  const editor = await openNewEditor(page, 'http api', 'http');

  await editor.getByTestId('field-name').fill('Local billing API');
  await editor.getByTestId('field-environment').fill('Sandbox');
  await chooseAuth(editor, 'apiKey');
  await editor.getByTestId('field-baseUrl').fill(env.peer.url);
  await editor.getByTestId('field-testPath').fill('/v1/me');
  await editor.getByTestId('field-apiKeyName').fill('X-API-Key');
  await editor.getByTestId('field-apiKey').fill(WRONG_KEY);

  // Save tests first and refuses the failing connection, with the diagnosis.
  await editor.getByTestId('save-button').click();
  const result = editor.getByTestId('test-result');
  await result.getByText('Disconnected').waitFor();
  assert.match(await editor.getByTestId('test-summary').innerText(), /401/);
  assert.match(await editor.getByTestId('test-advice').innerText(), /\S/);
  await editor.getByTestId('save-blocked').waitFor();
  // The recorded request is there, with the key redacted.
  const exchanges = await editor.getByTestId('exchange').allInnerTexts();
  assert.ok(exchanges.length >= 1, 'the last attempt is shown');
  assert.ok(!(await editor.innerText()).includes(WRONG_KEY), 'the typed key is not echoed in the result');
  await shot(page, '02-save-refused-with-diagnosis');

  // Save it anyway (offline setup), then re-test it from its card.
  await editor.getByTestId('save-unverified-button').click();
  await editor.waitFor({ state: 'detached' });
  const card = page.getByTestId('connector-card-http');
  await badge(card).getByText('Unverified').waitFor();
  await card.getByTestId('card-retest-http').click();
  await badge(card).getByText('Disconnected').waitFor();
  await shot(page, '03-card-disconnected');

  // Fix the key from the card's Manage button.
  await card.getByTestId('manage-http').click();
  await editor.waitFor();
  assert.equal(await editor.getByTestId('field-apiKey').inputValue(), '', 'a stored secret is never pre-filled');
  await editor.getByTestId('field-apiKey').fill(GOOD_KEY);
  await editor.getByTestId('save-button').click();
  await editor.waitFor({ state: 'detached' });
  await badge(card).getByText('Connected').waitFor();
  await shot(page, '04-card-connected');

  // Restart the app: the connection and its status are still there.
  await page.close();
  await env.app.stop();
  env.app = await startApp(env.home.dir);
  page = await env.browser.newPage(env.app.url);
  const cardAfter = page.getByTestId('connector-card-http');
  await badge(cardAfter).getByText('Connected').waitFor();
  assert.match(await cardAfter.innerText(), /Local billing API/);
  await shot(page, '05-after-restart');

  // Delete it, with a confirmation that names it.
  await cardAfter.getByTestId('manage-connections-http').click();
  const manage = page.getByTestId('manage-connections');
  await manage.waitFor();
  await manage.locator('[data-testid^="delete-"]').first().click();
  const confirm = page.getByTestId('confirm-button');
  await confirm.waitFor();
  assert.match(await page.getByRole('dialog').last().innerText(), /Local billing API/);
  await shot(page, '06-delete-confirmation');
  await confirm.click();
  await page.keyboard.press('Escape');
  await page.getByTestId('empty-state').waitFor();
  await shot(page, '07-deleted');

  assert.deepEqual(env.browser.errors, [], 'no page errors');
});

/** Every file under dir whose bytes hold needle (the data home: SQLite, WAL, logs). */
function filesHolding(dir, needle) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath ?? e.path, e.name);
    if (readFileSync(path).includes(needle)) out.push(path);
  }
  return out;
}

test('a key typed into a plain field is refused on save and kept as a secret in one click', async () => {
  const page = await env.browser.newPage(env.app.url, { height: 900 });
  const editor = await openNewEditor(page, 'http api', 'http');
  const before = (await page.evaluate(() => window.go.services.ConnectionService.ListConnections())).length;
  await editor.getByTestId('field-name').fill('Tenant API');
  await chooseAuth(editor, 'none');
  await editor.getByTestId('field-baseUrl').fill(env.peer.url);
  await editor.getByTestId('field-testPath').fill('/v1/me');
  const headers = editor.getByTestId('field-requestHeaders');
  await openAdvanced(editor);
  await headers.fill(`Accept: application/json\nX-Tenant-Key: ${GOOD_KEY}`);

  // Saving with the key in the text box is refused, with the offer; nothing is sent or stored.
  await editor.getByTestId('save-button').click();
  const panel = editor.getByTestId('literal-secrets');
  await panel.waitFor();
  assert.match(await panel.innerText(), /X-Tenant-Key/);
  assert.ok(!(await panel.innerText()).includes(GOOD_KEY), 'the offer never repeats the value');
  assert.equal((await page.evaluate(() => window.go.services.ConnectionService.ListConnections())).length, before, 'nothing new was saved');
  await panel.scrollIntoViewIfNeeded();
  await shot(page, '07-literal-secret-offer');

  await panel.getByTestId('keep-as-secret').click();
  assert.equal(await headers.inputValue(), 'Accept: application/json\nX-Tenant-Key: {{xTenantKey}}');
  await editor.getByTestId('literal-kept').waitFor();
  await shot(page, '08-literal-secret-kept');

  // Now it saves, verified: the reference carries the key to the API.
  await editor.getByTestId('save-button').click();
  await editor.waitFor({ state: 'detached' });
  const saved = (await page.evaluate(() => window.go.services.ConnectionService.ListConnections())).find((c) => c.name === 'Tenant API');
  assert.equal(saved.status, 'connected', saved.diagnosis);
  assert.equal(saved.settings.requestHeaders, 'Accept: application/json\nX-Tenant-Key: {{xTenantKey}}');
  assert.deepEqual(saved.userSecrets, ['xTenantKey']);
  assert.deepEqual(filesHolding(env.home.dir, GOOD_KEY), [], 'the key is in no file of the data home');
  assert.deepEqual(env.browser.errors, []);
});
