import type { BadgeStatus, ConnectionStatus } from './types';

export const STATUS_WORDS: Record<BadgeStatus, string> = {
  connected: 'Connected',
  disconnected: 'Disconnected',
  limited: 'Limited',
  unreachable: 'Unreachable',
  unverified: 'Unverified',
  checking: 'Checking…',
};

const KNOWN: ReadonlySet<string> = new Set<ConnectionStatus>(['connected', 'disconnected', 'limited', 'unreachable']);

/** Any status string from Go as one the UI knows; unknown ones read as unverified. */
export function normalizeStatus(s: string): ConnectionStatus {
  return KNOWN.has(s) ? (s as ConnectionStatus) : 'unverified';
}

/**
 * Disconnected, Limited and Unreachable connections need someone to look at
 * them; Connected and Unverified ones do not.
 */
export function statusNeedsAttention(s: string): boolean {
  const n = normalizeStatus(s);
  return n === 'disconnected' || n === 'limited' || n === 'unreachable';
}
