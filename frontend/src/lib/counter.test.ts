import { describe, expect, it } from 'vitest';
import { lengthCounter } from './counter';

describe('lengthCounter', () => {
  it('stays hidden below 80% of the limit', () => {
    expect(lengthCounter('', 200)).toBeNull();
    expect(lengthCounter('x'.repeat(159), 200)).toBeNull();
  });

  it('shows from 80% of the limit, then turns red past it', () => {
    expect(lengthCounter('x'.repeat(160), 200)).toEqual({ text: '160 / 200', over: false });
    expect(lengthCounter('x'.repeat(200), 200)).toEqual({ text: '200 / 200', over: false });
    expect(lengthCounter('x'.repeat(201), 200)).toEqual({ text: '201 / 200', over: true });
  });

  it('counts as Go does: code points of the trimmed text', () => {
    expect(lengthCounter(`  ${'🚀'.repeat(184)}  `, 200)?.text).toBe('184 / 200');
  });
});
