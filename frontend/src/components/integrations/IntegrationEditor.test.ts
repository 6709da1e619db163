// The integration editor through the real api.ts and bindings, with Go played
// by a fake window.go / window.runtime.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeTopLayer } from '../../lib/layers';
import { appData } from '../../lib/state/connections.svelte';
import { integrations } from '../../lib/state/integrations.svelte';
import { ui } from '../../lib/state/ui.svelte';
import type { IntegrationDTO } from '../../lib/types';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import { conn, connector, integration, side } from '../../test/integrations';
import IntegrationEditor from './IntegrationEditor.svelte';

const shopSandbox = conn('s1', 'shopify', 'Shop A', 'Sandbox');
const shopProd = conn('s2', 'shopify', 'Shop A', 'Production');
const whSandbox = conn('w1', 'http', 'Warehouse', 'Sandbox');

const existing = integration('i1', 'Orders to warehouse', side('source', 'shopify', 'Shopify', shopSandbox), side('destination', 'http', 'HTTP API', whSandbox), {
  description: 'Nightly',
});

let fake: FakeWails;

// What App does with Esc: close the top panel or dialog.
function onkey(e: KeyboardEvent): void {
  if (e.key === 'Escape') closeTopLayer();
}

beforeEach(() => {
  fake = installFakeWails();
  window.addEventListener('keydown', onkey);
  appData.connectors = [connector('shopify', 'Shopify'), connector('http', 'HTTP API'), connector('stripe', 'Stripe')];
  appData.connections = [shopSandbox, shopProd, whSandbox];
});

afterEach(() => {
  window.removeEventListener('keydown', onkey);
  fake.uninstall();
  integrations.list = [];
  appData.connections = [];
  ui.editor = null;
  ui.selected = {};
});

function open(i: IntegrationDTO | null = null) {
  const onclose = vi.fn();
  const user = userEvent.setup();
  render(IntegrationEditor, { props: { integration: i, onclose } });
  return { user, onclose };
}

const picker = (role: string) => screen.getByTestId(`side-picker-${role}`);

async function pick(user: ReturnType<typeof userEvent.setup>, role: string, option: string): Promise<void> {
  await user.click(within(picker(role)).getByTestId(`side-connection-${role}`));
  await user.click(within(picker(role)).getByTestId(option));
}

describe('IntegrationEditor', () => {
  it('creates an integration from a name and two sides, each a connector and one of its connections', async () => {
    const { user, onclose } = open();
    await user.type(screen.getByTestId('field-integration-name'), 'Orders to warehouse');
    await user.type(screen.getByTestId('field-integration-description'), 'Nightly export');
    await user.selectOptions(screen.getByTestId('side-connector-source'), 'shopify');
    // The connection dropdown lists the connector's connections with their status.
    await user.click(within(picker('source')).getByTestId('side-connection-source'));
    const listbox = within(picker('source')).getByRole('listbox');
    expect(within(listbox).getAllByRole('option').map((o) => o.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Production · Shop A Production Connected',
      'Sandbox · Shop A Connected',
      'Create connection…',
    ]);
    await user.click(within(listbox).getByTestId('connection-option-s1'));
    // A new connector's side starts in the other side's environment.
    await user.selectOptions(screen.getByTestId('side-connector-destination'), 'http');
    expect(within(picker('destination')).getByTestId('side-connection-destination').textContent).toContain('Sandbox · Warehouse');

    await user.click(screen.getByTestId('save-integration'));
    const call = await waitFor(() => fake.pendingCall('SaveIntegration'));
    expect(call.args[0]).toEqual({
      id: '', name: 'Orders to warehouse', description: 'Nightly export', active: true,
      source: { connectorId: 'shopify', connectionId: 's1' },
      destination: { connectorId: 'http', connectionId: 'w1' },
    });
    call.resolve({ ...existing, description: 'Nightly export' });
    await waitFor(() => expect(onclose).toHaveBeenCalledOnce());
    expect(integrations.byId.get('i1')?.name).toBe('Orders to warehouse');
  });

  it('puts Go’s field errors under their inputs and focuses the first', async () => {
    const { user, onclose } = open();
    await user.type(screen.getByTestId('field-integration-name'), 'Orders');
    await user.selectOptions(screen.getByTestId('side-connector-destination'), 'stripe');
    await user.click(screen.getByTestId('save-integration'));
    (await waitFor(() => fake.pendingCall('SaveIntegration'))).reject('validation', 'Choose the destination’s connection before making the integration active, or keep it paused.', 'destination.connectionId');
    const error = await screen.findByTestId('error-destination.connectionId');
    expect(error.textContent).toBe('Choose the destination’s connection before making the integration active, or keep it paused.');
    const dropdown = within(picker('destination')).getByTestId('side-connection-destination');
    await waitFor(() => expect(document.activeElement).toBe(dropdown));
    expect(dropdown.getAttribute('aria-describedby')).toBe(error.id);

    await user.click(screen.getByTestId('save-integration'));
    (await waitFor(() => fake.pendingCall('SaveIntegration', 1))).reject('conflict', 'An integration named "Orders" already exists in this workspace. Choose another name.', 'name');
    expect((await screen.findByTestId('error-name')).textContent).toContain('already exists');
    expect(screen.queryByTestId('error-destination.connectionId')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('field-integration-name')));
    // Typing clears it.
    await user.type(screen.getByTestId('field-integration-name'), ' 2');
    expect(screen.queryByTestId('error-name')).toBeNull();

    await user.click(screen.getByTestId('integration-paused'));
    await user.click(screen.getByTestId('save-integration'));
    (await waitFor(() => fake.pendingCall('SaveIntegration', 2))).reject('internal', 'The database is locked.', '');
    expect((await screen.findByTestId('integration-save-error')).textContent).toBe('The database is locked.');
    expect((fake.calls('SaveIntegration')[2]?.[0] as { active: boolean }).active).toBe(false);
    expect(onclose).not.toHaveBeenCalled();
  });

  it('Create connection… opens the connection editor set to the side’s connector and chooses what it saves', async () => {
    const { user } = open(existing);
    await pick(user, 'destination', 'create-connection');
    expect(ui.editor).toEqual({ connectorId: 'http', connectionId: null });

    // The connection editor saves without verifying (as ConnectionEditor.finishSaved does), then closes.
    const made = conn('w9', 'http', 'Warehouse v2', 'Sandbox', 'unverified');
    appData.upsert(made);
    ui.selected.http = 'w9';
    ui.editor = null;

    const dropdown = within(picker('destination')).getByTestId('side-connection-destination');
    await waitFor(() => expect(dropdown.textContent).toContain('Sandbox · Warehouse v2'));
    expect(within(dropdown).getByTestId('status-badge').dataset.status).toBe('unverified');
    await waitFor(() => expect(document.activeElement).toBe(dropdown));
    await user.click(screen.getByTestId('save-integration'));
    await waitFor(() => expect(fake.calls('SaveIntegration')).toHaveLength(1));
    expect((fake.calls('SaveIntegration')[0]?.[0] as { destination: unknown }).destination).toEqual({ connectorId: 'http', connectionId: 'w9' });
  });

  it('Create connection… closed without saving changes nothing', async () => {
    const { user } = open(existing);
    await pick(user, 'destination', 'create-connection');
    ui.editor = null;
    await waitFor(() => expect(within(picker('destination')).getByTestId('side-connection-destination').textContent).toContain('Sandbox · Warehouse'));
    expect(screen.queryByTestId('confirm-environment')).toBeNull();
  });

  it('asks before a side becomes Production and the sides’ environments differ; Keep leaves it, Use switches', async () => {
    const { user } = open(existing);
    await pick(user, 'source', 'connection-option-s2');
    const dialog = screen.getByTestId('confirm-environment');
    expect(dialog.textContent).toContain('Use Production with Sandbox?');
    expect(dialog.textContent).toContain('The source would use “Production · Shop A”, a Production connection');
    expect(dialog.textContent).toContain('this integration would pair Production with Sandbox.');
    const cancel = within(dialog).getByTestId('confirm-cancel');
    expect(cancel.textContent?.trim()).toBe('Keep Sandbox');
    await user.click(cancel);
    const dropdown = within(picker('source')).getByTestId('side-connection-source');
    expect(dropdown.textContent).toContain('Sandbox · Shop A');

    await pick(user, 'source', 'connection-option-s2');
    await user.click(within(screen.getByTestId('confirm-environment')).getByTestId('confirm-button'));
    await waitFor(() => expect(screen.queryByTestId('confirm-environment')).toBeNull());
    expect(dropdown.textContent).toContain('Production · Shop A');
    expect(within(dropdown).getByTestId('production-badge')).toBeTruthy();
  });

  it('the dropdown works from the keyboard, and Esc closes only the list', async () => {
    const { user, onclose } = open(existing);
    // The panel puts focus on the name first.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('field-integration-name')));
    const dropdown = within(picker('source')).getByTestId('side-connection-source');
    dropdown.focus();
    await user.keyboard('{ArrowDown}');
    const listbox = within(picker('source')).getByRole('listbox');
    // It opens on the chosen one.
    expect(listbox.getAttribute('aria-activedescendant')).toBe('source-connection-opt-s1');
    await user.keyboard('{Escape}');
    expect(within(picker('source')).queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(dropdown);
    expect(onclose).not.toHaveBeenCalled();

    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    expect(screen.getByTestId('confirm-environment')).toBeTruthy();
  });

  it('Esc closes at once when nothing changed, asks before dropping edits, and Keep editing keeps them', async () => {
    const clean = open(existing);
    await clean.user.keyboard('{Escape}');
    expect(clean.onclose).toHaveBeenCalledOnce();
    document.body.innerHTML = '';

    const { user, onclose } = open(existing);
    await user.type(screen.getByTestId('field-integration-name'), ' (EU)');
    await user.keyboard('{Escape}');
    const dialog = screen.getByTestId('confirm-discard');
    expect(dialog.textContent).toContain('Your changes to “Orders to warehouse” are not saved.');
    await user.click(within(dialog).getByTestId('confirm-cancel'));
    expect(onclose).not.toHaveBeenCalled();
    expect((screen.getByTestId('field-integration-name') as HTMLInputElement).value).toBe('Orders to warehouse (EU)');

    await user.click(screen.getByTestId('cancel-integration'));
    await user.click(within(screen.getByTestId('confirm-discard')).getByTestId('confirm-button'));
    expect(onclose).toHaveBeenCalledOnce();
  });
});
