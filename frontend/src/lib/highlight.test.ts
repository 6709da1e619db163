import { describe, expect, it } from 'vitest';
import { detectLanguage, formPairs, hexDump, highlightRaw, prettyPrint, tokenizeJson, tokenizeMarkup } from './highlight';

const kindsOf = (tokens: { k: string; v: string }[], kind: string) => tokens.filter((t) => t.k === kind).map((t) => t.v);

describe('detectLanguage', () => {
  it.each([
    ['{}', 'application/json', 'json'],
    ['{}', 'application/problem+json; charset=utf-8', 'json'],
    ['<a/>', 'application/xml', 'xml'],
    ['<a/>', 'application/soap+xml', 'xml'],
    ['<p>', 'text/html; charset=utf-8', 'html'],
    ['a=1', 'application/x-www-form-urlencoded', 'form'],
    ['  [1,2]', '', 'json'],
    ['<?xml version="1.0"?><a/>', '', 'xml'],
    ['<!DOCTYPE html><html></html>', '', 'html'],
    ['grant_type=client_credentials&scope=read', '', 'form'],
    ['hello world', 'text/plain', 'text'],
    ['a=1&b=two words', '', 'text'],
  ])('%j with %j is %s', (body, ct, want) => {
    expect(detectLanguage(body, ct)).toBe(want);
  });
});

describe('JSON', () => {
  it('lays out objects and arrays two spaces per level, empty ones on one line', () => {
    const p = prettyPrint('{"a":1,"b":[true,null,{}],"c":{"d":"x"},"e":[]}', 'json');
    expect(p.formatted).toBe(true);
    expect(p.text).toBe(
      '{\n  "a": 1,\n  "b": [\n    true,\n    null,\n    {}\n  ],\n  "c": {\n    "d": "x"\n  },\n  "e": []\n}',
    );
  });

  it('tells keys from string values and keeps every digit of big numbers', () => {
    const p = prettyPrint('{"id": 12345678901234567890123, "name": "a:b", "n": -1.5e+10}', 'json');
    expect(kindsOf(p.tokens, 'key')).toEqual(['"id"', '"name"', '"n"']);
    expect(kindsOf(p.tokens, 'string')).toEqual(['"a:b"']);
    expect(kindsOf(p.tokens, 'number')).toEqual(['12345678901234567890123', '-1.5e+10']);
    expect(p.text).toContain('12345678901234567890123');
  });

  it('keeps escaped quotes inside a string', () => {
    const { tokens, ok } = tokenizeJson('["say \\"hi\\"", "\\\\"]');
    expect(ok).toBe(true);
    expect(kindsOf(tokens, 'string')).toEqual(['"say \\"hi\\""', '"\\\\"']);
  });

  it('still lays out a body cut off at the storage cap', () => {
    const p = prettyPrint('{"items":[{"id":1},{"id":2,"name":"unfinish', 'json');
    expect(p.formatted).toBe(true);
    expect(p.text).toContain('"name": "unfinish');
    expect(p.text.split('\n').length).toBeGreaterThan(4);
  });

  it('shows text that only starts like JSON as it is', () => {
    const body = '{not json at all}';
    const p = prettyPrint(body, 'json');
    expect(p.formatted).toBe(false);
    expect(p.text).toBe(body);
    expect(p.tokens).toEqual([{ k: 'plain', v: body }]);
  });

  it('loses no character of the input in the raw view', () => {
    const body = '{ "a" : [1 , 2],\n "b":"<script>alert(1)</script>" }';
    expect(
      highlightRaw(body, 'json')
        .map((t) => t.v)
        .join(''),
    ).toBe(body);
  });
});

describe('XML', () => {
  it('indents elements and keeps short text inline', () => {
    const p = prettyPrint('<?xml version="1.0"?><root><item id="1">one</item><item id="2"/><!-- note --></root>', 'xml');
    expect(p.text).toBe(
      '<?xml version="1.0"?>\n<root>\n  <item id="1">one</item>\n  <item id="2"/>\n  <!-- note -->\n</root>',
    );
    expect(kindsOf(p.tokens, 'attr')).toEqual(['id', 'id']);
    expect(kindsOf(p.tokens, 'value')).toEqual(['"1"', '"2"']);
    expect(kindsOf(p.tokens, 'comment')).toEqual(['<!-- note -->']);
    expect(kindsOf(p.tokens, 'meta')).toEqual(['<?xml version="1.0"?>']);
  });

  it('tokenizes tags, unquoted values and CDATA, and keeps a stray < as text', () => {
    const tokens = tokenizeMarkup('<a href=x>1 < 2<![CDATA[<b>]]></a>');
    expect(kindsOf(tokens, 'tag')).toEqual(['a', 'a']);
    expect(kindsOf(tokens, 'value')).toEqual(['x']);
    expect(tokens.map((t) => t.v).join('')).toBe('<a href=x>1 < 2<![CDATA[<b>]]></a>');
    expect(kindsOf(tokens, 'text')).toContain('<b>');
  });

  it('keeps HTML as laid out (only coloured)', () => {
    const body = '<html><body><p>Hi<br>there</p></body></html>';
    const p = prettyPrint(body, 'html');
    expect(p.text).toBe(body);
    expect(kindsOf(p.tokens, 'tag')).toContain('br');
  });
});

describe('form data', () => {
  it('shows one decoded field per line', () => {
    const p = prettyPrint('grant_type=client_credentials&scope=read+write&redirect_uri=http%3A%2F%2Flocalhost%2Fcb', 'form');
    expect(p.text).toBe('grant_type = client_credentials\nscope = read write\nredirect_uri = http://localhost/cb');
    expect(kindsOf(p.tokens, 'key')).toEqual(['grant_type', 'scope', 'redirect_uri']);
  });

  it('shows a malformed escape as sent instead of failing', () => {
    expect(formPairs('?a=%E0%A4%A&b')).toEqual([
      { name: 'a', value: '%E0%A4%A' },
      { name: 'b', value: '' },
    ]);
  });
});

describe('hostile input', () => {
  it.each(['json', 'xml', 'html', 'form', 'text'] as const)('%s keeps markup as token text', (lang) => {
    const body = '<img src=x onerror="alert(1)"><script>alert(2)</script>{"a":"</pre><b>"}';
    const p = prettyPrint(body, lang);
    // Every character is still there as text; nothing is dropped or decoded into markup.
    expect(p.tokens.map((t) => t.v).join('')).toBe(p.text);
    expect(p.text).toContain('alert(1)');
  });
});

describe('hexDump', () => {
  it('shows offset, 16 bytes and printable ASCII per line', () => {
    const hex = '89504e470d0a1a0a0000000d494844520000000100000001';
    expect(hexDump(hex)).toBe(
      '00000000  89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52  .PNG........IHDR\n' +
        '00000010  00 00 00 01 00 00 00 01                          ........',
    );
  });
});
