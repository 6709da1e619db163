// For tests only: connectors, connections and integrations as Go sends them.

import type { ConnectionDTO, Connector, IntegrationDTO, SideDTO } from '../lib/types';

export function connector(id: string, name: string): Connector {
  return {
    id,
    name,
    category: 'Testing',
    description: '',
    logo: '',
    docsUrl: '',
    baseUrl: `https://${id}.test`,
    fields: [],
    auth: [{ type: 'bearer', fields: [{ key: 'token', label: 'Token', type: 'password', secret: true, required: true }] }],
    advanced: [],
    test: { method: 'GET', path: '/me' },
    setup: [],
    builtin: true,
  };
}

export function conn(id: string, connectorId: string, name: string, environment: string, status = 'connected', over: Partial<ConnectionDTO> = {}): ConnectionDTO {
  return {
    id,
    workspaceId: 'w1',
    connectorId,
    name,
    environment,
    authType: 'bearer',
    baseUrl: '',
    settings: {},
    secretFields: ['token'],
    timeoutSeconds: 15,
    status,
    diagnosis: status === 'disconnected' ? 'The API rejected the credentials (401).' : '',
    identity: status === 'connected' ? 'ada' : '',
    checkedAt: new Date().toISOString(),
    allowInsecureHttp: false,
    createdAt: '',
    updatedAt: '',
    userSecrets: [],
    parameters: {},
    ...over,
  };
}

/** A side as Go's view makes it: the problem in the diagnosis's words. */
export function side(role: 'source' | 'destination', connectorId: string, connectorName: string, c: ConnectionDTO | null): SideDTO {
  let problem = '';
  if (!c) problem = `No ${connectorName} connection is chosen.`;
  else if (c.status !== 'connected') problem = `“${c.name}” is ${c.status}. ${c.diagnosis || 'it has not been tested yet.'}`;
  return { role, connectorId, connectorName, connection: c, problem };
}

export function integration(id: string, name: string, source: SideDTO, destination: SideDTO, over: Partial<IntegrationDTO> = {}): IntegrationDTO {
  const problems = [source, destination].filter((s) => s.problem).map((s) => `The ${s.role} needs attention: ${s.problem}`);
  return {
    id,
    workspaceId: 'w1',
    name,
    description: '',
    active: true,
    readiness: problems.length === 0 ? 'ready' : 'attention',
    summary: problems.length === 0 ? 'Ready: both sides are connected.' : problems.length === 1 ? (problems[0] ?? '') : 'Both sides need attention.',
    sides: [source, destination],
    updatedAt: '',
    ...over,
  };
}
