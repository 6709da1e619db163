import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeTopLayer } from '../../lib/layers';
import { ui } from '../../lib/state/ui.svelte';
import type { ConnectionDTO, Connector } from '../../lib/types';
import ConnectionEditor from './ConnectionEditor.svelte';

const connector: Connector = {
  id: 'acme',
  name: 'Acme',
  category: 'Testing',
  description: 'A test connector.',
  logo: '',
  docsUrl: '',
  baseUrl: 'https://api.acme.test',
  fields: [],
  auth: [{ type: 'bearer', fields: [{ key: 'token', label: 'Token', type: 'password', secret: true, required: true }] }],
  test: { method: 'GET', path: '/me' },
  advanced: [], setup: ['Create a token.'],
  builtin: true,
};

const saved: ConnectionDTO = {
  id: 'c1',
  workspaceId: 'w1',
  connectorId: 'acme',
  name: 'Acme prod',
  environment: 'Production',
  authType: 'bearer',
  baseUrl: '',
  settings: {},
  secretFields: ['token'], userSecrets: [], parameters: {},
  timeoutSeconds: 15,
  status: 'connected',
  diagnosis: '',
  identity: '',
  checkedAt: '',
  allowInsecureHttp: false,
  createdAt: '',
  updatedAt: '',
};

// What App does with Esc: close the top panel or dialog.
function onkey(e: KeyboardEvent): void {
  if (e.key === 'Escape') closeTopLayer();
}

beforeEach(() => window.addEventListener('keydown', onkey));
afterEach(() => {
  window.removeEventListener('keydown', onkey);
  ui.editor = null;
  ui.page = 'connectors';
});

function open(connection: ConnectionDTO | null = saved) {
  const onclose = vi.fn();
  const user = userEvent.setup();
  render(ConnectionEditor, { props: { connector, connection, onclose } });
  return { user, onclose };
}

const discardDialog = () => screen.queryByTestId('confirm-discard');

describe('ConnectionEditor: unsaved changes', () => {
  it.each([
    ['Esc', async (user: ReturnType<typeof userEvent.setup>) => user.keyboard('{Escape}')],
    ['Cancel', async (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByTestId('cancel-editor'))],
    ['the close button', async (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByTestId('close-editor'))],
  ])('%s closes at once when nothing changed', async (_, close) => {
    const { user, onclose } = open();
    await close(user);
    expect(onclose).toHaveBeenCalledOnce();
    expect(discardDialog()).toBeNull();
  });

  it.each([
    ['Esc', async (user: ReturnType<typeof userEvent.setup>) => user.keyboard('{Escape}')],
    ['Cancel', async (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByTestId('cancel-editor'))],
    ['the close button', async (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByTestId('close-editor'))],
  ])('%s asks "Discard changes?" after typing; Esc and Enter keep editing, Discard closes', async (_, close) => {
    const { user, onclose } = open();
    const name = screen.getByTestId('field-name') as HTMLInputElement;
    await user.clear(name);
    await user.type(name, 'Acme production');

    await close(user);
    const dialog = discardDialog();
    expect(dialog?.textContent).toContain('Discard changes?');
    expect(dialog?.textContent).toContain('Your changes to “Acme prod” are not saved.');
    // The safe answer has focus.
    expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));
    expect(screen.getByTestId('confirm-cancel').textContent?.trim()).toBe('Keep editing');

    // Esc on the question keeps editing.
    await user.keyboard('{Escape}');
    expect(discardDialog()).toBeNull();
    expect(onclose).not.toHaveBeenCalled();
    expect(name.value).toBe('Acme production');

    // So does Enter (it presses the focused Keep editing).
    await close(user);
    expect(discardDialog()).not.toBeNull();
    await user.keyboard('{Enter}');
    expect(discardDialog()).toBeNull();
    expect(onclose).not.toHaveBeenCalled();

    await close(user);
    await user.click(screen.getByTestId('confirm-button'));
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('asks for a typed secret in a new connection', async () => {
    const { user, onclose } = open(null);
    await user.type(screen.getByTestId('field-token'), 'tok_123');
    await user.keyboard('{Escape}');
    expect(discardDialog()?.textContent).toContain('This new Acme connection is not saved.');
    expect(onclose).not.toHaveBeenCalled();
  });

  it('does not ask when a change was typed back', async () => {
    const { user, onclose } = open();
    const name = screen.getByTestId('field-name') as HTMLInputElement;
    await user.type(name, 'x');
    await user.keyboard('{Backspace}');
    await user.keyboard('{Escape}');
    expect(discardDialog()).toBeNull();
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('asks before "View log" leaves an editor with changes', async () => {
    ui.editor = { connectorId: 'acme', connectionId: 'c1' };
    const { user } = open();
    await user.type(screen.getByTestId('field-name'), ' 2');
    ui.showLog('c1');
    await waitFor(() => expect(discardDialog()).not.toBeNull());
    expect(ui.page).toBe('connectors');
    expect(ui.editor).not.toBeNull();
    await user.click(screen.getByTestId('confirm-cancel'));
    expect(discardDialog()).toBeNull();
    expect(ui.page).toBe('connectors');
  });
});
