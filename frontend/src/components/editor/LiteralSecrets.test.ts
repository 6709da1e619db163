// "Keep it as a secret" in the editor, through the real api.ts and generated
// bindings with Go played by a fake window.go: a secret typed into the
// extra request headers is found while typing (and after a refused save),
// kept as a user secret with {{name}} in its place, and never shown in the
// page's text, titles or labels.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import type { ConnectionDraft, Connector, LiteralFinding } from '../../lib/types';
import { ui } from '../../lib/state/ui.svelte';
import ConnectionEditor from './ConnectionEditor.svelte';

const PLANTED = 'pb-PLANTED-q7q7q7q7q7';
const OTHER = 'pb-OTHER-j3j3j3j3j3';

/** Like the generic "HTTP API": no base URL of its own, so it takes user secrets. */
const connector: Connector = {
  id: 'http',
  name: 'HTTP API',
  category: 'Generic',
  description: 'Any HTTP API.',
  logo: '',
  docsUrl: '',
  baseUrl: '',
  fields: [{ key: 'testPath', label: 'Test path', type: 'text', secret: false, required: true }],
  auth: [{ type: 'none', label: 'No authentication', fields: [] }],
  test: { method: 'GET', path: '/' },
  advanced: [{ key: 'requestHeaders', label: 'Extra request headers', type: 'textarea', secret: false, required: false }],
  setup: [],
  builtin: true,
};

/** Go's scan for "X-…-Key: value" lines (backend/secrets/literal does the real one). */
function fakeScan(d: ConnectionDraft): LiteralFinding[] {
  const text = (d.settings.requestHeaders ?? '').trim();
  const taken = new Set(Object.keys(d.userSecrets ?? {}));
  const out: LiteralFinding[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const [, header = '', word = '', value = ''] = /^(X-(\w+)-Key):\s*(.+)$/.exec(line) ?? [];
    if (header === '' || value.startsWith('{{')) return;
    let name = `x${word}Key`;
    for (let n = 2; taken.has(name); n++) name = `x${word}Key${n}`;
    taken.add(name);
    const replaced = [...lines];
    replaced[i] = `${header}: {{${name}}}`;
    out.push({
      field: 'requestHeaders', fieldLabel: 'Extra request headers', line: i + 1, name: header, reason: 'its name says it is a secret',
      secretName: name, reused: false, inJsonString: false, replacement: replaced.join('\n'),
    });
  });
  return out;
}

let fake: FakeWails;
beforeEach(() => {
  // jsdom has no CSS.escape, which the editor uses to focus the field at fault.
  if (typeof CSS === 'undefined' || typeof CSS.escape !== 'function') {
    vi.stubGlobal('CSS', { escape: (s: string) => s.replace(/["\\]/g, '\\$&') });
  }
  fake = installFakeWails();
  fake.answer('FindLiteralSecrets', (d) => fakeScan(d as ConnectionDraft));
});
afterEach(() => {
  fake.uninstall();
  ui.editor = null;
  vi.unstubAllGlobals();
});

async function openWith(headers: string) {
  const user = userEvent.setup();
  render(ConnectionEditor, { props: { connector, connection: null, onclose: () => {} } });
  await user.type(screen.getByTestId('field-name'), 'Literal');
  await user.type(screen.getByTestId('field-baseUrl'), 'https://api.example.test');
  await user.type(screen.getByTestId('field-testPath'), '/me');
  await fireEvent.input(screen.getByTestId('field-requestHeaders'), { target: { value: headers } });
  return user;
}

/** Every text, title and label of the page: the planted values are in none. */
function requireNotShown(...values: string[]): void {
  const attrs = Array.from(document.querySelectorAll('*')).flatMap((el) =>
    ['title', 'aria-label', 'aria-description', 'placeholder'].map((a) => el.getAttribute(a) ?? ''),
  );
  for (const v of values) {
    expect(document.body.textContent ?? '').not.toContain(v);
    expect(attrs.join('\n')).not.toContain(v);
  }
}

describe('Keep it as a secret', () => {
  it('is offered while typing and keeps the value as a user secret with {{name}} in its place', async () => {
    const user = await openWith(`Accept: application/json\nX-Api-Key: ${PLANTED}`);
    // The scan waits for typing to pause.
    const panel = await screen.findByTestId('literal-secrets', {}, { timeout: 10_000 });
    expect(panel.textContent).toContain('“X-Api-Key” in Extra request headers (line 2) looks like a secret');
    expect(panel.textContent).toContain('{{xApiKey}}');
    requireNotShown(PLANTED);

    await user.click(within(panel).getByTestId('keep-as-secret'));
    await waitFor(() => expect(screen.queryByTestId('literal-secrets')).toBeNull());
    expect((screen.getByTestId('field-requestHeaders') as HTMLTextAreaElement).value).toBe('Accept: application/json\nX-Api-Key: {{xApiKey}}');
    const row = screen.getByTestId('user-secrets').querySelector('[data-name="xApiKey"]');
    expect(row).not.toBeNull();
    expect(screen.getByTestId('literal-kept').textContent).toContain('Kept as the secret {{xApiKey}}');
    requireNotShown(PLANTED);

    fake.answer('SaveConnection', (d) => ({ saved: false, verification: null, draft: d }));
    await user.click(screen.getByTestId('save-button'));
    await waitFor(() => expect(fake.calls('SaveConnection')).toHaveLength(1));
    const sent = fake.calls('SaveConnection')[0]?.[0] as ConnectionDraft;
    expect(sent.settings.requestHeaders).toBe('Accept: application/json\nX-Api-Key: {{xApiKey}}');
    expect(sent.userSecrets).toEqual({ xApiKey: PLANTED });
  }, 20_000);

  it('keeps all at once, and follows a refused save with the offer', async () => {
    fake.answer('FindLiteralSecrets', () => []); // the scan while typing misses them…
    const user = await openWith(`X-Api-Key: ${PLANTED}\nX-Shop-Key: ${OTHER}`);
    fake.answer('SaveConnection', () => {
      throw JSON.stringify({
        code: 'literal_secret',
        message: '"X-Api-Key" in Extra request headers and 1 more values look like secrets. Keep them as secrets so they are kept in the keychain, not in the database.',
        field: 'requestHeaders',
        details: [{ field: 'requestHeaders', name: 'X-Api-Key', secretName: 'xApiKey' }],
      });
    });
    fake.answer('FindLiteralSecrets', (d) => fakeScan(d as ConnectionDraft)); // …the one after the refusal finds them
    await user.click(screen.getByTestId('save-button'));
    expect(await screen.findByTestId('error-requestHeaders')).toHaveProperty(
      'textContent',
      expect.stringContaining('Keep them as secrets'),
    );
    const panel = await screen.findByTestId('literal-secrets');
    expect(within(panel).getAllByTestId('keep-as-secret')).toHaveLength(2);
    requireNotShown(PLANTED, OTHER);

    await user.click(within(panel).getByTestId('keep-all-as-secrets'));
    await waitFor(() => expect(screen.queryByTestId('literal-secrets')).toBeNull());
    expect((screen.getByTestId('field-requestHeaders') as HTMLTextAreaElement).value).toBe('X-Api-Key: {{xApiKey}}\nX-Shop-Key: {{xShopKey}}');
    expect(screen.queryByTestId('error-requestHeaders')?.textContent ?? '').toBe('');
    expect(screen.getByTestId('literal-kept').textContent).toContain('{{xApiKey}}, {{xShopKey}}');
    requireNotShown(PLANTED, OTHER);
  }, 20_000);
});
