import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Exchange } from '../../lib/types';
import { sampleExchange as exchange } from '../../test/exchange';

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
    onLogExchange: vi.fn(() => () => {}),
    retestConnection: vi.fn(),
  };
});

const api = await import('../../lib/api');
const { runResults } = await import('../../lib/state/runs.svelte');
const { appData } = await import('../../lib/state/connections.svelte');
const { ui } = await import('../../lib/state/ui.svelte');
const { default: LogDetail } = await import('./LogDetail.svelte');

const getExchange = vi.mocked(api.getExchange);
const listExchanges = vi.mocked(api.listExchanges);

function show(ex: Exchange) {
  getExchange.mockResolvedValue(ex);
  return render(LogDetail, {
    props: { id: ex.id, connectionName: () => 'Billing API (Sandbox)', onnavigate: vi.fn(), onclose: vi.fn() },
  });
}

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(api.copyText).mockResolvedValue(true);
  listExchanges.mockResolvedValue({ items: [], next: '' });
});

describe('LogDetail', () => {
  it('puts the run’s diagnosis on top when this session saw the result', async () => {
    runResults.record({
      runId: 'run-diag',
      status: 'disconnected',
      code: 'rejected',
      summary: 'Billing API rejected the key (401).',
      advice: 'Create a new key, then paste it here.',
      identity: '',
      httpStatus: 401,
      durationMs: 42,
      checkedAt: '',
      exchanges: null,
    });
    show(exchange({ id: 'ex-diag', runId: 'run-diag' }));
    const diag = await screen.findByTestId('log-diagnosis');
    expect(diag.textContent).toContain('Disconnected');
    expect(diag.textContent).toContain('Billing API rejected the key (401).');
    expect(diag.textContent).toContain('Create a new key');
  });

  it('shows only the status line for a run it has no result for', async () => {
    show(exchange({ id: 'ex-nodiag', runId: 'unknown-run' }));
    const detail = await screen.findByTestId('log-detail');
    await waitFor(() => expect(detail.textContent).toContain('401'));
    expect(detail.textContent).toContain('Unauthorized');
    expect(screen.queryByTestId('log-diagnosis')).toBeNull();
  });

  it('shows request, response, timing and TLS in their tabs', async () => {
    const user = userEvent.setup();
    show(exchange());
    // Response first: headers and a pretty JSON body.
    const headers = await screen.findByTestId('response-headers');
    expect(headers.textContent).toContain('Www-Authenticate');
    const body = screen.getByTestId('log-response-body');
    expect(body.textContent).toBe('{\n  "message": "Bad credentials",\n  "documentation_url": "https://docs.example.test"\n}');
    expect(body.querySelector('.tk-key')?.textContent).toBe('"message"');

    await user.click(screen.getByTestId('log-tab-request'));
    const params = screen.getByTestId('query-params');
    expect(within(params).getByText('scope').nextElementSibling?.textContent).toBe('read write');
    expect(screen.getByTestId('request-headers').textContent).toContain('Bearer [redacted]');
    expect(screen.getByTestId('log-request-body').textContent).toBe(
      'grant_type = client_credentials\nclient_secret = [redacted]',
    );
    await user.click(screen.getByTestId('raw-toggle'));
    expect(screen.getByTestId('log-request-body').textContent).toBe(
      'grant_type=client_credentials&client_secret=%5Bredacted%5D',
    );

    await user.click(screen.getByTestId('log-tab-timing'));
    const wf = screen.getByTestId('waterfall');
    expect(wf.querySelector('[data-phase="tls"]')?.textContent).toContain('10 ms');
    expect(wf.querySelector('[data-phase="wait"]')?.textContent).toContain('24 ms');

    await user.click(screen.getByTestId('log-tab-tls'));
    expect(screen.getByTestId('tls-error').textContent).toContain('certificate has expired');
    const cards = screen.getAllByTestId('cert-card');
    expect(cards).toHaveLength(2);
    expect(cards[0]?.textContent).toContain('CN=api.example.test');
    expect(within(cards[0]!).getByTestId('cert-warning').textContent).toMatch(/Expired/);
    expect(within(cards[1]!).queryByTestId('cert-warning')).toBeNull();
  });

  it('notes a truncated body and shows a binary one as a hex preview', async () => {
    const user = userEvent.setup();
    const { unmount } = show(exchange({ id: 'big', responseTruncated: true, responseBodySize: 5 * 1024 * 1024 }));
    expect((await screen.findByTestId('truncated-note')).textContent).toContain('Truncated at 1 MiB');
    expect(screen.getByTestId('truncated-note').textContent).toContain('5.0 MB');
    unmount();
    show(exchange({ id: 'bin', responseBinary: true, responseBody: '89504e47', contentType: 'image/png' }));
    expect((await screen.findByTestId('hex-preview')).textContent).toContain('89 50 4e 47');
    expect(screen.getByTestId('copy-response-body').hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByTestId('log-tab-tls'));
  });

  it('copies as cURL with secrets redacted, and with secrets only after a warning', async () => {
    const user = userEvent.setup();
    vi.mocked(api.copyAsCurl).mockImplementation(async (_id, secrets) =>
      secrets ? "curl -H 'X-Key: live'" : "curl -H 'X-Key: [redacted]'",
    );
    show(exchange({ id: 'curl1' }));
    await user.click(await screen.findByTestId('copy-curl'));
    expect(api.copyAsCurl).toHaveBeenLastCalledWith('curl1', false);
    expect(api.copyText).toHaveBeenLastCalledWith("curl -H 'X-Key: [redacted]'");

    await user.click(screen.getByTestId('copy-curl-menu'));
    await user.click(screen.getByTestId('copy-curl-secrets'));
    const dialog = screen.getByTestId('confirm-curl-secrets');
    expect(dialog.textContent).toContain('secrets in plain text');
    expect(api.copyAsCurl).toHaveBeenCalledTimes(1);
    await user.click(within(dialog).getByTestId('confirm-button'));
    await waitFor(() => expect(api.copyAsCurl).toHaveBeenLastCalledWith('curl1', true));
    expect(api.copyText).toHaveBeenLastCalledWith("curl -H 'X-Key: live'");
    await waitFor(() => expect(screen.queryByTestId('confirm-curl-secrets')).toBeNull());
  });

  it('exports HAR for the exchange, the run or the filter, and copies the response body', async () => {
    const user = userEvent.setup();
    vi.mocked(api.exportHAR).mockResolvedValue('/tmp/x.har');
    vi.mocked(api.exportHARData).mockResolvedValue('{"log":{}}');
    show(exchange({ id: 'har1', runId: 'run-h' }));
    await user.click(await screen.findByTestId('export-har'));
    await user.click(screen.getByTestId('export-har-run'));
    expect(api.exportHAR).toHaveBeenLastCalledWith({ exchangeId: '', runId: 'run-h', filter: null });
    await user.click(screen.getByTestId('export-har'));
    await user.click(screen.getByTestId('export-har-filter'));
    expect(vi.mocked(api.exportHAR).mock.lastCall?.[0].filter).toMatchObject({ cursor: '', limit: 0 });
    await user.click(screen.getByTestId('export-har'));
    await user.click(screen.getByTestId('copy-har'));
    await waitFor(() => expect(api.copyText).toHaveBeenLastCalledWith('{"log":{}}'));
    expect(api.exportHARData).toHaveBeenLastCalledWith({ exchangeId: 'har1', runId: '', filter: null });

    await user.click(screen.getByTestId('copy-response-body'));
    expect(api.copyText).toHaveBeenLastCalledWith(exchange().responseBody);
  });

  it('links a redirect to the hop before it and the hop after it', async () => {
    const user = userEvent.setup();
    const first = exchange({ id: 'hop1', status: 302, statusText: '302 Found', startedAt: '2025-03-10T12:00:00.000Z' });
    const second = exchange({ id: 'hop2', status: 200, redirectOf: 'hop1', startedAt: '2025-03-10T12:00:00.100Z' });
    getExchange.mockImplementation(async (id) => (id === 'hop1' ? first : second));
    listExchanges.mockResolvedValue({
      items: [
        { ...second, host: '', path: '', totalMs: 1 },
        { ...first, host: '', path: '', totalMs: 1 },
      ],
      next: '',
    });
    const onnavigate = vi.fn();
    render(LogDetail, { props: { id: 'hop1', connectionName: () => '', onnavigate, onclose: vi.fn() } });
    await user.click(await screen.findByTestId('redirect-next'));
    expect(onnavigate).toHaveBeenCalledWith('hop2');
    expect(vi.mocked(listExchanges).mock.lastCall?.[0].runId).toBe('run1');
  });
});

describe('LogDetail next steps', () => {
  it('offers Edit connection and Test again under a failed diagnosis; a re-test shows the new run', async () => {
    const user = userEvent.setup();
    appData.connectors = [
      { id: 'http', name: 'HTTP API', category: '', description: '', logo: '', docsUrl: '', baseUrl: '', fields: [], auth: [], test: { method: 'GET', path: '/' }, advanced: [], setup: [], builtin: true },
    ];
    appData.connections = [
      {
        id: 'c1', connectorId: 'http', name: 'Billing', environment: '', authType: 'apiKey', baseUrl: '',
        status: 'disconnected', diagnosis: '', identity: '', checkedAt: '', allowInsecureHttp: false, usedBy: [],
      },
    ];
    const failed = {
      runId: 'run-next', status: 'disconnected', code: 'rejected', summary: 'Rejected (401).', advice: '', identity: '',
      httpStatus: 401, durationMs: 1, checkedAt: '', exchanges: null,
    };
    runResults.record(failed);
    vi.mocked(api.retestConnection).mockResolvedValue({
      ...failed,
      runId: 'run-new',
      status: 'connected',
      summary: 'Accepted.',
      exchanges: [exchange({ id: 'new-2', startedAt: '2025-03-10T12:00:01.5Z' }), exchange({ id: 'new-1', startedAt: '2025-03-10T12:00:01Z' })],
    });
    getExchange.mockResolvedValue(exchange({ id: 'ex-next', runId: 'run-next' }));
    const onnavigate = vi.fn();
    render(LogDetail, { props: { id: 'ex-next', connectionName: () => 'Billing', onnavigate, onclose: vi.fn() } });

    await user.click(await screen.findByTestId('log-retest'));
    await waitFor(() => expect(onnavigate).toHaveBeenCalledWith('new-1'));
    expect(api.retestConnection).toHaveBeenCalledWith('c1', expect.any(String));
    expect(runResults.get('run-new')?.summary).toBe('Accepted.');

    await user.click(screen.getByTestId('log-edit-connection'));
    expect(ui.editor).toEqual({ connectorId: 'http', connectionId: 'c1' });
  });
});
