// The quick switcher's search (Ctrl/Cmd+K): one list of connections,
// integrations, connectors and pages, matched against what the person types
// and ranked so that a name that starts with it comes first. It has to stay
// quick with 10,000 connections: the list is prepared once (lowercased,
// accents folded, sorted with the shared collator) and each keystroke is one
// pass over it with no sort, keeping at most `limit` results.

import { collator } from './collate';

export type SwitchKind = 'page' | 'connection' | 'integration' | 'connector';

export interface SwitchItem {
  kind: SwitchKind;
  /** The connection, integration or connector id, or the page. */
  id: string;
  /** What the result is called: ranked first. */
  name: string;
  /** More words a query may match: environment, connector, category… */
  words: string;
}

interface Entry {
  item: SwitchItem;
  /** The name, folded. */
  name: string;
  /** The name and the words, folded. */
  all: string;
}

/** A prepared list; build it once per list, search it per keystroke. */
export interface SwitchIndex {
  entries: Entry[];
}

export interface SwitchResults {
  items: SwitchItem[];
  /** How many matched in all (items holds at most the limit of them). */
  total: number;
}

/** The most results shown: enough to scan, few enough to draw at once. */
export const SWITCH_LIMIT = 50;

/** The order of kinds among equal matches: the few pages, then what people open most. */
const KIND_ORDER: Record<SwitchKind, number> = { page: 0, connection: 1, integration: 2, connector: 3 };

/** Lowercase with accents folded, so "cafe" finds "Café". */
export function fold(s: string): string {
  // Most names are plain ASCII: skip the normalisation for them (a third of the index's build).
  if (/^[\x20-\x7e]*$/.test(s)) return s.toLowerCase();
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Sorts once: by kind, then by name as the collator orders it (numbers
 * numerically); pages keep the order given (the rail's).
 */
export function buildIndex(items: SwitchItem[]): SwitchIndex {
  const sorted = [...items].sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.kind === 'page' ? 0 : collator.compare(a.name, b.name)),
  );
  return {
    entries: sorted.map((item) => {
      const name = fold(item.name);
      return { item, name, all: item.words ? `${name} ${fold(item.words)}` : name };
    }),
  };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether q starts a word of text after its first character (index > 0). */
function startsLaterWord(text: string, q: string): boolean {
  for (let i = text.indexOf(q, 1); i > 0; i = text.indexOf(q, i + 1)) {
    if (!WORD_CHAR.test(text[i - 1] ?? '')) return true;
  }
  return false;
}

/** Whether the letters of q appear in text in order ("stpr" in "stripe prod"). */
function inOrder(text: string, q: string): boolean {
  let at = 0;
  for (const ch of q) {
    at = text.indexOf(ch, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

/**
 * How well an entry matches, lower is better, -1 for no match:
 * 0 the name starts with the query; 1 a later word of the name does;
 * 2 the name contains it; 3 every word of the query is in the name or the
 * other words (environment, connector…); 4 the query's letters appear in
 * the name in order (a typo-free abbreviation: "bllapi" for "Billing API").
 */
export function matchTier(e: Entry, q: string, words: string[]): number {
  if (e.name.startsWith(q)) return 0;
  const at = e.name.indexOf(q);
  if (at > 0) return startsLaterWord(e.name, q) ? 1 : 2;
  if (words.every((w) => e.all.includes(w))) return 3;
  const squashed = words.join('');
  if (squashed.length >= 2 && inOrder(e.name, squashed)) return 4;
  return -1;
}

const TIERS = 5;

/**
 * The best `limit` matches for a query, best first; within a tier, in the
 * index's order (kind, then name). An empty query lists the first `limit`
 * entries: the pages, then connections by name.
 */
export function searchIndex(index: SwitchIndex, query: string, limit = SWITCH_LIMIT): SwitchResults {
  const q = fold(query).trim().replace(/\s+/g, ' ');
  if (q === '') {
    return { items: index.entries.slice(0, limit).map((e) => e.item), total: index.entries.length };
  }
  const words = q.split(' ');
  const buckets: SwitchItem[][] = Array.from({ length: TIERS }, () => []);
  let total = 0;
  // Once the better tiers hold `limit` results, worse ones cannot show: only count them.
  let worstUseful = TIERS - 1;
  for (const e of index.entries) {
    const tier = matchTier(e, q, words);
    if (tier < 0) continue;
    total++;
    if (tier > worstUseful) continue;
    const bucket = buckets[tier]!;
    if (bucket.length < limit) bucket.push(e.item);
    let kept = 0;
    for (let t = 0; t <= worstUseful; t++) {
      kept += buckets[t]!.length;
      if (kept >= limit) {
        worstUseful = t;
        break;
      }
    }
  }
  const items: SwitchItem[] = [];
  for (const bucket of buckets) {
    for (const item of bucket) {
      if (items.length === limit) return { items, total };
      items.push(item);
    }
  }
  return { items, total };
}
