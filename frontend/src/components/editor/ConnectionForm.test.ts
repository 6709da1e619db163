import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionFormState } from '../../lib/state/connectionForm.svelte';
import type { ConnectionDTO, Connector } from '../../lib/types';
import ConnectionForm from './ConnectionForm.svelte';

function acme(overrides: Partial<Connector> = {}): Connector {
  return {
    id: 'acme',
    name: 'Acme',
    category: 'Testing',
    description: 'A test connector.',
    logo: '',
    docsUrl: 'https://docs.acme.test',
    baseUrl: 'https://{{subdomain}}.acme.test',
    fields: [
      {
        key: 'subdomain',
        label: 'Subdomain',
        type: 'text',
        secret: false,
        required: true,
        help: 'The part before .acme.test.',
        pattern: '^[a-z0-9-]+$',
        patternMessage: 'Use lowercase letters, digits and dashes only.',
      },
      { key: 'region', label: 'Region', type: 'select', secret: false, required: false, options: [{ value: 'eu', label: 'EU' }, { value: 'us', label: 'US' }] },
    ],
    auth: [
      {
        type: 'bearer',
        label: 'API token',
        fields: [
          {
            key: 'token',
            label: 'Token',
            type: 'password',
            secret: true,
            required: true,
            help: 'Create one under Settings → API.',
            pattern: '^tok_',
            patternMessage: 'An Acme token starts with tok_.',
          },
        ],
      },
      {
        type: 'basic',
        fields: [
          { key: 'username', label: 'Username', type: 'text', secret: false, required: true },
          { key: 'password', label: 'Password', type: 'password', secret: true, required: false },
        ],
      },
    ],
    test: { method: 'GET', path: '/api/me' },
    advanced: [], setup: ['Open Acme.', 'Create a token.'],
    builtin: true,
    ...overrides,
  };
}

function saved(overrides: Partial<ConnectionDTO> = {}): ConnectionDTO {
  return {
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
    identity: 'ops@shop',
    checkedAt: '',
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
    ...overrides,
  };
}

function setup(form: ConnectionFormState, reveal?: (key: string) => Promise<string>) {
  const user = userEvent.setup();
  render(ConnectionForm, { props: { form, reveal } });
  return user;
}

function input(testId: string): HTMLInputElement {
  return screen.getByTestId(testId) as HTMLInputElement;
}

function labelOf(el: HTMLElement): HTMLElement {
  const label = document.querySelector<HTMLElement>(`label[for="${el.id}"]`);
  if (!label) throw new Error(`no label for ${el.id}`);
  return label;
}

describe('ConnectionForm: fields from the definition', () => {
  it('generates the connector and auth method fields in their groups', () => {
    setup(new ConnectionFormState(acme()));
    const connection = screen.getByRole('region', { name: 'Connection' });
    const auth = screen.getByRole('region', { name: 'Authentication' });
    const advanced = screen.getByTestId('advanced');
    for (const id of ['field-name', 'field-environment', 'field-subdomain', 'field-region']) {
      expect(within(connection).getByTestId(id)).toBeTruthy();
    }
    expect(within(auth).getByTestId('field-token')).toBeTruthy();
    expect(within(auth).queryByTestId('field-username')).toBeNull();
    expect(within(advanced).getByTestId('field-baseUrl')).toBeTruthy();
    expect(input('field-timeoutSeconds').value).toBe('15');
    // The override's placeholder is the connector's own base URL.
    expect(input('field-baseUrl').placeholder).toBe('https://{{subdomain}}.acme.test');
    expect(screen.getByText('Create one under Settings → API.')).toBeTruthy();
  });

  it('marks required fields and only those', () => {
    setup(new ConnectionFormState(acme()));
    const required = ['field-name', 'field-subdomain', 'field-token', 'field-timeoutSeconds'];
    const optional = ['field-environment', 'field-baseUrl'];
    for (const id of required) {
      expect(within(labelOf(input(id))).queryByTestId('required-marker'), id).not.toBeNull();
      expect(input(id).getAttribute('aria-required'), id).toBe('true');
    }
    for (const id of optional) {
      expect(within(labelOf(input(id))).queryByTestId('required-marker'), id).toBeNull();
    }
  });

  it('switches fields with the authentication method', async () => {
    const form = new ConnectionFormState(acme());
    const user = setup(form);
    expect(screen.getByTestId('auth-method')).toBeTruthy();
    await user.click(screen.getByTestId('auth-basic'));
    expect(form.authType).toBe('basic');
    expect(screen.queryByTestId('field-token')).toBeNull();
    expect(screen.getByTestId('field-username')).toBeTruthy();
    expect(input('field-password').type).toBe('password');
    // The segment falls back to a readable name when the method has no label.
    expect(screen.getByText('Username and password')).toBeTruthy();
  });

  it('makes the base URL required and moves it up when the connector has none', () => {
    setup(new ConnectionFormState(acme({ baseUrl: '' })));
    const connection = screen.getByRole('region', { name: 'Connection' });
    const base = within(connection).getByTestId('field-baseUrl') as HTMLInputElement;
    expect(within(labelOf(base)).queryByTestId('required-marker')).not.toBeNull();
  });

  it('shows a single auth method without a chooser', () => {
    const c = acme();
    c.auth = [c.auth![0]!];
    setup(new ConnectionFormState(c));
    expect(screen.queryByTestId('auth-method')).toBeNull();
    expect(screen.getByTestId('field-token')).toBeTruthy();
  });
});

describe('ConnectionForm: secrets', () => {
  it('masks a secret and toggles it with the eye', async () => {
    const user = setup(new ConnectionFormState(acme()));
    const token = input('field-token');
    expect(token.type).toBe('password');
    await user.type(token, 'tok_123');
    await user.click(screen.getByTestId('reveal-token'));
    expect(token.type).toBe('text');
    expect(screen.getByTestId('reveal-token').getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByTestId('reveal-token'));
    expect(token.type).toBe('password');
  });

  it('never pre-fills a saved secret and says it is in the keychain', () => {
    setup(new ConnectionFormState(acme(), saved()));
    const token = input('field-token');
    expect(token.value).toBe('');
    expect(token.type).toBe('password');
    expect(token.placeholder).toBe('•••••• saved in keychain');
    expect(input('field-subdomain').value).toBe('shop');
    expect(input('field-name').value).toBe('Acme prod');
    expect(input('field-timeoutSeconds').value).toBe('20');
  });

  it('reveals a saved secret only when asked, and does not send it back', async () => {
    const reveal = vi.fn(() => Promise.resolve('tok_saved'));
    const form = new ConnectionFormState(acme(), saved());
    const user = setup(form, reveal);
    expect(reveal).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('reveal-token'));
    expect(reveal).toHaveBeenCalledWith('token');
    const token = input('field-token');
    expect(token.value).toBe('tok_saved');
    expect(token.type).toBe('text');
    expect(form.draft().secrets).toEqual({});
  });

  it('leaves an untouched saved secret out of the draft', () => {
    const form = new ConnectionFormState(acme(), saved());
    setup(form);
    expect(form.validate()).toBe(true);
    const draft = form.draft();
    expect(draft.id).toBe('c1');
    expect(draft.secrets).toEqual({});
    expect('token' in draft.settings).toBe(false);
    expect(draft.settings).toEqual({ subdomain: 'shop', region: 'eu' });
    expect(draft.clearSecrets).toEqual([]);
  });

  it('sends a secret the user typed, and never as a setting', async () => {
    const form = new ConnectionFormState(acme(), saved());
    const user = setup(form);
    await user.type(input('field-token'), 'tok_new');
    const draft = form.draft();
    expect(draft.secrets).toEqual({ token: 'tok_new' });
    expect(Object.values(draft.settings)).not.toContain('tok_new');
  });

  it('sends only the chosen method’s secrets', async () => {
    const form = new ConnectionFormState(acme());
    const user = setup(form);
    await user.type(input('field-token'), 'tok_abc');
    await user.click(screen.getByTestId('auth-basic'));
    await user.type(input('field-username'), 'ann');
    await user.type(input('field-password'), 'pw');
    const draft = form.draft();
    expect(draft.authType).toBe('basic');
    expect(draft.secrets).toEqual({ password: 'pw' });
    expect(draft.settings.username).toBe('ann');
  });

  it('can remove a saved optional secret', async () => {
    const form = new ConnectionFormState(acme(), saved({ authType: 'basic', secretFields: ['password'], settings: { subdomain: 'shop', username: 'ann' } }));
    const user = setup(form);
    await user.click(screen.getByRole('button', { name: 'Remove saved value' }));
    expect(form.draft().clearSecrets).toEqual(['password']);
    expect(input('field-password').placeholder).not.toContain('saved in keychain');
  });
});

describe('ConnectionForm: validation before any Go call', () => {
  it('shows required messages after validate, under each field', () => {
    const form = new ConnectionFormState(acme());
    setup(form);
    expect(screen.queryByText('Name is required.')).toBeNull();
    let ok = false;
    flushSync(() => {
      ok = form.validate();
    });
    expect(ok).toBe(false);
    expect(screen.getByTestId('error-name').textContent).toBe('Name is required.');
    expect(screen.getByTestId('error-subdomain').textContent).toBe('Subdomain is required.');
    expect(screen.getByTestId('error-token').textContent).toBe('Token is required.');
    expect(input('field-name').getAttribute('aria-invalid')).toBe('true');
    expect(input('field-name').getAttribute('aria-describedby')).toContain(screen.getByTestId('error-name').id);
    expect(screen.queryByTestId('error-environment')).toBeNull();
    expect(form.firstErrorKey()).toBe('name');
  });

  it('shows the pattern message once the user leaves the field', async () => {
    const user = setup(new ConnectionFormState(acme()));
    await user.type(input('field-subdomain'), 'Bad Shop');
    expect(screen.queryByTestId('error-subdomain')).toBeNull();
    await user.tab();
    expect(screen.getByTestId('error-subdomain').textContent).toBe('Use lowercase letters, digits and dashes only.');
    await user.clear(input('field-subdomain'));
    await user.type(input('field-subdomain'), 'good-shop');
    expect(screen.queryByTestId('error-subdomain')).toBeNull();
  });

  it('checks a typed secret against its pattern', async () => {
    const form = new ConnectionFormState(acme());
    const user = setup(form);
    await user.type(input('field-token'), 'abc');
    await user.tab();
    expect(screen.getByTestId('error-token').textContent).toBe('An Acme token starts with tok_.');
  });

  it('checks the base URL override and timeout', async () => {
    const form = new ConnectionFormState(acme());
    const user = setup(form);
    await user.type(input('field-baseUrl'), 'ftp://nope');
    await user.clear(input('field-timeoutSeconds'));
    await user.type(input('field-timeoutSeconds'), '0');
    flushSync(() => form.validate());
    expect(screen.getByTestId('error-baseUrl').textContent).toMatch(/https:\/\//);
    expect(screen.getByTestId('error-timeoutSeconds').textContent).toMatch(/1 to 300/);
  });

  it('passes a complete new connection and builds its draft', async () => {
    const form = new ConnectionFormState(acme());
    const user = setup(form);
    await user.type(input('field-name'), '  Shop main ');
    await user.type(input('field-environment'), 'Sandbox');
    await user.type(input('field-subdomain'), 'shop');
    await user.type(input('field-token'), 'tok_xyz');
    expect(form.validate()).toBe(true);
    expect(form.draft().draftKey).toBe(form.draft().draftKey); // stable for the editor's life
    expect(form.draft()).toEqual({
      id: '',
      draftKey: expect.stringMatching(/^[0-9a-f]{32}$/),
      connectorId: 'acme',
      name: 'Shop main',
      environment: 'Sandbox',
      authType: 'bearer',
      baseUrl: '',
      settings: { subdomain: 'shop', region: '' },
      secrets: { token: 'tok_xyz' },
      clearSecrets: [],
      timeoutSeconds: 15,
    });
    expect(form.effectiveBaseUrl).toBe('https://shop.acme.test');
  });

  it('puts an error from Go under its field until the field changes', async () => {
    const form = new ConnectionFormState(acme(), saved());
    const user = setup(form);
    flushSync(() => form.setServerError('token', 'Acme rejected the token (401). Create a new one.'));
    expect(screen.getByTestId('error-token').textContent).toBe('Acme rejected the token (401). Create a new one.');
    await user.type(input('field-token'), 'tok_2');
    expect(screen.queryByTestId('error-token')).toBeNull();
  });

  it('keeps a select field within its options', async () => {
    const form = new ConnectionFormState(acme());
    setup(form);
    await fireEvent.change(screen.getByTestId('field-region'), { target: { value: 'us' } });
    expect(form.values.region).toBe('us');
  });
});

describe('ConnectionForm: plain http:// credentials', () => {
  const allow = { key: 'allowInsecureHttp', label: 'Allow insecure HTTP', type: 'boolean' as const, secret: false, required: false, default: 'false' };

  it('warns while Allow insecure HTTP is on for a server off this computer, and only then', async () => {
    const form = new ConnectionFormState(
      acme({ baseUrl: '', advanced: [allow] }),
      saved({ baseUrl: 'http://10.0.0.5:8080', settings: { allowInsecureHttp: 'true' } }),
    );
    setup(form);
    expect(screen.getByTestId('insecure-http-warning').textContent).toContain('http://10.0.0.5:8080 over plain http://');
    form.baseUrl = 'http://localhost:8080';
    flushSync();
    expect(screen.queryByTestId('insecure-http-warning')).toBeNull();
    form.baseUrl = 'http://10.0.0.5:8080';
    form.values.allowInsecureHttp = 'false';
    flushSync();
    expect(screen.queryByTestId('insecure-http-warning')).toBeNull();
  });
});

describe('ConnectionForm: Advanced', () => {
  const withOptions = (o: Partial<Connector> = {}) =>
    acme({
      advanced: [
        { key: 'trustedCa', label: 'Trusted CA certificates', type: 'textarea', secret: false, required: false },
        { key: 'requestHeaders', label: 'Extra request headers', type: 'textarea', secret: false, required: false },
        { key: 'followRedirects', label: 'Follow redirects', type: 'boolean', secret: false, required: false, default: 'true' },
        { key: 'streamResponse', label: 'Stream the response', type: 'boolean', secret: false, required: false },
      ],
      ...o,
    });
  const advanced = () => screen.getByTestId('advanced') as HTMLDetailsElement;

  it('starts closed for a new connection and names what it holds', () => {
    setup(new ConnectionFormState(withOptions()));
    expect(advanced().open).toBe(false);
    expect(screen.getByTestId('advanced-toggle').textContent).toContain('timeout, certificates, extra headers, redirects, streaming');
  });

  it('starts open when a saved connection set something in it', () => {
    setup(new ConnectionFormState(withOptions(), saved({ settings: { subdomain: 'shop', trustedCa: '-----BEGIN CERTIFICATE-----' } })));
    expect(advanced().open).toBe(true);
  });

  it('opens and closes at the user’s click, even with something set', async () => {
    const user = setup(new ConnectionFormState(withOptions(), saved({ timeoutSeconds: 60 })));
    expect(advanced().open).toBe(true);
    await user.click(screen.getByTestId('advanced-toggle'));
    expect(advanced().open).toBe(false);
    await user.click(screen.getByTestId('advanced-toggle'));
    expect(advanced().open).toBe(true);
  });

  it('opens by itself when an input in it turns wrong: a Test attempt, or a diagnosis that blames it', () => {
    const form = new ConnectionFormState(withOptions());
    setup(form);
    flushSync(() => {
      form.timeout = '0';
    });
    expect(advanced().open).toBe(false);
    flushSync(() => form.validate());
    expect(advanced().open).toBe(true);

    const blamed = new ConnectionFormState(withOptions());
    document.body.innerHTML = '';
    setup(blamed);
    expect(advanced().open).toBe(false);
    flushSync(() => blamed.setServerError('trustedCa', 'The certificate is signed by an authority this computer does not trust.'));
    expect(advanced().open).toBe(true);
    expect(screen.getByTestId('error-trustedCa').textContent).toContain('does not trust');
  });

  it('focusField opens Advanced and focuses the input', async () => {
    const form = new ConnectionFormState(withOptions());
    const { component } = render(ConnectionForm, { props: { form } });
    expect(advanced().open).toBe(false);
    expect(await component.focusField('trustedCa')).toBe(true);
    expect(advanced().open).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId('field-trustedCa'));
    // One outside Advanced leaves it as it is.
    expect(await component.focusField('token')).toBe(true);
    expect(document.activeElement).toBe(screen.getByTestId('field-token'));
    expect(await component.focusField('nothing-here')).toBe(false);
  });
});

describe('ConnectionForm: the name’s counter and errors that wait', () => {
  it('shows a counter from 80% of the name limit, red past it', async () => {
    const form = new ConnectionFormState(acme());
    const user = setup(form);
    const name = input('field-name');
    await user.click(name);
    await user.paste('x'.repeat(159));
    expect(screen.queryByTestId('counter-name')).toBeNull();
    await user.type(name, 'y');
    expect(screen.getByTestId('counter-name').textContent).toContain('160 / 200');
    await user.paste('z'.repeat(24));
    expect(screen.getByTestId('counter-name').textContent).toContain('184 / 200');
    expect(name.getAttribute('aria-describedby')).toContain(screen.getByTestId('counter-name').id);
    await user.paste('z'.repeat(17));
    expect(screen.getByTestId('counter-name').classList.contains('over')).toBe(true);
    await user.tab();
    expect(screen.getByTestId('error-name').textContent).toBe('Name must be 200 characters or fewer.');
  });

  it('does not say "Token is required" for the default method when the user only tabbed past it', async () => {
    const form = new ConnectionFormState(acme());
    const user = setup(form);
    await user.click(input('field-token'));
    await user.tab();
    await user.click(input('field-name'));
    await user.tab();
    expect(screen.queryByTestId('error-token')).toBeNull();
    expect(screen.queryByTestId('error-name')).toBeNull();
    // A Test or Save attempt shows them.
    flushSync(() => form.validate());
    expect(screen.getByTestId('error-token').textContent).toBe('Token is required.');
    expect(screen.getByTestId('error-name').textContent).toBe('Name is required.');
  });
});
