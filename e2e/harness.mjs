// Harness for the end-to-end tests: a real local API peer, the real app
// (build/bin/patchbay-dev serving frontend/dist with live Go bindings) and
// Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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

/** A private data home for one test run. */
export function newHome() {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the real app on a data home; resolves when it serves the UI. */
export async function startApp(home) {
  const port = await freePort();
  const proc = spawn(join(root, 'build/bin/patchbay-dev'),
    ['-assetdir', join(root, 'frontend/dist'), '-devserver', `127.0.0.1:${port}`, '-loglevel', 'Warning'],
    { env: { ...process.env, PATCHBAY_HOME: home, GTK_USE_PORTAL: '0', NO_AT_BRIDGE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
 * page errors fail the test except Wails' harmless dev-overlay one.
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
        if (!String(e.message).includes("reading 'nodes'")) errors.push(e.message);
      });
      await page.goto(url);
      await page.waitForFunction(() => window.go?.services?.ConnectionService !== undefined, null, { timeout: 15_000 });
      return page;
    },
    close: () => browser.close(),
  };
}

export async function shot(page, name) {
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
