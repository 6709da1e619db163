import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionDraft, Connector, LiteralFinding } from '../types';
import { ConnectionFormState } from './connectionForm.svelte';
import { LiteralScan, SCAN_DELAY_MS } from './literalSecrets.svelte';

const connector: Connector = {
  id: 'http',
  name: 'HTTP API',
  category: 'Generic',
  description: '',
  logo: '',
  docsUrl: '',
  baseUrl: '',
  fields: [{ key: 'testPath', label: 'Test path', type: 'text', secret: false, required: true }],
  auth: [{ type: 'none', fields: [] }],
  test: { method: 'GET', path: '/' },
  advanced: [{ key: 'requestHeaders', label: 'Extra request headers', type: 'textarea', secret: false, required: false }],
  setup: [],
  builtin: true,
};

const PLANTED = 'pb-PLANTED-k9k9k9k9';
const OTHER = 'pb-OTHER-z1z1z1z1';

/**
 * Go's scan, for "X-…-Key: value" lines only: each literal value is a
 * finding, named from its header and free among the draft's secrets.
 */
function fakeGo(d: ConnectionDraft): LiteralFinding[] {
  const text = (d.settings.requestHeaders ?? '').trim();
  const taken = new Set(Object.keys(d.userSecrets ?? {}));
  const out: LiteralFinding[] = [];
  text.split('\n').forEach((line, i) => {
    const [, header = '', word = '', value = ''] = /^(X-(\w+)-Key):\s*(.+)$/.exec(line) ?? [];
    if (header === '' || value.startsWith('{{')) return;
    let name = `x${word}Key`;
    for (let n = 2; taken.has(name); n++) name = `x${word}Key${n}`;
    taken.add(name);
    const lines = text.split('\n');
    lines[i] = `${header}: {{${name}}}`;
    out.push({
      field: 'requestHeaders', fieldLabel: 'Extra request headers', line: i + 1, name: header,
      reason: 'its name says it is a secret', secretName: name, reused: false, inJsonString: false, replacement: lines.join('\n'),
    });
  });
  return out;
}

let form: ConnectionFormState;
let calls: ConnectionDraft[];
let scan: LiteralScan;

beforeEach(() => {
  form = new ConnectionFormState(connector);
  form.name = 'Literal';
  form.baseUrl = 'https://api.example.com';
  form.setValue('testPath', '/');
  calls = [];
  scan = new LiteralScan(form, (d) => {
    calls.push(d);
    return Promise.resolve(fakeGo(d));
  });
});
afterEach(() => {
  scan.dispose();
  vi.useRealTimers();
});

describe('LiteralScan', () => {
  it('scans once typing pauses, and not at all without text in the scanned settings', async () => {
    vi.useFakeTimers();
    scan.schedule();
    await vi.advanceTimersByTimeAsync(SCAN_DELAY_MS * 2);
    expect(calls).toHaveLength(0);

    form.setValue('requestHeaders', 'X-Api-Key: k');
    scan.schedule();
    await vi.advanceTimersByTimeAsync(SCAN_DELAY_MS - 50);
    form.setValue('requestHeaders', `X-Api-Key: ${PLANTED}`);
    scan.schedule();
    await vi.advanceTimersByTimeAsync(SCAN_DELAY_MS - 50);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.settings.requestHeaders).toBe(`X-Api-Key: ${PLANTED}`);
    expect(scan.findings.map((f) => f.secretName)).toEqual(['xApiKey']);

    form.setValue('requestHeaders', '');
    scan.schedule();
    expect(scan.findings).toEqual([]);
  });

  it('keeps only the answer to the latest scan', async () => {
    const answers: ((l: LiteralFinding[]) => void)[] = [];
    const slow = new LiteralScan(form, () => new Promise((resolve) => answers.push(resolve)));
    form.setValue('requestHeaders', `X-Api-Key: ${PLANTED}`);
    const first = slow.scan();
    const second = slow.scan();
    const [answerFirst, answerSecond] = answers;
    answerSecond?.([]);
    answerFirst?.(fakeGo(form.draft()));
    expect(answers).toHaveLength(2);
    await Promise.all([first, second]);
    expect(slow.findings).toEqual([]);
  });

  it('shows nothing when the scan fails', async () => {
    const failing = new LiteralScan(form, () => Promise.reject(new Error('no Go side')));
    form.setValue('requestHeaders', `X-Api-Key: ${PLANTED}`);
    await failing.scan();
    expect(failing.findings).toEqual([]);
  });

  it('keeps one as a secret: a typed user secret and {{name}} in its place, then scans again', async () => {
    form.setValue('requestHeaders', `Accept: application/json\nX-Api-Key: ${PLANTED}`);
    await scan.scan();
    const [found] = scan.findings;
    expect(scan.findings).toHaveLength(1);
    await scan.keep(found!);

    expect(form.values.requestHeaders).toBe('Accept: application/json\nX-Api-Key: {{xApiKey}}');
    expect(form.userSecrets.map((r) => [r.name, r.value, r.typed])).toEqual([['xApiKey', PLANTED, true]]);
    const d = form.draft();
    expect(d.userSecrets).toEqual({ xApiKey: PLANTED });
    expect(d.settings.requestHeaders).not.toContain(PLANTED);
    expect(scan.findings).toEqual([]);
    expect(scan.kept).toEqual(['{{xApiKey}}']);
    expect(calls).toHaveLength(2);
  });

  it('keeps all, each from a fresh scan, with names of their own', async () => {
    const { id } = form.addUserSecret();
    form.setUserSecretName(id, 'xApiKey');
    form.setUserSecretValue(id, 'already');
    form.setValue('requestHeaders', `X-Api-Key: ${PLANTED}\nX-Shop-Key: ${OTHER}`);
    await scan.scan();
    expect(scan.findings.map((f) => f.secretName)).toEqual(['xApiKey2', 'xShopKey']);
    await scan.keepAll();

    expect(form.values.requestHeaders).toBe('X-Api-Key: {{xApiKey2}}\nX-Shop-Key: {{xShopKey}}');
    expect(form.draft().userSecrets).toEqual({ xApiKey: 'already', xApiKey2: PLANTED, xShopKey: OTHER });
    expect(scan.findings).toEqual([]);
    expect(scan.kept).toEqual(['{{xApiKey2}}', '{{xShopKey}}']);
  });

  it('changes nothing for a finding whose text moved on, and scans again', async () => {
    form.setValue('requestHeaders', `X-Api-Key: ${PLANTED}`);
    await scan.scan();
    const [stale] = scan.findings;
    form.setValue('requestHeaders', `Accept: application/json\nX-Api-Key: ${OTHER}`);
    await scan.keep(stale!);
    expect(form.values.requestHeaders).toBe(`Accept: application/json\nX-Api-Key: ${OTHER}`);
    expect(form.userSecrets).toEqual([]);
    expect(scan.kept).toEqual([]);
    expect(scan.findings.map((f) => f.line)).toEqual([2]);
  });

  it('reuses a secret the connection already has for the same value', () => {
    const { id } = form.addUserSecret();
    form.setUserSecretName(id, 'xApiKey');
    form.setUserSecretValue(id, PLANTED);
    form.setValue('requestHeaders', `X-Other-Key: ${PLANTED}`);
    const kept = form.keepAsSecret({
      field: 'requestHeaders', fieldLabel: 'Extra request headers', line: 1, name: 'X-Other-Key', reason: '',
      secretName: 'xApiKey', reused: true, inJsonString: false, replacement: 'X-Other-Key: {{xApiKey}}',
    });
    expect(kept).toBe(true);
    expect(form.userSecrets).toHaveLength(1);
    expect(form.values.requestHeaders).toBe('X-Other-Key: {{xApiKey}}');
  });
});
