// The quick switcher's ranking: name-prefix matches first, then word starts,
// then anywhere in the name, then the other words, then letters in order;
// at most 50 results with the total, over 10,000 connections.
import { describe, expect, it } from 'vitest';
import { buildIndex, fold, searchIndex, SWITCH_LIMIT, type SwitchItem } from './quickSwitch';

const conn = (id: string, name: string, words = ''): SwitchItem => ({ kind: 'connection', id, name, words });
const names = (items: SwitchItem[]): string[] => items.map((i) => i.name);

/** 10,000 connections: "Billing API 1" … over four environments and a few connectors. */
function manyConnections(n = 10_000): SwitchItem[] {
  const envs = ['Production', 'Sandbox', 'Staging', 'Test'];
  const connectors = ['Stripe', 'HubSpot', 'HTTP API', 'PostgreSQL'];
  const kinds = ['Billing API', 'Orders', 'Customer sync', 'Warehouse'];
  const out: SwitchItem[] = [];
  for (let i = 0; i < n; i++) {
    out.push(conn(`c${i}`, `${kinds[i % 4]} ${i}`, `${envs[i % 4]} ${connectors[(i >> 2) % 4]}`));
  }
  return out;
}

describe('searchIndex', () => {
  it('ranks a name that starts with the query first, then a later word, then inside, then other words', () => {
    const index = buildIndex([
      conn('1', 'Warehouse orders'), // a later word starts with it
      conn('2', 'Reorder queue'), // inside a word
      conn('3', 'Orders API'), // the name starts with it
      conn('4', 'Billing', 'Orders team'), // only in the other words
      conn('5', 'Unrelated'),
    ]);
    expect(names(searchIndex(index, 'order').items)).toEqual(['Orders API', 'Warehouse orders', 'Reorder queue', 'Billing']);
    expect(searchIndex(index, 'order').total).toBe(4);
  });

  it('folds case and accents, and every word of a query must match somewhere', () => {
    const index = buildIndex([
      conn('1', 'Café payments', 'Production Stripe'),
      conn('2', 'Café payments', 'Sandbox Stripe'),
      conn('3', 'Payroll', 'Production HTTP API'),
    ]);
    expect(fold('Café ÉTÉ')).toBe('cafe ete');
    expect(searchIndex(index, 'CAFE').total).toBe(2);
    expect(searchIndex(index, 'cafe prod').items.map((i) => i.id)).toEqual(['1']);
    expect(searchIndex(index, 'prod stripe').items.map((i) => i.id)).toEqual(['1']);
    expect(searchIndex(index, 'pay   prod').items.map((i) => i.id)).toEqual(['1', '3']);
  });

  it('finds letters typed in order as the weakest match, and nothing for a single stray letter', () => {
    const index = buildIndex([conn('1', 'Billing API'), conn('2', 'Bills'), conn('3', 'Orders')]);
    expect(names(searchIndex(index, 'bllapi').items)).toEqual(['Billing API']);
    expect(searchIndex(index, 'zz').total).toBe(0);
    expect(names(searchIndex(index, 'bill').items)).toEqual(['Billing API', 'Bills']);
  });

  it('orders equal matches by kind (pages first, as given), then by name as people read numbers', () => {
    const index = buildIndex([
      { kind: 'connector', id: 'stripe', name: 'Stripe', words: 'Payments' },
      conn('b', 'Stripe 10'),
      conn('a', 'Stripe 2'),
      { kind: 'integration', id: 'i1', name: 'Stripe to HubSpot', words: '' },
      { kind: 'page', id: 'settings', name: 'Settings', words: 'preferences' },
      { kind: 'page', id: 'log', name: 'Connection log', words: '' },
    ]);
    expect(names(searchIndex(index, 'str').items)).toEqual(['Stripe 2', 'Stripe 10', 'Stripe to HubSpot', 'Stripe']);
    // Pages keep the order they were given in (the rail's), not the alphabet's.
    expect(names(searchIndex(index, '').items)).toEqual([
      'Settings',
      'Connection log',
      'Stripe 2',
      'Stripe 10',
      'Stripe to HubSpot',
      'Stripe',
    ]);
    expect(names(searchIndex(index, 'preferences').items)).toEqual(['Settings']);
  });

  it('shows at most 50 of 10,000 connections, name-prefix matches first, with the total', () => {
    const index = buildIndex(manyConnections());
    // "Orders" starts 2,500 names; "orders" is also in none of the others' words.
    const orders = searchIndex(index, 'orders');
    expect(orders.items).toHaveLength(SWITCH_LIMIT);
    expect(orders.total).toBe(2500);
    expect(orders.items.every((i) => i.name.startsWith('Orders '))).toBe(true);
    // In the collator's numeric order: 1, 5, 9, 13…
    expect(orders.items.slice(0, 3).map((i) => i.name)).toEqual(['Orders 1', 'Orders 5', 'Orders 9']);

    // "sync" starts a later word of 2,500 names and begins none.
    const sync = searchIndex(index, 'sync');
    expect(sync.total).toBe(2500);
    expect(sync.items.every((i) => i.name.startsWith('Customer sync'))).toBe(true);

    // One exact connection among 10,000, by a part of its name.
    const one = searchIndex(index, 'warehouse 9999');
    expect(one.items.map((i) => i.id)).toEqual(['c9999']);

    // A name prefix beats 2,500 matches of the other words that come earlier in the list.
    const mixed = buildIndex([...manyConnections(), conn('x', 'Stripe reconciliation')]);
    const stripe = searchIndex(mixed, 'stripe');
    expect(stripe.items[0]?.id).toBe('x');
    expect(stripe.items).toHaveLength(SWITCH_LIMIT);
    expect(stripe.total).toBe(2501);

    // A name that starts with the query found after the limit of weaker ones still comes first.
    const late = buildIndex([...manyConnections(), conn('z', 'Zzz production line')]);
    expect(searchIndex(late, 'production').items[0]?.id).toBe('z');
  });

  it('keeps the limit it is given, and an empty query lists the first ones', () => {
    const index = buildIndex(manyConnections(200));
    expect(searchIndex(index, 'a', 10).items).toHaveLength(10);
    const empty = searchIndex(index, '   ');
    expect(empty.items).toHaveLength(SWITCH_LIMIT);
    expect(empty.total).toBe(200);
  });
});
