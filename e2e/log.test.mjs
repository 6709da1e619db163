// End to end, in the real app: a connection fails with 401, "View log" on the
// failed test opens its exchange (status, response headers, the diagnosis),
// the list is filtered and searched, the exchange is copied as cURL (redacted,
// then with secrets after a warning) and as HAR, and the list holds over a
// thousand entries with a bounded DOM. Screenshots land in e2e/artifacts/log-*.png.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appWithPeer, chooseAuth, openNewEditor, shot } from './harness.mjs';

const GOOD_KEY = 'pb-e2e-log-right-key-91c2';
const WRONG_KEY = 'pb-e2e-log-wrong-key-5d77';
const env = appWithPeer(GOOD_KEY);

/**
 * The page's clipboard, through the web Clipboard API (permission granted
 * below). A read that never answers fails the test instead of hanging it.
 */
const clipboard = (page) => page.evaluate(() => Promise.race([
  navigator.clipboard.readText(),
  new Promise((_, fail) => setTimeout(() => fail(new Error('clipboard read did not answer in 10 s')), 10_000)),
]));

async function copied(page, action, toast) {
  // The async Clipboard API works only in the focused page.
  await page.bringToFront();
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await action();
  await page.getByTestId('toast').filter({ hasText: toast }).first().waitFor();
  const text = await clipboard(page);
  assert.notEqual(text, '', 'something was copied');
  return text;
}

const rowStatuses = (page) =>
  page.getByTestId('log-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));

test('a failed connection is understood from its log: status, headers, filters, search, cURL, HAR', async () => {
  const page = await env.browser.newPage(env.app.url);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.app.url });

  // Before anything was tested, the log teaches where entries come from.
  await page.getByTestId('nav-log').click();
  const empty = page.getByTestId('log-empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /Test a connection and every request appears here/);
  await shot(page, 'log-00-empty');

  // A connection with a wrong key, saved unverified.
  const editor = await openNewEditor(page, 'http api', 'http');
  await editor.getByTestId('field-name').fill('Local billing API');
  await editor.getByTestId('field-environment').fill('Sandbox');
  await chooseAuth(editor, 'apiKey');
  await editor.getByTestId('field-baseUrl').fill(env.peer.url);
  await editor.getByTestId('field-testPath').fill('/v1/me');
  await editor.getByTestId('field-apiKeyName').fill('X-API-Key');
  await editor.getByTestId('field-apiKey').fill(WRONG_KEY);
  await editor.getByTestId('save-button').click();
  await editor.getByTestId('save-unverified-button').click();
  await editor.waitFor({ state: 'detached' });

  // Test it in its editor: 401, and "View log" on the failed result.
  await page.getByTestId('nav-connectors').click();
  const card = page.getByTestId('connector-card-http');
  await card.getByTestId('manage-http').click();
  await editor.waitFor();
  await editor.getByTestId('test-button').click();
  await editor.getByTestId('test-result').getByText('Disconnected').waitFor();
  assert.match(await editor.getByTestId('test-summary').innerText(), /401/);
  await editor.getByTestId('view-log').scrollIntoViewIfNeeded();
  await shot(page, 'log-01-failed-test-result');
  await editor.getByTestId('view-log').click();
  await editor.waitFor({ state: 'detached' });

  // The log opens on that run's exchange: the 401, the diagnosis, the response headers.
  await page.getByTestId('log-page').waitFor();
  const detail = page.getByTestId('log-detail');
  await detail.waitFor();
  await detail.getByText('Unauthorized').first().waitFor();
  const diagnosis = await detail.getByTestId('log-diagnosis').innerText();
  assert.match(diagnosis, /Disconnected/);
  assert.match(diagnosis, /401/);
  const headers = await detail.getByTestId('response-headers').innerText();
  assert.match(headers, /Content-Type\s+application\/json/i);
  assert.match(await detail.getByTestId('log-response-body').innerText(), /"message": "Bad credentials"/);
  const selected = page.locator('[data-testid="log-row"][aria-selected="true"]');
  assert.equal(await selected.getAttribute('data-status'), '401');
  const connectionId = await page.getByTestId('log-filter-connection').inputValue();
  assert.notEqual(connectionId, '', 'the log is filtered to the connection');
  assert.ok(!(await page.getByTestId('log-page').innerText()).includes(WRONG_KEY), 'the key is redacted on screen');
  await shot(page, 'log-02-from-failed-test');

  await detail.getByTestId('log-tab-request').click();
  const requestHeaders = await detail.getByTestId('request-headers').innerText();
  assert.match(requestHeaders, /X-Api-Key\s+\[redacted/i);
  await shot(page, 'log-03-request');
  await detail.getByTestId('log-tab-timing').click();
  await detail.getByTestId('waterfall').waitFor();
  await shot(page, 'log-04-timing');
  await detail.getByTestId('log-tab-tls').click();
  await detail.getByText('Plain HTTP').waitFor();
  await detail.getByTestId('log-tab-response').click();

  // Copy as cURL: redacted by default.
  const curl = await copied(page, () => detail.getByTestId('copy-curl').click(), 'Copied as cURL');
  assert.match(curl, /^curl /m);
  assert.ok(curl.includes(`${env.peer.url}/v1/me`), curl);
  assert.ok(!curl.includes(WRONG_KEY), 'the redacted command holds no secret');

  // With secrets only after a warning, and then it holds the saved key.
  await detail.getByTestId('copy-curl-menu').click();
  await page.getByTestId('copy-curl-secrets').click();
  const warn = page.getByTestId('confirm-curl-secrets');
  await warn.waitFor();
  assert.match(await warn.innerText(), /secrets in plain text/);
  await shot(page, 'log-05-curl-secrets-warning');
  const live = await copied(page, () => warn.getByTestId('confirm-button').click(), 'live credentials');
  assert.ok(live.includes(WRONG_KEY), 'the command with secrets holds the saved key');
  await warn.waitFor({ state: 'detached' });

  // HAR of this exchange, through the clipboard; and of the run through the bound API.
  await detail.getByTestId('export-har').click();
  await page.getByTestId('export-har-filter').waitFor();
  await shot(page, 'log-06-export-menu');
  const harText = await copied(page, () => page.getByTestId('copy-har').click(), 'as HAR');
  const har = JSON.parse(harText);
  assert.equal(har.log.version, '1.2');
  assert.equal(har.log.entries.length, 1);
  assert.equal(har.log.entries[0].response.status, 401);
  assert.equal(har.log.entries[0].request.url, `${env.peer.url}/v1/me`);
  assert.ok(!harText.includes(WRONG_KEY), 'the HAR holds no secret');
  const runId = await page.evaluate(async (id) => (await window.go.services.LogService.GetExchange(id)).runId,
    await selected.getAttribute('data-id'));
  const runHar = JSON.parse(await page.evaluate((r) => window.go.services.LogService.ExportHARData({ exchangeId: '', runId: r, filter: null }), runId));
  assert.ok(runHar.log.entries.length >= 1);

  // Copy the response body.
  const body = await copied(page, () => detail.getByTestId('copy-response-body').click(), 'response body');
  assert.equal(JSON.parse(body).message, 'Bad credentials');

  // A working connection next to it, so the filters have something to tell apart.
  const saved = await page.evaluate(async ({ id, key }) => {
    const svc = window.go.services.ConnectionService;
    const c = await svc.GetConnection(id);
    // A draft, not the DTO spread into one: DTO-only fields (userSecrets as a
    // list of names, oauth, status…) are not draft fields.
    const draft = {
      id: '', connectorId: c.connectorId, name: 'Local billing API', environment: 'Production',
      authType: c.authType, baseUrl: c.baseUrl, settings: c.settings, secrets: { apiKey: key }, clearSecrets: [],
      timeoutSeconds: c.timeoutSeconds,
    };
    const r = await svc.SaveConnection(draft, true, crypto.randomUUID());
    return r.connection.id;
  }, { id: connectionId, key: GOOD_KEY });
  assert.ok(saved);

  // Filter: all connections, 4xx only, then search a word of the response body.
  await page.getByTestId('log-filter-connection').selectOption('');
  await page.locator('[data-testid="log-row"][data-status="200"]').first().waitFor();
  await page.getByTestId('log-filter-status-4xx').click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-status') === '401');
  });
  await page.keyboard.press('Escape');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'log-search');
  await page.keyboard.type('credentials v1');
  await page.waitForFunction(() => document.querySelector('[data-testid="log-count"]')?.textContent?.match(/^\d/));
  await page.waitForTimeout(600);
  const statuses = await rowStatuses(page);
  assert.ok(statuses.length >= 2, `search found the 401s (${statuses})`);
  assert.ok(statuses.every((s) => s === '401'));
  // Keyboard: ↓ then Enter opens the newest match.
  await page.getByTestId('log-list').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await detail.getByText('Bad credentials').first().waitFor();
  // The searched words are marked where they occur: the path in the list, the body in the detail.
  const listMarks = await page.locator('[data-testid="log-row"] mark.hit').allTextContents();
  assert.ok(listMarks.length >= 2 && listMarks.every((m) => m === 'v1'), `the list marks v1 in each path (${listMarks})`);
  const detailMarks = await detail.locator('mark.hit').allTextContents();
  assert.ok(detailMarks.some((m) => m.toLowerCase() === 'credentials'), `the detail marks the word in the body (${detailMarks})`);
  await shot(page, 'log-07-filtered-search');

  // A search nothing matches, then Clear filters.
  await page.getByTestId('log-search').fill('zzqx-no-such-word');
  await page.getByTestId('log-no-matches').waitFor();
  await shot(page, 'log-08-no-matches');
  await page.getByTestId('log-empty-clear').click();
  await page.locator('[data-testid="log-row"][data-status="200"]').first().waitFor();

  // "View log" on the card filters to the card's connection.
  await page.getByTestId('nav-connectors').click();
  await page.getByTestId('connection-select-http').selectOption(saved);
  await page.getByTestId('connector-card-http').getByTestId('view-log').hover();
  await shot(page, 'log-09-card-view-log');
  await page.getByTestId('connector-card-http').getByTestId('view-log').click();
  await page.getByTestId('log-page').waitFor();
  assert.equal(await page.getByTestId('log-filter-connection').inputValue(), saved);
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-status') === '200');
  });

  assert.deepEqual(env.browser.errors, [], 'no page errors');
});

test('over a thousand entries: streamed in live, scrolled with a bounded DOM, in light and dark', async () => {
  const page = await env.browser.newPage(env.app.url);

  // Keep every run (the default keeps 50 per connection), set from Settings.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('log-settings-runs').fill('5000');
  await page.getByTestId('log-settings-save').click();
  await page.getByTestId('toast').filter({ hasText: 'connection log settings' }).waitFor();
  await page.getByTestId('log-settings').scrollIntoViewIfNeeded();
  await shot(page, 'log-10-settings');
  const settings = await page.evaluate(() => window.go.services.LogService.GetLogSettings());
  assert.equal(settings.runsPerConnection, 5000);

  // Two more connections: one whose test path redirects, one on a closed port.
  const ids = await page.evaluate(async ({ peerUrl, key }) => {
    const svc = window.go.services.ConnectionService;
    const list = await svc.ListConnections();
    const base = list[0];
    const make = async (name, environment, baseUrl, testPath) => {
      const draft = {
        id: '', connectorId: base.connectorId, authType: base.authType, name, environment, baseUrl,
        settings: { ...base.settings, testPath }, secrets: { apiKey: key }, clearSecrets: [], timeoutSeconds: 5,
      };
      return (await svc.SaveConnection(draft, false, crypto.randomUUID())).connection.id;
    };
    const redirect = await make('Orders API', 'Staging', peerUrl, '/httpbin/redirect-to?url=%2Fv1%2Forders&status_code=302');
    const closed = await make('Legacy ERP', 'Production', 'http://127.0.0.1:9', '/api/ping');
    return [...list.map((c) => c.id), redirect, closed];
  }, { peerUrl: env.peer.url, key: GOOD_KEY });
  assert.equal(ids.length, 4);

  await page.getByTestId('nav-log').click();
  await page.getByTestId('log-list').waitFor();
  const before = await page.getByTestId('log-row').count();

  // Retest in a loop through the bound API while the log is open: rows stream in.
  const started = Date.now();
  await page.evaluate(async ({ ids, n }) => {
    const svc = window.go.services.ConnectionService;
    let i = 0;
    const worker = async () => {
      while (i < n) {
        const k = i++;
        try {
          await svc.RetestConnection(ids[k % ids.length], crypto.randomUUID());
        } catch {
          // a failed verification still records its exchange
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
  }, { ids, n: 1000 });
  const retestMs = Date.now() - started;
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="log-count"]')?.textContent?.replace(/\D/g, '')) >= 1000);
  assert.ok(await page.getByTestId('log-row').count() > before);
  await page.getByTestId('log-row').first().click();
  await page.getByTestId('log-detail').waitFor();
  await shot(page, 'log-11-thousand-entries');

  // Scroll to the end: every page loads, the DOM keeps a window of rows.
  const list = page.getByTestId('log-list');
  for (let i = 0; i < 40; i++) {
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(120);
    if (/end of the log/.test(await list.innerText())) break;
  }
  const end = await list.innerText();
  const total = Number(/([\d,]+) exchanges · end of the log/.exec(end)?.[1].replace(/,/g, ''));
  assert.ok(total >= 1000, `the log holds ${total} exchanges`);
  const inDom = await page.getByTestId('log-row').count();
  assert.ok(inDom < 80, `${inDom} rows in the DOM for ${total} exchanges`);

  // Scrolled down, a new exchange waits behind the "N new" pill instead of moving the list.
  const top = await list.evaluate((el) => el.scrollTop);
  await page.evaluate((id) => window.go.services.ConnectionService.RetestConnection(id, crypto.randomUUID()), ids[1]);
  const pill = page.getByTestId('log-new-pill');
  await pill.waitFor();
  assert.match(await pill.innerText(), /1 new/);
  assert.equal(await list.evaluate((el) => el.scrollTop), top);
  await shot(page, 'log-12-scrolled-new-pill');
  await pill.click();
  await page.waitForFunction(() => document.querySelector('[data-testid="log-list"]')?.scrollTop === 0);

  // Network errors are marked with their class; the redirect links its hops.
  await page.getByTestId('log-filter-status-error').click();
  await page.locator('[data-testid="log-row"][data-status="error"]').first().click();
  await page.getByTestId('log-detail').getByText('Refused').first().waitFor();
  await shot(page, 'log-13-network-error');
  await page.getByTestId('log-filter-status-error').click();
  await page.getByTestId('log-filter-status-3xx').click();
  await page.locator('[data-testid="log-row"][data-status="302"]').first().click();
  await page.getByTestId('redirect-next').click();
  await page.getByTestId('redirect-prev').waitFor();
  await page.getByTestId('log-tab-timing').click();
  await shot(page, 'log-14-redirect-hop');

  // Dark mode, same data.
  const dark = await env.browser.newPage(env.app.url, { colorScheme: 'dark' });
  await dark.getByTestId('nav-log').click();
  await dark.getByTestId('log-filter-status-4xx').click();
  await dark.getByTestId('log-row').first().click();
  await dark.getByTestId('log-detail').getByText('Bad credentials').first().waitFor();
  await shot(dark, 'log-15-dark');
  await dark.getByTestId('log-tab-request').click();
  await shot(dark, 'log-16-dark-request');

  console.log(`# 1000 retests through the bound API took ${retestMs} ms; the log holds ${total} exchanges, ${inDom} rows in the DOM`);
  assert.deepEqual(env.browser.errors, [], 'no page errors');
});

test('a streamed answer shows its events one by one while the test runs, in the editor and in the log', async () => {
  const page = await env.browser.newPage(env.app.url, { height: 900 });
  // Server-sent events spread over 3 s (go-httpbin's /sse).
  const saved = await page.evaluate(async (peerUrl) => window.go.services.ConnectionService.SaveConnection({
    id: '', connectorId: 'http', name: 'Ticker stream', environment: 'Sandbox', authType: 'none', baseUrl: peerUrl,
    settings: { testPath: '/httpbin/sse?count=6&duration=3s', streamResponse: 'true' }, secrets: {}, clearSecrets: [],
    timeoutSeconds: 30,
  }, false, ''), env.peer.url);
  const id = saved.connection.id;

  // The log, open while the test runs: the answer arrives above the list,
  // event by event, before its exchange is stored.
  await page.getByTestId('nav-log').click();
  await page.getByTestId('log-page').waitFor();
  const retest = page.evaluate((i) => window.go.services.ConnectionService.RetestConnection(i, ''), id);
  const arriving = page.getByTestId('log-arriving-stream');
  await arriving.waitFor();
  // (named once the connection list has caught up with the save above)
  await arriving.getByText(/Arriving now · Sandbox · Ticker stream/).waitFor();
  // At one and the same moment: still live, and events already shown.
  await page.waitForFunction(() => {
    const live = document.querySelector('[data-testid="log-arriving"] [data-testid="stream-events"][data-live="true"]');
    const n = live?.querySelectorAll('[data-testid="stream-event"]').length ?? 0;
    return n >= 2; // while data-live: before the answer ended
  });
  await shot(page, 'log-12-stream-arriving');
  const v = await retest;
  assert.equal(v.status, 'connected', v.summary);
  await arriving.waitFor({ state: 'detached' });
  // Stored: the exchange shows every event with its time.
  const row = page.getByTestId('log-list').getByText('Sandbox · Ticker stream').first();
  await row.click();
  await page.getByTestId('log-tab-response').click();
  const events = page.getByTestId('log-detail').getByTestId('stream-events');
  await events.waitFor();
  // A row is one read: two events that arrive together share one.
  // How many events the server sent (it decides: go-httpbin spreads its
  // writes over the duration) is in the recorded body.
  const pings = (text) => (text.match(/event: ping/g) ?? []).length;
  const sent = async () => {
    const page1 = await page.evaluate(() => window.go.services.LogService.ListExchanges({ limit: 1 }));
    const ex = await page.evaluate((i) => window.go.services.LogService.GetExchange(i), page1.items[0].id);
    return pings(ex.responseBody);
  };
  const n = await sent();
  assert.ok(n >= 4, `the server sent ${n} events`);
  assert.equal(pings(await events.innerText()), n, 'every event is shown');
  assert.match(await events.getByTestId('stream-event').first().innerText(), /^\+\d+ ms|^\+\d\.\d{3} s/);

  // The editor: Test shows the events while it runs, then in the last request.
  await page.getByTestId('nav-connectors').click();
  await page.getByTestId('connection-select-http').selectOption({ label: 'Sandbox · Ticker stream' });
  await page.getByTestId('connector-card-http').getByTestId('manage-http').click();
  const editor = page.getByTestId('connection-editor');
  await editor.getByTestId('test-button').click();
  await page.waitForFunction(() => {
    const live = document.querySelector('[data-testid="test-result"] [data-testid="stream-events"][data-live="true"]');
    const n = live?.querySelectorAll('[data-testid="stream-event"]').length ?? 0;
    return n >= 2; // while data-live: before the answer ended
  });
  // The seconds count up beside Cancel while it runs.
  await editor.getByTestId('test-elapsed').getByText(/^[1-9]\d* s$/).waitFor();
  await shot(page, 'log-13-stream-in-editor');
  await editor.getByTestId('test-summary').waitFor({ timeout: 30_000 });
  await editor.getByTestId('toggle-last-request').click(); // closed after a pass
  const last = editor.getByTestId('test-result').getByTestId('stream-events');
  await last.waitFor();
  assert.equal(pings(await last.innerText()), await sent(), 'every event is shown');
  assert.deepEqual(env.browser.errors, []);
});

test('the cURL and HAR menus open inside the window at any width', async () => {
  // One exchange of its own, so the test stands alone.
  const first = await env.browser.newPage(env.app.url);
  await first.evaluate(async (peerUrl) => {
    const svc = window.go.services.ConnectionService;
    const r = await svc.SaveConnection({
      id: '', connectorId: 'http', name: 'Menus', environment: '', authType: 'none', baseUrl: peerUrl,
      settings: { testPath: '/httpbin/get' }, secrets: {}, clearSecrets: [], timeoutSeconds: 5,
    }, false, '');
    await svc.RetestConnection(r.connection.id, '');
  }, env.peer.url);
  await first.close();
  for (const [width, height] of [[1280, 800], [1024, 700], [820, 600]]) {
    const page = await env.browser.newPage(env.app.url, { width, height });
    await page.getByTestId('nav-log').click();
    await page.getByTestId('log-list').locator('[data-id]').first().click();
    for (const menu of ['copy-curl-menu', 'export-har']) {
      await page.getByTestId(menu).click();
      const list = page.locator('[role="menu"]');
      await list.waitFor();
      const box = await list.boundingBox();
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height,
        `${menu} at ${width}×${height} is inside the window: ${JSON.stringify(box)}`);
      if (width === 820) await shot(page, `log-14-${menu}-narrow`);
      await page.keyboard.press('Escape');
      await list.waitFor({ state: 'detached' });
    }
    await page.close();
  }
  assert.deepEqual(env.browser.errors, []);
});

test('the detail says when its exchange leaves the list, and a deleted connection reads as deleted, with nothing to edit or retest', async () => {
  const page = await env.browser.newPage(env.app.url);
  const id = await page.evaluate(async (peerUrl) => {
    const svc = window.go.services.ConnectionService;
    const r = await svc.SaveConnection({
      id: '', connectorId: 'http', name: 'Soon gone', environment: 'Test', authType: 'none', baseUrl: peerUrl,
      settings: { testPath: '/v1/me' }, secrets: {}, clearSecrets: [], timeoutSeconds: 5,
    }, false, '');
    return r.connection.id;
  }, env.peer.url);
  await page.reload();
  // Tested from its card, so this session knows the run's diagnosis.
  await page.getByTestId('connection-select-http').selectOption(id);
  await page.getByTestId('card-retest-http').click();
  await page.getByTestId('toast').filter({ hasText: 'Soon gone' }).waitFor();
  await page.getByTestId('nav-log').click();
  await page.getByTestId('log-filter-connection').selectOption(id);
  await page.locator('[data-testid="log-row"][data-status="401"]').first().click();
  const detail = page.getByTestId('log-detail');
  await detail.getByTestId('log-edit-connection').waitFor();

  // A filter that leaves it out: the detail says so and offers to close.
  await page.getByTestId('log-filter-status-2xx').click();
  await page.getByTestId('log-detail-left-list').waitFor();
  assert.match(await page.getByTestId('log-detail-left-list').innerText(), /No longer in this list/);
  await shot(page, 'log-17-left-the-list');
  await page.getByTestId('log-detail-left-list-close').click();
  await detail.waitFor({ state: 'detached' });
  await page.getByTestId('log-clear-filters').click();

  // Deleted in the app: its exchanges stay, named as deleted, with no Edit or Test again.
  await page.getByTestId('nav-connectors').click();
  await page.getByTestId('manage-connections-http').click();
  const manage = page.getByTestId('manage-connections');
  await manage.getByTestId(`delete-${id}`).click();
  await page.getByTestId('confirm-button').click();
  await manage.getByTestId(`connection-row-${id}`).waitFor({ state: 'detached' });
  await page.keyboard.press('Escape');
  await page.getByTestId('nav-log').click();
  const row = page.locator(`[data-testid="log-row"][data-status="401"]`).filter({ hasText: 'Deleted connection' }).first();
  await row.click();
  await detail.getByText('Deleted connection').first().waitFor();
  assert.equal(await detail.getByTestId('log-edit-connection').count(), 0, 'nothing to edit');
  assert.equal(await detail.getByTestId('log-retest').count(), 0, 'nothing to retest');
  await shot(page, 'log-18-deleted-connection');
  assert.deepEqual(env.browser.errors, []);
  await page.close();
});
