import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeWails } from '../../test/fakeWails';
import { closeTopLayer } from '../../lib/layers';
import { ui } from '../../lib/state/ui.svelte';
import type { ConnectionDTO, Connector, VerificationDTO } from '../../lib/types';
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

describe('ConnectionEditor: the action bar and the blamed input', () => {
  /** Like a built-in with its own address: the override and the connection options wait under Advanced. */
  const withOptions: Connector = {
    ...connector,
    advanced: [{ key: 'trustedCa', label: 'Trusted CA certificates', type: 'textarea', secret: false, required: false }],
  };
  const verdict = (o: Partial<VerificationDTO>): VerificationDTO => ({
    runId: '',
    status: 'disconnected',
    code: 'unauthorized',
    summary: 'Acme rejected the credentials (401 Unauthorized).',
    advice: 'Check the token: it may be mistyped, revoked or expired.',
    identity: '',
    httpStatus: 401,
    durationMs: 3,
    checkedAt: '',
    exchanges: [],
    ...o,
  });

  async function failTest(field: string, o: Partial<VerificationDTO> = {}) {
    const fake = installFakeWails();
    fake.answer('TestConnection', (_draft, runId) => verdict({ runId: String(runId), field, ...o }));
    fake.answer('FindLiteralSecrets', () => []);
    const onclose = vi.fn();
    const user = userEvent.setup();
    render(ConnectionEditor, { props: { connector: withOptions, connection: null, onclose } });
    await user.type(screen.getByTestId('field-name'), 'Acme');
    await user.type(screen.getByTestId('field-token'), 'tok_wrong');
    await user.click(screen.getByTestId('test-button'));
    await screen.findByTestId('test-summary');
    return { user, fake };
  }

  it('keeps Test, Cancel and Save in the panel’s footer, outside the scrolling body; Save submits the form', () => {
    render(ConnectionEditor, { props: { connector, connection: saved, onclose: vi.fn() } });
    const save = screen.getByTestId('save-button') as HTMLButtonElement;
    const bar = save.closest('footer');
    expect(bar).not.toBeNull();
    expect(bar?.contains(screen.getByTestId('test-button'))).toBe(true);
    expect(bar?.contains(screen.getByTestId('cancel-editor'))).toBe(true);
    expect(bar?.closest('.body')).toBeNull();
    expect(save.form).toBe(screen.getByTestId('connection-form').closest('form'));
  });

  it('links a rejected token to its input and focuses it', async () => {
    const { user, fake } = await failTest('token');
    const link = screen.getByTestId('goto-field');
    expect(link.textContent?.trim()).toBe('Go to Token');
    await user.click(link);
    expect(document.activeElement).toBe(screen.getByTestId('field-token'));
    fake.uninstall();
  });

  it('opens Advanced for a blamed input inside it', async () => {
    const { user, fake } = await failTest('trustedCa', {
      status: 'unreachable',
      code: 'unknown_ca',
      summary: 'The certificate of api.acme.test is signed by an authority this computer does not trust.',
    });
    const advanced = screen.getByTestId('advanced') as HTMLDetailsElement;
    // The diagnosis is placed under the input, which opens Advanced by itself.
    await waitFor(() => expect(advanced.open).toBe(true));
    await user.click(screen.getByTestId('advanced-toggle'));
    expect(advanced.open).toBe(false);
    await user.click(screen.getByTestId('goto-field'));
    expect(advanced.open).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId('field-trustedCa'));
    fake.uninstall();
  });

  it('has no link when the diagnosis blames no input of the form', async () => {
    const { fake } = await failTest('', { status: 'unreachable', code: 'server_error', summary: 'Acme had a server error (500).' });
    expect(screen.queryByTestId('goto-field')).toBeNull();
    fake.uninstall();
  });
});
