// End to end, in the real app: the window's Content Security Policy is in
// force. The page carries it (header and <meta>), an injected inline script
// does not run, a remote load is refused, and each refusal reaches
// browser.errors, where every other test would fail on it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newHome, startApp } from './harness.mjs';

let home, app, browser, page;

before(async () => {
  home = newHome();
  app = await startApp(home.dir);
  browser = await launchBrowser();
  page = await browser.newPage(app.url);
});

after(async () => {
  await browser?.close();
  await app?.stop();
  home?.remove();
});

test('the window runs under a policy that allows only the app itself', async () => {
  const res = await fetch(app.url);
  const header = res.headers.get('content-security-policy');
  assert.match(header, /script-src 'self'(;|$)/);
  assert.match(header, /frame-ancestors 'none'/);
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(meta, /default-src 'self'/);
  assert.match(meta, /object-src 'none'/);
  // The app started under it: the bindings answered and nothing was refused.
  assert.deepEqual(browser.errors, [], 'the app loads without a policy violation');

  const outcome = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.head.append(script);
    let remote = 'loaded';
    try {
      await fetch('http://192.0.2.1/exfiltrate');
    } catch {
      remote = 'refused';
    }
    return { injected: window.__injected === true, remote };
  });
  assert.deepEqual(outcome, { injected: false, remote: 'refused' });

  // Each refusal was reported, as it would be in any other test: the
  // violation events arrive through a binding, after the console lines.
  const reported = (e) => e.startsWith('CSP violation: script-src-elem blocked inline')
    || e.startsWith('CSP violation: connect-src blocked http://192.0.2.1/exfiltrate');
  for (let i = 0; i < 100 && browser.errors.filter(reported).length < 2; i++) await page.waitForTimeout(50);
  const seen = browser.errors.splice(0);
  assert.ok(seen.some((e) => e.startsWith('CSP violation: script-src-elem blocked inline')), seen.join('\n'));
  assert.ok(seen.some((e) => e.startsWith('CSP violation: connect-src blocked http://192.0.2.1')), seen.join('\n'));
  assert.ok(seen.some((e) => e.startsWith('CSP console:') && e.includes('inline script')), seen.join('\n'));
});

// Everything but the Connectors page is its own chunk (a dynamic import with
// its own stylesheet): each page and panel loads under the same policy.
test('every page and panel, each its own chunk, loads under the policy', async () => {
  for (const [nav, id] of [['nav-integrations', 'integrations-page'], ['nav-log', 'log-page'], ['nav-settings', 'settings-page']]) {
    await page.getByTestId(nav).click();
    await page.getByTestId(id).waitFor();
  }
  await page.getByTestId('keychain-status').and(page.locator('[data-state="ok"]')).waitFor();
  await page.getByTestId('nav-connectors').click();
  await page.getByTestId('add-connector').click();
  await page.getByTestId('connector-picker').waitFor();
  await page.getByTestId('connector-option-http').click();
  await page.getByTestId('connection-editor').waitFor();
  const sheets = await page.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => new URL(l.href).origin));
  assert.ok(sheets.length > 1, 'the chunks brought their stylesheets');
  assert.ok(sheets.every((o) => o === new URL(page.url()).origin), sheets.join(' '));
  assert.deepEqual(browser.errors, [], 'no chunk was refused');
});
