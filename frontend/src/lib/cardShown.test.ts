import { describe, expect, it } from 'vitest';
import { connection } from '../test/connections';
import { searchPick, shownOnCard } from './cardShown';

const stripe = { id: 'stripe', name: 'Stripe', category: 'Payments' };
const prod = connection('p', { connectorId: 'stripe', name: 'Payments', environment: 'Production' });
const sandbox = connection('s', { connectorId: 'stripe', name: 'Payments', environment: 'Sandbox' });
const refunds = connection('r', { connectorId: 'stripe', name: 'Refunds worker', environment: 'Test' });
const list = [prod, sandbox, refunds];

describe('searchPick', () => {
  it('names the first connection whose name or environment the search holds', () => {
    expect(searchPick('refunds', stripe, list, prod)?.id).toBe('r');
    expect(searchPick('SANDBOX', stripe, list, prod)?.id).toBe('s');
    expect(searchPick('stripe pay sand', stripe, list, prod)?.id, 'connector words narrow it too').toBe('s');
  });

  it('changes nothing when the shown one matches, or only the connector does, or nothing does', () => {
    expect(searchPick('payments', stripe, list, sandbox)).toBeNull();
    expect(searchPick('stripe', stripe, list, sandbox)).toBeNull();
    expect(searchPick('payments', stripe, list, refunds)?.id, '"payments" is a category word and a name').toBe('p');
    expect(searchPick('github', stripe, list, prod)).toBeNull();
    expect(searchPick('  ', stripe, list, prod)).toBeNull();
  });
});

describe('shownOnCard', () => {
  const byId = (id: string | undefined) => list.find((c) => c.id === id);
  it('prefers the pick, then the last shown, then the suggestion; skips ones that are gone', () => {
    expect(shownOnCard({ picked: 's', chosen: 'p', shown: 'r' }, byId, prod)?.id).toBe('s');
    expect(shownOnCard({ picked: 'gone', chosen: 's', shown: 'r' }, byId, prod)?.id).toBe('s');
    expect(shownOnCard({ picked: 'gone', chosen: 'gone', shown: 'r' }, byId, prod)?.id).toBe('r');
    expect(shownOnCard({}, byId, prod)?.id).toBe('p');
    expect(shownOnCard({}, byId, null)).toBeNull();
  });
});
