// End to end, in the real app: a "bearer token from a token request"
// connection against a local login endpoint over HTTPS with a self-signed
// certificate. The password lives in the connection's Secrets as
// {{password}}, the test path asks for a {{tenant}} parameter, the CA is
// pasted (garbage first). Test shows the token request and the test request,
// in the editor and in the connection log, the password never; after the
// peer revokes its tokens a retest fetches a new token by itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chooseAuth, launchBrowser, newHome, shot, startApp, startTokenPeer, openNewEditor, openAdvanced } from './harness.mjs';

const PASSWORD = 'pb-e2e-login-secret-51c9';
const WRONG_PASSWORD = 'pb-e2e-not-the-password';
let peer, home, app, browser;

before(async () => {
  peer = await startTokenPeer({ user: 'ada', password: PASSWORD });
  home = newHome();
  app = await startApp(home.dir);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
  peer?.stop();
  home?.remove();
});

const badge = (scope) => scope.getByTestId('status-badge').first();

test('a token-request connection: secrets, a parameter, a trusted CA, the token and test requests in the log', async () => {
  const page = await browser.newPage(app.url, { height: 900 });

  const editor = await openNewEditor(page, 'http api', 'http');

  await editor.getByTestId('field-name').fill('Orders API');
  await editor.getByTestId('field-environment').fill('Staging');
  await editor.getByTestId('field-baseUrl').fill(peer.tlsUrl);
  await editor.getByTestId('field-testPath').fill('/me?tenant={{tenant}}');
  await chooseAuth(editor, 'tokenRequest');

  // The token request, in its steps.
  await editor.getByTestId('field-tokenPath').fill('/auth/login');
  await editor.getByTestId('field-tokenBodyType').selectOption('json');
  await editor.getByTestId('field-tokenBody').fill('{"username": "ada", "password": "{{password}}"}');
  await editor.getByTestId('field-tokenExpression').fill('body.data.access_token');
  await editor.getByTestId('field-expiryExpression').fill('body.expires_in');

  // The password as a secret of the connection: a wrong one first.
  await editor.getByTestId('add-user-secret').click();
  const secretRow = editor.getByTestId('user-secret-row').first();
  await secretRow.locator('input').first().fill('password');
  await secretRow.locator('input[type="password"]').fill(WRONG_PASSWORD);

  // A garbage CA gets a clear error under the field; the real one shows what it is.
  await openAdvanced(editor);
  const ca = editor.getByTestId('field-trustedCa');
  await ca.fill('-----BEGIN CERTIFICATE-----\nnot really a certificate\n-----END CERTIFICATE-----');
  const caError = editor.getByTestId('cert-error-trustedCa');
  await caError.waitFor();
  assert.match(await caError.innerText(), /not a PEM certificate|certificate/i);
  await ca.scrollIntoViewIfNeeded();
  await shot(page, 'http-01-garbage-ca');
  await ca.fill(peer.caPem);
  const summary = editor.getByTestId('cert-summary-trustedCa');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Acme Co/);
  assert.match(await summary.innerText(), /Expires/);
  await ca.scrollIntoViewIfNeeded();
  await shot(page, 'http-02-trusted-ca');

  // Test: Patchbay asks for {{tenant}}, which is neither a setting nor a secret.
  await editor.getByTestId('test-button').click();
  const prompt = page.getByTestId('parameter-prompt');
  await prompt.waitFor();
  assert.match(await prompt.innerText(), /\{\{tenant\}\}/);
  await prompt.getByTestId('parameter-tenant').fill('acme');
  await shot(page, 'http-03-parameter-prompt');
  await prompt.getByTestId('parameter-submit').click();
  await prompt.waitFor({ state: 'detached' });

  // The wrong password: the token request is refused, and the result says so.
  const result = editor.getByTestId('test-result');
  await result.getByText('Disconnected', { exact: true }).waitFor();
  assert.match(await editor.getByTestId('test-summary').innerText(), /token endpoint rejected/i);
  assert.ok(!(await editor.innerText()).includes(WRONG_PASSWORD), 'the secret is not echoed in the result');
  await editor.getByTestId('test-result').scrollIntoViewIfNeeded();
  await shot(page, 'http-04-token-rejected');

  // The right password: token 200, then test 200 with "connected as".
  await secretRow.locator('input[type="password"]').fill(PASSWORD);
  await editor.getByTestId('test-button').click();
  await result.getByText('Connected', { exact: true }).waitFor();
  await editor.getByTestId('toggle-last-request').click(); // a passing run keeps its requests folded
  const kinds = await editor.getByTestId('exchange').evaluateAll((els) => els.map((e) => `${e.dataset.kind} ${e.dataset.status}`));
  assert.deepEqual(kinds, ['token 200', 'test 200'], 'the token request comes first, then the test request');
  assert.match(await result.innerText(), /Ada Lovelace|ada@example.com/);
  assert.ok(!(await editor.innerText()).includes(PASSWORD), 'the password is never shown');
  await result.scrollIntoViewIfNeeded();
  await shot(page, 'http-05-connected');

  // Save (verified): the card is Connected; the session remembers {{tenant}}.
  await editor.getByTestId('save-button').click();
  await editor.waitFor({ state: 'detached' });
  const card = page.getByTestId('connector-card-http');
  await badge(card).getByText('Connected', { exact: true }).waitFor();

  // The login endpoint forgets every token: the next retest gets a 401,
  // fetches a new token by itself and passes, without asking for the tenant again.
  const loginsBefore = await peer.logins();
  await peer.control('revoke');
  await card.getByTestId('card-retest-http').click();
  await page.getByTestId('toast').filter({ hasText: 'Orders API' }).first().waitFor();
  await badge(card).getByText('Connected', { exact: true }).waitFor();
  assert.equal(await page.getByTestId('parameter-prompt').count(), 0, 'the tenant is remembered for the session');
  assert.equal(await peer.logins(), loginsBefore + 1, 'one new token after the revocation');

  // The log: token and test requests, the password redacted everywhere on screen.
  await card.getByTestId('view-log').click();
  await page.getByTestId('log-page').waitFor();
  const rows = page.getByTestId('log-row');
  await rows.first().waitFor();
  const logKinds = await rows.evaluateAll((els) => els.map((e) => `${e.dataset.kind} ${e.dataset.status}`));
  // Newest first: the retest (test 401, token 200, test 200), then the save's run.
  assert.deepEqual(logKinds.slice(0, 3), ['test 200', 'token 200', 'test 401'], logKinds.join(', '));
  assert.ok(logKinds.includes('token 401'), 'the refused login is logged too');
  const tokenRow = rows.filter({ hasText: '/auth/login' }).first();
  await tokenRow.click();
  const detail = page.getByTestId('log-detail');
  await detail.getByTestId('log-tab-request').click();
  const requestText = await detail.innerText();
  assert.match(requestText, /\/auth\/login/);
  assert.ok(!requestText.includes(PASSWORD), 'the password is redacted in the token request');
  assert.match(requestText, /redacted/i);
  await shot(page, 'http-06-log-token-request');
  assert.ok(!(await page.locator('body').innerText()).includes(PASSWORD));

  // Reopened, the connection keeps its secret (by name only) and its CA.
  await page.getByTestId('nav-connectors').click();
  await card.getByTestId('manage-http').click();
  await editor.waitFor();
  const savedRow = editor.getByTestId('user-secret-row').first();
  assert.equal(await savedRow.getAttribute('data-name'), 'password');
  assert.equal(await savedRow.locator('input[type="password"]').inputValue(), '', 'a stored secret is never pre-filled');
  await editor.getByTestId('cert-summary-trustedCa').waitFor();
  await shot(page, 'http-07-reopened');
  await editor.getByTestId('cancel-editor').click();

  assert.deepEqual(browser.errors, []);
});
