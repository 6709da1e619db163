import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StreamEvents from './StreamEvents.svelte';

describe('StreamEvents', () => {
  const chunks = [
    { offsetMs: 4.4, size: 54, data: 'event: ping\ndata: {"id":0}\n\n' },
    { offsetMs: 1207.3, size: 54, data: 'event: ping\ndata: {"id":1}\n\n' },
    { offsetMs: 1300, size: 2048, data: '' },
  ];

  it('shows each read with its time since the request, its size and its text', () => {
    render(StreamEvents, { props: { chunks, truncated: true } });
    const rows = screen.getAllByTestId('stream-event');
    expect(rows).toHaveLength(3);
    expect(rows[0]?.textContent).toContain('+4 ms');
    expect(rows[1]?.textContent).toContain('+1.207 s');
    expect(rows[1]?.querySelector('pre')?.textContent).toBe('event: ping\ndata: {"id":1}');
    expect(rows[2]?.textContent).toContain('2.0 KB');
    expect(rows[2]?.textContent).toContain('not kept: the log is full');
    expect(screen.getByTestId('stream-events-count').textContent).toContain('the log kept the first ones');
    expect(screen.getByTestId('stream-events').dataset.live).toBeUndefined();
  });

  it('says live counts as "so far", and when only the newest are shown', () => {
    render(StreamEvents, { props: { chunks: chunks.slice(0, 2), total: 700, live: true } });
    const count = screen.getByTestId('stream-events-count').textContent ?? '';
    expect(count).toContain('700 so far');
    expect(count).toContain('showing the newest 2');
    expect(screen.getByTestId('stream-events').dataset.live).toBe('true');
    // Numbered by their place in the whole stream.
    expect(screen.getByRole('list', { name: 'Streamed events' }).getAttribute('start')).toBe('699');
  });

  it('waits for the first event while live', () => {
    render(StreamEvents, { props: { chunks: [], live: true } });
    expect(screen.getByText('Waiting for the first event…')).toBeTruthy();
  });
});
