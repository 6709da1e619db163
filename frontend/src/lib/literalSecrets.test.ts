import { describe, expect, it } from 'vitest';
import { hasPlainText, literalIn, literalPlace } from './literalSecrets';
import type { LiteralFinding } from './types';

function finding(over: Partial<LiteralFinding>): LiteralFinding {
  return {
    field: 'requestHeaders',
    fieldLabel: 'Extra request headers',
    line: 1,
    name: 'X-API-Key',
    reason: 'its name says it is a secret',
    secretName: 'xApiKey',
    reused: false,
    inJsonString: false,
    replacement: 'X-API-Key: {{xApiKey}}',
    ...over,
  };
}

describe('literalIn', () => {
  it('is what the reference replaced, the rest of the text unchanged', () => {
    const f = finding({ line: 2, replacement: 'Accept: application/json\nAuthorization: Bearer {{authorization}}', secretName: 'authorization' });
    expect(literalIn('Accept: application/json\nAuthorization: Bearer abc123', f)).toBe('abc123');
  });

  it('is the value there now when only the value was retyped', () => {
    expect(literalIn('X-API-Key: retyped-2', finding({}))).toBe('retyped-2');
  });

  it('reads the setting trimmed, as Go saves it', () => {
    expect(literalIn('  X-API-Key: k-1\n\n', finding({}))).toBe('k-1');
  });

  it('decodes a JSON string’s escapes', () => {
    const f = finding({ field: 'tokenBody', name: 'password', secretName: 'password', inJsonString: true, replacement: '{"password": "{{password}}"}' });
    expect(literalIn('{"password": "p\\"ä\\u00e9\\\\x"}', f)).toBe('p"äé\\x');
    expect(literalIn('{"password": "bad \\q escape"}', f)).toBeNull();
  });

  it.each([
    ['the text changed before the value', 'X-Api-Key: k-1'],
    ['the text changed after it', 'X-API-Key: k-1\nX-More: 1'],
    ['the value is gone', 'X-API-Key: '],
    ['the value is a reference now', 'X-API-Key: {{mine}}'],
  ])('is null when %s', (_, text) => {
    expect(literalIn(text, finding({}))).toBeNull();
  });

  it('is null when the reference is not in the replacement once', () => {
    expect(literalIn('X-API-Key: k', finding({ replacement: 'X-API-Key: {{other}}' }))).toBeNull();
    expect(literalIn('X: k {{xApiKey}}', finding({ replacement: 'X: {{xApiKey}} {{xApiKey}}' }))).toBeNull();
  });
});

describe('literalPlace and hasPlainText', () => {
  it('names the value by its header and setting, never by its value', () => {
    expect(literalPlace(finding({}))).toBe('“X-API-Key” in Extra request headers');
    expect(literalPlace(finding({ line: 3 }))).toBe('“X-API-Key” in Extra request headers (line 3)');
    expect(literalPlace(finding({ name: '', fieldLabel: 'Token request body' }))).toBe('A value in Token request body');
  });

  it('looks only at the settings Go scans', () => {
    expect(hasPlainText({ testPath: '/me', scopes: 'read' })).toBe(false);
    expect(hasPlainText({ requestHeaders: '  ' })).toBe(false);
    expect(hasPlainText({ authParams: 'prompt=consent' })).toBe(true);
  });
});
