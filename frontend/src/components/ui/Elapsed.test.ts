import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Elapsed from './Elapsed.svelte';

describe('Elapsed', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('counts whole seconds up from its start, once a second', () => {
    render(Elapsed, { props: { since: 1_000_000 - 400, testId: 'e' } });
    expect(screen.getByTestId('e').textContent).toBe('0 s');
    vi.advanceTimersByTime(1000);
    flushSync();
    expect(screen.getByTestId('e').textContent).toBe('1 s');
    vi.advanceTimersByTime(11_000);
    flushSync();
    expect(screen.getByTestId('e').textContent).toBe('12 s');
  });
});
