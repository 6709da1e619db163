// The editor's OAuth sign-in through the real api.ts and generated bindings,
// with Go played by a fake window.go / window.runtime: Connect's stages as
// oauth:progress reports them, Cancel, the result with scopes and expiry,
// and where each kind of error lands.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeWails, type FakeWails, type PendingCall } from '../../test/fakeWails';
import { answerConnections } from '../../test/connections';
import { closeTopLayer } from '../../lib/layers';
import { appData } from '../../lib/state/connections.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { AuthorizationDTO, ConnectionDraft, ConnectionDTO, Connector, Exchange, Field } from '../../lib/types';
import ConnectionEditor from '../editor/ConnectionEditor.svelte';

const f = (key: string, label: string, o: Partial<Field> = {}): Field => ({
  key,
  label,
  type: 'text',
  secret: false,
  required: false,
  ...o,
});

/** Like the generic "OAuth 2.0 HTTP API" as the catalog loader fills it. */
const connector: Connector = {
  id: 'oauth2-http',
  name: 'OAuth 2.0 HTTP API',
  category: 'Generic',
  description: 'Any HTTP API that takes OAuth 2.0 access tokens.',
  logo: '',
  docsUrl: '',
  baseUrl: 'https://api.example.test',
  fields: [],
  auth: [
    {
      type: 'oauth2AuthorizationCode',
      label: 'Authorization code',
      configurable: true,
      fields: [
        f('authorizationUrl', 'Authorization URL', { type: 'url', required: true }),
        f('tokenUrl', 'Token URL', { type: 'url', required: true }),
        f('clientId', 'Client ID', { required: true }),
        f('clientSecret', 'Client secret', { type: 'password', secret: true }),
        f('scopes', 'Scopes', { default: 'openid' }),
        f('clientAuth', 'Client authentication', {
          type: 'select',
          required: true,
          default: 'basic',
          options: [
            { value: 'basic', label: 'HTTP Basic header' },
            { value: 'body', label: 'Request body' },
          ],
        }),
        f('redirectPort', 'Redirect port', { type: 'number' }),
        f('redirectPath', 'Redirect path', { default: '/callback' }),
      ],
    },
    { type: 'apiKey', fields: [f('apiKey', 'API key', { type: 'password', secret: true, required: true })] },
  ],
  test: { method: 'GET', path: '/userinfo' },
  advanced: [], setup: [],
  builtin: true,
};

const IN_59_MIN = () => new Date(Date.now() + 59.5 * 60_000).toISOString();

function savedConnection(o: Partial<ConnectionDTO> = {}): ConnectionDTO {
  return {
    id: 'c1',
    workspaceId: 'w1',
    connectorId: 'oauth2-http',
    name: 'Ada at the provider',
    environment: 'Sandbox',
    authType: 'oauth2AuthorizationCode',
    baseUrl: '',
    settings: {
      authorizationUrl: 'https://id.example.test/authorize',
      tokenUrl: 'https://id.example.test/token',
      clientId: 'patchbay',
      scopes: 'openid profile',
      clientAuth: 'basic',
      redirectPort: '',
      redirectPath: '/callback',
    },
    secretFields: ['clientSecret', 'accessToken', 'refreshToken'], userSecrets: [], parameters: {},
    timeoutSeconds: 15,
    status: 'connected',
    diagnosis: '',
    identity: 'Ada Lovelace',
    checkedAt: new Date().toISOString(),
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
    oauth: {
      authorized: true,
      grantedScopes: ['openid', 'profile'],
      expiresAt: IN_59_MIN(),
      refreshable: true,
      authorizedAt: new Date().toISOString(),
    },
    ...o,
  };
}

function connectedOutcome(runId: string, exchanges: Exchange[] = []): AuthorizationDTO {
  return {
    saved: true,
    connection: savedConnection({ id: 'new1' }),
    verification: {
      runId,
      status: 'connected',
      code: 'ok',
      summary: 'OAuth 2.0 HTTP API accepted the credentials (200 OK).',
      advice: '',
      identity: 'Ada Lovelace',
      httpStatus: 200,
      durationMs: 4,
      checkedAt: new Date().toISOString(),
      exchanges,
    },
  };
}

let fake: FakeWails;

function onkey(e: KeyboardEvent): void {
  if (e.key === 'Escape') closeTopLayer();
}

beforeEach(() => {
  fake = installFakeWails();
  answerConnections(fake, () => []);
  window.addEventListener('keydown', onkey);
  appData.connections = [];
});

afterEach(() => {
  window.removeEventListener('keydown', onkey);
  fake.uninstall();
  ui.editor = null;
});

function open(connection: ConnectionDTO | null = null) {
  const onclose = vi.fn();
  const user = userEvent.setup();
  render(ConnectionEditor, { props: { connector, connection, onclose } });
  return { user, onclose };
}

async function fillNew(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await user.type(screen.getByTestId('field-name'), 'Ada at the provider');
  await user.type(screen.getByTestId('field-authorizationUrl'), 'https://id.example.test/authorize');
  await user.type(screen.getByTestId('field-tokenUrl'), 'https://id.example.test/token');
  await user.type(screen.getByTestId('field-clientId'), 'patchbay');
  await user.type(screen.getByTestId('field-clientSecret'), 's3cret-value');
}

/** Clicks Connect and returns Go's pending StartAuthorization call. */
async function connect(user: ReturnType<typeof userEvent.setup>): Promise<{ call: PendingCall; flowId: string; draft: ConnectionDraft }> {
  await user.click(screen.getByTestId('connect-button'));
  const call = await waitFor(() => fake.pendingCall('StartAuthorization', 0));
  expect(fake.calls('StartAuthorization')).toHaveLength(1);
  return { call, draft: call.args[0] as ConnectionDraft, flowId: call.args[1] as string };
}

function progress(flowId: string, stage: string, message = ''): void {
  fake.emit('oauth:progress', {
    flowId,
    stage,
    authorizeUrl: 'https://id.example.test/authorize?client_id=patchbay&code_challenge=x&state=y',
    redirectUri: 'http://127.0.0.1:53682/callback',
    message,
  });
}

const stage = () => screen.getByTestId('oauth-stage');

describe('OAuthConnect in the editor', () => {
  it('shows the redirect URI to register and Connect in place of Test and Save; Advanced holds the redirect settings', async () => {
    const { user } = open();
    expect(screen.getByTestId('oauth-connect').dataset.mode).toBe('connect');
    expect(screen.getByTestId('connect-button').textContent).toContain('Connect');
    // Connect stands in for the action bar: no Test or Save until signed in.
    expect(screen.queryByTestId('save-button')).toBeNull();
    expect(screen.queryByTestId('test-button')).toBeNull();
    expect(screen.getByTestId('oauth-redirect-preview').textContent).toBe('http://127.0.0.1/callback');
    await user.type(screen.getByTestId('field-redirectPort'), '8765');
    expect(screen.getByTestId('oauth-redirect-preview').textContent).toBe('http://127.0.0.1:8765/callback');
    const advanced = screen.getByTestId('advanced');
    expect(advanced?.querySelector('[data-testid="field-redirectPort"]')).not.toBeNull();
    expect(advanced?.querySelector('[data-testid="field-clientAuth"]')).not.toBeNull();
    expect(advanced?.querySelector('[data-testid="field-clientId"]')).toBeNull();
  });

  it('checks the form first: a missing client ID is shown under its input and no browser opens', async () => {
    const { user } = open();
    await user.type(screen.getByTestId('field-name'), 'Ada');
    await user.click(screen.getByTestId('connect-button'));
    expect(screen.getByTestId('error-clientId').textContent).toMatch(/required/i);
    expect(fake.calls('StartAuthorization')).toHaveLength(0);
  });

  it('follows the stages Go reports, then shows the result with scopes, expiry and who is connected', async () => {
    const { user, onclose } = open();
    await fillNew(user);
    const { call, flowId, draft } = await connect(user);
    expect(draft.authType).toBe('oauth2AuthorizationCode');
    expect(draft.id).toBe('');
    expect(draft.draftKey).toMatch(/^[0-9a-f]{32}$/);
    expect(draft.secrets).toEqual({ clientSecret: 's3cret-value' });

    // Before Go listens there is no link to copy yet.
    expect(stage().dataset.stage).toBe('starting');
    expect((screen.getByTestId('copy-signin-link') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('connect-button').textContent).toContain('Waiting for sign-in');

    progress(flowId, 'listening', 'Waiting for the browser…');
    await waitFor(() => expect(stage().textContent).toBe('Opening your browser…'));
    expect((screen.getByTestId('copy-signin-link') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId('oauth-redirect-uri').textContent).toBe('http://127.0.0.1:53682/callback');

    progress(flowId, 'browser_opened');
    await waitFor(() => expect(stage().textContent).toBe('Waiting for you to sign in in your browser…'));
    // Another flow's events do not move this one.
    progress('someone-else', 'callback');
    flushSync();
    expect(stage().dataset.stage).toBe('browser_opened');

    progress(flowId, 'callback');
    await waitFor(() => expect(stage().textContent).toBe('Signed in. Getting the tokens…'));
    progress(flowId, 'exchanging');
    const test = { id: 'x3', runId: flowId, kind: 'test', method: 'GET', url: 'https://api.example.test/userinfo', status: 200 } as Exchange;
    fake.emit('verify:exchange', { runId: flowId, exchange: test });
    await waitFor(() => expect(stage().textContent).toBe('Testing the connection with the new token…'));

    call.resolve(connectedOutcome(flowId, [test]));
    const result = await screen.findByTestId('oauth-result');
    expect(result.querySelector('[data-testid="status-badge"]')?.getAttribute('data-status')).toBe('connected');
    expect(screen.getByTestId('test-identity').textContent).toContain('Connected as Ada Lovelace');
    expect(screen.getAllByTestId('oauth-scope').map((x) => x.textContent)).toEqual(['openid', 'profile']);
    expect(screen.getByTestId('oauth-expiry').textContent).toBe('Expires in 59 min');
    expect(screen.getByTestId('oauth-refreshable').textContent).toMatch(/^\s*Yes/);
    expect(screen.queryByTestId('oauth-waiting')).toBeNull();
    // Saved: the list knows it, and the events are no longer listened to.
    expect(appData.connections.map((c) => c.id)).toEqual(['new1']);
    expect(fake.listeners('oauth:progress')).toBe(0);
    expect(fake.listeners('verify:exchange')).toBe(0);

    // Everything typed is saved: Esc closes without "Discard changes?".
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-discard')).toBeNull();
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('after a Connect, an edit makes closing ask again, and a second Connect updates the saved connection', async () => {
    const { user, onclose } = open();
    await fillNew(user);
    const first = await connect(user);
    first.call.resolve(connectedOutcome(first.flowId));
    await screen.findByTestId('oauth-done');

    await user.type(screen.getByTestId('field-name'), ' 2');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-discard')).not.toBeNull();
    await user.click(screen.getByTestId('confirm-cancel'));
    expect(onclose).not.toHaveBeenCalled();

    await user.click(screen.getByTestId('reauthorize-button'));
    const second = await waitFor(() => fake.pendingCall('StartAuthorization', 1));
    const draft = second.args[0] as ConnectionDraft;
    expect(draft.id).toBe('new1');
    expect(draft.name).toBe('Ada at the provider 2');
  });

  it('keeps the furthest stage when events arrive out of order', async () => {
    const { user } = open();
    await fillNew(user);
    const { flowId } = await connect(user);
    progress(flowId, 'browser_opened');
    progress(flowId, 'listening', 'Waiting for the browser…');
    flushSync();
    expect(stage().dataset.stage).toBe('browser_opened');
    expect(stage().textContent).toBe('Waiting for you to sign in in your browser…');
    expect((screen.getByTestId('copy-signin-link') as HTMLButtonElement).disabled).toBe(false);
  });

  it('says when the browser could not be opened and makes the link the thing to use', async () => {
    const { user } = open();
    await fillNew(user);
    const { flowId } = await connect(user);
    progress(flowId, 'listening', 'Waiting for the browser…');
    progress(flowId, 'listening', 'Patchbay could not open the browser (exec: "xdg-open": not found). Copy the link into your browser to go on.');
    await waitFor(() => expect(stage().textContent).toBe('Patchbay could not open your browser'));
    expect(screen.getByTestId('oauth-waiting').textContent).toContain('xdg-open');
    expect(screen.getByTestId('copy-signin-link').classList.contains('btn-primary')).toBe(true);
    await fireEvent.click(screen.getByTestId('copy-signin-link'));
    await waitFor(() => expect(screen.getByTestId('copy-signin-link').textContent).toContain('Link copied'));
  });

  it('Cancel stops the flow in Go and says nothing was saved', async () => {
    const { user } = open();
    await fillNew(user);
    const { call, flowId } = await connect(user);
    progress(flowId, 'browser_opened');
    fake.answer('CancelAuthorization', () => {
      call.reject('canceled', 'The authorization was canceled; nothing was saved.');
    });
    await user.click(screen.getByTestId('cancel-oauth'));
    expect(fake.calls('CancelAuthorization')).toEqual([[flowId]]);
    const note = await screen.findByTestId('oauth-canceled');
    expect(note.textContent).toContain('Sign-in canceled.');
    expect(note.textContent).toContain('Nothing was saved.');
    expect(screen.queryByTestId('oauth-error')).toBeNull();
    expect((screen.getByTestId('connect-button') as HTMLButtonElement).disabled).toBe(false);
    expect(appData.connections).toEqual([]);
  });

  it('closing the editor while it waits cancels the flow', async () => {
    const user = userEvent.setup();
    // As App does: closing unmounts the editor.
    const view = render(ConnectionEditor, { props: { connector, connection: null, onclose: () => view.unmount() } });
    await fillNew(user);
    const { flowId } = await connect(user);
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId('confirm-button'));
    expect(screen.queryByTestId('connection-editor')).toBeNull();
    await waitFor(() => expect(fake.calls('CancelAuthorization')).toContainEqual([flowId]));
    expect(fake.listeners('oauth:progress')).toBe(0);
  });

  it.each([
    ['access denied', 'verification_failed', 'Access was denied in the browser, so nothing was saved. Click Connect to try again.', '', 'Not connected'],
    ['a timeout', 'verification_failed', 'No answer from the browser within 5 minutes, so the authorization was stopped and nothing was saved.', '', 'Not connected'],
    ['the keychain', 'keychain_unavailable', 'The system keychain is locked.', '', 'The keychain is not available'],
  ])('%s is explained in place under Connect', async (_, code, message, field, title) => {
    const { user } = open();
    await fillNew(user);
    const { call } = await connect(user);
    call.reject(code, message, field);
    const error = await screen.findByTestId('oauth-error');
    expect(error.dataset.code).toBe(code);
    expect(error.textContent).toContain(title);
    expect(screen.getByTestId('oauth-error-message').textContent).toBe(message);
    expect((screen.getByTestId('connect-button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('a port in use lands under Redirect port too, with a way to get there', async () => {
    const { user } = open();
    await fillNew(user);
    await user.type(screen.getByTestId('field-redirectPort'), '8765');
    const { call } = await connect(user);
    const message = 'Port 8765 on this computer is already in use by another program. Close that program, or choose another redirect port.';
    call.reject('validation', message, 'redirectPort');
    const error = await screen.findByTestId('oauth-error');
    expect(error.textContent).toContain('Check “Redirect port”');
    expect(screen.getByTestId('error-redirectPort').textContent).toBe(message);
    await user.click(screen.getByTestId('oauth-error-field'));
    expect(document.activeElement).toBe(screen.getByTestId('field-redirectPort'));
    // Typing the fix clears the field's error.
    await user.clear(screen.getByTestId('field-redirectPort'));
    expect(screen.queryByTestId('error-redirectPort')).toBeNull();
  });

  it('a token endpoint that refuses the code shows the verification and that nothing was saved', async () => {
    const { user } = open();
    await fillNew(user);
    const { call, flowId } = await connect(user);
    call.resolve({
      saved: false,
      verification: {
        runId: flowId,
        status: 'disconnected',
        code: 'reauthorize',
        summary: 'OAuth 2.0 HTTP API refused the authorization code (invalid_grant).',
        advice: 'Codes are single-use and expire within minutes: click Connect to start again.',
        identity: '',
        httpStatus: 400,
        durationMs: 5,
        checkedAt: '',
        exchanges: [],
      },
    } satisfies AuthorizationDTO);
    expect((await screen.findByTestId('oauth-result')).dataset.saved).toBe('false');
    expect(screen.getByTestId('test-summary').textContent).toContain('refused the authorization code');
    expect(screen.getByTestId('oauth-not-saved').textContent).toContain('Nothing was saved.');
    expect(appData.connections).toEqual([]);
  });
});

describe('OAuthConnect on an authorized connection', () => {
  it('shows what the token grants beside Test and Save; Re-authorize signs in as stored', async () => {
    const c = savedConnection();
    const { user } = open(c);
    expect(screen.getByTestId('oauth-connect').dataset.mode).toBe('manage');
    expect(screen.getByTestId('save-button').closest('.form-actions')?.classList.contains('sign-in-first')).toBe(false);
    expect(screen.getByTestId('oauth-identity').textContent).toContain('Ada Lovelace');
    expect(screen.getAllByTestId('oauth-scope').map((x) => x.textContent)).toEqual(['openid', 'profile']);

    expect(screen.getByTestId('reauthorize-button').textContent).toContain('Re-authorize');
    await user.click(screen.getByTestId('reauthorize-button'));
    const call = await waitFor(() => fake.pendingCall('ReauthorizeConnection', 0));
    expect(call.args[0]).toBe('c1');
    await screen.findByTestId('oauth-waiting');
    call.resolve({ ...connectedOutcome(call.args[1] as string), connection: savedConnection({ oauth: { ...c.oauth!, grantedScopes: ['openid', 'profile', 'email'] } }) });
    await screen.findByTestId('oauth-result');
    await waitFor(() => expect(screen.getAllByTestId('oauth-scope').map((x) => x.textContent)).toContain('email'));
    expect(fake.calls('StartAuthorization')).toHaveLength(0);
  });

  it('with edits, the button saves them with the new sign-in', async () => {
    const { user } = open(savedConnection());
    await user.type(screen.getByTestId('field-scopes'), ' email');
    expect(screen.getByTestId('reauthorize-button').textContent).toContain('Save and re-authorize');
    await user.click(screen.getByTestId('reauthorize-button'));
    const call = await waitFor(() => fake.pendingCall('StartAuthorization', 0));
  expect(fake.calls('StartAuthorization')).toHaveLength(1);
    const draft = call.args[0] as ConnectionDraft;
    expect(draft.id).toBe('c1');
    expect(draft.settings.scopes).toBe('openid profile email');
    expect(draft.secrets).toEqual({});
  });

  it('client credentials keep the usual Test and Save', () => {
    const cc: Connector = {
      ...connector,
      auth: [{ type: 'oauth2ClientCredentials', configurable: true, fields: connector.auth?.[0]?.fields ?? null }],
    };
    render(ConnectionEditor, { props: { connector: cc, connection: null, onclose: () => {} } });
    expect(screen.queryByTestId('oauth-connect')).toBeNull();
    expect(screen.getByTestId('save-button').closest('.form-actions')?.classList.contains('sign-in-first')).toBe(false);
  });
});
