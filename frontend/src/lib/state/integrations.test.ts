import { waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import { conn, integration, side } from '../../test/integrations';
import { appData } from './connections.svelte';
import { integrations } from './integrations.svelte';
import { runResults } from './runs.svelte';

let fake: FakeWails;

const src = conn('s1', 'shopify', 'Shop A', 'Sandbox');
const dst = conn('w1', 'http', 'Warehouse', 'Sandbox', 'unverified');
const orders = integration('i1', 'Orders', side('source', 'shopify', 'Shopify', src), side('destination', 'http', 'HTTP API', dst));

function verification(runId: string, status: string, summary: string) {
  return { runId, status, code: status === 'connected' ? 'ok' : 'unauthorized', summary, advice: '', identity: '', httpStatus: 200, durationMs: 5, checkedAt: '', exchanges: [{ id: `ex-${runId}` }] };
}

beforeEach(() => {
  fake = installFakeWails();
  integrations.list = [orders];
  integrations.runs = {};
  appData.connections = [src, dst];
});

afterEach(() => {
  fake.uninstall();
  integrations.list = [];
  appData.connections = [];
  appData.checking = {};
});

describe('Test both', () => {
  it('keeps a spinner on each side, counts the requests each sends, then keeps each side’s result', async () => {
    const pending = integrations.test('i1');
    const call = fake.pendingCall('TestIntegration');
    const [id, runId] = call.args as [string, string];
    expect(id).toBe('i1');
    const run = integrations.runs.i1;
    expect(run?.sides.source.running).toBe(true);
    expect(run?.sides.destination.running).toBe(true);
    expect(integrations.testing.i1).toBe(true);
    // Every badge of the two connections says Checking… meanwhile.
    expect(appData.checking).toEqual({ s1: true, w1: true });

    fake.emit('verify:exchange', { runId: `${runId}:source`, exchange: { id: 'a' } });
    fake.emit('verify:exchange', { runId: `${runId}:destination`, exchange: { id: 'b' } });
    fake.emit('verify:exchange', { runId: `${runId}:destination`, exchange: { id: 'c' } });
    fake.emit('verify:exchange', { runId: 'someone-else:source', exchange: { id: 'd' } });
    expect(integrations.runs.i1?.sides.source.requests).toBe(1);
    expect(integrations.runs.i1?.sides.destination.requests).toBe(2);

    const after = integration('i1', 'Orders', side('source', 'shopify', 'Shopify', src), side('destination', 'http', 'HTTP API', { ...dst, status: 'disconnected', diagnosis: 'Rejected (401).' }));
    call.resolve({
      sides: [
        { role: 'source', verification: verification(`${runId}:source`, 'connected', 'Connected as ada.'), error: '', errorCode: '' },
        { role: 'destination', verification: verification(`${runId}:destination`, 'disconnected', 'Rejected (401).'), error: '', errorCode: '' },
      ],
      integration: after,
    });
    await pending;

    const done = integrations.runs.i1;
    expect(done?.running).toBe(false);
    expect(done?.sides.source).toMatchObject({ running: false, requests: 1, verification: { summary: 'Connected as ada.' } });
    expect(done?.sides.destination.verification?.status).toBe('disconnected');
    expect(integrations.testing.i1).toBeUndefined();
    expect(appData.checking).toEqual({});
    // The integration as Go has it afterwards, and the runs for the log's diagnosis.
    expect(integrations.byId.get('i1')?.readiness).toBe('attention');
    expect(runResults.get(`${runId}:destination`)?.summary).toBe('Rejected (401).');
    expect(fake.listeners('verify:exchange')).toBe(0);
  });

  it('says why a side could not be tested, and why the whole call failed', async () => {
    const first = integrations.test('i1');
    fake.pendingCall('TestIntegration').resolve({
      sides: [
        { role: 'source', verification: null, error: 'Test not run: it needs {{shop}}.', errorCode: 'missing_parameters' },
        { role: 'destination', verification: null, error: 'Choose the destination’s connection first.', errorCode: 'validation' },
      ],
      integration: orders,
    });
    await first;
    expect(integrations.runs.i1?.sides.source).toMatchObject({ error: 'Test not run: it needs {{shop}}.', errorCode: 'missing_parameters' });

    const second = integrations.test('i1');
    fake.pendingCall('TestIntegration', 1).reject('not_found', 'Integration "i1" was not found; it may have been deleted.');
    const run = await second;
    expect(run?.error).toBe('Integration "i1" was not found; it may have been deleted.');
    expect(run?.running).toBe(false);
    expect(run?.sides.source.running).toBe(false);
  });

  it('does not start a second run while one is going', async () => {
    void integrations.test('i1');
    expect(await integrations.test('i1')).toBeNull();
    expect(fake.calls('TestIntegration')).toHaveLength(1);
  });
});

describe('the list', () => {
  it('follows integrations:changed and connections:changed, one reload at a time', async () => {
    const loading = integrations.load();
    fake.pendingCall('ListIntegrations').resolve([orders]);
    await loading;
    const renamed = { ...orders, name: 'Orders (renamed)' };
    fake.emit('connections:changed', null);
    fake.emit('integrations:changed', null);
    fake.emit('connections:changed', null);
    // One reload runs; the events during it become one more, not three.
    expect(fake.calls('ListIntegrations')).toHaveLength(2);
    fake.pendingCall('ListIntegrations', 1).resolve([orders]);
    await waitFor(() => expect(fake.calls('ListIntegrations')).toHaveLength(3));
    fake.pendingCall('ListIntegrations', 2).resolve([renamed]);
    await waitFor(() => expect(integrations.list[0]?.name).toBe('Orders (renamed)'));
    expect(fake.calls('ListIntegrations')).toHaveLength(3);
  });

  it('never lets an older answer replace a newer one', async () => {
    const refreshing = integrations.refresh();
    const loading = integrations.load();
    const [older, newer] = [fake.pendingCall('ListIntegrations', 0), fake.pendingCall('ListIntegrations', 1)];
    newer.resolve([{ ...orders, name: 'Newer' }]);
    await loading;
    older.resolve([{ ...orders, name: 'Older' }]);
    await refreshing;
    expect(integrations.list.map((i) => i.name)).toEqual(['Newer']);
  });

  it('keeps new and renamed ones in name order, and forgets a deleted one’s test', async () => {
    integrations.upsert({ ...orders, id: 'i0', name: 'accounts' });
    integrations.upsert({ ...orders, name: 'Zebra' });
    integrations.upsert({ ...orders, id: 'i2', name: 'Billing' });
    expect(integrations.list.map((i) => i.name)).toEqual(['accounts', 'Billing', 'Zebra']);

    integrations.runs.i2 = { runId: 'r', running: false, error: '', sides: {} as never };
    const deleting = integrations.delete('i2');
    fake.pendingCall('DeleteIntegration').resolve(undefined);
    await deleting;
    expect(fake.calls('DeleteIntegration')).toEqual([['i2']]);
    expect(integrations.list.map((i) => i.id)).toEqual(['i0', 'i1']);
    expect(integrations.runs.i2).toBeUndefined();
  });
});
