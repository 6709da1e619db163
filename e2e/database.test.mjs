// End to end, in the real app: a PostgreSQL connection against a real
// PostgreSQL 15 (e2e/dbpeer) goes from Disconnected (wrong password, the
// server's 28P01 in the diagnosis) to Connected, with the login in the log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newHome, shot, startApp, startPostgres, openNewEditor } from './harness.mjs';

const WRONG = 'pb-e2e-wrong-db-password';
let pg, home, app, browser;

before(async () => {
  pg = await startPostgres({ password: 'pb-e2e-db-password-83f1' });
  home = newHome();
  app = await startApp(home.dir);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
  await pg?.stop();
  home?.remove();
});

const badge = (scope) => scope.getByTestId('status-badge').first();

test('a PostgreSQL connection goes from Disconnected to Connected', async () => {
  const page = await browser.newPage(app.url, { height: 900 });
  const editor = await openNewEditor(page, 'postgres', 'postgresql');

  await editor.getByTestId('field-name').fill('Shop database');
  // A connection URL fills the fields (its password goes to the password field only).
  await editor.getByTestId('field-connectionUrl').fill(`postgres://${pg.user}:${WRONG}@${pg.host}:${pg.port}/${pg.database}?sslmode=prefer`);
  await editor.getByTestId('fill-from-url').click();
  await editor.getByTestId('url-filled').waitFor();
  assert.equal(await editor.getByTestId('field-host').inputValue(), pg.host);
  assert.equal(await editor.getByTestId('field-port').inputValue(), String(pg.port));
  assert.equal(await editor.getByTestId('field-database').inputValue(), pg.database);
  assert.equal(await editor.getByTestId('field-username').inputValue(), pg.user);
  assert.equal(await editor.getByTestId('field-password').inputValue(), WRONG);
  assert.equal(await editor.getByTestId('field-connectionUrl').inputValue(), '', 'the URL is not kept');
  await shot(page, 'db-01-editor');

  // Save logs in first: the wrong password is refused by the server itself.
  await editor.getByTestId('save-button').click();
  const result = editor.getByTestId('test-result');
  await result.getByText('Disconnected', { exact: true }).waitFor();
  await editor.getByTestId('save-blocked').waitFor();
  assert.match(await editor.getByTestId('test-summary').innerText(), /password/i);
  assert.ok(!(await editor.innerText()).includes(WRONG), 'the password is not echoed');
  await result.scrollIntoViewIfNeeded();
  await shot(page, 'db-02-wrong-password');

  await editor.getByTestId('field-password').fill(pg.password);
  await editor.getByTestId('save-button').click();
  await editor.waitFor({ state: 'detached' });
  const card = page.getByTestId('connector-card-postgresql');
  await badge(card).getByText('Connected', { exact: true }).waitFor();
  await shot(page, 'db-03-card-connected');

  // The log holds both logins as database entries, the password nowhere.
  await card.getByTestId('view-log').click();
  await page.getByTestId('log-page').waitFor();
  const rows = page.getByTestId('log-row');
  await rows.first().waitFor();
  const kinds = await rows.evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.ok(kinds.length >= 2 && kinds.every((k) => k === 'database'), kinds.join(', '));
  assert.match(await rows.first().innerText(), /\bOK\b/, 'the login that worked reads OK');
  await rows.last().click();
  await page.getByTestId('log-detail').waitFor();
  const text = await page.locator('body').innerText();
  assert.match(text, /28P01/);
  assert.equal(await page.getByTestId('copy-curl').count(), 0, 'no cURL for a database login');
  assert.ok(!text.includes(pg.password) && !text.includes(WRONG), 'no password in the log');
  await shot(page, 'db-04-log');
  assert.deepEqual(browser.errors, []);
});
