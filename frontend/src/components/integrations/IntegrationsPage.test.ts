// The Integrations page through the real api.ts and bindings, with Go played
// by a fake window.go / window.runtime (installed once: the state modules
// subscribe to Go's events on their first load).
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appData } from '../../lib/state/connections.svelte';
import { integrations } from '../../lib/state/integrations.svelte';
import { sample } from '../../lib/state/sample.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { IntegrationDTO } from '../../lib/types';
import { installFakeWails } from '../../test/fakeWails';
import { answerConnections } from '../../test/connections';
import { conn, connector, integration, side } from '../../test/integrations';
import IntegrationsPage from './IntegrationsPage.svelte';

const fake = installFakeWails();

const shopSandbox = conn('s1', 'shopify', 'Shop A', 'Sandbox');
const whSandbox = conn('w1', 'http', 'Warehouse', 'Sandbox');
const whBroken = conn('w2', 'http', 'Warehouse EU', 'Staging', 'disconnected');
const crm = conn('o1', 'hubspot', 'CRM', 'Production', 'disconnected', {
  authType: 'oauth2AuthorizationCode',
  diagnosis: 'HubSpot refused the token (401): it was revoked.',
  oauth: { authorized: true, grantedScopes: [], expiresAt: '', refreshable: false, authorizedAt: '' },
});

const ready = integration('i1', 'Orders to warehouse', side('source', 'shopify', 'Shopify', shopSandbox), side('destination', 'http', 'HTTP API', whSandbox), {
  description: 'New Shopify orders, every night',
});
const broken = integration('i2', 'Refunds', side('source', 'shopify', 'Shopify', shopSandbox), side('destination', 'http', 'HTTP API', whBroken), {
  active: false,
});

let list: IntegrationDTO[] = [];

function show(items: IntegrationDTO[]) {
  list = items;
  const user = userEvent.setup();
  render(IntegrationsPage);
  return user;
}

beforeEach(() => {
  fake.answer('ListIntegrations', () => list);
  answerConnections(fake, () => appData.connections);
  appData.connectors = [connector('shopify', 'Shopify'), connector('http', 'HTTP API'), connector('hubspot', 'HubSpot')];
  appData.connections = [shopSandbox, whSandbox, whBroken, crm];
});

afterEach(() => {
  integrations.list = [];
  integrations.runs = {};
  appData.checking = {};
  ui.integration = null;
  ui.editor = null;
  ui.page = 'connectors';
  vi.restoreAllMocks();
});

describe('Integrations page', () => {
  it('teaches what an integration is when there is none, and starts a new one', async () => {
    const user = show([]);
    const empty = await screen.findByTestId('integrations-empty');
    expect(empty.textContent).toContain('An integration pairs a source and a destination');
    await user.click(within(empty).getByTestId('new-integration'));
    expect(ui.integration).toBe('new');
    expect(ui.page).toBe('integrations');
  });

  it('shows each integration’s name, description, Active or Paused, its one status and both sides', async () => {
    show([broken, ready]);
    const good = await screen.findByTestId('integration-i1');
    expect(within(good).getByTestId('integration-name').textContent).toBe('Orders to warehouse');
    expect(good.textContent).toContain('New Shopify orders, every night');
    expect(within(good).getByTestId('integration-state').textContent?.trim()).toBe('Active');
    expect(within(good).getByTestId('integration-readiness').textContent?.trim()).toBe('Ready');
    const source = within(good).getByTestId('side-source');
    expect(source.textContent).toContain('Shopify');
    expect(within(source).getByTestId('connection-name').textContent).toContain('Sandbox · Shop A');
    expect(within(source).getByTestId('status-badge').dataset.status).toBe('connected');
    expect(within(source).queryByTestId('side-edit-connection')).toBeNull();

    const bad = screen.getByTestId('integration-i2');
    expect(within(bad).getByTestId('integration-state').textContent?.trim()).toBe('Paused');
    const readiness = within(bad).getByTestId('integration-readiness');
    expect(readiness.textContent?.trim()).toBe('Destination needs attention');
    expect(readiness.title).toBe('The destination needs attention: “Warehouse EU” is disconnected. The API rejected the credentials (401).');
    const dest = within(bad).getByTestId('side-destination');
    expect(within(dest).getByTestId('side-line').textContent).toBe('“Warehouse EU” is disconnected. The API rejected the credentials (401).');
    expect(within(dest).getByTestId('status-badge').dataset.status).toBe('disconnected');
    expect(screen.getByTestId('integrations-summary').textContent).toBe('2 integrations · 1 paused · 1 needs attention');
  });

  it('puts the fix right on the side: Edit connection opens its editor, Test again re-tests it', async () => {
    const user = show([broken]);
    const dest = within(await screen.findByTestId('integration-i2')).getByTestId('side-destination');
    await user.click(within(dest).getByTestId('side-edit-connection'));
    expect(ui.editor).toEqual({ connectorId: 'http', connectionId: 'w2' });

    await user.click(within(dest).getByTestId('side-test-again'));
    const call = fake.pendingCall('RetestConnection');
    expect(call.args[0]).toBe('w2');
    expect(within(dest).getByTestId('status-badge').dataset.status).toBe('checking');
    const listed = fake.calls('ListIntegrations').length;
    call.resolve({ runId: 'r', status: 'connected', code: 'ok', summary: 'Connected.', advice: '', identity: '', httpStatus: 200, durationMs: 3, checkedAt: '', exchanges: [] });
    // The page asks Go again for the integration's status.
    await waitFor(() => expect(fake.calls('ListIntegrations').length).toBeGreaterThan(listed));
  });

  it('a side with no connection offers to choose one in the editor', async () => {
    const user = show([integration('i3', 'Half', side('source', 'shopify', 'Shopify', null), side('destination', 'http', 'HTTP API', whSandbox), { active: false })]);
    const source = within(await screen.findByTestId('integration-i3')).getByTestId('side-source');
    expect(source.textContent).toContain('No connection chosen');
    expect(within(source).getByTestId('side-line').textContent).toBe('No Shopify connection is chosen.');
    await user.click(within(source).getByTestId('side-choose-connection'));
    expect(ui.integration).toBe('i3');
  });

  it('Test both: a spinner per side with the requests sent, then each side’s result and its log', async () => {
    const user = show([ready]);
    const card = await screen.findByTestId('integration-i1');
    await user.click(within(card).getByTestId('test-both'));
    const call = fake.pendingCall('TestIntegration');
    const runId = call.args[1] as string;
    expect(within(card).getByTestId('test-both').textContent).toContain('Testing…');
    for (const role of ['source', 'destination']) {
      expect(within(within(card).getByTestId(`side-${role}`)).getByTestId('status-badge').dataset.status).toBe('checking');
    }
    fake.emit('verify:exchange', { runId: `${runId}:destination`, exchange: { id: 'x1' } });
    await waitFor(() => expect(within(card).getAllByTestId('side-line')[1]?.textContent).toBe('Testing… 1 request sent'));

    const v = (role: string, status: string, summary: string) => ({
      runId: `${runId}:${role}`, status, code: 'ok', summary, advice: '', identity: '', httpStatus: 200, durationMs: 4, checkedAt: '', exchanges: [{ id: `ex-${role}` }],
    });
    call.resolve({
      sides: [
        { role: 'source', verification: v('source', 'connected', 'Connected as ada@shop.test.'), error: '', errorCode: '' },
        { role: 'destination', verification: v('destination', 'connected', 'Connected as warehouse-bot.'), error: '', errorCode: '' },
      ],
      integration: ready,
    });
    const source = within(card).getByTestId('side-source');
    await waitFor(() => expect(within(source).getByTestId('side-line').textContent).toBe('Connected as ada@shop.test.'));
    expect(within(card).getByTestId('test-both').textContent).toContain('Test both');

    const showLog = vi.spyOn(ui, 'showLog').mockImplementation(() => {});
    await user.click(within(within(card).getByTestId('side-destination')).getByTestId('side-view-log'));
    expect(showLog).toHaveBeenCalledWith('w1', 'ex-destination');
  });

  it('Fetch one record on each side opens the dialog for that side’s connection', async () => {
    const user = show([ready]);
    const fetch = vi.spyOn(sample, 'fetch').mockResolvedValue();
    const card = await screen.findByTestId('integration-i1');
    await user.click(within(within(card).getByTestId('side-source')).getByTestId('side-fetch-record'));
    await user.click(within(within(card).getByTestId('side-destination')).getByTestId('side-fetch-record'));
    expect(fetch.mock.calls.map(([c]) => c.id)).toEqual(['s1', 'w1']);
  });

  it('asks before deleting, naming what stays, then removes the card', async () => {
    const user = show([broken, ready]);
    const card = await screen.findByTestId('integration-i1');
    await user.click(within(card).getByTestId('delete-integration'));
    const dialog = screen.getByTestId('confirm-delete');
    expect(dialog.textContent).toContain('Delete “Orders to warehouse”?');
    expect(dialog.textContent).toContain('“Sandbox · Shop A” and “Sandbox · Warehouse” stay, with their credentials.');
    expect(fake.calls('DeleteIntegration')).toHaveLength(0);
    await user.click(within(dialog).getByTestId('confirm-button'));
    fake.pendingCall('DeleteIntegration').resolve(undefined);
    await waitFor(() => expect(screen.queryByTestId('integration-i1')).toBeNull());
    expect(screen.queryByTestId('confirm-delete')).toBeNull();
    expect(screen.getByTestId('integration-i2')).toBeTruthy();
  });

  it('Re-authorize on an OAuth side signs in again, and the card follows the same connection to Ready', async () => {
    const stale = integration('i4', 'CRM to warehouse', side('source', 'hubspot', 'HubSpot', crm), side('destination', 'http', 'HTTP API', whSandbox));
    const user = show([stale]);
    const source = within(await screen.findByTestId('integration-i4')).getByTestId('side-source');
    expect(within(source).getByTestId('side-line').textContent).toContain('HubSpot refused the token (401)');
    await user.click(within(source).getByTestId('oauth-action-o1'));
    const call = fake.pendingCall('ReauthorizeConnection');
    expect(call.args[0]).toBe('o1');

    const fixed = { ...crm, status: 'connected', diagnosis: '', identity: 'ada@crm.test' };
    list = [integration('i4', 'CRM to warehouse', side('source', 'hubspot', 'HubSpot', fixed), side('destination', 'http', 'HTTP API', whSandbox))];
    call.resolve({ saved: true, connection: fixed, verification: null });
    fake.emit('connections:changed', null);
    const card = screen.getByTestId('integration-i4');
    await waitFor(() => expect(within(card).getByTestId('integration-readiness').textContent?.trim()).toBe('Ready'));
    expect(within(within(card).getByTestId('side-source')).getByTestId('connection-name').textContent).toContain('Production · CRM');
    expect(within(card).queryByTestId('oauth-action-o1')).toBeNull();
  });

  // 1,000 cards through jsdom take seconds on a busy 2-core machine: the
  // bound fits there; the window of cards is what is checked, not speed.
  it('keeps 1,000 integrations quick: only a window of cards is in the page, and the filter finds any', { timeout: 30_000 }, async () => {
    const many = Array.from({ length: 1000 }, (_, n) =>
      integration(`m${n}`, `Sync ${String(n).padStart(4, '0')}`, side('source', 'shopify', 'Shopify', shopSandbox), side('destination', 'http', 'HTTP API', n % 10 === 0 ? whBroken : whSandbox)),
    );
    const user = show(many);
    await screen.findByTestId('integration-m0');
    expect(document.querySelectorAll('[data-testid^="integration-m"]').length).toBeLessThan(30);
    expect(screen.getByTestId('integration-filter-attention').textContent).toContain('100');

    await user.type(screen.getByTestId('integration-filter'), 'sync 0999');
    await waitFor(() => expect(screen.getByTestId('integration-m999')).toBeTruthy());
    expect(document.querySelectorAll('[data-testid^="integration-m"]').length).toBe(1);

    await user.clear(screen.getByTestId('integration-filter'));
    await user.click(screen.getByTestId('integration-filter-ready'));
    await user.type(screen.getByTestId('integration-filter'), 'sync 0990');
    const none = await screen.findByTestId('integrations-no-match');
    expect(none.textContent).toContain('No integration matches “sync 0990” in Ready.');
    await user.click(within(none).getByTestId('clear-integration-filter'));
    await screen.findByTestId('integration-m0');
  });
});
