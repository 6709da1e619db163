// Streamed answers arriving while the connection log is open: a test with
// "Stream the response" sends its events (verify:chunk) long before its
// exchange is stored and listed, so the log shows them live above the list
// until the exchange itself arrives (log:exchange, which the log view hears
// and passes on through stored()).

import * as api from '../api';
import { appendChunk, type LiveStream } from './liveRun.svelte';

/** A streamed answer on its way into the log. */
export interface ArrivingStream extends LiveStream {
  runId: string;
  connectionId: string;
}

/** At most this many answers are followed at once; an older one gives way. */
export const MAX_ARRIVING = 5;

export class LiveStreams {
  list: ArrivingStream[] = $state([]);
  private off: (() => void) | null = null;

  /** Starts following (the log page opened); the returned function stops. */
  start(): () => void {
    if (!this.off) this.off = api.onChunk((ev) => this.receive(ev.runId, ev.connectionId, ev.exchangeId, ev.chunk));
    return () => {
      this.off?.();
      this.off = null;
      this.list = [];
    };
  }

  receive(runId: string, connectionId: string, exchangeId: string, chunk: ArrivingStream['chunks'][number]): void {
    if (!this.list.some((x) => x.exchangeId === exchangeId)) {
      this.list.push({ runId, connectionId, exchangeId, chunks: [], total: 0 });
      if (this.list.length > MAX_ARRIVING) this.list.splice(0, this.list.length - MAX_ARRIVING);
    }
    // The proxied entry in the list, so the page sees each event.
    const s = this.list.find((x) => x.exchangeId === exchangeId);
    if (s) appendChunk(s, chunk);
  }

  /** The exchange was stored: the list shows it now, with every kept event. */
  stored(exchangeId: string): void {
    const i = this.list.findIndex((x) => x.exchangeId === exchangeId);
    if (i >= 0) this.list.splice(i, 1);
  }
}

export const liveStreams = new LiveStreams();
