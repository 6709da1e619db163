import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import BodyView from './BodyView.svelte';

describe('BodyView', () => {
  it('keeps hostile markup as text', () => {
    const body = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>bold</b>';
    for (const contentType of ['text/html', 'application/xml', 'application/json', 'text/plain']) {
      const { container, unmount } = render(BodyView, { props: { body, contentType, testId: 'b' } });
      expect(container.querySelector('img, script, b')).toBeNull();
      expect(screen.getByTestId('b').textContent).toContain('onerror="window.pwned=1"');
      unmount();
    }
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });
});
