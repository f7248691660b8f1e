import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { cleanForDisplay } from '../../../shared/citizens/safe-text'

/**
 * What the word index holds and how a typed query becomes an FTS5 query.
 * Both sides are normalised the same way (NFKC, invisible characters removed)
 * so "𝐚𝐥𝐥𝐚𝐫𝐦𝐞" and "al\u200Blarme" are found by "allarme"; the tokenizer then
 * folds case and accents.
 */

/** The searchable form of a text. */
export function searchableText(text: string): string {
  return cleanForDisplay(text).text.normalize('NFKC')
}

/** Name, handle and, for phone numbers, the national digits too ("347 123…" finds +39347123…). */
export function searchableAuthor(name: string | null, handle: string | null): string {
  const words: string[] = []
  if (name) words.push(name)
  if (handle) {
    words.push(handle)
    if (/^\+[1-9]\d{5,14}$/.test(handle)) {
      const national = parsePhoneNumberFromString(handle)?.nationalNumber
      if (national) words.push(String(national))
    }
  }
  return searchableText(words.join(' '))
}

const NUMBER_QUERY = /^[\d\s+\-./()]+$/

/**
 * Turns what a person types into an FTS5 query: every word must match as a
 * prefix, in any column. Returns null when nothing searchable is left.
 */
export function toMatchQuery(query: string): string | null {
  const normalised = searchableText(query).trim()
  if (normalised === '') return null
  if (NUMBER_QUERY.test(normalised)) {
    const digits = normalised.replace(/\D/g, '').replace(/^00/, '')
    if (digits.length >= 2) return `"${digits}"*`
  }
  const words = normalised.match(/[\p{L}\p{N}]+/gu) ?? []
  if (words.length === 0) return null
  // Each word quoted: FTS5 operators typed by a person (AND, NEAR, *, :) stay plain words.
  return words
    .slice(0, 16)
    .map((w) => `"${w}"*`)
    .join(' ')
}
