// Fetch one record: one dialog at a time, for a saved connection (from its
// card, its Manage row or an integration's side). The request runs in Go, is
// logged like a test, and leaves the connection's status as it was.

import * as api from '../api';
import type { ConnectionSummary, SampleDTO } from '../types';

export interface SampleView {
  connection: ConnectionSummary;
  running: boolean;
  runId: string;
  result: SampleDTO | null;
  /** The record parsed, when there is one. */
  record: unknown;
  error: string;
  /** The setting the error is about ("checkObject", "samplePath"), "" when none. */
  field: string;
}

class Sample {
  view: SampleView | null = $state(null);

  async fetch(connection: ConnectionSummary): Promise<void> {
    const runId = api.newRunId();
    this.view = { connection, running: true, runId, result: null, record: undefined, error: '', field: '' };
    try {
      const result = await api.fetchSample(connection.id, runId);
      if (this.view?.runId !== runId) return; // closed or replaced meanwhile
      let record: unknown;
      if (result.record !== '') {
        try {
          record = JSON.parse(result.record);
        } catch {
          record = result.record;
        }
      }
      this.view = { ...this.view, running: false, result, record };
    } catch (e) {
      if (this.view?.runId !== runId) return;
      const err = api.parseError(e);
      this.view = { ...this.view, running: false, error: err.message, field: err.field };
    }
  }

  close(): void {
    if (this.view?.running) void api.cancelRun(this.view.runId).catch(() => {});
    this.view = null;
  }
}

export const sample = new Sample();
