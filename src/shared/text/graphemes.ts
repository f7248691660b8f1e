/**
 * User-perceived characters (extended grapheme clusters, UAX #29), through the
 * platform's Intl.Segmenter: present in Node 20 and in Chromium, so the UI and
 * the sender split text the same way without a bundled table.
 */

const segmenter = new Intl.Segmenter('it', { granularity: 'grapheme' })

export interface Grapheme {
  /** The cluster itself, e.g. `è`, `🇮🇹`, `🏳️‍🌈`. */
  text: string
  /** Offset of its first UTF-16 code unit in the source string. */
  index: number
}

/** Splits `text` into grapheme clusters, with their UTF-16 offsets. */
export function splitGraphemes(text: string): Grapheme[] {
  return Array.from(segmenter.segment(text), (s) => ({ text: s.segment, index: s.index }))
}

/** Number of grapheme clusters in `text` (what a person would call its characters). */
export function countGraphemes(text: string): number {
  let n = 0
  for (const _ of segmenter.segment(text)) n++
  return n
}
