// End to end, in the real app: workspaces and what a connection can do
// beyond a test. A workspace is created from the top bar's switcher and
// switched to; Sandbox and Production connections against the local peer get
// their environment and a Production badge; Duplicate, Move to the other
// workspace (the counts follow), Fetch one record (go-httpbin's /json), a
// delete an active integration refuses (a dialog with the way to it), the
// log naming the environment, deleting a workspace that holds things. Then
// Test all over 1,000 connections: the progress bar, Cancel, the summary by
// status and its failures. Screenshots in light and dark, 1280×800 and 1024×700.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, importMany, launchBrowser, newHome, shot, startApp, startPeer, settled } from './harness.mjs';

const KEY = 'pb-e2e-workspace-key-7731';
let peer, home, app, browser, page;

before(async () => {
  peer = await startPeer(KEY);
  home = newHome();
  app = await startApp(home.dir);
  browser = await launchBrowser();
  page = await browser.newPage(app.url);
});

after(async () => {
  await browser?.close();
  await app?.stop();
  peer?.stop();
  home?.remove();
});

/** Saves through the real bound API (verify: test first, save only if Connected). */
async function save(p, draft, verify) {
  return p.evaluate(([d, v]) => window.go.services.ConnectionService.SaveConnection(d, v, ''), [draft, verify]);
}

function ordersApi(environment, settings = {}) {
  return {
    id: '', connectorId: 'http', name: 'Orders API', environment, authType: 'bearer', baseUrl: peer.url,
    settings: { testPath: '/', samplePath: '/httpbin/json', ...settings }, secrets: { token: KEY }, clearSecrets: [],
    timeoutSeconds: 5,
  };
}

async function openSwitcher(p) {
  await p.getByTestId('workspace').click();
  return p.getByRole('menu');
}

/** The text of a workspace's entry in the switcher (its name and counts). */
async function workspaceEntry(p, name) {
  const menu = await openSwitcher(p);
  const text = await menu.getByRole('menuitemradio').filter({ hasText: name }).innerText();
  await p.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  return text;
}

async function rowAction(p, id, action) {
  await p.getByTestId(`more-${id}`).click();
  await p.getByTestId(`${action}-${id}`).click();
}

const cardCount = async (p) => p.getByTestId('connector-card-http').locator('.count').innerText();

test('workspaces: create and switch, environments, Duplicate, Move, Fetch one record, a delete an integration refuses', async () => {
  // The switcher: one workspace to start with, checked.
  assert.equal(await page.getByTestId('workspace-name').innerText(), 'Personal');
  const menu = await openSwitcher(page);
  assert.equal(await menu.getByRole('menuitemradio', { checked: true }).innerText().then((t) => t.split('\n')[0]), 'Personal');
  assert.equal(await menu.getByTestId('workspace-delete').isDisabled(), true, 'the only workspace cannot be deleted');
  await settled(page);
  await shot(page, 'ws-01-switcher-one');

  // New workspace…: a name taken whatever its case is said under the input.
  await menu.getByTestId('workspace-new').click();
  const nameDialog = page.getByTestId('workspace-name-dialog');
  await nameDialog.getByTestId('workspace-name-input').fill('personal');
  await nameDialog.getByTestId('workspace-name-input').press('Enter');
  assert.match(await nameDialog.getByTestId('workspace-name-input-error').innerText(), /“Personal” already exists/);
  await settled(page);
  await shot(page, 'ws-02-new-workspace-error');
  await nameDialog.getByTestId('workspace-name-input').fill('Client A');
  await nameDialog.getByTestId('workspace-name-input').press('Enter');
  await nameDialog.waitFor({ state: 'detached' });
  await page.getByTestId('workspace-name').getByText('Client A').waitFor();
  await page.getByTestId('empty-state').waitFor();

  // Sandbox and Production connections, both tested and saved.
  const sandbox = (await save(page, ordersApi('Sandbox'), true)).connection;
  const production = (await save(page, ordersApi('Production'), true)).connection;
  assert.equal(sandbox.status, 'connected');
  const card = page.getByTestId('connector-card-http');
  await card.waitFor();
  assert.match(await cardCount(page), /^2 connections/);
  assert.match(await card.getByTestId('connection-select-http').evaluate((el) => el.selectedOptions[0].text), /^(Production|Sandbox) · Orders API$/);

  // Manage Connections: the environment and a Production badge on each row.
  await card.getByTestId('manage-connections-http').click();
  const manage = page.getByTestId('manage-connections');
  await manage.waitFor();
  const prodRow = manage.getByTestId(`connection-row-${production.id}`);
  assert.match(await prodRow.getByTestId('connection-name').innerText(), /Production · Orders API/);
  await prodRow.getByTestId('production-badge').waitFor();
  assert.equal(await manage.getByTestId(`connection-row-${sandbox.id}`).getByTestId('production-badge').count(), 0);

  // Duplicate: the same name and environment is refused in the dialog, another is copied.
  await rowAction(page, sandbox.id, 'duplicate');
  const dup = page.getByTestId('connection-duplicate-dialog');
  await dup.getByTestId('copy-name').fill('orders api');
  await dup.getByTestId('copy-name').press('Enter');
  assert.match(await dup.getByTestId('copy-name-error').innerText(), /already exists in Sandbox/);
  await settled(page);
  await shot(page, 'ws-03-duplicate-error');
  await dup.getByTestId('copy-name').fill('Orders API copy');
  await dup.getByTestId('confirm-button').click();
  await dup.waitFor({ state: 'detached' });
  const copyRow = manage.locator('[data-testid^="connection-row-"]').filter({ hasText: 'Orders API copy' });
  await copyRow.waitFor();
  const copyId = (await copyRow.getAttribute('data-testid')).replace('connection-row-', '');
  assert.match(await copyRow.innerText(), /Unverified/);
  await manage.getByTestId('connections-count').getByText('3 connections').waitFor();
  await settled(page);
  await shot(page, 'ws-04-manage-rows');

  // Move the copy to Personal: it leaves this list; the counts follow.
  await rowAction(page, copyId, 'move');
  const move = page.getByTestId('connection-move-dialog');
  assert.equal(await move.getByTestId('copy-target').evaluate((el) => el.selectedOptions[0].text), 'Personal');
  await settled(page);
  await shot(page, 'ws-05-move-dialog');
  await move.getByTestId('confirm-button').click();
  await move.waitFor({ state: 'detached' });
  await manage.getByTestId(`connection-row-${copyId}`).waitFor({ state: 'detached' });
  await manage.getByTestId('connections-count').getByText('2 connections').waitFor();
  await page.getByTestId('close-manage').click();
  await manage.waitFor({ state: 'detached' });
  assert.match(await cardCount(page), /^2 connections/);
  assert.match(await workspaceEntry(page, 'Personal'), /1 connection/);
  assert.match(await workspaceEntry(page, 'Client A'), /2 connections/);

  // Switching shows the other workspace's connections and counts, then back.
  let m = await openSwitcher(page);
  await settled(page);
  await shot(page, 'ws-06-switcher-two');
  await m.getByRole('menuitemradio').filter({ hasText: 'Personal' }).click();
  await page.getByTestId('workspace-name').getByText('Personal').waitFor();
  await page.getByTestId('connector-card-http').getByText('1 connection', { exact: true }).waitFor();
  assert.equal(await page.getByTestId('connection-select-http').evaluate((el) => el.selectedOptions[0].text), 'Sandbox · Orders API copy');
  // Its keychain entry followed it: a test from the card in Personal uses the copied key and connects.
  await page.getByTestId('card-retest-http').click();
  await page.getByTestId('connector-card-http').getByText('Connected', { exact: true }).waitFor();
  m = await openSwitcher(page);
  await m.getByRole('menuitemradio').filter({ hasText: 'Client A' }).click();
  await page.getByTestId('workspace-name').getByText('Client A').waitFor();
  await page.getByTestId('connector-card-http').getByText('2 connections', { exact: true }).waitFor();

  // Fetch one record from the Sandbox connection: go-httpbin's /json.
  await card.getByTestId('manage-connections-http').click();
  await manage.waitFor();
  await rowAction(page, sandbox.id, 'fetch');
  const record = page.getByTestId('fetch-record-dialog');
  await record.getByTestId('record-tree').waitFor();
  assert.match(await record.innerText(), /slideshow/);
  assert.match(await record.innerText(), /Sandbox · Orders API/);
  await settled(page);
  await shot(page, 'ws-07-fetch-record');
  await record.getByTestId('fetch-record-close').click();
  await record.waitFor({ state: 'detached' });

  // An active integration uses both: Used by on the rows, and Delete names it with a way to it.
  const integration = await page.evaluate(([s, d]) => window.go.services.IntegrationService.SaveIntegration({
    id: '', name: 'Orders sync', description: '', active: true,
    source: { connectorId: 'http', connectionId: s }, destination: { connectorId: 'http', connectionId: d },
  }), [sandbox.id, production.id]);
  await prodRow.getByTestId(`used-by-${production.id}`).getByText('Used by Orders sync (destination)').waitFor();
  await manage.getByTestId(`delete-${production.id}`).click();
  const inUse = page.getByTestId('connection-in-use');
  await inUse.getByText('Orders sync').waitFor();
  assert.match(await inUse.innerText(), /destination side/);
  await inUse.getByTestId(`open-integration-${integration.id}`).waitFor();
  await settled(page);
  await shot(page, 'ws-08-delete-in-use');
  const dark = await browser.newPage(app.url, { colorScheme: 'dark', width: 1024, height: 700 });
  await dark.getByTestId('manage-connections-http').click();
  await dark.getByTestId(`delete-${production.id}`).click();
  await dark.getByTestId('connection-in-use').getByText('Orders sync').waitFor();
  await settled(dark);
  await shot(dark, 'ws-08-delete-in-use-dark-1024');
  await dark.getByTestId('in-use-close').click();
  await settled(dark);
  await shot(dark, 'ws-04-manage-rows-dark-1024');
  await dark.close();
  // Its button leaves for the integration: the panel and the dialog close.
  await inUse.getByTestId(`open-integration-${integration.id}`).click();
  await inUse.waitFor({ state: 'detached' });
  await manage.waitFor({ state: 'detached' });
  const editor = page.getByTestId('integration-editor');
  await editor.waitFor();
  assert.equal(await editor.getByTestId('field-integration-name').inputValue(), 'Orders sync');
  await settled(page);
  await shot(page, 'ws-09-integration-from-delete');
  await page.getByTestId('close-integration-editor').click();
  await editor.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate((id) => window.go.services.ConnectionService.GetConnection(id).then((c) => c.id), production.id), production.id,
    'the connection is still there');

  // The log names each connection with its environment; Production gets its badge.
  await page.getByTestId('nav-log').click();
  const log = page.getByTestId('log-page');
  await log.getByTestId('log-row').first().waitFor();
  const sampleRow = log.getByTestId('log-row').filter({ hasText: 'sample' }).first();
  assert.match(await sampleRow.innerText(), /Sandbox · Orders API/);
  await log.getByTestId('log-row').filter({ has: page.getByTestId('production-badge') }).first().waitFor();
  await log.getByTestId('log-filter-connection').selectOption(production.id);
  await log.getByTestId('log-filter-connection').locator('xpath=..').getByTestId('production-badge').waitFor();
  await shot(page, 'ws-09-log-environment');
  await log.getByTestId('log-filter-connection').selectOption('');

  // Delete Client A: it holds things, so it asks; moving them to Personal keeps everything.
  await page.getByTestId('nav-connectors').click();
  m = await openSwitcher(page);
  await m.getByTestId('workspace-delete').click();
  const del = page.getByTestId('delete-workspace-dialog');
  assert.equal(await del.getByTestId('delete-workspace-contents').innerText(), '2 connections and 1 integration');
  await del.getByTestId('delete-workspace-delete').check();
  assert.match(await del.innerText(), /removed from the system keychain/);
  await settled(page);
  await shot(page, 'ws-10-delete-workspace-delete');
  await del.getByTestId('delete-workspace-move').check();
  await settled(page);
  await shot(page, 'ws-10-delete-workspace-move');
  await del.getByTestId('confirm-button').click();
  await del.waitFor({ state: 'detached' });
  await page.getByTestId('workspace-name').getByText('Personal').waitFor();
  await page.getByTestId('connector-card-http').getByText('3 connections', { exact: true }).waitFor();
  assert.match(await workspaceEntry(page, 'Personal'), /3 connections · 1 integration/);
  assert.deepEqual(browser.errors, []);
});

test('Test all over 1,000 connections: progress, Cancel, a summary by status and its failures', async () => {
  const refused = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  let m = await openSwitcher(page);
  await m.getByTestId('workspace-new').click();
  await page.getByTestId('workspace-name-input').fill('Load test');
  await page.getByTestId('workspace-name-input').press('Enter');
  await page.getByTestId('workspace-name').getByText('Load test').waitFor();

  // 1,000 connections without secrets: most reach go-httpbin (Connected), every
  // tenth asks the peer's root without credentials (401: Disconnected), every
  // 25th has nothing listening (Unreachable), every 40th waits a second.
  const started = Date.now();
  await importMany(page, {
    connections: Array.from({ length: 1000 }, (_, i) => ({
      name: `Tenant ${String(i).padStart(4, '0')} API`, environment: i % 2 ? 'Sandbox' : 'Production', connector: 'http',
      auth: 'none', baseUrl: i % 25 === 7 ? refused : peer.url, timeoutSeconds: 5,
      settings: { testPath: i % 10 === 3 ? '/' : i % 40 === 0 ? '/httpbin/delay/1' : '/httpbin/get' },
    })),
  });
  console.log(`# imported 1,000 connections in ${Date.now() - started} ms`);
  await page.getByTestId('connector-card-http').getByText('1,000 connections', { exact: true }).waitFor();

  // Started and canceled: the bar says how far it got.
  await page.getByTestId('test-all').click();
  const progress = page.getByTestId('test-all-progress');
  await progress.waitFor();
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="test-all-count"]')?.textContent ?? '';
    return /^\d[\d,]* of 1,000$/.test(t) && Number(t.split(' ')[0].replace(',', '')) >= 8;
  });
  await shot(page, 'ws-11-test-all-progress');
  await progress.getByTestId('test-all-cancel').click();
  const summary = page.getByTestId('test-all-summary');
  await summary.waitFor({ timeout: 30_000 });
  assert.match(await summary.innerText(), /Canceled after [\d,]+ of 1,000/);
  await summary.getByTestId('test-all-count-canceled').waitFor();
  await shot(page, 'ws-12-test-all-canceled');

  // Run to the end: counts by status, and the failures each with why and a way to it.
  const t0 = Date.now();
  await page.getByTestId('test-all').click();
  const darkPage = await browser.newPage(app.url, { colorScheme: 'dark', width: 1024, height: 700 });
  await summary.waitFor({ timeout: 240_000 });
  console.log(`# tested 1,000 connections in ${Date.now() - t0} ms`);
  assert.match(await summary.innerText(), /Tested 1,000 connections/);
  assert.equal(await summary.getByTestId('test-all-count-disconnected').innerText(), '100 Disconnected');
  assert.equal(await summary.getByTestId('test-all-count-unreachable').innerText(), '40 Unreachable');
  assert.equal(await summary.getByTestId('test-all-count-connected').innerText(), '860 Connected');
  await page.getByTestId('connectors-summary').getByText('140 need attention').waitFor();
  await shot(page, 'ws-13-test-all-summary');
  await summary.getByTestId('test-all-count-unreachable').click();
  const failures = page.getByTestId('test-all-failures');
  await failures.waitFor();
  const rows = failures.locator('[data-testid^="test-all-failure-"][role="listitem"]');
  assert.ok((await rows.count()) < 40, 'the failures list is virtualized');
  assert.match(await rows.first().innerText(), /Tenant \d{4} API/);
  assert.match(await rows.first().getByTestId('test-all-why').innerText(), /refused|not listening|running/i);
  await settled(page);
  await shot(page, 'ws-14-test-all-failures');
  await failures.getByRole('button', { name: /^All/ }).click();
  await failures.getByTestId('test-all-show-disconnected').click();
  assert.match(await rows.first().getByTestId('test-all-why').innerText(), /401|rejected/i);
  const firstId = (await rows.first().getAttribute('data-testid')).replace('test-all-failure-', '');
  await failures.getByTestId(`test-all-edit-${firstId}`).click();
  const editor = page.getByTestId('connection-editor');
  await editor.waitFor();
  assert.match(await editor.getByTestId('field-name').inputValue(), /Tenant \d{4} API/);
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'detached' });
  await failures.waitFor(); // back to the list, for the next one
  await page.keyboard.press('Escape');
  await failures.waitFor({ state: 'detached' });

  // The same workspace in dark at 1024×700: the page, and Manage with 1,000 rows.
  await darkPage.reload();
  await darkPage.getByTestId('connector-card-http').waitFor();
  await settled(darkPage);
  await shot(darkPage, 'ws-15-1000-connectors-dark-1024');
  await darkPage.getByTestId('manage-connections-http').click();
  await darkPage.getByTestId('manage-connections').waitFor();
  await settled(darkPage);
  await shot(darkPage, 'ws-16-1000-manage-dark-1024');
  await darkPage.close();
  await page.getByTestId('manage-connections-http').click();
  await page.getByTestId('manage-connections').waitFor();
  await settled(page);
  await shot(page, 'ws-16-1000-manage-light');
  await page.getByTestId('close-manage').click();
  assert.deepEqual(browser.errors, []);
});
