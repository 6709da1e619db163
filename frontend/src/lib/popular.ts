import type { Connector } from './types';

/** Connectors a newcomer most likely wants, in this order, when the catalog has them. */
const POPULAR = ['github', 'stripe', 'slack', 'openai', 'shopify', 'hubspot', 'jira', 'zendesk', 'notion', 'salesforce'];

export function popularConnectors(catalog: Connector[], count = 6): Connector[] {
  const byId = new Map(catalog.map((c) => [c.id, c]));
  const picked = POPULAR.map((id) => byId.get(id)).filter((c): c is Connector => c !== undefined);
  for (const c of catalog) {
    if (picked.length >= count) break;
    if (!picked.includes(c) && c.logo) picked.push(c);
  }
  return picked.slice(0, count);
}

/** A stand-in for a connection whose connector left the catalog. */
export function missingConnector(id: string): Connector {
  return {
    id,
    name: id,
    category: 'Unknown',
    description: 'This connector is no longer in the catalog. Import its definition again to edit these connections.',
    logo: '',
    docsUrl: '',
    baseUrl: '',
    fields: [],
    auth: [],
    test: { method: 'GET', path: '' },
    advanced: [], setup: [],
    builtin: false,
  };
}

/** Whether a connector or one of its connections matches the search text. */
export function matchesSearch(query: string, connector: Connector, names: string[]): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  const hay = [connector.name, connector.category, connector.id, ...names].join('\n').toLowerCase();
  return q.split(/\s+/).every((w) => hay.includes(w));
}
