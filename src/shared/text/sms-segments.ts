/**
 * SMS encoding and segment counting (GSM 03.38 / 3GPP TS 23.038 and 23.040).
 *
 * Counts the way Twilio's message-segment-calculator does (its published vectors
 * are our test oracle): a message that fits one SMS has 160 septets (GSM-7) or
 * 70 UTF-16 units (UCS-2); a longer one is sent as parts of 153 / 67, because a
 * 6-octet concatenation header takes room in each part. An extension-table
 * character (escape + code) and a grapheme cluster (emoji, flag, surrogate pair)
 * are never cut across two parts.
 *
 * One knowing departure: Twilio's calculator puts 66 units, not 67, in the first
 * UCS-2 part (an off-by-one in its header shuffle). We follow the standard, 67,
 * so the two disagree only at exactly 134 or 201 units.
 */

import { gsm7Septets, isGsm7 } from './gsm7'
import { splitGraphemes, type Grapheme } from './graphemes'

export type SmsEncoding = 'GSM-7' | 'UCS-2'

/** Capacity of one SMS, and of each part of a concatenated one, in encoding units. */
export const SMS_SEGMENT_CAPACITY: Record<SmsEncoding, { single: number; multi: number }> = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
}

/** A character that cannot be written in GSM-7, with every place it occurs. */
export interface SmsOffender {
  /** The grapheme as typed, e.g. `È` or `🏳️‍🌈`. */
  char: string
  /** UTF-16 offsets of each occurrence in the text, ascending. */
  indexes: number[]
}

export interface SmsSegmentInfo {
  encoding: SmsEncoding
  /** Parts the message is sent as (and billed for); 0 for an empty text. */
  segments: number
  /** Grapheme clusters, i.e. characters as a person counts them. */
  characters: number
  /** Septets (GSM-7, extension characters count 2) or UTF-16 units (UCS-2). */
  unitsUsed: number
  /** Capacity of each part: 160/70 for a single SMS, 153/67 once concatenated. */
  unitsPerSegment: number
  /** Units still free in the last part before another part is needed. */
  charactersLeftInSegment: number
  /** Exactly the characters that force UCS-2, in order of first appearance; empty for GSM-7. */
  offenders: SmsOffender[]
}

/** An indivisible piece of the message as it is packed into parts. */
interface Atom {
  text: string
  units: number
}

function offendersOf(graphemes: Grapheme[]): SmsOffender[] {
  const byChar = new Map<string, number[]>()
  for (const g of graphemes) {
    if (isGsm7(g.text)) continue
    const indexes = byChar.get(g.text)
    if (indexes) indexes.push(g.index)
    else byChar.set(g.text, [g.index])
  }
  return [...byChar].map(([char, indexes]) => ({ char, indexes }))
}

/**
 * GSM-7 packs code point by code point (a GSM grapheme is at most CR+LF, which
 * Twilio also splits); UCS-2 keeps whole graphemes, falling back to code points
 * only for a cluster too long to fit any part.
 */
function atomsOf(text: string, graphemes: Grapheme[], encoding: SmsEncoding): Atom[] {
  if (encoding === 'GSM-7') return Array.from(text, (cp) => ({ text: cp, units: gsm7Septets(cp) }))
  const max = SMS_SEGMENT_CAPACITY['UCS-2'].multi
  return graphemes.flatMap((g) =>
    g.text.length <= max
      ? [{ text: g.text, units: g.text.length }]
      : Array.from(g.text, (cp) => ({ text: cp, units: cp.length })),
  )
}

function pack(atoms: Atom[], encoding: SmsEncoding): Atom[][] {
  const { single, multi } = SMS_SEGMENT_CAPACITY[encoding]
  const total = atoms.reduce((sum, a) => sum + a.units, 0)
  if (total === 0) return []
  if (total <= single) return [atoms]
  const parts: Atom[][] = []
  let current: Atom[] = []
  let used = 0
  for (const atom of atoms) {
    if (used + atom.units > multi) {
      parts.push(current)
      current = []
      used = 0
    }
    current.push(atom)
    used += atom.units
  }
  parts.push(current)
  return parts
}

interface Analysis {
  encoding: SmsEncoding
  offenders: SmsOffender[]
  characters: number
  parts: Atom[][]
}

function analyse(text: string): Analysis {
  const graphemes = splitGraphemes(text)
  const offenders = offendersOf(graphemes)
  const encoding: SmsEncoding = offenders.length > 0 ? 'UCS-2' : 'GSM-7'
  const parts = pack(atomsOf(text, graphemes, encoding), encoding)
  return { encoding, offenders, characters: graphemes.length, parts }
}

const unitsOf = (atoms: Atom[]): number => atoms.reduce((sum, a) => sum + a.units, 0)

/** Encoding, parts, units used and the characters that force UCS-2, for one SMS text. */
export function countSmsSegments(text: string): SmsSegmentInfo {
  const { encoding, offenders, characters, parts } = analyse(text)
  const { single, multi } = SMS_SEGMENT_CAPACITY[encoding]
  const unitsPerSegment = parts.length > 1 ? multi : single
  const last = parts[parts.length - 1] ?? []
  return {
    encoding,
    segments: parts.length,
    characters,
    unitsUsed: parts.reduce((sum, p) => sum + unitsOf(p), 0),
    unitsPerSegment,
    charactersLeftInSegment: unitsPerSegment - unitsOf(last),
    offenders,
  }
}

/**
 * The text of each part, as an SMPP client sends them with a concatenation
 * header; joining them gives back the original text.
 */
export function splitSmsSegments(text: string): string[] {
  return analyse(text).parts.map((p) => p.map((a) => a.text).join(''))
}

/**
 * Cost of sending a message of `segments` parts to `recipients` people, rounded
 * to a millionth so that float noise does not show on screen.
 * @throws RangeError when an argument is negative, not finite, or a count is not whole.
 */
export function smsCost(segments: number, recipients: number, pricePerSegment: number): number {
  for (const [name, n] of [
    ['segments', segments],
    ['recipients', recipients],
  ] as const) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number ≥ 0`)
  }
  if (!Number.isFinite(pricePerSegment) || pricePerSegment < 0) {
    throw new RangeError('pricePerSegment must be a finite number ≥ 0')
  }
  return Math.round(segments * recipients * pricePerSegment * 1e6) / 1e6
}
