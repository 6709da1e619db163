// End to end, in the real app: integrations. A Sandbox and a Production
// connection of the generic HTTP API against the local peer (with a sample
// path for Fetch one record) and a Stripe connection whose key is wrong; the
// Integrations page empty; an integration built from the page, its
// destination created inline through Create connection…; the source switched
// from Sandbox to Production after the question; Test both; Fetch one record
// on both sides; a second integration that needs attention. Then an OAuth
// source whose provider forgot its tokens: Re-authorize from the integration's
// card keeps the same connection and the card turns Ready. Then 1,000
// integrations. Screenshots in light and dark, at 1280×800 and 1024×700, land
// in e2e/artifacts/int-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  chooseAuth, freePort, importMany, launchBrowser, newHome, shot, startApp, startBrowserHook, startOAuthPeer, startPeer, settled, openNewEditor,
} from './harness.mjs';

const GOOD_KEY = 'pb-e2e-integrations-key-5d1e';
let peer, oauthPort, oauthPeer, hook, home, app, browser;
/** The Sandbox HTTP API connection and the Warehouse API made in the first test. */
let ordersSandbox, warehouse;

before(async () => {
  peer = await startPeer(GOOD_KEY);
  oauthPort = await freePort();
  oauthPeer = await startOAuthPeer({ port: oauthPort });
  hook = await startBrowserHook();
  home = newHome();
  app = await startApp(home.dir, { env: hook.env() });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
  peer?.stop();
  await oauthPeer?.stop();
  await hook?.close();
  home?.remove();
});

/** Saves a connection through the real bound API; verify=false saves it as Unverified. */
async function saveConnection(page, draft, verify) {
  const r = await page.evaluate(([d, v]) => window.go.services.ConnectionService.SaveConnection(d, v, ''), [draft, verify]);
  assert.equal(r.saved, true, `${draft.name}: ${r.verification?.summary}`);
  return r.connection;
}

function httpDraft(name, environment, key = GOOD_KEY) {
  return {
    id: '', connectorId: 'http', name, environment, authType: 'apiKey', baseUrl: peer.url,
    settings: { testPath: '/v1/me', samplePath: '/httpbin/json', apiKeyIn: 'header', apiKeyName: 'X-API-Key' },
    secrets: { apiKey: key }, clearSecrets: [], timeoutSeconds: 5,
  };
}

/** Opens a side's connection dropdown and picks an option in it. */
async function pickConnection(editor, role, option) {
  const side = editor.getByTestId(`side-picker-${role}`);
  await side.getByTestId(`side-connection-${role}`).click();
  await side.getByRole('listbox').waitFor();
  await option(side).click();
}

test('an integration from the Integrations page: inline destination, Production after a question, Test both, Fetch one record', async () => {
  const page = await browser.newPage(app.url);
  const sandbox = await saveConnection(page, httpDraft('Orders API', 'Sandbox'), true);
  const production = await saveConnection(page, httpDraft('Orders API', 'Production'), true);
  const stripe = await saveConnection(page, {
    id: '', connectorId: 'stripe', name: 'Payments', environment: 'Sandbox', authType: 'bearer', baseUrl: peer.url,
    settings: {}, secrets: { token: 'sk_test_pbE2eRevoked00' }, clearSecrets: [], timeoutSeconds: 5,
  }, false);

  // The rail leads to the page; with none yet, it teaches what an integration is.
  await page.getByTestId('nav-integrations').click();
  const empty = page.getByTestId('integrations-empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /An integration pairs a source and a destination/);
  await shot(page, 'int-01-empty-light');
  const darkSmall = await browser.newPage(app.url, { colorScheme: 'dark', width: 1024, height: 700 });
  await darkSmall.getByTestId('nav-integrations').click();
  await darkSmall.getByTestId('integrations-empty').waitFor();
  await shot(darkSmall, 'int-02-empty-dark-1024');

  // New integration: a name, then the source: HTTP API, its Sandbox connection.
  await empty.getByTestId('new-integration').click();
  const editor = page.getByTestId('integration-editor');
  await editor.waitFor();
  await editor.getByTestId('field-integration-name').fill('Orders to warehouse');
  await editor.getByTestId('field-integration-description').fill('New orders from the shop API into the warehouse, every 15 minutes.');
  await editor.getByTestId('side-connector-source').selectOption('http');
  await pickConnection(editor, 'source', (side) => side.getByTestId(`connection-option-${sandbox.id}`));
  assert.equal(await editor.getByTestId('side-picker-source').getByRole('listbox').count(), 0, 'the list closed after the pick');
  assert.match(await editor.getByTestId('side-connection-source').innerText(), /Sandbox · Orders API/);

  // The destination's connection does not exist yet: Create connection… makes it without leaving.
  await editor.getByTestId('side-connector-destination').selectOption('http');
  await editor.getByTestId('side-picker-destination').getByTestId('side-connection-destination').click();
  const list = editor.getByTestId('side-picker-destination').getByRole('listbox');
  await list.waitFor();
  assert.match(await list.innerText(), /Production · Orders API[\s\S]*Sandbox · Orders API[\s\S]*Create connection…/);
  await settled(page);
  await shot(page, 'int-03-connection-dropdown');
  await list.getByTestId('create-connection').click();
  const connEditor = page.getByTestId('connection-editor');
  await connEditor.waitFor();
  await connEditor.getByTestId('field-name').fill('Warehouse API');
  await connEditor.getByTestId('field-environment').fill('Sandbox');
  await chooseAuth(connEditor, 'apiKey');
  await connEditor.getByTestId('field-baseUrl').fill(peer.url);
  await connEditor.getByTestId('field-testPath').fill('/v1/warehouse');
  await connEditor.getByTestId('field-samplePath').fill('/httpbin/json');
  await connEditor.getByTestId('field-apiKeyName').fill('X-API-Key');
  await connEditor.getByTestId('field-apiKey').fill(GOOD_KEY);
  await connEditor.getByTestId('save-button').click(); // verified first
  await connEditor.waitFor({ state: 'detached' });
  // Back in the integration editor, the new connection is the destination's.
  const destination = editor.getByTestId('side-connection-destination');
  await destination.getByText('Sandbox · Warehouse API').waitFor();
  assert.equal(await destination.getByTestId('status-badge').getAttribute('data-status'), 'connected');
  await settled(page);
  await shot(page, 'int-04-editor-light');
  await editor.getByTestId('save-integration').click();
  await editor.waitFor({ state: 'detached' });

  // The card: both sides connected, so Ready.
  const card = page.locator('[data-testid^="integration-"][data-readiness]').filter({ hasText: 'Orders to warehouse' });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-readiness'), 'ready');
  assert.equal((await card.getByTestId('integration-readiness').innerText()).trim(), 'Ready');
  assert.match(await card.getByTestId('side-source').innerText(), /Sandbox · Orders API/);
  assert.match(await card.getByTestId('side-destination').innerText(), /Sandbox · Warehouse API/);

  // A second one that needs attention: Stripe's key is wrong (saved through Go, tested from its card).
  ordersSandbox = sandbox;
  warehouse = (await page.evaluate(() => window.go.services.ConnectionService.ListConnections()))
    .find((c) => c.name === 'Warehouse API');
  await page.evaluate(([s, w]) => window.go.services.IntegrationService.SaveIntegration({
    id: '', name: 'Payouts to ledger', description: '', active: false,
    source: { connectorId: 'stripe', connectionId: s }, destination: { connectorId: 'http', connectionId: w },
  }), [stripe.id, warehouse.id]);
  const payouts = page.locator('[data-testid^="integration-"][data-readiness]').filter({ hasText: 'Payouts to ledger' });
  await payouts.waitFor();
  await payouts.getByTestId('test-both').click();
  await payouts.locator('[data-testid="side-source"][data-status="disconnected"]').waitFor();
  assert.equal((await payouts.getByTestId('integration-readiness').innerText()).trim(), 'Source needs attention');
  assert.match(await payouts.getByTestId('side-source').getByTestId('side-line').innerText(), /401|rejected|invalid/i);
  await payouts.getByTestId('side-source').getByTestId('side-edit-connection').waitFor();
  await payouts.getByTestId('side-source').getByTestId('side-test-again').waitFor();
  await shot(page, 'int-05-ready-and-attention-light');

  // Switch the source from Sandbox to Production: the editor asks first, plainly.
  await card.getByTestId('edit-integration').click();
  await editor.waitFor();
  await pickConnection(editor, 'source', (side) => side.getByTestId(`connection-option-${production.id}`));
  const question = page.getByTestId('confirm-environment');
  await question.waitFor();
  const words = await question.innerText();
  assert.match(words, /Use Production with Sandbox\?/);
  assert.match(words, /a Production connection/);
  assert.match(words, /pair Production with Sandbox/);
  await settled(page);
  await shot(page, 'int-06-confirm-production-light');
  await question.getByTestId('confirm-button').click();
  await question.waitFor({ state: 'detached' });
  await editor.getByTestId('side-connection-source').getByText('Production · Orders API').waitFor();
  await editor.getByTestId('save-integration').click();
  await editor.waitFor({ state: 'detached' });
  await card.getByTestId('side-source').getByText('Production · Orders API').waitFor();
  await card.getByTestId('side-source').getByTestId('production-badge').waitFor();

  // Test both: both sides verified at once, each with its result.
  await card.getByTestId('test-both').click();
  await card.getByTestId('test-both').getByText('Test both').waitFor();
  for (const role of ['source', 'destination']) {
    const side = card.getByTestId(`side-${role}`);
    assert.equal(await side.getAttribute('data-status'), 'connected', `${role} connected`);
    await side.getByTestId('side-view-log').waitFor();
    assert.match(await side.getByTestId('side-line').innerText(), /\S/);
  }
  assert.equal((await card.getByTestId('integration-readiness').innerText()).trim(), 'Ready');
  await shot(page, 'int-07-tested-light');

  // Fetch one record on each side: the record the sample path returns, as a tree.
  for (const role of ['source', 'destination']) {
    await card.getByTestId(`side-${role}`).getByTestId('side-fetch-record').click();
    const dialog = page.getByTestId('fetch-record-dialog');
    await dialog.getByTestId('record-tree').waitFor();
    assert.match(await dialog.getByTestId('record-tree').innerText(), /slideshow/);
    if (role === 'source') {
      await dialog.getByTestId('production-badge').waitFor();
      await settled(page);
      await shot(page, 'int-08-fetch-record-source');
    }
    await dialog.getByTestId('fetch-record-close').click();
    await dialog.waitFor({ state: 'detached' });
  }

  // Dark, at 1024×700: the page, the editor and the question.
  await darkSmall.reload();
  await darkSmall.waitForFunction(() => window.go?.services?.ConnectionService !== undefined);
  await darkSmall.getByTestId('nav-integrations').click();
  await darkSmall.getByTestId('integrations-list').waitFor();
  await darkSmall.getByText('Payouts to ledger').waitFor();
  await shot(darkSmall, 'int-09-page-dark-1024');
  const darkCard = darkSmall.locator('[data-testid^="integration-"][data-readiness]').filter({ hasText: 'Orders to warehouse' });
  await darkCard.getByTestId('edit-integration').click();
  const darkEditor = darkSmall.getByTestId('integration-editor');
  await darkEditor.waitFor();
  await settled(darkSmall);
  await shot(darkSmall, 'int-10-editor-dark-1024');
  // The destination to Production too: one question, about Production alone.
  await pickConnection(darkEditor, 'destination', (side) => side.getByTestId(`connection-option-${production.id}`));
  await darkSmall.getByTestId('confirm-environment').waitFor();
  assert.match(await darkSmall.getByTestId('confirm-environment').innerText(), /Use a Production connection\?/);
  await settled(darkSmall);
  await shot(darkSmall, 'int-11-confirm-dark-1024');
  // Esc answers "Keep": nothing changed, so the next Esc closes the editor at once.
  await darkSmall.keyboard.press('Escape');
  await darkSmall.getByTestId('confirm-environment').waitFor({ state: 'detached' });
  await darkEditor.getByTestId('side-connection-destination').getByText('Sandbox · Warehouse API').waitFor();
  await darkSmall.keyboard.press('Escape');
  await darkEditor.waitFor({ state: 'detached' });
  await darkSmall.close();

  const lightSmall = await browser.newPage(app.url, { width: 1024, height: 700 });
  await lightSmall.getByTestId('nav-integrations').click();
  await lightSmall.getByText('Payouts to ledger').waitFor();
  await shot(lightSmall, 'int-12-page-light-1024');
  await lightSmall.close();

  assert.deepEqual(browser.errors, [], 'no page errors');
});

test('Re-authorize from an integration’s card keeps the same connection, and the card turns Ready', async () => {
  assert.ok(warehouse, 'the first test made the Warehouse API connection');
  const page = await browser.newPage(app.url);
  // An OAuth 2.0 connection, signed in through the "system browser" (a Chromium tab).
  const editor = await openNewEditor(page, 'oauth', 'oauth2-http');
  await editor.getByTestId('field-name').fill('CRM');
  await editor.getByTestId('field-environment').fill('Sandbox');
  await editor.getByTestId('auth-oauth2AuthorizationCode').check();
  await editor.getByTestId('field-baseUrl').fill(oauthPeer.url);
  await editor.getByTestId('field-testPath').fill('/userinfo');
  await editor.getByTestId('field-authorizationUrl').fill(`${oauthPeer.url}/authorize`);
  await editor.getByTestId('field-tokenUrl').fill(`${oauthPeer.url}/token`);
  await editor.getByTestId('field-clientId').fill('patchbay-e2e');
  await editor.getByTestId('field-clientSecret').fill('e2e-client-secret');
  await editor.getByTestId('field-scopes').fill('openid profile email');
  await editor.getByTestId('connect-button').click();
  const signIn = async () => {
    const tab = await browser.openTab(await hook.nextUrl());
    await tab.waitForURL(/\/done$/);
    await tab.close();
  };
  await signIn();
  await editor.getByTestId('oauth-result').waitFor({ timeout: 15_000 });
  await editor.getByTestId('oauth-done').click();
  await editor.waitFor({ state: 'detached' });
  const crm = (await page.evaluate(() => window.go.services.ConnectionService.ListConnections())).find((c) => c.name === 'CRM');

  await page.evaluate(([c, w]) => window.go.services.IntegrationService.SaveIntegration({
    id: '', name: 'Contacts to warehouse', description: 'CRM contacts into the warehouse API.', active: true,
    source: { connectorId: 'oauth2-http', connectionId: c }, destination: { connectorId: 'http', connectionId: w },
  }), [crm.id, warehouse.id]);
  await page.getByTestId('nav-integrations').click();
  const card = page.locator('[data-testid^="integration-"][data-readiness]').filter({ hasText: 'Contacts to warehouse' });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-readiness'), 'ready');

  // The provider restarts and forgets its tokens: Test both finds the source disconnected.
  await oauthPeer.stop();
  oauthPeer = await startOAuthPeer({ port: oauthPort });
  await card.getByTestId('test-both').click();
  const source = card.getByTestId('side-source');
  await card.locator('[data-testid="side-source"][data-status="disconnected"]').waitFor();
  assert.equal(await card.getAttribute('data-readiness'), 'attention');
  const action = source.getByTestId(`oauth-action-${crm.id}`);
  assert.equal(await action.getAttribute('data-action'), 'reauthorize');
  await shot(page, 'int-13-reauthorize-on-card');

  // Re-authorize right there: the same connection, and the integration is Ready again.
  await action.click();
  await source.getByTestId(`oauth-waiting-${crm.id}`).waitFor();
  await signIn();
  await card.locator('[data-testid="side-source"][data-status="connected"]').waitFor({ timeout: 15_000 });
  await card.and(page.locator('[data-readiness="ready"]')).waitFor();
  assert.equal((await card.getByTestId('integration-readiness').innerText()).trim(), 'Ready');
  assert.match(await source.getByTestId('connection-name').innerText(), /Sandbox · CRM/);
  const after = await page.evaluate(() => window.go.services.IntegrationService.ListIntegrations());
  assert.equal(after.find((i) => i.name === 'Contacts to warehouse').sides[0].connection.id, crm.id, 'the same connection');
  await shot(page, 'int-14-reauthorized-ready');
  await page.close();
  assert.deepEqual(browser.errors, [], 'no page errors');
});

test('1,000 integrations stay usable: a window of cards in the page, the filter finds any', async () => {
  assert.ok(ordersSandbox && warehouse, 'the first test made the connections');
  const page = await browser.newPage(app.url);
  const started = Date.now();
  const side = (c) => ({ connector: 'http', connection: c.name, environment: c.environment });
  const plan = await importMany(page, {
    integrations: Array.from({ length: 1000 }, (_, n) => ({
      name: `Tenant ${String(n).padStart(4, '0')} orders`, description: n % 3 ? '' : `Orders of tenant ${n}, hourly.`,
      active: n % 4 !== 0, source: side(ordersSandbox), destination: side(warehouse),
    })),
  });
  assert.equal(plan.steps.filter((st) => st.action === 'create').length, 1000, 'the import created 1,000 integrations');
  console.log(`# imported 1,000 integrations in ${Date.now() - started} ms`);
  await page.getByTestId('nav-integrations').click();
  await page.getByTestId('integrations-summary').getByText(/1,00\d integrations/).waitFor();
  const cards = page.locator('[data-testid^="integration-"][data-readiness]');
  const bounded = async (where) => {
    const n = await cards.count();
    assert.ok(n > 1 && n < 30, `${where}: ${n} cards in the DOM for 1,000 integrations`);
  };
  await bounded('at the top');
  const list = page.getByTestId('integrations-list');
  await list.evaluate((el) => { el.scrollTop = el.scrollHeight * 0.75; });
  await page.getByText('Tenant 0749 orders').or(page.getByText('Tenant 0750 orders')).first().waitFor();
  await bounded('three quarters down');
  await shot(page, 'int-15-1000-scrolled');
  await page.keyboard.press('/');
  const filter = page.getByTestId('integration-filter');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'integration-filter', '/ focuses the filter');
  await filter.fill('tenant 0999');
  await page.getByText('Tenant 0999 orders').waitFor();
  assert.equal(await cards.count(), 1);
  await page.getByTestId('integration-filter-paused').click();
  await page.getByTestId('integrations-no-match').waitFor();
  await filter.fill('tenant 0996');
  await page.getByText('Tenant 0996 orders').waitFor();
  await page.close();
  assert.deepEqual(browser.errors, [], 'no page errors');
});
