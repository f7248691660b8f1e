/**
 * Suggested GSM-7 spellings for the characters Italian writers most often type
 * in an SMS that would silently switch it to UCS-2 (70 instead of 160 characters
 * per part, so the cost can double or treble). Offered to the operator as a
 * one-click fix; never applied behind their back.
 */

import { isGsm7 } from './gsm7'

/** Italian usage: capital accented vowels are written with an apostrophe (E'), acute/grave mix-ups fixed. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  À: "A'",
  È: "E'",
  Ì: "I'",
  Ò: "O'",
  Ù: "U'",
  Á: "A'",
  Í: "I'",
  Ó: "O'",
  Ú: "U'",
  á: 'à',
  í: 'ì',
  ó: 'ò',
  ú: 'ù',
  '`': "'",
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
}

export interface Gsm7Suggestion {
  /** The text with every known replacement applied. */
  text: string
  /** Characters that were replaced, each once, in order of first appearance. */
  replaced: string[]
  /** True when the suggested text is entirely GSM-7. */
  gsm7: boolean
}

/** Proposes a GSM-7 spelling of `text` (e.g. `È` → `E'`, `ó` → `ò`, `’` → `'`). */
export function suggestGsm7(text: string): Gsm7Suggestion {
  const replaced = new Set<string>()
  let out = ''
  for (const cp of text.normalize('NFC')) {
    const to = REPLACEMENTS[cp]
    if (to === undefined) {
      out += cp
    } else {
      replaced.add(cp)
      out += to
    }
  }
  return { text: out, replaced: [...replaced], gsm7: isGsm7(out) }
}
