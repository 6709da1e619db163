import { describe, expect, it } from 'vitest';
import { menuLeft } from './Menu.svelte';

describe('menuLeft', () => {
  it.each([
    ['where it wants to be when it fits', 300, 240, 1280, 300],
    ['moved in from the right edge', 1200, 240, 1280, 1032],
    ['moved in from the left edge (an end-aligned menu under a button near the left)', -150, 240, 1280, 8],
    ['at the left margin when the window is narrower than the list', 100, 360, 300, 8],
  ])('%s', (_, wanted, width, windowWidth, want) => {
    expect(menuLeft(wanted, width, windowWidth)).toBe(want);
  });
});
