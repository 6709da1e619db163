import type { BadgeStatus, ConnectionStatus } from './types';

export const STATUS_WORDS: Record<BadgeStatus, string> = {
  connected: 'Connected',
  disconnected: 'Disconnected',
  unreachable: 'Unreachable',
  unverified: 'Unverified',
  checking: 'Checking…',
};

/** Any status string from Go as one the UI knows; unknown ones read as unverified. */
export function normalizeStatus(s: string): ConnectionStatus {
  return s === 'connected' || s === 'disconnected' || s === 'unreachable' ? s : 'unverified';
}
