import { maxLevel } from '../parsers/levels'
import type { WarningLevel } from '../types'
import type { DpcWarning } from './dpc-common'
import type { CriticitaRisk } from './criticita-zones'
import { dpcLevel } from './dpc-levels'

/*
 * The text of a criticality bulletin's day (`html_descrition`, reduced to plain text) lists the
 * zones that are not green, under one heading per level and risk:
 *
 *   Per la giornata di domani,  martedì 21 luglio 2026:
 *   ORDINARIA CRITICITA' PER RISCHIO TEMPORALI / ALLERTA GIALLA:
 *   Marche: Marc-1, Marc-3, Marc-5
 *   Toscana: Bisenzio e Ombrone Pt, …, Valdelsa-Valdera, Valdarno Inf., …
 *
 * It is what the publisher's people read, so the parser compares it with the zones GeoJSON and
 * warns when they disagree; it never supplies a level by itself. Some zone names contain commas
 * ("… - Bacini Piave, Sile, Scolante in Laguna"), so a list is never split: a zone is named when
 * its whole name stands in the list between separators.
 */

export interface CriticitaDescriptionEntry {
  /** The heading as written, without its final colon. */
  heading: string
  risks: CriticitaRisk[]
  level: WarningLevel
  /** The region before ": " ("Toscana"). */
  region: string
  /** The zones as written after the region. */
  zonesText: string
}

const HEADING = /^(.+?)\s+CRITICIT[AÀ]['’]?\s+PER\s+RISCHIO\s+(.+?)\s*\/\s*(.+?)\s*:$/i

const RISK_WORDS: Readonly<Record<string, CriticitaRisk[]>> = {
  TEMPORALI: ['temporali'],
  IDROGEOLOGICO: ['idrogeologico'],
  IDRAULICO: ['idraulico'],
  'IDROGEOLOGICO E IDRAULICO': ['idrogeologico', 'idraulico'],
  'IDRAULICO E IDROGEOLOGICO': ['idraulico', 'idrogeologico'],
}

/**
 * The level lists of one day's text (plain text, one heading or region per line).
 * Headings of an unknown form give a warning and their lists are skipped.
 */
export function parseCriticitaDescription(text: string): {
  entries: CriticitaDescriptionEntry[]
  warnings: DpcWarning[]
} {
  const entries: CriticitaDescriptionEntry[] = []
  const warnings: DpcWarning[] = []
  let current: { heading: string; risks: CriticitaRisk[]; level: WarningLevel } | null = null
  const unknownHeading = (title: string): void => {
    warnings.push({
      code: 'unknown_heading',
      value: title,
      message: `Il testo del bollettino ha un titolo non riconosciuto («${title}»): le zone elencate sotto non sono state confrontate con la mappa.`,
    })
    current = null
  }
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    const heading = HEADING.exec(line)
    if (heading) {
      const title = line.slice(0, -1).trim()
      const risks = RISK_WORDS[heading[2]!.toUpperCase().replace(/\s+/g, ' ')]
      const read = dpcLevel(`${heading[1]} / ${heading[3]}`)
      if (risks && read.kind === 'level') current = { heading: title, risks, level: read.level }
      else unknownHeading(title)
      continue
    }
    if (/CRITICIT.*RISCHIO/i.test(line)) {
      unknownHeading(line)
      continue
    }
    // The opening line ("Per la giornata di …"), or lines under an unknown heading (warned).
    if (!current) continue
    const colon = line.indexOf(': ')
    if (colon <= 0) {
      warnings.push({
        code: 'bad_value',
        value: line,
        message: `Il testo del bollettino ha sotto «${current.heading}» una riga senza regione («${line}»): non confrontata con la mappa.`,
      })
      continue
    }
    entries.push({
      ...current,
      region: line.slice(0, colon).trim(),
      zonesText: line.slice(colon + 2).trim(),
    })
  }
  return { entries, warnings }
}

/** Apostrophes the DPC writes in several ways ("Valle d?Aosta", "d’Orcia"), made one. */
const fold = (text: string): string => text.replace(/[’‘`´?]/g, "'").replace(/\s+/g, ' ')

/**
 * Whether a list of zones ("Marc-1, Marc-3, Marc-5") names `zone`: its whole name, bounded by
 * the start or a comma on the left and a comma or the end on the right. "Pianura centrale"
 * is not named by "Pianura centrale - Bacini Brenta …".
 */
export function namesZone(zonesText: string, zone: string): boolean {
  const list = fold(zonesText)
  const name = fold(zone.trim())
  if (name === '') return false
  for (let at = list.indexOf(name); at !== -1; at = list.indexOf(name, at + 1)) {
    const before = list.slice(0, at).trimEnd()
    const after = list.slice(at + name.length).trimStart()
    if ((before === '' || before.endsWith(',')) && (after === '' || after.startsWith(','))) {
      return true
    }
  }
  return false
}

/**
 * The level the text gives `zone` for each risk it names it under (the highest when named
 * twice). Risks under which the zone is not listed are absent: the text lists only zones
 * that are not green.
 */
export function describedLevels(
  entries: readonly CriticitaDescriptionEntry[],
  zone: string,
): Partial<Record<CriticitaRisk, WarningLevel>> {
  const out: Partial<Record<CriticitaRisk, WarningLevel>> = {}
  for (const entry of entries) {
    if (!namesZone(entry.zonesText, zone)) continue
    for (const risk of entry.risks) out[risk] = maxLevel([out[risk], entry.level])
  }
  return out
}
