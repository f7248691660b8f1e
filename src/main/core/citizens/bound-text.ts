import { MAX_STORED_TEXT } from '../../../shared/citizens/types'

/** Appended where a too-long text was cut, so nobody mistakes the stored part for the whole. */
export const TRUNCATION_MARKER = '\n[… testo troncato da Vedetta: troppo lungo]'

export interface BoundedText {
  text: string
  /** Length of the original in UTF-16 units, when it was cut. */
  truncatedFrom?: number
}

/**
 * Keeps a citizen text within {@link MAX_STORED_TEXT} UTF-16 units (marker
 * included), cutting on a code point boundary. A 1 MB comment is stored as its
 * first 64 KiB and a marker; anything shorter is stored untouched.
 */
export function boundText(text: string, max = MAX_STORED_TEXT): BoundedText {
  if (text.length <= max) return { text }
  let end = Math.max(0, max - TRUNCATION_MARKER.length)
  // Never leave half of a surrogate pair (an emoji) at the cut.
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return { text: text.slice(0, end) + TRUNCATION_MARKER, truncatedFrom: text.length }
}
