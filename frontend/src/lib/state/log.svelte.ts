// The connection log page's state: the filters, the loaded rows (pages of 200
// by cursor, newest first), the selected exchange, and exchanges streaming in
// from Go while the page is open. It outlives the page, so going back to the
// log keeps the filters and the selection.

import * as api from '../api';
import { liveStreams } from './liveStreams.svelte';
import {
  defaultFilter,
  matchesFilter,
  PAGE_SIZE,
  toApiFilter,
  type LogFilterState,
} from '../logFilter';
import { timeSortKey } from '../time';
import type { Exchange, ExchangeSummary } from '../types';

/** Search waits this long after the last keystroke. */
export const SEARCH_DEBOUNCE_MS = 250;
/** Streamed exchanges are added in batches, at most this often. */
const STREAM_BATCH_MS = 60;
/** How many pages "View log" reads to find the exchange it should show. */
const REVEAL_PAGES = 10;
const CACHE_SIZE = 64;

function newestFirst(a: ExchangeSummary, b: ExchangeSummary): number {
  const ka = timeSortKey(a.startedAt);
  const kb = timeSortKey(b.startedAt);
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

export class LogView {
  filter: LogFilterState = $state(defaultFilter());
  /** What the search box shows; filter.query follows it after a pause. */
  searchText = $state('');
  /** Loaded rows, newest first. Replaced (never mutated) so 100,000 rows stay cheap. */
  items: ExchangeSummary[] = $state.raw([]);
  /** Cursor of the next page; "" when everything is loaded. */
  next = $state('');
  loading = $state(false);
  loadingMore = $state(false);
  /** The first page of the current filter came back (so an empty list means empty). */
  loaded = $state(false);
  error = $state('');
  moreError = $state('');
  /** The exchange the detail pane shows. */
  selectedId = $state('');
  /** The row the keyboard is on. */
  activeIndex = $state(-1);
  /** Streamed exchanges held back because the list is scrolled down. */
  pending: ExchangeSummary[] = $state.raw([]);
  /** Streamed exchanges a text search may or may not match (only Go can tell). */
  unsure = $state(0);
  /** The list is scrolled to its top: new exchanges go straight in. */
  atTop = $state(true);
  /** A request to the list to scroll; seq changes so the same index can be asked again. */
  scrollRequest: { index: number; seq: number } | null = $state(null);

  private ids = new Set<string>();
  private gen = 0;
  /** The clock a relative time range was computed from, kept for the next pages. */
  private baseNow = Date.now();
  private more: Promise<void> | null = null;
  private off: (() => void) | null = null;
  private users = 0;
  private inbox: ExchangeSummary[] = [];
  private inboxTimer: ReturnType<typeof setTimeout> | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private cache = new Map<string, Exchange>();
  private scrollSeq = 0;

  /** The page opened: listen for new exchanges and load the first page. */
  start(): () => void {
    this.users++;
    if (!this.off) this.off = api.onLogExchange((x) => this.receive(x));
    if (!this.loading) void this.reload();
    return () => {
      this.users--;
      if (this.users > 0) return;
      this.off?.();
      this.off = null;
      this.flushInbox();
      this.rest();
    };
  }

  /**
   * The page closed: keep the filters, the selection and the first page (so
   * coming back draws at once, then reloads), and let go of the rest, so
   * nothing held grows with the log while the page is not shown.
   */
  private rest(): void {
    if (this.items.length > PAGE_SIZE) {
      this.items = this.items.slice(0, PAGE_SIZE);
      this.ids = new Set(this.items.map((x) => x.id));
      this.next = '';
    }
    this.pending = [];
    this.unsure = 0;
    this.cache.clear();
  }

  /** Loads the first page of the current filter. */
  async reload(): Promise<void> {
    const gen = ++this.gen;
    this.baseNow = Date.now();
    this.loading = true;
    this.error = '';
    this.moreError = '';
    this.more = null;
    this.loadingMore = false;
    this.pending = [];
    this.unsure = 0;
    this.inbox = [];
    try {
      const page = await api.listExchanges(toApiFilter(this.filter, this.baseNow));
      if (gen !== this.gen) return;
      const items = page.items ?? [];
      this.ids = new Set(items.map((x) => x.id));
      this.items = items;
      this.next = page.next;
      this.activeIndex = this.selectedId ? items.findIndex((x) => x.id === this.selectedId) : -1;
      this.requestScroll(this.activeIndex >= 0 ? this.activeIndex : 0);
    } catch (e) {
      if (gen !== this.gen) return;
      this.error = api.parseError(e).message;
      this.ids = new Set();
      this.items = [];
      this.next = '';
    } finally {
      if (gen === this.gen) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  /** Loads the next page, once at a time; a failed page waits for retryMore. */
  loadMore(): Promise<void> {
    if (!this.next || this.loading || this.moreError) return Promise.resolve();
    if (this.more) return this.more;
    const gen = this.gen;
    const cursor = this.next;
    this.loadingMore = true;
    this.more = (async () => {
      try {
        const page = await api.listExchanges(toApiFilter(this.filter, this.baseNow, cursor));
        if (gen !== this.gen) return;
        const fresh = (page.items ?? []).filter((x) => !this.ids.has(x.id));
        for (const x of fresh) this.ids.add(x.id);
        if (fresh.length > 0) this.items = this.items.concat(fresh);
        this.next = page.next;
      } catch (e) {
        if (gen === this.gen) this.moreError = api.parseError(e).message;
      } finally {
        if (gen === this.gen) {
          this.more = null;
          this.loadingMore = false;
        }
      }
    })();
    return this.more;
  }

  retryMore(): void {
    this.moreError = '';
    void this.loadMore();
  }

  setFilter(patch: Partial<LogFilterState>): void {
    this.filter = { ...this.filter, ...patch };
    void this.reload();
  }

  /** The search box changed: search after a pause in typing. */
  typeSearch(text: string): void {
    this.searchText = text;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      if (text.trim() !== this.filter.query.trim()) this.setFilter({ query: text });
    }, SEARCH_DEBOUNCE_MS);
  }

  clearFilters(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchText = '';
    this.filter = defaultFilter();
    void this.reload();
  }

  /** "View log": the log of one connection, with one exchange shown when given. */
  async openFor(connectionId: string, exchangeId = ''): Promise<void> {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchText = '';
    this.filter = { ...defaultFilter(), connectionId };
    this.selectedId = exchangeId;
    await this.reload();
    if (exchangeId) await this.reveal(exchangeId);
  }

  /** Loads pages until the exchange is in the list (a few at most), then scrolls to it. */
  async reveal(id: string): Promise<void> {
    const gen = this.gen;
    for (let n = 0; n < REVEAL_PAGES; n++) {
      const i = this.items.findIndex((x) => x.id === id);
      if (i >= 0) {
        this.activeIndex = i;
        this.requestScroll(i);
        return;
      }
      if (!this.next || gen !== this.gen) return;
      await this.loadMore();
      if (this.moreError) return;
    }
  }

  select(id: string): void {
    this.selectedId = id;
    const i = this.items.findIndex((x) => x.id === id);
    if (i >= 0) this.activeIndex = i;
  }

  /**
   * The shown exchange is not in the list any more (a filter or search left
   * it out). Known only once every page of the filter is loaded: until then
   * it may simply not be loaded yet.
   */
  get selectedLeftTheList(): boolean {
    if (!this.selectedId || !this.loaded || this.loading || this.next) return false;
    return this.items.findIndex((x) => x.id === this.selectedId) < 0;
  }

  clearSelection(): void {
    this.selectedId = '';
  }

  /** Moves the keyboard row by delta (clamped) and keeps it in view. */
  move(delta: number): void {
    if (this.items.length === 0) return;
    const from = this.activeIndex < 0 ? (delta > 0 ? -1 : this.items.length) : this.activeIndex;
    this.activeIndex = Math.max(0, Math.min(this.items.length - 1, from + delta));
    this.requestScroll(this.activeIndex);
  }

  moveTo(index: number): void {
    if (this.items.length === 0) return;
    this.activeIndex = Math.max(0, Math.min(this.items.length - 1, index));
    this.requestScroll(this.activeIndex);
  }

  /** Enter: show the keyboard row's exchange. */
  openActive(): void {
    const x = this.items[this.activeIndex];
    if (x) this.selectedId = x.id;
  }

  requestScroll(index: number): void {
    this.scrollRequest = { index, seq: ++this.scrollSeq };
  }

  /** An exchange Go just recorded (log:exchange). */
  receive(x: ExchangeSummary): void {
    liveStreams.stored(x.id); // a streamed answer that was arriving is in the log now
    this.inbox.push(x);
    if (!this.inboxTimer) this.inboxTimer = setTimeout(() => this.flushInbox(), STREAM_BATCH_MS);
  }

  private flushInbox(): void {
    if (this.inboxTimer) clearTimeout(this.inboxTimer);
    this.inboxTimer = null;
    const batch = this.inbox;
    this.inbox = [];
    if (!this.loaded || batch.length === 0) return;
    const now = Date.now();
    const fresh: ExchangeSummary[] = [];
    let updated: ExchangeSummary[] | null = null;
    for (const x of batch) {
      const m = matchesFilter(x, this.filter, now);
      if (m === false) continue;
      if (this.ids.has(x.id)) {
        // A row we already show, recorded again: replace it in place.
        const i = this.items.findIndex((y) => y.id === x.id);
        if (i >= 0) {
          updated ??= this.items.slice();
          updated[i] = x;
        }
        continue;
      }
      if (m === 'unknown') {
        this.unsure++;
        continue;
      }
      if (!fresh.some((y) => y.id === x.id) && !this.pending.some((y) => y.id === x.id)) fresh.push(x);
    }
    if (updated) this.items = updated;
    if (fresh.length === 0) return;
    fresh.sort(newestFirst);
    if (this.atTop && this.pending.length === 0) this.prepend(fresh);
    else this.pending = fresh.concat(this.pending);
  }

  private prepend(list: ExchangeSummary[]): void {
    const fresh = list.filter((x) => !this.ids.has(x.id));
    if (fresh.length === 0) return;
    for (const x of fresh) this.ids.add(x.id);
    this.items = fresh.concat(this.items);
    if (this.activeIndex >= 0) this.activeIndex += fresh.length;
  }

  /** The "N new" pill: show what streamed in and go to the top. */
  showPending(): void {
    if (this.unsure > 0) {
      void this.reload();
      return;
    }
    this.prepend(this.pending);
    this.pending = [];
    this.requestScroll(0);
  }

  /** The list scrolled; at the top, held-back exchanges need the pill still (no jump). */
  setAtTop(atTop: boolean): void {
    if (this.atTop !== atTop) this.atTop = atTop;
  }

  /** The full exchange, from a small cache (moving through the list stays quick). */
  async exchange(id: string): Promise<Exchange> {
    const hit = this.cache.get(id);
    if (hit) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const ex = await api.getExchange(id);
    this.cache.set(id, ex);
    while (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return ex;
  }

  /** The filter of the current list, for "Export HAR: everything matching". */
  apiFilter(): ReturnType<typeof toApiFilter> {
    return toApiFilter(this.filter, Date.now(), '', 0);
  }
}

export const logView = new LogView();

export { PAGE_SIZE };
