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

/** Like the generic HTTP API as the catalog loader fills it: no base URL of its own, connection options under Advanced. */
const generic: Connector = {
  ...connector,
  id: 'http',
  name: 'HTTP API',
  baseUrl: '',
  fields: [{ key: 'testPath', label: 'Test path', type: 'text', secret: false, required: true, default: '/', pattern: '^/', patternMessage: 'Start the test path with /.' }],
  auth: [
    {
      type: 'bearer',
      fields: [
        { key: 'bearerHeader', label: 'Header', type: 'text', secret: false, required: false, default: 'Authorization' },
        { key: 'token', label: 'Token', type: 'password', secret: true, required: true },
      ],
    },
    { type: 'apiKey', fields: [{ key: 'apiKey', label: 'API key', type: 'password', secret: true, required: true }] },
  ],
  advanced: [
    { key: 'trustedCa', label: 'Trusted CA certificates', type: 'textarea', secret: false, required: false },
    { key: 'followRedirects', label: 'Follow redirects', type: 'boolean', secret: false, required: false, default: 'true' },
    { key: 'streamResponse', label: 'Stream the response', type: 'boolean', secret: false, required: false },
  ],
};

describe('ConnectionFormState Advanced: closed unless something in it is set or wrong', () => {
  it('lists the base URL override, the timeout and the connection options', () => {
    expect(new ConnectionFormState(connector).advancedKeys).toEqual(['baseUrl', 'timeoutSeconds']);
    // A connector without a base URL asks for it up front, not under Advanced.
    expect(new ConnectionFormState(generic).advancedKeys).toEqual(['timeoutSeconds', 'trustedCa', 'followRedirects', 'streamResponse']);
  });

  it('is not wanted for a new connection, nor for a saved one holding only defaults', () => {
    expect(new ConnectionFormState(generic).advancedWanted).toBe(false);
    const defaults = new ConnectionFormState(generic, {
      ...saved,
      connectorId: 'http',
      baseUrl: 'https://api.example.com',
      timeoutSeconds: 15,
      settings: { testPath: '/me', followRedirects: 'true', streamResponse: 'false', trustedCa: '' },
    });
    expect(defaults.advancedWanted).toBe(false);
  });

  it.each([
    ['a longer timeout', { timeoutSeconds: 60 }],
    ['a trusted CA', { settings: { trustedCa: '-----BEGIN CERTIFICATE-----' } }],
    ['redirects turned off', { settings: { followRedirects: 'false' } }],
    ['streaming turned on', { settings: { streamResponse: 'true' } }],
  ])('is wanted when a saved connection has %s', (_, change) => {
    const form = new ConnectionFormState(generic, { ...saved, connectorId: 'http', timeoutSeconds: 15, settings: {}, ...change });
    expect(form.advancedSet).toBe(true);
    expect(form.advancedWanted).toBe(true);
  });

  it('is wanted for a base URL override on a connector with its own address', () => {
    expect(new ConnectionFormState(connector, { ...saved, baseUrl: 'https://proxy.example.com' }).advancedWanted).toBe(true);
  });

  it('is wanted when one of its inputs has an error: after an attempt, or blamed by a diagnosis', () => {
    const form = new ConnectionFormState(generic);
    form.timeout = '0';
    expect(form.advancedHasError).toBe(false); // not shown yet
    form.validate();
    expect(form.advancedHasError).toBe(true);

    const blamed = new ConnectionFormState(generic);
    blamed.setServerError('trustedCa', 'The certificate of api.example.com is signed by an authority this computer does not trust.');
    expect(blamed.advancedWanted).toBe(true);
    // An error outside Advanced does not open it.
    const elsewhere = new ConnectionFormState(generic);
    elsewhere.setServerError('token', 'Rejected.');
    expect(elsewhere.advancedWanted).toBe(false);
  });
});

describe('ConnectionFormState errors wait for the user', () => {
  it('says nothing about the default method’s empty token when the user only passed through it', () => {
    const form = new ConnectionFormState(generic);
    form.visit('token'); // tabbed past, or clicked and left
    form.visit('name');
    expect(form.errorFor('token')).toBe('');
    expect(form.errorFor('name')).toBe('');
  });

  it('shows "is required" once the user typed and emptied the input, or after a Test or Save attempt', () => {
    const typed = new ConnectionFormState(generic);
    typed.setValue('token', 'x');
    typed.setValue('token', '');
    typed.visit('token');
    expect(typed.errorFor('token')).toBe('Token is required.');

    const attempted = new ConnectionFormState(generic);
    expect(attempted.validate()).toBe(false);
    expect(attempted.errorFor('token')).toBe('Token is required.');
    expect(attempted.errorFor('name')).toBe('Name is required.');
  });

  it('keeps a method chosen after an attempt quiet until its inputs are touched or the next attempt', () => {
    const form = new ConnectionFormState(generic);
    form.validate();
    form.authType = 'apiKey';
    expect(form.errorFor('apiKey')).toBe('');
    expect(form.firstErrorKey()).toBe('name');
    form.validate();
    expect(form.errorFor('apiKey')).toBe('API key is required.');
  });

  it('shows a wrong value as soon as the user leaves the input', () => {
    const form = new ConnectionFormState(generic);
    form.name = 'x'.repeat(201);
    form.edit('name');
    form.visit('name');
    expect(form.errorFor('name')).toBe('Name must be 200 characters or fewer.');
    // A saved value the user did not retype is checked too.
    const old = new ConnectionFormState(generic, { ...saved, connectorId: 'http', timeoutSeconds: 15, settings: { testPath: 'me' } });
    old.visit('testPath');
    expect(old.errorFor('testPath')).not.toBe('');
  });
});

describe('ConnectionFormState.labelFor', () => {
  it('names inputs as the form shows them', () => {
    expect(new ConnectionFormState(generic).labelFor('baseUrl')).toBe('Base URL');
    expect(new ConnectionFormState(connector).labelFor('baseUrl')).toBe('Base URL override');
    expect(new ConnectionFormState(generic).labelFor('token')).toBe('Token');
    expect(new ConnectionFormState(generic).labelFor('timeoutSeconds')).toBe('Timeout (seconds)');
  });
});
