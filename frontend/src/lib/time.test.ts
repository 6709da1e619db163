import { describe, expect, it } from 'vitest';
import { absoluteTime, clockTime, logTime, logTimeChars, timeSortKey } from './time';

describe('timeSortKey', () => {
  it('orders Go RFC 3339 times whose fractions have different lengths', () => {
    const times = ['2025-03-10T12:00:00.5Z', '2025-03-10T12:00:00Z', '2025-03-10T12:00:00.000000123Z', '2025-03-10T12:00:00.05Z'];
    const sorted = [...times].sort((a, b) => (timeSortKey(a) < timeSortKey(b) ? -1 : 1));
    expect(sorted).toEqual(['2025-03-10T12:00:00Z', '2025-03-10T12:00:00.000000123Z', '2025-03-10T12:00:00.05Z', '2025-03-10T12:00:00.5Z']);
    // The raw strings would put "…:00Z" last.
    expect([...times].sort().at(-1)).toBe('2025-03-10T12:00:00Z');
  });

  it('compares across time zones in UTC', () => {
    expect(timeSortKey('2025-03-10T13:00:00+01:00')).toBe(timeSortKey('2025-03-10T12:00:00Z'));
    expect(timeSortKey('not a time')).toBe('');
  });
});

describe('one time format', () => {
  const at = '2026-12-04T14:03:22.123Z';
  const now = Date.parse('2026-12-04T15:00:00Z');
  const seconds = new Date(at).getSeconds().toString().padStart(2, '0');

  it('always shows seconds, in the log, the detail and the test result', () => {
    for (const text of [logTime(at, now).time, logTime(at, now + 3 * 86_400_000).time, absoluteTime(at), clockTime(at)]) {
      expect(text).toMatch(new RegExp(`\\b\\d{1,2}[:.]\\d{2}[:.]${seconds}\\b`));
    }
  });

  it('follows the locale: the time of day in the log row is the same text as in the test result', () => {
    expect(logTime(at, now)).toEqual({ day: '', time: clockTime(at) });
    expect(logTime(at, now + 3 * 86_400_000).day).toBe(new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(Date.parse(at)));
    expect(clockTime(at)).toBe(new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' }).format(Date.parse(at)));
    expect(absoluteTime('not a time')).toBe('');
    expect(clockTime('')).toBe('');
  });
});

describe('the log time column', () => {
  it('is as wide as the longest time the locale writes', () => {
    const n = logTimeChars();
    for (const [at, now] of [
      ['2026-12-04T23:59:59Z', '2026-12-04T23:59:59Z'],
      ['2026-11-28T22:58:58Z', '2026-12-04T12:00:00Z'],
    ] as const) {
      const { day, time } = logTime(at, Date.parse(now));
      expect(n).toBeGreaterThanOrEqual(Math.max(day.length, time.length));
    }
  });
});
