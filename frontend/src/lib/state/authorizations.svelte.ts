// Browser authorizations of saved connections started outside the editor
// (a card's or a Manage Connections row's Connect / Re-authorize), by
// connection id, so every place that shows the connection shows the same
// "waiting for the browser" state and can cancel it.

import * as api from '../api';
import { OAuthFlow } from './oauthFlow.svelte';
import type { ConnectionSummary } from '../types';
import { appData } from './connections.svelte';
import { ui } from './ui.svelte';
import { environmentAndName } from '../environment';

class Authorizations {
  byConnection: Record<string, OAuthFlow> = $state({});

  get(id: string): OAuthFlow | null {
    return this.byConnection[id] ?? null;
  }

  running(id: string): boolean {
    return this.byConnection[id]?.running ?? false;
  }

  /**
   * Re-authorizes a saved connection as it is stored (Connect for one never
   * authorized): the browser opens, and when it comes back the connection is
   * tested and saved with its new tokens. The outcome is told in a toast and
   * by the connection's status; an authorization already running for it is
   * left alone.
   */
  async reauthorize(c: ConnectionSummary): Promise<void> {
    if (this.running(c.id)) return;
    const flow = new OAuthFlow();
    this.byConnection[c.id] = flow;
    try {
      const r = await flow.start((flowId) => api.reauthorizeConnection(c.id, flowId));
      if (r?.saved && r.connection) {
        appData.upsert(r.connection);
        void appData.refreshConnections();
        const v = r.verification;
        if (r.connection.status === 'connected') {
          const as = r.connection.identity ? ` as ${r.connection.identity}` : '';
          ui.toast('success', `“${environmentAndName(c)}” is connected${as}.`);
        } else {
          ui.toast('info', `“${environmentAndName(c)}” is authorized, but its test did not pass: ${v?.summary ?? r.connection.diagnosis}`, 8000);
        }
      } else if (r) {
        // The token endpoint refused or failed: nothing changed.
        ui.toast('error', `“${environmentAndName(c)}” was not re-authorized: ${r.verification?.summary ?? 'the token request failed.'}`, 10_000);
      } else if (flow.canceled) {
        ui.toast('info', `Sign-in for “${environmentAndName(c)}” canceled; nothing changed.`);
      } else if (flow.error) {
        ui.toast('error', flow.error.message, 10_000);
      }
    } finally {
      if (this.byConnection[c.id] === flow) delete this.byConnection[c.id];
    }
  }

  cancel(id: string): void {
    void this.byConnection[id]?.cancel();
  }
}

export const authorizations = new Authorizations();
