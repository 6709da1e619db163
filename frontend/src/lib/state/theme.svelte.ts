// Light or dark: the choice made on Settings (System, Light, Dark) and what
// the page shows now. The page's colours are app.css's: data-theme="light" or
// "dark" on <html> wins, no data-theme follows the OS's prefers-color-scheme
// live. The app's asset server writes the stored choice into index.html, so
// the first frame is right before any script runs; this module reads it from
// there, changes it at once when the person picks another, and tells logos
// (ConnectorLogo) and the window's own background which one is showing.

import * as api from '../api';

export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_CHOICES: { value: ThemeChoice; label: string; hint: string }[] = [
  { value: 'system', label: 'System', hint: 'Follows your desktop’s light or dark setting.' },
  { value: 'light', label: 'Light', hint: '' },
  { value: 'dark', label: 'Dark', hint: '' },
];

/** The choice a data-theme attribute stands for: none (or anything else) is System. */
export function choiceOf(attribute: string | null | undefined): ThemeChoice {
  return attribute === 'light' || attribute === 'dark' ? attribute : 'system';
}

/** The part of MediaQueryList this needs (jsdom and old WebKit lack some). */
export interface DarkQuery {
  matches: boolean;
  addEventListener?: (type: 'change', fn: (e: { matches: boolean }) => void) => void;
}

export class Theme {
  /** What Settings shows as picked. */
  choice = $state<ThemeChoice>('system');
  /** Whether the OS prefers dark now. */
  systemDark = $state(false);
  /** Whether the page is dark now. */
  dark = $derived(this.choice === 'dark' || (this.choice === 'system' && this.systemDark));

  readonly #root: HTMLElement | null;

  constructor(root: HTMLElement | null, query: DarkQuery | null) {
    this.#root = root;
    this.choice = choiceOf(root?.dataset.theme);
    this.systemDark = query?.matches ?? false;
    query?.addEventListener?.('change', (e) => (this.systemDark = e.matches));
  }

  /** Shows a choice at once; nothing is stored (choose stores it). */
  apply(choice: ThemeChoice): void {
    this.choice = choice;
    if (!this.#root) return;
    if (choice === 'system') delete this.#root.dataset.theme;
    else this.#root.dataset.theme = choice;
  }

  /**
   * Shows a choice at once and keeps it for the next start. If Go refuses
   * or fails, the previous choice comes back and the error is thrown.
   */
  async choose(choice: ThemeChoice): Promise<void> {
    const before = this.choice;
    this.apply(choice);
    try {
      await api.setTheme(choice);
    } catch (e) {
      this.apply(before);
      throw e;
    }
  }

  /**
   * Keeps paint(dark) told of every change, the current state first: the
   * window's own background follows the page. Returns the stop function.
   */
  follow(paint: (dark: boolean) => void): () => void {
    return $effect.root(() => {
      $effect(() => paint(this.dark));
    });
  }
}

function darkQuery(): DarkQuery | null {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return null;
  return window.matchMedia('(prefers-color-scheme: dark)');
}

export const theme = new Theme(typeof document === 'undefined' ? null : document.documentElement, darkQuery());
