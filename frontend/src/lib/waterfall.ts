// The timing waterfall of one exchange. Go reports DNS, connect and TLS as
// durations, "wrote" and "first byte" as offsets from the start, and download
// from the first byte to the end (connlog.Timings). This lays them out on one
// time axis, every bar to scale, clamped so rounding can never make a phase
// start before the previous one ends.

import type { Timings } from './types';

export type PhaseKey = 'dns' | 'connect' | 'tls' | 'send' | 'wait' | 'download';

export interface Phase {
  key: PhaseKey;
  label: string;
  /** Offset from the start, ms. */
  start: number;
  /** Duration, ms. */
  ms: number;
  /** Position and size on the axis, percent of the total. */
  left: number;
  width: number;
  /** Why the phase did not happen ("reused connection", "plain HTTP", …); "" when it did. */
  skipped: string;
}

export interface Waterfall {
  phases: Phase[];
  total: number;
}

const labels: Record<PhaseKey, string> = {
  dns: 'DNS lookup',
  connect: 'TCP connect',
  tls: 'TLS handshake',
  send: 'Request sent',
  wait: 'Waiting (TTFB)',
  download: 'Download',
};

function pos(n: number | undefined): number {
  return Number.isFinite(n) && (n as number) > 0 ? (n as number) : 0;
}

/**
 * Lays out the phases. reused says a kept-alive connection was used (no DNS,
 * connect or TLS); secure says the URL was https (else TLS is "plain HTTP").
 */
export function waterfall(t: Timings | null | undefined, opts: { reused?: boolean; secure?: boolean } = {}): Waterfall {
  if (!t) return { phases: [], total: 0 };
  const dnsEnd = pos(t.dnsMs);
  const connectEnd = dnsEnd + pos(t.connectMs);
  const tlsEnd = connectEnd + pos(t.tlsMs);
  const wrote = t.wroteMs > 0 ? Math.max(tlsEnd, t.wroteMs) : tlsEnd;
  const firstByte = t.firstByteMs > 0 ? Math.max(wrote, t.firstByteMs) : 0;
  const total = Math.max(pos(t.totalMs), firstByte, wrote);
  if (!(total > 0)) return { phases: [], total: 0 };

  const spans: [PhaseKey, number, number][] = [
    ['dns', 0, dnsEnd],
    ['connect', dnsEnd, connectEnd],
    ['tls', connectEnd, tlsEnd],
    ['send', tlsEnd, t.wroteMs > 0 ? wrote : tlsEnd],
  ];
  if (firstByte > 0) {
    spans.push(['wait', wrote, firstByte], ['download', firstByte, total]);
  } else if (t.wroteMs > 0) {
    // Sent, but no answer came: the rest was waiting (until the error or timeout).
    spans.push(['wait', wrote, total], ['download', total, total]);
  } else {
    spans.push(['wait', tlsEnd, tlsEnd], ['download', tlsEnd, tlsEnd]);
  }

  const phases = spans.map(([key, from, to]): Phase => {
    const ms = Math.max(0, to - from);
    let skipped = '';
    if (ms === 0) {
      if (opts.reused && (key === 'dns' || key === 'connect' || key === 'tls')) skipped = 'reused';
      else if (key === 'tls' && opts.secure === false) skipped = 'plain HTTP';
      else if (key === 'dns' && pos(t.connectMs) > 0) skipped = 'no lookup';
    }
    return {
      key,
      label: labels[key],
      start: from,
      ms,
      left: (from / total) * 100,
      width: (ms / total) * 100,
      skipped,
    };
  });
  return { phases, total };
}

/** Round figures for the axis under the bars: 0, the middle and the total. */
export function axisTicks(total: number): number[] {
  if (!(total > 0)) return [];
  return [0, total / 2, total];
}
