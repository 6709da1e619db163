// End to end, in the real app: Settings → Appearance and Open data folder.
// Dark, picked on Settings, turns the page dark at once and is what the app
// serves after a reload (the first frame included: the served index.html
// carries it, whatever the OS says); System follows the OS live; Open data
// folder hands the data home to the system's opener (here the browser hook,
// the app's PATCHBAY_BROWSER).
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { launchBrowser, newHome, settled, shot, startApp, startBrowserHook } from './harness.mjs';

const LIGHT_BG = 'rgb(245, 246, 248)';
const DARK_BG = 'rgb(18, 20, 25)';
let home, hook, app, browser;

before(async () => {
  home = newHome();
  hook = await startBrowserHook();
  app = await startApp(home.dir, { env: hook.env() });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
  await hook?.close();
  home?.remove();
});

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('Settings picks the theme, kept across a reload, and opens the data folder', async () => {
  const page = await browser.newPage(app.url, { colorScheme: 'light' });
  assert.equal(await background(page), LIGHT_BG);
  await page.getByTestId('nav-settings').click();
  const appearance = page.getByTestId('appearance-settings');
  await appearance.waitFor();
  assert.equal(await page.getByTestId('theme-system').isChecked(), true, 'System until the person picks');

  // Dark wins over a light OS, at once, and is kept.
  await page.getByTestId('theme-dark').check();
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.waitForFunction(async () => (await window.go.services.AppService.Theme()) === 'dark');
  await settled(page);
  await shot(page, 'settings-01-dark-picked');

  // The next load is dark before any script runs: the served page says so.
  assert.match(await (await fetch(app.url)).text(), /<html[^>]* data-theme="dark"/);
  await page.reload();
  await page.waitForFunction(() => window.go?.services?.AppService !== undefined);
  assert.equal(await background(page), DARK_BG, 'still dark after a reload, on a light OS');
  await page.getByTestId('nav-settings').click();
  assert.equal(await page.getByTestId('theme-dark').isChecked(), true);

  // Light wins over a dark OS.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('theme-light').check();
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, LIGHT_BG);

  // System follows the OS, live.
  await page.getByTestId('theme-system').check();
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, DARK_BG);
  assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-theme')), false);
  await appearance.getByText('now dark').waitFor();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, LIGHT_BG);
  await appearance.getByText('now light').waitFor();
  await page.waitForFunction(async () => (await window.go.services.AppService.Theme()) === 'system');
  assert.doesNotMatch(await (await fetch(app.url)).text(), /data-theme=/);

  // Open data folder: the system's opener gets the data home.
  await page.getByTestId('open-data-folder').click();
  assert.equal(await hook.nextUrl(), pathToFileURL(home.dir).href);
  assert.equal(await page.getByTestId('open-data-folder-error').count(), 0);
  await shot(page, 'settings-02-system-light');

  assert.deepEqual(browser.errors, []);
});
