// Manage Connections' list: a filter over name, environment, identity and
// status word, and the environment groups the rows are shown in; and how a
// connection is named where its connector is not in view.

import { normalizeStatus, STATUS_WORDS, statusNeedsAttention } from './status';
import { timeSortKey } from './time';
import type { ConnectionSummary } from './types';

export interface ConnectionGroup {
  /** Lowercased environment: "Production" and "production" are one group. */
  key: string;
  /** The environment as the first connection of the group spells it. */
  label: string;
  connections: ConnectionSummary[];
}

/** Lowercased words of a filter; every word must match. */
export function filterWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Whether one connection matches every word. A word matches inside the
 * name, environment or identity, or the start of the status word — so
 * "connected" does not also find Disconnected ones.
 */
export function matchesWords(c: ConnectionSummary, words: string[]): boolean {
  const text = `${c.name}\n${c.environment}\n${c.identity}`.toLowerCase();
  const status = STATUS_WORDS[normalizeStatus(c.status)].toLowerCase();
  return words.every((w) => text.includes(w) || status.startsWith(w));
}

export function filterConnections(list: ConnectionSummary[], query: string): ConnectionSummary[] {
  const words = filterWords(query);
  return words.length === 0 ? list : list.filter((c) => matchesWords(c, words));
}

/**
 * Consecutive connections of one environment, in the order given (the
 * store's order already keeps each environment together).
 */
export function groupByEnvironment(list: ConnectionSummary[]): ConnectionGroup[] {
  const groups: ConnectionGroup[] = [];
  const byKey = new Map<string, ConnectionGroup>();
  for (const c of list) {
    const env = c.environment.trim();
    const key = env.toLowerCase();
    let g = byKey.get(key);
    if (!g) {
      g = { key, label: env || 'No environment', connections: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.connections.push(c);
  }
  return groups;
}

/** Disconnected, Limited and Unreachable connections need someone to look at them. */
export function needsAttention(c: ConnectionSummary): boolean {
  return statusNeedsAttention(c.status);
}

/** Lower is more urgent: nothing works, then nothing answers, then some things are refused. */
const URGENCY: Record<string, number> = { disconnected: 0, unreachable: 1, limited: 2 };

function urgency(c: ConnectionSummary): number {
  return URGENCY[normalizeStatus(c.status)] ?? 3;
}

/**
 * The connection a card shows until the user picks one. Showing the first of
 * 1,000 by name would say nothing; the card's badge should instead answer
 * "is anything wrong here?": a Disconnected connection first, then an
 * Unreachable one, else the most recently checked (the one someone worked on
 * last). Equal candidates keep the list's order (Production first, by name),
 * so the choice is stable while nothing changes.
 */
export function defaultShown(list: ConnectionSummary[]): ConnectionSummary | null {
  let best: ConnectionSummary | null = null;
  for (const c of list) {
    if (!best) {
      best = c;
      continue;
    }
    const d = urgency(c) - urgency(best);
    // Go's times carry up to nine fraction digits: compare padded keys ("" = never).
    if (d < 0 || (d === 0 && timeSortKey(c.checkedAt) > timeSortKey(best.checkedAt))) best = c;
  }
  return best;
}
