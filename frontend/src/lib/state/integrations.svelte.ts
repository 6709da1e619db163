// The current workspace's integrations, refreshed when Go says they changed
// (or when a connection they use changed its status).

import * as api from '../api';
import type { IntegrationDTO } from '../types';

class Integrations {
  list: IntegrationDTO[] = $state([]);
  loading = $state(true);
  loadError = $state('');
  /** Integration ids whose sides are being tested right now. */
  testing: Record<string, boolean> = $state({});

  byId = $derived(new Map(this.list.map((i) => [i.id, i])));

  private unsubscribe: (() => void)[] = [];

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.list = await api.listIntegrations();
      this.loadError = '';
    } catch (e) {
      this.loadError = api.parseError(e).message;
    } finally {
      this.loading = false;
    }
    if (this.unsubscribe.length === 0) {
      const refresh = (): void => void this.refresh();
      this.unsubscribe = [api.onIntegrationsChanged(refresh), api.onConnectionsChanged(refresh)];
    }
  }

  async refresh(): Promise<void> {
    try {
      this.list = await api.listIntegrations();
    } catch {
      // Keep what is shown; the next change tries again.
    }
  }

  upsert(v: IntegrationDTO): void {
    const i = this.list.findIndex((x) => x.id === v.id);
    if (i >= 0) this.list[i] = v;
    else this.list = [...this.list, v].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
  }

  remove(id: string): void {
    this.list = this.list.filter((i) => i.id !== id);
  }
}

export const integrations = new Integrations();
