/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038), by Unicode character.
 *
 * Written out here rather than taken from a package: none is installed, and the
 * table is short, fixed by the standard and checked against Twilio's vectors.
 */

/** Basic table: 127 characters, one septet each (0x1B, the escape, is not a character). */
const BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'

/** Extension table: reached through the escape, so each costs two septets. */
const EXTENSION_TABLE = '\f^{}\\[~]|€'

const SEPTETS = new Map<string, 1 | 2>([
  ...[...BASIC_TABLE].map((c): [string, 1] => [c, 1]),
  ...[...EXTENSION_TABLE].map((c): [string, 2] => [c, 2]),
])

/** Characters in the basic table (for tests and documentation). */
export const GSM7_BASIC_CHARACTERS: readonly string[] = [...BASIC_TABLE]
/** Characters in the extension table, each sent as escape + code. */
export const GSM7_EXTENSION_CHARACTERS: readonly string[] = [...EXTENSION_TABLE]

/**
 * Septets one code point takes in GSM-7: 1 (basic table), 2 (extension table),
 * or 0 when it cannot be written in GSM-7 at all and forces UCS-2.
 */
export function gsm7Septets(codePoint: string): 0 | 1 | 2 {
  return SEPTETS.get(codePoint) ?? 0
}

/** True when every code point of `text` is in the GSM-7 alphabet. */
export function isGsm7(text: string): boolean {
  for (const cp of text) if (gsm7Septets(cp) === 0) return false
  return true
}
