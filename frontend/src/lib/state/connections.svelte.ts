// What the app knows about the catalog, the workspace's connections and the
// app itself, loaded from Go and refreshed when Go says connections changed.

import { SvelteSet } from 'svelte/reactivity';
import * as api from '../api';
import { coalesced } from '../coalesce';
import type { AppInfoDTO, ConnectionDTO, Connector, VerificationDTO } from '../types';
import { parameters } from './parameters.svelte';
import { runResults } from './runs.svelte';
import { environmentAndName } from '../environment';

function byText(a: string, b: string): number {
  return a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });
}

/** Production first, then sandbox-like, then the rest by name. */
function environmentRank(env: string): number {
  const e = env.trim().toLowerCase();
  if (e.startsWith('prod')) return 0;
  if (e === 'sandbox' || e.startsWith('stag') || e === 'test') return 1;
  if (e === '') return 3;
  return 2;
}

export function sortConnections(list: ConnectionDTO[]): ConnectionDTO[] {
  return [...list].sort(
    (a, b) =>
      environmentRank(a.environment) - environmentRank(b.environment) ||
      byText(a.environment, b.environment) ||
      byText(a.name, b.name),
  );
}

class AppData {
  connectors: Connector[] = $state([]);
  connections: ConnectionDTO[] = $state([]);
  info: AppInfoDTO | null = $state(null);
  loading = $state(true);
  /** A load that failed: shown in place of the page. */
  loadError = $state('');
  /** Connection ids being re-tested right now (their badges say Checking…). */
  checking: Record<string, boolean> = $state({});

  connectorById = $derived(new Map(this.connectors.map((c) => [c.id, c])));

  connectionsByConnector = $derived.by(() => {
    const map = new Map<string, ConnectionDTO[]>();
    for (const c of this.connections) {
      const list = map.get(c.connectorId) ?? [];
      list.push(c);
      map.set(c.connectorId, list);
    }
    for (const [k, list] of map) map.set(k, sortConnections(list));
    return map;
  });

  /** Connectors that have at least one connection, by name. */
  connectorsInUse = $derived(
    this.connectors
      .filter((c) => this.connectionsByConnector.has(c.id))
      .sort((a, b) => byText(a.name, b.name)),
  );

  /** Connections whose connector is no longer in the catalog. */
  orphanConnections = $derived(this.connections.filter((c) => !this.connectorById.has(c.connectorId)));

  catalogSorted = $derived([...this.connectors].sort((a, b) => byText(a.name, b.name)));

  private unsubscribe: (() => void)[] = [];

  async load(): Promise<void> {
    this.loading = true;
    this.loadError = '';
    try {
      const [connectors, connections, info] = await Promise.all([
        api.listConnectors(),
        api.listConnections(),
        api.appInfo(),
      ]);
      this.connectors = connectors;
      this.connections = connections;
      this.info = info;
    } catch (e) {
      this.loadError = api.parseError(e).message;
    } finally {
      this.loading = false;
    }
    if (this.unsubscribe.length === 0) {
      const refresh = (): void => void this.refreshConnections();
      // An integration saved or deleted changes which connections it uses (usedBy).
      this.unsubscribe = [api.onConnectionsChanged(refresh), api.onIntegrationsChanged(refresh)];
    }
  }

  /** Reloads the list; bursts of change events become at most one more reload (see coalesced). */
  refreshConnections = coalesced(async () => {
    this.connections = await api.listConnections();
  });

  async refreshConnectors(): Promise<void> {
    this.connectors = await api.listConnectors();
  }

  /** Puts a saved or re-tested connection in place without waiting for the event. */
  upsert(c: ConnectionDTO): void {
    const i = this.connections.findIndex((x) => x.id === c.id);
    if (i >= 0) this.connections[i] = c;
    else this.connections.push(c);
  }

  remove(id: string): void {
    this.connections = this.connections.filter((c) => c.id !== id);
    this.deleted.add(id);
  }

  /** Connections deleted in this session: their exchanges may still be on screen. */
  private deleted = new SvelteSet<string>();

  wasDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  /**
   * Re-tests a saved connection; its badges say Checking… meanwhile. Returns
   * the verification, or throws an ApiError.
   */
  async retest(id: string): Promise<VerificationDTO> {
    this.checking[id] = true;
    try {
      const v = await this.#retestAsking(id);
      runResults.record(v);
      const c = this.connections.find((x) => x.id === id);
      if (c) {
        this.upsert({
          ...c,
          status: v.status,
          diagnosis: v.status === 'connected' ? '' : v.summary,
          identity: v.identity || c.identity,
          checkedAt: v.checkedAt || new Date().toISOString(),
        });
      }
      void this.refreshConnections();
      return v;
    } finally {
      delete this.checking[id];
    }
  }

  /**
   * Retests with the {{parameters}} this session knows for the connection;
   * when Go names values it lacks, asks for them once and tries again.
   */
  async #retestAsking(id: string): Promise<VerificationDTO> {
    const known = parameters.get(id);
    try {
      return Object.keys(known).length > 0
        ? await api.retestConnectionWithParameters(id, api.newRunId(), known)
        : await api.retestConnection(id, api.newRunId());
    } catch (e) {
      const err = api.parseError(e);
      if (err.code !== 'missing_parameters' || err.names.length === 0) throw err;
      const c = this.connections.find((x) => x.id === id);
      const answer = await parameters.ask({
        names: err.names,
        subject: c ? `“${environmentAndName(c)}”` : 'This connection',
        known: { ...(c?.parameters ?? {}), ...known },
        offerRemember: false,
        remember: false,
      });
      if (!answer) throw new api.ApiError('canceled', `Test not run: it needs ${err.names.map((n) => `{{${n}}}`).join(', ')}.`);
      parameters.set(id, answer.values);
      return api.retestConnectionWithParameters(id, api.newRunId(), parameters.get(id));
    }
  }

  addConnector(c: Connector): void {
    const i = this.connectors.findIndex((x) => x.id === c.id);
    if (i >= 0) this.connectors[i] = c;
    else this.connectors.push(c);
  }
}

export const appData = new AppData();
