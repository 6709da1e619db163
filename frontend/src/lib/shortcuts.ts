// The keyboard shortcuts: which key does what, where. One pure function maps
// a key press and where the person is to an action (App.svelte carries it
// out), and the same table feeds the shortcut sheet and the buttons'
// tooltips, so what the app says and what it does cannot drift apart.
//
// Cmd on macOS, Ctrl elsewhere: the other modifier is left alone (on a Mac,
// Ctrl+K in a text field deletes to the end of the line; on Linux the Super
// key belongs to the desktop).

import type { LayerKind } from './layers';

export type ShortcutAction =
  /** Test the connection in the open editor. */
  | 'test'
  /** Save the connection in the open editor. */
  | 'save'
  /** Add a connection (the connector picker); on the Integrations page, a new integration. */
  | 'add'
  /** Open the quick switcher, or close it when it is open. */
  | 'switcher'
  /** Show the shortcut sheet, or close it when it is open. */
  | 'sheet'
  /** Put the cursor in the page's search or filter. */
  | 'search'
  /** Close the topmost panel or dialog. */
  | 'close';

export interface ShortcutContext {
  /** Cmd rather than Ctrl. */
  mac: boolean;
  /** Focus is where keys type text (an input, a text area, a select, an editable element). */
  typing: boolean;
  /** What is on top of the page (lib/layers.ts), or "none". */
  top: LayerKind | 'none';
  /**
   * A panel with unsaved work of its own (the integration editor) lies under
   * the top layer: going somewhere else from the switcher would drop it.
   */
  guardedBelow?: boolean;
}

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  /** The physical key ("KeyS"): the letter when the layout types another script (Cyrillic ы on the S key). */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat?: boolean;
  /** An input method is composing: its keys are not ours. */
  isComposing?: boolean;
}

/**
 * Where the switcher opens: over a page, the connection editor (to jump to
 * another connection; the editor asks before dropping changes) and the
 * sheet; Ctrl+K again closes it. Not over Manage Connections or the
 * integration editor (they have their own filters and pickers), nor dialogs.
 */
const SWITCHER_OVER = new Set<ShortcutContext['top']>(['none', 'editor', 'switcher', 'sheet']);

/** Where ? shows the sheet (and closes it again): anywhere but a dialog, a menu or the switcher. */
const SHEET_OVER = new Set<ShortcutContext['top']>(['none', 'editor', 'panel', 'sheet']);

/** The letter a key press stands for: e.key, or the physical key's letter on a non-Latin layout. */
function letter(e: KeyPress): string {
  const k = e.key.length === 1 ? e.key.toLowerCase() : '';
  if (/^[a-z]$/.test(k)) return k;
  if (k !== '' && e.code && /^Key[A-Z]$/.test(e.code)) return e.code.slice(3).toLowerCase();
  return '';
}

/**
 * What a key press does where the person is, or null (the key is left to
 * the page: typing, a dialog's own keys).
 *
 * - Esc closes the topmost thing, always (the layers decide what that is).
 * - Cmd/Ctrl shortcuts work while typing (Ctrl+S in a field saves), but only
 *   where they make sense: Test and Save over the connection editor, Add on a
 *   page with nothing open, the switcher over a page or a side panel. Never
 *   over a dialog or a menu (a confirmation, the parameter prompt).
 * - ? and / are typed characters: they act only when focus is not in a field.
 * - A held key does not repeat an action.
 */
export function shortcutFor(e: KeyPress, ctx: ShortcutContext): ShortcutAction | null {
  if (e.isComposing) return null;
  const mod = ctx.mac ? e.metaKey : e.ctrlKey;
  const other = ctx.mac ? e.ctrlKey : e.metaKey;
  if (e.key === 'Escape') return mod || other || e.altKey ? null : 'close';
  if (e.repeat) return null;

  if (mod && !other && !e.altKey && !e.shiftKey) {
    if (e.key === 'Enter') return ctx.top === 'editor' ? 'test' : null;
    switch (letter(e)) {
      case 's':
        return ctx.top === 'editor' ? 'save' : null;
      case 'n':
        return ctx.top === 'none' ? 'add' : null;
      case 'k':
        return SWITCHER_OVER.has(ctx.top) && !ctx.guardedBelow ? 'switcher' : null;
    }
    return null;
  }

  if (mod || other || e.altKey || ctx.typing) return null;
  // "?" is Shift+/ on some layouts and its own key on others: e.key says which character it typed.
  if (e.key === '?') return SHEET_OVER.has(ctx.top) ? 'sheet' : null;
  if (e.key === '/') return ctx.top === 'none' ? 'search' : null;
  return null;
}

/** Whether keys typed at this element become text. */
export function isTextEntry(target: EventTarget | null): boolean {
  const el = target as (Element & { isContentEditable?: boolean }) | null;
  if (!el || typeof el.closest !== 'function') return false;
  if (el.isContentEditable) return true;
  const field = el.closest('input, textarea, select, [contenteditable="true"], [contenteditable=""]');
  if (!field) return false;
  if (field.tagName === 'INPUT') {
    // A checkbox or a button types nothing: ? over one opens the sheet.
    const type = (field as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type);
  }
  return true;
}

/** The parts of `navigator` that say which platform this is. */
export interface PlatformHints {
  platform?: string;
  userAgent?: string;
  userAgentData?: { platform?: string } | null;
}

/** macOS (and the iPad, which has a Cmd key when it has a keyboard). */
export function isMacPlatform(nav: PlatformHints | undefined): boolean {
  if (!nav) return false;
  const p = nav.userAgentData?.platform || nav.platform || '';
  if (p) return /^mac|iphone|ipad/i.test(p);
  return /Mac OS X|Macintosh/.test(nav.userAgent ?? '');
}

/** This window's platform (false outside a browser). */
export const MAC = typeof navigator !== 'undefined' && isMacPlatform(navigator as PlatformHints);

/** A key combination as its keys, e.g. ["Ctrl", "S"] or ["⌘", "S"]. */
export type Keys = string[];

/** The keys of "mod+key" on this platform. */
export function modKeys(key: string, mac: boolean): Keys {
  return [mac ? '⌘' : 'Ctrl', key];
}

/** "Ctrl+Enter" or "⌘Enter": a combination written in a tooltip or a label. */
export function keysLabel(keys: Keys, mac: boolean = MAC): string {
  return mac ? keys.join('') : keys.join('+');
}

/** One line of the shortcut sheet. */
export interface ShortcutLine {
  /** One or more combinations that do the same ("↑", "↓"). */
  keys: Keys[];
  what: string;
}

export interface ShortcutGroup {
  title: string;
  lines: ShortcutLine[];
}

/** Every shortcut, by where it works: what the sheet shows. */
export function shortcutSheet(mac: boolean = MAC): ShortcutGroup[] {
  const m = (key: string): Keys => modKeys(key, mac);
  return [
    {
      title: 'Anywhere',
      lines: [
        { keys: [m('K')], what: 'Go to a connection, connector, integration or page' },
        { keys: [m('N')], what: 'Add a connection (on Integrations: a new integration)' },
        { keys: [['/']], what: 'Search or filter the page' },
        { keys: [['?']], what: 'Show these shortcuts' },
        { keys: [['Esc']], what: 'Close the topmost panel or dialog' },
      ],
    },
    {
      title: 'Connection editor',
      lines: [
        { keys: [m('Enter')], what: 'Test the connection' },
        { keys: [m('S')], what: 'Save (it is tested first)' },
      ],
    },
    {
      title: 'Quick switcher',
      lines: [
        { keys: [['↑'], ['↓']], what: 'Move through the results' },
        { keys: [['Enter']], what: 'Open the highlighted one' },
      ],
    },
  ];
}

/** Tooltips of the buttons that have a shortcut. */
export const shortcutTitle = {
  test: (mac: boolean = MAC): string => `Test connection (${keysLabel(modKeys('Enter', mac), mac)})`,
  save: (mac: boolean = MAC): string => `Save (${keysLabel(modKeys('S', mac), mac)})`,
  add: (mac: boolean = MAC): string => `Add a connection (${keysLabel(modKeys('N', mac), mac)})`,
  switcher: (mac: boolean = MAC): string => `Go to… (${keysLabel(modKeys('K', mac), mac)})`,
};
