import { maxLevel } from '../parsers/levels'
import type { WarningLevel } from '../types'
import {
  type DpcParseOptions,
  type DpcWarning,
  isObject,
  parseDpcJson,
  wrongShape,
} from './dpc-common'
import { describeValue, dpcLevel } from './dpc-levels'

/*
 * One day's zones of a criticality bulletin, `files/geojson/<stem>_today.json` or
 * `_tomorrow.json`: a FeatureCollection of the 187 alert zones of Italy, about 5.5 MB, almost
 * all of it polygon coordinates. Each feature's properties, exactly:
 *
 *   "Rappresentata nella mappa": "Ordinaria per rischio temporali / ALLERTA GIALLA",
 *   "Per rischio idraulico":     "Assenza di fenomeni significativi prevedibili / NESSUNA ALLERTA",
 *   "Per rischio temporali":     "Ordinaria / ALLERTA GIALLA",
 *   "Per rischio idrogeologico": "Ordinaria / ALLERTA GIALLA",
 *   "Nome zona": "Valdarno Inf.",
 *   "Comuni": ["Altopascio", …]                (UTF-8, accents kept)
 *
 * Geometry is never looked at: JSON.parse, then one pass over the features' properties.
 */

const WHAT = 'zone del bollettino di criticità'

/** The risks the criticality bulletin gives a level for. */
export type CriticitaRisk = 'idraulico' | 'idrogeologico' | 'temporali'

/** The property each risk's level is in, in the order areas are listed. */
export const CRITICITA_RISK_PROPERTIES: Readonly<Record<CriticitaRisk, string>> = {
  idraulico: 'Per rischio idraulico',
  idrogeologico: 'Per rischio idrogeologico',
  temporali: 'Per rischio temporali',
}

export const CRITICITA_RISKS = Object.keys(CRITICITA_RISK_PROPERTIES) as CriticitaRisk[]

const MAP_PROPERTY = 'Rappresentata nella mappa'
const NAME_PROPERTY = 'Nome zona'
const COMUNI_PROPERTY = 'Comuni'

export interface CriticitaZone {
  /** "Nome zona" as written ("Valdarno Inf.", "Marc-2", "Valle d?Aosta …"). */
  zone: string
  /** "Comuni" as written, in the publisher's order. */
  comuni: string[]
  /** The level of each risk; a risk whose value could not be read is absent (and warned). */
  levels: Partial<Record<CriticitaRisk, WarningLevel>>
  /** "Rappresentata nella mappa": the colour the DPC map shows, when readable. */
  mapLevel?: WarningLevel
}

export interface CriticitaZones {
  zones: CriticitaZone[]
  warnings: DpcWarning[]
}

/**
 * Reads one day's zones GeoJSON.
 * @throws FeedError when the file is not a FeatureCollection (truncated, an HTML page…).
 */
export function parseCriticitaZones(
  input: string | Uint8Array,
  options: DpcParseOptions = {},
): CriticitaZones {
  const json = parseDpcJson(input, WHAT, options)
  if (!isObject(json) || !Array.isArray(json.features)) {
    throw wrongShape(WHAT, options, 'atteso un FeatureCollection con "features"')
  }
  if (json.type !== undefined && json.type !== 'FeatureCollection') {
    throw wrongShape(
      WHAT,
      options,
      `"type" vale ${describeValue(json.type)}, non FeatureCollection`,
    )
  }
  const file = options.fileName
  const where = file ? ` (${file})` : ''
  const warnings: DpcWarning[] = []
  const zones: CriticitaZone[] = []
  const features = json.features as unknown[]
  for (let i = 0; i < features.length; i++) {
    const feature = features[i]
    const props = isObject(feature) ? feature.properties : undefined
    const name = isObject(props) ? props[NAME_PROPERTY] : undefined
    if (!isObject(props) || typeof name !== 'string' || name.trim() === '') {
      warnings.push({
        code: 'missing_property',
        property: NAME_PROPERTY,
        ...(file ? { file } : {}),
        message: `Zona n. ${i + 1} delle zone di criticità${where} senza "${NAME_PROPERTY}": tralasciata.`,
      })
      continue
    }
    const zone: CriticitaZone = {
      zone: name,
      comuni: readComuni(props[COMUNI_PROPERTY]),
      levels: {},
    }
    const listed = props[COMUNI_PROPERTY]
    if (Array.isArray(listed) && zone.comuni.length !== listed.length) {
      warnings.push({
        code: 'bad_value',
        zone: name,
        property: COMUNI_PROPERTY,
        ...(file ? { file } : {}),
        message: `Zona «${name}»${where}: ${listed.length - zone.comuni.length} voci di "${COMUNI_PROPERTY}" non sono nomi e sono state tralasciate.`,
      })
    }
    if (!Array.isArray(listed)) {
      warnings.push({
        code: 'missing_property',
        zone: name,
        property: COMUNI_PROPERTY,
        value: describeValue(props[COMUNI_PROPERTY]),
        ...(file ? { file } : {}),
        message: `Zona «${name}»${where}: "${COMUNI_PROPERTY}" non è un elenco (${describeValue(props[COMUNI_PROPERTY])}); nessun comune letto per questa zona.`,
      })
    }
    for (const risk of CRITICITA_RISKS) {
      const property = CRITICITA_RISK_PROPERTIES[risk]
      const read = dpcLevel(props[property])
      if (read.kind === 'level') zone.levels[risk] = read.level
      else warnings.push(unknownLevelWarning(name, property, read.text, file))
    }
    const map = dpcLevel(props[MAP_PROPERTY])
    if (map.kind === 'level') {
      zone.mapLevel = map.level
      const highest = maxLevel(CRITICITA_RISKS.map((r) => zone.levels[r]))
      const allRead = CRITICITA_RISKS.every((r) => zone.levels[r] !== undefined)
      if (allRead && highest !== map.level) {
        warnings.push({
          code: 'level_mismatch',
          zone: name,
          property: MAP_PROPERTY,
          value: props[MAP_PROPERTY] as string,
          ...(file ? { file } : {}),
          message: `Zona «${name}»${where}: la mappa mostra ${map.level} ma il livello più alto dei rischi è ${highest}; valgono i livelli per rischio.`,
        })
      }
    } else {
      warnings.push(unknownLevelWarning(name, MAP_PROPERTY, map.text, file))
    }
    zones.push(zone)
  }
  return { zones, warnings }
}

/** The names in a list of comuni (entries that are not names are left out; the caller warns). */
export function readComuni(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value.filter((c): c is string => typeof c === 'string' && c.trim() !== '')
}

/** The warning for a level string that is not one of the DPC's four. */
export function unknownLevelWarning(
  zone: string,
  property: string,
  text: string,
  file?: string,
): DpcWarning {
  return {
    code: 'unknown_level',
    zone,
    property,
    value: text,
    ...(file ? { file } : {}),
    message: `Zona «${zone}»${file ? ` (${file})` : ''}: il valore «${text}» di "${property}" non è un livello di allerta conosciuto; il livello non è stato letto (controlla il bollettino sul sito DPC).`,
  }
}
