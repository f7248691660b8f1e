import { maxLevel } from '../parsers/levels'
import type { Bulletin, BulletinArea, CapReference } from '../types'
import { describedLevels, parseCriticitaDescription } from './criticita-description'
import type { CriticitaDayName, CriticitaIndex } from './criticita-index'
import { CRITICITA_RISK_PROPERTIES, CRITICITA_RISKS, type CriticitaZones } from './criticita-zones'
import {
  DAY_NAME,
  DAY_OFFSET,
  DPC_SENDER,
  type DpcWarning,
  italianDate,
  romeDayStart,
} from './dpc-common'

/*
 * One criticality bulletin (index + the zones of today and tomorrow) as a `Bulletin`: one area
 * per zone × risk × day, each with its own validity on Rome's clock:
 *   today    from the emission instant to 24:00 of the emission day;
 *   tomorrow 00:00 to 24:00 of the next day (23 or 25 hours when the clocks change).
 * Updates of the same day reference the earlier bulletins (`references`), as CAP updates do.
 */

/** `dpc-criticita:20260720_1510`: the bulletin's `externalId` and `capIdentifier`. */
export function criticitaIdentifier(stem: string): string {
  return `dpc-criticita:${stem}`
}

/** The `references` entry that names this bulletin, for the updates that follow it. */
export function criticitaReference(index: Pick<CriticitaIndex, 'stem' | 'issuedAt'>): CapReference {
  return { sender: DPC_SENDER, identifier: criticitaIdentifier(index.stem), sent: index.issuedAt }
}

/** When each day's areas apply (ISO 8601 UTC). */
export function criticitaValidity(
  index: Pick<CriticitaIndex, 'issuedAt' | 'emissionDay'>,
  day: CriticitaDayName,
): { validFrom: string; validTo: string } {
  const offset = DAY_OFFSET[day]
  return {
    validFrom: day === 'today' ? index.issuedAt : romeDayStart(index.emissionDay, offset),
    validTo: romeDayStart(index.emissionDay, offset + 1),
  }
}

export interface CriticitaBulletinInput {
  index: CriticitaIndex
  /**
   * Today's zones as `parseCriticitaZones` read them; null when the bulletin published none
   * (updates often publish only tomorrow's).
   */
  today: CriticitaZones | null
  tomorrow: CriticitaZones | null
  /**
   * The earlier bulletins of the same emission day (see `criticitaReference`). Others are
   * left out with a warning.
   */
  references?: readonly CapReference[]
  /** Keeps only the zones the caller cares about (default: all). */
  keepZone?: (zone: string, comuni: readonly string[]) => boolean
}

/**
 * The bulletin, and the warnings that concern it: the index's, the zone files' for the kept
 * zones (and those about no zone in particular), a day whose zones were not published, text
 * and map disagreeing for a kept zone, references left out.
 */
export function buildCriticitaBulletin(input: CriticitaBulletinInput): {
  bulletin: Bulletin
  warnings: DpcWarning[]
} {
  const { index } = input
  const keep = input.keepZone ?? (() => true)
  const warnings: DpcWarning[] = [...index.warnings]
  const notes: string[] = []
  const areas: BulletinArea[] = []
  for (const day of ['today', 'tomorrow'] as const) {
    const parsed = input[day]
    if (parsed === null) {
      notes.push(`Le zone di ${DAY_NAME[day]} non sono state pubblicate con questo bollettino.`)
      warnings.push({
        code: 'missing_day',
        day,
        file: index[day].geojsonPath,
        message: `Bollettino di criticità ${index.stem}: le zone di ${DAY_NAME[day]} (${index[day].geojsonPath}) non sono disponibili; per ${DAY_NAME[day]} valgono solo il testo e i bollettini precedenti.`,
      })
      continue
    }
    const { validFrom, validTo } = criticitaValidity(index, day)
    const text = parseCriticitaDescription(index[day].description)
    const kept = parsed.zones.filter((zone) => keep(zone.zone, zone.comuni))
    const keptNames = new Set(kept.map((zone) => zone.zone))
    warnings.push(
      ...parsed.warnings
        .filter((w) => w.zone === undefined || keptNames.has(w.zone))
        .map((w) => ({ ...w, day })),
      ...(kept.length > 0 ? text.warnings.map((w) => ({ ...w, day })) : []),
    )
    for (const zone of kept) {
      const described = describedLevels(text.entries, zone.zone)
      for (const risk of CRITICITA_RISKS) {
        const level = zone.levels[risk]
        areas.push({
          name: zone.zone,
          geocodes: [],
          ...(level ? { level } : {}),
          risk,
          day,
          validFrom,
          validTo,
          zone: zone.zone,
          comuni: [...zone.comuni],
        })
        const inText = described[risk] ?? 'verde'
        if (level && level !== inText) {
          warnings.push({
            code: 'description_mismatch',
            zone: zone.zone,
            property: CRITICITA_RISK_PROPERTIES[risk],
            day,
            message: `Bollettino di criticità ${index.stem}, ${DAY_NAME[day]}: per la zona «${zone.zone}» (rischio ${risk}) la mappa dice ${level} e il testo ${inText}; vale la mappa, controlla il bollettino.`,
          })
        }
      }
    }
  }
  const unread = areas.filter((a) => a.level === undefined).length
  if (unread === 1) notes.push('Un livello delle zone scelte non è stato letto.')
  if (unread > 1) notes.push(`${unread} livelli delle zone scelte non sono stati letti.`)

  const references = (input.references ?? []).filter((ref) => {
    const stem = /^dpc-criticita:(\d{8})_(\d{4})$/.exec(ref.identifier)
    const ok =
      stem !== null && `${stem[1]}_${stem[2]}` < index.stem && index.stem.startsWith(stem[1]!)
    if (!ok) {
      warnings.push({
        code: 'bad_reference',
        value: ref.identifier,
        message: `Bollettino di criticità ${index.stem}: il riferimento ${ref.identifier} non è un bollettino precedente dello stesso giorno ed è stato ignorato.`,
      })
    }
    return ok
  })

  const hhmm = index.stem.slice(9)
  const identifier = criticitaIdentifier(index.stem)
  const level = maxLevel(areas.map((a) => a.level))
  const description = [index.today.description, index.tomorrow.description]
    .filter((d) => d !== '')
    .join('\n\n')
  const bulletin: Bulletin = {
    sourceId: null,
    externalId: identifier,
    capIdentifier: identifier,
    sender: DPC_SENDER,
    sent: index.issuedAt,
    msgType: index.type === 'first' ? 'Alert' : 'Update',
    status: 'Actual',
    references,
    event: 'Criticità idrogeologica e idraulica',
    severity: null,
    urgency: null,
    certainty: null,
    onset: index.issuedAt,
    effective: index.issuedAt,
    expires: criticitaValidity(index, 'tomorrow').validTo,
    headline:
      `Bollettino di criticità del ${italianDate(index.emissionDay)} ore ${hhmm.slice(0, 2)}:${hhmm.slice(2)}` +
      (index.type === 'update' ? ' (aggiornamento)' : ''),
    description: description === '' ? null : description,
    instruction: null,
    web: null,
    areas,
    ...(level ? { level } : {}),
    levelKind: 'criticita',
    language: 'it-IT',
    rawKind: 'dpc_criticita',
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
    attachments: uniqueAttachments(index),
  }
  return { bulletin, warnings }
}

/** Today's and tomorrow's attachments are the same files: listed once. */
function uniqueAttachments(index: CriticitaIndex): { label: string; url: string }[] {
  const seen = new Set<string>()
  return [...index.today.attachments, ...index.tomorrow.attachments].filter((a) => {
    if (seen.has(a.url)) return false
    seen.add(a.url)
    return true
  })
}
