// The log detail and the editor's last attempt show one exchange through the
// same panels (ExchangeTabs, RequestPanel, ResponsePanel, TimingPanel,
// TlsPanel): whatever one place shows of the request, the response, the timing
// and the TLS, the other shows too.
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Exchange } from '../../../lib/types';
import { sampleExchange } from '../../../test/exchange';

vi.mock('../../../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../lib/api')>();
  return { ...actual, getExchange: vi.fn(), listExchanges: vi.fn(), onLogExchange: vi.fn(() => () => {}) };
});

const api = await import('../../../lib/api');
const { default: LogDetail } = await import('../LogDetail.svelte');
const { default: ExchangeView } = await import('../../editor/ExchangeView.svelte');

/** JSON both ways, so the full view's pretty body and the compact one read alike. */
const exchange = sampleExchange({
  id: 'shared',
  runId: 'run-shared',
  requestHeaders: [
    { name: 'Authorization', value: 'Bearer [redacted]' },
    { name: 'Content-Type', value: 'application/json' },
  ],
  requestBody: '{"grant_type":"client_credentials","client_secret":"[redacted]"}',
  requestBodySize: 62,
});

type Part = 'request' | 'response' | 'timing' | 'tls';

/** A place that shows the exchange: open(part) shows a part and returns its panel; close() unmounts it. */
interface Place {
  open(part: Part): Promise<HTMLElement>;
  close(): void;
}

async function logDetail(ex: Exchange): Promise<Place> {
  const user = userEvent.setup();
  vi.mocked(api.getExchange).mockResolvedValue(ex);
  vi.mocked(api.listExchanges).mockResolvedValue({ items: [], next: '' });
  const { unmount } = render(LogDetail, {
    props: { id: ex.id, connectionName: () => 'Billing', onnavigate: vi.fn(), onclose: vi.fn() },
  });
  const detail = await screen.findByTestId('log-detail');
  await within(detail).findByTestId('log-tab-request');
  return {
    async open(part) {
      await user.click(within(detail).getByTestId(`log-tab-${part}`));
      return within(detail).getByTestId(`log-panel-${part}`);
    },
    close: unmount,
  };
}

function lastAttempt(ex: Exchange): Place {
  const user = userEvent.setup();
  const { unmount } = render(ExchangeView, { props: { exchange: ex, open: true } });
  const view = screen.getByTestId('exchange');
  const tabName: Record<Part, string> = { request: 'Request', response: 'Response', timing: 'Timing & TLS', tls: 'Timing & TLS' };
  return {
    async open(part) {
      await user.click(within(view).getByRole('tab', { name: tabName[part] }));
      return within(view).getByRole('tabpanel');
    },
    close: unmount,
  };
}

/** A headers table as name and value pairs. */
function rows(table: HTMLElement): string[][] {
  return [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent ?? ''));
}

/** The <dd> beside a <dt> of a fact list. */
function fact(panel: HTMLElement, name: string): string {
  const dt = within(panel).getByText(name, { selector: 'dt' });
  return dt.nextElementSibling?.textContent?.trim() ?? '';
}

/** What a place shows of each part of the exchange, in words that both places share. */
async function shown(place: Place) {
  const request = await place.open('request');
  const requestSeen = {
    headers: rows(within(request).getByTestId('request-headers')),
    body: (request.querySelector('pre')?.textContent ?? '').trim(),
  };
  const response = await place.open('response');
  const responseSeen = {
    headers: rows(within(response).getByTestId('response-headers')),
    body: (within(response).queryByTestId('log-response-body') ?? within(response).getByTestId('response-body')).textContent,
  };
  const timing = await place.open('timing');
  const timingSeen = {
    phases: [...within(timing).getByTestId('waterfall').querySelectorAll('[data-phase]')].map((p) => p.textContent),
    remote: fact(timing, 'Remote address'),
    protocol: fact(timing, 'Protocol'),
  };
  const tls = await place.open('tls');
  const tlsSeen = {
    text: tls.textContent ?? '',
    subjects: ['CN=api.example.test', 'CN=Example CA'].filter((s) => within(tls).queryAllByText(s).length > 0),
  };
  place.close();
  return { request: requestSeen, response: responseSeen, timing: timingSeen, tls: tlsSeen };
}

describe('the exchange panels, in the log detail and in the editor’s last attempt', () => {
  it('show the same request, response, timing and TLS of one exchange', async () => {
    const full = await shown(await logDetail(exchange));
    const compact = await shown(lastAttempt(exchange));

    for (const seen of [full, compact]) {
      expect(seen.request.headers).toEqual([
        ['Authorization', 'Bearer [redacted]'],
        ['Content-Type', 'application/json'],
      ]);
      expect(seen.request.body).toBe('{\n  "grant_type": "client_credentials",\n  "client_secret": "[redacted]"\n}');
      expect(seen.response.headers).toEqual([
        ['Content-Type', 'application/json'],
        ['Www-Authenticate', 'Bearer error="invalid_token"'],
      ]);
      expect(seen.response.body).toBe('{\n  "message": "Bad credentials",\n  "documentation_url": "https://docs.example.test"\n}');
      expect(seen.timing.remote).toBe('127.0.0.1:443');
      expect(seen.timing.protocol).toBe('HTTP/2.0');
      for (const words of ['TLS 1.3', 'TLS_AES_128_GCM_SHA256', 'h2', 'api.example.test', 'certificate has expired']) {
        expect(seen.tls.text).toContain(words);
      }
      expect(seen.tls.subjects).toEqual(['CN=api.example.test', 'CN=Example CA']);
    }
    expect(compact.timing.phases).toEqual(full.timing.phases);
  });

  it('name what a hop to another origin withheld, in both places', async () => {
    const hop = sampleExchange({
      id: 'hop',
      redirectOf: 'first',
      withheld: { headers: ['X-Api-Key', 'X-Tenant'], params: ['api_key'] },
    });
    const words = 'the connection’s headers X-Api-Key, X-Tenant; query parameter api_key were not sent on';
    const log = await logDetail(hop);
    expect(within(await log.open('request')).getByTestId('withheld').textContent).toContain(words);
    log.close();
    const editor = lastAttempt(hop);
    expect(within(await editor.open('request')).getByTestId('withheld').textContent).toContain(words);
    editor.close();

    const plain = lastAttempt(exchange);
    expect(within(await plain.open('request')).queryByTestId('withheld')).toBeNull();
  });

  it('say the same when no response came', async () => {
    const refused = sampleExchange({
      id: 'refused',
      status: 0,
      statusText: '',
      responseHeaders: null,
      responseBody: '',
      responseBodySize: 0,
      contentType: '',
      tls: null,
      errorClass: 'refused',
      error: 'connect: connection refused',
    });
    const log = await logDetail(refused);
    expect((await log.open('response')).textContent).toContain('No response was received: connect: connection refused');
    log.close();
    const editor = lastAttempt(refused);
    expect((await editor.open('response')).textContent).toContain('No response was received.');
    expect(screen.getByTestId('exchange').textContent).toContain('connect: connection refused');
  });

  it('move between tabs with the arrow keys, and name the log’s tabs and panel for end-to-end tests', async () => {
    const user = userEvent.setup();
    const log = await logDetail(exchange);
    await log.open('response');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByTestId('log-tab-timing').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByTestId('log-tab-timing'));
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('log-tab-timing');
    log.close();

    const panel = await lastAttempt(exchange).open('response');
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Timing & TLS' }).getAttribute('aria-selected')).toBe('true');
    // Several attempts share the editor: their tabs carry no ids.
    expect(screen.getByRole('tab', { name: 'Timing & TLS' }).id).toBe('');
    expect(panel.hasAttribute('data-testid')).toBe(false);
  });
});
