import { describe, expect, it } from 'vitest';
import { logoElement, logoInk } from './logo';

describe('logoElement', () => {
  it('draws a plain logo inline in the text colour', () => {
    const svg = logoElement(
      '<svg role="img" viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg"><title>GitHub</title><path d="M12 .3a12 12 0 0 0-3.8 23.4"/></svg>',
    );
    expect(svg?.tagName).toBe('svg');
    expect(svg?.getAttribute('viewBox')).toBe('0 0 24 24');
    expect(svg?.getAttribute('fill')).toBe('currentColor');
    expect(svg?.getAttribute('aria-hidden')).toBe('true');
    expect(svg?.querySelector('path')?.getAttribute('d')).toBe('M12 .3a12 12 0 0 0-3.8 23.4');
    expect(svg?.querySelector('title')).toBeNull();
  });

  it('keeps a fill the logo sets itself', () => {
    const svg = logoElement('<svg xmlns="http://www.w3.org/2000/svg" fill="#635BFF"><rect width="4" height="4"/></svg>');
    expect(svg?.getAttribute('fill')).toBe('#635BFF');
  });

  it('keeps nothing of an imported file but its shapes', () => {
    const svg = logoElement(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="window.pwned=1" style="fill:red">' +
        '<script>window.pwned=2</script>' +
        '<a href="javascript:alert(1)"><path d="M0 0h1"/></a>' +
        '<use xlink:href="#x"/><image href="https://example.com/x.png"/>' +
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">planted-text</div></foreignObject>' +
        '<g onclick="x()" class="c"><circle r="2" fill="url(https://example.com/#g)" stroke="red"/></g>' +
        '</svg>',
    );
    expect(svg).not.toBeNull();
    const html = svg?.outerHTML ?? '';
    for (const bad of ['onload', 'onclick', 'style', 'script', 'pwned', 'href', 'use', 'image', 'foreignObject', 'class', 'url(', '<a', 'planted-text']) {
      expect(html).not.toContain(bad);
    }
    expect(svg?.querySelector('g > circle')?.getAttribute('stroke')).toBe('red');
    expect(svg?.querySelector('g > circle')?.hasAttribute('fill')).toBe(false);
  });

  it('gives null for what is not a well-formed SVG, so the card shows initials', () => {
    expect(logoElement('')).toBeNull();
    expect(logoElement('<png/>')).toBeNull();
    expect(logoElement('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"></svg>')).toBeNull();
    expect(logoElement('<svg><path d="M0 0"/></svg>')).toBeNull(); // no SVG namespace: not an SVG document
  });

  it('returns a fresh copy each time, so one logo can show on many cards', () => {
    const text = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M1 1"/></svg>';
    const a = logoElement(text);
    const b = logoElement(text);
    expect(a).not.toBe(b);
    expect(a?.outerHTML).toBe(b?.outerHTML);
  });
});

describe('logoInk', () => {
  it('keeps a brand colour that shows on the theme, else the text colour', () => {
    expect(logoInk('#635BFF', false)).toBe('#635bff');
    expect(logoInk('#181717', true)).toBe('#e8eaef');
    expect(logoInk('#ffffff', false)).toBe('#161a22');
    expect(logoInk(undefined, false)).toBe('#161a22');
  });
});
