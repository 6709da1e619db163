// The integration editor's state: name, description, Active or Paused, and
// the two sides, each a connector and one of its connections in this
// workspace. Choosing a connection that makes a side Production, or the two
// sides' environments differ, waits for a yes. "Create connection…" opens
// the connection editor and picks what it saves. Go's field errors land
// under their inputs.

import { parseError } from '../api';
import { matchingConnection, switchWarning, type SwitchWarning } from '../integrations';
import type { ConnectionSummary, IntegrationDraft, IntegrationDTO, Role, SideDraft } from '../types';
import { appData } from './connections.svelte';
import { integrations } from './integrations.svelte';
import { ui } from './ui.svelte';

/** The inputs Go's errors can name; anything else is shown above the buttons. */
export const FIELDS = [
  'name',
  'description',
  'source.connectorId',
  'source.connectionId',
  'destination.connectorId',
  'destination.connectionId',
] as const;

export type FieldKey = (typeof FIELDS)[number];

function isField(f: string): f is FieldKey {
  return (FIELDS as readonly string[]).includes(f);
}

/** A choice that waits for "Use it" in the confirmation. */
export interface PendingSwitch {
  role: Role;
  connectionId: string;
  warning: SwitchWarning;
}

/** A "Create connection…" under way in the connection editor. */
interface PendingCreate {
  role: Role;
  connectorId: string;
  /** The connector's connections before, so the new one can be told apart. */
  known: Set<string>;
  selectedBefore: string | undefined;
}

function emptySide(): SideDraft {
  return { connectorId: '', connectionId: '' };
}

export class IntegrationForm {
  readonly id: string;
  name = $state('');
  description = $state('');
  active = $state(true);
  sides: Record<Role, SideDraft> = $state({ source: emptySide(), destination: emptySide() });
  errors: Partial<Record<FieldKey, string>> = $state({});
  /** An error that names no input. */
  formError = $state('');
  saving = $state(false);
  pendingSwitch: PendingSwitch | null = $state(null);
  pendingCreate: PendingCreate | null = $state(null);
  readonly #initial: string;

  constructor(v: IntegrationDTO | null) {
    this.id = v?.id ?? '';
    if (v) {
      this.name = v.name;
      this.description = v.description;
      this.active = v.active;
      for (const s of v.sides ?? []) {
        if (s.role === 'source' || s.role === 'destination') {
          this.sides[s.role] = { connectorId: s.connectorId, connectionId: s.connection?.id ?? '' };
        }
      }
    }
    this.#initial = JSON.stringify(this.draft());
  }

  get isNew(): boolean {
    return this.id === '';
  }

  /** Something differs from what was opened. */
  get dirty(): boolean {
    return JSON.stringify(this.draft()) !== this.#initial;
  }

  draft(): IntegrationDraft {
    return {
      id: this.id,
      name: this.name.trim(),
      description: this.description.trim(),
      active: this.active,
      source: { ...this.sides.source },
      destination: { ...this.sides.destination },
    };
  }

  /** The connections a side can choose from: its connector's, in this workspace. */
  choices(role: Role): ConnectionSummary[] {
    return appData.connectionsByConnector.get(this.sides[role].connectorId) ?? [];
  }

  /** The connection a side is set to, when it still exists. */
  connectionOf(role: Role): ConnectionSummary | null {
    const id = this.sides[role].connectionId;
    return id ? (appData.connections.find((c) => c.id === id) ?? null) : null;
  }

  connectorName(role: Role): string {
    const id = this.sides[role].connectorId;
    return appData.connectorById.get(id)?.name ?? id;
  }

  clearError(field: FieldKey): void {
    if (this.errors[field]) delete this.errors[field];
    this.formError = '';
  }

  /**
   * A side's connector changed: its connection goes, and one in the other
   * side's environment takes its place when there is one (never Production unasked).
   */
  setConnector(role: Role, connectorId: string): void {
    if (this.sides[role].connectorId === connectorId) return;
    const other = this.connectionOf(role === 'source' ? 'destination' : 'source');
    this.sides[role] = { connectorId, connectionId: '' };
    this.sides[role].connectionId = matchingConnection(this.choices(role), other);
    this.clearError(`${role}.connectorId`);
    this.clearError(`${role}.connectionId`);
  }

  /**
   * Chooses a side's connection: at once, or after a yes when the side would
   * become Production or the sides' environments would differ.
   */
  choose(role: Role, connectionId: string): void {
    if (this.sides[role].connectionId === connectionId) return;
    const next = appData.connections.find((c) => c.id === connectionId);
    if (!next) return;
    const other = this.connectionOf(role === 'source' ? 'destination' : 'source');
    const warning = switchWarning(role, this.connectorName(role), this.connectionOf(role), next, other);
    if (warning) this.pendingSwitch = { role, connectionId, warning };
    else this.#apply(role, connectionId);
  }

  confirmSwitch(): void {
    const p = this.pendingSwitch;
    this.pendingSwitch = null;
    if (p) this.#apply(p.role, p.connectionId);
  }

  cancelSwitch(): void {
    this.pendingSwitch = null;
  }

  #apply(role: Role, connectionId: string): void {
    this.sides[role].connectionId = connectionId;
    this.clearError(`${role}.connectionId`);
  }

  /** "Create connection…": the connection editor opens set to the side's connector. */
  startCreate(role: Role): void {
    const connectorId = this.sides[role].connectorId;
    if (!connectorId) return;
    this.pendingCreate = {
      role,
      connectorId,
      known: new Set(this.choices(role).map((c) => c.id)),
      selectedBefore: ui.selected[connectorId],
    };
    ui.openEditor(connectorId, null);
  }

  /**
   * The connection editor closed: the connection it saved (verified or not)
   * is chosen on the side it was created for; nothing happens if it was
   * closed without saving.
   */
  finishCreate(): string {
    const p = this.pendingCreate;
    this.pendingCreate = null;
    if (!p || this.sides[p.role].connectorId !== p.connectorId) return '';
    const fresh = (appData.connectionsByConnector.get(p.connectorId) ?? []).filter((c) => !p.known.has(c.id));
    const selected = ui.selected[p.connectorId];
    const made =
      selected && selected !== p.selectedBefore && !p.known.has(selected)
        ? selected
        : fresh.length === 1
          ? (fresh[0]?.id ?? '')
          : '';
    if (made) this.choose(p.role, made);
    return made;
  }

  /** Saves through Go; null, with the errors under their inputs, when Go refuses. */
  async save(): Promise<IntegrationDTO | null> {
    if (this.saving) return null;
    this.saving = true;
    this.errors = {};
    this.formError = '';
    try {
      return await integrations.save(this.draft());
    } catch (e) {
      const err = parseError(e);
      if (isField(err.field)) this.errors[err.field] = err.message;
      else this.formError = err.message;
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** The first input with an error, in the order they are on screen. */
  firstError(): FieldKey | null {
    return FIELDS.find((f) => this.errors[f]) ?? null;
  }
}

