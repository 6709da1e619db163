import { describe, expect, it } from 'vitest';
import { expiryLabel, flowStep, isAdvancedAuthField, isExpired, oauthAction, redirectPreview } from './oauth';
import type { ConnectionDTO } from './types';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const at = (seconds: number): string => new Date(NOW + seconds * 1000).toISOString();

function conn(o: Partial<ConnectionDTO>): ConnectionDTO {
  return {
    id: 'c1',
    workspaceId: 'w',
    connectorId: 'oauth2-http',
    name: 'Ada',
    environment: '',
    authType: 'oauth2AuthorizationCode',
    baseUrl: '',
    settings: {},
    secretFields: [], userSecrets: [], parameters: {},
    timeoutSeconds: 15,
    status: 'connected',
    diagnosis: '',
    identity: '',
    checkedAt: '',
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
    ...o,
  };
}

const token = { authorized: true, grantedScopes: ['openid'], expiresAt: '', refreshable: true, authorizedAt: '' };

describe('expiryLabel', () => {
  it.each([
    ['', 'does not expire'],
    [at(59 * 60 + 30), 'expires in 59 min'],
    [at(60 * 60), 'expires in 1 h'],
    [at(30), 'expires in less than a minute'],
    [at(5 * 3600 + 59 * 60), 'expires in 5 h'],
    [at(3 * 86400 + 100), 'expires in 3 days'],
    [at(-10), 'expired just now'],
    [at(-3 * 60), 'expired 3 min ago'],
    [at(-2 * 3600), 'expired 2 h ago'],
    ['not a time', ''],
  ])('%s → %s', (iso, want) => {
    expect(expiryLabel(iso, NOW)).toBe(want);
  });

  it('never rounds a lasting token up: 59 min 59 s is still 59 min', () => {
    expect(expiryLabel(at(59 * 60 + 59), NOW)).toBe('expires in 59 min');
  });

  it('isExpired only for a past expiry', () => {
    expect(isExpired('', NOW)).toBe(false);
    expect(isExpired(at(1), NOW)).toBe(false);
    expect(isExpired(at(0), NOW)).toBe(true);
  });
});

describe('oauthAction', () => {
  it.each([
    ['an API key connection', conn({ authType: 'apiKey' }), null],
    ['client credentials (no browser)', conn({ authType: 'oauth2ClientCredentials', oauth: { ...token, authorized: false } }), null],
    ['never authorized', conn({ status: 'unverified', oauth: { ...token, authorized: false } }), 'connect'],
    ['no OAuth facts at all', conn({ status: 'unverified' }), 'connect'],
    ['refused refresh (Disconnected)', conn({ status: 'disconnected', oauth: token }), 'reauthorize'],
    ['connected', conn({ oauth: token }), null],
    ['unreachable (the network, not the authorization)', conn({ status: 'unreachable', oauth: token }), null],
  ])('%s', (_, c, want) => {
    expect(oauthAction(c)).toBe(want);
  });
});

describe('redirectPreview', () => {
  it.each([
    [{}, 'http://127.0.0.1/callback', true],
    [{ redirectHost: 'localhost', redirectPort: '8765', redirectPath: '/oauth/cb' }, 'http://localhost:8765/oauth/cb', false],
    [{ redirectPort: ' ', redirectPath: 'cb' }, 'http://127.0.0.1/cb', true],
  ])('%j → %s', (values, uri, anyPort) => {
    expect(redirectPreview(values)).toEqual({ uri, anyPort });
  });
});

describe('flowStep', () => {
  it.each([
    ['', false, 0],
    ['listening', false, 0],
    ['browser_opened', false, 1],
    ['callback', false, 2],
    ['exchanging', false, 2],
    ['exchanging', true, 3],
    ['done', true, 4],
  ])('%s (testing %s) → %i', (stage, testing, want) => {
    expect(flowStep(stage, testing)).toBe(want);
  });
});

describe('isAdvancedAuthField', () => {
  it('puts OAuth client auth, redirect and CA under Advanced, not other methods’ fields', () => {
    for (const key of ['clientAuth', 'redirectHost', 'redirectPort', 'redirectPath', 'tokenCa']) {
      expect(isAdvancedAuthField('oauth2AuthorizationCode', key)).toBe(true);
    }
    expect(isAdvancedAuthField('oauth2ClientCredentials', 'tokenCa')).toBe(true);
    expect(isAdvancedAuthField('oauth2AuthorizationCode', 'clientId')).toBe(false);
    expect(isAdvancedAuthField('oauth2AuthorizationCode', 'scopes')).toBe(false);
    expect(isAdvancedAuthField('apiKey', 'clientAuth')).toBe(false);
  });
});
