// Connector logos are SVG documents from the catalog, which users may import.
// They are shown as <img> data URLs, never as inline markup, so a definition
// cannot run script in the app; the brand colour is baked in as the fill.

/** "#181717", "181717", "#fff" → "#181717"; anything else → "". */
export function normalizeHex(color: string | undefined): string {
  if (!color) return '';
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m?.[1]) return '';
  let hex = m[1].toLowerCase();
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  return `#${hex}`;
}

/** WCAG relative luminance of a #rrggbb colour (0 black … 1 white). */
export function luminance(hex: string): number {
  const n = normalizeHex(hex);
  if (!n) return 0;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(n.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The ink a logo is drawn in: its brand colour, except a near-black brand on a
 * dark theme (or near-white on a light one), which would vanish, gets the
 * theme's text colour instead.
 */
export function logoInk(brand: string | undefined, dark: boolean): string {
  const hex = normalizeHex(brand);
  if (!hex) return dark ? '#e8eaef' : '#161a22';
  const l = luminance(hex);
  if (dark && l < 0.06) return '#e8eaef';
  if (!dark && l > 0.8) return '#161a22';
  return hex;
}

/** A data: URL of the SVG with its fill set, or "" when the logo is not an SVG. */
export function logoDataUrl(svg: string, ink: string): string {
  const text = svg.trim();
  if (!/^<svg[\s>]/i.test(text) && !/^<\?xml/i.test(text)) return '';
  let out = text;
  if (typeof DOMParser !== 'undefined') {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    if (root.nodeName.toLowerCase() !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) return '';
    if (!root.getAttribute('fill')) root.setAttribute('fill', ink);
    // The <title> would show as the image's tooltip; the card has its own.
    for (const t of Array.from(root.getElementsByTagName('title'))) t.remove();
    out = new XMLSerializer().serializeToString(root);
  }
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(out)}`;
}

export function initials(name: string): string {
  const words = name.trim().split(/[\s._-]+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const second = words[1]?.[0] ?? words[0]?.[1] ?? '';
  return (first + second).toUpperCase();
}
