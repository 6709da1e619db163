// Integrations without state: the words for an integration's one status,
// the Integrations page's filter, what a side that needs attention offers,
// and when switching a side's connection must ask first.

import { environmentAndName, isProduction } from './environment';
import { oauthAction } from './oauth';
import { normalizeStatus } from './status';
import type { ConnectionSummary, IntegrationDTO, Role, SideDTO } from './types';

export const ROLES: readonly Role[] = ['source', 'destination'];

export const ROLE_LABELS: Record<Role, string> = { source: 'Source', destination: 'Destination' };

/** One side of an integration by role; null when Go sent none. */
export function sideOf(i: IntegrationDTO, role: Role): SideDTO | null {
  return i.sides?.find((s) => s.role === role) ?? null;
}

/** The sides that need attention, source first. */
export function attentionRoles(i: IntegrationDTO): Role[] {
  return ROLES.filter((r) => {
    const s = sideOf(i, r);
    return !s || s.problem !== '' || !s.connection;
  });
}

/** The one status in a few words: "Ready", "Destination needs attention", … */
export function readinessLabel(i: IntegrationDTO): string {
  const roles = attentionRoles(i);
  if (i.readiness === 'ready' && roles.length === 0) return 'Ready';
  if (roles.length === 1 && roles[0]) return `${ROLE_LABELS[roles[0]]} needs attention`;
  return roles.length === 2 ? 'Both sides need attention' : 'Needs attention';
}

export type IntegrationFilter = 'all' | 'attention' | 'ready' | 'paused';

export const FILTER_LABELS: Record<IntegrationFilter, string> = {
  all: 'All',
  attention: 'Needs attention',
  ready: 'Ready',
  paused: 'Paused',
};

function words(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** What the filter box searches: the names, the description, both sides' connectors and connections. */
function haystack(i: IntegrationDTO): string {
  const parts = [i.name, i.description];
  for (const s of i.sides ?? []) {
    parts.push(s.connectorName, s.connectorId);
    if (s.connection) parts.push(s.connection.name, s.connection.environment);
  }
  return parts.join('\n').toLowerCase();
}

export function matchesFilter(i: IntegrationDTO, filter: IntegrationFilter): boolean {
  switch (filter) {
    case 'attention':
      return i.readiness !== 'ready';
    case 'ready':
      return i.readiness === 'ready';
    case 'paused':
      return !i.active;
    default:
      return true;
  }
}

/** The integrations that match every word of the query and the chosen filter, in list order. */
export function filterIntegrations(list: IntegrationDTO[], query: string, filter: IntegrationFilter): IntegrationDTO[] {
  const w = words(query);
  return list.filter((i) => matchesFilter(i, filter) && (w.length === 0 || w.every((x) => haystack(i).includes(x))));
}

/** How many integrations each filter holds (for the filter's counts). */
export function filterCounts(list: IntegrationDTO[]): Record<IntegrationFilter, number> {
  const out: Record<IntegrationFilter, number> = { all: list.length, attention: 0, ready: 0, paused: 0 };
  for (const i of list) {
    if (i.readiness === 'ready') out.ready++;
    else out.attention++;
    if (!i.active) out.paused++;
  }
  return out;
}

/**
 * What a side that needs attention offers, in the order to show it:
 * choose a connection (none is chosen); sign in again for an OAuth
 * connection that needs the browser (it is tested as part of that), else
 * test it again; and edit the connection. A Connected side offers none.
 */
export type SideFix = 'choose' | 'signin' | 'edit' | 'retest';

export function sideFixes(side: SideDTO): SideFix[] {
  const c = side.connection;
  if (!c) return ['choose'];
  if (side.problem === '' && normalizeStatus(c.status) === 'connected') return [];
  return oauthAction(c) ? ['signin', 'edit'] : ['edit', 'retest'];
}

/** An environment label compared the way a person reads it. */
function envKey(c: Pick<ConnectionSummary, 'environment'>): string {
  return c.environment.trim().toLowerCase();
}

function envWords(c: Pick<ConnectionSummary, 'environment'>): string {
  return c.environment.trim() || 'no environment';
}

/** Why choosing a connection for a side needs a yes first. */
export interface SwitchWarning {
  title: string;
  /** Sentences that say what would change, plainly. */
  lines: string[];
  confirmLabel: string;
  cancelLabel: string;
  production: boolean;
  mismatch: boolean;
}

/** How a button names a connection: its environment, or its name when that would not tell the two apart. */
function buttonWord(c: ConnectionSummary, from: ConnectionSummary | null): string {
  const env = c.environment.trim();
  return env && (!from || envKey(from) !== envKey(c)) ? env : c.name;
}

/**
 * Asks before a side becomes Production (it was not before) or before the
 * two sides would be in different environments; null when neither.
 */
export function switchWarning(
  role: Role,
  connectorName: string,
  current: ConnectionSummary | null,
  next: ConnectionSummary,
  other: ConnectionSummary | null,
): SwitchWarning | null {
  const production = isProduction(next.environment) && !(current && isProduction(current.environment));
  const mismatch = other !== null && envKey(other) !== envKey(next);
  if (!production && !mismatch) return null;
  const otherRole: Role = role === 'source' ? 'destination' : 'source';
  const lines: string[] = [];
  if (production) {
    lines.push(
      `The ${role} would use “${environmentAndName(next)}”, a Production connection: Test both and Fetch one record will then read live ${connectorName} data.`,
    );
  }
  if (mismatch && other) {
    lines.push(
      `The ${otherRole} uses “${environmentAndName(other)}”, so this integration would pair ${envWords(next)} with ${envWords(other)}.`,
    );
  }
  const title =
    production && mismatch
      ? `Use Production with ${envWords(other ?? next)}?`
      : production
        ? 'Use a Production connection?'
        : `Pair ${envWords(next)} with ${envWords(other ?? next)}?`;
  return {
    title,
    lines,
    confirmLabel: `Use ${buttonWord(next, current)}`,
    cancelLabel: current ? `Keep ${buttonWord(current, next)}` : 'Cancel',
    production,
    mismatch,
  };
}

/**
 * The connection to start a side with after its connector changed: one in
 * the other side's environment, so a sandbox pair stays a sandbox pair.
 * Never the other side's own connection, never a Production one unasked;
 * "" when nothing fits.
 */
export function matchingConnection(list: ConnectionSummary[], other: ConnectionSummary | null): string {
  if (!other) return '';
  const match = list.find((c) => c.id !== other.id && envKey(c) === envKey(other) && !isProduction(c.environment));
  return match?.id ?? '';
}
