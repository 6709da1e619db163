// OAuth 2.0 end to end in the real app, with headless Chromium as the system
// browser: the app's PATCHBAY_BROWSER (e2e/open-url.mjs) hands each sign-in
// link to this test, which opens it in a Chromium tab; the provider
// (e2e/oauthpeer: go-oauth2 with PKCE enforced, refresh rotation) approves and
// redirects to the app's loopback listener, exactly as a person's browser would.
//
// Connect from the editor (authorize + test + save) → Connected with scopes;
// the provider forgets its tokens → the card says Re-authorize → re-authorize
// from the card → Connected, same connection id; a denied sign-in → a clear
// error and nothing saved; Cancel while waiting; "Save without connecting" →
// Connect from the card. Screenshots land in e2e/artifacts/oauth-*.png.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, launchBrowser, newHome, shot, startApp, startBrowserHook, startOAuthPeer, settled, openNewEditor, openAdvanced } from './harness.mjs';

const CLIENT_ID = 'patchbay-e2e';
const CLIENT_SECRET = 'e2e-client-secret';
const SCOPES = 'openid profile email';
let peerPort, peer, hook, home, app, browser, page;
/** The id of the connection the first test creates. */
let connectionId = '';

before(async () => {
  peerPort = await freePort();
  peer = await startOAuthPeer({ port: peerPort });
  hook = await startBrowserHook();
  home = newHome();
  app = await startApp(home.dir, { env: hook.env() });
  browser = await launchBrowser();
  page = await browser.newPage(app.url);
});

after(async () => {
  await browser?.close();
  await app?.stop();
  await peer?.stop();
  await hook?.close();
  home?.remove();
});

/** Waits for panels to finish sliding in (and clears toasts), so a screenshot shows the screen settled. */
async function settledWithoutToasts(p) {
  for (const close of await p.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).all()) {
    await close.click().catch(() => {}); // it may have gone by itself
  }
  await settled(p);
}

const badge = (scope) => scope.getByTestId('status-badge').first();

/** Opens a new OAuth 2.0 HTTP API connection in the editor and fills it for the peer. */
async function newConnection(name) {
  const editor = await openNewEditor(page, 'oauth', 'oauth2-http');
  await editor.getByTestId('field-name').fill(name);
  await editor.getByTestId('field-environment').fill('Sandbox');
  await editor.getByTestId('auth-oauth2AuthorizationCode').check();
  await editor.getByTestId('field-baseUrl').fill(peer.url);
  await editor.getByTestId('field-testPath').fill('/userinfo');
  await editor.getByTestId('field-authorizationUrl').fill(`${peer.url}/authorize`);
  await editor.getByTestId('field-tokenUrl').fill(`${peer.url}/token`);
  await editor.getByTestId('field-clientId').fill(CLIENT_ID);
  await editor.getByTestId('field-clientSecret').fill(CLIENT_SECRET);
  await editor.getByTestId('field-scopes').fill(SCOPES);
  return editor;
}

/** Takes the link the app opened and signs in with it in a Chromium tab. */
async function approveInBrowser(expect = /You.re connected/) {
  const url = await hook.nextUrl();
  assert.ok(url.startsWith(`${peer.url}/authorize?`), `the app opened the provider's authorization URL: ${url}`);
  const q = new URL(url).searchParams;
  assert.equal(q.get('code_challenge_method'), 'S256', 'PKCE S256');
  assert.ok(q.get('state'), 'a state');
  assert.match(q.get('redirect_uri'), /^http:\/\/127\.0\.0\.1:\d+\/callback$/, 'a loopback redirect URI');
  const tab = await browser.openTab(url);
  // The provider approved and redirected to the app's listener, which sends
  // the browser on to a clean page (the code leaves the address bar) that says how it went.
  await tab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/done$/);
  assert.match(await tab.locator('body').innerText(), expect);
  return tab;
}

test('Connect signs in in the browser, tests and saves: the card turns Connected with the granted scopes', async () => {
  const editor = await newConnection('Ada at the provider');
  // The redirect URI to register, before anything runs; Connect instead of Test/Save.
  assert.equal(await editor.getByTestId('oauth-redirect-preview').innerText(), 'http://127.0.0.1/callback');
  await editor.getByTestId('connect-button').waitFor();
  assert.equal(await editor.getByTestId('save-button').isVisible(), false, 'no Save before the sign-in');
  assert.equal(await editor.getByTestId('test-button').isVisible(), false, 'no Test before the sign-in');
  // Advanced holds the redirect and client authentication settings.
  await openAdvanced(editor);
  await editor.getByTestId('field-redirectPort').waitFor();
  await editor.getByTestId('connect-button').scrollIntoViewIfNeeded();
  await settledWithoutToasts(page);
  await shot(page, 'oauth-01-editor-before-connect');

  await editor.getByTestId('connect-button').click();
  const url = await hook.nextUrl();
  // Waiting: the stage, the redirect URI the listener is on, the link, Cancel.
  const waiting = editor.getByTestId('oauth-waiting');
  await waiting.waitFor();
  await editor.locator('[data-testid="oauth-stage"][data-stage="browser_opened"]').waitFor();
  assert.match(await editor.getByTestId('oauth-stage').innerText(), /Waiting for you to sign in in your browser/);
  const redirect = await editor.getByTestId('oauth-redirect-uri').innerText();
  assert.match(redirect, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  assert.equal(new URL(url).searchParams.get('redirect_uri'), redirect, 'the shown redirect URI is the one sent');
  assert.equal(await editor.getByTestId('copy-signin-link').isEnabled(), true);
  await editor.getByTestId('cancel-oauth').waitFor();
  await shot(page, 'oauth-02-waiting-for-browser');

  // The "system browser" opens the link; the provider approves.
  const tab = await browser.openTab(url);
  await tab.waitForURL(/\/done$/);
  assert.match(await tab.locator('body').innerText(), /You.re connected/);
  await tab.close();

  // The result in place: Connected, scopes, expiry, refreshable. (The
  // generic connector has no identity template: "Connected as" is proven
  // with a connector that has one, below.)
  const result = editor.getByTestId('oauth-result');
  await result.waitFor({ timeout: 15_000 });
  await badge(result).getByText('Connected').waitFor();
  assert.deepEqual(await editor.getByTestId('oauth-scope').allInnerTexts(), SCOPES.split(' '));
  assert.match(await editor.getByTestId('oauth-expiry').innerText(), /^Expires in (59 min|1 h)$/);
  assert.equal(await editor.getByTestId('oauth-refreshable').getAttribute('data-refreshable'), 'true');
  assert.ok(!(await editor.innerText()).includes(CLIENT_SECRET), 'the client secret is not echoed');
  // Its log: the browser's authorization and the code exchange, then the test.
  assert.match(await editor.getByTestId('toggle-last-request').innerText(), /3 exchanges/);
  await editor.getByTestId('toggle-last-request').click();
  const urls = (await editor.getByTestId('exchange').allInnerTexts()).join('\n');
  for (const path of ['/authorize', '/token', '/userinfo']) assert.ok(urls.includes(path), `${path} is in the run`);
  await editor.getByTestId('toggle-last-request').click();
  await settledWithoutToasts(page);
  await shot(page, 'oauth-03-connected-in-editor');

  // Done closes without "Discard changes?": everything is saved.
  await editor.getByTestId('oauth-done').click();
  await editor.waitFor({ state: 'detached' });
  const card = page.getByTestId('connector-card-oauth2-http');
  await badge(card).getByText('Connected').waitFor();
  const facts = card.getByTestId('oauth-facts');
  assert.match(await facts.innerText(), /3 scopes/);
  assert.match(await facts.getAttribute('title'), /Granted scopes: openid profile email/);
  connectionId = await card.getByTestId('connection-select-oauth2-http').inputValue();
  assert.match(connectionId, /^[0-9a-f]{32}$/);
  await settledWithoutToasts(page);
  await shot(page, 'oauth-04-card-connected');
});

test('a revoked authorization asks to Re-authorize on the card; signing in again keeps the connection', async () => {
  assert.ok(connectionId, 'the first test made the connection');
  // A restarted provider has forgotten every token it issued: the access
  // token gets a 401 and the refresh token is invalid_grant.
  await peer.stop();
  peer = await startOAuthPeer({ port: peerPort });

  const card = page.getByTestId('connector-card-oauth2-http');
  await card.getByTestId('card-retest-oauth2-http').click();
  await badge(card).getByText('Disconnected').waitFor();
  assert.match(await card.innerText(), /Re-authorize/);
  const action = card.getByTestId(`oauth-action-${connectionId}`);
  assert.equal(await action.getAttribute('data-action'), 'reauthorize');
  await settledWithoutToasts(page);
  await shot(page, 'oauth-05-card-reauthorize');

  // Manage Connections offers it on the row too.
  await card.getByTestId('manage-connections-oauth2-http').click();
  const manage = page.getByTestId('manage-connections');
  await manage.waitFor();
  await manage.getByTestId(`oauth-action-${connectionId}`).waitFor();
  await settledWithoutToasts(page);
  await shot(page, 'oauth-06-manage-reauthorize');
  await page.keyboard.press('Escape');
  await manage.waitFor({ state: 'detached' });

  // Re-authorize right from the card.
  await action.click();
  await card.getByTestId(`oauth-waiting-${connectionId}`).waitFor();
  const tab = await approveInBrowser();
  await tab.close();
  await badge(card).getByText('Connected').waitFor({ timeout: 15_000 });
  assert.equal(await card.getByTestId('connection-select-oauth2-http').inputValue(), connectionId, 'the same connection');
  assert.match(await card.innerText(), /1 connection\b/);
  await page.getByTestId('toast').filter({ hasText: /“(?:[^“”]+ · )?Ada at the provider” is connected/ }).first().waitFor();
  await shot(page, 'oauth-07-card-reauthorized'); // with its toast
});

test('a denied sign-in says so in place and saves nothing', async () => {
  await peer.control('deny?code=access_denied');
  try {
    const editor = await newConnection('Denied attempt');
    // Enter in a field is Connect here (there is no Save before the sign-in).
    await editor.getByTestId('field-scopes').press('Enter');
    const tab = await approveInBrowser(/Authorization failed/);
    await tab.close();
    const error = editor.getByTestId('oauth-error');
    await error.waitFor({ timeout: 15_000 });
    assert.equal(await error.getAttribute('data-code'), 'verification_failed');
    assert.match(await editor.getByTestId('oauth-error-message').innerText(), /Access was denied in the browser.*nothing was saved/s);
    // Connect is offered again right away.
    assert.equal(await editor.getByTestId('connect-button').isEnabled(), true);
    await settledWithoutToasts(page);
    await shot(page, 'oauth-08-denied');

    // Leaving asks first (the typed settings are not saved), then nothing is there.
    await editor.getByTestId('oauth-cancel-editor').click();
    await page.getByTestId('confirm-discard').getByTestId('confirm-button').click();
    await editor.waitFor({ state: 'detached' });
    const card = page.getByTestId('connector-card-oauth2-http');
    assert.match(await card.innerText(), /1 connection\b/);
    const options = await card.getByTestId('connection-select-oauth2-http').locator('option').allInnerTexts();
    assert.ok(!options.some((o) => o.includes('Denied attempt')), `nothing saved: ${options}`);
  } finally {
    await peer.control('deny?code=');
  }
});

test('a fixed redirect port in use and a token endpoint answering HTML are explained in place; nothing is saved', async () => {
  const busy = createServer();
  await new Promise((ok) => busy.listen(0, '127.0.0.1', ok));
  const port = busy.address().port;
  try {
    const editor = await newConnection('Port trouble');
    await openAdvanced(editor);
    await editor.getByTestId('field-redirectPort').fill(String(port));
    assert.equal(await editor.getByTestId('oauth-redirect-preview').innerText(), `http://127.0.0.1:${port}/callback`);
    await editor.getByTestId('connect-button').click();
    const error = editor.getByTestId('oauth-error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'validation');
    assert.match(await error.innerText(), /Check “Redirect port”/);
    assert.match(await editor.getByTestId('error-redirectPort').innerText(), new RegExp(`Port ${port} .*already in use`));
    assert.deepEqual(hook.pending(), [], 'no browser was opened');
    await editor.getByTestId('oauth-error-field').click();
    assert.equal(await editor.getByTestId('field-redirectPort').evaluate((el) => el === document.activeElement), true);
    await editor.getByTestId('field-redirectPort').scrollIntoViewIfNeeded();
    await settledWithoutToasts(page);
    await shot(page, 'oauth-13-port-in-use');

    // Any free port again; the provider's token endpoint now answers a login page.
    await editor.getByTestId('field-redirectPort').fill('');
    await peer.control('token-mode?mode=html');
    await editor.getByTestId('connect-button').click();
    const tab = await approveInBrowser();
    await tab.close();
    const result = editor.getByTestId('oauth-result');
    await result.waitFor({ timeout: 15_000 });
    assert.equal(await result.getAttribute('data-saved'), 'false');
    assert.match(await editor.getByTestId('test-summary').innerText(), /HTML|web page/i);
    await editor.getByTestId('oauth-not-saved').waitFor();
    await result.scrollIntoViewIfNeeded();
    await settledWithoutToasts(page);
    await shot(page, 'oauth-14-token-endpoint-html');

    await editor.getByTestId('oauth-cancel-editor').click();
    await page.getByTestId('confirm-discard').getByTestId('confirm-button').click();
    await editor.waitFor({ state: 'detached' });
    const options = await page.getByTestId('connection-select-oauth2-http').locator('option').allInnerTexts();
    assert.ok(!options.some((o) => o.includes('Port trouble')), `nothing saved: ${options}`);
  } finally {
    await peer.control('token-mode?mode=');
    await new Promise((ok) => busy.close(ok));
  }
});

test('Cancel while waiting for the browser stops the sign-in and changes nothing (dark)', async () => {
  const dark = await browser.newPage(app.url, { colorScheme: 'dark' });
  try {
    const card = dark.getByTestId('connector-card-oauth2-http');
    await badge(card).getByText('Connected').waitFor();
    await settledWithoutToasts(dark);
    await shot(dark, 'oauth-09-card-connected-dark');

    // The editor of an authorized connection: what the token grants, Re-authorize, Test and Save.
    await card.getByTestId('manage-oauth2-http').click();
    const editor = dark.getByTestId('connection-editor');
    await editor.waitFor();
    assert.equal(await editor.getByTestId('oauth-connect').getAttribute('data-mode'), 'manage');
    await editor.getByTestId('save-button').waitFor();
    assert.match(await editor.getByTestId('oauth-expiry').innerText(), /^Expires in/);
    await editor.getByTestId('reauthorize-button').click();
    const url = await hook.nextUrl();
    assert.ok(url.startsWith(`${peer.url}/authorize?`));
    await editor.locator('[data-testid="oauth-stage"][data-stage="browser_opened"]').waitFor();
    await editor.getByTestId('oauth-waiting').scrollIntoViewIfNeeded();
    await settledWithoutToasts(dark);
    await shot(dark, 'oauth-10-waiting-dark');

    await editor.getByTestId('cancel-oauth').click();
    await editor.getByTestId('oauth-canceled').waitFor({ timeout: 10_000 });
    assert.match(await editor.getByTestId('oauth-canceled').innerText(), /Nothing changed/);
    // The listener is closed: the link's redirect no longer reaches Patchbay.
    const redirect = new URL(url).searchParams.get('redirect_uri');
    await assert.rejects(fetch(`${redirect}?code=x&state=y`), 'the loopback listener is closed after Cancel');
    await editor.getByTestId('cancel-editor').click();
    await editor.waitFor({ state: 'detached' });
    await badge(card).getByText('Connected').waitFor();
  } finally {
    await dark.close();
  }
});

test('Save without connecting, then Connect from the card', async () => {
  const editor = await newConnection('Saved for later');
  await editor.getByTestId('save-unconnected-button').click();
  await editor.waitFor({ state: 'detached' });
  const card = page.getByTestId('connector-card-oauth2-http');
  const select = card.getByTestId('connection-select-oauth2-http');
  const option = select.locator('option', { hasText: 'Saved for later' });
  const id = await option.getAttribute('value');
  await select.selectOption(id);
  const connect = card.getByTestId(`oauth-action-${id}`);
  assert.equal(await connect.getAttribute('data-action'), 'connect');
  await settledWithoutToasts(page);
  await shot(page, 'oauth-11-card-connect');

  await connect.click();
  const tab = await approveInBrowser();
  await tab.close();
  await badge(card).getByText('Connected').waitFor({ timeout: 15_000 });
  assert.equal(await select.inputValue(), id);
  assert.match(await card.innerText(), /2 connections\b/);

  // Manage Connections lists what each token grants.
  await card.getByTestId('manage-connections-oauth2-http').click();
  const manage = page.getByTestId('manage-connections');
  await manage.waitFor();
  const row = manage.getByTestId(`connection-row-${id}`);
  assert.match(await row.getByTestId('oauth-facts').innerText(), /3 scopes/);
  await settledWithoutToasts(page);
  await shot(page, 'oauth-15-manage-connected');
  await page.keyboard.press('Escape');
  await manage.waitFor({ state: 'detached' });
});

test('a connector with an identity template says who is connected', async () => {
  // A definition pointed at the peer, imported through the same binding the
  // picker's Import uses after its file dialog (which cannot be driven here).
  const def = {
    id: 'peer-accounts',
    name: 'Peer Accounts',
    category: 'Testing',
    description: 'The e2e OAuth provider as a catalog connector.',
    baseUrl: peer.url,
    auth: [{
      type: 'oauth2AuthorizationCode',
      label: 'Sign in with Peer Accounts',
      oauth: { authorizationUrl: `${peer.url}/authorize`, tokenUrl: `${peer.url}/token`, scopes: ['openid', 'email'] },
    }],
    test: { method: 'GET', path: '/userinfo', identity: '{{name}} <{{email}}>' },
    setup: ['Register a desktop client with Peer Accounts.'],
  };
  const file = join(home.dir, 'peer-accounts.json');
  writeFileSync(file, JSON.stringify(def));
  await page.evaluate((path) => window.go.services.ConnectorService.ImportConnectorFile(path), file);
  await page.reload();
  await page.waitForFunction(() => window.go?.services?.ConnectionService !== undefined);

  const editor = await openNewEditor(page, 'peer accounts', 'peer-accounts');
  await editor.getByTestId('field-name').fill('Ada');
  await editor.getByTestId('field-clientId').fill(CLIENT_ID);
  await editor.getByTestId('field-clientSecret').fill(CLIENT_SECRET);
  assert.equal(await editor.getByTestId('field-scopes').inputValue(), 'openid email', 'scopes from the definition');
  await editor.getByTestId('connect-button').click();
  const tab = await approveInBrowser();
  await tab.close();
  await editor.getByTestId('oauth-result').waitFor({ timeout: 15_000 });
  assert.equal(await editor.getByTestId('test-identity').innerText(), 'Connected as Ada Lovelace <ada@example.com>');
  assert.deepEqual(await editor.getByTestId('oauth-scope').allInnerTexts(), ['openid', 'email']);
  await settledWithoutToasts(page);
  await shot(page, 'oauth-12-connected-as');
  await editor.getByTestId('oauth-done').click();
  const card = page.getByTestId('connector-card-peer-accounts');
  await badge(card).getByText('Connected').waitFor();
  assert.match(await card.innerText(), /as Ada Lovelace <ada@example\.com>/);

  assert.deepEqual(hook.pending(), [], 'every opened link was used');
  assert.deepEqual(browser.errors, [], 'no page errors');
});
