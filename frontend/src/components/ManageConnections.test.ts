import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appData } from '../lib/stores/connections.svelte';
import type { ConnectionDTO, Connector } from '../lib/types';
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
  setup: [],
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
    secretFields: ['token'],
    timeoutSeconds: 15,
    status,
    diagnosis: status === 'disconnected' ? 'GitHub rejected the token (401).' : '',
    identity: status === 'connected' ? 'octocat' : '',
    checkedAt: new Date().toISOString(),
    createdAt: '',
    updatedAt: '',
  };
}

let deleteConnection: ReturnType<typeof vi.fn>;

beforeEach(() => {
  deleteConnection = vi.fn((id: string) =>
    id === 'c1'
      ? Promise.reject(
          JSON.stringify({ code: 'in_use', message: 'The active integration “Orders sync” uses “Main”. Deactivate it first.' }),
        )
      : Promise.resolve(),
  );
  (window as { go?: unknown }).go = {
    services: {
      ConnectionService: { DeleteConnection: deleteConnection, ListConnections: () => Promise.resolve(appData.connections) },
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

describe('ManageConnections', () => {
  it('lists each connection with its environment, status and identity', () => {
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    const main = screen.getByTestId('connection-row-c1');
    expect(main.textContent).toContain('Main');
    expect(main.textContent).toContain('Production');
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
    expect(dialog.textContent).toContain('Delete “CI bot (Sandbox)”?');
    expect(deleteConnection).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('confirm-button'));
    expect(deleteConnection).toHaveBeenCalledWith('c2');
    await waitFor(() => expect(screen.queryByTestId('confirm-delete')).toBeNull());
    expect(screen.queryByTestId('connection-row-c2')).toBeNull();
    expect(screen.getByTestId('connection-row-c1')).toBeTruthy();
  });

  it('shows an in_use refusal in the dialog and keeps the connection', async () => {
    const user = userEvent.setup();
    render(ManageConnections, { props: { connector, onclose: () => {} } });
    await user.click(screen.getByTestId('delete-c1'));
    await user.click(screen.getByTestId('confirm-button'));
    const error = await screen.findByTestId('confirm-error');
    expect(error.textContent).toBe('The active integration “Orders sync” uses “Main”. Deactivate it first.');
    expect(screen.getByTestId('connection-row-c1')).toBeTruthy();
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
