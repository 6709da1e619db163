// Plain rules for the OAuth 2.0 parts of the UI: which auth types sign in in
// the browser, which of their fields are advanced, what a connection needs
// next (Connect or Re-authorize), and the words for a flow's stages and a
// token's lifetime. No state here; see oauthFlow.svelte.ts for a running flow.

import type { ConnectionSummary, OAuthStage } from './types';

/** Signs in in the browser: Connect / Re-authorize instead of Test and Save. */
export const OAUTH_CODE = 'oauth2AuthorizationCode';
/** Patchbay requests the token itself: the usual Test and Save. */
export const OAUTH_CLIENT = 'oauth2ClientCredentials';

export const DEFAULT_REDIRECT_HOST = '127.0.0.1';
export const DEFAULT_REDIRECT_PATH = '/callback';

/** How long Go waits for the browser before it gives up (oauth.DefaultFlowTimeout). */
export const FLOW_TIMEOUT_MINUTES = 5;

/**
 * Auth fields most people never touch: they go to the form's Advanced group
 * so the Authentication group stays client ID, secret, scopes and parameters.
 */
const ADVANCED_KEYS = new Set(['clientAuth', 'redirectHost', 'redirectPort', 'redirectPath', 'tokenCa']);

export function isOAuth(authType: string): boolean {
  return authType === OAUTH_CODE || authType === OAUTH_CLIENT;
}

export function isAdvancedAuthField(authType: string, key: string): boolean {
  return isOAuth(authType) && ADVANCED_KEYS.has(key);
}

export type OAuthAction = 'connect' | 'reauthorize';

/**
 * What a saved connection needs from the user's browser, if anything:
 * Connect when it has never been authorized (no token stored), Re-authorize
 * when its authorization no longer works (Disconnected: the refresh token
 * was refused, the token expired without one, or the API refused the token).
 * Go keeps no verification code on a saved connection, so the status is
 * what tells; a Disconnected OAuth connection is always helped by signing in
 * again (new token, possibly with the scopes the API wanted).
 */
export function oauthAction(c: ConnectionSummary): OAuthAction | null {
  if (c.authType !== OAUTH_CODE) return null;
  if (!c.oauth?.authorized) return 'connect';
  if (c.status === 'disconnected') return 'reauthorize';
  return null;
}

export const ACTION_LABELS: Record<OAuthAction, string> = {
  connect: 'Connect',
  reauthorize: 'Re-authorize',
};

/**
 * The redirect URI the provider must have registered, from the form's
 * settings. Without a fixed port the listener takes any free one, which
 * loopback-aware providers accept for the URI without a port (RFC 8252 7.3).
 */
export function redirectPreview(values: Record<string, string>): { uri: string; anyPort: boolean } {
  const host = (values.redirectHost ?? '').trim() || DEFAULT_REDIRECT_HOST;
  const port = (values.redirectPort ?? '').trim();
  let path = (values.redirectPath ?? '').trim() || DEFAULT_REDIRECT_PATH;
  if (!path.startsWith('/')) path = `/${path}`;
  return { uri: `http://${host}${port ? `:${port}` : ''}${path}`, anyPort: port === '' };
}

export interface FlowStep {
  label: string;
  /** What the user sees while this step is the current one. */
  doing: string;
}

export const FLOW_STEPS: readonly FlowStep[] = [
  { label: 'Open the browser', doing: 'Opening your browser…' },
  { label: 'Sign in and approve', doing: 'Waiting for you to sign in in your browser…' },
  { label: 'Get the tokens', doing: 'Signed in. Getting the tokens…' },
  { label: 'Test and save', doing: 'Testing the connection with the new token…' },
];

/**
 * The step a flow is at: 0…3 while it runs, FLOW_STEPS.length when done.
 * testing: the test request has started (its exchange arrived).
 */
export function flowStep(stage: OAuthStage | string, testing: boolean): number {
  switch (stage) {
    case 'browser_opened':
      return 1;
    case 'callback':
      return 2;
    case 'exchanging':
      return testing ? 3 : 2;
    case 'done':
      return FLOW_STEPS.length;
    default:
      // Before the first event, "listening" and a failure: the first step.
      return testing ? 3 : 0;
  }
}

/**
 * "expires in 59 min", "expired 3 min ago", "does not expire". Rounded down
 * while it lasts, so a token never looks longer-lived than it is.
 */
export function expiryLabel(expiresAt: string, now: number): string {
  if (!expiresAt) return 'does not expire';
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return '';
  const s = Math.round((t - now) / 1000);
  if (s <= 0) {
    const ago = -s;
    if (ago < 60) return 'expired just now';
    return `expired ${span(ago, false)} ago`;
  }
  if (s < 60) return 'expires in less than a minute';
  return `expires in ${span(s, true)}`;
}

/** A length of time in the largest unit that fits: "59 min", "2 h", "3 days". */
function span(seconds: number, floor: boolean): string {
  const round = floor ? Math.floor : Math.round;
  const m = round(seconds / 60);
  if (m < 60) return `${Math.max(m, 1)} min`;
  const h = round(seconds / 3600);
  if (h < 48) return `${h} h`;
  return `${round(seconds / 86400)} days`;
}

/** Whether the token has run out (and will be refreshed, if it can be, at the next test). */
export function isExpired(expiresAt: string, now: number): boolean {
  if (!expiresAt) return false;
  const t = Date.parse(expiresAt);
  return !Number.isNaN(t) && t <= now;
}
