import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Exchange, ExchangeSummary, LogFilter } from '../../lib/types';

// The Go side is replaced at the api.ts boundary only: the store, the list
// and the page are the real ones.
vi.mock('../../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api')>();
  return {
    ...actual,
    listExchanges: vi.fn(),
    getExchange: vi.fn(),
    copyAsCurl: vi.fn(),
    copyText: vi.fn(),
    exportHAR: vi.fn(),
    exportHARData: vi.fn(),
    onLogExchange: vi.fn(),
  };
});

const api = await import('../../lib/api');
const { logView } = await import('../../lib/state/log.svelte');
const { defaultFilter } = await import('../../lib/logFilter');
const { default: LogPage } = await import('./LogPage.svelte');
const { appData } = await import('../../lib/state/connections.svelte');
const { connection, connector } = await import('../../test/connections');

const listExchanges = vi.mocked(api.listExchanges);
const getExchange = vi.mocked(api.getExchange);
const onLogExchange = vi.mocked(api.onLogExchange);

const BASE = Date.parse('2025-03-10T12:00:00Z');

function item(i: number, o: Partial<ExchangeSummary> = {}): ExchangeSummary {
  const status = [200, 401, 302, 500][i % 4] as number;
  return {
    id: `x${String(i).padStart(6, '0')}`,
    runId: `r${Math.floor(i / 2)}`,
    connectionId: 'c1',
    kind: 'test',
    method: 'GET',
    url: `https://api.example.test/v1/items/${i}`,
    host: 'api.example.test',
    path: `/v1/items/${i}`,
    status,
    statusText: String(status),
    errorClass: '',
    error: '',
    // Newest first: item 0 is the newest.
    startedAt: new Date(BASE - i * 1000).toISOString(),
    totalMs: 10 + (i % 50),
    responseBodySize: 100,
    ...o,
  };
}

/** A log of n exchanges served by cursor, like LogService.ListExchanges. */
function serve(n: number): LogFilter[] {
  const calls: LogFilter[] = [];
  listExchanges.mockImplementation(async (f: LogFilter) => {
    calls.push(f);
    const offset = f.cursor ? Number(f.cursor) : 0;
    const end = Math.min(n, offset + f.limit);
    const items: ExchangeSummary[] = [];
    for (let i = offset; i < end; i++) items.push(item(i));
    return { items, next: end < n ? String(end) : '' };
  });
  return calls;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await Promise.resolve();
    await tick();
  }
}

const rows = () => screen.queryAllByTestId('log-row');

beforeEach(() => {
  vi.clearAllMocks();
  onLogExchange.mockReturnValue(() => {});
  logView.filter = defaultFilter();
  logView.searchText = '';
  logView.selectedId = '';
  logView.items = [];
  logView.loaded = false;
  logView.atTop = true;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LogPage list', () => {
  it('keeps a bounded number of rows in the DOM while scrolling through 100,000 exchanges', async () => {
    const N = 100_000;
    const calls = serve(N);
    render(LogPage);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const list = screen.getByTestId('log-list');
    const ROW = 32;
    let most = 0;

    for (let guard = 0; logView.items.length < N || logView.next; guard++) {
      expect(guard).toBeLessThan(600);
      // Jump to the end of what is loaded, as a user dragging the scrollbar would.
      list.scrollTop = Math.max(0, logView.items.length * ROW - 600);
      await fireEvent.scroll(list);
      await settle();
      most = Math.max(most, rows().length);
      expect(rows().length).toBeLessThanOrEqual(60);
    }
    list.scrollTop = N * ROW - 600;
    await fireEvent.scroll(list);
    await settle();

    expect(logView.items.length).toBe(N);
    // One page of 200 per request, each asking for the cursor the previous one returned.
    expect(calls.length).toBe(N / 200);
    expect(calls.every((c) => c.limit === 200)).toBe(true);
    expect(calls.map((c) => c.cursor).slice(0, 3)).toEqual(['', '200', '400']);
    // The last rows are on screen, and the window is small.
    const ids = rows().map((r) => r.dataset.id);
    expect(ids).toContain(item(N - 1).id);
    expect(most).toBeGreaterThan(10);
    expect(screen.getByTestId('log-list').textContent).toContain('100,000 exchanges · end of the log');
  }, 120_000);

  it('lets go of all but the first page when it closes, and listens to nothing while closed', async () => {
    const calls = serve(1000);
    const off = vi.fn();
    onLogExchange.mockReturnValue(off);
    const page = render(LogPage);
    await waitFor(() => expect(logView.items.length).toBe(200));
    await logView.loadMore();
    await logView.loadMore();
    expect(logView.items.length).toBe(600);

    page.unmount();
    expect(off).toHaveBeenCalledTimes(1);
    expect(logView.items.map((x) => x.id)).toEqual(Array.from({ length: 200 }, (_, i) => item(i).id));

    // Back on the page: the first page shows at once, then it reloads.
    render(LogPage);
    await settle();
    expect(rows().length).toBeGreaterThan(0);
    await waitFor(() => expect(calls.length).toBe(4));
    expect(calls[3]?.cursor).toBe('');
  });

  it('shows each row’s time, method, path, status class and duration', async () => {
    serve(3);
    render(LogPage);
    await waitFor(() => expect(rows().length).toBe(3));
    const [a, b] = rows();
    expect(a?.dataset.status).toBe('200');
    expect(b?.dataset.status).toBe('401');
    expect(b?.textContent).toContain('GET');
    expect(b?.textContent).toContain('/v1/items/1');
    expect(b?.querySelector('[title]')).not.toBeNull();
    expect(b?.textContent).toContain('11 ms');
  });

  it('marks a network error with its class', async () => {
    listExchanges.mockResolvedValue({
      items: [item(0, { status: 0, statusText: '', errorClass: 'dns', error: 'lookup nowhere.invalid: no such host' })],
      next: '',
    });
    render(LogPage);
    await waitFor(() => expect(rows().length).toBe(1));
    expect(rows()[0]?.dataset.status).toBe('error');
    expect(rows()[0]?.textContent).toContain('DNS');
  });
});

describe('LogPage filters', () => {
  it('sends what the filters say to ListExchanges', async () => {
    const calls = serve(10);
    const user = userEvent.setup();
    render(LogPage);
    await waitFor(() => expect(calls.length).toBe(1));

    await user.click(screen.getByTestId('log-filter-status-4xx'));
    await user.click(screen.getByTestId('log-filter-status-error'));
    await waitFor(() => expect(calls.at(-1)?.statusClasses).toEqual(['4xx', 'error']));
    expect(screen.getByTestId('log-filter-status-4xx').getAttribute('aria-pressed')).toBe('true');

    await user.selectOptions(screen.getByTestId('log-filter-kind'), 'token');
    await waitFor(() => expect(calls.at(-1)?.kinds).toEqual(['token']));

    const before = Date.now();
    await user.selectOptions(screen.getByTestId('log-filter-time'), '1h');
    await waitFor(() => expect(calls.at(-1)?.from).not.toBe(''));
    const from = Date.parse(calls.at(-1)?.from ?? '');
    expect(Math.abs(from - (before - 3_600_000))).toBeLessThan(5_000);

    // Search waits for a pause in typing, then sends the words once.
    const n = calls.length;
    await user.type(screen.getByTestId('log-search'), 'Bad credentials');
    expect(calls.length).toBe(n);
    await waitFor(() => expect(calls.at(-1)?.query).toBe('Bad credentials'));
    expect(calls.length).toBe(n + 1);
    expect(calls.at(-1)).toMatchObject({ statusClasses: ['4xx', 'error'], kinds: ['token'], cursor: '', limit: 200 });
  });

  it('teaches when the log is empty, and offers Clear filters when the filters hide everything', async () => {
    const calls = serve(0);
    const user = userEvent.setup();
    render(LogPage);
    await waitFor(() => expect(screen.getByTestId('log-empty').textContent).toContain('Test a connection and every request appears here'));

    await user.click(screen.getByTestId('log-filter-status-5xx'));
    await waitFor(() => expect(screen.getByTestId('log-no-matches')).toBeTruthy());
    await user.click(screen.getByTestId('log-empty-clear'));
    await waitFor(() => expect(screen.getByTestId('log-empty')).toBeTruthy());
    expect(calls.at(-1)?.statusClasses).toEqual([]);
  });
});

describe('LogPage streaming', () => {
  it('adds new exchanges at the top, or behind an "N new" pill when scrolled down', async () => {
    serve(500);
    let push: ((x: ExchangeSummary) => void) | null = null;
    onLogExchange.mockImplementation((cb) => {
      push = cb;
      return () => {};
    });
    render(LogPage);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(push).not.toBeNull();

    // At the top: straight in.
    push!(item(0, { id: 'new-1', startedAt: new Date(BASE + 1000).toISOString(), status: 201 }));
    await waitFor(() => expect(rows()[0]?.dataset.id).toBe('new-1'));

    // Scrolled down: the list does not move; a pill counts what arrived.
    const list = screen.getByTestId('log-list');
    list.scrollTop = 3200;
    await fireEvent.scroll(list);
    const firstShown = rows()[0]?.dataset.id;
    push!(item(0, { id: 'new-2', startedAt: new Date(BASE + 2000).toISOString() }));
    push!(item(0, { id: 'new-3', startedAt: new Date(BASE + 3000).toISOString() }));
    const pill = await screen.findByTestId('log-new-pill');
    expect(pill.textContent).toContain('2 new');
    expect(list.scrollTop).toBe(3200);
    expect(rows()[0]?.dataset.id).toBe(firstShown);

    await fireEvent.click(pill);
    await settle();
    expect(list.scrollTop).toBe(0);
    expect(rows().slice(0, 3).map((r) => r.dataset.id)).toEqual(['new-3', 'new-2', 'new-1']);
    expect(screen.queryByTestId('log-new-pill')).toBeNull();
  });

  it('ignores streamed exchanges the filters exclude', async () => {
    serve(5);
    let push: ((x: ExchangeSummary) => void) | null = null;
    onLogExchange.mockImplementation((cb) => {
      push = cb;
      return () => {};
    });
    logView.filter = { ...defaultFilter(), connectionId: 'c1' };
    render(LogPage);
    await waitFor(() => expect(rows().length).toBe(5));
    push!(item(0, { id: 'other', connectionId: 'c2', startedAt: new Date(BASE + 1000).toISOString() }));
    await new Promise((r) => setTimeout(r, 120));
    expect(rows().map((r) => r.dataset.id)).not.toContain('other');
  });
});

const full = (s: ExchangeSummary): Exchange => ({
  id: s.id,
  runId: s.runId,
  connectionId: s.connectionId,
  workspaceId: 'w',
  kind: s.kind,
  startedAt: s.startedAt,
  method: s.method,
  url: s.url,
  requestHeaders: [],
  requestBody: '',
  requestBodySize: 0,
  requestTruncated: false,
  requestBinary: false,
  status: s.status,
  statusText: s.statusText,
  proto: 'HTTP/1.1',
  responseHeaders: [],
  responseBody: '',
  responseBodySize: 0,
  responseTruncated: false,
  responseBinary: false,
  responseDecompressed: false,
  contentType: '',
  timings: null,
  remoteAddr: '',
  reused: false,
  tls: null,
  redirectOf: '',
  errorClass: '',
  error: '',
});

describe('LogPage keyboard', () => {
  it('moves with arrows, opens with Enter, closes with Esc, and / focuses search', async () => {
    serve(20);
    getExchange.mockImplementation(async (id) => full(item(Number(id.slice(1)))));
    const user = userEvent.setup();
    render(LogPage);
    await waitFor(() => expect(rows().length).toBe(20));

    screen.getByTestId('log-list').focus();
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    await waitFor(() => expect(getExchange).toHaveBeenCalledWith(item(1).id));
    const detail = await screen.findByTestId('log-detail');
    await waitFor(() => expect(detail.textContent).toContain('/v1/items/1'));
    expect(rows()[1]?.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('log-list').getAttribute('aria-activedescendant')).toBe(`log-row-${item(1).id}`);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('log-detail')).toBeNull());

    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByTestId('log-search'));
  });

  it('"View log" opens one connection’s log with the run’s first exchange selected', async () => {
    const calls = serve(600);
    getExchange.mockImplementation(async (id) => full(item(Number(id.slice(1)))));
    render(LogPage);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    // An exchange on the second page: the store reads on until it finds it.
    await logView.openFor('c1', item(350).id);
    await settle();
    expect(calls.at(-1)).toMatchObject({ connectionId: 'c1', cursor: '200' });
    expect(logView.activeIndex).toBe(350);
    expect(rows().map((r) => r.dataset.id)).toContain(item(350).id);
    expect(await screen.findByTestId('log-detail')).toBeTruthy();
    expect(screen.getByTestId<HTMLSelectElement>('log-filter-connection').value).toBe('c1');
  });
});

describe('LogPage connections', () => {
  afterEach(() => {
    appData.connections = [];
    appData.connectors = [];
  });

  it('names each row’s connection and the filter’s choices with their environment, and marks Production', async () => {
    const user = userEvent.setup();
    appData.connectors = [connector('http', 'HTTP API')];
    appData.connections = [
      connection('c1', { name: 'Orders API', environment: 'Production' }),
      connection('c2', { name: 'Orders API', environment: 'Sandbox' }),
    ];
    listExchanges.mockResolvedValue({ items: [item(0), item(1, { connectionId: 'c2' })], next: '' });
    render(LogPage);
    await waitFor(() => expect(rows().length).toBe(2));
    const [prod, sandbox] = rows();
    expect(prod?.textContent).toContain('Production · Orders API');
    expect(prod?.querySelector('[data-testid=production-badge]')?.textContent).toBe('Prod');
    expect(prod?.querySelector('.conn')?.getAttribute('title')).toBe('HTTP API › Production · Orders API');
    expect(sandbox?.textContent).toContain('Sandbox · Orders API');
    expect(sandbox?.querySelector('[data-testid=production-badge]')).toBeNull();

    const filter = screen.getByTestId<HTMLSelectElement>('log-filter-connection');
    expect(Array.from(filter.options).map((o) => o.textContent)).toEqual([
      'All connections',
      'Production · Orders API',
      'Sandbox · Orders API',
    ]);
    const beside = () => filter.parentElement?.querySelector('[data-testid=production-badge]');
    expect(beside()).toBeNull();
    await user.selectOptions(filter, 'c1');
    expect(beside()?.textContent).toBe('Production');
    await user.selectOptions(filter, 'c2');
    expect(beside()).toBeNull();
  });
});

describe('LogPage detail', () => {
  it('says when the shown exchange left the list, and names a deleted connection', async () => {
    serve(3);
    getExchange.mockImplementation(async (id) => full(item(Number(id.slice(1)))));
    appData.connections = [];
    render(LogPage);
    await waitFor(() => expect(rows().length).toBe(3));
    logView.select(item(1).id);
    await settle();
    expect(screen.queryByTestId('log-detail-left-list')).toBeNull();

    // A narrower filter: the list comes back without it.
    listExchanges.mockImplementation(async () => ({ items: [item(0)], next: '' }));
    await logView.reload();
    await settle();
    const note = await screen.findByTestId('log-detail-left-list');
    expect(note.textContent).toContain('No longer in this list');
    await fireEvent.click(screen.getByTestId('log-detail-left-list-close'));
    expect(logView.selectedId).toBe('');

    // Its connection deleted while the log is open: said so, not "Unsaved".
    expect(rows()[0]?.textContent).toContain('Unsaved connection');
    appData.remove('c1');
    await settle();
    expect(rows()[0]?.textContent).toContain('Deleted connection');
  });
});
