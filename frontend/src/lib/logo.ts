// Connector logos are SVG documents from the catalog, which users may import.
// Go accepts a logo only if it is plain shapes (backend/catalog/svg.go); the
// page draws it inline, rebuilt element by element from the same allow-list,
// so nothing else of an imported file (a script, a handler, a link, a style)
// can reach the page even if a logo got past Go. Inline, not an <img>: an SVG
// image is a document of its own that WebKit loads and decodes after the card
// is drawn (the logos came ~160 ms after the first screen) and holds apart.

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

const SVG_NS = 'http://www.w3.org/2000/svg';

// The shapes and attributes backend/catalog/svg.go allows, less title and
// desc (a tooltip and words the card already shows).
const SHAPES = new Set(['svg', 'g', 'path', 'circle', 'ellipse', 'rect', 'line', 'polyline', 'polygon']);
const SHAPE_ATTRIBUTES = new Set([
  'viewBox', 'd', 'cx', 'cy', 'r', 'rx', 'ry', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'points', 'transform',
  'fill', 'fill-rule', 'fill-opacity', 'clip-rule', 'opacity',
  'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin', 'stroke-opacity',
]); // prettier-ignore

function copyShape(from: Element): SVGElement | null {
  const name = from.localName;
  if (from.namespaceURI !== SVG_NS || !SHAPES.has(name)) return null;
  const to = document.createElementNS(SVG_NS, name) as SVGElement;
  for (const a of Array.from(from.attributes)) {
    if (a.namespaceURI !== null || !SHAPE_ATTRIBUTES.has(a.name) || /url\s*\(/i.test(a.value)) continue;
    to.setAttribute(a.name, a.value);
  }
  for (const child of Array.from(from.children)) {
    const copy = copyShape(child);
    if (copy) to.appendChild(copy);
  }
  return to;
}

const built = new Map<string, SVGSVGElement | null>();

/**
 * The logo as a new <svg> element of allowed shapes only, filled with the
 * current text colour unless it sets its own fill; null when it is not a
 * well-formed SVG. Each logo is parsed once; every call returns a fresh copy.
 */
export function logoElement(svg: string): SVGSVGElement | null {
  const text = svg.trim();
  if (!built.has(text)) built.set(text, buildLogo(text));
  const logo = built.get(text);
  return logo ? (logo.cloneNode(true) as SVGSVGElement) : null;
}

function buildLogo(text: string): SVGSVGElement | null {
  if (!/^<svg[\s>]/i.test(text) || typeof DOMParser === 'undefined') return null;
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return null;
  const root = copyShape(doc.documentElement);
  if (!(root instanceof SVGSVGElement)) return null;
  if (!root.hasAttribute('fill')) root.setAttribute('fill', 'currentColor');
  root.setAttribute('aria-hidden', 'true');
  root.setAttribute('focusable', 'false');
  return root;
}

export function initials(name: string): string {
  const words = name.trim().split(/[\s._-]+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const second = words[1]?.[0] ?? words[0]?.[1] ?? '';
  return (first + second).toUpperCase();
}
