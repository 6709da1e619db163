import { describe, expect, it } from 'vitest';
import { defaultShown, filterConnections, groupByEnvironment, matchesWords, needsAttention } from './connectionList';
import { sortConnections } from './state/connections.svelte';
import type { ConnectionDTO, ConnectionSummary } from './types';

function conn(id: string, name: string, environment: string, status: string, extra: Partial<ConnectionDTO> = {}): ConnectionDTO {
  return {
    id,
    workspaceId: 'w',
    connectorId: 'http',
    name,
    environment,
    authType: 'bearer',
    baseUrl: '',
    settings: {},
    secretFields: [], userSecrets: [], parameters: {},
    timeoutSeconds: 15,
    status,
    diagnosis: '',
    identity: '',
    checkedAt: '',
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
    ...extra,
  };
}

const list = [
  conn('a', 'Billing gateway', 'Production', 'connected', { identity: 'ops@acme.test' }),
  conn('b', 'Tenant 0999 API', 'Sandbox', 'unverified'),
  conn('c', 'Tenant 0998 API', 'Production', 'disconnected'),
  conn('d', 'Legacy', '', 'unreachable'),
  conn('e', 'Nightly', 'production', 'weird-status-from-a-newer-go'),
];

const ids = (xs: ConnectionSummary[]) => xs.map((c) => c.id);

describe('filterConnections', () => {
  it.each([
    ['', ['a', 'b', 'c', 'd', 'e']],
    ['   ', ['a', 'b', 'c', 'd', 'e']],
    ['tenant 0999', ['b']],
    ['TENANT', ['b', 'c']],
    ['sandbox', ['b']],
    ['prod', ['a', 'c', 'e']],
    ['acme', ['a']],
    ['disconnected', ['c']],
    // "connected" is the start of one status word only, not inside "disconnected".
    ['connected', ['a']],
    ['unreach', ['d']],
    // An unknown status reads as Unverified, as its badge does.
    ['unverified', ['b', 'e']],
    ['production disconnected', ['c']],
    ['production sandbox', []],
    ['zzz', []],
  ])('%j finds %j', (query, want) => {
    expect(ids(filterConnections(list, query))).toEqual(want);
  });

  it('matches words anywhere in the name, environment and identity', () => {
    expect(matchesWords(list[0]!, ['gate', 'ops@'])).toBe(true);
    expect(matchesWords(list[0]!, ['gate', 'sandbox'])).toBe(false);
  });
});

describe('groupByEnvironment', () => {
  it('groups a sorted list by environment, one group per spelling-insensitive name, with a label', () => {
    const groups = groupByEnvironment(sortConnections(list));
    expect(groups.map((g) => [g.label, ids(g.connections)])).toEqual([
      ['Production', ['a', 'e', 'c']],
      ['Sandbox', ['b']],
      ['No environment', ['d']],
    ]);
  });

  it('has no groups for no connections', () => {
    expect(groupByEnvironment([])).toEqual([]);
  });
});

describe('defaultShown', () => {
  const at = (iso: string) => ({ checkedAt: iso });
  it.each([
    ['nothing for no connections', [], null],
    ['the first when nothing was ever checked', [conn('x', 'X', 'Production', 'unverified'), conn('y', 'Y', 'Sandbox', 'unverified')], 'x'],
    [
      'a disconnected one before a connected one checked later',
      [conn('x', 'X', 'Production', 'connected', at('2025-03-10T12:00:00Z')), conn('y', 'Y', 'Sandbox', 'disconnected', at('2025-03-09T12:00:00Z'))],
      'y',
    ],
    [
      'disconnected before unreachable',
      [conn('x', 'X', 'Production', 'unreachable', at('2025-03-10T12:00:00Z')), conn('y', 'Y', 'Sandbox', 'disconnected')],
      'y',
    ],
    [
      'unreachable before limited: nothing answers is worse than some things refused',
      [conn('x', 'X', 'Production', 'limited'), conn('y', 'Y', 'Sandbox', 'unreachable')],
      'y',
    ],
    [
      'limited before a connected one checked later',
      [conn('x', 'X', 'Production', 'connected', at('2025-03-10T12:00:00Z')), conn('y', 'Y', 'Sandbox', 'limited', at('2025-03-01T12:00:00Z'))],
      'y',
    ],
    [
      'the most recently checked among equals, nanoseconds included',
      [
        conn('x', 'X', 'Production', 'connected', at('2025-03-10T12:00:00.5Z')),
        conn('y', 'Y', 'Production', 'unverified', at('2025-03-10T12:00:00.000000123Z')),
        conn('z', 'Z', 'Sandbox', 'connected', at('2025-03-10T12:00:00.05Z')),
      ],
      'x',
    ],
    [
      'one checked connection among 1,000 never checked',
      [...Array.from({ length: 999 }, (_, i) => conn(`n${i}`, `Tenant ${i}`, 'Production', 'unverified')), conn('last', 'Zed', 'Sandbox', 'connected', at('2025-01-01T00:00:00Z'))],
      'last',
    ],
  ])('%s', (_, xs, want) => {
    expect(defaultShown(xs)?.id ?? null).toBe(want);
  });

  it('counts Disconnected, Limited and Unreachable as needing attention', () => {
    expect(list.filter(needsAttention).map((c) => c.id)).toEqual(['c', 'd']);
    expect(needsAttention(conn('l', 'Reports', 'Production', 'limited'))).toBe(true);
  });
});
