// Screenshots of the real app in realistic states, for people to look at:
// the Connectors page with eight connectors and a connection in every status
// (light and dark), the editor showing a failed test's diagnosis, and the app
// holding 1,000 connections. With PATCHBAY_SCREENSHOTS=docs the Connectors
// page also becomes the README's docs/screenshot.png. The editor's result
// must come into view by itself and Manage Connections must keep its DOM
// bounded with 1,000 connections: those are asserted, not only pictured.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, importMany, launchBrowser, newHome, root, shot, startApp, startPeer, settled } from './harness.mjs';

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

/** Fails unless the element is wholly inside the side panel's visible body. */
async function assertInView(p, locator, what) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is on the page`);
  const body = await p.locator('[role="dialog"] > .body').first().boundingBox();
  assert.ok(box.y >= body.y - 1 && box.y + box.height <= body.y + body.height + 1,
    `${what} is in view without scrolling: ${JSON.stringify(box)} in ${JSON.stringify(body)}`);
}

/** Fails unless the element is in the panel's action bar, which stays in view. */
async function assertInBar(p, locator, what) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is on the page`);
  const bar = await p.locator('[role="dialog"] > footer').first().boundingBox();
  assert.ok(bar && box.y >= bar.y - 1 && box.y + box.height <= bar.y + bar.height + 1,
    `${what} is in the action bar: ${JSON.stringify(box)} in ${JSON.stringify(bar)}`);
  assert.ok(bar.y + bar.height <= p.viewportSize().height + 1, 'the action bar is inside the window');
}

/**
 * The editor's aside card has no scrollbar of its own; when it fits, it
 * starts below the panel's header and ends inside the panel.
 */
async function assertAsideWhole(p) {
  const aside = p.locator('aside.aside');
  const own = await aside.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
  assert.equal(own, false, 'the aside does not scroll inside itself');
  const box = await aside.boundingBox();
  const body = await p.locator('[role="dialog"] > .body').first().boundingBox();
  if (box.height + 16 > body.height) return; // taller than the panel: it scrolls with the form
  assert.ok(box.y >= body.y + 8, `the aside's top edge is below the header: ${box.y} vs ${body.y}`);
  assert.ok(box.y + box.height <= body.y + body.height, 'the aside ends inside the panel');
}

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
  // Limited: the key works, but may not read what the test asks for.
  const reports = await save(draft('http', 'Reports (read-only key)', 'Production', 'apiKey',
    { testPath: '/forbidden/v1/reports', apiKeyIn: 'header', apiKeyName: 'X-API-Key' }, { apiKey: GOOD.http }), false);
  const limited = await retest(reports.connection.id);
  assert.equal(limited.status, 'limited', limited.summary);
  assert.match(limited.summary, /lack the scope reports:read, which GET \/forbidden\/v1\/reports needs/);
  // Unverified: saved offline.
  await save(draft('shopify', 'Storefront', 'Sandbox', 'apiKey', { shop: 'acme-dev', apiVersion: '2025-10' },
    { apiKey: GOOD.shopify }), false);

  await page.reload();
  await page.waitForFunction(() => window.go?.services?.ConnectionService !== undefined);
  for (const id of ['github', 'stripe', 'sendgrid', 'airtable', 'http', 'zendesk', 'jira', 'shopify']) {
    await page.getByTestId(`connector-card-${id}`).waitFor();
  }
  // A card with a disconnected connection shows that one until the user picks
  // another (it needs attention), not simply the first by name.
  const stripeSelect = page.getByTestId('connection-select-stripe');
  const options = await stripeSelect.locator('option').allInnerTexts();
  assert.equal(await stripeSelect.evaluate((el) => el.selectedOptions[0].text), options.find((o) => o.includes('Production')));
  await stripeSelect.selectOption({ label: options.find((o) => o.includes('Production')) });
  await page.getByTestId('connector-card-stripe').getByTestId('status-badge').getByText('Disconnected').waitFor();
  const statuses = await page.getByTestId('status-badge').evaluateAll((els) => els.map((e) => e.dataset.status));
  for (const s of ['connected', 'disconnected', 'limited', 'unreachable', 'unverified']) {
    assert.ok(statuses.includes(s), `a card shows ${s}: ${statuses}`);
  }
  const path = await shot(page, 'shot-connectors-light');
  if (process.env.PATCHBAY_SCREENSHOTS === 'docs') copyFileSync(path, join(root, 'docs', 'screenshot.png'));

  const dark = await browser.newPage(app.url, { colorScheme: 'dark' });
  await dark.getByTestId('connector-card-jira').waitFor();
  await shot(dark, 'shot-connectors-dark');
  await dark.close();

  // The editor showing a failed test's diagnosis (Jira: unreachable). The
  // result comes into view by itself, the buttons stay in the action bar, and the aside's card
  // is whole below the panel's header however far the form scrolled.
  await page.getByTestId('manage-jira').click();
  const editor = page.getByTestId('connection-editor');
  await editor.getByTestId('test-button').click();
  await editor.getByTestId('test-result').getByText('Unreachable').waitFor();
  assert.match(await editor.getByTestId('test-summary').innerText(), /refused|not listening|running/i);
  await assertInBar(page, page.getByTestId('test-button'), 'the Test button');
  await assertInView(page, editor.getByTestId('test-summary'), 'the diagnosis');
  await assertInView(page, editor.getByTestId('test-advice'), 'the advice');
  await assertAsideWhole(page);
  await shot(page, 'shot-editor-unreachable');
  await page.keyboard.press('Escape'); // nothing typed: closes at once
  await editor.waitFor({ state: 'detached' });

  // The Zendesk editor: credentials rejected, from Save (refused, not saved).
  await page.getByTestId('manage-zendesk').click();
  await editor.getByTestId('save-button').click();
  await editor.getByTestId('test-result').getByText('Disconnected').waitFor();
  await assertInView(page, editor.getByTestId('save-blocked'), '"Not saved yet"');
  await assertInView(page, editor.getByTestId('save-unverified-button'), 'Save without verifying');
  await assertInView(page, editor.getByTestId('test-summary'), 'the diagnosis');
  await assertAsideWhole(page);
  await shot(page, 'shot-editor-save-refused');
  await editor.getByTestId('test-button').click();
  await editor.getByTestId('save-blocked').waitFor({ state: 'detached' });
  await editor.getByTestId('test-result').getByText('Disconnected').waitFor();
  await assertInView(page, editor.getByTestId('test-summary'), 'the diagnosis');
  await shot(page, 'shot-editor-disconnected');

  // Typed changes: Esc asks first; Esc on the question keeps editing; Discard closes.
  await editor.getByTestId('field-name').fill('Support desk (renamed)');
  await page.keyboard.press('Escape');
  const discard = page.getByTestId('confirm-discard');
  await discard.waitFor();
  assert.match(await discard.innerText(), /Discard changes\?/);
  await settled(page);
  await shot(page, 'shot-editor-discard');
  await page.keyboard.press('Escape');
  await discard.waitFor({ state: 'detached' });
  assert.equal(await editor.getByTestId('field-name').inputValue(), 'Support desk (renamed)', 'still editing');
  await editor.getByTestId('cancel-editor').click();
  await discard.getByTestId('confirm-button').click();
  await editor.waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('connector-card-zendesk').innerText(), /Support desk/);
  assert.doesNotMatch(await page.getByTestId('connector-card-zendesk').innerText(), /renamed/);

  const darkEditor = await browser.newPage(app.url, { colorScheme: 'dark' });
  await darkEditor.getByTestId('manage-jira').click();
  await darkEditor.getByTestId('connection-editor').getByTestId('test-button').click();
  await darkEditor.getByTestId('test-result').getByText('Unreachable').waitFor();
  await assertInView(darkEditor, darkEditor.getByTestId('test-summary'), 'the diagnosis (dark)');
  await assertAsideWhole(darkEditor);
  await shot(darkEditor, 'shot-editor-unreachable-dark');
  await darkEditor.close();
  assert.deepEqual(browser.errors, []);
});

test('1,000 connections stay usable', async () => {
  const started = Date.now();
  await importMany(page, {
    connections: Array.from({ length: 1000 }, (_, i) => ({
      name: `Tenant ${String(i).padStart(4, '0')} API`, environment: i % 2 ? 'Sandbox' : 'Production', connector: 'http',
      auth: 'none', baseUrl: peer.url, timeoutSeconds: 5, settings: { testPath: '/' },
    })),
  });
  const list = await page.evaluate(() => window.go.services.ConnectionService.ListConnections());
  assert.ok(list.length >= 1000);
  await page.reload();
  await page.getByTestId('connector-card-http').waitFor();
  // The card shows the one that needs attention (the Limited one), not the
  // first of 1,002 by name.
  assert.match(await page.getByTestId('connection-select-http').evaluate((el) => el.selectedOptions[0].text),
    /Reports \(read-only key\)/);
  await shot(page, 'shot-1000-connectors');
  await page.getByTestId('manage-connections-http').click();
  const manage = page.getByTestId('manage-connections');
  await manage.waitFor();
  const rows = manage.locator('[data-testid^="connection-row-"]');
  const bounded = async (where) => {
    const n = await rows.count();
    assert.ok(n > 5 && n < 60, `${where}: ${n} rows in the DOM for 1,002 connections`);
  };
  await bounded('at the top');
  await manage.getByTestId('connection-group').first().getByText('Production').waitFor();
  await settled(page);
  await shot(page, 'shot-1000-manage');

  // Scrolling keeps the DOM bounded; the group heading stays pinned.
  const listEl = manage.getByTestId('connections-list');
  await listEl.evaluate((el) => { el.scrollTop = el.scrollHeight * 0.75; });
  await manage.getByText('Tenant 0501 API').waitFor();
  await bounded('three quarters down');
  assert.match(await manage.locator('.pinned').innerText(), /Sandbox/);
  await shot(page, 'shot-1000-manage-scrolled');
  await listEl.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await manage.getByText('Tenant 0999 API').waitFor();
  await bounded('at the end');

  // The filter finds one tenant among 1,002, and says how many it shows.
  const filter = manage.getByTestId('filter-connections');
  await filter.fill('Tenant 0999');
  await manage.getByTestId('connections-count').getByText('1 of 1,002').waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Tenant 0999 API/);
  // Its actions are a keyboard step away.
  await filter.press('ArrowDown');
  assert.match(await page.evaluate(() => document.activeElement?.dataset.testid ?? ''), /^retest-/);
  await page.keyboard.press('Tab');
  assert.match(await page.evaluate(() => document.activeElement?.dataset.testid ?? ''), /^edit-/);
  await shot(page, 'shot-1000-manage-filtered');
  await filter.fill('unverified sandbox');
  await manage.getByTestId('connections-count').getByText('500 of 1,002').waitFor();

  const dark = await browser.newPage(app.url, { colorScheme: 'dark' });
  await dark.getByTestId('manage-connections-http').click();
  await dark.getByTestId('manage-connections').waitFor();
  await dark.getByTestId('connections-list').evaluate((el) => { el.scrollTop = 32 + 501 * 56 - 300; });
  await dark.getByTestId('manage-connections').getByText('Tenant 0001 API').waitFor();
  await settled(dark);
  await shot(dark, 'shot-1000-manage-dark');
  await dark.close();
  console.log(`# imported 1,000 connections in ${Date.now() - started} ms`);
  assert.deepEqual(browser.errors, []);
});

// 10,000 connections: the first screen is drawn from the overview (counts
// and the connection each card shows) before the list arrives, the card's
// dropdown stays short, and Manage Connections keeps its DOM bounded.
test('10,000 connections: the first screen does not wait for the list', async () => {
  const before = await page.evaluate(() => window.go.services.ConnectionService.ConnectionsOverview());
  const started = Date.now();
  await importMany(page, {
    connections: Array.from({ length: Math.max(0, 10000 - before.total) }, (_, i) => ({
      name: `Tenant ${String(10000 + i).padStart(5, '0')} API`, environment: i % 2 ? 'Sandbox' : 'Production', connector: 'http',
      auth: 'none', baseUrl: peer.url, timeoutSeconds: 5, settings: { testPath: '/' },
    })),
  });
  const imported = Date.now() - started;
  const overview = await page.evaluate(() => window.go.services.ConnectionService.ConnectionsOverview());
  assert.ok(overview.total >= 10000, `${overview.total} connections`);
  const http = overview.connectors.find((c) => c.connectorId === 'http');

  const reloaded = Date.now();
  await page.reload();
  const card = page.getByTestId('connector-card-http');
  await card.waitFor();
  const firstCard = Date.now() - reloaded;
  assert.match(await card.innerText(), new RegExp(`${http.total.toLocaleString('en-US')} connections`));
  // The card shows Go's pick (after the tests above, the Limited one), and
  // its dropdown lists at most 50 of the 10,000 with a note of the rest.
  const select = page.getByTestId('connection-select-http');
  assert.equal(await select.inputValue(), http.shown.id);
  await select.locator('option', { hasText: 'more in Manage Connections' }).waitFor({ state: 'attached' });
  assert.ok(await select.locator('option').count() <= 52);
  await page.getByTestId('connectors-summary').getByText(`${overview.total.toLocaleString('en-US')} connections`).waitFor();
  await settled(page);
  await shot(page, 'shot-10000-connectors');

  await page.getByTestId('manage-connections-http').click();
  const manage = page.getByTestId('manage-connections');
  await manage.getByTestId('connections-count').getByText(`${http.total.toLocaleString('en-US')} connections`).waitFor();
  const rows = await manage.locator('[data-testid^="connection-row-"]').count();
  assert.ok(rows > 5 && rows < 60, `${rows} rows in the DOM for ${http.total} connections`);
  await manage.getByTestId('filter-connections').fill('Tenant 10000 API');
  await manage.getByTestId('connections-count').getByText(`1 of ${http.total.toLocaleString('en-US')}`).waitFor();
  await settled(page);
  await shot(page, 'shot-10000-manage-filtered');
  await page.getByTestId('close-manage').click();
  console.log(`# imported 9,000 more connections in ${imported} ms; after a reload the first card showed in ${firstCard} ms`);
  assert.deepEqual(browser.errors, []);
});
