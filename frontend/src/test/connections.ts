// For tests only: connections, connectors and workspaces as Go sends them.
import type { ConnectionDTO, Connector, WorkspaceDTO } from '../lib/types';

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
