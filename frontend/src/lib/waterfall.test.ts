import { describe, expect, it } from 'vitest';
import type { Timings } from './types';
import { axisTicks, waterfall } from './waterfall';

const t = (o: Partial<Timings>): Timings => ({
  dnsMs: 0,
  connectMs: 0,
  tlsMs: 0,
  wroteMs: 0,
  firstByteMs: 0,
  downloadMs: 0,
  totalMs: 0,
  ...o,
});

function spans(w: ReturnType<typeof waterfall>) {
  return Object.fromEntries(w.phases.map((p) => [p.key, [p.start, p.ms]]));
}

describe('waterfall', () => {
  it('puts the phases of a fresh HTTPS exchange end to end, to scale', () => {
    const w = waterfall(t({ dnsMs: 10, connectMs: 20, tlsMs: 30, wroteMs: 62, firstByteMs: 150, downloadMs: 50, totalMs: 200 }));
    expect(w.total).toBe(200);
    expect(spans(w)).toEqual({
      dns: [0, 10],
      connect: [10, 20],
      tls: [30, 30],
      send: [60, 2],
      wait: [62, 88],
      download: [150, 50],
    });
    const tls = w.phases.find((p) => p.key === 'tls');
    expect(tls?.left).toBe(15);
    expect(tls?.width).toBe(15);
    // Bars never overlap and together never pass the total.
    expect(w.phases.reduce((s, p) => s + p.width, 0)).toBeCloseTo(100);
    for (let i = 1; i < w.phases.length; i++) {
      const prev = w.phases[i - 1]!;
      expect(w.phases[i]!.start).toBeGreaterThanOrEqual(prev.start + prev.ms - 1e-9);
    }
  });

  it('says why connection phases are empty on a reused connection and on plain HTTP', () => {
    const reused = waterfall(t({ wroteMs: 1, firstByteMs: 9, totalMs: 10 }), { reused: true, secure: true });
    expect(reused.phases.slice(0, 3).map((p) => p.skipped)).toEqual(['reused', 'reused', 'reused']);
    expect(spans(reused).send).toEqual([0, 1]);

    const plain = waterfall(t({ dnsMs: 1, connectMs: 2, wroteMs: 4, firstByteMs: 8, totalMs: 9 }), { secure: false });
    expect(plain.phases.find((p) => p.key === 'tls')?.skipped).toBe('plain HTTP');
  });

  it('clamps offsets that rounding put before the end of the handshake', () => {
    const w = waterfall(t({ dnsMs: 5, connectMs: 5, tlsMs: 5, wroteMs: 14.9, firstByteMs: 14, totalMs: 12 }));
    expect(spans(w).send).toEqual([15, 0]);
    expect(spans(w).wait).toEqual([15, 0]);
    expect(w.total).toBe(15);
    expect(w.phases.every((p) => p.ms >= 0 && p.left + p.width <= 100 + 1e-9)).toBe(true);
  });

  it('counts time after sending as waiting when no answer came (a timeout)', () => {
    const w = waterfall(t({ dnsMs: 1, connectMs: 1, wroteMs: 3, totalMs: 5000 }));
    expect(spans(w).wait).toEqual([3, 4997]);
    expect(spans(w).download).toEqual([5000, 0]);
  });

  it('shows no send, wait or download when the request was never written (connection refused)', () => {
    const w = waterfall(t({ dnsMs: 2, connectMs: 3, totalMs: 5 }));
    expect(spans(w)).toMatchObject({ dns: [0, 2], connect: [2, 3], send: [5, 0], wait: [5, 0], download: [5, 0] });
  });

  it('has nothing to draw without timings', () => {
    expect(waterfall(null).phases).toEqual([]);
    expect(waterfall(t({})).phases).toEqual([]);
    expect(axisTicks(0)).toEqual([]);
    expect(axisTicks(80)).toEqual([0, 40, 80]);
  });
});
