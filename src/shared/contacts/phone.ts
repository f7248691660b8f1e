import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import { PhoneNumber } from 'libphonenumber-js/core'
import metadata from 'libphonenumber-js/max/metadata'

/** How a number can be reached: SMS goes to mobiles only. */
export type PhoneType = 'mobile' | 'landline' | 'other'

export interface NormalizedPhone {
  /** E.164 (`+393471234567`), or null when the text is not a number at all. */
  e164: string | null
  /** The national significant number (`3471234567`, `0571757111`), for search. */
  national: string | null
  type: PhoneType
  /** True when the number exists in the numbering plan of its country. */
  valid: boolean
}

const NOT_A_NUMBER: NormalizedPhone = { e164: null, national: null, type: 'other', valid: false }

/**
 * Parses a phone number as offices write it (`347 123 4567`, `+39 347-1234567`,
 * `0039 3471234567`) into E.164, and classifies it. Numbers without a country
 * prefix are read in `defaultRegion`. Uses libphonenumber's full ("max")
 * metadata, the only one that tells Italian 3xx mobiles from 0xx landlines.
 */
export function normalizePhone(text: string, defaultRegion: CountryCode = 'IT'): NormalizedPhone {
  const trimmed = text.trim().replace(/^tel:\s*/i, '')
  // The library extracts a number from any text (`347…abc`); a cell with letters is a typo.
  if (/\p{L}/u.test(trimmed)) return NOT_A_NUMBER
  if (defaultRegion === 'IT') {
    const plain = plainItalian(trimmed)
    if (plain) return plain
  }
  // The region's international prefix (`00` in Italy) is understood by the library.
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion)
  if (!parsed) return NOT_A_NUMBER
  // getType() already implies validity; isValid() only runs for the rare untyped number.
  const kind = parsed.getType()
  const valid = kind !== undefined || parsed.isValid()
  return {
    e164: parsed.number,
    national: String(parsed.nationalNumber),
    type: classify(kind),
    valid,
  }
}

/** Digits and separators, with `+39`, `0039` or no prefix: how Italian lists write numbers. */
const PLAIN_ITALIAN = /^(\+39|0039)?[\d\s\-./()]+$/

/**
 * The common case of an import, three times faster: an Italian number written
 * plainly needs no text extraction, so it goes straight to libphonenumber's
 * PhoneNumber (same metadata, same type rules). Italy has no national prefix to
 * strip, so the digits are the national number. Anything the type rules do not
 * recognise (Vatican numbers, odd lengths, typos) returns null and takes the
 * full parser; tests check both paths agree.
 */
function plainItalian(text: string): NormalizedPhone | null {
  const match = PLAIN_ITALIAN.exec(text)
  if (!match) return null
  const national = text.slice(match[1]?.length ?? 0).replace(/\D/g, '')
  if (national.length < 6 || national.length > 12) return null
  const number = new PhoneNumber(`+39${national}`, metadata)
  const kind = number.getType()
  if (kind === undefined) return null
  return { e164: number.number, national, type: classify(kind), valid: true }
}

function classify(kind: string | undefined): PhoneType {
  // Some plans (e.g. North America) cannot tell mobiles from landlines; SMS is worth trying.
  switch (kind) {
    case 'MOBILE':
    case 'FIXED_LINE_OR_MOBILE':
      return 'mobile'
    case 'FIXED_LINE':
      return 'landline'
    default:
      return 'other'
  }
}

export interface PhoneInCell {
  /** The part of the cell this number was read from. */
  text: string
  phone: NormalizedPhone
}

/**
 * Reads a spreadsheet cell that holds one or several numbers
 * (`347 1234567, 055 123456`). Spaces stay inside a number. A slash is how
 * Italians write a prefix (`0571/757111`, `347/1234567`), so it separates two
 * numbers only when the whole is not one.
 */
export function normalizePhoneCell(cell: string, defaultRegion: CountryCode = 'IT'): PhoneInCell[] {
  const out: PhoneInCell[] = []
  for (const raw of cell.split(/[,;|\n]+/)) {
    const text = raw.trim()
    if (text === '') continue
    const phone = normalizePhone(text, defaultRegion)
    if (phone.valid || !text.includes('/')) {
      out.push({ text, phone })
      continue
    }
    for (const piece of text.split('/')) {
      const t = piece.trim()
      if (t !== '') out.push({ text: t, phone: normalizePhone(t, defaultRegion) })
    }
  }
  return out
}

/**
 * Digits a person may type to find a number: E.164 without `+`, and the
 * national form (pass it when known, to spare a parse).
 */
export function phoneSearchTokens(e164: string, national?: string | null): string[] {
  const digits = e164.replace(/^\+/, '')
  const nsn = national ?? parsePhoneNumberFromString(e164)?.nationalNumber
  return nsn === undefined || nsn === digits ? [digits] : [digits, String(nsn)]
}
