// Plain http:// credentials: allowed per connection ("Allow insecure HTTP",
// Go refuses them otherwise), and then always shown as a warning.

export const ALLOW_INSECURE_HTTP = 'allowInsecureHttp';

/** Whether url is plain http:// to a host that is not this computer. */
export function isRemotePlainHttp(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return false;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return u.protocol === 'http:' && host !== 'localhost' && host !== '127.0.0.1' && host !== '::1';
}

/** Whether a connection sends its credentials unencrypted across the network. */
export function sendsInsecurely(settings: Record<string, string> | null, baseUrl: string): boolean {
  return settings?.[ALLOW_INSECURE_HTTP] === 'true' && isRemotePlainHttp(baseUrl);
}

/** The same for a connection in a list (its settings stay in Go): the switch, and its base URL or else the connector's. */
export function listedSendsInsecurely(c: { allowInsecureHttp: boolean; baseUrl: string }, connectorBaseUrl: string): boolean {
  return c.allowInsecureHttp && isRemotePlainHttp(c.baseUrl || connectorBaseUrl);
}
