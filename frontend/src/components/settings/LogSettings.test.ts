import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api')>();
  return { ...actual, getLogSettings: vi.fn(), setLogSettings: vi.fn() };
});

const api = await import('../../lib/api');
const { default: LogSettings } = await import('./LogSettings.svelte');

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(api.getLogSettings).mockResolvedValue({ runsPerConnection: 50, maxBytes: 200 * 1024 * 1024 });
});

describe('LogSettings', () => {
  it('shows the retention in runs and MiB and saves it in bytes', async () => {
    const user = userEvent.setup();
    vi.mocked(api.setLogSettings).mockResolvedValue();
    render(LogSettings);
    const runs = await screen.findByTestId<HTMLInputElement>('log-settings-runs');
    const size = screen.getByTestId<HTMLInputElement>('log-settings-size');
    expect(runs.value).toBe('50');
    expect(size.value).toBe('200');
    expect(screen.getByTestId('log-settings-save').hasAttribute('disabled')).toBe(true);

    await user.clear(runs);
    await user.type(runs, '500');
    await user.clear(size);
    await user.type(size, '1024');
    await user.click(screen.getByTestId('log-settings-save'));
    expect(api.setLogSettings).toHaveBeenCalledWith({ runsPerConnection: 500, maxBytes: 1024 * 1024 * 1024 });
  });

  it('refuses out-of-range values itself and puts Go’s field errors under their input', async () => {
    const user = userEvent.setup();
    render(LogSettings);
    const runs = await screen.findByTestId<HTMLInputElement>('log-settings-runs');
    await user.clear(runs);
    await user.type(runs, '0');
    await user.click(screen.getByTestId('log-settings-save'));
    expect(api.setLogSettings).not.toHaveBeenCalled();
    expect(runs.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/whole number from 1 to 10,000/)).toBeTruthy();

    vi.mocked(api.setLogSettings).mockRejectedValue(
      new api.ApiError('validation', 'The connection log size limit must be between 1 MiB and 10 GiB.', 'maxBytes'),
    );
    await user.clear(runs);
    await user.type(runs, '20');
    await user.click(screen.getByTestId('log-settings-save'));
    await waitFor(() => expect(screen.getByTestId('log-settings-size').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText(/between 1 MiB and 10 GiB/)).toBeTruthy();
  });
});
