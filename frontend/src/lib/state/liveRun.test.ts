import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIVE_CHUNK_LIMIT, LiveRun } from './liveRun.svelte';
import { LiveStreams, MAX_ARRIVING } from './liveStreams.svelte';
import type { Exchange, VerificationDTO } from '../types';

type Handler = (...data: unknown[]) => void;

let handlers: Map<string, Handler[]>;
let canceled: string[];

function emit(name: string, payload: unknown): void {
  for (const h of handlers.get(name) ?? []) h(payload);
}

function exchange(id: string, runId: string): Exchange {
  return { id, runId, url: `https://api.test/${id}`, method: 'GET', status: 200 } as Exchange;
}

function verification(runId: string, exchanges: Exchange[]): VerificationDTO {
  return {
    runId,
    status: 'connected',
    code: 'ok',
    summary: 'Accepted.',
    advice: '',
    identity: 'ada',
    httpStatus: 200,
    durationMs: 12,
    checkedAt: '',
    exchanges,
  };
}

beforeEach(() => {
  handlers = new Map();
  canceled = [];
  (window as { runtime?: unknown }).runtime = {
    EventsOnMultiple: (name: string, cb: Handler) => {
      handlers.set(name, [...(handlers.get(name) ?? []), cb]);
      return () => handlers.set(name, (handlers.get(name) ?? []).filter((h) => h !== cb));
    },
  };
  (window as { go?: unknown }).go = {
    services: { ConnectionService: { CancelRun: (id: string) => (canceled.push(id), Promise.resolve()) } },
  };
});

afterEach(() => {
  delete (window as { runtime?: unknown }).runtime;
  delete (window as { go?: unknown }).go;
});

/** Starts a run whose verification stays pending until finish is called. */
function start(run: LiveRun): { runId: string; finish: (v: VerificationDTO) => void; done: Promise<unknown> } {
  let finish: (v: VerificationDTO) => void = () => {};
  let runId = '';
  const done = run.run(
    (id) => {
      runId = id;
      return new Promise<VerificationDTO>((r) => (finish = r));
    },
    (v) => v,
  );
  return { runId, finish: (v) => finish(v), done };
}

describe('LiveRun', () => {
  it('collects only its own run’s exchanges while running, then takes the final list', async () => {
    const run = new LiveRun();
    const { runId, finish, done } = start(run);
    expect(run.running).toBe(true);
    emit('verify:exchange', { runId, exchange: exchange('a', runId) });
    emit('verify:exchange', { runId: 'someone-else', exchange: exchange('z', 'someone-else') });
    emit('verify:exchange', { runId, exchange: exchange('b', runId) });
    emit('verify:exchange', { runId, exchange: { ...exchange('b', runId), status: 201 } });
    expect(run.exchanges.map((x) => x.id)).toEqual(['a', 'b']);
    expect(run.exchanges[1]?.status).toBe(201);

    finish(verification(runId, [exchange('a', runId), exchange('b', runId), exchange('c', runId)]));
    await done;
    expect(run.running).toBe(false);
    expect(run.result?.status).toBe('connected');
    expect(run.exchanges.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    // Unsubscribed: late events change nothing.
    emit('verify:exchange', { runId, exchange: exchange('late', runId) });
    expect(run.exchanges).toHaveLength(3);
    expect(handlers.get('verify:exchange')).toHaveLength(0);
  });

  it('cancel calls CancelRun with the run id and a canceled rejection reads as canceled, not an error', async () => {
    const run = new LiveRun();
    let reject: (e: unknown) => void = () => {};
    let runId = '';
    const done = run.run(
      (id) => {
        runId = id;
        return new Promise<VerificationDTO>((_, rj) => (reject = rj));
      },
      (v) => v,
    );
    await run.cancel();
    expect(canceled).toEqual([runId]);
    reject('{"code":"canceled","message":"The test was canceled."}');
    await expect(done).resolves.toBeNull();
    expect(run.canceled).toBe(true);
    expect(run.error).toBeNull();
    expect(run.running).toBe(false);
  });

  it('keeps a coded error for the UI', async () => {
    const run = new LiveRun();
    await run.run(
      () => Promise.reject('{"code":"validation","message":"Base URL is required.","field":"baseUrl"}'),
      (v: VerificationDTO) => v,
    );
    expect(run.error?.code).toBe('validation');
    expect(run.error?.field).toBe('baseUrl');
    expect(run.canceled).toBe(false);
  });

  it('uses a fresh run id each time', async () => {
    const run = new LiveRun();
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      await run.run(
        (id) => (ids.push(id), Promise.resolve(verification(id, []))),
        (v) => v,
      );
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[0]).toMatch(/^[0-9a-f-]{32,36}$/);
  });

  it('shows a streamed answer’s events as they arrive, newest kept, until its exchange is recorded', async () => {
    const run = new LiveRun();
    const { runId, finish, done } = start(run);
    const chunk = (i: number) => ({ offsetMs: i * 10, size: 12, data: `data: tick ${i}\n\n` });
    emit('verify:chunk', { runId, exchangeId: 'sse', connectionId: 'c1', chunk: chunk(1) });
    emit('verify:chunk', { runId: 'another-run', exchangeId: 'x', connectionId: 'c2', chunk: chunk(99) });
    expect(run.stream?.exchangeId).toBe('sse');
    expect(run.stream?.chunks.map((c) => c.data)).toEqual(['data: tick 1\n\n']);
    for (let i = 2; i <= LIVE_CHUNK_LIMIT + 10; i++) emit('verify:chunk', { runId, exchangeId: 'sse', connectionId: 'c1', chunk: chunk(i) });
    expect(run.stream?.total).toBe(LIVE_CHUNK_LIMIT + 10);
    expect(run.stream?.chunks).toHaveLength(LIVE_CHUNK_LIMIT);
    expect(run.stream?.chunks[0]?.data).toBe('data: tick 11\n\n');

    emit('verify:exchange', { runId, exchange: exchange('sse', runId) });
    expect(run.stream, 'the recorded exchange shows its events itself').toBeNull();
    finish(verification(runId, []));
    await done;
    expect(handlers.get('verify:chunk')).toHaveLength(0);
  });
});

describe('LiveStreams (the log page)', () => {
  it('follows each arriving answer by its exchange until the log stores it, a few at a time', () => {
    const streams = new LiveStreams();
    const stop = streams.start();
    const chunk = { offsetMs: 5, size: 3, data: 'hi\n' };
    emit('verify:chunk', { runId: 'r1', exchangeId: 'e1', connectionId: 'c1', chunk });
    emit('verify:chunk', { runId: 'r1', exchangeId: 'e1', connectionId: 'c1', chunk });
    emit('verify:chunk', { runId: 'r2', exchangeId: 'e2', connectionId: 'c2', chunk });
    expect(streams.list.map((s) => [s.exchangeId, s.connectionId, s.total])).toEqual([
      ['e1', 'c1', 2],
      ['e2', 'c2', 1],
    ]);
    streams.stored('e1'); // the log view heard log:exchange for it
    expect(streams.list.map((s) => s.exchangeId)).toEqual(['e2']);
    for (let i = 0; i < MAX_ARRIVING + 2; i++) emit('verify:chunk', { runId: 'r', exchangeId: `n${i}`, connectionId: 'c', chunk });
    expect(streams.list).toHaveLength(MAX_ARRIVING);
    stop();
    expect(streams.list).toEqual([]);
    expect(handlers.get('verify:chunk')).toHaveLength(0);
  });
});
