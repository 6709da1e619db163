import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeTopLayer } from '../../lib/layers';
import { appData } from '../../lib/state/connections.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { ConnectionDTO, Connector } from '../../lib/types';
import Toasts from '../shell/Toasts.svelte';
import ManageConnections from './ManageConnections.svelte';

const connector: Connector = {
  id: 'github',
  name: 'GitHub',
  category: 'Developer tools',
  description: '',
  logo: '',
  docsUrl: '',
  baseUrl: 'https://api.github.com',
  fields: [],
  auth: [],
  test: { method: 'GET', path: '/user' },
  advanced: [], setup: [],
  builtin: true,
};

function conn(id: string, name: string, environment: string, status: string): ConnectionDTO {
  return {
    id,
    workspaceId: 'w',
    connectorId: 'github',
    name,
    environment,
    authType: 'bearer',
    baseUrl: '',
    settings: {},
    secretFields: ['token'], userSecrets: [], parameters: {},
    timeoutSeconds: 15,
    status,
    diagnosis: status === 'disconnected' ? 'GitHub rejected the token (401).' : '',
    identity: status === 'connected' ? 'octocat' : '',
    checkedAt: new Date().toISOString(),
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
  };
}

let deleteConnection: ReturnType<typeof vi.fn>;
let undoDelete: ReturnType<typeof vi.fn>;
let undoRefused = false;

beforeEach(() => {
  deleteConnection = vi.fn((id: string) =>
    id === 'c1'
      ? Promise.reject(
          JSON.stringify({ code: 'in_use', message: 'The active integration “Orders sync” uses “Main”. Deactivate it first.' }),
        )
      : Promise.resolve({ connectionId: id, undoUntil: new Date(Date.now() + 10_000).toISOString(), undoSeconds: 10 }),
  );
  undoDelete = vi.fn((id: string) =>
    undoRefused
      ? Promise.reject(JSON.stringify({ code: 'not_found', message: 'This delete can no longer be undone: it is final.' }))
      : Promise.resolve(conn(id, 'CI bot', 'Sandbox', 'disconnected')),
  );
  undoRefused = false;
  ui.toasts = [];
  (window as { go?: unknown }).go = {
    services: {
      ConnectionService: {
        DeleteConnection: deleteConnection,
        UndoDeleteConnection: undoDelete,
        ListConnections: () => Promise.resolve(appData.connections),
        IntegrationsUsing: () =>
          Promise.resolve([{ integrationId: 'i1', name: 'Orders sync', role: 'destination', active: true }]),
      },
      WorkspaceService: { ListWorkspaces: () => Promise.resolve([]) },
    },
  };
  appData.connectors = [connector];
  appData.connections = [conn('c1', 'Main', 'Production', 'connected'), conn('c2', 'CI bot', 'Sandbox', 'disconnected')];
});

afterEach(() => {
  delete (window as { go?: unknown }).go;
  appData.connections = [];
  appData.connectors = [];
});

/** Group headings and rows in the order they are on screen. */
function listOrder(): string[] {
  return Array.from(
    document.querySelectorAll<HTMLElement>('[data-testid="connection-group"], [data-testid^="connection-row-"]'),
  ).map((el) => (el.dataset.group !== undefined ? `group:${el.dataset.group}` : el.dataset.testid!.replace('connection-row-', '')));
}

function many(n: number): ConnectionDTO[] {
  return Array.from({ length: n }, (_, i) =>
    conn(`t${i}`, `Tenant ${String(i).padStart(4, '0')} API`, i % 2 ? 'Sandbox' : 'Production', i % 10 === 3 ? 'disconnected' : 'unverified'),
  );
}

describe('ManageConnections', () => {
  it('lists each connection under its environment, with its status and identity', () => {
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    expect(listOrder()).toEqual(['group:Production', 'c1', 'group:Sandbox', 'c2']);
    const main = screen.getByTestId('connection-row-c1');
    expect(main.textContent).toContain('Main');
    expect(main.textContent).toContain('octocat');
    expect(main.querySelector('[data-testid=status-badge]')?.getAttribute('data-status')).toBe('connected');
    const bot = screen.getByTestId('connection-row-c2');
    expect(bot.querySelector('[data-testid=status-badge]')?.getAttribute('data-status')).toBe('disconnected');
    expect(bot.textContent).toContain('GitHub rejected the token (401).');
  });

  it('asks before deleting, naming the connection, and deletes on confirm', async () => {
    const user = userEvent.setup();
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    await user.click(screen.getByTestId('delete-c2'));
    const dialog = screen.getByTestId('confirm-delete');
    expect(dialog.textContent).toContain('Delete “Sandbox · CI bot”?');
    expect(deleteConnection).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('confirm-button'));
    expect(deleteConnection).toHaveBeenCalledWith('c2');
    await waitFor(() => expect(screen.queryByTestId('confirm-delete')).toBeNull());
    expect(screen.queryByTestId('connection-row-c2')).toBeNull();
    expect(screen.getByTestId('connection-row-c1')).toBeTruthy();
  });

  it('offers Undo in the toast after a delete, which brings the connection back', async () => {
    const user = userEvent.setup();
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    render(Toasts);
    await user.click(screen.getByTestId('delete-c2'));
    expect(screen.getByTestId('confirm-delete').textContent).toContain('Undo brings it back');
    await user.click(screen.getByTestId('confirm-button'));
    const toast = await screen.findByTestId('toast');
    expect(toast.textContent).toContain('Deleted “Sandbox · CI bot”.');
    await waitFor(() => expect(screen.queryByTestId('connection-row-c2')).toBeNull());
    expect(appData.wasDeleted('c2')).toBe(true);

    await user.click(within(toast).getByTestId('undo-delete'));
    expect(undoDelete).toHaveBeenCalledWith('c2');
    await waitFor(() => expect(screen.getByTestId('connection-row-c2')).toBeTruthy());
    expect(appData.wasDeleted('c2')).toBe(false);
    expect(screen.getByTestId('toast').textContent).toContain('Restored “Sandbox · CI bot”.');
    expect(screen.queryByTestId('undo-delete'), 'Undo is offered once').toBeNull();
  });

  it('says so when Undo comes too late, and the connection stays deleted', async () => {
    const user = userEvent.setup();
    undoRefused = true;
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    render(Toasts);
    await user.click(screen.getByTestId('delete-c2'));
    await user.click(screen.getByTestId('confirm-button'));
    await user.click(await screen.findByTestId('undo-delete'));
    await waitFor(() => expect(screen.getByTestId('toast').textContent).toContain('can no longer be undone'));
    expect(screen.queryByTestId('connection-row-c2')).toBeNull();
  });

  it('turns an in_use refusal into a dialog that names each integration and opens it', async () => {
    const user = userEvent.setup();
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    await user.click(screen.getByTestId('delete-c1'));
    await user.click(screen.getByTestId('confirm-button'));
    const dialog = await screen.findByTestId('connection-in-use');
    expect(screen.queryByTestId('confirm-delete')).toBeNull();
    await waitFor(() => expect(dialog.textContent).toContain('Orders sync'));
    expect(dialog.textContent).toContain('destination side');
    expect(dialog.textContent).toContain('Active');
    expect(screen.getByTestId('connection-row-c1')).toBeTruthy();
    await user.click(screen.getByTestId('open-integration-i1'));
    expect(ui.page).toBe('integrations');
    expect(ui.integration).toBe('i1');
    expect(screen.queryByTestId('connection-in-use')).toBeNull();
  });

  it('cancel leaves everything as it was', async () => {
    const user = userEvent.setup();
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    await user.click(screen.getByTestId('delete-c2'));
    await user.click(screen.getByTestId('confirm-cancel'));
    expect(screen.queryByTestId('confirm-delete')).toBeNull();
    expect(deleteConnection).not.toHaveBeenCalled();
    expect(screen.getByTestId('connection-row-c2')).toBeTruthy();
  });
});

// 1,000 rows through jsdom take seconds on a busy 2-core machine: a bound
// that fits there, not a speed check (the e2e and the benchmarks are those).
describe('ManageConnections with 1,000 connections', { timeout: 30_000 }, () => {
  beforeEach(() => {
    appData.connections = many(1000);
  });

  it('keeps a bounded number of rows in the DOM, at the top and scrolled to the end', async () => {
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    expect(screen.getByTestId('connections-count').textContent).toBe(`${(1000).toLocaleString()} connections`);
    const rows = () => document.querySelectorAll('[data-testid^="connection-row-"]').length;
    expect(rows()).toBeGreaterThan(5);
    expect(rows()).toBeLessThan(40);
    expect(screen.getByTestId('connection-row-t0')).toBeTruthy();

    // Scroll to the end: the last rows replace the first ones, still bounded.
    const viewport = screen.getByTestId('connections-list');
    viewport.scrollTop = 2 * 32 + 1000 * 56 - 400; // jsdom has no layout: the list assumes an 800 px view
    await fireEvent.scroll(viewport);
    expect(screen.getByTestId('connection-row-t999')).toBeTruthy();
    expect(screen.queryByTestId('connection-row-t0')).toBeNull();
    expect(rows()).toBeLessThan(40);
    // The Sandbox heading is pinned above the rows it heads.
    expect(document.querySelector('.pinned')?.textContent).toContain('Sandbox');
  });

  it('filters by name, environment and status word, with a count', async () => {
    const user = userEvent.setup();
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    const filter = screen.getByTestId('filter-connections');
    await waitFor(() => expect(document.activeElement).toBe(filter));

    await user.type(filter, 'Tenant 0999');
    expect(screen.getByTestId('connections-count').textContent).toBe(`1 of ${(1000).toLocaleString()}`);
    expect(listOrder()).toEqual(['group:Sandbox', 't999']);

    await user.clear(filter);
    await user.type(filter, 'production disconnected');
    // i % 10 === 3 is odd, so every disconnected one is in Sandbox.
    expect(screen.getByTestId('no-matches').textContent).toContain('No GitHub connections match “production disconnected”.');
    expect(screen.getByTestId('connections-count').textContent).toBe(`0 of ${(1000).toLocaleString()}`);

    await user.clear(filter);
    await user.type(filter, 'disconnected');
    expect(screen.getByTestId('connections-count').textContent).toBe(`100 of ${(1000).toLocaleString()}`);
    const shown = listOrder();
    expect(shown[0]).toBe('group:Sandbox');
    expect(shown.slice(1).every((id) => Number(id.slice(1)) % 10 === 3)).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(screen.getByTestId('connections-count').textContent).toBe(`${(1000).toLocaleString()} connections`);
  });

  it('Esc clears the filter first and closes the panel only when it is empty', async () => {
    const user = userEvent.setup();
    const onclose = vi.fn();
    const onkey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeTopLayer(); // what App does
    };
    window.addEventListener('keydown', onkey);
    try {
      render(ManageConnections, { props: { connector, onclose } });
      await user.type(screen.getByTestId('filter-connections'), '0999');
      await user.keyboard('{Escape}');
      expect((screen.getByTestId('filter-connections') as HTMLInputElement).value).toBe('');
      expect(onclose).not.toHaveBeenCalled();
      await user.keyboard('{Escape}');
      expect(onclose).toHaveBeenCalledOnce();
    } finally {
      window.removeEventListener('keydown', onkey);
    }
  });

  it('reaches the row actions from the filter by keyboard', async () => {
    const user = userEvent.setup();
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    await user.type(screen.getByTestId('filter-connections'), 'Tenant 0998');
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByTestId('retest-t998'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('edit-t998'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('log-t998'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('more-t998'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('delete-t998'));
  });
});
