import type { WarningLevel } from '../types'

/*
 * The DPC writes a level as "<criticality> / <alert>": "Ordinaria / ALLERTA GIALLA",
 * "Assenza di fenomeni significativi prevedibili / NESSUNA ALLERTA", and on the map property
 * "Ordinaria per rischio temporali / ALLERTA GIALLA". Only the part after the last " / " says
 * the colour, and only these four values are read; anything else is `unknown`, never a guess
 * (the free-text reader in parsers/levels.ts would take "rossa" out of any sentence).
 */

const ALERTS: Readonly<Record<string, WarningLevel>> = {
  'NESSUNA ALLERTA': 'verde',
  'ALLERTA GIALLA': 'giallo',
  'ALLERTA ARANCIONE': 'arancione',
  'ALLERTA ROSSA': 'rosso',
}

/** A DPC level string read: a level, or `unknown` with the value as it came. */
export type DpcLevelResult =
  | {
      kind: 'level'
      level: WarningLevel
      /** The part before " / " ("Ordinaria"). */ criticality: string
    }
  | { kind: 'unknown'; /** The value as written (JSON for what is not a string). */ text: string }

/**
 * The colour of a DPC level string, by the part after the last " / " (spaces and letter case
 * of that part do not matter). Missing, empty or unrecognised values give `unknown`: the
 * caller turns that into a warning and leaves the level out.
 */
export function dpcLevel(value: unknown): DpcLevelResult {
  if (typeof value !== 'string') return { kind: 'unknown', text: describeValue(value) }
  const slash = value.lastIndexOf(' / ')
  if (slash < 0) return { kind: 'unknown', text: value }
  const alert = value
    .slice(slash + 3)
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase()
  const level = ALERTS[alert]
  return level
    ? { kind: 'level', level, criticality: value.slice(0, slash).trim() }
    : { kind: 'unknown', text: value }
}

/** How a value that is not a level string is named in a warning. */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(assente)'
  if (typeof value === 'string') return value
  return JSON.stringify(value) ?? String(value)
}
