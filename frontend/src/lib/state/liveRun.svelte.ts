// One test run as the UI follows it: a run id to cancel by, the exchanges Go
// reports while it runs (verify:exchange), then the final verification.

import { ApiError, cancelRun, newRunId, onExchange, parseError } from '../api';
import { runResults } from './runs.svelte';
import type { Exchange, VerificationDTO } from '../types';

export class LiveRun {
  runId = $state('');
  running = $state(false);
  exchanges: Exchange[] = $state([]);
  result: VerificationDTO | null = $state(null);
  canceled = $state(false);
  error: ApiError | null = $state(null);
  private off: (() => void) | null = null;

  /**
   * Runs fn with a fresh run id, collecting its exchanges as they arrive.
   * Returns fn's value, or null when the run failed or was canceled (see
   * error and canceled).
   */
  async run<T>(fn: (runId: string) => Promise<T>, verification: (value: T) => VerificationDTO | null): Promise<T | null> {
    this.stop();
    const runId = newRunId();
    this.runId = runId;
    this.running = true;
    this.canceled = false;
    this.error = null;
    this.result = null;
    this.exchanges = [];
    this.off = onExchange((ev) => {
      if (ev.runId !== runId || !this.running) return;
      const i = this.exchanges.findIndex((x) => x.id === ev.exchange.id);
      if (i >= 0) this.exchanges[i] = ev.exchange;
      else this.exchanges.push(ev.exchange);
    });
    try {
      const value = await fn(runId);
      if (this.runId !== runId) return null; // superseded by a newer run
      const v = verification(value);
      // A cancel that lost the race to the result: show the result.
      this.canceled = v?.code === 'canceled';
      if (v) {
        runResults.record(v);
        this.result = v;
        if (v.exchanges && v.exchanges.length > 0) this.exchanges = v.exchanges;
      }
      return value;
    } catch (e) {
      if (this.runId !== runId) return null;
      const err = parseError(e);
      if (err.code === 'canceled') this.canceled = true;
      else this.error = err;
      return null;
    } finally {
      if (this.runId === runId) {
        this.running = false;
        this.off?.();
        this.off = null;
      }
    }
  }

  /** Asks Go to stop the run; the pending call then rejects with "canceled". */
  async cancel(): Promise<void> {
    if (!this.running) return;
    this.canceled = true;
    try {
      await cancelRun(this.runId);
    } catch {
      // The run may have just finished; its result still arrives.
    }
  }

  /** Forgets the run (the editor closed). Cancels it if still going. */
  dispose(): void {
    if (this.running) void cancelRun(this.runId).catch(() => {});
    this.stop();
    this.running = false;
  }

  clear(): void {
    this.result = null;
    this.error = null;
    this.canceled = false;
    this.exchanges = [];
  }

  private stop(): void {
    this.off?.();
    this.off = null;
  }
}
