/**
 * Folds text for comparisons a person would call "the same": case, accents and
 * punctuation do not matter (`Niccolò` ~ `niccolo`, `E-mail` ~ `email`).
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Like {@link foldText} but without spaces: header names match however they are spaced. */
export function foldKey(text: string): string {
  return foldText(text).replace(/ /g, '')
}

/** Trims and collapses inner whitespace (names typed in spreadsheets often carry double spaces). */
export function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
