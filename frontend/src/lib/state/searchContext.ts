// The connection log hands its search down to the exchange it shows: the
// list and the detail mark the words where they occur. Outside the log (the
// editor's last attempt) there is no search and nothing is marked.
import { getContext, setContext } from 'svelte';
import { searchPattern } from '../searchHits';

const KEY = Symbol('log-search');

export interface SearchHits {
  /** What finds the words; null when there is no search. */
  readonly pattern: RegExp | null;
}

const none: SearchHits = { pattern: null };

/** For the log page: provides the hits of query() to everything below it. */
export function provideSearchHits(query: () => string): void {
  let last = '';
  let pattern: RegExp | null = null;
  setContext<SearchHits>(KEY, {
    get pattern() {
      const q = query();
      if (q !== last) [last, pattern] = [q, searchPattern(q)];
      return pattern;
    },
  });
}

export function searchHits(): SearchHits {
  return getContext<SearchHits | undefined>(KEY) ?? none;
}
