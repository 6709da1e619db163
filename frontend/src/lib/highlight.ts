// A small, safe pretty-printer and tokenizer for message bodies: JSON, XML,
// HTML and form data. It never interprets the text: it only splits it into
// tokens that components render as text inside <span>s (never as markup), so
// a hostile body stays text. The JSON formatter works on tokens rather than
// JSON.parse, so big numbers keep their digits and a body cut off at the
// storage cap is still laid out.

export type TokenKind =
  | 'key'
  | 'string'
  | 'number'
  | 'literal'
  | 'punct'
  | 'tag'
  | 'attr'
  | 'value'
  | 'comment'
  | 'meta'
  | 'text'
  | 'plain';

export interface Token {
  k: TokenKind;
  v: string;
}

export type BodyLanguage = 'json' | 'xml' | 'html' | 'form' | 'text';

export interface Pretty {
  language: BodyLanguage;
  /** The laid-out text (what "Copy" copies in pretty mode). */
  text: string;
  tokens: Token[];
  /** False when the body did not look like its language: text is the body as is. */
  formatted: boolean;
}

const FORM_RE = /^[\w.~%*+[\]-]+=[^&\s]*(?:&[\w.~%*+[\]-]+=[^&\s]*)*&?$/;

/** The language a body is in, from its Content-Type, else from its first characters. */
export function detectLanguage(body: string, contentType = ''): BodyLanguage {
  const ct = contentType.toLowerCase();
  if (/[/+]json\b/.test(ct)) return 'json';
  if (/\bhtml\b/.test(ct)) return 'html';
  if (/[/+]xml\b/.test(ct)) return 'xml';
  if (ct.includes('x-www-form-urlencoded')) return 'form';
  const t = body.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return 'json';
  if (/^<(!doctype\s+html|html[\s>])/i.test(t)) return 'html';
  if (t.startsWith('<')) return 'xml';
  if (!ct || ct.startsWith('text/plain')) {
    if (FORM_RE.test(body.trim())) return 'form';
  }
  return 'text';
}

/** Lays out and tokenizes a body; plain text when it is not in a language we know. */
export function prettyPrint(body: string, language: BodyLanguage): Pretty {
  let tokens: Token[] | null = null;
  switch (language) {
    case 'json': {
      const t = tokenizeJson(body);
      if (t.ok) tokens = formatJson(t.tokens);
      break;
    }
    case 'xml':
      tokens = formatXml(tokenizeMarkup(body));
      break;
    case 'html':
      // HTML has void elements and inline text where re-indenting changes
      // meaning; colour it, keep its layout.
      tokens = tokenizeMarkup(body);
      break;
    case 'form':
      tokens = formatForm(body);
      break;
    case 'text':
      break;
  }
  if (!tokens) return { language, text: body, tokens: [{ k: 'plain', v: body }], formatted: false };
  return { language, text: tokens.map((t) => t.v).join(''), tokens: merge(tokens), formatted: true };
}

/** Tokens of the body as it is (for the raw view): coloured, not laid out. */
export function highlightRaw(body: string, language: BodyLanguage): Token[] {
  switch (language) {
    case 'json': {
      const t = tokenizeJson(body);
      return t.ok ? merge(t.tokens) : [{ k: 'plain', v: body }];
    }
    case 'xml':
    case 'html':
      return merge(tokenizeMarkup(body));
    default:
      return [{ k: 'plain', v: body }];
  }
}

/** Joins neighbouring tokens of one kind, so fewer elements are rendered. */
function merge(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.v === '') continue;
    const last = out[out.length - 1];
    if (last && last.k === t.k) last.v += t.v;
    else out.push({ k: t.k, v: t.v });
  }
  return out;
}

// JSON

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_WS = /[ \t\r\n]+/y;

/**
 * Splits JSON text into tokens. Lenient about an unterminated string or a
 * cut-off end (a truncated body); ok is false on any character JSON cannot
 * hold, and then the body is shown as text.
 */
export function tokenizeJson(src: string): { tokens: Token[]; ok: boolean } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      JSON_WS.lastIndex = i;
      JSON_WS.test(src);
      tokens.push({ k: 'plain', v: src.slice(i, JSON_WS.lastIndex) });
      i = JSON_WS.lastIndex;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      j = Math.min(j + 1, src.length);
      tokens.push({ k: 'string', v: src.slice(i, j) });
      i = j;
    } else if (c === '{' || c === '}' || c === '[' || c === ']' || c === ',' || c === ':') {
      tokens.push({ k: 'punct', v: c });
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      JSON_NUMBER.lastIndex = i;
      if (!JSON_NUMBER.test(src)) return { tokens, ok: false };
      tokens.push({ k: 'number', v: src.slice(i, JSON_NUMBER.lastIndex) });
      i = JSON_NUMBER.lastIndex;
    } else if (src.startsWith('true', i) || src.startsWith('null', i)) {
      tokens.push({ k: 'literal', v: src.slice(i, i + 4) });
      i += 4;
    } else if (src.startsWith('false', i)) {
      tokens.push({ k: 'literal', v: 'false' });
      i += 5;
    } else {
      return { tokens, ok: false };
    }
  }
  // A string followed by ':' is an object key.
  for (let n = 0; n < tokens.length; n++) {
    const t = tokens[n] as Token;
    if (t.k !== 'string') continue;
    let m = n + 1;
    while (tokens[m]?.k === 'plain') m++;
    if (tokens[m]?.k === 'punct' && tokens[m]?.v === ':') t.k = 'key';
  }
  return { tokens, ok: tokens.some((t) => t.k !== 'plain') };
}

function newline(depth: number): Token {
  return { k: 'plain', v: '\n' + '  '.repeat(Math.max(0, depth)) };
}

/** Re-indents JSON tokens two spaces per level; empty {} and [] stay on one line. */
function formatJson(input: Token[]): Token[] {
  const tokens = input.filter((t) => t.k !== 'plain');
  const out: Token[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.k === 'punct') {
      const next = tokens[i + 1];
      if (t.v === '{' || t.v === '[') {
        const close = t.v === '{' ? '}' : ']';
        if (next?.k === 'punct' && next.v === close) {
          out.push({ k: 'punct', v: t.v + close });
          i++;
          continue;
        }
        out.push(t);
        depth++;
        if (next) out.push(newline(depth));
        continue;
      }
      if (t.v === '}' || t.v === ']') {
        depth--;
        out.push(newline(depth), t);
        continue;
      }
      if (t.v === ',') {
        out.push(t, newline(depth));
        continue;
      }
      if (t.v === ':') {
        out.push(t, { k: 'plain', v: ' ' });
        continue;
      }
    }
    out.push(t);
  }
  // A body that is only a scalar or whose first token is a close bracket
  // (depth < 0) is still shown, just without a leading newline.
  if (out[0]?.k === 'plain') out.shift();
  return out;
}

// XML and HTML

const NAME = /[^\s/>="'<]+/y;
const SPACE = /\s+/y;

function readUntil(src: string, i: number, end: string): number {
  const j = src.indexOf(end, i);
  return j < 0 ? src.length : j + end.length;
}

/**
 * Splits markup into tokens: tags, attributes, values, comments, <!…> and
 * <?…?> declarations, and text. A stray '<' or a broken tag stays text.
 */
export function tokenizeMarkup(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('<!--', i)) {
      const j = readUntil(src, i + 4, '-->');
      out.push({ k: 'comment', v: src.slice(i, j) });
      i = j;
    } else if (src.startsWith('<![CDATA[', i)) {
      const j = readUntil(src, i + 9, ']]>');
      out.push({ k: 'meta', v: '<![CDATA[' }, { k: 'text', v: src.slice(i + 9, Math.max(i + 9, j - 3)) });
      if (src.endsWith(']]>', j)) out.push({ k: 'meta', v: ']]>' });
      i = j;
    } else if (src.startsWith('<?', i) || src.startsWith('<!', i)) {
      const j = readUntil(src, i + 2, '>');
      out.push({ k: 'meta', v: src.slice(i, j) });
      i = j;
    } else if (src[i] === '<' && /[A-Za-z_:/]/.test(src[i + 1] ?? '')) {
      i = readTag(src, i, out);
    } else {
      let j = src.indexOf('<', i + 1);
      if (j < 0) j = src.length;
      out.push({ k: 'text', v: src.slice(i, j) });
      i = j;
    }
  }
  return out;
}

function readTag(src: string, start: number, out: Token[]): number {
  let i = start;
  const open = src[i + 1] === '/' ? '</' : '<';
  out.push({ k: 'punct', v: open });
  i += open.length;
  NAME.lastIndex = i;
  if (NAME.test(src)) {
    out.push({ k: 'tag', v: src.slice(i, NAME.lastIndex) });
    i = NAME.lastIndex;
  }
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '>') {
      out.push({ k: 'punct', v: '>' });
      return i + 1;
    }
    if (c === '/' && src[i + 1] === '>') {
      out.push({ k: 'punct', v: '/>' });
      return i + 2;
    }
    if (/\s/.test(c)) {
      SPACE.lastIndex = i;
      SPACE.test(src);
      out.push({ k: 'plain', v: src.slice(i, SPACE.lastIndex) });
      i = SPACE.lastIndex;
    } else if (c === '=') {
      out.push({ k: 'punct', v: '=' });
      i++;
    } else if (c === '"' || c === "'") {
      const j = src.indexOf(c, i + 1);
      const end = j < 0 ? src.length : j + 1;
      out.push({ k: 'value', v: src.slice(i, end) });
      i = end;
    } else if (c === '<') {
      return i; // a broken tag: the next '<' starts over
    } else {
      NAME.lastIndex = i;
      if (NAME.test(src)) {
        const prev = lastNonSpace(out);
        // An unquoted value after '=' is a value; anything else an attribute name.
        out.push({ k: prev?.v === '=' ? 'value' : 'attr', v: src.slice(i, NAME.lastIndex) });
        i = NAME.lastIndex;
      } else {
        out.push({ k: 'plain', v: c });
        i++;
      }
    }
  }
  return i;
}

function lastNonSpace(out: Token[]): Token | undefined {
  for (let i = out.length - 1; i >= 0; i--) if (out[i]?.k !== 'plain') return out[i];
  return undefined;
}

type Item = { type: 'open' | 'close' | 'self' | 'other' | 'text'; tokens: Token[] };

/** Groups markup tokens into tags, text and declarations. */
function items(tokens: Token[]): Item[] {
  const out: Item[] = [];
  let tag: Item | null = null;
  for (const t of tokens) {
    if (tag) {
      tag.tokens.push(t);
      if (t.k === 'punct' && (t.v === '>' || t.v === '/>')) {
        if (t.v === '/>') tag.type = 'self';
        out.push(tag);
        tag = null;
      }
      continue;
    }
    if (t.k === 'punct' && (t.v === '<' || t.v === '</')) {
      tag = { type: t.v === '<' ? 'open' : 'close', tokens: [t] };
    } else if (t.k === 'text') {
      out.push({ type: 'text', tokens: [t] });
    } else {
      out.push({ type: 'other', tokens: [t] });
    }
  }
  if (tag) out.push({ ...tag, type: 'other' }); // cut off mid-tag
  return out;
}

/** Indents XML two spaces per element; an element holding only short text stays on one line. */
function formatXml(tokens: Token[]): Token[] {
  const list = items(tokens).filter((it) => !(it.type === 'text' && it.tokens[0]?.v.trim() === ''));
  const out: Token[] = [];
  let depth = 0;
  for (let i = 0; i < list.length; i++) {
    const it = list[i] as Item;
    const prev = list[i - 1];
    const next = list[i + 1];
    if (it.type === 'text') {
      const text = (it.tokens[0]?.v ?? '').trim();
      const inline = prev?.type === 'open' && next?.type === 'close' && !text.includes('\n');
      if (!inline && out.length > 0) out.push(newline(depth));
      out.push({ k: 'text', v: text });
      continue;
    }
    if (it.type === 'close') {
      depth--;
      const inline = prev?.type === 'text' && list[i - 2]?.type === 'open' && !prev.tokens[0]?.v.trim().includes('\n');
      const empty = prev?.type === 'open';
      if (!inline && !empty && out.length > 0) out.push(newline(depth));
      out.push(...it.tokens);
      continue;
    }
    if (out.length > 0) out.push(newline(depth));
    out.push(...it.tokens);
    if (it.type === 'open') depth++;
  }
  return out;
}

// Form data

function decodeForm(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s; // a malformed escape: show it as sent
  }
}

/** One "name = value" line per field, decoded. */
function formatForm(body: string): Token[] | null {
  const pairs = body.trim().split('&').filter((p) => p !== '');
  if (pairs.length === 0) return null;
  const out: Token[] = [];
  pairs.forEach((pair, n) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (n > 0) out.push({ k: 'plain', v: '\n' });
    out.push({ k: 'key', v: decodeForm(name) });
    if (eq >= 0) out.push({ k: 'punct', v: ' = ' }, { k: 'string', v: decodeForm(pair.slice(eq + 1)) });
  });
  return out;
}

/** Decoded name/value pairs of a form body or a query string, in order. */
export function formPairs(body: string): { name: string; value: string }[] {
  return body
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0
        ? { name: decodeForm(pair), value: '' }
        : { name: decodeForm(pair.slice(0, eq)), value: decodeForm(pair.slice(eq + 1)) };
    });
}

// Binary previews

/** A hex dump (offset, 16 bytes, ASCII) of the hex text Go keeps for a binary body. */
export function hexDump(hex: string): string {
  const clean = hex.replace(/[^0-9a-f]/gi, '');
  const bytes: number[] = [];
  for (let i = 0; i + 1 < clean.length; i += 2) bytes.push(parseInt(clean.slice(i, i + 2), 16));
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.slice(off, off + 16);
    const hexPart = row.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = row.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hexPart.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
