// The Connectors page's cards and the undo of a delete, in the real app:
// + Add connection opens the editor for the card's connector; a deleted
// connection comes back with Undo, Connected, and a retest works (its
// keychain entry came back); screenshots of a card with several connections
// and of the toast after a delete (light and dark, 1280×800 and 1024×700).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appWithPeer, settled, shot } from './harness.mjs';

const GOOD = 'sk_test_pbCards51HxQ2b';
const env = appWithPeer(GOOD);

/** Saves through the real bound API; verify=false saves as Unverified. */
async function save(page, draft, verify) {
  return page.evaluate(([d, v]) => window.go.services.ConnectionService.SaveConnection(d, v, ''), [draft, verify]);
}
function stripe(name, environment, token) {
  return { id: '', connectorId: 'stripe', name, environment, authType: 'bearer', baseUrl: env.peer.url, settings: {},
    secrets: { token }, clearSecrets: [], timeoutSeconds: 5 };
}

const SIZES = [
  { width: 1280, height: 800, tag: '1280' },
  { width: 1024, height: 700, tag: '1024' },
];

/** Four shots of what is on screen: light and dark, at both sizes. */
async function shots(page, name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const s of SIZES) {
      await page.setViewportSize({ width: s.width, height: s.height });
      await settled(page);
      await shot(page, `${name}-${scheme}-${s.tag}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('+ Add connection opens the editor for the connector; Undo brings a deleted connection back, connected', async () => {
  const page = await env.browser.newPage(env.app.url);
  const prod = await save(page, stripe('Billing', 'Production', GOOD), true);
  assert.equal(prod.saved, true, prod.verification?.summary);
  const broken = await save(page, stripe('Billing', 'Sandbox', 'sk_test_revoked'), false);
  await page.evaluate((id) => window.go.services.ConnectionService.RetestConnection(id, ''), broken.connection.id);
  await page.reload();
  const card = page.getByTestId('connector-card-stripe');
  const select = card.getByTestId('connection-select-stripe');
  await card.waitFor();

  // + Add connection: a new connection of this card's connector.
  await card.getByTestId('add-connection-stripe').click();
  const editor = page.getByTestId('connection-editor');
  await editor.waitFor();
  assert.equal(await page.getByRole('dialog').locator('h2').first().innerText(), 'New Stripe connection');
  assert.equal(await editor.getByTestId('field-name').inputValue(), '', 'a new connection, not the shown one');
  await page.getByTestId('close-editor').click();
  await editor.waitFor({ state: 'detached' });

  // The user picks Production; the card keeps it (the Sandbox one needs attention).
  await select.selectOption(prod.connection.id);
  await page.reload();
  await card.waitFor();
  assert.equal(await select.inputValue(), prod.connection.id, 'the choice outlives a reload');

  // Delete it from Manage Connections, then Undo from the toast.
  await card.getByTestId('manage-connections-stripe').click();
  const manage = page.getByTestId('manage-connections');
  await manage.getByTestId(`delete-${prod.connection.id}`).click();
  await page.getByTestId('confirm-button').click();
  await manage.getByTestId(`connection-row-${prod.connection.id}`).waitFor({ state: 'detached' });
  const toast = page.getByTestId('toast').filter({ hasText: 'Deleted' });
  assert.match(await toast.innerText(), /Deleted “Production · Billing”/);
  await toast.getByTestId('undo-delete').click();
  await page.getByTestId('toast').filter({ hasText: 'Restored “Production · Billing”' }).waitFor();
  await manage.getByTestId(`connection-row-${prod.connection.id}`).waitFor();
  await page.keyboard.press('Escape');
  await manage.waitFor({ state: 'detached' });

  // Back on its card, Connected; a retest works: the keychain entry came back.
  assert.equal(await select.inputValue(), prod.connection.id, 'the card shows it again');
  await card.getByTestId('card-retest-stripe').click();
  await page.getByTestId('toast').filter({ hasText: 'Production · Billing:' }).waitFor();
  assert.equal(await card.getByTestId('status-badge').first().getAttribute('data-status'), 'connected');
  const again = await page.evaluate((id) => window.go.services.ConnectionService.RetestConnection(id, ''), prod.connection.id);
  assert.equal(again.status, 'connected', again.summary);
  assert.deepEqual(env.browser.errors, [], 'no page errors');
  await page.close();
});

test('screenshots: a card with several connections, and the toast after a delete', async () => {
  const page = await env.browser.newPage(env.app.url);
  const prod = await save(page, stripe('Payments', 'Production', GOOD), true);
  assert.equal(prod.saved, true, prod.verification?.summary);
  const sandbox = await save(page, stripe('Payments', 'Sandbox', 'sk_test_revoked'), false);
  await page.evaluate((id) => window.go.services.ConnectionService.RetestConnection(id, ''), sandbox.connection.id);
  await save(page, stripe('Refunds worker', 'Test', GOOD), false);
  for (const [connectorId, name, token] of [['github', 'Octo org CI', 'ghp_pbCards000000000000000000000000000'],
    ['sendgrid', 'Transactional mail', 'SG.pbCards.kQ29xLm']]) {
    const r = await save(page, { ...stripe(name, 'Production', token), connectorId }, false);
    assert.equal(r.saved, true);
  }
  await page.reload();
  const card = page.getByTestId('connector-card-stripe');
  await card.waitFor();
  const prefix = process.env.SHOT_PREFIX ?? 'cards';
  await shots(page, `${prefix}-card`);

  // At every width the footer's buttons hold their labels (at the
  // narrowest cards they say "Edit" and "Add").
  for (const width of [1280, 1250, 1240, 1180, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    const clipped = await page.locator('.connector-card footer .btn').evaluateAll((els) =>
      els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => `${el.textContent} ${el.scrollWidth}>${el.clientWidth}`));
    assert.deepEqual(clipped, [], `no clipped button at ${width}px`);
  }
  await page.setViewportSize({ width: 1180, height: 800 });
  await shot(page, `${prefix}-narrow-cards-light-1180`);
  await page.setViewportSize({ width: 1280, height: 800 });

  // A search shows the connection it names on its card.
  await page.getByPlaceholder('Search connections').fill('refunds');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="connection-select-stripe"]')?.selectedOptions[0]?.textContent.includes('Refunds'));
  await shot(page, `${prefix}-search-light-1280`);
  await page.getByPlaceholder('Search connections').fill('');

  await card.getByTestId('manage-connections-stripe').click();
  const manage = page.getByTestId('manage-connections');
  await manage.waitFor();
  await manage.getByTestId(`delete-${prod.connection.id}`).click();
  await page.getByTestId('confirm-button').click();
  await page.getByTestId('toast').first().waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('manage-connections').waitFor({ state: 'detached' });
  await shots(page, `${prefix}-toast`);
  assert.deepEqual(env.browser.errors, [], 'no page errors');
});
