// Where the user is: the page, the open panels, the search text, the
// connection each card shows, and short-lived notices.

import { logView } from './log.svelte';

export type Page = 'connectors' | 'integrations' | 'log' | 'settings';

export interface EditorTarget {
  connectorId: string;
  /** null opens a new connection. */
  connectionId: string | null;
}

const MAX_TOASTS = 3;

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
  /** A button in the toast (Undo); pressing it dismisses the toast. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  /** data-testid of its button. */
  testId: string;
  run: () => void | Promise<void>;
}

export interface ToastOptions {
  /** How long it stays (4 s by default). */
  ms?: number;
  action?: ToastAction;
}

class UiState {
  page: Page = $state('connectors');
  #search = $state('');
  /** Counts changes of the search text: a pick in a card's dropdown holds until the next one (lib/cardShown). */
  searchEdits = $state(0);

  get search(): string {
    return this.#search;
  }

  set search(text: string) {
    if (text === this.#search) return;
    this.#search = text;
    this.searchEdits++;
  }

  pickerOpen = $state(false);
  editor: EditorTarget | null = $state(null);
  /** Connector whose Manage Connections panel is open. */
  manage: string | null = $state(null);
  /** The integration open in its editor: an id, "new", or null when none. */
  integration: string | null = $state(null);
  /**
   * The connection chosen for each card in this session, by connector id:
   * picked in its dropdown, or just saved from the editor.
   */
  selected: Record<string, string> = $state({});
  /** The quick switcher (Ctrl/Cmd+K) is open. */
  switcherOpen = $state(false);
  /** The sheet of keyboard shortcuts (?) is open. */
  shortcutsOpen = $state(false);
  /**
   * The connection each card showed last, by connector id: a card that is
   * drawn again (a search hid it, another page was open) shows the same one
   * rather than what the rule would pick now.
   */
  shown: Record<string, string> = $state({});
  /**
   * searchEdits when the user last picked in a card's dropdown, by connector
   * id: while the search text stays as it was then, the pick wins over what
   * the search names (lib/cardShown).
   */
  pickedDuring: Record<string, number> = $state({});
  toasts: Toast[] = $state([]);
  private nextToast = 1;
  /**
   * Set by an open connection editor. Given what leaving it would do, it
   * returns true when it has unsaved changes and asks first (running `leave`
   * only if the user discards them); false lets the caller go on.
   */
  editorLeaveGuard: ((leave: () => void) => boolean) | null = null;
  /** Set by an open connection editor: what Ctrl/Cmd+Enter and Ctrl/Cmd+S do (its Test and Save). */
  editorCommands: { test: () => void; save: () => void } | null = null;

  openEditor(connectorId: string, connectionId: string | null = null): void {
    this.pickerOpen = false;
    this.editor = { connectorId, connectionId };
  }

  closeEditor(): void {
    this.editor = null;
  }

  openManage(connectorId: string): void {
    this.manage = connectorId;
  }

  /**
   * "View log": the connection log filtered to one connection, with one
   * exchange (a run's first) selected when given.
   */
  showLog(connectionId: string, exchangeId = ''): void {
    const go = (): void => {
      void logView.openFor(connectionId, exchangeId);
      this.editor = null;
      this.manage = null;
      this.page = 'log';
    };
    if (this.editor && this.editorLeaveGuard?.(go)) return;
    go();
  }

  /** The Integrations page with one integration (or a new one, "new") open. */
  openIntegration(id: string): void {
    const go = (): void => {
      this.editor = null;
      this.manage = null;
      this.page = 'integrations';
      this.integration = id;
    };
    if (this.editor && this.editorLeaveGuard?.(go)) return;
    go();
  }

  toast(kind: Toast['kind'], text: string, opts: number | ToastOptions = {}): void {
    const { ms = 4000, action } = typeof opts === 'number' ? { ms: opts } : opts;
    const id = this.nextToast++;
    // A burst of actions keeps only the newest few on screen.
    this.toasts = [...this.toasts.slice(-(MAX_TOASTS - 1)), { id, kind, text, action }];
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}

export const ui = new UiState();
