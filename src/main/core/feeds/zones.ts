import { maxLevel } from './parsers/levels'
import type { Bulletin, BulletinArea, WarningLevel } from './types'

/*
 * Zone filters say which bulletins are "ours". Each filter is a string:
 * - "*"                  every bulletin of the source is ours (a feed that is only about us);
 * - "NAME:VALUE"         a geocode with that name and value, e.g. "EMMA_ID:IT009",
 *                        "ISTAT:048014", "DPC_ZONA_ALLERTA:Tosc-A5" (split at the last colon);
 * - anything else        a geocode value ("048014", "Tosc-A5") or words in an area name
 *                        ("Empoli", "Firenze"); for bulletins without areas (news feeds)
 *                        the words are looked for in the headline, event and description.
 * Comparisons ignore case and accents; names match whole words only ("Vinci" ≠ "Vincigliata").
 */

export interface ZoneMatch {
  ours: boolean
  /** The bulletin's areas that matched (empty for "*" or text matches). */
  areas: BulletinArea[]
  /** The highest level among the matched areas, else the bulletin's own level. */
  level?: WarningLevel
}

function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

function containsWords(haystack: string, needle: string): boolean {
  const n = normalise(needle)
  return n !== '' && ` ${normalise(haystack)} `.includes(` ${n} `)
}

function areaMatches(area: BulletinArea, filter: string): boolean {
  const colon = filter.lastIndexOf(':')
  if (colon > 0) {
    const name = filter.slice(0, colon).trim().toLowerCase()
    const value = filter
      .slice(colon + 1)
      .trim()
      .toLowerCase()
    if (
      area.geocodes.some(
        (g) => g.valueName.toLowerCase() === name && g.value.toLowerCase() === value,
      )
    ) {
      return true
    }
  }
  const wanted = filter.trim().toLowerCase()
  return (
    area.geocodes.some((g) => g.value.toLowerCase() === wanted) || containsWords(area.name, filter)
  )
}

/** Decides whether a bulletin concerns one of our zones, and which of its areas do. */
export function matchOurZones(bulletin: Bulletin, filters: readonly string[]): ZoneMatch {
  const usable = filters.map((f) => f.trim()).filter(Boolean)
  if (usable.includes('*')) return { ours: true, areas: [], ...optionalLevel(bulletin.level) }
  const areas = bulletin.areas.filter((area) => usable.some((f) => areaMatches(area, f)))
  if (areas.length > 0) {
    return {
      ours: true,
      areas,
      ...optionalLevel(maxLevel(areas.map((a) => a.level)) ?? bulletin.level),
    }
  }
  if (bulletin.areas.length === 0) {
    const text = [bulletin.headline, bulletin.event, bulletin.description].filter(Boolean).join(' ')
    const named = usable.filter((f) => !f.includes(':'))
    if (named.some((f) => containsWords(text, f)))
      return { ours: true, areas: [], ...optionalLevel(bulletin.level) }
  }
  return { ours: false, areas: [] }
}

function optionalLevel(level: WarningLevel | undefined): { level?: WarningLevel } {
  return level ? { level } : {}
}
