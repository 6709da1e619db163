import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeTopLayer } from '../../lib/layers';
import { workspaces } from '../../lib/state/workspaces.svelte';
import type { WorkspaceDTO } from '../../lib/types';
import { workspace } from '../../test/connections';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import WorkspaceSwitcher from './WorkspaceSwitcher.svelte';

let go: FakeWails;
let list: WorkspaceDTO[];
const escape = (e: KeyboardEvent) => {
  if (e.key === 'Escape') closeTopLayer(); // what App does
};

beforeEach(async () => {
  go = installFakeWails();
  list = [
    workspace('w1', 'Personal', { connections: 3, integrations: 1, current: true }),
    workspace('w2', 'Staging'),
  ];
  go.answer('ListWorkspaces', () => list);
  go.answer('SwitchWorkspace', (id) => {
    list = list.map((w) => ({ ...w, current: w.id === id }));
    return list.find((w) => w.id === id);
  });
  for (const m of ['ListConnectors', 'ListIntegrations']) go.answer(m, () => []);
  go.answer('ConnectionsOverview', () => ({ total: 0, connectors: [] }));
  go.answer('Keychain', () => ({ ok: true, message: '' }));
  go.answer('Info', () => ({ workspaceId: list.find((w) => w.current)?.id, workspaceName: '' }));
  await workspaces.load();
  window.addEventListener('keydown', escape);
});

afterEach(() => {
  window.removeEventListener('keydown', escape);
  go.uninstall();
  workspaces.list = [];
});

async function openMenu(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await user.click(screen.getByTestId('workspace'));
  return screen.findByRole('menu');
}

describe('WorkspaceSwitcher', () => {
  it('names the current workspace and lists every workspace with its counts, the current one checked', async () => {
    const user = userEvent.setup();
    render(WorkspaceSwitcher);
    expect(screen.getByTestId('workspace-name').textContent).toBe('Personal');
    const menu = await openMenu(user);
    const personal = within(menu).getByTestId('workspace-option-w1');
    expect(personal.getAttribute('role')).toBe('menuitemradio');
    expect(personal.getAttribute('aria-checked')).toBe('true');
    expect(personal.textContent).toContain('3 connections · 1 integration');
    const staging = within(menu).getByTestId('workspace-option-w2');
    expect(staging.getAttribute('aria-checked')).toBe('false');
    expect(staging.textContent).toContain('Empty');
    expect(within(menu).getByTestId('workspace-rename').textContent).toContain('Rename “Personal”…');
    // The menu refreshed the counts as it opened.
    expect(go.calls('ListWorkspaces').length).toBeGreaterThanOrEqual(2);
  });

  it('switches by keyboard, and Esc closes the menu with focus back on its button', async () => {
    const user = userEvent.setup();
    render(WorkspaceSwitcher);
    screen.getByTestId('workspace').focus();
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('workspace-option-w1')));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('workspace'));

    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('workspace-option-w1')));
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(go.calls('SwitchWorkspace')).toEqual([['w2']]));
    await waitFor(() => expect(screen.getByTestId('workspace-name').textContent).toBe('Staging'));
  });

  it('New workspace… says what is wrong under the name, then creates it and switches to it', async () => {
    const user = userEvent.setup();
    go.answer('CreateWorkspace', (name) => {
      if (name === 'Client B') throw JSON.stringify({ code: 'conflict', message: 'A workspace named "Client B" already exists. Choose another name.', field: 'name' });
      const w = workspace('w3', String(name));
      list = [...list, w];
      return w;
    });
    render(WorkspaceSwitcher);
    await user.click(within(await openMenu(user)).getByTestId('workspace-new'));
    const dialog = screen.getByTestId('workspace-name-dialog');
    const input = screen.getByTestId('workspace-name-input') as HTMLInputElement;
    expect(document.activeElement).toBe(input);

    await user.keyboard('{Enter}');
    expect(screen.getByTestId('workspace-name-input-error').textContent).toBe('Enter a name for the workspace.');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await user.type(input, 'staging');
    expect(screen.getByTestId('workspace-name-input-error').textContent).toContain('“Staging” already exists');
    expect(go.calls('CreateWorkspace')).toEqual([]);

    // Go's refusal lands under the input too.
    await user.clear(input);
    await user.type(input, 'Client B{Enter}');
    await waitFor(() => expect(screen.getByTestId('workspace-name-input-error').textContent).toContain('already exists'));
    expect(within(dialog).queryByTestId('confirm-error')).toBeNull();

    await user.clear(input);
    await user.type(input, 'Client A{Enter}');
    await waitFor(() => expect(screen.queryByTestId('workspace-name-dialog')).toBeNull());
    expect(go.calls('CreateWorkspace').at(-1)).toEqual(['Client A']);
    expect(go.calls('SwitchWorkspace')).toEqual([['w3']]);
  });

  it('Rename… renames the current workspace', async () => {
    const user = userEvent.setup();
    go.answer('RenameWorkspace', (id, name) => {
      list = list.map((w) => (w.id === id ? { ...w, name: String(name) } : w));
      return list.find((w) => w.id === id);
    });
    render(WorkspaceSwitcher);
    await user.click(within(await openMenu(user)).getByTestId('workspace-rename'));
    const input = screen.getByTestId('workspace-name-input') as HTMLInputElement;
    expect(input.value).toBe('Personal');
    await user.clear(input);
    await user.type(input, 'Acme{Enter}');
    await waitFor(() => expect(go.calls('RenameWorkspace')).toEqual([['w1', 'Acme']]));
    await waitFor(() => expect(screen.getByTestId('workspace-name').textContent).toBe('Acme'));
  });

  it('does not offer to delete the only workspace', async () => {
    const user = userEvent.setup();
    list = [list[0]!];
    await workspaces.load();
    render(WorkspaceSwitcher);
    const del = within(await openMenu(user)).getByTestId('workspace-delete');
    expect(del.hasAttribute('disabled')).toBe(true);
    expect(del.textContent).toContain('The only workspace cannot be deleted');
  });

  it('Delete… of a workspace that holds things moves them to the workspace chosen', async () => {
    const user = userEvent.setup();
    list = [...list, workspace('w3', 'Archive')];
    await workspaces.load();
    go.answer('DeleteWorkspace', (id) => {
      list = list.filter((w) => w.id !== id).map((w) => ({ ...w, current: w.id === 'w3' }));
      return undefined;
    });
    render(WorkspaceSwitcher);
    await user.click(within(await openMenu(user)).getByTestId('workspace-delete'));
    const dialog = screen.getByTestId('delete-workspace-dialog');
    expect(screen.getByTestId('delete-workspace-contents').textContent).toBe('3 connections and 1 integration');
    expect(dialog.textContent).toContain('removed from the system keychain');
    expect((screen.getByTestId('delete-workspace-move') as HTMLInputElement).checked).toBe(true);
    await user.selectOptions(screen.getByTestId('delete-workspace-target'), 'w3');
    expect(screen.getByTestId('confirm-button').textContent).toContain('Move and delete workspace');
    await user.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(go.calls('DeleteWorkspace')).toEqual([['w1', 'w3', false]]));
    await waitFor(() => expect(screen.queryByTestId('delete-workspace-dialog')).toBeNull());
  });

  it('Delete… can delete what the workspace holds, saying how much, and shows a refusal', async () => {
    const user = userEvent.setup();
    go.answer('DeleteWorkspace', () => {
      throw JSON.stringify({ code: 'internal', message: 'The keychain did not answer.' });
    });
    render(WorkspaceSwitcher);
    await user.click(within(await openMenu(user)).getByTestId('workspace-delete'));
    await user.click(screen.getByTestId('delete-workspace-delete'));
    expect(screen.getByTestId('confirm-button').textContent).toContain('Delete workspace and its 3 connections and 1 integration');
    await user.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(go.calls('DeleteWorkspace')).toEqual([['w1', '', true]]));
    expect((await screen.findByTestId('confirm-error')).textContent).toBe('The keychain did not answer.');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('delete-workspace-dialog')).toBeNull();
  });

  it('Delete… of an empty workspace just asks', async () => {
    const user = userEvent.setup();
    go.answer('SwitchWorkspace', (id) => {
      list = list.map((w) => ({ ...w, current: w.id === id }));
      return list.find((w) => w.id === id);
    });
    await workspaces.switchTo('w2');
    go.answer('DeleteWorkspace', () => undefined);
    render(WorkspaceSwitcher);
    await user.click(within(await openMenu(user)).getByTestId('workspace-delete'));
    const dialog = screen.getByTestId('delete-workspace-dialog');
    expect(dialog.textContent).toContain('It holds no connections or integrations.');
    expect(screen.queryByTestId('delete-workspace-move')).toBeNull();
    await user.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(go.calls('DeleteWorkspace')).toEqual([['w2', '', false]]));
  });
});
