import type { BadgeStatus, ConnectionStatus } from './types';

export const STATUS_WORDS: Record<BadgeStatus, string> = {
  connected: 'Connected',
  disconnected: 'Disconnected',
  limited: 'Limited',
  unreachable: 'Unreachable',
  unverified: 'Unverified',
  checking: 'Checking…',
};

/** Any status string from Go as one the UI knows (it has words); unknown ones read as unverified. */
export function normalizeStatus(s: string): ConnectionStatus {
  return Object.hasOwn(STATUS_WORDS, s) && s !== 'checking' ? (s as ConnectionStatus) : 'unverified';
}

/**
 * Disconnected, Limited and Unreachable connections need someone to look at
 * them; Connected and Unverified ones do not.
 */
export function statusNeedsAttention(s: string): boolean {
  const n = normalizeStatus(s);
  return n === 'disconnected' || n === 'limited' || n === 'unreachable';
}
