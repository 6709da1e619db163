import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeWails, type FakeWails } from '../../test/fakeWails';
import { choiceOf, Theme, type DarkQuery } from './theme.svelte';

/** A prefers-color-scheme query the test turns, as the OS would. */
function osQuery(dark: boolean): DarkQuery & { turn(dark: boolean): void } {
  const listeners: ((e: { matches: boolean }) => void)[] = [];
  return {
    matches: dark,
    addEventListener: (_type, fn) => listeners.push(fn),
    turn(d) {
      this.matches = d;
      for (const fn of listeners) fn({ matches: d });
    },
  };
}

let wails: FakeWails;
let root: HTMLElement;
beforeEach(() => {
  wails = installFakeWails();
  root = document.createElement('html');
});
afterEach(() => wails.uninstall());

describe('theme choice', () => {
  it('reads the choice the served page carries; none or anything else is System', () => {
    expect(choiceOf('dark')).toBe('dark');
    expect(choiceOf('light')).toBe('light');
    expect(choiceOf(undefined)).toBe('system');
    expect(choiceOf('purple')).toBe('system');
    root.dataset.theme = 'dark';
    expect(new Theme(root, osQuery(false)).choice).toBe('dark');
  });

  it('System follows the OS live; Light and Dark win over it', () => {
    const os = osQuery(false);
    const t = new Theme(root, os);
    expect(t.choice).toBe('system');
    expect(t.dark).toBe(false);
    os.turn(true);
    expect(t.dark).toBe(true);
    expect(root.dataset.theme, 'System leaves the OS to app.css').toBeUndefined();

    t.apply('light');
    expect(root.dataset.theme).toBe('light');
    expect(t.dark, 'Light wins over a dark OS').toBe(false);
    t.apply('dark');
    os.turn(false);
    expect(root.dataset.theme).toBe('dark');
    expect(t.dark, 'Dark wins over a light OS').toBe(true);

    t.apply('system');
    expect(root.hasAttribute('data-theme')).toBe(false);
    expect(t.dark).toBe(false);
    os.turn(true);
    expect(t.dark).toBe(true);
  });

  it('a choice shows at once, is kept through Go, and comes back when Go refuses it', async () => {
    const t = new Theme(root, osQuery(false));
    const saving = t.choose('dark');
    expect(root.dataset.theme, 'applied before Go answers').toBe('dark');
    wails.pendingCall('SetTheme').resolve('dark');
    await saving;
    expect(wails.calls('SetTheme')).toEqual([['dark']]);

    const refused = t.choose('light');
    expect(root.dataset.theme).toBe('light');
    wails.pendingCall('SetTheme', 1).reject('internal', 'The database is read-only.');
    await expect(refused).rejects.toMatchObject({ message: 'The database is read-only.' });
    expect(t.choice).toBe('dark');
    expect(root.dataset.theme).toBe('dark');
  });

  it('tells the window every change, the current state first', () => {
    const os = osQuery(true);
    const t = new Theme(root, os);
    const painted: boolean[] = [];
    const stop = t.follow((dark) => painted.push(dark));
    flushSync();
    expect(painted).toEqual([true]);
    os.turn(false);
    flushSync();
    t.apply('dark');
    flushSync();
    t.apply('dark');
    flushSync();
    expect(painted).toEqual([true, false, true]);
    stop();
    t.apply('light');
    flushSync();
    expect(painted).toHaveLength(3);
  });
});

// CSS cannot share one set of values between "chosen dark" and "System on a
// dark OS": the two blocks must stay the same.
describe('dark colours', () => {
  // The sources as written (vitest hands CSS imports over empty, ?raw too),
  // from the front end's folder, where vitest runs.
  const read = async (path: string): Promise<string> => {
    const fs = 'node:fs';
    const { readFileSync } = (await import(/* @vite-ignore */ fs)) as { readFileSync(p: string, enc: string): string };
    return readFileSync(path, 'utf8');
  };

  const declarations = (block: string): string[] =>
    block
      .split(/[;{}]/)
      .map((d) => d.trim())
      .filter((d) => d.includes(':') && !d.startsWith(':'));

  it("app.css's chosen-dark block equals its System-dark block", async () => {
    const css = await read('src/app.css');
    const chosen = css.match(/:root\[data-theme='dark'\] \{([^}]*)\}/);
    const system = css.match(/@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme='light'\]\) \{([^}]*)\}/);
    const chosenBlock = chosen?.[1] ?? '';
    expect(declarations(chosenBlock).length).toBeGreaterThan(25);
    expect(declarations(system?.[1] ?? '')).toEqual(declarations(chosenBlock));
  });

  it("BodyView's chosen-dark rules equal its System-dark rules", async () => {
    const src = await read('src/components/log/exchange/BodyView.svelte');
    const rules = (prefix: string): string[] =>
      [...src.matchAll(new RegExp(`:global\\(${prefix}\\) (\\.tk-[a-z]+)[^{]*?\\{([^}]*)\\}`, 'g'))].map(
        (m) => `${m[1]} ${declarations(m[2] ?? '').join(';')}`,
      );
    const chosen = rules(":root\\[data-theme='dark'\\]");
    expect(chosen.length).toBeGreaterThanOrEqual(6);
    expect(rules(":root:not\\(\\[data-theme='light'\\]\\)")).toEqual(chosen);
  });
});
