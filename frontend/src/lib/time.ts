// Plain-words times: "just now", "2 min ago", "yesterday".

export function relativeTime(iso: string, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 30) return `${d} days ago`;
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** "checked 2 min ago" or "never checked". */
export function checkedLabel(iso: string, now: number): string {
  const rel = relativeTime(iso, now);
  return rel ? `checked ${rel}` : 'never checked';
}

/** A date and time in the user's locale, with seconds: "4 Dec 2026, 14:03:22". */
export function absoluteTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return fmt().full.format(t);
}

/** A time of day in the user's locale, with seconds: "14:03:22" (or "2:03:22 PM"). */
export function clockTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return fmt().time.format(t);
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// One time format everywhere: the user's locale (its own 12- or 24-hour
// clock), always with seconds. Formatters are built once: the log formats a
// time per row, and a fresh toLocale*String call builds a formatter each time.
let formats: { time: Intl.DateTimeFormat; day: Intl.DateTimeFormat; full: Intl.DateTimeFormat } | null = null;

function fmt(): NonNullable<typeof formats> {
  formats ??= {
    time: new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }),
    day: new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }),
    full: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
  };
  return formats;
}

/**
 * A log row's time: the time of day with seconds, and above it the day
 * when that is not today ("28 Dec"), so the column stays narrow.
 */
export function logTime(iso: string, now: number): { day: string; time: string } {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return { day: '', time: '' };
  const sameDay = new Date(t).toDateString() === new Date(now).toDateString();
  return { day: sameDay ? '' : fmt().day.format(t), time: fmt().time.format(t) };
}

/**
 * The most characters a log row's time takes in this locale (the list sizes
 * its time column to it): a late hour, a two-digit day.
 */
export function logTimeChars(): number {
  const sample = new Date(2026, 11, 28, 22, 58, 58).getTime();
  return Math.max(fmt().time.format(sample).length, fmt().day.format(sample).length);
}

/** A log row's full time for its tooltip, with milliseconds. */
export function logTimeFull(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return `${fmt().full.format(t)} (+${String(t % 1000).padStart(3, '0')} ms)`;
}

/**
 * A key that sorts RFC 3339 times in time order as text. Go writes times with
 * trailing zeros of the fraction dropped ("…:00Z", "…:00.5Z"), so the raw
 * strings do not compare in order; this pads the fraction to nanoseconds.
 */
export function timeSortKey(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const frac = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return `${new Date(t).toISOString().slice(0, 19)}.${frac.padEnd(9, '0').slice(0, 9)}`;
}
