// Manage Connections' rows beyond Re-test and Edit: the environment and the
// Production badge, "Used by", Fetch one record, Duplicate, Move and Copy to
// another workspace, and a delete an active integration blocks. Go is played
// by the fake Wails bindings, so the real api.ts and state modules run.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appData } from '../../lib/state/connections.svelte';
import { sample } from '../../lib/state/sample.svelte';
import { ui } from '../../lib/state/ui.svelte';
import { workspaces } from '../../lib/state/workspaces.svelte';
import type { ConnectionDTO } from '../../lib/types';
import { answerConnections, connection, connector, workspace } from '../../test/connections';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import ManageConnections from './ManageConnections.svelte';

const http = connector('http', 'HTTP API');
let go: FakeWails;

const orders = () =>
  connection('c1', {
    name: 'Orders API',
    environment: 'Production',
    usedBy: [{ integrationId: 'i1', name: 'Orders sync', role: 'source', active: true }],
  });
const billing = () => connection('c2', { name: 'Billing', environment: 'Sandbox' });

beforeEach(async () => {
  go = installFakeWails();
  answerConnections(go, () => appData.connections);
  go.answer('ListWorkspaces', () => [
    workspace('w1', 'Personal', { current: true, connections: 2 }),
    workspace('w2', 'Staging'),
  ]);
  await workspaces.load();
  appData.connectors = [http];
  appData.connections = [orders(), billing()];
  ui.page = 'connectors';
  ui.integration = null;
});

afterEach(() => {
  sample.view = null;
  go.uninstall();
  appData.connections = [];
  appData.connectors = [];
  workspaces.list = [];
});

function open() {
  const user = userEvent.setup();
  render(ManageConnections, { props: { connector: http, onclose: () => {} } });
  return user;
}

async function pick(user: ReturnType<typeof userEvent.setup>, id: string, item: string): Promise<void> {
  await user.click(screen.getByTestId(`more-${id}`));
  await user.click(await screen.findByTestId(`${item}-${id}`));
}

describe('Manage Connections rows', () => {
  it('name each connection with its environment, a Production badge, and the integration that uses it', async () => {
    const user = open();
    const row = screen.getByTestId('connection-row-c1');
    expect(within(row).getByTestId('connection-name').textContent).toContain('Production · Orders API');
    expect(within(row).getByTestId('production-badge')).toBeTruthy();
    expect(within(screen.getByTestId('connection-row-c2')).queryByTestId('production-badge')).toBeNull();

    const used = within(row).getByTestId('used-by-c1');
    expect(used.textContent).toContain('Used by Orders sync (source)');
    await user.click(used);
    expect(ui.page).toBe('integrations');
    expect(ui.integration).toBe('i1');
  });

  it('list several integrations in a menu, each opening its own', async () => {
    appData.connections = [
      connection('c1', {
        usedBy: [
          { integrationId: 'i1', name: 'Orders sync', role: 'source', active: true },
          { integrationId: 'i2', name: 'Refunds', role: 'destination', active: false },
        ],
      }),
    ];
    const user = open();
    await user.click(screen.getByTestId('used-by-c1'));
    const refunds = await screen.findByTestId('used-by-c1-i2');
    expect(refunds.textContent).toContain('Destination · inactive');
    await user.click(refunds);
    expect(ui.integration).toBe('i2');
  });

  it('Fetch one record asks Go for the sample and opens its dialog for that connection', async () => {
    const user = open();
    await pick(user, 'c2', 'fetch');
    expect(sample.view?.connection.id).toBe('c2');
    expect(go.pendingCall('FetchSample').args[0]).toBe('c2');
  });

  it('Duplicate wants another name or environment, then adds the copy to the list', async () => {
    go.answer('CopyConnection', (_id, _ws, name, environment) =>
      connection('c3', { name: String(name), environment: String(environment), status: 'unverified' }),
    );
    const user = open();
    await pick(user, 'c2', 'duplicate');
    const name = screen.getByTestId('copy-name') as HTMLInputElement;
    expect(name.value).toBe('Billing copy');
    expect((screen.getByTestId('copy-environment') as HTMLInputElement).value).toBe('Sandbox');

    await user.clear(name);
    await user.type(name, 'billing{Enter}');
    expect(screen.getByTestId('copy-name-error').textContent).toBe(
      'A connection named “Billing” already exists in Sandbox. Change the name or the environment.',
    );
    expect(go.calls('CopyConnection')).toEqual([]);

    const env = screen.getByTestId('copy-environment');
    await user.clear(env);
    await user.type(env, 'Staging{Enter}');
    await waitFor(() => expect(go.calls('CopyConnection')).toEqual([['c2', '', 'billing', 'Staging']]));
    await waitFor(() => expect(screen.getByTestId('connection-row-c3')).toBeTruthy());
    expect(screen.queryByTestId('connection-duplicate-dialog')).toBeNull();
  });

  it('Move to workspace… moves it to the workspace chosen and takes it off this list', async () => {
    go.answer('MoveConnection', (id) => ({ ...billing(), id: String(id), workspaceId: 'w2' }));
    const user = open();
    await pick(user, 'c2', 'move');
    const dialog = screen.getByTestId('connection-move-dialog');
    expect(dialog.textContent).toContain('Move “Sandbox · Billing” to another workspace');
    expect((screen.getByTestId('copy-target') as HTMLSelectElement).value).toBe('w2');
    await user.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(go.calls('MoveConnection')).toEqual([['c2', 'w2']]));
    await waitFor(() => expect(screen.queryByTestId('connection-row-c2')).toBeNull());
  });

  it('a move an integration refuses says so, with a button to the integration', async () => {
    go.answer('MoveConnection', () => {
      throw JSON.stringify({ code: 'in_use', message: 'Connection "Orders API" is used by Orders sync (source) in this workspace.' });
    });
    go.answer('IntegrationsUsing', () => orders().usedBy);
    const user = open();
    await pick(user, 'c1', 'move');
    await user.click(screen.getByTestId('confirm-button'));
    expect((await screen.findByTestId('confirm-error')).textContent).toContain('is used by Orders sync');
    await user.click(await screen.findByTestId('open-integration-i1'));
    expect(ui.integration).toBe('i1');
    expect(screen.getByTestId('connection-row-c1')).toBeTruthy();
  });

  it('Copy to workspace… shows a name the other workspace already has under the name', async () => {
    go.answer('CopyConnection', () => {
      throw JSON.stringify({ code: 'conflict', field: 'name', message: 'A connection named "Billing" already exists for this connector in "Sandbox".' });
    });
    const user = open();
    await pick(user, 'c2', 'copy');
    await user.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(go.calls('CopyConnection')).toEqual([['c2', 'w2', 'Billing', 'Sandbox']]));
    expect((await screen.findByTestId('copy-name-error')).textContent).toContain('already exists');
    expect(screen.queryByTestId('confirm-error')).toBeNull();
  });

  it('Move and Copy wait for a second workspace', async () => {
    go.answer('ListWorkspaces', () => [workspace('w1', 'Personal', { current: true })]);
    await workspaces.load();
    const user = open();
    await user.click(screen.getByTestId('more-c2'));
    const move = await screen.findByTestId('move-c2');
    expect(move.hasAttribute('disabled')).toBe(true);
    expect(move.textContent).toContain('Create another workspace first');
    expect(screen.getByTestId('copy-c2').hasAttribute('disabled')).toBe(true);
    expect(screen.getByTestId('duplicate-c2').hasAttribute('disabled')).toBe(false);
  });

  it('Delete of a connection an active integration uses names the integration instead of asking', async () => {
    go.answer('IntegrationsUsing', () => orders().usedBy);
    const user = open();
    await user.click(screen.getByTestId('delete-c1'));
    const dialog = screen.getByTestId('connection-in-use');
    expect(screen.queryByTestId('confirm-delete')).toBeNull();
    expect(dialog.textContent).toContain('Orders sync');
    expect(dialog.textContent).toContain('source side');
    expect(go.calls('DeleteConnection')).toEqual([]);
    await user.click(screen.getByTestId('in-use-close'));
    expect(screen.queryByTestId('connection-in-use')).toBeNull();
  });

  it('Delete of a connection an inactive integration uses warns about its side', async () => {
    const c: ConnectionDTO = connection('c4', {
      name: 'Old',
      usedBy: [{ integrationId: 'i9', name: 'Legacy sync', role: 'destination', active: false }],
    });
    appData.connections = [c];
    const user = open();
    await user.click(screen.getByTestId('delete-c4'));
    expect(screen.getByTestId('delete-inactive-uses').textContent).toContain('Legacy sync (inactive)');
  });

  it('follow an integration saved elsewhere: its connections say Used by', async () => {
    let list = [billing()];
    answerConnections(go, () => list);
    go.answer('ListConnectors', () => [http]);
    go.answer('Info', () => ({ workspaceId: 'w1' }));
    go.answer('Keychain', () => ({ ok: true, message: '' }));
    await appData.load();
    open();
    expect(screen.queryByTestId('used-by-c2')).toBeNull();
    list = [{ ...billing(), usedBy: [{ integrationId: 'i5', name: 'Invoices', role: 'destination', active: true }] }];
    go.emit('integrations:changed', null);
    expect((await screen.findByTestId('used-by-c2')).textContent).toContain('Used by Invoices (destination)');
  });
});
