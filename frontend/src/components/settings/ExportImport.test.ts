import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportPlan } from '../../lib/types';

vi.mock('../../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api')>();
  return { ...actual, exportWorkspace: vi.fn(), previewImport: vi.fn(), applyImport: vi.fn() };
});

const api = await import('../../lib/api');
const { default: ExportImport } = await import('./ExportImport.svelte');

const plan: ImportPlan = {
  path: '/home/ada/personal.patchbay.yaml',
  steps: [
    { action: 'create', what: 'connection', name: 'Billing', environment: 'Sandbox', needs: ['apiKey'], note: '' },
    { action: 'unchanged', what: 'connection', name: 'Shop', environment: '', needs: [], note: '' },
    { action: 'create', what: 'integration', name: 'Orders sync', environment: '', needs: [], note: '' },
  ],
};

beforeEach(() => vi.clearAllMocks());

describe('Export and import', () => {
  it('shows the plan first and imports only when asked', async () => {
    const user = userEvent.setup();
    vi.mocked(api.previewImport).mockResolvedValue(plan);
    vi.mocked(api.applyImport).mockResolvedValue(plan);
    render(ExportImport);
    await user.click(screen.getByTestId('import-workspace'));
    const table = await screen.findByTestId('import-plan');
    expect(table.textContent).toContain('Sandbox · Billing');
    expect(table.textContent).toContain('needs apiKey');
    expect(api.applyImport).not.toHaveBeenCalled();
    const apply = screen.getByTestId('import-apply');
    expect(apply.textContent).toContain('Import 2 changes');
    await user.click(apply);
    expect(api.applyImport).toHaveBeenCalledWith('/home/ada/personal.patchbay.yaml');
    await waitFor(() => expect(screen.getByText(/1 connection needs secrets/)).toBeTruthy());
  });

  it('says why a file is refused, and a closed dialog does nothing', async () => {
    const user = userEvent.setup();
    vi.mocked(api.previewImport).mockResolvedValueOnce({ path: '', steps: [] });
    render(ExportImport);
    await user.click(screen.getByTestId('import-workspace'));
    expect(screen.queryByTestId('import-plan')).toBeNull();
    vi.mocked(api.previewImport).mockRejectedValueOnce(
      JSON.stringify({ code: 'validation', message: 'The file is version 9 of the export format; this Patchbay reads version 1.' }),
    );
    await user.click(screen.getByTestId('import-workspace'));
    expect((await screen.findByTestId('import-error')).textContent).toContain('version 9');
  });
});
