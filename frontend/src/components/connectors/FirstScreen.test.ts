// The first screen: the Connectors page draws its cards from the overview
// (counts and the connection each card shows) before any page of the list
// arrives, never asks for the full list, and never waits for the keychain.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appData, summaryOf } from '../../lib/state/connections.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { ConnectionsOverview, ConnectionSummary } from '../../lib/types';
import { connection, connector } from '../../test/connections';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import Rail from '../shell/Rail.svelte';
import ConnectorsPage from './ConnectorsPage.svelte';

let go: FakeWails;

/** Tenant n of connector, as a summary (what the pages carry). */
function tenant(connectorId: string, n: number, o: Partial<ConnectionSummary> = {}): ConnectionSummary {
  return summaryOf(
    connection(`${connectorId}-${n}`, { connectorId, name: `Tenant ${String(n).padStart(5, '0')}`, environment: 'Production', ...o }),
  );
}

// 10,000 connections: 9,000 of HTTP API (ten of them Disconnected), 1,000 of Stripe.
const broken = tenant('http', 4321, { status: 'disconnected', diagnosis: 'The API rejected the credentials (401).' });
const overview: ConnectionsOverview = {
  total: 10_000,
  connectors: [
    { connectorId: 'http', total: 9_000, byStatus: { connected: 8_990, disconnected: 10 }, shown: broken, chosen: false },
    { connectorId: 'stripe', total: 1_000, byStatus: { connected: 1_000 }, shown: tenant('stripe', 7), chosen: false },
  ],
};

beforeEach(() => {
  go = installFakeWails();
  go.answer('ListConnectors', () => [connector('http', 'HTTP API'), connector('stripe', 'Stripe')]);
  go.answer('Info', () => ({ workspaceId: 'w1', workspaceName: 'Personal', version: 'dev' }));
  go.answer('ConnectionsOverview', () => overview);
  // ListConnectionSummaries and Keychain are left unanswered: a slow list
  // and a hung keyring.
  appData.connections = [];
  appData.overview = null;
  appData.partial = false;
  appData.keychain = null;
  ui.selected = {};
  ui.search = '';
});

afterEach(() => {
  go.uninstall();
  appData.connections = [];
  appData.overview = null;
  appData.partial = false;
  appData.connectors = [];
  appData.info = null;
  appData.keychain = null;
});

describe('the first screen', () => {
  it('draws every card from the overview, before any page of the list and without the full list or the keychain', async () => {
    render(ConnectorsPage, { props: { onimport: () => {} } });
    const loading = appData.load();

    const http = within(await screen.findByTestId('connector-card-http'));
    expect(screen.getByTestId('connectors-summary').textContent).toBe('2 connectors · 10,000 connections · 10 need attention');
    expect(http.getByText(/9,000 connections/).textContent).toContain('10 need attention');
    // The card shows the connection that needs attention, chosen by Go.
    const select = http.getByTestId('connection-select-http') as HTMLSelectElement;
    expect(select.selectedOptions[0]?.textContent).toContain('Tenant 04321');
    expect([...select.options].map((o) => o.textContent)).toEqual(['Production · Tenant 04321', '8,999 more in Manage Connections']);
    expect(http.getByTestId('status-badge').dataset.status).toBe('disconnected');
    expect(within(screen.getByTestId('connector-card-stripe')).getByText(/1,000 connections/)).toBeTruthy();

    expect(go.calls('ListConnections'), 'the full list is never asked for').toEqual([]);
    expect(go.pending('Keychain')).toHaveLength(1);
    expect(go.pending('ListConnectionSummaries').length).toBeLessThanOrEqual(1);

    // Then the list, page by page: the card keeps showing its connection
    // while the dropdown fills in, at most 50 choices and a note of the rest.
    const first = Array.from({ length: 2000 }, (_, i) => tenant('http', i));
    await waitFor(() => go.pendingCall('ListConnectionSummaries'));
    expect(go.pendingCall('ListConnectionSummaries').args).toEqual(['', 2000]);
    go.pendingCall('ListConnectionSummaries').resolve({ items: first, next: 'page-2' });
    await waitFor(() => expect(select.options.length).toBe(52));
    expect(select.selectedOptions[0]?.textContent).toContain('Tenant 04321');
    expect(select.options[51]?.textContent).toBe('8,949 more in Manage Connections');
    expect(appData.partial).toBe(true);

    await waitFor(() => expect(go.calls('ListConnectionSummaries')).toHaveLength(2));
    expect(go.calls('ListConnectionSummaries')[1]).toEqual(['page-2', 2000]);
    go.pendingCall('ListConnectionSummaries', 1).resolve({ items: [broken, tenant('stripe', 7)], next: '' });
    await loading;
    expect(appData.partial).toBe(false);
    expect(appData.connections).toHaveLength(2002);
    expect(select.selectedOptions[0]?.textContent).toContain('Tenant 04321');
    expect(go.calls('ListConnections')).toEqual([]);
  });

  it('says the keychain is being checked until the probe answers, then what it found', async () => {
    render(Rail);
    void appData.load();
    const status = await screen.findByText('Checking keychain…');
    // The overview's count, short where the rail is narrow, whole in the tooltip.
    await waitFor(() => expect(screen.getByTestId('nav-connectors').textContent).toContain('10K'));
    expect(screen.getByTitle('10,000').textContent).toBe('10K');
    expect(status.closest('button')?.dataset.state).toBe('checking');
    go.pendingCall('Keychain').resolve({ ok: false, message: 'The keyring is locked: unlock it in your session.' });
    await screen.findByText('Keychain unavailable');
    expect(screen.getByText('Keychain unavailable').closest('button')?.title).toBe('The keyring is locked: unlock it in your session.');
  });
});
