// Secrets typed straight into plain settings (an extra header, a token
// request's body…), which Go stores in SQLite: Go finds them
// (findLiteralSecrets) and refuses to save them (literal_secret); the editor
// offers to keep each as one of the connection's own secrets. Go never sends
// the value back: it sends the setting's text with {{secretName}} in the
// value's place, and the value is what that reference replaced in the text
// the editor already has.

import type { LiteralFinding } from './types';

/** The settings Go looks in (backend/secrets/literal's Fields). */
export const LITERAL_FIELDS = [
  'requestHeaders',
  'tokenParams',
  'tokenHeaders',
  'tokenBody',
  'authParams',
  'driverParams',
] as const;

/** Whether any setting Go looks in holds text, so a scan is worth a call. */
export function hasPlainText(settings: Record<string, string>): boolean {
  return LITERAL_FIELDS.some((k) => (settings[k] ?? '').trim() !== '');
}

/**
 * The value a finding's {{secretName}} stands for in text (the setting as
 * the form holds it): what lies between the text before and after the
 * reference. Null when that text is no longer there (the value may have
 * been retyped: what is there now is what is kept). A JSON body's value is
 * decoded from its JSON escapes.
 */
export function literalIn(text: string, f: LiteralFinding): string | null {
  const ref = `{{${f.secretName}}}`;
  const at = f.replacement.indexOf(ref);
  if (at < 0 || f.replacement.indexOf(ref, at + ref.length) >= 0) return null;
  const before = f.replacement.slice(0, at);
  const after = f.replacement.slice(at + ref.length);
  // Go reads the setting trimmed, as it saves it.
  const t = text.trim();
  if (t.length <= before.length + after.length || !t.startsWith(before) || !t.endsWith(after)) return null;
  const raw = t.slice(before.length, t.length - after.length);
  // A value is one line, and holds no reference: else the text has moved on.
  if (/[\r\n]/.test(raw) || raw.includes('{{')) return null;
  if (!f.inJsonString) return raw;
  try {
    const v: unknown = JSON.parse(`"${raw}"`);
    return typeof v === 'string' && v !== '' ? v : null;
  } catch {
    return null;
  }
}

/** "“X-API-Key” in Extra request headers", or the field alone when the value has no name. */
export function literalPlace(f: { name: string; fieldLabel: string; line: number }): string {
  const where = f.line > 1 ? `${f.fieldLabel} (line ${f.line})` : f.fieldLabel;
  return f.name === '' ? `A value in ${where}` : `“${f.name}” in ${where}`;
}
