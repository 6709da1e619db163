// The Connectors page's Test all (progress, Cancel, the summary and its
// failures) and the cards: the connection a card shows stays put.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appData } from '../../lib/state/connections.svelte';
import { testAll } from '../../lib/state/testAll.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { AppInfoDTO, ConnectionDTO } from '../../lib/types';
import { answerConnections, connection, connector, overviewOf } from '../../test/connections';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import ConnectorsPage from './ConnectorsPage.svelte';

let go: FakeWails;

beforeEach(() => {
  go = installFakeWails();
  answerConnections(go, () => appData.connections, () => chosenInGo);
  go.answer('CancelRun', () => undefined);
  appData.loading = false;
  appData.loadError = '';
  appData.info = { workspaceId: 'w1', workspaceName: 'Personal' } as AppInfoDTO;
  appData.connectors = [connector('http', 'HTTP API'), connector('stripe', 'Stripe')];
  appData.connections = [
    connection('a', { name: 'Orders', environment: 'Production', status: 'unverified' }),
    connection('b', { name: 'Billing', environment: 'Sandbox', status: 'unverified' }),
    connection('c', { connectorId: 'stripe', name: 'Payments', status: 'unverified' }),
  ];
  ui.selected = {};
  ui.shown = {};
  ui.pickedDuring = {};
  ui.search = '';
  ui.editor = null;
  ui.manage = null;
  appData.chosen = {};
  appData.overview = null;
  appData.partial = false;
  chosenInGo = {};
  go.answer('ChooseShownConnection', (connectorId, connectionId) => {
    chosenInGo[connectorId as string] = connectionId as string;
  });
});

/** What Go keeps of the cards' choices (ChooseShownConnection), by connector id. */
let chosenInGo: Record<string, string> = {};

afterEach(() => {
  testAll.reset();
  go.uninstall();
  appData.connections = [];
  appData.connectors = [];
  appData.info = null;
});

function progress(done: number, c: ConnectionDTO): void {
  go.emit('testall:progress', { batchId: testAll.batchId, done, total: 3, connection: c, error: '' });
}

describe('Test all', () => {
  it('shows "done of total" with a progress bar while it runs, and Cancel stops it', async () => {
    const user = userEvent.setup();
    render(ConnectorsPage, { props: { onimport: () => {} } });
    await user.click(screen.getByTestId('test-all'));
    const bar = screen.getByTestId('test-all-progress');
    expect(screen.getByTestId('test-all-count').textContent).toBe('0 of 3');
    expect((screen.getByTestId('test-all') as HTMLButtonElement).disabled).toBe(true);

    progress(1, connection('a', { name: 'Orders', environment: 'Production', status: 'connected' }));
    await waitFor(() => expect(screen.getByTestId('test-all-count').textContent).toBe('1 of 3'));
    expect(within(bar).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1');

    await user.click(screen.getByTestId('test-all-cancel'));
    expect(go.calls('CancelRun')).toEqual([[testAll.batchId]]);
    expect(bar.textContent).toContain('Canceling…');
    go.pendingCall('TestAllConnections').resolve({ total: 3, byStatus: { connected: 1 }, failed: [], canceled: 2 });
    const summary = await screen.findByTestId('test-all-summary');
    expect(summary.textContent).toContain('Canceled after 1 of 3');
    expect(screen.getByTestId('test-all-count-canceled').textContent).toBe('2 not tested (canceled)');
  });

  it('ends with a summary by status that opens the failures, each with why and a way to it', async () => {
    const user = userEvent.setup();
    render(ConnectorsPage, { props: { onimport: () => {} } });
    await user.click(screen.getByTestId('test-all'));
    const bad = connection('b', { name: 'Billing', environment: 'Sandbox', status: 'disconnected', diagnosis: 'The API rejected the credentials (401).' });
    const far = connection('c', { connectorId: 'stripe', name: 'Payments', status: 'unreachable', diagnosis: 'Nothing answered at api.stripe.test.' });
    const scoped = connection('d', { name: 'Reports', status: 'limited', diagnosis: 'The API accepted the credentials, but they lack permission for GET /v1/reports (403 Forbidden).' });
    go.pendingCall('TestAllConnections').resolve({
      total: 4,
      byStatus: { connected: 1, disconnected: 1, unreachable: 1, limited: 1 },
      failed: [
        { batchId: testAll.batchId, done: 2, total: 4, connection: bad, error: '' },
        { batchId: testAll.batchId, done: 3, total: 4, connection: far, error: '' },
        { batchId: testAll.batchId, done: 4, total: 4, connection: scoped, error: '' },
      ],
      canceled: 0,
    });
    const summary = await screen.findByTestId('test-all-summary');
    expect(summary.textContent).toContain('Tested 4 connections');
    expect(screen.getByTestId('test-all-count-connected').textContent).toBe('1 Connected');
    expect(screen.getByTestId('test-all-count-disconnected').textContent).toBe('1 Disconnected');
    expect(screen.getByTestId('test-all-count-unreachable').textContent).toBe('1 Unreachable');
    const limited = screen.getByTestId('test-all-count-limited');
    expect(limited.textContent).toBe('1 Limited');
    expect(
      [...summary.querySelectorAll('[data-testid^="test-all-count-"]')].map((el) => el.getAttribute('data-testid')),
      'what needs attention first; Limited after Unreachable',
    ).toEqual(['test-all-count-disconnected', 'test-all-count-unreachable', 'test-all-count-limited', 'test-all-count-connected']);

    // A status opens the failures with that status.
    await user.click(screen.getByTestId('test-all-count-unreachable'));
    let panel = screen.getByTestId('test-all-failures');
    expect(within(panel).queryByTestId('test-all-failure-b')).toBeNull();
    const row = within(panel).getByTestId('test-all-failure-c');
    expect(row.textContent).toContain('Payments');
    expect(row.textContent).toContain('Stripe');
    expect(row.textContent).toContain('Nothing answered at api.stripe.test.');
    await user.click(within(panel).getByTestId('test-all-show-disconnected'));
    expect(within(panel).getByTestId('test-all-failure-b').textContent).toContain('The API rejected the credentials (401).');
    await user.click(screen.getByTestId('close-test-all'));

    // Review opens all of them; Edit goes to the connection.
    await user.click(screen.getByTestId('test-all-review'));
    panel = screen.getByTestId('test-all-failures');
    expect(within(panel).getAllByRole('listitem')).toHaveLength(3);
    expect(within(panel).getByTestId('test-all-failure-d').textContent).toContain('lack permission for GET /v1/reports');
    expect(within(panel).getByTestId('test-all-failure-b').textContent).toContain('Sandbox · Billing');
    await user.click(within(panel).getByTestId('test-all-edit-b'));
    expect(ui.editor).toEqual({ connectorId: 'http', connectionId: 'b' });
    await user.click(within(panel).getByTestId('test-all-manage-c'));
    expect(ui.manage).toBe('stripe');
  });

  it('says when every connection is Connected', async () => {
    const user = userEvent.setup();
    render(ConnectorsPage, { props: { onimport: () => {} } });
    await user.click(screen.getByTestId('test-all'));
    go.pendingCall('TestAllConnections').resolve({ total: 3, byStatus: { connected: 3 }, failed: [], canceled: 0 });
    expect((await screen.findByTestId('test-all-summary')).textContent).toContain('All 3 connections are Connected');
    expect(screen.queryByTestId('test-all-review')).toBeNull();
  });
});

describe('Connector cards', () => {
  it('keep showing the connection they show while statuses change, and name it with its environment', async () => {
    render(ConnectorsPage, { props: { onimport: () => {} } });
    const card = screen.getByTestId('connector-card-http');
    const select = within(card).getByTestId('connection-select-http') as HTMLSelectElement;
    // Both unverified and checked at once: the first (Production) is shown.
    expect(select.value).toBe('a');
    expect(select.selectedOptions[0]?.textContent).toBe('Production · Orders');
    expect(within(card).getByTestId('production-badge')).toBeTruthy();

    // Billing fails elsewhere (Test all, a retest) and a copy arrives: the card stays on Orders.
    appData.connections = [
      ...appData.connections.map((c) =>
        c.id === 'b' ? { ...c, status: 'disconnected', checkedAt: '2025-03-11T00:00:00Z' } : c,
      ),
      connection('d', { name: 'Archive', environment: 'Dev', checkedAt: '2025-03-12T00:00:00Z' }),
    ];
    await waitFor(() => expect(within(card).getAllByRole('option')).toHaveLength(3));
    expect(select.value).toBe('a');
    expect(select.selectedOptions[0]?.textContent).toBe('Production · Orders');
    expect(card.textContent).toContain('1 needs attention');
  });

  it('show the one the user picks, and follow the count when connections leave', async () => {
    const user = userEvent.setup();
    render(ConnectorsPage, { props: { onimport: () => {} } });
    const card = screen.getByTestId('connector-card-http');
    await user.selectOptions(within(card).getByTestId('connection-select-http'), 'b');
    expect(within(card).queryByTestId('production-badge')).toBeNull();
    appData.remove('a');
    await waitFor(() => expect(card.textContent).toContain('1 connection'));
    expect((within(card).getByTestId('connection-select-http') as HTMLSelectElement).value).toBe('b');
  });
});

describe('A card’s connection', () => {
  const card = () => screen.getByTestId('connector-card-http');
  const select = () => within(card()).getByTestId('connection-select-http') as HTMLSelectElement;

  it('stays the one the user chose across a status change, a refresh, a redraw and a restart', async () => {
    const user = userEvent.setup();
    const first = render(ConnectorsPage, { props: { onimport: () => {} } });
    expect(select().value).toBe('a');
    await user.selectOptions(select(), 'b');
    expect(select().value).toBe('b');
    expect(chosenInGo, 'the choice is kept in Go for the next start').toEqual({ http: 'b' });

    // Orders fails (Test all, a retest elsewhere): the card does not jump to it.
    appData.upsert({ ...appData.find('a')!, status: 'disconnected', diagnosis: 'The API rejected the credentials (401).' });
    await waitFor(() => expect(card().textContent).toContain('1 needs attention'));
    expect(select().value).toBe('b');

    // A refresh (a change event) reads the overview and the list again.
    await appData.refreshConnections();
    expect(select().value).toBe('b');
    expect(card().textContent).toContain('1 needs attention');

    // The page drawn again (another page was open).
    first.unmount();
    const second = render(ConnectorsPage, { props: { onimport: () => {} } });
    expect(select().value).toBe('b');

    // A restart: nothing of this session is left but what Go kept; the
    // first screen (the overview, before any page of the list) already
    // shows the choice, and so does the card once the list is here.
    second.unmount();
    const list = appData.connections;
    const connectors = appData.connectors;
    ui.selected = {};
    ui.shown = {};
    appData.chosen = {};
    appData.connections = [];
    go.answer('ListConnectors', () => connectors);
    go.answer('Info', () => ({ workspaceId: 'w1', workspaceName: 'Personal' }));
    go.answer('ConnectionsOverview', () => overviewOf(list, chosenInGo));
    let page: (p: unknown) => void = () => {};
    go.answer('ListConnectionSummaries', () => new Promise((resolve) => (page = resolve)));
    render(ConnectorsPage, { props: { onimport: () => {} } });
    const loading = appData.load();
    await waitFor(() => expect(go.calls('ListConnectionSummaries').length).toBeGreaterThan(1));
    expect(appData.partial).toBe(true);
    expect(select().value, 'the first screen shows the choice').toBe('b');
    page({ items: list, next: '' });
    await loading;
    expect(appData.partial).toBe(false);
    expect(select().value).toBe('b');
    expect(card().textContent).toContain('1 needs attention');
  });

  it('shows the chosen one again when it comes back (Undo of its delete), after a restart too', async () => {
    const user = userEvent.setup();
    render(ConnectorsPage, { props: { onimport: () => {} } });
    await user.selectOptions(select(), 'b');
    const b = appData.find('b')!;
    appData.remove('b');
    await waitFor(() => expect(select().value).toBe('a'));
    appData.upsert(b);
    await waitFor(() => expect(select().value).toBe('b'));

    // As after a restart: the choice is only Go's, the card showed another meanwhile.
    ui.selected = {};
    appData.chosen = { http: 'b' };
    appData.remove('b');
    await waitFor(() => expect(select().value).toBe('a'));
    appData.upsert(b);
    await waitFor(() => expect(select().value).toBe('b'));
  });

  it('follows the rule until the user chooses, and keeps what it showed when drawn again', async () => {
    const page = render(ConnectorsPage, { props: { onimport: () => {} } });
    expect(select().value).toBe('a');
    // Billing fails while the card is away; drawn again, it still shows Orders.
    page.unmount();
    appData.upsert({ ...appData.find('b')!, status: 'disconnected', checkedAt: '2025-03-12T00:00:00Z' });
    render(ConnectorsPage, { props: { onimport: () => {} } });
    expect(select().value).toBe('a');
    expect(card().textContent).toContain('1 needs attention');
  });

  it('is the one a search names, until the search is cleared or the user picks another', async () => {
    const user = userEvent.setup();
    render(ConnectorsPage, { props: { onimport: () => {} } });
    expect(select().value).toBe('a');

    ui.search = 'billing';
    await waitFor(() => expect(select().value).toBe('b'));
    expect(screen.queryByTestId('connector-card-stripe'), 'other cards are filtered out').toBeNull();
    // The connector's name and the environment narrow it too.
    ui.search = 'http sandbox';
    await waitFor(() => expect(select().value).toBe('b'));
    // The connector's name alone changes nothing.
    ui.search = 'http';
    await waitFor(() => expect(select().value).toBe('a'));

    ui.search = 'billing';
    await waitFor(() => expect(select().value).toBe('b'));
    await user.selectOptions(select(), 'a');
    expect(select().value, 'a pick during the search wins').toBe('a');

    ui.search = '';
    await waitFor(() => expect(select().value).toBe('a'));
    ui.search = 'billing';
    await waitFor(() => expect(select().value).toBe('b'));
    ui.search = '';
    await waitFor(() => expect(select().value, 'clearing the search shows the choice again').toBe('a'));
  });

  it('has Edit connection for the one shown and + Add connection for a new one of the connector', async () => {
    const user = userEvent.setup();
    render(ConnectorsPage, { props: { onimport: () => {} } });
    await user.selectOptions(select(), 'b');
    const edit = within(card()).getByTestId('manage-http');
    expect(edit.textContent).toContain('Edit connection');
    await user.click(edit);
    expect(ui.editor).toEqual({ connectorId: 'http', connectionId: 'b' });

    ui.editor = null;
    const add = within(screen.getByTestId('connector-card-stripe')).getByTestId('add-connection-stripe');
    expect(add.textContent).toContain('Add connection');
    await user.click(add);
    expect(ui.editor).toEqual({ connectorId: 'stripe', connectionId: null });
    expect(within(card()).getByTestId('manage-connections-http').textContent).toContain('Manage Connections');
  });
});
