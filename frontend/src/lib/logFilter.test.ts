import { describe, expect, it } from 'vitest';
import { defaultFilter, isFiltered, localToRfc3339, matchesFilter, statusClassOf, toApiFilter, type LogFilterState } from './logFilter';
import type { ExchangeSummary } from './types';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const f = (o: Partial<LogFilterState>): LogFilterState => ({ ...defaultFilter(), ...o });

function summary(o: Partial<ExchangeSummary>): ExchangeSummary {
  return {
    id: 'x',
    runId: 'r',
    connectionId: 'c1',
    kind: 'test',
    method: 'GET',
    url: 'https://api.example.test/v1/me',
    host: 'api.example.test',
    path: '/v1/me',
    status: 200,
    statusText: '200 OK',
    errorClass: '',
    error: '',
    startedAt: '2025-03-10T11:59:00Z',
    totalMs: 12,
    responseBodySize: 10,
    ...o,
  };
}

describe('toApiFilter', () => {
  it('asks for everything by default, 200 at a time', () => {
    expect(toApiFilter(defaultFilter(), NOW)).toEqual({
      connectionId: '',
      runId: '',
      statusClasses: [],
      kinds: [],
      from: '',
      to: '',
      query: '',
      cursor: '',
      limit: 200,
    });
  });

  it.each([
    ['15m', '2025-03-10T11:45:00Z'],
    ['1h', '2025-03-10T11:00:00Z'],
    ['24h', '2025-03-09T12:00:00Z'],
    ['7d', '2025-03-03T12:00:00Z'],
  ] as const)('turns "%s" into a from time', (time, from) => {
    const api = toApiFilter(f({ time }), NOW);
    expect(api.from).toBe(from);
    expect(api.to).toBe('');
  });

  it('maps connection, run, status classes (in a fixed order), kind, trimmed query and cursor', () => {
    const api = toApiFilter(
      f({ connectionId: 'c1', runId: 'r9', statusClasses: ['error', '4xx'], kind: 'token', query: '  Bad credentials ' }),
      NOW,
      'cur-2',
      50,
    );
    expect(api).toEqual({
      connectionId: 'c1',
      runId: 'r9',
      statusClasses: ['4xx', 'error'],
      kinds: ['token'],
      from: '',
      to: '',
      query: 'Bad credentials',
      cursor: 'cur-2',
      limit: 50,
    });
  });

  it('turns a custom local range into UTC RFC 3339, open ends staying empty', () => {
    const from = '2025-03-01T08:30';
    const api = toApiFilter(f({ time: 'custom', customFrom: from, customTo: '' }), NOW);
    expect(api.from).toBe(localToRfc3339(from));
    expect(api.from).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(new Date(api.from).getTime()).toBe(new Date(from).getTime());
    expect(api.to).toBe('');
    expect(toApiFilter(f({ time: 'custom', customFrom: 'nonsense' }), NOW).from).toBe('');
  });
});

describe('isFiltered', () => {
  it('is false only for the defaults', () => {
    expect(isFiltered(defaultFilter())).toBe(false);
    expect(isFiltered(f({ query: '   ' }))).toBe(false);
    expect(isFiltered(f({ statusClasses: ['5xx'] }))).toBe(true);
    expect(isFiltered(f({ time: '1h' }))).toBe(true);
    expect(isFiltered(f({ connectionId: 'c' }))).toBe(true);
  });
});

describe('statusClassOf', () => {
  it.each([
    [{ status: 204 }, '2xx'],
    [{ status: 301 }, '3xx'],
    [{ status: 401 }, '4xx'],
    [{ status: 503 }, '5xx'],
    [{ status: 0, errorClass: 'dns', error: 'no such host' }, 'error'],
    [{ status: 0, error: 'boom' }, 'error'],
    [{ status: 101 }, ''],
  ])('%j is %s', (o, want) => {
    expect(statusClassOf({ errorClass: '', error: '', ...o })).toBe(want);
  });
});

describe('matchesFilter (exchanges streaming in)', () => {
  it('checks connection, run, kind, status class and time on the client', () => {
    const x = summary({ status: 401 });
    expect(matchesFilter(x, defaultFilter(), NOW)).toBe(true);
    expect(matchesFilter(x, f({ connectionId: 'c2' }), NOW)).toBe(false);
    expect(matchesFilter(x, f({ runId: 'other' }), NOW)).toBe(false);
    expect(matchesFilter(x, f({ kind: 'oauth' }), NOW)).toBe(false);
    expect(matchesFilter(x, f({ statusClasses: ['2xx'] }), NOW)).toBe(false);
    expect(matchesFilter(x, f({ statusClasses: ['2xx', '4xx'] }), NOW)).toBe(true);
    expect(matchesFilter(summary({ startedAt: '2025-03-10T10:00:00Z' }), f({ time: '15m' }), NOW)).toBe(false);
  });

  it('leaves a text search to Go', () => {
    expect(matchesFilter(summary({}), f({ query: 'token' }), NOW)).toBe('unknown');
    expect(matchesFilter(summary({ connectionId: 'c2' }), f({ query: 'token', connectionId: 'c1' }), NOW)).toBe(false);
  });
});
