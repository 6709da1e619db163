// Panels and dialogs stack; Esc closes only the top one. Each layer registers
// a close callback while it is open, and says what it is, so a keyboard
// shortcut knows whether it makes sense over it (lib/shortcuts.ts).

/**
 * What a layer is: the connection editor, another side panel (Manage
 * Connections, the integration editor), the quick switcher, the shortcut
 * sheet, or a dialog or menu (the default: shortcuts keep out of those).
 */
export type LayerKind = 'editor' | 'panel' | 'switcher' | 'sheet' | 'dialog';

type Layer = { id: number; close: () => void; kind: LayerKind };

const stack: Layer[] = [];
let nextId = 1;

export function pushLayer(close: () => void, kind: LayerKind = 'dialog'): () => void {
  const layer = { id: nextId++, close, kind };
  stack.push(layer);
  return () => {
    const i = stack.findIndex((l) => l.id === layer.id);
    if (i >= 0) stack.splice(i, 1);
  };
}

export function hasLayers(): boolean {
  return stack.length > 0;
}

/** What is on top: a layer's kind, or "none". */
export function topLayerKind(): LayerKind | 'none' {
  return stack[stack.length - 1]?.kind ?? 'none';
}

/** Closes the top layer; false when none is open. */
export function closeTopLayer(): boolean {
  const top = stack[stack.length - 1];
  if (!top) return false;
  top.close();
  return true;
}

export function isTopLayer(close: () => void): boolean {
  return stack[stack.length - 1]?.close === close;
}

/** Elements that take Tab focus inside a container, in order. */
export function focusables(root: HTMLElement): HTMLElement[] {
  const sel =
    'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  return Array.from(root.querySelectorAll<HTMLElement>(sel)).filter(
    (el) => !el.closest('[inert]') && el.getClientRects().length > 0,
  );
}

/** Keeps Tab inside root (a dialog or panel that owns the screen). */
export function trapTab(e: KeyboardEvent, root: HTMLElement): void {
  if (e.key !== 'Tab') return;
  const items = focusables(root);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !root.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !root.contains(active))) {
    e.preventDefault();
    first.focus();
  }
}
