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

const errorClassLabels: Record<string, string> = {
  dns: 'DNS',
  refused: 'Refused',
  timeout: 'Timeout',
  tls: 'TLS',
  canceled: 'Canceled',
  // A database login's failures (dbcheck): the server answered, and said no.
  auth: 'Login',
  database: 'Database',
  permission: 'Permission',
  server: 'Server',
  other: 'Error',
};

/** A network error's class in one word ("DNS", "Timeout"); "Error" when unknown. */
export function errorClassLabel(errorClass: string): string {
  return errorClassLabels[errorClass] ?? 'Error';
}

const errorClassHelp: Record<string, string> = {
  dns: 'The host name could not be resolved. Check the base URL for a typo, or your DNS and VPN.',
  refused: 'Nothing accepted the connection at that address and port. Check the URL and that the service is running.',
  timeout: 'No answer came in time. The service may be slow or a firewall may be dropping the request.',
  tls: 'The secure connection could not be set up. See the TLS tab for the certificate the server presented.',
  canceled: 'The request was canceled before it finished.',
  auth: 'The database server refused the login: see the server’s error code and message.',
  permission: 'The login worked, but the user may not read what the connection checks.',
};

/** What a network error class means, in plain words; "" when unknown. */
export function errorClassHelpText(errorClass: string): string {
  return errorClassHelp[errorClass] ?? '';
}

/** Whether a certificate was valid at a time (an exchange's start; now when absent). */
export function certValidity(
  cert: { notBefore: string; notAfter: string },
  at: string,
): { state: 'valid' | 'expired' | 'not-yet-valid'; message: string } {
  const t = Date.parse(at);
  const when = Number.isNaN(t) ? Date.now() : t;
  const from = Date.parse(cert.notBefore);
  const to = Date.parse(cert.notAfter);
  if (!Number.isNaN(to) && when > to) {
    return { state: 'expired', message: `Expired on ${new Date(to).toLocaleDateString()}.` };
  }
  if (!Number.isNaN(from) && when < from) {
    return { state: 'not-yet-valid', message: `Not valid until ${new Date(from).toLocaleDateString()}.` };
  }
  return { state: 'valid', message: '' };
}
