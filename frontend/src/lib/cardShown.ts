// Which connection a connector's card shows. In order: the one a search
// names (while the search is on and the user has not picked another since
// it changed), the one the user picked in the card's dropdown (kept in Go
// per workspace, so it survives a restart), the one the card showed last in
// this session, and only then the rule (lib/connectionList's defaultShown,
// Go's shownBefore): a card never moves to another connection because that
// one needs attention; the "needs attention" count already says so.

import { filterWords } from './connectionList';
import type { ConnectionSummary, Connector } from './types';

/**
 * The connection of list that the search names, or null when it names none
 * or the current one already matches. A connection matches when every word
 * is in its name or environment or in its connector's name, category or id,
 * and at least one word is its own: searching "stripe" keeps every Stripe
 * card as it is, "stripe refunds" or "refunds" shows Refunds.
 */
export function searchPick(
  query: string,
  connector: Pick<Connector, 'id' | 'name' | 'category'>,
  list: ConnectionSummary[],
  current: ConnectionSummary | null | undefined,
): ConnectionSummary | null {
  const words = filterWords(query);
  if (words.length === 0) return null;
  const own = [connector.name, connector.category, connector.id].join('\n').toLowerCase();
  const matches = (c: ConnectionSummary): boolean => {
    const text = `${c.name}\n${c.environment}`.toLowerCase();
    return words.some((w) => text.includes(w)) && words.every((w) => text.includes(w) || own.includes(w));
  };
  if (current && matches(current)) return null;
  return list.find(matches) ?? null;
}

/** What decides a card's connection, besides the search. */
export interface CardPicks {
  /** Picked in this session: in the dropdown, or just saved from the editor. */
  picked?: string;
  /** Chosen in the dropdown in an earlier session, as Go kept it. */
  chosen?: string;
  /** Shown by the card last in this session. */
  shown?: string;
}

/**
 * The connection the card shows without a search: this session's pick,
 * else the choice Go kept, else the one it showed last, else the suggestion
 * (the rule's pick); one that is not in byId (deleted, or its page not here
 * yet) is skipped, and shown again once it is back (Undo).
 */
export function shownOnCard(
  picks: CardPicks,
  byId: (id: string | undefined) => ConnectionSummary | undefined,
  suggested: ConnectionSummary | null,
): ConnectionSummary | null {
  return byId(picks.picked) ?? byId(picks.chosen) ?? byId(picks.shown) ?? suggested;
}
