// End to end, in the real app, by keyboard: Ctrl+N opens the connector
// picker, the new connection is tested with Ctrl+Enter (against the local
// peer) and saved with Ctrl+S, Ctrl+K finds it by part of its name among
// 2,000 and Enter opens it, ? shows the shortcut sheet (and types a ? in a
// field), Esc closes the topmost thing only; Cmd on a Mac. Screenshots of the
// switcher and the sheet, light and dark, at 1280×800 and 1024×700.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appWithPeer, chooseAuth, importMany, settled, shot } from './harness.mjs';

const KEY = 'pb-e2e-shortcut-key-51c2';
const env = appWithPeer(KEY);

const LONG = [
  'Customer data platform export for the EMEA finance reconciliation team (nightly, all regions)',
  'Finance warehouse',
  'Finance: accounts payable sync with the procurement system of the Benelux subsidiaries',
];

/** 2,000 connections (and a few long names) through the app's own import: the switcher has a haystack. */
async function seed(page) {
  const plan = await importMany(page, {
    connections: [
      ...Array.from({ length: 2000 }, (_, i) => ({
        name: `Tenant ${String(i).padStart(4, '0')} API`, environment: ['Production', 'Sandbox', 'Staging'][i % 3],
        connector: 'http', auth: 'none', baseUrl: env.peer.url, timeoutSeconds: 5, settings: { testPath: '/' },
      })),
      ...LONG.map((name, i) => ({
        name, environment: i === 0 ? 'Production EU West (Frankfurt)' : 'Sandbox', connector: 'http', auth: 'none',
        baseUrl: env.peer.url, timeoutSeconds: 5, settings: { testPath: '/' },
      })),
    ],
  });
  assert.equal(plan.steps.filter((s) => s.action === 'create').length, 2000 + LONG.length);
}

/** The element that has focus, by its test id ("" for none). */
const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');

test('every shortcut, pressed in the real app', async () => {
  let page = await env.browser.newPage(env.app.url);
  await seed(page);
  await page.reload();
  await page.getByTestId('connector-card-http').waitFor();

  // Ctrl+N: the connector picker, its search in focus; Enter picks the best match.
  await page.keyboard.press('Control+n');
  await page.getByTestId('connector-picker').waitFor();
  assert.equal(await focused(page), 'picker-search');
  await page.keyboard.type('http api');
  await page.keyboard.press('Enter');
  const editor = page.getByTestId('connection-editor');
  await editor.waitFor();
  assert.equal(await editor.getByTestId('test-button').getAttribute('title'), 'Test connection (Ctrl+Enter)');
  assert.equal(await editor.getByTestId('save-button').getAttribute('title'), 'Save (Ctrl+S)');

  await editor.getByTestId('field-name').fill('Ledger sync');
  await editor.getByTestId('field-environment').fill('Staging');
  await chooseAuth(editor, 'apiKey');
  await editor.getByTestId('field-baseUrl').fill(env.peer.url);
  await editor.getByTestId('field-testPath').fill('/v1/me');
  await editor.getByTestId('field-apiKeyName').fill('X-API-Key');
  await editor.getByTestId('field-apiKey').fill(KEY);
  const count = async () => (await page.evaluate(() => window.go.services.ConnectionService.ConnectionsOverview())).total;
  const before = await count();

  // Ctrl+Enter in a field tests (and does not submit the form: nothing is saved).
  assert.equal(await focused(page), 'field-apiKey');
  await page.keyboard.press('Control+Enter');
  await editor.getByTestId('test-result').getByText('Connected').waitFor();
  assert.equal(await count(), before, 'Ctrl+Enter only tested');
  assert.ok(await editor.isVisible(), 'the editor stays open after a test');

  // Ctrl+S in a field saves (a verified save): the editor closes with the toast.
  await editor.getByTestId('field-name').focus();
  await page.keyboard.press('Control+s');
  await editor.waitFor({ state: 'detached' });
  await page.getByTestId('toast').getByText('Saved “Ledger sync”').waitFor();
  assert.equal(await count(), before + 1);

  // Ctrl+K: part of the name among 2,000 finds it; Enter opens it in the editor.
  await page.keyboard.press('Control+k');
  const switcher = page.getByTestId('quick-switcher');
  await switcher.waitFor();
  assert.equal(await focused(page), 'switcher-search');
  await page.keyboard.type('ledg');
  const first = switcher.getByRole('option').first();
  await first.getByText('Ledger sync').waitFor();
  assert.equal(await first.getAttribute('aria-selected'), 'true');
  assert.equal(await first.getAttribute('data-kind'), 'connection');
  await page.keyboard.press('Enter');
  await editor.waitFor();
  await switcher.waitFor({ state: 'detached' });
  assert.equal(await editor.getByTestId('field-name').inputValue(), 'Ledger sync');

  // Ctrl+Enter tests the saved connection (its key from the keychain) against the peer.
  await page.keyboard.press('Control+Enter');
  await editor.getByTestId('test-result').getByText('Connected').waitFor();

  // An edit, then Ctrl+S saves it.
  await editor.getByTestId('field-environment').fill('Staging EU');
  await page.keyboard.press('Control+s');
  await editor.waitFor({ state: 'detached' });
  const saved = (await page.evaluate(() => window.go.services.ConnectionService.ListConnections())).find((c) => c.name === 'Ledger sync');
  assert.equal(saved.environment, 'Staging EU');

  // Esc closes the topmost thing only: the switcher over the editor, then the editor.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('ledger');
  await switcher.getByRole('option').first().getByText('Ledger sync').waitFor();
  await page.keyboard.press('Enter');
  await editor.waitFor();
  await page.keyboard.press('Control+k');
  await switcher.waitFor();
  await page.keyboard.press('Escape');
  await switcher.waitFor({ state: 'detached' });
  assert.ok(await editor.isVisible(), 'Esc closed the switcher, not the editor under it');
  // Ctrl+N does nothing over the editor: the next Esc closes the editor, not a picker.
  await page.keyboard.press('Control+n');
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('connector-picker').count(), 0);

  // ? typed in a field is a ?; with focus elsewhere it shows the sheet, and Esc closes it.
  const search = page.getByTestId('search');
  await search.click();
  await page.keyboard.press('?');
  assert.equal(await search.inputValue(), '?');
  assert.equal(await page.getByTestId('shortcut-sheet').count(), 0);
  await search.fill('');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcut-sheet');
  await sheet.waitFor();
  for (const keys of ['Ctrl+K', 'Ctrl+N', 'Ctrl+Enter', 'Ctrl+S', '?', 'Esc']) {
    assert.ok(await sheet.locator(`dt[aria-label="${keys}"]`).count() >= 1, `the sheet lists ${keys}`);
  }
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });

  // On the Integrations page, Ctrl+N starts a new integration.
  await page.getByTestId('nav-integrations').click();
  await page.getByTestId('integrations-page').or(page.getByTestId('integrations-empty')).first().waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Control+n');
  await page.getByTestId('integration-editor').waitFor();
  // Not over the integration editor: Ctrl+K keeps out (it would drop what is typed there),
  // so the next Esc closes the integration editor.
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Escape');
  await page.getByTestId('integration-editor').waitFor({ state: 'detached' });
  assert.equal(await switcher.count(), 0);

  // Ctrl+K → a page.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('connection log');
  await switcher.getByTestId('switch-page-log').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('log-page').waitFor();
  await page.close();

  // On a Mac: Cmd, not Ctrl, and the sheet says ⌘.
  page = await env.browser.newPage(env.app.url);
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'platform', { get: () => 'MacIntel' });
    Object.defineProperty(navigator, 'userAgentData', { get: () => ({ platform: 'macOS' }) });
  });
  await page.reload();
  await page.getByTestId('connector-card-http').waitFor();
  // Had Ctrl+K opened the switcher, Cmd+K would close it again (it toggles).
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Meta+k');
  await page.getByTestId('quick-switcher').waitFor();
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  const macSheet = page.getByTestId('shortcut-sheet');
  await macSheet.waitFor();
  assert.equal(await macSheet.locator('dt[aria-label="⌘K"]').count(), 1);
  assert.ok(!(await macSheet.innerText()).includes('Ctrl+'), 'no Ctrl shortcut on a Mac');
  await page.close();

  assert.deepEqual(env.browser.errors, [], 'no page errors');
});

test('screenshots: the switcher and the sheet, light and dark, large and small', async () => {
  // Run alone, it seeds the connections itself.
  const first = await env.browser.newPage(env.app.url);
  if ((await first.evaluate(() => window.go.services.ConnectionService.ConnectionsOverview())).total < 2000) await seed(first);
  await first.close();
  for (const [width, height] of [[1280, 800], [1024, 700]]) {
    for (const scheme of ['light', 'dark']) {
      const page = await env.browser.newPage(env.app.url, { colorScheme: scheme, width, height });
      await page.getByTestId('connector-card-http').waitFor();
      const tag = `${scheme}-${width}`;

      await page.keyboard.press('Control+k');
      const switcher = page.getByTestId('quick-switcher');
      await switcher.waitFor();
      await settled(page);
      await shot(page, `keys-switcher-empty-${tag}`);

      await page.keyboard.type('fin');
      await switcher.getByText('Finance warehouse').waitFor();
      await settled(page);
      await shot(page, `keys-switcher-long-${tag}`);

      await page.getByTestId('switcher-search').fill('tenant 01');
      await switcher.getByTestId('switcher-count').getByText(/50 of [\d,]+ shown/).waitFor();
      await shot(page, `keys-switcher-many-${tag}`);

      await page.getByTestId('switcher-search').fill('quarterly payroll export');
      await switcher.getByTestId('switcher-none').waitFor();
      await shot(page, `keys-switcher-none-${tag}`);

      await page.keyboard.press('Escape');
      await switcher.waitFor({ state: 'detached' });
      await page.keyboard.press('?');
      await page.getByTestId('shortcut-sheet').waitFor();
      await settled(page);
      await shot(page, `keys-sheet-${tag}`);
      await page.close();
    }
  }
  assert.deepEqual(env.browser.errors, [], 'no page errors');
});
