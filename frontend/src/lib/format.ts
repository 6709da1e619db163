// Display helpers for exchanges: pretty bodies and status colours.

export function isJsonType(contentType: string): boolean {
  return /[/+]json\b/i.test(contentType);
}

/** Pretty-printed JSON when the body is JSON, else the body as is. */
export function prettyBody(body: string, contentType = ''): { text: string; json: boolean } {
  const t = body.trim();
  if (t !== '' && (isJsonType(contentType) || t.startsWith('{') || t.startsWith('['))) {
    try {
      return { text: JSON.stringify(JSON.parse(t), null, 2), json: true };
    } catch {
      // Not valid JSON (or truncated): show the raw text.
    }
  }
  return { text: body, json: false };
}

export type StatusTone = 'ok' | 'redirect' | 'client' | 'server' | 'none';

export function statusTone(status: number): StatusTone {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'client';
  if (status >= 500) return 'server';
  return 'none';
}

/** "401 Unauthorized" from status 401 and text "401 Unauthorized" or "Unauthorized". */
export function statusLine(status: number, statusText: string): string {
  if (!status) return '';
  const text = statusText.replace(new RegExp(`^${status}\\s*`), '').trim();
  return text ? `${status} ${text}` : String(status);
}

/** The host and path of a URL for compact display; the raw text when unparsable. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}
