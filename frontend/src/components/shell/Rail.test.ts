import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { appData } from '../../lib/state/connections.svelte';
import { integrations } from '../../lib/state/integrations.svelte';
import { ui } from '../../lib/state/ui.svelte';
import { conn, integration, side } from '../../test/integrations';
import Rail from './Rail.svelte';

afterEach(() => {
  integrations.list = [];
  appData.connections = [];
  ui.page = 'connectors';
});

describe('Rail', () => {
  it('has Integrations between Connectors and the Connection log, with how many there are', async () => {
    const ok = conn('a', 'http', 'A', 'Sandbox');
    const bad = conn('b', 'http', 'B', 'Sandbox', 'disconnected');
    integrations.list = [
      integration('i1', 'One', side('source', 'http', 'HTTP API', ok), side('destination', 'http', 'HTTP API', ok)),
      integration('i2', 'Two', side('source', 'http', 'HTTP API', ok), side('destination', 'http', 'HTTP API', bad)),
    ];
    const user = userEvent.setup();
    render(Rail);
    const items = screen.getAllByRole('button').filter((b) => b.dataset.testid?.startsWith('nav-'));
    expect(items.map((b) => b.dataset.testid)).toEqual(['nav-connectors', 'nav-integrations', 'nav-log', 'nav-settings']);
    const nav = screen.getByTestId('nav-integrations');
    expect(nav.textContent).toContain('Integrations');
    const count = nav.querySelector('.count');
    expect(count?.textContent).toBe('2');
    expect(count?.getAttribute('title')).toBe('1 needs attention');

    await user.click(nav);
    expect(ui.page).toBe('integrations');
    expect(nav.getAttribute('aria-current')).toBe('page');
  });
});
