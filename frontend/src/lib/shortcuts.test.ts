// The key map: each shortcut, Cmd on macOS and Ctrl elsewhere, what happens
// while typing, and where a shortcut keeps out (dialogs, menus).
import { describe, expect, it } from 'vitest';
import {
  isMacPlatform,
  isTextEntry,
  keysLabel,
  modKeys,
  shortcutFor,
  shortcutSheet,
  shortcutTitle,
  type KeyPress,
  type ShortcutContext,
} from './shortcuts';

function press(key: string, mods: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods };
}

const linux: ShortcutContext = { mac: false, typing: false, top: 'none' };
const mac: ShortcutContext = { mac: true, typing: false, top: 'none' };
const ctrl = (key: string, more: Partial<KeyPress> = {}): KeyPress => press(key, { ctrlKey: true, ...more });
const cmd = (key: string, more: Partial<KeyPress> = {}): KeyPress => press(key, { metaKey: true, ...more });

describe('shortcutFor', () => {
  it('maps each shortcut with Ctrl on Linux and Windows', () => {
    expect(shortcutFor(ctrl('Enter'), { ...linux, top: 'editor' })).toBe('test');
    expect(shortcutFor(ctrl('s'), { ...linux, top: 'editor' })).toBe('save');
    expect(shortcutFor(ctrl('n'), linux)).toBe('add');
    expect(shortcutFor(ctrl('k'), linux)).toBe('switcher');
    expect(shortcutFor(press('?', { shiftKey: true }), linux)).toBe('sheet');
    expect(shortcutFor(press('/'), linux)).toBe('search');
    expect(shortcutFor(press('Escape'), { ...linux, top: 'panel' })).toBe('close');
  });

  it('uses Cmd on macOS and leaves Ctrl alone there (and the Super key elsewhere)', () => {
    expect(shortcutFor(cmd('Enter'), { ...mac, top: 'editor' })).toBe('test');
    expect(shortcutFor(cmd('s'), { ...mac, top: 'editor' })).toBe('save');
    expect(shortcutFor(cmd('n'), mac)).toBe('add');
    expect(shortcutFor(cmd('k'), mac)).toBe('switcher');
    // Ctrl+K on a Mac deletes to the end of the line in a text field: not ours.
    expect(shortcutFor(ctrl('k'), mac)).toBeNull();
    expect(shortcutFor(ctrl('s'), { ...mac, top: 'editor' })).toBeNull();
    expect(shortcutFor(cmd('k'), linux)).toBeNull();
    expect(shortcutFor(cmd('Enter'), { ...linux, top: 'editor' })).toBeNull();
    // Both modifiers, or Alt or Shift with them, are other combinations.
    expect(shortcutFor(ctrl('k', { metaKey: true }), mac)).toBeNull();
    expect(shortcutFor(ctrl('k', { altKey: true }), linux)).toBeNull();
    expect(shortcutFor(ctrl('S', { shiftKey: true }), { ...linux, top: 'editor' })).toBeNull();
  });

  it('reads the letter with Caps Lock on and from the physical key on another script', () => {
    expect(shortcutFor(ctrl('S'), { ...linux, top: 'editor' })).toBe('save');
    // A Russian layout types ы on the S key.
    expect(shortcutFor(ctrl('ы', { code: 'KeyS' }), { ...linux, top: 'editor' })).toBe('save');
    expect(shortcutFor(cmd('л', { code: 'KeyK' }), mac)).toBe('switcher');
    // A Latin letter wins over where it sits (Dvorak's K is not on KeyK).
    expect(shortcutFor(ctrl('k', { code: 'KeyV' }), linux)).toBe('switcher');
  });

  it('keeps Ctrl shortcuts working while typing: Ctrl+S in a field still saves', () => {
    const typing = { ...linux, typing: true };
    expect(shortcutFor(ctrl('s'), { ...typing, top: 'editor' })).toBe('save');
    expect(shortcutFor(ctrl('Enter'), { ...typing, top: 'editor' })).toBe('test');
    expect(shortcutFor(ctrl('k'), typing)).toBe('switcher');
    expect(shortcutFor(ctrl('n'), typing)).toBe('add');
    expect(shortcutFor(press('Escape'), typing)).toBe('close');
  });

  it('lets ? and / type themselves in a text field', () => {
    const typing = { ...linux, typing: true };
    expect(shortcutFor(press('?', { shiftKey: true }), typing)).toBeNull();
    expect(shortcutFor(press('?', { shiftKey: true }), { ...typing, top: 'editor' })).toBeNull();
    expect(shortcutFor(press('/'), typing)).toBeNull();
    // Plain letters never act.
    expect(shortcutFor(press('k'), linux)).toBeNull();
    expect(shortcutFor(press('Enter'), { ...linux, top: 'editor' })).toBeNull();
  });

  it('tests and saves only with the connection editor on top', () => {
    for (const top of ['none', 'panel', 'dialog', 'switcher', 'sheet'] as const) {
      expect(shortcutFor(ctrl('Enter'), { ...linux, top })).toBeNull();
      expect(shortcutFor(ctrl('s'), { ...linux, top })).toBeNull();
    }
  });

  it('keeps out of dialogs and menus, and adds only with nothing open', () => {
    const dialog = { ...linux, top: 'dialog' as const };
    expect(shortcutFor(ctrl('k'), dialog)).toBeNull();
    expect(shortcutFor(ctrl('n'), dialog)).toBeNull();
    expect(shortcutFor(press('?'), dialog)).toBeNull();
    expect(shortcutFor(press('/'), dialog)).toBeNull();
    // Esc still closes the dialog: the layers say it is the top one.
    expect(shortcutFor(press('Escape'), dialog)).toBe('close');
    for (const top of ['editor', 'panel', 'switcher', 'sheet'] as const) {
      expect(shortcutFor(ctrl('n'), { ...linux, top })).toBeNull();
    }
    // The switcher opens over the editor and the sheet, and Ctrl+K again closes it.
    expect(shortcutFor(ctrl('k'), { ...linux, top: 'editor' })).toBe('switcher');
    expect(shortcutFor(ctrl('k'), { ...linux, top: 'sheet' })).toBe('switcher');
    expect(shortcutFor(ctrl('k'), { ...linux, top: 'switcher' })).toBe('switcher');
    // Not over Manage Connections or the integration editor, nor over an editor opened from one.
    expect(shortcutFor(ctrl('k'), { ...linux, top: 'panel' })).toBeNull();
    expect(shortcutFor(ctrl('k'), { ...linux, top: 'editor', guardedBelow: true })).toBeNull();
    // Test and Save still work in an editor opened from the integration editor.
    expect(shortcutFor(ctrl('s'), { ...linux, top: 'editor', guardedBelow: true })).toBe('save');
    // ? toggles the sheet; in the switcher's field it is a typed character anyway.
    expect(shortcutFor(press('?'), { ...linux, top: 'sheet' })).toBe('sheet');
    expect(shortcutFor(press('?'), { ...linux, top: 'editor' })).toBe('sheet');
    expect(shortcutFor(press('?'), { ...linux, top: 'panel' })).toBe('sheet');
    expect(shortcutFor(press('?'), { ...linux, top: 'switcher' })).toBeNull();
  });

  it('does not repeat a held key, and leaves an input method composing alone', () => {
    expect(shortcutFor(ctrl('s', { repeat: true }), { ...linux, top: 'editor' })).toBeNull();
    expect(shortcutFor(ctrl('Enter', { repeat: true }), { ...linux, top: 'editor' })).toBeNull();
    expect(shortcutFor(press('Escape', { isComposing: true }), linux)).toBeNull();
    expect(shortcutFor(ctrl('k', { isComposing: true }), linux)).toBeNull();
  });
});

describe('isTextEntry', () => {
  it('says where keys type text', () => {
    document.body.innerHTML = `
      <input id="text" type="text" /><input id="search" type="search" /><input id="box" type="checkbox" />
      <textarea id="area"></textarea><select id="sel"><option>a</option></select>
      <div contenteditable="true"><span id="inside">x</span></div><button id="btn">b</button>`;
    const el = (id: string): Element => document.getElementById(id)!;
    expect(isTextEntry(el('text'))).toBe(true);
    expect(isTextEntry(el('search'))).toBe(true);
    expect(isTextEntry(el('area'))).toBe(true);
    expect(isTextEntry(el('sel'))).toBe(true);
    expect(isTextEntry(el('inside'))).toBe(true);
    expect(isTextEntry(el('box'))).toBe(false);
    expect(isTextEntry(el('btn'))).toBe(false);
    expect(isTextEntry(document.body)).toBe(false);
    expect(isTextEntry(null)).toBe(false);
    document.body.innerHTML = '';
  });
});

describe('platform and labels', () => {
  it('finds macOS from the platform, the user agent data or the user agent', () => {
    expect(isMacPlatform({ platform: 'MacIntel' })).toBe(true);
    expect(isMacPlatform({ platform: 'iPad' })).toBe(true);
    expect(isMacPlatform({ userAgentData: { platform: 'macOS' } })).toBe(true);
    expect(isMacPlatform({ platform: '', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit' })).toBe(true);
    expect(isMacPlatform({ platform: 'Linux x86_64', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' })).toBe(false);
    expect(isMacPlatform({ platform: 'Win32' })).toBe(false);
    expect(isMacPlatform(undefined)).toBe(false);
  });

  it('writes Ctrl+Enter on Linux and ⌘Enter on macOS, in the sheet and the tooltips', () => {
    expect(keysLabel(modKeys('Enter', false), false)).toBe('Ctrl+Enter');
    expect(keysLabel(modKeys('S', true), true)).toBe('⌘S');
    expect(shortcutTitle.test(false)).toBe('Test connection (Ctrl+Enter)');
    expect(shortcutTitle.test(true)).toBe('Test connection (⌘Enter)');
    expect(shortcutTitle.save(false)).toBe('Save (Ctrl+S)');
    const keysOf = (mac: boolean): string[] =>
      shortcutSheet(mac).flatMap((g) => g.lines.flatMap((l) => l.keys.map((k) => keysLabel(k, mac))));
    expect(keysOf(false)).toEqual(expect.arrayContaining(['Ctrl+K', 'Ctrl+N', 'Ctrl+Enter', 'Ctrl+S', '?', 'Esc']));
    expect(keysOf(true)).toEqual(expect.arrayContaining(['⌘K', '⌘N', '⌘Enter', '⌘S']));
    expect(keysOf(true).some((k) => k.includes('Ctrl'))).toBe(false);
  });
});
