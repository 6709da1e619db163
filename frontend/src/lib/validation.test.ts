import { describe, expect, it } from 'vitest';
import type { Field } from './types';
import { isHttpUrl, patternToRegExp, resolveTemplate, urlProblem, validateValue } from './validation';

const field = (over: Partial<Field> = {}): Field => ({
  key: 'k',
  label: 'Key',
  type: 'text',
  secret: false,
  required: false,
  ...over,
});

describe('patternToRegExp', () => {
  const cases: [string, string, boolean][] = [
    ['^ghp_[A-Za-z0-9]{5}$', 'ghp_abcde', true],
    ['^ghp_[A-Za-z0-9]{5}$', 'ghp_abc', false],
    ['(?i)^sk_', 'SK_live', true],
    ['\\Aabc\\z', 'abc', true],
    ['\\Aabc\\z', 'xabc', false],
    ['(?P<word>\\w+)', 'hello', true],
    ['live', 'sk_live_1', true], // unanchored, like Go's MatchString
  ];
  for (const [pattern, value, want] of cases) {
    it(`${pattern} on ${value}`, () => {
      const re = patternToRegExp(pattern);
      expect(re).not.toBeNull();
      expect(re!.test(value)).toBe(want);
    });
  }

  it('gives up (null) on syntax JS lacks, leaving the check to Go', () => {
    expect(patternToRegExp('(?U)a+')).toBeNull();
    expect(patternToRegExp('([a-')).toBeNull();
  });
});

describe('validateValue', () => {
  it('required', () => {
    expect(validateValue(field({ required: true }), '  ')).toBe('Key is required.');
    expect(validateValue(field(), '')).toBe('');
  });
  it('pattern with and without a message', () => {
    expect(validateValue(field({ pattern: '^a', patternMessage: 'Start with a.' }), 'b')).toBe('Start with a.');
    expect(validateValue(field({ pattern: '^a' }), 'b')).toBe('Key is not in the expected format.');
    expect(validateValue(field({ pattern: '^a' }), 'abc')).toBe('');
  });
  it('url and number types', () => {
    expect(validateValue(field({ type: 'url' }), 'example.com')).toBe('Key must start with https:// or http://.');
    expect(validateValue(field({ type: 'url' }), 'https://example.com')).toBe('');
    expect(validateValue(field({ type: 'number' }), '12a')).toBe('Key must be a number.');
  });
  it('a saved secret counts as present', () => {
    expect(validateValue(field({ required: true, secret: true }), '', true)).toBe('');
  });
});

describe('helpers', () => {
  it('resolveTemplate fills known keys and keeps unknown ones', () => {
    expect(resolveTemplate('https://{{sub}}.x.com/{{ other }}', { sub: 'acme' })).toBe('https://acme.x.com/{{ other }}');
  });
  it('isHttpUrl', () => {
    expect(isHttpUrl('http://127.0.0.1:8080')).toBe(true);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('urlProblem', () => {
  it.each([
    ['https://api.example.com/v1', ''],
    ['http://127.0.0.1:8080', ''],
    ['https://user@host.test:443/x', ''],
    ['https://[::1]:8443/', ''],
    ['api.example.com', 'must start with https:// or http://'],
    ['ftp://files.example.com', 'must use https:// or http://, not ftp://'],
    ['https://api.example.com:70000/v1', 'has port 70000, which is out of range: ports go from 1 to 65535'],
    ['https://api.example.com:0', 'has port 0, which is out of range: ports go from 1 to 65535'],
    ['https://', 'has no host name after the scheme'],
    ['https://:8080/x', 'has no host name after the scheme'],
    ['https://api.example.com/my path', 'has a space in it: remove it, or write it as %20'],
  ])('%s', (url, want) => {
    expect(urlProblem(url)).toBe(want);
  });

  it('puts the reason in the field message', () => {
    expect(validateValue({ key: 'baseUrl', label: 'Base URL', type: 'url' } as Field, 'https://x.test:99999')).toBe(
      'Base URL has port 99999, which is out of range: ports go from 1 to 65535.',
    );
  });
});
