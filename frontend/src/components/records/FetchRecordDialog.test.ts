import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionDTO, SampleDTO } from '../../lib/types';

vi.mock('../../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api')>();
  return { ...actual, fetchSample: vi.fn(), cancelRun: vi.fn() };
});

const api = await import('../../lib/api');
const { sample } = await import('../../lib/state/sample.svelte');
const { ui } = await import('../../lib/state/ui.svelte');
const { default: FetchRecordDialog } = await import('./FetchRecordDialog.svelte');

const conn = {
  id: 'c1', workspaceId: 'personal', connectorId: 'stripe', name: 'Payments', environment: 'Production', authType: 'bearer',
  baseUrl: '', settings: {}, secretFields: [], timeoutSeconds: 15, status: 'connected', diagnosis: '', identity: '',
  checkedAt: '', allowInsecureHttp: false, createdAt: '', updatedAt: '', userSecrets: [], parameters: {},
} satisfies ConnectionDTO;

function result(over: Partial<SampleDTO['verification']>, record: string): SampleDTO {
  return {
    label: 'customer', record,
    verification: { runId: 'r', status: 'connected', code: 'ok', summary: 'Fetched one customer.', advice: '', identity: '',
      httpStatus: 200, durationMs: 12, checkedAt: '', exchanges: [{ id: 'ex-1' } as never], ...over },
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  sample.view = null;
});

describe('Fetch one record', () => {
  it('shows the record as a tree in the order the API sent it, and leads to the log', async () => {
    const user = userEvent.setup();
    let answer: (r: SampleDTO) => void = () => {};
    vi.mocked(api.fetchSample).mockReturnValue(new Promise((r) => (answer = r)));
    void sample.fetch(conn);
    render(FetchRecordDialog);
    expect(screen.getByTestId('fetch-record-running')).toBeTruthy();
    expect(screen.getByTestId('production-badge').textContent).toBe('Production');

    answer(result({}, '{"zeta":"first","id":"cus_1","address":{"city":"Oslo"},"tags":["a","b"],"active":true,"note":null}'));
    const tree = await screen.findByTestId('record-tree');
    const keys = within(tree).getAllByText(/^(zeta|id|address|tags|active|note)$/).map((e) => e.textContent);
    expect(keys).toEqual(['zeta', 'id', 'address', 'tags', 'active', 'note']);
    expect(within(tree).getByText('"Oslo"')).toBeTruthy();
    expect(screen.getByTestId('fetch-record-summary').textContent).toBe('Fetched one customer.');

    const show = vi.spyOn(ui, 'showLog').mockImplementation(() => {});
    await user.click(screen.getByTestId('fetch-record-log'));
    expect(show).toHaveBeenCalledWith('c1', 'ex-1');
    expect(sample.view).toBeNull();
  });

  it('says what the connection cannot read, and offers to edit where a setting is at fault', async () => {
    const user = userEvent.setup();
    vi.mocked(api.fetchSample).mockResolvedValue(
      result({ status: 'disconnected', code: 'forbidden', summary: 'Could not fetch a customer: the key lacks rak_customer_read (403).',
        advice: 'Give the key read access to customers.', field: '' }, ''),
    );
    render(FetchRecordDialog);
    await sample.fetch(conn);
    expect((await screen.findByTestId('fetch-record-summary')).textContent).toContain('403');
    expect(screen.queryByTestId('record-tree')).toBeNull();
    expect(screen.getByText('Give the key read access to customers.')).toBeTruthy();

    vi.mocked(api.fetchSample).mockRejectedValue(JSON.stringify({ code: 'validation', field: 'checkObject', message: 'Name the table to fetch a row from.' }));
    await sample.fetch({ ...conn, connectorId: 'postgresql' });
    await waitFor(() => expect(screen.getByTestId('fetch-record-error').textContent).toBe('Name the table to fetch a row from.'));
    const open = vi.spyOn(ui, 'openEditor').mockImplementation(() => {});
    await user.click(screen.getByTestId('fetch-record-edit'));
    expect(open).toHaveBeenCalledWith('postgresql', 'c1');
  });

  it('cancels a running fetch when closed', async () => {
    const user = userEvent.setup();
    vi.mocked(api.fetchSample).mockReturnValue(new Promise(() => {}));
    vi.mocked(api.cancelRun).mockResolvedValue();
    void sample.fetch(conn);
    render(FetchRecordDialog);
    const runId = sample.view?.runId;
    await user.click(screen.getByTestId('fetch-record-close'));
    expect(api.cancelRun).toHaveBeenCalledWith(runId);
  });
});
