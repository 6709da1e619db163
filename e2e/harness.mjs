// Harness for the end-to-end tests: a real local API peer, the real app
// (build/bin/patchbay-dev serving frontend/dist with live Go bindings) and
// Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const artifacts = join(root, 'e2e', 'artifacts');
mkdirSync(artifacts, { recursive: true });

if (!process.env.DISPLAY) throw new Error('e2e: no DISPLAY; run through scripts/e2e.sh (it starts Xvfb)');
if (process.env.PATCHBAY_KEYRING !== 'secret-service') {
  throw new Error('e2e: no private Secret Service; run through scripts/e2e.sh (it starts gnome-keyring)');
}

export async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

/** Starts the local API peer; resolves to {url, stop}. */
export async function startPeer(key) {
  const proc = spawn(join(root, 'build/bin/e2e-peer'), ['-key', key], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    proc.stdout.once('data', (b) => ok(b.toString().trim()));
    proc.once('exit', (code) => fail(new Error(`peer exited with ${code}`)));
  });
  return { url, stop: () => proc.kill() };
}

/**
 * Starts the OAuth 2.0 provider (e2e/oauthpeer: authorization code with PKCE,
 * refresh with rotation, /userinfo) on 127.0.0.1; resolves to {url, stop}.
 * A given port lets a test restart it at the same address: a restarted
 * provider has forgotten every token it issued, as if they were revoked.
 */
export async function startOAuthPeer({ port = 0, accessTtl = '1h' } = {}) {
  const proc = spawn(join(root, 'build/bin/e2e-oauthpeer'), ['-port', String(port), '-access-ttl', accessTtl],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    proc.stdout.once('data', (b) => ok(b.toString().trim().split('\n')[0]));
    proc.once('exit', (code) => fail(new Error(`oauthpeer exited with ${code}`)));
  });
  return {
    url,
    /** POSTs to one of the peer's /control endpoints. */
    async control(path) {
      const res = await fetch(`${url}/control/${path}`, { method: 'POST' });
      if (!res.ok) throw new Error(`oauthpeer /control/${path}: ${res.status}`);
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill();
      await exited;
    },
  };
}

/**
 * Starts the API with a login endpoint (e2e/tokenpeer: backend/auth/tokenreq/
 * tokenreqtest over HTTP and HTTPS); resolves to {url, tlsUrl, caPem,
 * control(path), stop}.
 */
export async function startTokenPeer({ user = 'ada', password = 'e2e-password' } = {}) {
  const proc = spawn(join(root, 'build/bin/e2e-tokenpeer'), ['-user', user, '-password', password],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise((ok, fail) => {
    let text = '';
    proc.stdout.on('data', (b) => {
      text += b.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) ok(JSON.parse(text.slice(0, nl)));
    });
    proc.once('exit', (code) => fail(new Error(`tokenpeer exited with ${code}`)));
  });
  return {
    ...info,
    /** POSTs to one of the peer's /control endpoints (revoke). */
    async control(path) {
      const res = await fetch(`${info.url}/control/${path}`, { method: 'POST' });
      if (!res.ok) throw new Error(`tokenpeer /control/${path}: ${res.status}`);
    },
    /** How many tokens the login endpoint issued. */
    async logins() {
      const res = await fetch(`${info.url}/control/logins`);
      return (await res.json()).logins;
    },
    stop: () => proc.kill(),
  };
}

/**
 * Starts a real PostgreSQL (e2e/dbpeer: backend/verify/dbcheck/dbtest) on 127.0.0.1;
 * resolves to {host, port, database, user, password, url, stop}. It stops
 * and removes its data when its stdin closes.
 */
export async function startPostgres({ password = 'e2e-db-password' } = {}) {
  const proc = spawn(join(root, 'build/bin/e2e-dbpeer'), ['-password', password], { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise((ok, fail) => {
    let text = '';
    proc.stdout.on('data', (b) => {
      text += b.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) ok(JSON.parse(text.slice(0, nl)));
    });
    proc.once('exit', (code) => fail(new Error(`dbpeer exited with ${code}`)));
  });
  return {
    ...info,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.stdin.end();
      await exited;
    },
  };
}

/**
 * The system browser for the app's OAuth sign-ins: an endpoint on 127.0.0.1
 * that e2e/open-url.mjs (the app's PATCHBAY_BROWSER) posts each URL to.
 * env() is what the app needs to use it; nextUrl() resolves with the next
 * URL the app opened.
 */
export async function startBrowserHook() {
  const urls = [];
  const waiters = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      res.writeHead(204).end();
      const waiter = waiters.shift();
      if (waiter) waiter(body);
      else urls.push(body);
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const hook = `http://127.0.0.1:${server.address().port}/open`;
  return {
    env: () => ({ PATCHBAY_BROWSER: join(root, 'e2e/open-url.mjs'), PATCHBAY_E2E_OPENER: hook }),
    /** The next URL the app asked the browser to open. */
    nextUrl(timeoutMs = 15_000) {
      if (urls.length > 0) return Promise.resolve(urls.shift());
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`the app opened no browser within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((u) => { clearTimeout(timer); ok(u); });
      });
    },
    /** URLs opened that no test took. */
    pending: () => [...urls],
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** A private data home for one test run. */
export function newHome() {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Waits for panels and dialogs to finish moving, so a screenshot shows them
 * settled. Spinners run forever: only animations that end count.
 */
export async function settled(page) {
  await page.waitForFunction(() => document.getAnimations()
    .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity));
}

/**
 * Adds many connections and integrations to the current workspace in one
 * go, through the app's own Import (a patchbay export file, applied by the
 * bound WorkspaceService): one change event instead of one per save, so a
 * test of 1,000 things spends its time on the UI, not on seeding. Resolves
 * to the import's plan.
 */
export async function importMany(page, { connections = [], integrations = [] }) {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-import-'));
  const path = join(dir, 'seed.patchbay.json');
  writeFileSync(path, JSON.stringify({ kind: 'patchbay-export', version: 1, workspace: 'seed', connections, integrations }));
  try {
    return await page.evaluate((p) => window.go.services.WorkspaceService.ApplyImport(p), path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts the real app on a data home; resolves when it serves the UI. env
 * adds to its environment (e.g. PATCHBAY_BROWSER from startBrowserHook).
 */
export async function startApp(home, { env = {} } = {}) {
  const port = await freePort();
  const proc = spawn(join(root, 'build/bin/patchbay-dev'),
    ['-assetdir', join(root, 'frontend/dist'), '-devserver', `127.0.0.1:${port}`, '-loglevel', 'Warning'],
    { env: { ...process.env, PATCHBAY_HOME: home, GTK_USE_PORTAL: '0', NO_AT_BRIDGE: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (b) => { output += b; });
  proc.stderr.on('data', (b) => { output += b; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`app exited with ${proc.exitCode}:\n${output}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { proc.kill(); throw new Error(`app did not serve ${url} in 30 s:\n${output}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) { proc.kill('SIGKILL'); await exited; }
    },
  };
}

/**
 * Launches headless Chromium (Playwright gives it a fresh temporary profile);
 * page errors fail the test except Wails' harmless dev-IPC ones.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--password-store=basic'],
    // Chromium needs no session bus; keeping it off the test's bus stops it
    // activating desktop portals that do not exist here (log noise only).
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
  });
  const errors = [];
  return {
    errors,
    async newPage(url, { colorScheme = 'light', width = 1280, height = 800 } = {}) {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme });
      page.on('pageerror', (e) => {
        const m = String(e.message);
        // Wails' dev IPC (/wails/ipc.js) opens its websocket before the page
        // has run /wails/runtime.js, so an event broadcast in between (a page
        // opened while Test all runs) meets no window.wails. Dev build only:
        // the packaged app has no websocket. Measured: it shows (in
        // workspaces.test.mjs) since the page carries the <meta> policy, not
        // before; why Chromium then runs runtime.js later is not pinned down.
        if (!m.includes("reading 'nodes'") && !m.includes("reading 'EventsNotify'")) errors.push(m);
      });
      await watchPolicy(page, errors);
      await page.goto(url);
      await page.waitForFunction(() => window.go?.services?.ConnectionService !== undefined, null, { timeout: 15_000 });
      return page;
    },
    /**
     * A plain tab, as the system browser opens a link (no Wails bindings
     * to wait for): the OAuth provider's sign-in page.
     */
    async openTab(url, { colorScheme = 'light', width = 1000, height = 700 } = {}) {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme });
      page.on('pageerror', (e) => errors.push(`${url}: ${e.message}`));
      await watchPolicy(page, errors);
      await page.goto(url);
      return page;
    },
    close: () => browser.close(),
  };
}

/**
 * The set-up most test files share: a peer that accepts key, a fresh data
 * home, the app on it and a browser, started before the file's tests and
 * stopped after them. The returned object holds them once before() has run;
 * a test may replace env.app (a restart).
 */
export function appWithPeer(key) {
  const env = { peer: null, home: null, app: null, browser: null };
  before(async () => {
    env.peer = await startPeer(key);
    env.home = newHome();
    env.app = await startApp(env.home.dir);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.app?.stop();
    env.peer?.stop();
    env.home?.remove();
  });
  return env;
}

/**
 * Puts every Content Security Policy violation of the page into errors, so
 * each test that expects no page errors also fails on a blocked script,
 * style, image or connection: the securitypolicyviolation event (from an
 * init script, before the page's own scripts run) and Chromium's console
 * lines about the policy (also a directive it ignores, which no event
 * reports).
 */
async function watchPolicy(page, errors) {
  await page.exposeFunction('__patchbayPolicyViolation', (v) => {
    errors.push(`CSP violation: ${v.directive} blocked ${v.blocked || 'inline'} (${v.source}:${v.line})`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__patchbayPolicyViolation({
        directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
      });
    });
  });
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) errors.push(`CSP console: ${text}`);
  });
}

export async function shot(page, name) {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Picks an auth method in the editor whether it shows segments or a select. */
/**
 * Add connector → search the catalog for words → pick connectorId; returns
 * the connection editor, open.
 */
export async function openNewEditor(page, words, connectorId) {
  await page.getByTestId('add-connector').click();
  await page.getByTestId('picker-search').fill(words);
  await page.getByTestId(`connector-option-${connectorId}`).click();
  const editor = page.getByTestId('connection-editor');
  await editor.waitFor();
  return editor;
}

/** Opens the editor's Advanced group (closed unless something in it is set or wrong). */
export async function openAdvanced(editor) {
  const advanced = editor.getByTestId('advanced');
  if (!(await advanced.evaluate((el) => el.open))) await editor.getByTestId('advanced-toggle').click();
}

export async function chooseAuth(editor, type) {
  const method = editor.getByTestId('auth-method');
  if ((await method.evaluate((el) => el.tagName)) === 'SELECT') await method.selectOption(type);
  else await editor.getByTestId(`auth-${type}`).check();
}
