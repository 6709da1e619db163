// The quick switcher over 10,000 connections: at most 50 rows drawn, the
// name that starts with what was typed first, arrows and Enter open it in
// the editor, a page and a connector open, and what it says when nothing matches.
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appData } from '../../lib/state/connections.svelte';
import { integrations } from '../../lib/state/integrations.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { ConnectionSummary } from '../../lib/types';
import { connection, connector } from '../../test/connections';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import QuickSwitcher from './QuickSwitcher.svelte';

let go: FakeWails;

/** Types the query as one paste: one search, not one per letter (jsdom draws slowly). */
async function type(user: ReturnType<typeof userEvent.setup>, text: string): Promise<void> {
  await user.click(screen.getByTestId('switcher-search'));
  await user.paste(text);
}

/** The rows drawn (a role query walks the whole tree: slow over 50 rows in jsdom). */
function options(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[role="option"]')];
}

function many(n: number): ConnectionSummary[] {
  const out: ConnectionSummary[] = [];
  for (let i = 0; i < n; i++) {
    out.push(connection(`c${i}`, { name: `Orders ${i}`, environment: i % 2 ? 'Sandbox' : 'Production' }));
  }
  return out;
}

beforeEach(() => {
  // jsdom lays nothing out, so it has no scrollIntoView; the arrows call it.
  Element.prototype.scrollIntoView ??= function scrollIntoView(): void {};
  go = installFakeWails();
  appData.connectors = [connector('http', 'HTTP API'), connector('stripe', 'Stripe')];
  appData.connections = [
    ...many(10_000),
    connection('billing', { name: 'Billing reconciliation with a very long name that goes on', environment: 'Production' }),
  ];
  appData.partial = false;
  integrations.list = [];
  ui.switcherOpen = true;
  ui.editor = null;
  ui.manage = null;
  ui.page = 'connectors';
});

afterEach(() => {
  go.uninstall();
  appData.connections = [];
  appData.connectors = [];
  ui.switcherOpen = false;
  ui.editor = null;
});

// jsdom draws a row slowly (hundreds of ms per render on a busy machine): room enough not to flake.
describe('QuickSwitcher over 10,000 connections', { timeout: 30_000 }, () => {
  it('draws at most 50 of 10,000 matches and says how many there are', async () => {
    const user = userEvent.setup();
    render(QuickSwitcher);
    await type(user, 'orders');
    const rows = options();
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.dataset.kind === 'connection')).toBe(true);
    expect(screen.getByTestId('switcher-count').textContent).toMatch(/50 of 10,000 shown/);
  });

  it('finds one connection by part of its name and opens it in the editor with Enter', async () => {
    const user = userEvent.setup();
    render(QuickSwitcher);
    await type(user, 'recon');
    const rows = options();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.getAttribute('aria-selected')).toBe('true');
    expect(rows[0]?.textContent).toContain('Billing reconciliation');
    await user.keyboard('{Enter}');
    expect(ui.editor).toEqual({ connectorId: 'http', connectionId: 'billing' });
    expect(ui.switcherOpen).toBe(false);
  });

  it('moves with the arrows and opens a page', async () => {
    const user = userEvent.setup();
    render(QuickSwitcher);
    await type(user, 'se');
    // Settings (a name that starts with "se") is first, then connections that contain "se" elsewhere.
    const first = options()[0];
    expect(first?.dataset.testid).toBe('switch-page-settings');
    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    await waitFor(() => expect(ui.page).toBe('settings'));
  });

  it('says so when nothing matches, and offers to add a connection', async () => {
    const user = userEvent.setup();
    render(QuickSwitcher);
    await type(user, 'qqqq');
    expect(options()).toHaveLength(0);
    expect(screen.getByTestId('switcher-none').textContent).toContain('Nothing is called “qqqq”');
    await user.click(screen.getByRole('button', { name: /Add a connection/ }));
    expect(ui.pickerOpen).toBe(true);
    expect(ui.switcherOpen).toBe(false);
    ui.pickerOpen = false;
  });

  it('opens a connector: Manage Connections when it has some, a new connection when not', async () => {
    const user = userEvent.setup();
    render(QuickSwitcher);
    await type(user, 'stripe');
    expect(screen.getByTestId('switch-connector-stripe').textContent).toContain('new connection');
    await user.keyboard('{Enter}');
    expect(ui.editor).toEqual({ connectorId: 'stripe', connectionId: null });
  });
});
