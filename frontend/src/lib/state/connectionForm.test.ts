import { describe, expect, it } from 'vitest';
import { ConnectionFormState } from './connectionForm.svelte';
import type { ConnectionDTO, Connector } from '../types';

const connector: Connector = {
  id: 'acme',
  name: 'Acme',
  category: 'Testing',
  description: '',
  logo: '',
  docsUrl: '',
  baseUrl: 'https://{{subdomain}}.acme.test',
  fields: [
    { key: 'subdomain', label: 'Subdomain', type: 'text', secret: false, required: true },
    { key: 'region', label: 'Region', type: 'select', secret: false, required: false, options: [{ value: 'eu', label: 'EU' }, { value: 'us', label: 'US' }] },
  ],
  auth: [
    { type: 'bearer', fields: [{ key: 'token', label: 'Token', type: 'password', secret: true, required: true }] },
    { type: 'basic', fields: [{ key: 'username', label: 'Username', type: 'text', secret: false, required: true }] },
  ],
  test: { method: 'GET', path: '/me' },
  advanced: [], setup: [],
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
  settings: { subdomain: 'shop', region: 'eu' },
  secretFields: ['token'], userSecrets: [], parameters: {},
  timeoutSeconds: 20,
  status: 'connected',
  diagnosis: '',
  identity: '',
  checkedAt: '',
  allowInsecureHttp: false,
  createdAt: '',
  updatedAt: '',
};

describe('ConnectionFormState.dirty', () => {
  it.each<[string, ConnectionDTO | null, (f: ConnectionFormState) => void, boolean]>([
    ['a new form as opened', null, () => {}, false],
    ['a saved connection as opened', saved, () => {}, false],
    ['a typed name', saved, (f) => (f.name = 'Acme production'), true],
    ['a name typed back to what it was', saved, (f) => ((f.name = 'Acme x'), (f.name = 'Acme prod')), false],
    ['a new environment', null, (f) => (f.environment = 'Sandbox'), true],
    ['another auth method', saved, (f) => (f.authType = 'basic'), true],
    ['a base URL override', saved, (f) => (f.baseUrl = 'https://eu.acme.test'), true],
    ['another timeout', saved, (f) => (f.timeout = '30'), true],
    ['a definition field', saved, (f) => f.setValue('region', 'us'), true],
    ['a field of another auth method', saved, (f) => f.setValue('username', 'ada'), true],
    ['a typed secret', saved, (f) => f.setValue('token', 'tok_new'), true],
    ['a secret typed and erased', saved, (f) => (f.setValue('token', 'tok_'), f.setValue('token', '')), false],
    ['a saved secret revealed', saved, (f) => f.setRevealed('token', 'tok_stored'), false],
    ['a saved secret removed', saved, (f) => f.clearSecret('token'), true],
    ['fields visited and validated only', null, (f) => (f.visit('name'), f.validate()), false],
  ])('%s: %s', (_, connection, act, want) => {
    const form = new ConnectionFormState(connector, connection);
    act(form);
    expect(form.dirty).toBe(want);
  });
});

describe('ConnectionFormState user secrets and parameters', () => {
  const withSecrets: ConnectionDTO = { ...saved, userSecrets: ['password'], parameters: { tenant: 'acme' } };

  it('leaves the stored secrets alone until the list changes', () => {
    const form = new ConnectionFormState(connector, withSecrets);
    expect(form.draft().userSecrets).toBeUndefined();
    expect(form.dirty).toBe(false);
    expect(form.rememberParameters).toBe(true);
    expect(form.draft().parameters).toEqual({ tenant: 'acme' });
  });

  it('sends the complete list: "" keeps a stored value, a typed one replaces it', () => {
    const form = new ConnectionFormState(connector, withSecrets);
    const row = form.addUserSecret();
    form.setUserSecretName(row.id, 'apiKey');
    form.setUserSecretValue(row.id, 'k-123');
    expect(form.dirty).toBe(true);
    expect(form.draft().userSecrets).toEqual({ password: '', apiKey: 'k-123' });
    const first = form.userSecrets[0];
    if (!first) throw new Error('no saved row');
    form.removeUserSecret(first.id);
    expect(form.draft().userSecrets).toEqual({ apiKey: 'k-123' });
  });

  it('refuses a bad, duplicate, clashing or empty secret', () => {
    const form = new ConnectionFormState(connector, null);
    const names = ['1abc', 'token', 'dup', 'dup', 'empty'];
    const rows = names.map((n) => {
      const r = form.addUserSecret();
      form.setUserSecretName(r.id, n);
      if (n !== 'empty') form.setUserSecretValue(r.id, 'v');
      return r;
    });
    const errors = form.userSecretErrors;
    expect(errors[rows[0]!.id]).toMatch(/starts with a letter/);
    expect(errors[rows[1]!.id]).toMatch(/already a setting/);
    expect(errors[rows[2]!.id]).toBeUndefined();
    expect(errors[rows[3]!.id]).toMatch(/Another secret/);
    expect(errors[rows[4]!.id]).toMatch(/Enter the secret/);
    expect(form.validate()).toBe(false);
  });

  it('a secret may take the name of another auth method’s field', () => {
    const form = new ConnectionFormState(connector, null);
    const r = form.addUserSecret();
    form.setUserSecretName(r.id, 'username'); // Basic's field; the form uses bearer
    form.setUserSecretValue(r.id, 'v');
    expect(form.userSecretErrors[r.id]).toBeUndefined();
  });
});

describe('ConnectionFormState bearer prefix', () => {
  const configurable: Connector = {
    ...connector,
    auth: [
      {
        type: 'bearer',
        fields: [
          { key: 'bearerPrefix', label: 'Prefix', type: 'text', secret: false, required: false, default: 'Bearer', placeholder: 'Bearer' },
          { key: 'token', label: 'Token', type: 'password', secret: true, required: true },
        ],
      },
    ],
  };

  it('sends an emptied prefix as empty, and shows it empty when reopened (the token goes alone)', () => {
    const fresh = new ConnectionFormState(configurable, null);
    expect(fresh.draft().settings.bearerPrefix).toBe('Bearer');
    fresh.setValue('bearerPrefix', '');
    expect(fresh.draft().settings).toHaveProperty('bearerPrefix', '');

    const reopened = new ConnectionFormState(configurable, { ...saved, settings: { ...saved.settings, bearerPrefix: '' } });
    expect(reopened.draft().settings).toHaveProperty('bearerPrefix', '');
    expect(reopened.dirty).toBe(false);
  });
});
