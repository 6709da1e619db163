// Connect / Re-authorize where a connection is listed: a card (and the same
// component in Manage Connections rows), through the real api.ts with Go
// played by a fake window.go / window.runtime.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import { appData } from '../../lib/state/connections.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { ConnectionDTO, Connector, OAuthDTO } from '../../lib/types';
import ConnectorCard from '../connectors/ConnectorCard.svelte';

const connector: Connector = {
  id: 'google',
  name: 'Google',
  category: 'Productivity',
  description: '',
  logo: '',
  docsUrl: '',
  baseUrl: 'https://openidconnect.googleapis.com',
  fields: [],
  auth: [{ type: 'oauth2AuthorizationCode', fields: [] }],
  test: { method: 'GET', path: '/v1/userinfo' },
  advanced: [], setup: [],
  builtin: true,
};

const token: OAuthDTO = {
  authorized: true,
  grantedScopes: ['openid', 'email', 'profile'],
  expiresAt: new Date(Date.now() + 30.5 * 60_000).toISOString(),
  refreshable: true,
  authorizedAt: new Date().toISOString(),
};

function conn(o: Partial<ConnectionDTO>): ConnectionDTO {
  return {
    id: 'g1',
    workspaceId: 'w1',
    connectorId: 'google',
    name: 'Work account',
    environment: 'Production',
    authType: 'oauth2AuthorizationCode',
    baseUrl: '',
    settings: {},
    secretFields: [], userSecrets: [], parameters: {},
    timeoutSeconds: 15,
    status: 'connected',
    diagnosis: '',
    identity: '',
    checkedAt: new Date().toISOString(),
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
    ...o,
  };
}

let fake: FakeWails;

beforeEach(() => {
  fake = installFakeWails();
  fake.answer('ConnectionsOverview', () => ({ total: appData.connections.length, connectors: [] }));
  fake.answer('ListConnectionSummaries', () => ({ items: appData.connections, next: '' }));
  ui.toasts = [];
});

afterEach(() => {
  fake.uninstall();
  ui.selected = {};
});

function card(c: ConnectionDTO) {
  appData.connections = [c];
  render(ConnectorCard, { props: { connector, connections: [c], facts: { total: 1, attention: 0, suggested: c } } });
  return within(screen.getByTestId('connector-card-google'));
}

describe('OAuth on a card', () => {
  it('a connected one shows its token facts and no sign-in button', () => {
    const c = card(conn({ oauth: token, identity: 'Ada <ada@example.com>' }));
    expect(c.queryByTestId('oauth-action-g1')).toBeNull();
    const facts = c.getByTestId('oauth-facts');
    expect(facts.textContent).toMatch(/3 scopes\s*·\s*expires in 30 min\s*·\s*refreshable/);
    expect(facts.getAttribute('title')).toContain('Granted scopes: openid email profile');
    expect(facts.getAttribute('title')).toContain('Connected as Ada <ada@example.com>');
  });

  it('one never authorized offers Connect; it opens the browser and says when it is connected', async () => {
    const user = userEvent.setup();
    const c = card(conn({ status: 'unverified', oauth: { ...token, authorized: false, grantedScopes: [] } }));
    const button = c.getByTestId('oauth-action-g1');
    expect(button.dataset.action).toBe('connect');
    expect(button.textContent?.trim()).toBe('Connect');

    await user.click(button);
    const call = await waitFor(() => fake.pendingCall('ReauthorizeConnection', 0));
    const [id, flowId] = call.args as [string, string];
    expect(id).toBe('g1');
    // Waiting: the link can be copied once Go listens; Cancel is there.
    const waiting = await c.findByTestId('oauth-waiting-g1');
    expect(c.queryByTestId('oauth-action-g1')).toBeNull();
    expect((c.getByTestId('oauth-copy-link-g1') as HTMLButtonElement).disabled).toBe(true);
    fake.emit('oauth:progress', { flowId, stage: 'listening', authorizeUrl: 'https://accounts.example/auth?x=1', redirectUri: 'http://127.0.0.1:5000/callback', message: '' });
    await waitFor(() => expect((c.getByTestId('oauth-copy-link-g1') as HTMLButtonElement).disabled).toBe(false));
    expect(waiting.textContent).toContain('Waiting for sign-in');

    call.resolve({
      saved: true,
      connection: conn({ status: 'connected', identity: 'Ada <ada@example.com>', oauth: token }),
      verification: null,
    });
    // The saved connection replaces the listed one (the card re-renders from appData in the app).
    await waitFor(() => expect(appData.connections[0]?.status).toBe('connected'));
    await waitFor(() => expect(c.queryByTestId('oauth-waiting-g1')).toBeNull());
    expect(ui.toasts.map((t) => t.text)).toContain('“Production · Work account” is connected as Ada <ada@example.com>.');
  });

  it('a Disconnected one offers Re-authorize; Cancel stops it and nothing changes', async () => {
    const user = userEvent.setup();
    const c = card(conn({ status: 'disconnected', diagnosis: 'Re-authorize: Google no longer accepts this connection’s authorization (invalid_grant).', oauth: token }));
    expect(c.getByText(/Re-authorize: Google no longer accepts/)).toBeTruthy();
    const button = c.getByTestId('oauth-action-g1');
    expect(button.dataset.action).toBe('reauthorize');

    await user.click(button);
    const call = await waitFor(() => fake.pendingCall('ReauthorizeConnection', 0));
    fake.answer('CancelAuthorization', () => call.reject('canceled', 'The authorization was canceled; nothing was saved.'));
    await user.click(await c.findByTestId('oauth-cancel-g1'));
    expect(fake.calls('CancelAuthorization')).toEqual([[call.args[1]]]);
    await c.findByTestId('oauth-action-g1');
    expect(c.getByTestId('status-badge').dataset.status).toBe('disconnected');
    expect(ui.toasts.map((t) => t.text)).toContain('Sign-in for “Production · Work account” canceled; nothing changed.');
  });

  it('a denied sign-in is told, with Go’s words', async () => {
    const user = userEvent.setup();
    const c = card(conn({ status: 'disconnected', oauth: token }));
    await user.click(c.getByTestId('oauth-action-g1'));
    const call = await waitFor(() => fake.pendingCall('ReauthorizeConnection', 0));
    call.reject('verification_failed', 'Access was denied in the browser, so nothing was saved.');
    await waitFor(() => expect(ui.toasts.map((t) => t.kind + ': ' + t.text)).toContain('error: Access was denied in the browser, so nothing was saved.'));
    expect(c.getByTestId('oauth-action-g1')).toBeTruthy();
  });

  it('client credentials never show a browser sign-in', () => {
    const c = card(conn({ authType: 'oauth2ClientCredentials', status: 'disconnected', oauth: { ...token, refreshable: false } }));
    expect(c.queryByTestId('oauth-action-g1')).toBeNull();
  });
});
