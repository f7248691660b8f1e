import { foldText } from './text'

/**
 * Languages offered for a contact's preference: Italian first, then those most
 * spoken by families in Tuscan schools and by visitors. Any ISO 639-1 code is
 * accepted too; this list only teaches the importer the names people write.
 */
export const COMMON_LANGUAGES = [
  'it',
  'en',
  'fr',
  'de',
  'es',
  'pt',
  'ro',
  'sq',
  'ar',
  'zh',
  'uk',
  'ru',
  'pl',
  'bn',
  'ur',
  'hi',
  'pa',
  'tl',
  'wo',
  'ff',
  'tr',
  'fa',
  'sr',
  'hr',
  'bg',
] as const

/** The language every contact gets when none is given. */
export const DEFAULT_LANGUAGE = 'it'

let englishNames: Intl.DisplayNames | undefined
let namesToCodes: Map<string, string> | undefined
const knownCodes = new Map<string, boolean>()

/** True for a two-letter code the platform's language data knows (`it`, not `xx`). */
export function isLanguageCode(code: string): boolean {
  if (!/^[a-z]{2}$/.test(code)) return false
  // Intl.DisplayNames is slow per call; an import asks about the same few codes 100,000 times.
  let known = knownCodes.get(code)
  if (known === undefined) {
    englishNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })
    known = englishNames.of(code) !== undefined
    knownCodes.set(code, known)
  }
  return known
}

/** Italian and English names of the common languages (`rumeno`, `Romanian` → `ro`). */
function languageNames(): Map<string, string> {
  if (namesToCodes) return namesToCodes
  const map = new Map<string, string>()
  for (const locale of ['it', 'en']) {
    const names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' })
    for (const code of COMMON_LANGUAGES) {
      const name = names.of(code)
      if (name) map.set(foldText(name), code)
    }
  }
  namesToCodes = map
  return map
}

/**
 * Reads a preferred language as written in a file or form (`it`, `IT`,
 * `italiano`, `English`, `en-GB`) and returns its ISO 639-1 code, or null.
 */
export function normalizeLanguage(text: string): string | null {
  const plain = text.trim().toLowerCase()
  if (isLanguageCode(plain)) return plain
  const folded = foldText(text)
  const tagged = /^([a-z]{2})(?: [a-z]{2})?$/.exec(folded)
  if (tagged?.[1] && isLanguageCode(tagged[1])) return tagged[1]
  return languageNames().get(folded) ?? null
}
