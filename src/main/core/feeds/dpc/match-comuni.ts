/*
 * Whether a comune a bulletin lists is one of ours. Names are compared whole, never as
 * substrings ("Vinci" is not "Provincia di …", nor "Vincigliata"):
 *   1. by ISTAT code when both sides have one (then only by code: Italy has homonymous comuni);
 *   2. by name, after folding accents (NFD), apostrophes (’ ' ‘ ` ´ and the "?" a lost
 *      apostrophe becomes), hyphens, runs of spaces and letter case;
 *   3. by the vigilance bulletin's quirk, which drops every letter outside ASCII
 *      ("Citt della Pieve", "Castel San Niccol"): our name with those letters removed is
 *      compared, whole, with a published name written only in ASCII. A key two of our comuni
 *      would share is not used.
 */

/** What names a comune: what the matching reads. */
export interface ComuneNames {
  name: string
  /** Six-digit ISTAT code ("048014"), when known. */
  istatCode?: string | null
  /** Other names it is published under (a pre-merger name, a bilingual form). */
  aliases?: readonly string[]
}

/** One of our comuni (Configurazione → Comuni), with the alert zones it lies in. */
export interface OurComune extends ComuneNames {
  /** The DPC criticality zones ("Valdarno Inf."), as `Comune.alertZones`. */
  alertZones: readonly string[]
}

/** A comune as a bulletin lists it: a name, or a name with its ISTAT code. */
export type PublishedComune = string | { name: string; istatCode?: string | null }

export interface ComuneMatch<C extends ComuneNames = ComuneNames> {
  comune: C
  by: 'istat' | 'name' | 'dropped_letters'
}

export interface ComuniMatcher<C extends ComuneNames = ComuneNames> {
  /** Which of our comuni a published one is, if any. */
  match(published: PublishedComune): ComuneMatch<C> | undefined
  /** Whether any of a list of published comuni is ours (a `keepZone` for the DPC builders). */
  matchesAny(published: readonly PublishedComune[]): boolean
}

/** A name folded for comparison: accents, apostrophes, hyphens, spaces and case. */
export function normaliseComuneName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘'`´ʼ?\-\s]+/g, ' ')
    .trim()
    .toLowerCase()
}

/** Our name as the vigilance bulletin writes it: every letter outside ASCII dropped, then folded. */
function droppedLettersKey(name: string): string {
  // eslint-disable-next-line no-control-regex
  return normaliseComuneName(name.normalize('NFC').replace(/[^\u0000-\u007f’‘´ʼ]/g, ''))
}

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\u0000-\u007f]*$/

function istatKey(code: string | null | undefined): string | undefined {
  const digits = code?.trim() ?? ''
  return /^\d{1,6}$/.test(digits) ? digits.padStart(6, '0') : undefined
}

/** A matcher over our comuni. */
export function createComuniMatcher<C extends ComuneNames>(ours: readonly C[]): ComuniMatcher<C> {
  const byIstat = new Map<string, C>()
  const byName = new Map<string, C | null>()
  const byDropped = new Map<string, C | null>()
  const add = (map: Map<string, C | null>, key: string, comune: C): void => {
    if (key === '') return
    const held = map.get(key)
    // Two different comuni under one key: the key says nothing, so it is not used.
    map.set(key, held === undefined || held === comune ? comune : null)
  }
  for (const comune of ours) {
    const code = istatKey(comune.istatCode)
    if (code) byIstat.set(code, comune)
    for (const name of [comune.name, ...(comune.aliases ?? [])]) {
      add(byName, normaliseComuneName(name), comune)
      if (!ASCII_ONLY.test(name.normalize('NFC'))) add(byDropped, droppedLettersKey(name), comune)
    }
  }

  const match = (published: PublishedComune): ComuneMatch<C> | undefined => {
    const name = typeof published === 'string' ? published : published.name
    const code = typeof published === 'string' ? undefined : istatKey(published.istatCode)
    if (code !== undefined && byIstat.size > 0) {
      const comune = byIstat.get(code)
      if (comune) return { comune, by: 'istat' }
      // A code of a comune we do not have: a homonym elsewhere, unless ours has no code.
      const named = byName.get(normaliseComuneName(name))
      return named && istatKey(named.istatCode) === undefined
        ? { comune: named, by: 'name' }
        : undefined
    }
    const key = normaliseComuneName(name)
    const named = byName.get(key)
    if (named) return { comune: named, by: 'name' }
    if (named === undefined && ASCII_ONLY.test(name)) {
      const dropped = byDropped.get(key)
      if (dropped) return { comune: dropped, by: 'dropped_letters' }
    }
    return undefined
  }

  return {
    match,
    matchesAny: (published) => published.some((p) => match(p) !== undefined),
  }
}

/**
 * Whether a published comune is `comune`, by the same rules as `createComuniMatcher` (the
 * dropped-letters form is compared with this comune alone: a matcher over all our comuni also
 * refuses a form two of them share). For many names against many comuni, use the matcher.
 */
export function isOurComune(published: PublishedComune, comune: ComuneNames): boolean {
  const name = typeof published === 'string' ? published : published.name
  const code = typeof published === 'string' ? undefined : istatKey(published.istatCode)
  const ours = istatKey(comune.istatCode)
  if (code !== undefined && ours !== undefined) return code === ours
  const key = normaliseComuneName(name)
  const ascii = ASCII_ONLY.test(name)
  return [comune.name, ...(comune.aliases ?? [])].some(
    (n) =>
      normaliseComuneName(n) === key ||
      (ascii && !ASCII_ONLY.test(n.normalize('NFC')) && droppedLettersKey(n) === key),
  )
}
