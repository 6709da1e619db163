// For tests only: connections, connectors and workspaces as Go sends them.
import { defaultShown } from '../lib/connectionList';
import { sortConnections } from '../lib/state/connections.svelte';
import type { ConnectionDTO, ConnectionsOverview, ConnectionSummary, Connector, WorkspaceDTO } from '../lib/types';
import type { FakeWails } from './fakeWails';

export function connection(id: string, o: Partial<ConnectionDTO> = {}): ConnectionDTO {
  return {
    id,
    workspaceId: 'w1',
    connectorId: 'http',
    name: `Connection ${id}`,
    environment: 'Sandbox',
    authType: 'bearer',
    baseUrl: 'https://api.example.test',
    settings: {},
    secretFields: ['token'],
    userSecrets: [],
    parameters: {},
    timeoutSeconds: 15,
    status: 'connected',
    diagnosis: '',
    identity: '',
    checkedAt: '2025-03-10T12:00:00Z',
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
    usedBy: [],
    ...o,
  };
}

export function connector(id: string, name: string): Connector {
  return {
    id,
    name,
    category: 'Generic',
    description: '',
    logo: '',
    docsUrl: '',
    baseUrl: '',
    fields: [],
    auth: [],
    advanced: [],
    test: { method: 'GET', path: '/' },
    setup: [],
    builtin: true,
  };
}

export function workspace(id: string, name: string, o: Partial<WorkspaceDTO> = {}): WorkspaceDTO {
  return { id, name, connections: 0, integrations: 0, current: false, ...o };
}

/**
 * The overview Go would give of list: per connector its counts and the
 * connection its card shows (the one chosen on it, by connector id, while it exists).
 */
export function overviewOf(list: ConnectionSummary[], chosen: Record<string, string> = {}): ConnectionsOverview {
  const groups = new Map<string, ConnectionSummary[]>();
  for (const c of list) groups.set(c.connectorId, [...(groups.get(c.connectorId) ?? []), c]);
  return {
    total: list.length,
    connectors: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([connectorId, group]) => {
        const byStatus: Record<string, number> = {};
        for (const c of group) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
        const pick = group.find((c) => c.id === chosen[connectorId]);
        return {
          connectorId,
          total: group.length,
          byStatus,
          shown: pick ?? defaultShown(sortConnections(group))!,
          chosen: !!pick,
        };
      }),
  };
}

/**
 * Answers what reads the workspace's connections (the overview and the pages
 * of summaries, one page) from list(), as Go would.
 */
export function answerConnections(
  go: FakeWails,
  list: () => ConnectionSummary[],
  chosen: () => Record<string, string> = () => ({}),
): void {
  go.answer('ConnectionsOverview', () => overviewOf(list(), chosen()));
  go.answer('ListConnectionSummaries', () => ({ items: list(), next: '' }));
}
