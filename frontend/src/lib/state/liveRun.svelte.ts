// One test run as the UI follows it: a run id to cancel by, the exchanges Go
// reports while it runs (verify:exchange), then the final verification.

import { ApiError, cancelRun, newRunId, onChunk, onExchange, parseError } from '../api';
import { runResults } from './runs.svelte';
import type { Chunk, Exchange, VerificationDTO } from '../types';

/**
 * How many streamed events a running test keeps on screen: the newest, so an
 * endless stream cannot grow the page; the log keeps what was recorded.
 */
export const LIVE_CHUNK_LIMIT = 500;

/** The events of a streamed answer as they arrive, before its exchange is recorded. */
export interface LiveStream {
  exchangeId: string;
  /** The newest LIVE_CHUNK_LIMIT events, oldest first. */
  chunks: Chunk[];
  /** Events that arrived in all, counting those no longer kept. */
  total: number;
}

/** Adds an event to a live stream, keeping only the newest LIVE_CHUNK_LIMIT. */
export function appendChunk(stream: LiveStream, chunk: Chunk): void {
  stream.chunks.push(chunk);
  if (stream.chunks.length > LIVE_CHUNK_LIMIT) stream.chunks.splice(0, stream.chunks.length - LIVE_CHUNK_LIMIT);
  stream.total++;
}

export class LiveRun {
  runId = $state('');
  running = $state(false);
  /** When the run started (Date.now()), for the seconds counted beside Cancel. */
  startedAt = $state(0);
  exchanges: Exchange[] = $state([]);
  result: VerificationDTO | null = $state(null);
  canceled = $state(false);
  error: ApiError | null = $state(null);
  /** The streamed answer arriving now (verify:chunk), until its exchange is recorded. */
  stream: LiveStream | null = $state(null);
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
    this.startedAt = Date.now();
    this.running = true;
    this.canceled = false;
    this.error = null;
    this.result = null;
    this.exchanges = [];
    this.stream = null;
    const offExchange = onExchange((ev) => {
      if (ev.runId !== runId || !this.running) return;
      const i = this.exchanges.findIndex((x) => x.id === ev.exchange.id);
      if (i >= 0) this.exchanges[i] = ev.exchange;
      else this.exchanges.push(ev.exchange);
      // Recorded: its exchange now shows every kept event itself.
      if (this.stream?.exchangeId === ev.exchange.id) this.stream = null;
    });
    const offChunk = onChunk((ev) => {
      if (ev.runId !== runId || !this.running) return;
      if (this.stream?.exchangeId !== ev.exchangeId) this.stream = { exchangeId: ev.exchangeId, chunks: [], total: 0 };
      appendChunk(this.stream, ev.chunk);
    });
    this.off = () => {
      offExchange();
      offChunk();
    };
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
        this.stream = null;
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
    this.stream = null;
  }

  private stop(): void {
    this.off?.();
    this.off = null;
  }
}
