// A character counter for an input with a length limit: it stays out of the
// way until the text nears the limit, then says how close it is.

/** From this share of the limit on, the counter shows. */
export const COUNTER_FROM = 0.8;

export interface Counter {
  /** "184 / 200" */
  text: string;
  /** Over the limit: the counter turns red (the form's error says why). */
  over: boolean;
}

/**
 * The counter for value under max characters, or null while the text is
 * short. Characters are counted as Go counts them for the limit: code
 * points of the trimmed text (an emoji is one, surrounding spaces none).
 */
export function lengthCounter(value: string, max: number): Counter | null {
  const count = [...value.trim()].length;
  if (max <= 0 || count < Math.ceil(max * COUNTER_FROM)) return null;
  return { text: `${count} / ${max}`, over: count > max };
}
