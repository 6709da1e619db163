// The connection log's filters as the user sets them, and how they become the
// LogService filter. Kept pure (the clock is a parameter) so the mapping is
// tested without a page.

import type { ExchangeKind, ExchangeSummary, LogFilter, StatusClass } from './types';

export const statusClasses: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'error'];

export const kinds: readonly { id: ExchangeKind; label: string }[] = [
  { id: 'test', label: 'Test request' },
  { id: 'token', label: 'Token request' },
  { id: 'oauth', label: 'OAuth exchange' },
  { id: 'refresh', label: 'Token refresh' },
  { id: 'accounts', label: 'Accounts request' },
  { id: 'database', label: 'Database' },
];

export type TimeRange = '15m' | '1h' | '24h' | '7d' | 'all' | 'custom';

export const timeRanges: readonly { id: TimeRange; label: string; ms: number }[] = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 60 * 60_000 },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
  { id: 'all', label: 'All time', ms: 0 },
  { id: 'custom', label: 'Custom range…', ms: 0 },
];

export const PAGE_SIZE = 200;

export interface LogFilterState {
  /** "" = every connection. */
  connectionId: string;
  /** "" = every run; set when the page was opened for one run. */
  runId: string;
  /** Empty = every status. */
  statusClasses: StatusClass[];
  /** "" = every kind. */
  kind: ExchangeKind | '';
  time: TimeRange;
  /** For a custom range: <input type="datetime-local"> values (local time), "" = open. */
  customFrom: string;
  customTo: string;
  query: string;
}

export function defaultFilter(): LogFilterState {
  return {
    connectionId: '',
    runId: '',
    statusClasses: [],
    kind: '',
    time: 'all',
    customFrom: '',
    customTo: '',
    query: '',
  };
}

/** True when any filter narrows the list (the empty state then offers "Clear filters"). */
export function isFiltered(s: LogFilterState): boolean {
  const d = defaultFilter();
  return (
    s.connectionId !== d.connectionId ||
    s.runId !== d.runId ||
    s.statusClasses.length > 0 ||
    s.kind !== d.kind ||
    s.time !== d.time ||
    s.query.trim() !== ''
  );
}

/** A datetime-local value (local time) as RFC 3339 in UTC; "" when empty or invalid. */
export function localToRfc3339(local: string): string {
  if (!local) return '';
  const t = new Date(local).getTime();
  if (Number.isNaN(t)) return '';
  return rfc3339(t);
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The [from, to) window of a time filter in ms since the epoch; null = open. */
export function timeWindow(s: LogFilterState, now: number): { from: number | null; to: number | null } {
  if (s.time === 'all') return { from: null, to: null };
  if (s.time === 'custom') {
    const from = s.customFrom ? new Date(s.customFrom).getTime() : NaN;
    const to = s.customTo ? new Date(s.customTo).getTime() : NaN;
    return { from: Number.isNaN(from) ? null : from, to: Number.isNaN(to) ? null : to };
  }
  const range = timeRanges.find((r) => r.id === s.time);
  return { from: range ? now - range.ms : null, to: null };
}

/** The LogService filter for one page. */
export function toApiFilter(s: LogFilterState, now: number, cursor = '', limit = PAGE_SIZE): LogFilter {
  const w = timeWindow(s, now);
  return {
    connectionId: s.connectionId,
    runId: s.runId,
    // In a fixed order, so equal filters compare and cache equal.
    statusClasses: statusClasses.filter((c) => s.statusClasses.includes(c)),
    kinds: s.kind ? [s.kind] : [],
    from: w.from === null ? '' : rfc3339(w.from),
    to: w.to === null ? '' : rfc3339(w.to),
    query: s.query.trim(),
    cursor,
    limit,
  };
}

/** The status class of an exchange; "" for one that fits none (1xx). */
export function statusClassOf(x: Pick<ExchangeSummary, 'status' | 'errorClass' | 'error'>): StatusClass | '' {
  if (x.errorClass || (!x.status && x.error)) return 'error';
  if (x.status >= 200 && x.status < 300) return '2xx';
  if (x.status >= 300 && x.status < 400) return '3xx';
  if (x.status >= 400 && x.status < 500) return '4xx';
  if (x.status >= 500 && x.status < 600) return '5xx';
  return '';
}

/**
 * Whether an exchange that just streamed in belongs in the filtered list.
 * "unknown" when a text search is on: only Go can search bodies and headers.
 */
export function matchesFilter(x: ExchangeSummary, s: LogFilterState, now: number): boolean | 'unknown' {
  if (s.connectionId && x.connectionId !== s.connectionId) return false;
  if (s.runId && x.runId !== s.runId) return false;
  if (s.kind && x.kind !== s.kind) return false;
  if (s.statusClasses.length > 0) {
    const c = statusClassOf(x);
    if (!c || !s.statusClasses.includes(c)) return false;
  }
  const w = timeWindow(s, now);
  const t = Date.parse(x.startedAt);
  if (!Number.isNaN(t)) {
    if (w.from !== null && t < w.from) return false;
    if (w.to !== null && t >= w.to) return false;
  }
  if (s.query.trim() !== '') return 'unknown';
  return true;
}
