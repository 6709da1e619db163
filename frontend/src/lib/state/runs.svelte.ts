// Verification results seen in this session, by run id, so the connection log
// can put a run's diagnosis above its exchanges. Go does not store diagnoses
// per run; what this session saw is what it can show.

import type { VerificationDTO } from '../types';

export interface RunResult {
  status: string;
  code: string;
  summary: string;
  advice: string;
  checkedAt: string;
}

/** Enough for a long session; the oldest results are forgotten first. */
const MAX_RUNS = 500;

class RunResults {
  byRun: Record<string, RunResult> = $state({});
  private order: string[] = [];

  record(v: VerificationDTO | null | undefined): void {
    if (!v?.runId || !v.summary) return;
    if (!(v.runId in this.byRun)) this.order.push(v.runId);
    this.byRun[v.runId] = {
      status: v.status,
      code: v.code,
      summary: v.summary,
      advice: v.advice,
      checkedAt: v.checkedAt,
    };
    while (this.order.length > MAX_RUNS) {
      const old = this.order.shift();
      if (old) delete this.byRun[old];
    }
  }

  get(runId: string): RunResult | null {
    return this.byRun[runId] ?? null;
  }
}

export const runResults = new RunResults();
