import { describe, expect, it } from 'vitest';
import { ConnectionFormState } from './connectionForm.svelte';
import type { ConnectionDTO, Connector } from './types';

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
