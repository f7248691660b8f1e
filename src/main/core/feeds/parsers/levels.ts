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

/**
 * CAP `parameter` names a regional publisher may use for its colour, read in this order.
 * Values are MeteoAlarm-style ("3; orange; Severe") or a colour word ("arancione", "Allerta rossa").
 */
export const CAP_LEVEL_PARAMETERS = [
  'awareness_level',
  'livello_allerta',
  'livello',
  'allerta',
  'colore',
  'alert_level',
] as const

/** CAP `severity` → colour when the message names none, as MeteoAlarm pairs them. */
const SEVERITY_LEVELS: Record<string, WarningLevel> = {
  minor: 'verde',
  moderate: 'giallo',
  severe: 'arancione',
  extreme: 'rosso',
}

/** The colour CAP `severity` stands for; `Unknown` or anything else gives none. */
export function levelFromSeverity(severity: string | null): WarningLevel | undefined {
  return severity ? SEVERITY_LEVELS[severity.trim().toLowerCase()] : undefined
}

/** A level parameter's value: MeteoAlarm's "n; colour; severity" form or a colour word. */
export function levelFromParameter(value: string | null): WarningLevel | undefined {
  return parseAwarenessLevel(value) ?? levelFromText(value)
}

/** True when a CAP message or its feed comes from MeteoAlarm (its URL, sender, web or identifier). */
export function isMeteoAlarm(...hints: (string | null | undefined)[]): boolean {
  return hints.some((h) => typeof h === 'string' && /meteoalarm/i.test(h))
}
