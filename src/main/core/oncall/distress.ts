import { foldText } from '../../../shared/contacts/text'

/**
 * Words of distress in a citizen's message, "stemming-light": each configured word
 * matches the start of a word in the text ("allagat" is allagato, allagata, allagati),
 * a phrase matches consecutive words ("anziano solo"), case and accents aside
 * ("Aiutoooo" is aiuto, "ferìta" is ferita). A word matches only at the start of a
 * word, and one of three letters or fewer only as a whole word ("sos" is not "sospese").
 * Returns the configured words found, in their order.
 */
export function distressWordsIn(text: string, words: readonly string[]): string[] {
  const tokens = foldText(text).split(' ').filter(Boolean)
  const found: string[] = []
  for (const word of words) {
    const parts = foldText(word).split(' ').filter(Boolean)
    if (parts.length === 0) continue
    if (matchesAt(tokens, parts)) found.push(word)
  }
  return found
}

function matchesAt(tokens: readonly string[], parts: readonly string[]): boolean {
  for (let i = 0; i + parts.length <= tokens.length; i++) {
    if (parts.every((p, k) => tokenMatches(tokens[i + k]!, p))) return true
  }
  return false
}

/** Short words stand for themselves ("sos", "112"); longer ones for any word they begin. */
function tokenMatches(token: string, part: string): boolean {
  if (part.length <= 3) return squeeze(token) === part
  return token.startsWith(part) || squeeze(token).startsWith(part)
}

/** "aiutooo" → "aiuto", "sosss" → "sos": letters repeated in a shout count once. */
const squeeze = (token: string): string => token.replace(/(\p{L})\1{2,}/gu, '$1')
