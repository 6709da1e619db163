// Screenshots of the real app in realistic states, for people to look at:
// the Connectors page with eight connectors and a connection in every status
// (light and dark), the editor showing a failed test's diagnosis, and the app
// holding 1,000 connections. With PATCHBAY_SCREENSHOTS=docs the Connectors
// page also becomes the README's docs/screenshot.png.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, launchBrowser, newHome, root, shot, startApp, startPeer } from './harness.mjs';

// One accepted credential per connector, each in that platform's own format.
const GOOD = {
  github: 'ghp_pbDemoToken0000000000000000000000',
  stripe: 'sk_test_pbDemo51HxQ2b',
  sendgrid: 'SG.pbDemo.kQ29xLm',
  airtable: 'patpbDemo.8f2c1a',
  shopify: 'shpat_pbDemo2f9a',
  zendesk: 'zd-demo-token-31',
  jira: 'ATATT3xpbDemo',
  http: 'pb-demo-gateway-key',
};
let peer, home, app, browser, page;

before(async () => {
  peer = await startPeer(Object.values(GOOD).join(','));
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

/** Saves through the real bound API; verify=false saves as Unverified. */
async function save(draft, verify) {
  return page.evaluate(([d, v]) => window.go.services.ConnectionService.SaveConnection(d, v, ''), [draft, verify]);
}
async function retest(id) {
  return page.evaluate((i) => window.go.services.ConnectionService.RetestConnection(i, ''), id);
}
function draft(connectorId, name, environment, authType, settings, secrets, baseUrl = peer.url) {
  return { id: '', connectorId, name, environment, authType, baseUrl, settings, secrets, clearSecrets: [], timeoutSeconds: 5 };
}

test('Connectors page with a connection in every status, and the editor with a diagnosis', async () => {
  const refused = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  const connected = [
    draft('github', 'Octo org CI', 'Production', 'bearer', {}, { token: GOOD.github }),
    draft('stripe', 'Payments', 'Sandbox', 'bearer', {}, { token: GOOD.stripe }),
    draft('sendgrid', 'Transactional mail', 'Production', 'bearer', {}, { token: GOOD.sendgrid }),
    draft('airtable', 'Content calendar', 'Production', 'bearer', {}, { token: GOOD.airtable }),
    draft('http', 'Internal billing gateway — European region production cluster (legacy v1)', 'Production', 'apiKey',
      { testPath: '/v1/health', apiKeyIn: 'header', apiKeyName: 'X-API-Key' }, { apiKey: GOOD.http }),
  ];
  for (const d of connected) {
    const r = await save(d, true);
    assert.equal(r.saved, true, `${d.name}: ${r.verification?.summary}`);
  }
  // Disconnected: a revoked live key, and a Zendesk token that is wrong.
  for (const d of [
    draft('stripe', 'Payments', 'Production', 'bearer', {}, { token: 'sk_live_pbRevoked77' }),
    draft('zendesk', 'Support desk', 'Production', 'basic',
      { subdomain: 'acme', username: 'ada@example.test/token' }, { password: 'zd-wrong-token' }),
  ]) {
    const r = await save(d, false);
    assert.equal((await retest(r.connection.id)).status, 'disconnected');
  }
  // Unreachable: nothing listens at the Jira base URL.
  const jira = await save(draft('jira', 'Engineering tracker', 'Production', 'basic',
    { site: 'acme', username: 'ada@example.test' }, { password: GOOD.jira }, refused), false);
  assert.equal((await retest(jira.connection.id)).status, 'unreachable');
  // Unverified: saved offline.
  await save(draft('shopify', 'Storefront', 'Sandbox', 'apiKey', { shop: 'acme-dev', apiVersion: '2025-10' },
    { apiKey: GOOD.shopify }), false);

  await page.reload();
  await page.waitForFunction(() => window.go?.services?.ConnectionService !== undefined);
  for (const id of ['github', 'stripe', 'sendgrid', 'airtable', 'http', 'zendesk', 'jira', 'shopify']) {
    await page.getByTestId(`connector-card-${id}`).waitFor();
  }
  // Show the disconnected Stripe connection on its card.
  const stripeSelect = page.getByTestId('connection-select-stripe');
  const options = await stripeSelect.locator('option').allInnerTexts();
  await stripeSelect.selectOption({ label: options.find((o) => o.includes('Production')) });
  await page.getByTestId('connector-card-stripe').getByTestId('status-badge').getByText('Disconnected').waitFor();
  const statuses = await page.getByTestId('status-badge').evaluateAll((els) => els.map((e) => e.dataset.status));
  for (const s of ['connected', 'disconnected', 'unreachable', 'unverified']) {
    assert.ok(statuses.includes(s), `a card shows ${s}: ${statuses}`);
  }
  const path = await shot(page, 'shot-connectors-light');
  if (process.env.PATCHBAY_SCREENSHOTS === 'docs') copyFileSync(path, join(root, 'docs', 'screenshot.png'));

  const dark = await browser.newPage(app.url, { colorScheme: 'dark' });
  await dark.getByTestId('connector-card-jira').waitFor();
  await shot(dark, 'shot-connectors-dark');
  await dark.close();

  // The editor showing a failed test's diagnosis (Jira: unreachable).
  await page.getByTestId('manage-jira').click();
  const editor = page.getByTestId('connection-editor');
  await editor.getByTestId('test-button').click();
  await editor.getByTestId('test-result').getByText('Unreachable').waitFor();
  assert.match(await editor.getByTestId('test-summary').innerText(), /refused|not listening|running/i);
  await editor.getByTestId('test-result').scrollIntoViewIfNeeded();
  await shot(page, 'shot-editor-unreachable');
  await page.keyboard.press('Escape');

  // The Zendesk editor: credentials rejected.
  await page.getByTestId('manage-zendesk').click();
  await editor.getByTestId('test-button').click();
  await editor.getByTestId('test-result').getByText('Disconnected').waitFor();
  await editor.getByTestId('test-result').scrollIntoViewIfNeeded();
  await shot(page, 'shot-editor-disconnected');
  await page.keyboard.press('Escape');
  assert.deepEqual(browser.errors, []);
});

test('1,000 connections stay usable', async () => {
  const started = Date.now();
  await page.evaluate(async (base) => {
    const svc = window.go.services.ConnectionService;
    for (let i = 0; i < 1000; i++) {
      await svc.SaveConnection({
        id: '', connectorId: 'http', name: `Tenant ${String(i).padStart(4, '0')} API`, environment: i % 2 ? 'Sandbox' : 'Production',
        authType: 'none', baseUrl: base, settings: { testPath: '/' }, secrets: {}, clearSecrets: [], timeoutSeconds: 5,
      }, false, '');
    }
  }, peer.url);
  const list = await page.evaluate(() => window.go.services.ConnectionService.ListConnections());
  assert.ok(list.length >= 1000);
  await page.reload();
  await page.getByTestId('connector-card-http').waitFor();
  await shot(page, 'shot-1000-connectors');
  await page.getByTestId('manage-connections-http').click();
  await page.getByTestId('manage-connections').waitFor();
  await shot(page, 'shot-1000-manage');
  console.log(`# saved 1,000 connections in ${Date.now() - started} ms`);
  assert.deepEqual(browser.errors, []);
});
