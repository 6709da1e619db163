#!/usr/bin/env node
// The "system browser" of the end-to-end tests: the app runs the program in
// PATCHBAY_BROWSER with the URL to open as its only argument. This one hands
// the URL to the running test (startBrowserHook in harness.mjs), which opens
// it in a tab of its headless Chromium, where the OAuth provider approves and
// redirects to the app's loopback listener, as a person's browser would.
const [url] = process.argv.slice(2);
const hook = process.env.PATCHBAY_E2E_OPENER;
if (!url || !hook) {
  console.error('open-url: usage: PATCHBAY_E2E_OPENER=<test hook> open-url.mjs <url>');
  process.exit(2);
}
try {
  const res = await fetch(hook, { method: 'POST', body: url });
  process.exit(res.ok ? 0 : 1);
} catch (e) {
  console.error(`open-url: could not reach the test at ${hook}: ${e.message}`);
  process.exit(1);
}
