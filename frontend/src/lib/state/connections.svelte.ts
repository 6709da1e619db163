// What the app knows about the catalog, the workspace's connections and the
// app itself, loaded from Go and refreshed when Go says connections changed.
// The first screen is drawn from the overview (counts and the connection each
// card shows); the list of summaries follows in pages after the first frame.

/** Resolves once the page has painted a frame (at once where there are no frames: tests). */
function afterFirstFrame(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function' || typeof document === 'undefined' || document.hidden) {
    return Promise.resolve();
  }
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

import { SvelteSet } from 'svelte/reactivity';
import * as api from '../api';
import { coalesced } from '../coalesce';
import { mark } from '../marks';
import { collator } from '../collate';
import { defaultShown, needsAttention } from '../connectionList';
import { statusNeedsAttention } from '../status';
import type {
  AppInfoDTO,
  ConnectionDTO,
  ConnectionsOverview,
  ConnectionSummary,
  Connector,
  KeychainStatus,
  VerificationDTO,
} from '../types';
import { parameters } from './parameters.svelte';
import { runResults } from './runs.svelte';
import { environmentAndName } from '../environment';

function byText(a: string, b: string): number {
  return collator.compare(a, b);
}

/** Production first, then sandbox-like, then the rest by name. */
function environmentRank(env: string): number {
  const e = env.trim().toLowerCase();
  if (e.startsWith('prod')) return 0;
  if (e === 'sandbox' || e.startsWith('stag') || e === 'test') return 1;
  if (e === '') return 3;
  return 2;
}

export function sortConnections<T extends ConnectionSummary>(list: T[]): T[] {
  return [...list].sort(
    (a, b) =>
      environmentRank(a.environment) - environmentRank(b.environment) ||
      byText(a.environment, b.environment) ||
      byText(a.name, b.name),
  );
}

/** Connections one page of the list brings; the first screen needs none of them. */
export const SUMMARY_PAGE = 2000;

/** The part of a connection the lists hold (a whole DTO from a save is trimmed to it). */
export function summaryOf(c: ConnectionSummary): ConnectionSummary {
  return {
    id: c.id,
    connectorId: c.connectorId,
    name: c.name,
    environment: c.environment,
    authType: c.authType,
    baseUrl: c.baseUrl,
    status: c.status,
    diagnosis: c.diagnosis,
    identity: c.identity,
    checkedAt: c.checkedAt,
    allowInsecureHttp: c.allowInsecureHttp,
    oauth: c.oauth ?? null,
    usedBy: c.usedBy ?? [],
  };
}

/** What a connector's card shows: how many, how many need attention, and the one to show first. */
export interface CardFacts {
  total: number;
  attention: number;
  suggested: ConnectionSummary | null;
}

class AppData {
  connectors: Connector[] = $state([]);
  /**
   * Every connection of the workspace as the lists show it (no settings),
   * read page by page after the first screen is drawn. Replaced, never
   * mutated in place, so 10,000 of them stay cheap.
   */
  connections: ConnectionSummary[] = $state.raw([]);
  /** The first screen: per connector its counts and the connection its card shows. */
  overview: ConnectionsOverview | null = $state.raw(null);
  /**
   * The connection the user chose on each card, by connector id, as Go keeps
   * it (per workspace, across restarts): read with every overview, set by choose.
   */
  chosen: Record<string, string> = $state({});
  /** The list is still arriving: counts and what cards show come from the overview. */
  partial = $state(false);
  /** The connection open in the editor, whole (settings and all); it follows saves and refreshes. */
  editing: ConnectionDTO | null = $state.raw(null);
  info: AppInfoDTO | null = $state(null);
  /** Whether secrets can be stored; null while the probe runs (it may take seconds). */
  keychain: KeychainStatus | null = $state(null);
  loading = $state(true);
  /** A load that failed: shown in place of the page. */
  loadError = $state('');
  /** Connection ids being re-tested right now (their badges say Checking…). */
  checking: Record<string, boolean> = $state({});

  connectorById = $derived(new Map(this.connectors.map((c) => [c.id, c])));

  connectionsByConnector = $derived.by(() => {
    const map = new Map<string, ConnectionSummary[]>();
    for (const c of this.connections) {
      const list = map.get(c.connectorId) ?? [];
      list.push(c);
      map.set(c.connectorId, list);
    }
    for (const [k, list] of map) map.set(k, sortConnections(list));
    return map;
  });

  /**
   * Per connector that has connections, what its card shows: from the
   * overview while the list arrives, then from the list itself.
   */
  cards = $derived.by(() => {
    const map = new Map<string, CardFacts>();
    if (this.partial && this.overview) {
      for (const o of this.overview.connectors ?? []) {
        let attention = 0;
        for (const [status, n] of Object.entries(o.byStatus ?? {})) if (statusNeedsAttention(status)) attention += n;
        const fresh = this.connections.find((c) => c.id === o.shown.id);
        map.set(o.connectorId, { total: o.total, attention, suggested: fresh ?? o.shown });
      }
      return map;
    }
    for (const [id, list] of this.connectionsByConnector) {
      const chosen = this.chosen[id];
      map.set(id, {
        total: list.length,
        attention: list.filter(needsAttention).length,
        suggested: (chosen ? list.find((c) => c.id === chosen) : undefined) ?? defaultShown(list),
      });
    }
    return map;
  });

  /** How many connections the workspace has, before the list is all here too. */
  total = $derived(this.partial && this.overview ? this.overview.total : this.connections.length);

  /** Connectors that have at least one connection, by name. */
  connectorsInUse = $derived(
    this.connectors.filter((c) => this.cards.has(c.id)).sort((a, b) => byText(a.name, b.name)),
  );

  /** Connector ids of connections whose connector is no longer in the catalog. */
  orphanConnectorIds = $derived([...this.cards.keys()].filter((id) => !this.connectorById.has(id)));

  catalogSorted = $derived([...this.connectors].sort((a, b) => byText(a.name, b.name)));

  private unsubscribe: (() => void)[] = [];
  /** Bumped by every load and refresh; an older one that finds it changed stops. */
  #gen = 0;

  /**
   * The first screen: the catalog, the overview and the app's info (each
   * small, whatever the data), then the list page by page after the first
   * frame. The keychain probe runs beside them and never holds them.
   */
  async load(): Promise<void> {
    const gen = ++this.#gen;
    this.loading = true;
    this.loadError = '';
    void this.checkKeychain();
    let overview: ConnectionsOverview | null = null;
    try {
      // The app's first load finds its answers in the page (no await: the
      // first mount draws the cards); any other asks Go.
      const inPage = api.firstScreenFromPage();
      const [connectors, o, info] = inPage
        ? [inPage.connectors, inPage.overview, inPage.info]
        : await Promise.all([api.listConnectors(), api.connectionsOverview(), api.appInfo()]);
      if (gen !== this.#gen) return;
      overview = o;
      this.connectors = connectors;
      this.info = info;
      this.overview = o;
      this.chosen = chosenOf(o);
      this.#chosenHere = {}; // a load is a workspace's first screen: its choices are Go's
      this.connections = [];
      this.partial = o.total > 0;
      mark('first-data');
    } catch (e) {
      if (gen === this.#gen) this.loadError = api.parseError(e).message;
    } finally {
      if (gen === this.#gen) this.loading = false;
    }
    if (this.unsubscribe.length === 0) {
      const refresh = (): void => void this.refreshConnections();
      // An integration saved or deleted changes which connections it uses (usedBy).
      this.unsubscribe = [api.onConnectionsChanged(refresh), api.onIntegrationsChanged(refresh)];
    }
    if (!overview || overview.total === 0) return;
    // The rest after the first screen is on the glass.
    await afterFirstFrame();
    mark('first-frame');
    if (gen !== this.#gen) return;
    try {
      await this.#readList(gen, overview);
      mark('list');
    } catch {
      // Keep the overview; the next change event tries again.
    }
  }

  /** Asks the keychain whether secrets can be stored; the rail and Settings show the answer when it comes. */
  async checkKeychain(): Promise<void> {
    try {
      this.keychain = await api.keychainStatus();
    } catch (e) {
      this.keychain = { ok: false, message: api.parseError(e).message };
    }
  }

  /**
   * Reads the list in pages. While the first screen waits for it (partial),
   * each page shows as it comes; a refresh keeps the list it has until the
   * new one is whole.
   */
  async #readList(gen: number, overview: ConnectionsOverview): Promise<void> {
    const items: ConnectionSummary[] = [];
    let cursor = '';
    do {
      const page = await api.listConnectionSummaries(cursor, SUMMARY_PAGE);
      if (gen !== this.#gen) return;
      for (const c of page.items ?? []) items.push(c);
      cursor = page.next;
      if (this.partial && cursor) this.connections = items.slice();
    } while (cursor);
    this.overview = overview;
    this.connections = items;
    this.partial = false;
    if (this.editing) {
      const fresh = items.find((c) => c.id === this.editing?.id);
      if (fresh) this.editing = { ...this.editing, ...fresh };
    }
  }

  /** Reloads the overview and the list; bursts of change events become at most one more reload (see coalesced). */
  refreshConnections = coalesced(async () => {
    const gen = ++this.#gen;
    const overview = await api.connectionsOverview();
    if (gen !== this.#gen) return;
    if (this.partial) this.overview = overview;
    this.chosen = { ...chosenOf(overview), ...this.#chosenHere };
    await this.#readList(gen, overview);
  });

  async refreshConnectors(): Promise<void> {
    this.connectors = await api.listConnectors();
  }

  /**
   * Reads the whole connection the editor opens (the lists hold summaries);
   * null when it is gone.
   */
  async openEditing(id: string): Promise<ConnectionDTO | null> {
    try {
      const c = await api.getConnection(id);
      this.editing = c;
      return c;
    } catch (e) {
      const err = api.parseError(e);
      if (err.code === 'not_found') {
        this.remove(id);
        return null;
      }
      throw err;
    }
  }

  /** A connection of the list, or one a card shows before the list is here; null when unknown. */
  find(id: string): ConnectionSummary | null {
    return (
      this.connections.find((c) => c.id === id) ??
      this.overview?.connectors?.find((o) => o.shown.id === id)?.shown ??
      null
    );
  }

  /** Puts a saved or re-tested connection in place without waiting for the event. */
  upsert(c: ConnectionSummary | ConnectionDTO): void {
    const s = summaryOf(c);
    const i = this.connections.findIndex((x) => x.id === c.id);
    const next = this.connections.slice();
    if (i >= 0) next[i] = s;
    else next.push(s);
    this.connections = next;
    if (this.editing?.id === c.id) this.editing = 'settings' in c ? c : { ...this.editing, ...s };
    if (this.overview?.connectors?.some((o) => o.shown.id === c.id)) {
      this.overview = {
        ...this.overview,
        connectors: (this.overview.connectors ?? []).map((o) => (o.shown.id === c.id ? { ...o, shown: s } : o)),
      };
    }
  }

  remove(id: string): void {
    this.connections = this.connections.filter((c) => c.id !== id);
    if (this.editing?.id === id) this.editing = null;
    this.deleted.add(id);
  }

  /**
   * Undo of a delete: Go brings the connection back (same secrets, same
   * log); it is listed again at once. Throws an ApiError (not_found once
   * the delete is final).
   */
  async undoDelete(id: string): Promise<ConnectionDTO> {
    const c = await api.undoDeleteConnection(id);
    this.deleted.delete(id);
    this.upsert(c);
    void this.refreshConnections();
    return c;
  }

  /** Choices made in this session, so an overview read before Go stored one cannot undo it. */
  #chosenHere: Record<string, string> = {};

  /**
   * The user chose a connection in a card's dropdown: the card keeps it
   * (now, and from the first screen of the next start). Storing it is best
   * effort: a failure costs only the next start's pick.
   */
  async choose(connectorId: string, connectionId: string): Promise<void> {
    this.#chosenHere[connectorId] = connectionId;
    this.chosen[connectorId] = connectionId;
    try {
      await api.chooseShownConnection(connectorId, connectionId);
    } catch {
      // The card shows it all the same; only a restart forgets it.
    }
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
      const c = this.find(id);
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
      const c = this.find(id);
      // The values it remembers are in the whole connection, not in the list.
      const remembered = await api.getConnection(id).then(
        (full) => full.parameters ?? {},
        () => ({}),
      );
      const answer = await parameters.ask({
        names: err.names,
        subject: c ? `“${environmentAndName(c)}”` : 'This connection',
        known: { ...remembered, ...known },
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

/** The connections the user chose on cards, by connector id, as an overview says. */
function chosenOf(o: ConnectionsOverview): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of o.connectors ?? []) if (line.chosen) out[line.connectorId] = line.shown.id;
  return out;
}

export const appData = new AppData();
