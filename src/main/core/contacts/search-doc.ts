import { phoneSearchTokens } from '../../../shared/contacts/phone'

export interface SearchDocParts {
  name: string
  email: string | null
  telegram: string | null
  phones: readonly { e164: string; national?: string | null }[]
  comuneName: string | null
  roles: readonly string[]
  institution: string | null
  tags: readonly string[]
}

/**
 * The text the full-text index holds for one contact. Numbers go in as digits in
 * E.164 and national form, so `347 123`, `+39 347` and `0571 75` all find them.
 */
export function buildSearchDoc(parts: SearchDocParts): string {
  const words: string[] = [parts.name]
  if (parts.email) words.push(parts.email)
  if (parts.telegram) words.push(parts.telegram)
  for (const p of parts.phones) words.push(...phoneSearchTokens(p.e164, p.national))
  if (parts.comuneName) words.push(parts.comuneName)
  words.push(...parts.roles)
  if (parts.institution) words.push(parts.institution)
  words.push(...parts.tags)
  return words.join(' ')
}

/** Characters people put inside numbers; a query made only of these and digits is a number. */
const NUMBER_QUERY = /^[\d\s+\-./()]+$/

/**
 * Turns what a person types into an FTS5 query: every word must match as a
 * prefix. Numbers lose their spaces and international prefix so any written
 * form finds the stored digits. Returns null when nothing searchable is left.
 */
export function toMatchQuery(query: string): string | null {
  const trimmed = query.trim()
  if (trimmed === '') return null
  if (NUMBER_QUERY.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '').replace(/^00/, '')
    if (digits.length >= 2) return `"${digits}"*`
  }
  const words = trimmed.match(/[\p{L}\p{N}]+/gu) ?? []
  if (words.length === 0) return null
  // Each word quoted: FTS5 operators (AND, NEAR, *) typed by a person stay plain text.
  return words.map((w) => `"${w}"*`).join(' ')
}
