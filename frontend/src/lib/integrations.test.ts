import { describe, expect, it } from 'vitest';
import { conn, integration, side } from '../test/integrations';
import {
  attentionRoles,
  filterCounts,
  filterIntegrations,
  matchingConnection,
  readinessLabel,
  sideFixes,
  switchWarning,
} from './integrations';

const shopSandbox = conn('s1', 'shopify', 'Shop A', 'Sandbox');
const shopProd = conn('s2', 'shopify', 'Shop A', 'Production');
const whSandbox = conn('w1', 'http', 'Warehouse', 'Sandbox');
const whBroken = conn('w2', 'http', 'Warehouse', 'Staging', 'disconnected');

const ready = integration('i1', 'Orders to warehouse', side('source', 'shopify', 'Shopify', shopSandbox), side('destination', 'http', 'HTTP API', whSandbox), {
  description: 'Nightly order export',
});
const broken = integration('i2', 'Refunds', side('source', 'shopify', 'Shopify', shopProd), side('destination', 'http', 'HTTP API', whBroken), {
  active: false,
});
const empty = integration('i3', 'Half set up', side('source', 'shopify', 'Shopify', null), side('destination', 'http', 'HTTP API', null), {
  active: false,
});

describe('an integration’s one status', () => {
  it('is Ready when both sides are connected, else names the side (or both)', () => {
    expect(readinessLabel(ready)).toBe('Ready');
    expect(attentionRoles(ready)).toEqual([]);
    expect(readinessLabel(broken)).toBe('Destination needs attention');
    expect(attentionRoles(broken)).toEqual(['destination']);
    expect(readinessLabel(empty)).toBe('Both sides need attention');
  });
});

describe('the page’s filter', () => {
  const list = [ready, broken, empty];

  it('matches every word against names, description, connectors and connections', () => {
    expect(filterIntegrations(list, 'orders', 'all')).toEqual([ready]);
    expect(filterIntegrations(list, 'nightly', 'all')).toEqual([ready]);
    expect(filterIntegrations(list, 'staging warehouse', 'all')).toEqual([broken]);
    expect(filterIntegrations(list, 'shopify', 'all')).toEqual(list);
    expect(filterIntegrations(list, 'shopify nope', 'all')).toEqual([]);
  });

  it('keeps only what needs attention, what is ready or what is paused, and counts each', () => {
    expect(filterIntegrations(list, '', 'attention')).toEqual([broken, empty]);
    expect(filterIntegrations(list, '', 'ready')).toEqual([ready]);
    expect(filterIntegrations(list, '', 'paused')).toEqual([broken, empty]);
    expect(filterCounts(list)).toEqual({ all: 3, attention: 2, ready: 1, paused: 2 });
  });
});

describe('what a side that needs attention offers', () => {
  it('nothing when connected; Choose with no connection; Edit and Test again otherwise', () => {
    expect(sideFixes(side('source', 'shopify', 'Shopify', shopSandbox))).toEqual([]);
    expect(sideFixes(side('source', 'shopify', 'Shopify', null))).toEqual(['choose']);
    expect(sideFixes(side('destination', 'http', 'HTTP API', whBroken))).toEqual(['edit', 'retest']);
  });

  it('signing in again (which tests too) for an OAuth connection whose token is gone', () => {
    const oauth = conn('o1', 'hubspot', 'CRM', 'Production', 'disconnected', {
      authType: 'oauth2AuthorizationCode',
      oauth: { authorized: true, grantedScopes: [], expiresAt: '', refreshable: false, authorizedAt: '' },
    });
    expect(sideFixes(side('source', 'hubspot', 'HubSpot', oauth))).toEqual(['signin', 'edit']);
  });
});

describe('switching a side’s connection', () => {
  it('goes ahead at once within one environment', () => {
    const other = conn('s3', 'shopify', 'Shop B', 'sandbox');
    expect(switchWarning('source', 'Shopify', shopSandbox, other, whSandbox)).toBeNull();
    expect(switchWarning('source', 'Shopify', null, shopSandbox, null)).toBeNull();
  });

  it('asks before a side becomes Production, and says the sides would then differ', () => {
    const w = switchWarning('source', 'Shopify', shopSandbox, shopProd, whSandbox);
    expect(w).toMatchObject({ production: true, mismatch: true, title: 'Use Production with Sandbox?' });
    expect(w?.lines).toEqual([
      'The source would use “Production · Shop A”, a Production connection: Test both and Fetch one record will then read live Shopify data.',
      'The destination uses “Sandbox · Warehouse”, so this integration would pair Production with Sandbox.',
    ]);
    // Short button words (they must fit side by side): the environments that differ.
    expect(w?.confirmLabel).toBe('Use Production');
    expect(w?.cancelLabel).toBe('Keep Sandbox');
  });

  it('asks about Production alone when the other side is unset or Production too', () => {
    expect(switchWarning('source', 'Shopify', shopSandbox, shopProd, null)).toMatchObject({
      production: true, mismatch: false, title: 'Use a Production connection?', cancelLabel: 'Keep Sandbox',
    });
    const whProd = conn('w9', 'http', 'Warehouse', 'PRODUCTION');
    expect(switchWarning('source', 'Shopify', null, shopProd, whProd)).toMatchObject({ production: true, mismatch: false, cancelLabel: 'Cancel' });
    // Already Production on both sides: nothing new to warn about.
    expect(switchWarning('source', 'Shopify', shopProd, conn('s4', 'shopify', 'Shop B', 'Production'), whProd)).toBeNull();
  });

  it('asks when only the environments would differ', () => {
    const w = switchWarning('destination', 'HTTP API', whSandbox, whBroken, shopSandbox);
    expect(w).toMatchObject({ production: false, mismatch: true, title: 'Pair Staging with Sandbox?', confirmLabel: 'Use Staging' });
    // Two connections of one environment are told apart by name.
    const staging2 = conn('w3', 'http', 'Warehouse B', 'Staging');
    expect(switchWarning('destination', 'HTTP API', whBroken, staging2, shopSandbox)).toMatchObject({
      confirmLabel: 'Use Warehouse B', cancelLabel: 'Keep Warehouse',
    });
    expect(w?.lines).toEqual(['The source uses “Sandbox · Shop A”, so this integration would pair Staging with Sandbox.']);
  });

  it('starts a new connector’s side in the other side’s environment, never Production unasked', () => {
    const list = [conn('a', 'http', 'Prod WH', 'Production'), conn('b', 'http', 'Sandbox WH', 'Sandbox')];
    expect(matchingConnection(list, shopSandbox)).toBe('b');
    // Both sides of one connector: not the very connection the other side uses.
    expect(matchingConnection(list, list[1] ?? null)).toBe('');
    expect(matchingConnection(list, shopProd)).toBe('');
    expect(matchingConnection(list, null)).toBe('');
  });
});
