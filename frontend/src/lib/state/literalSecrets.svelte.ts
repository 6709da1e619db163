// The editor's watch for secrets typed into plain settings: a scan (Go's
// FindLiteralSecrets) after the person pauses typing, or at once after a save
// was refused with literal_secret; "Keep it as a secret" for one finding or
// all, each followed by a scan, since one change moves the others' text.

import { hasPlainText } from '../literalSecrets';
import type { ConnectionDraft, LiteralFinding } from '../types';
import type { ConnectionFormState } from './connectionForm.svelte';

/** How long typing pauses before a scan. */
export const SCAN_DELAY_MS = 400;

export class LiteralScan {
  /** What the last scan found, in Go's order. */
  findings: LiteralFinding[] = $state([]);
  /** What the last keep moved, as "{{name}}" references, until the next edit. */
  kept: string[] = $state([]);
  /** A keep is under way. */
  keeping = $state(false);
  readonly #form: ConnectionFormState;
  readonly #find: (d: ConnectionDraft) => Promise<LiteralFinding[]>;
  readonly #delay: number;
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(form: ConnectionFormState, find: (d: ConnectionDraft) => Promise<LiteralFinding[]>, delayMs = SCAN_DELAY_MS) {
    this.#form = form;
    this.#find = find;
    this.#delay = delayMs;
  }

  /** After an edit: scans once typing pauses; a later edit replaces the wait. */
  schedule(): void {
    if (this.keeping) return; // its own edits: it scans after each
    clearTimeout(this.#timer);
    this.kept = [];
    if (!hasPlainText(this.#form.draft().settings)) {
      this.#seq++; // an answer still on its way is stale
      this.findings = [];
      return;
    }
    this.#timer = setTimeout(() => void this.scan(), this.#delay);
  }

  /** Scans the form as it is now. A failed scan shows nothing: Save still refuses. */
  async scan(): Promise<void> {
    clearTimeout(this.#timer);
    const seq = ++this.#seq;
    let list: LiteralFinding[] = [];
    try {
      list = await this.#find(this.#form.draft());
    } catch {
      list = [];
    }
    if (seq === this.#seq) this.findings = list;
  }

  /** Keeps one finding as a secret, then scans again. */
  async keep(f: LiteralFinding): Promise<void> {
    await this.#keep([f], 1);
  }

  /** Keeps every finding, one after the other, each from a fresh scan. */
  async keepAll(): Promise<void> {
    await this.#keep(this.findings, this.findings.length + 5);
  }

  async #keep(first: LiteralFinding[], rounds: number): Promise<void> {
    if (this.keeping) return;
    this.keeping = true;
    const kept: string[] = [];
    try {
      let next: LiteralFinding | undefined = first[0];
      for (let i = 0; i < rounds && next; i++) {
        if (this.#form.keepAsSecret(next)) kept.push(`{{${next.secretName}}}`);
        else if (i > 0) break; // the text moved on: let the scan below say what is left
        await this.scan();
        next = this.findings[0];
      }
    } finally {
      this.keeping = false;
      this.kept = kept;
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#seq++;
  }
}
