import { describe, expect, it } from 'vitest';
import { hitRanges, searchPattern, segments, splitPieces } from './searchHits';

const marked = (text: string, query: string) =>
  segments(text, searchPattern(query))
    .map((s) => (s.hit ? `[${s.text}]` : s.text))
    .join('');

describe('search hits', () => {
  it('marks a word where a token begins, in any case, and nowhere inside a token', () => {
    expect(marked('Unauthorized: token expired', 'unauth')).toBe('[Unauth]orized: token expired');
    expect(marked('reauthorize then unauthorized', 'auth')).toBe('reauthorize then unauthorized');
    expect(marked('Bearer TOKEN and tokens', 'token')).toBe('Bearer [TOKEN] and [token]s');
  });

  it('reads a word with punctuation as a phrase, as the index does', () => {
    expect(marked('GET https://api.stripe.com/v1', 'api.stripe')).toBe('GET https://[api.stripe].com/v1');
    expect(marked('api stripe, apis.stripe', 'api.str')).toBe('[api str]ipe, apis.stripe');
    expect(marked('x-request-id: 7', 'request-id')).toBe('x-[request-id]: 7');
  });

  it('marks every word of a search of several, longest first', () => {
    expect(marked('invalid_grant: the token expired', 'expired token')).toBe('invalid_grant: the [token] [expired]');
    expect(marked('Authorization: Bearer', 'auth authorization')).toBe('[Authorization]: Bearer');
  });

  it('treats the search as text, never as an expression', () => {
    expect(marked('a (b) c*', '(b)')).toBe('a ([b]) c*');
    expect(searchPattern('*** ---')).toBeNull();
    expect(searchPattern('')).toBeNull();
    expect(marked('naïve café 東京', '東京 café')).toBe('naïve [café] [東京]');
  });

  it('cuts coloured pieces where hits begin and end, keeping each piece’s colour', () => {
    const pieces = [
      { text: '{"', k: 'punct' },
      { text: 'access_token', k: 'key' },
      { text: '":"', k: 'punct' },
      { text: 'abc', k: 'string' },
    ];
    const text = pieces.map((p) => p.text).join('');
    const out = splitPieces(pieces, hitRanges(text, searchPattern('token abc')));
    expect(out.map((p) => p.text).join('')).toBe(text);
    expect(out.filter((p) => p.hit).map((p) => [p.text, p.k])).toEqual([
      ['token', 'key'],
      ['abc', 'string'],
    ]);
    // A hit across pieces marks each part.
    const across = splitPieces([{ text: 'api.' }, { text: 'stripe' }], hitRanges('api.stripe', searchPattern('api.stripe')));
    expect(across).toEqual([
      { text: 'api.', hit: true },
      { text: 'stripe', hit: true },
    ]);
  });

  it('stays quick on a large body', () => {
    const body = 'lorem ipsum token '.repeat(50_000);
    const ranges = hitRanges(body, searchPattern('token'));
    expect(ranges).toHaveLength(50_000);
  });
});
