// Checks the editor runs before anything goes to Go, so a person learns what to
// fix while typing. Go validates again; these only spare a round trip.

import type { Field } from './types';

/**
 * Converts a catalog pattern (RE2 syntax, as Go's regexp reads it) into a JS
 * RegExp, or null when it uses syntax JS lacks; Go still enforces those.
 * Like Go's MatchString the match is unanchored unless the pattern anchors.
 */
export function patternToRegExp(pattern: string): RegExp | null {
  let source = pattern;
  let flags = 'u';
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline?.[1] !== undefined) {
    if (inline[1].includes('U')) return null;
    for (const f of inline[1]) if (!flags.includes(f)) flags += f;
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Why a value is not a usable http(s) URL, in words that say what to fix
 * ("" when it is one): the scheme, a port out of range, no host, a space.
 */
export function urlProblem(value: string): string {
  const v = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(v)?.[1]?.toLowerCase();
  if (!scheme) return 'must start with https:// or http://';
  if (scheme !== 'http' && scheme !== 'https') return `must use https:// or http://, not ${scheme}://`;
  if (/\s/.test(v)) return 'has a space in it: remove it, or write it as %20';
  const authority = v.slice(scheme.length + 3).split(/[/?#]/)[0] ?? '';
  const port = /:(\d*)$/.exec(authority.replace(/^.*@/, '').replace(/^\[[^\]]*\]/, ''))?.[1];
  if (port !== undefined && port !== '' && (Number(port) < 1 || Number(port) > 65535)) {
    return `has port ${port}, which is out of range: ports go from 1 to 65535`;
  }
  if (authority.replace(/^.*@/, '').replace(/:\d*$/, '') === '') return 'has no host name after the scheme';
  return isHttpUrl(v) ? '' : 'is not a valid URL';
}

/**
 * The message for one value of one field, or "" when it is fine. `present`
 * overrides the emptiness check for secrets kept in the keychain.
 */
export function validateValue(field: Field, value: string, present = value.trim() !== ''): string {
  const label = field.label || field.key;
  if (!present) {
    return field.required ? `${label} is required.` : '';
  }
  if (value === '') return ''; // a saved secret the user left alone
  if (field.type === 'url') {
    const problem = urlProblem(value);
    if (problem) return `${label} ${problem}.`;
  }
  if (field.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value.trim())) {
    return `${label} must be a number.`;
  }
  if (field.type === 'select' && field.options && field.options.length > 0) {
    if (!field.options.some((o) => o.value === value)) return `Choose one of the options for ${label}.`;
  }
  if (field.pattern) {
    const re = patternToRegExp(field.pattern);
    if (re && !re.test(value)) {
      return field.patternMessage || `${label} is not in the expected format.`;
    }
  }
  return '';
}

/** Fills {{key}} placeholders from values, leaving unknown ones visible. */
export function resolveTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, key: string) => {
    const v = values[key];
    return v !== undefined && v.trim() !== '' ? v.trim() : whole;
  });
}
