import { WARNING_LEVELS, type WarningLevel } from '../types'

const AWARENESS_BY_NUMBER: Record<string, WarningLevel> = {
  '1': 'verde',
  '2': 'giallo',
  '3': 'arancione',
  '4': 'rosso',
}

const AWARENESS_BY_COLOUR: Record<string, WarningLevel> = {
  green: 'verde',
  yellow: 'giallo',
  orange: 'arancione',
  red: 'rosso',
}

/**
 * MeteoAlarm's `awareness_level` parameter ("2; yellow; Moderate") as a colour.
 * This is a meteorological warning level, not the regional civil-protection alert code.
 */
export function parseAwarenessLevel(value: string | null): WarningLevel | undefined {
  if (!value) return undefined
  const [number, colour] = value.split(';').map((part) => part.trim().toLowerCase())
  return AWARENESS_BY_COLOUR[colour ?? ''] ?? AWARENESS_BY_NUMBER[number ?? '']
}

/**
 * A civil-protection colour from free text as the DPC writes it ("Ordinaria / ALLERTA GIALLA",
 * "rossa", "NESSUNA ALLERTA") or in English. Unknown text gives no level rather than a guess.
 */
export function levelFromText(value: unknown): WarningLevel | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.toLowerCase()
  if (/\bross[aoi]?\b|\bred\b/.test(text)) return 'rosso'
  if (/\barancion[ei]?\b|\borange\b/.test(text)) return 'arancione'
  if (/\bgiall[aoi]?\b|\byellow\b/.test(text)) return 'giallo'
  if (/\bverd[ei]\b|\bgreen\b|nessuna allerta|assenza di fenomeni/.test(text)) return 'verde'
  return undefined
}

/** The highest of some levels (rosso > arancione > giallo > verde). */
export function maxLevel(
  levels: readonly (WarningLevel | undefined | null)[],
): WarningLevel | undefined {
  let best = -1
  for (const level of levels) if (level) best = Math.max(best, WARNING_LEVELS.indexOf(level))
  return best < 0 ? undefined : WARNING_LEVELS[best]
}
