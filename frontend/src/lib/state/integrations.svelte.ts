// The current workspace's integrations, refreshed when Go says they changed
// (or when a connection they use changed its status), and Test both as the
// page follows it: a spinner per side, the requests each side has sent, then
// each side's result.

import * as api from '../api';
import { coalesced } from '../coalesce';
import { collator } from '../collate';
import type { IntegrationDraft, IntegrationDTO, Role, VerificationDTO } from '../types';
import { appData } from './connections.svelte';
import { runResults } from './runs.svelte';

/** One side of a Test both run. */
export interface SideRun {
  running: boolean;
  /** Exchanges the side has sent so far (verify:exchange). */
  requests: number;
  verification: VerificationDTO | null;
  /** Why the side could not be tested ("" when it was). */
  error: string;
  errorCode: string;
}

/** A Test both run of one integration. */
export interface TestBothRun {
  runId: string;
  running: boolean;
  sides: Record<Role, SideRun>;
  /** The whole call failed (the integration is gone, …); "" when it did not. */
  error: string;
}

function sideRun(running: boolean): SideRun {
  return { running, requests: 0, verification: null, error: '', errorCode: '' };
}

function byName(a: IntegrationDTO, b: IntegrationDTO): number {
  return collator.compare(a.name, b.name);
}

class Integrations {
  list: IntegrationDTO[] = $state([]);
  loading = $state(true);
  loadError = $state('');
  /** Integration ids whose sides are being tested right now. */
  testing: Record<string, boolean> = $state({});
  /** The last Test both of each integration this session, by integration id. */
  runs: Record<string, TestBothRun> = $state({});

  byId = $derived(new Map(this.list.map((i) => [i.id, i])));

  private unsubscribe: (() => void)[] = [];
  /** Each fetch of the list is numbered; an older answer never replaces a newer one. */
  #asked = 0;
  #applied = 0;

  async #fetch(): Promise<void> {
    const n = ++this.#asked;
    const list = await api.listIntegrations();
    if (n < this.#applied) return;
    this.#applied = n;
    this.list = list;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      await this.#fetch();
      this.loadError = '';
    } catch (e) {
      this.loadError = api.parseError(e).message;
    } finally {
      this.loading = false;
    }
    if (this.unsubscribe.length === 0) {
      const refresh = (): void => void this.refresh();
      this.unsubscribe = [api.onIntegrationsChanged(refresh), api.onConnectionsChanged(refresh)];
    }
  }

  /**
   * Reloads the list. Changes come in bursts (Test both says both
   * integrations:changed and connections:changed): see coalesced.
   */
  refresh = coalesced(() => this.#fetch());

  upsert(v: IntegrationDTO): void {
    const i = this.list.findIndex((x) => x.id === v.id);
    if (i >= 0 && this.list[i]?.name === v.name) this.list[i] = v;
    else this.list = [...this.list.filter((x) => x.id !== v.id), v].sort(byName);
  }

  remove(id: string): void {
    this.list = this.list.filter((i) => i.id !== id);
    delete this.runs[id];
  }

  /** Creates or updates one; throws an ApiError whose field names the input at fault. */
  async save(draft: IntegrationDraft): Promise<IntegrationDTO> {
    const v = await api.saveIntegration(draft);
    this.upsert(v);
    return v;
  }

  /** Deletes one (its connections stay); throws an ApiError. */
  async delete(id: string): Promise<void> {
    await api.deleteIntegration(id);
    this.remove(id);
  }

  /**
   * Test both: verifies the two sides at once. Each side counts the requests
   * it sends while it runs and keeps its verification (or why it could not
   * be tested) afterwards; the sides' connections say Checking… everywhere
   * meanwhile. A run already going for the integration is left alone.
   */
  async test(id: string): Promise<TestBothRun | null> {
    if (this.runs[id]?.running) return null;
    const runId = api.newRunId();
    const sides = this.byId.get(id)?.sides ?? [];
    const checking = sides.map((s) => s.connection?.id ?? '').filter((c) => c !== '' && !appData.checking[c]);
    this.runs[id] = {
      runId,
      running: true,
      error: '',
      sides: {
        source: sideRun(sides.some((s) => s.role === 'source' && s.connection)),
        destination: sideRun(sides.some((s) => s.role === 'destination' && s.connection)),
      },
    };
    this.testing[id] = true;
    for (const c of checking) appData.checking[c] = true;
    const off = api.onExchange((ev) => {
      const run = this.runs[id];
      if (!run?.running) return;
      for (const role of ['source', 'destination'] as const) {
        if (ev.runId === `${runId}:${role}`) run.sides[role].requests++;
      }
    });
    try {
      const r = await api.testIntegration(id, runId);
      const run = this.runs[id];
      if (run?.runId !== runId) return null;
      for (const s of r.sides ?? []) {
        if (s.role !== 'source' && s.role !== 'destination') continue;
        runResults.record(s.verification);
        run.sides[s.role] = {
          ...run.sides[s.role],
          running: false,
          verification: s.verification ?? null,
          error: s.error,
          errorCode: s.errorCode,
        };
      }
      this.upsert(r.integration);
      void appData.refreshConnections();
      return run;
    } catch (e) {
      const run = this.runs[id];
      if (run?.runId === runId) run.error = api.parseError(e).message;
      return run ?? null;
    } finally {
      off();
      const run = this.runs[id];
      if (run?.runId === runId) {
        run.running = false;
        run.sides.source.running = false;
        run.sides.destination.running = false;
      }
      delete this.testing[id];
      for (const c of checking) delete appData.checking[c];
    }
  }
}

export const integrations = new Integrations();
