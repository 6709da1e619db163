import { waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerConnections, connection } from '../../test/connections';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import type { AppInfoDTO, ConnectionDTO } from '../types';
import { appData } from './connections.svelte';
import { summaryOf, testAll } from './testAll.svelte';

let go: FakeWails;

function progress(done: number, total: number, c: ConnectionDTO, error = '') {
  go.emit('testall:progress', { batchId: testAll.batchId, done, total, connection: c, error });
}

beforeEach(() => {
  go = installFakeWails();
  answerConnections(go, () => appData.connections);
  go.answer('CancelRun', () => undefined);
  appData.info = { workspaceId: 'w1', workspaceName: 'Personal' } as AppInfoDTO;
  appData.connections = ['a', 'b', 'c'].map((id) => connection(id, { status: 'unverified' }));
});

afterEach(() => {
  testAll.reset();
  go.uninstall();
  appData.connections = [];
  appData.info = null;
});

describe('Test all', () => {
  it('counts "done of total" from progress events, never backwards, and puts statuses in the list as they come', async () => {
    const run = testAll.start();
    expect(testAll.running).toBe(true);
    expect(testAll.total).toBe(3);
    const call = go.pendingCall('TestAllConnections');
    expect(call.args[0]).toBe(testAll.batchId);

    progress(2, 3, connection('b', { status: 'disconnected', diagnosis: 'Rejected (401).' }));
    progress(1, 3, connection('a', { status: 'connected' })); // out of order
    expect(testAll.done).toBe(2);
    expect(testAll.percent).toBe(67);
    // Another batch's events are not ours.
    go.emit('testall:progress', { batchId: 'other', done: 3, total: 3, connection: connection('c'), error: '' });
    expect(testAll.done).toBe(2);

    await waitFor(() => expect(appData.connections.find((c) => c.id === 'b')?.status).toBe('disconnected'));
    expect(appData.connections.find((c) => c.id === 'a')?.status).toBe('connected');
    expect(appData.connections.find((c) => c.id === 'c')?.status).toBe('unverified');

    call.resolve({
      total: 3,
      byStatus: { connected: 1, disconnected: 1 },
      failed: [
        { batchId: testAll.batchId, done: 2, total: 3, connection: connection('b', { status: 'disconnected', diagnosis: 'Rejected (401).' }), error: '' },
        { batchId: testAll.batchId, done: 3, total: 3, connection: connection('c'), error: 'It needs {{tenant}}.' },
      ],
      canceled: 0,
    });
    await run;
    expect(testAll.running).toBe(false);
    expect(testAll.summary?.byStatus).toEqual({ connected: 1, disconnected: 1, error: 1 });
    expect(testAll.summary?.failures.map((f) => [f.connection.id, f.status, f.why])).toEqual([
      ['b', 'disconnected', 'Rejected (401).'],
      ['c', 'error', 'It needs {{tenant}}.'],
    ]);
  });

  it('Cancel cancels the batch in Go; the summary counts what was left untested', async () => {
    const run = testAll.start();
    const batchId = testAll.batchId;
    await testAll.cancel();
    expect(go.calls('CancelRun')).toEqual([[batchId]]);
    expect(testAll.canceling).toBe(true);
    go.pendingCall('TestAllConnections').resolve({ total: 3, byStatus: { connected: 1 }, failed: [], canceled: 2 });
    await run;
    expect(testAll.summary?.canceled).toBe(2);
    expect(testAll.canceling).toBe(false);
  });

  it('ignores progress of another workspace and forgets the batch when the window shows another one', async () => {
    void testAll.start();
    progress(1, 3, connection('x', { workspaceId: 'w2', status: 'connected' }));
    await new Promise((r) => setTimeout(r, 250));
    expect(appData.connections.some((c) => c.id === 'x')).toBe(false);
    const batchId = testAll.batchId;
    testAll.followWorkspace('w1');
    expect(testAll.running).toBe(true);
    testAll.followWorkspace('w2');
    expect(testAll.running).toBe(false);
    expect(go.calls('CancelRun')).toEqual([[batchId]]);
  });

  it('shows why it could not run', async () => {
    const run = testAll.start();
    go.pendingCall('TestAllConnections').reject('keychain_unavailable', 'The system keychain is locked.');
    await run;
    expect(testAll.error).toBe('The system keychain is locked.');
    expect(testAll.running).toBe(false);
  });

  it('summaryOf keeps Go’s counts and adds the connections that could not be tested', () => {
    const s = summaryOf({
      total: 2,
      byStatus: null,
      failed: [{ batchId: 'b', done: 1, total: 2, connection: connection('a'), error: 'Keychain locked.' }],
      canceled: 0,
    });
    expect(s.byStatus).toEqual({ error: 1 });
    expect(s.failures[0]?.why).toBe('Keychain locked.');
  });
});
