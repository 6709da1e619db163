// One browser authorization as the UI follows it: the flow id that ties Go's
// oauth:progress and verify:exchange events to the call, the stage it is at,
// the sign-in link and redirect URI to show, then the outcome. The exchanges,
// the verification, the error and "canceled" come from a LiveRun (the flow id
// is its run id), so the result renders like any test result.

import { cancelAuthorization, onOAuthProgress, type ApiError } from '../api';
import { LiveRun } from './liveRun.svelte';
import { flowStep } from '../oauth';
import type { AuthorizationDTO, OAuthProgressEvent } from '../types';

const STAGE_ORDER = ['', 'listening', 'browser_opened', 'callback', 'exchanging', 'done'];

/** Where a stage is in the flow; "failed" ends it like "done". */
function stageRank(stage: string): number {
  if (stage === 'failed') return STAGE_ORDER.length;
  const i = STAGE_ORDER.indexOf(stage);
  return i < 0 ? 0 : i;
}

export class OAuthFlow {
  readonly run = new LiveRun();
  /** The last stage Go reported ("" before the first event). */
  stage = $state('');
  /** Go's words for the stage, e.g. why the browser could not be opened. */
  message = $state('');
  authorizeUrl = $state('');
  redirectUri = $state('');
  /** Go could not open the browser: the user has to copy the link. */
  browserFailed = $state(false);
  /** What the call returned; null while it runs, after an error or a cancel. */
  outcome: AuthorizationDTO | null = $state(null);
  private listeningSeen = false;
  private off: (() => void) | null = null;

  get flowId(): string {
    return this.run.runId;
  }

  get running(): boolean {
    return this.run.running;
  }

  get error(): ApiError | null {
    return this.run.error;
  }

  get canceled(): boolean {
    return this.run.canceled && this.outcome === null;
  }

  /** The test request with the new token has started. */
  get testing(): boolean {
    return this.run.exchanges.some((x) => x.kind === 'test');
  }

  /** The step of FLOW_STEPS the flow is at. */
  get step(): number {
    return flowStep(this.stage, this.testing);
  }

  /** Something to show: running, or an outcome, error or cancel to report. */
  get active(): boolean {
    return this.running || this.outcome !== null || this.error !== null || this.canceled;
  }

  /**
   * Runs fn (StartAuthorization or ReauthorizeConnection) with a fresh flow
   * id. Resolves to its result, or null when it was refused (see error) or
   * canceled.
   */
  async start(fn: (flowId: string) => Promise<AuthorizationDTO>): Promise<AuthorizationDTO | null> {
    this.stage = '';
    this.message = '';
    this.authorizeUrl = '';
    this.redirectUri = '';
    this.browserFailed = false;
    this.outcome = null;
    this.listeningSeen = false;
    this.off?.();
    // Subscribed before the call: Go reports "listening" as soon as the
    // listener is up, well before the call returns.
    this.off = onOAuthProgress((ev) => {
      if (ev.flowId === this.run.runId && this.run.running) this.apply(ev);
    });
    try {
      const r = await this.run.run(fn, (value) => value.verification ?? null);
      this.outcome = r;
      return r;
    } finally {
      this.off?.();
      this.off = null;
    }
  }

  private apply(ev: OAuthProgressEvent): void {
    if (ev.authorizeUrl) this.authorizeUrl = ev.authorizeUrl;
    if (ev.redirectUri) this.redirectUri = ev.redirectUri;
    if (ev.stage === 'listening') {
      // A second "listening" means the browser could not be opened: the
      // flow keeps waiting for the link to be opened by hand.
      if (this.listeningSeen) {
        this.browserFailed = true;
        this.message = ev.message;
      }
      this.listeningSeen = true;
    }
    // Stages only move forward. Events can arrive out of order (Wails' dev
    // server sends each on its own goroutine): a late "listening" must not
    // undo "browser_opened".
    if (stageRank(ev.stage) < stageRank(this.stage)) return;
    this.stage = ev.stage;
    this.message = ev.message;
  }

  /** Stops the flow: Go closes the listener and the call rejects with "canceled". */
  async cancel(): Promise<void> {
    if (!this.run.running) return;
    this.run.canceled = true;
    try {
      await cancelAuthorization(this.run.runId);
    } catch {
      // The flow may have just finished; its result still arrives.
    }
  }

  /** Forgets the flow (its panel closed); a running one is canceled. */
  dispose(): void {
    if (this.run.running) void cancelAuthorization(this.run.runId).catch(() => {});
    this.off?.();
    this.off = null;
    this.run.dispose();
  }

  clear(): void {
    this.run.clear();
    this.outcome = null;
    this.stage = '';
    this.message = '';
  }
}
