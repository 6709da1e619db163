// The workspaces and which one the window shows. Switching reloads every page:
// Go scopes connections, integrations and the log to the current workspace.

import * as api from '../api';
import type { WorkspaceDTO } from '../types';
import { appData } from './connections.svelte';
import { integrations } from './integrations.svelte';
import { logView } from './log.svelte';
import { testAll } from './testAll.svelte';
import { ui } from './ui.svelte';

class Workspaces {
  list: WorkspaceDTO[] = $state([]);
  loadError = $state('');

  current = $derived(this.list.find((w) => w.current) ?? null);

  private unsubscribe: (() => void) | null = null;

  async load(): Promise<void> {
    try {
      this.list = await api.listWorkspaces();
      this.loadError = '';
    } catch (e) {
      this.loadError = api.parseError(e).message;
    }
    if (!this.unsubscribe) {
      // A switch (here or elsewhere) reloads every page; a rename of the
      // current one only changes its name.
      this.unsubscribe = api.onWorkspaceChanged((w) => {
        if (w.id === this.current?.id) void this.load();
        else void this.reloadEverything();
      });
    }
  }

  /** Makes id the current workspace; the change event reloads the pages. */
  async switchTo(id: string): Promise<void> {
    if (this.current?.id === id) return;
    await api.switchWorkspace(id);
    await this.reloadEverything();
  }

  async create(name: string): Promise<WorkspaceDTO> {
    const w = await api.createWorkspace(name);
    await this.load();
    return w;
  }

  async rename(id: string, name: string): Promise<void> {
    await api.renameWorkspace(id, name);
    await this.load();
  }

  /** Deletes a workspace; one that holds something needs moveTo or deleteContents. */
  async remove(id: string, moveTo: string, deleteContents: boolean): Promise<void> {
    await api.deleteWorkspace(id, moveTo, deleteContents);
    await this.reloadEverything();
  }

  #reloading: Promise<void> | null = null;

  /** What the window shows all comes from the current workspace: reload it all. */
  reloadEverything(): Promise<void> {
    this.#reloading ??= (async () => {
      ui.editor = null;
      ui.manage = null;
      ui.selected = {};
      ui.shown = {};
      ui.pickedDuring = {};
      ui.search = '';
      await Promise.all([this.load(), appData.load(), integrations.load()]);
      testAll.followWorkspace(appData.info?.workspaceId ?? '');
      logView.clearSelection();
      logView.clearFilters();
    })().finally(() => {
      this.#reloading = null;
    });
    return this.#reloading;
  }
}

export const workspaces = new Workspaces();
