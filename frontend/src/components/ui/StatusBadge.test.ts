import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StatusBadge from './StatusBadge.svelte';

describe('StatusBadge', () => {
  const cases = [
    { status: 'connected', word: 'Connected', icon: 'circle-check', kind: 'connected' },
    { status: 'disconnected', word: 'Disconnected', icon: 'circle-x', kind: 'disconnected' },
    { status: 'limited', word: 'Limited', icon: 'shield-alert', kind: 'limited' },
    { status: 'unreachable', word: 'Unreachable', icon: 'wifi-off', kind: 'unreachable' },
    { status: 'unverified', word: 'Unverified', icon: 'circle-dashed', kind: 'unverified' },
    { status: 'checking', word: 'Checking…', icon: 'loader-circle', kind: 'checking' },
    // Anything Go may add later reads as unverified rather than breaking.
    { status: '', word: 'Unverified', icon: 'circle-dashed', kind: 'unverified' },
    { status: 'weird', word: 'Unverified', icon: 'circle-dashed', kind: 'unverified' },
  ];

  for (const c of cases) {
    it(`shows ${c.status || '(empty)'} as ${c.word}`, () => {
      render(StatusBadge, { props: { status: c.status } });
      const badge = screen.getByTestId('status-badge');
      expect(badge.textContent?.trim()).toBe(c.word);
      expect(badge.classList.contains(`badge--${c.kind}`)).toBe(true);
      expect(badge.dataset.status).toBe(c.kind);
      const icon = badge.querySelector('[data-icon]');
      expect(icon?.getAttribute('data-icon')).toBe(c.icon);
      expect(icon?.querySelector('svg')).not.toBeNull();
      expect(badge.getAttribute('aria-label')).toBe(`Status: ${c.word}`);
    });
  }

  it('puts the detail into the accessible label and tooltip', () => {
    render(StatusBadge, { props: { status: 'connected', detail: 'checked 2 min ago' } });
    const badge = screen.getByRole('img', { name: 'Status: Connected, checked 2 min ago' });
    expect(badge.getAttribute('title')).toBe('Connected · checked 2 min ago');
  });

  it('spins only while checking', () => {
    const { unmount } = render(StatusBadge, { props: { status: 'checking' } });
    expect(screen.getByTestId('status-badge').querySelector('svg.spin')).not.toBeNull();
    unmount();
    render(StatusBadge, { props: { status: 'connected' } });
    expect(screen.getByTestId('status-badge').querySelector('svg.spin')).toBeNull();
  });
});
