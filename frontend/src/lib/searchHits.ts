// Where the log's search words occur in a text, so the list and the detail
// can mark them. It follows how Go searches (connlog/query.go matchQuery and
// search.go wordMatch): each whitespace-separated word is its runs of
// letters and digits as a phrase, every run but the last a whole token, the
// last a token's beginning, case folded. (The index also folds diacritics:
// "cafe" finds "café"; those hits are found but not marked.)

export interface Segment {
  text: string;
  hit: boolean;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The expression that finds every word of query in a text; null when nothing can match. */
export function searchPattern(query: string): RegExp | null {
  const phrases: string[] = [];
  for (const word of query.split(/\s+/)) {
    const tokens = word.match(TOKEN);
    if (!tokens) continue;
    const last = tokens.length - 1;
    phrases.push(
      tokens.map((t, i) => escape(t) + (i < last ? '(?![\\p{L}\\p{N}])' : '')).join('[^\\p{L}\\p{N}]+'),
    );
  }
  if (phrases.length === 0) return null;
  // Longest first, so "authorization" wins over "auth" where both match.
  phrases.sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.join('|')})`, 'giu');
}

/** The [start, end) ranges of text that pattern matches, in order. */
export function hitRanges(text: string, pattern: RegExp | null): [number, number][] {
  if (!pattern || !text) return [];
  const out: [number, number][] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** text cut into plain and hit segments. */
export function segments(text: string, pattern: RegExp | null): Segment[] {
  return splitPieces([{ text, hit: false }], hitRanges(text, pattern)).map(({ text, hit }) => ({ text, hit }));
}

/**
 * Pieces of one text (a body's coloured tokens, in order) cut again where
 * the hits begin and end, each piece keeping what it carried (its colour)
 * and marked when it lies inside a hit. A hit may span several pieces.
 */
export function splitPieces<T extends { text: string }>(pieces: T[], ranges: [number, number][]): (T & { hit: boolean })[] {
  const out: (T & { hit: boolean })[] = [];
  let at = 0;
  let r = 0;
  for (const piece of pieces) {
    const end = at + piece.text.length;
    let from = at;
    while (from < end) {
      let range = ranges[r];
      while (range && range[1] <= from) range = ranges[++r];
      let to: number;
      let hit: boolean;
      if (!range || range[0] >= end) [to, hit] = [end, false];
      else if (range[0] > from) [to, hit] = [range[0], false];
      else [to, hit] = [Math.min(range[1], end), true];
      out.push({ ...piece, text: piece.text.slice(from - at, to - at), hit });
      from = to;
    }
    at = end;
  }
  return out;
}
