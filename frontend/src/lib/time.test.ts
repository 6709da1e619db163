import { describe, expect, it } from 'vitest';
import { timeSortKey } from './time';

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
