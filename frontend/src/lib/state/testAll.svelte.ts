// Test all: every connection of the workspace verified in Go (four at a time),
// its progress ("12 of 40") from testall:progress events, Cancel, and at the
// end a summary by status with the connections that need attention.

import * as api from '../api';
import { normalizeStatus, STATUS_WORDS } from '../status';
import type { BatchResultDTO, ConnectionDTO, TestAllProgressEvent } from '../types';
import { appData, summaryOf as listed } from './connections.svelte';

/** One connection that did not come out Connected, or could not be tested. */
export interface TestAllFailure {
  connection: ConnectionDTO;
  /** Its status after the test; "error" when it could not be tested. */
  status: string;
  /** Why: the diagnosis, or why it could not be tested. */
  why: string;
}

export interface TestAllSummary {
  total: number;
  /** Tested connections by status ("connected", "disconnected", …). */
  byStatus: Record<string, number>;
  failures: TestAllFailure[];
  /** Connections a Cancel left untested. */
  canceled: number;
}

/** The order statuses are listed in: what needs attention first. */
export const STATUS_ORDER = ['disconnected', 'unreachable', 'limited', 'error', 'unverified', 'connected'];

/** "3 Disconnected", "1 could not be tested". */
export function statusCount(status: string, n: number): string {
  const count = n.toLocaleString();
  if (status === 'error') return `${count} could not be tested`;
  return `${count} ${STATUS_WORDS[normalizeStatus(status)]}`;
}

/** How often live status changes are put into the connection list. */
const FLUSH_MS = 200;

export function failureOf(e: TestAllProgressEvent): TestAllFailure {
  return {
    connection: e.connection,
    status: e.error ? 'error' : e.connection.status,
    why: e.error || e.connection.diagnosis || 'Not connected.',
  };
}

export function summaryOf(r: BatchResultDTO): TestAllSummary {
  const failures = (r.failed ?? []).map(failureOf);
  const byStatus: Record<string, number> = { ...(r.byStatus ?? {}) };
  const errors = failures.filter((f) => f.status === 'error').length;
  if (errors > 0) byStatus.error = errors;
  return { total: r.total, byStatus, failures, canceled: r.canceled };
}

class TestAll {
  running = $state(false);
  batchId = $state('');
  done = $state(0);
  total = $state(0);
  canceling = $state(false);
  summary: TestAllSummary | null = $state(null);
  error = $state('');
  /** The workspace the batch tests (progress of another is not this window's). */
  #workspaceId = '';
  #pending = new Map<string, ConnectionDTO>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** 0–100, for the progress bar. */
  percent = $derived(this.total > 0 ? Math.min(100, Math.round((this.done / this.total) * 100)) : 0);

  async start(): Promise<void> {
    if (this.running) return;
    const batchId = api.newRunId();
    this.batchId = batchId;
    this.running = true;
    this.canceling = false;
    this.done = 0;
    this.total = appData.total;
    this.summary = null;
    this.error = '';
    this.#workspaceId = appData.info?.workspaceId ?? '';
    const off = api.onTestAllProgress((e) => this.#progress(e));
    try {
      const r = await api.testAllConnections(batchId);
      if (this.batchId !== batchId) return; // reset meanwhile (a workspace switch)
      this.summary = summaryOf(r);
      this.total = r.total;
    } catch (e) {
      if (this.batchId === batchId) this.error = api.parseError(e).message;
    } finally {
      off();
      if (this.batchId === batchId) {
        this.#flush();
        this.running = false;
        this.canceling = false;
        void appData.refreshConnections();
      }
    }
  }

  async cancel(): Promise<void> {
    if (!this.running || this.canceling) return;
    this.canceling = true;
    try {
      await api.cancelRun(this.batchId);
    } catch (e) {
      this.canceling = false;
      this.error = api.parseError(e).message;
    }
  }

  /** Forgets the summary (the user closed it). */
  dismiss(): void {
    if (this.running) return;
    this.summary = null;
    this.error = '';
  }

  /** The window shows workspace id: a batch of another one is stopped and forgotten. */
  followWorkspace(id: string): void {
    if (this.batchId !== '' && this.#workspaceId !== id) this.reset();
  }

  /** Stops a running batch and forgets its results. */
  reset(): void {
    if (this.running) void api.cancelRun(this.batchId).catch(() => {});
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending.clear();
    this.batchId = '';
    this.running = false;
    this.canceling = false;
    this.done = 0;
    this.total = 0;
    this.summary = null;
    this.error = '';
  }

  #progress(e: TestAllProgressEvent): void {
    if (e.batchId !== this.batchId) return;
    // Events may arrive out of order: the count only grows.
    this.done = Math.max(this.done, e.done);
    if (e.total > 0) this.total = e.total;
    if (this.#workspaceId && e.connection.workspaceId !== this.#workspaceId) return;
    // Badges follow as results come in, a few times a second rather than per
    // event: 1,000 connections would otherwise re-sort the list 1,000 times.
    this.#pending.set(e.connection.id, e.connection);
    this.#timer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.size === 0) return;
    const updates = this.#pending;
    this.#pending = new Map();
    appData.connections = appData.connections.map((c) => {
      const u = updates.get(c.id);
      return u ? listed(u) : c;
    });
  }
}

export const testAll = new TestAll();
