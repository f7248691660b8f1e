import { htmlToText } from '../../../../shared/text/html-to-text'
import type { Bulletin, BulletinArea } from '../types'
import {
  addDays,
  baseName,
  compactDate,
  DAY_NAME,
  DAY_OFFSET,
  type DpcAttachment,
  type DpcDay,
  type DpcParseOptions,
  DPC_SENDER,
  type DpcWarning,
  isObject,
  italianDate,
  parseDpcJson,
  readAttachments,
  romeDayStart,
  wrongShape,
} from './dpc-common'
import { readComuni } from './criticita-zones'
import { describeValue } from './dpc-levels'

/*
 * The meteorological vigilance bulletin (pcm-dpc/DPC-Bollettini-Vigilanza-Meteorologica), one a
 * day. It forecasts rain amounts per zone: information for the room, NOT an alert level, so
 * the bulletin is `informational` and carries no level.
 *
 * Index `files/YYYYMMDD.json` (compact):
 *   { "date": "20260720", "name": "Bollettino di Vigilanza Meteo del 20/07/2026",
 *     "today" | "tomorrow" | "aftertomorrow": {
 *        "attachment": [{"xml": url}, {"pdf": url}, {"shp": url}, {"all": url}],
 *        "topo_json": [".../topojson/20260720_oggi.json", ".../topojson/20260720_fenomeni_oggi.json"],
 *        "html_description": "<p ><strong>Precipitazioni: </strong>…" }, … }
 *
 * Zones `files/geojson/20260720_oggi.json` (`_domani`, `_dopodomani`): a FeatureCollection whose
 * `totalFeatures` is not to be trusted; properties `comuni` (array), `id_classificazione` (1, 2,
 * 3…), `Nome_Zona`, `Quantitativi_previsti` ("Assenti o non rilevanti", "Deboli", "Moderati").
 * Quirks kept as written: comune names lose their non-ASCII letters ("Citt della Pieve"; see
 * match-comuni.ts), lists use pre-merger names, a zone is "Val d’Orcia" with U+2019.
 *
 * Phenomena `files/geojson/20260720_fenomeni_oggi.json`: points with `id_fenomeno` codes whose
 * meaning is not in the data; read by `parseVigilanzaPhenomena` for maps, never as levels.
 */

const INDEX = 'indice del bollettino di vigilanza meteorologica'
const ZONES = 'zone del bollettino di vigilanza meteorologica'
const PHENOMENA = 'fenomeni del bollettino di vigilanza meteorologica'

export const VIGILANZA_DAYS: readonly DpcDay[] = ['today', 'tomorrow', 'aftertomorrow']

/** The suffix of each day's files (`20260720_domani.json`). */
const FILE_DAY: Readonly<Record<DpcDay, string>> = {
  today: 'oggi',
  tomorrow: 'domani',
  aftertomorrow: 'dopodomani',
}

/** The forecast amounts the DPC pairs with each `id_classificazione`, as seen in its files. */
const KNOWN_CLASSES: Readonly<Record<number, string>> = {
  1: 'Assenti o non rilevanti',
  2: 'Deboli',
  3: 'Moderati',
}

export interface VigilanzaIndexDay {
  description: string
  attachments: DpcAttachment[]
  /** Zones GeoJSON relative to `files/` (`geojson/20260720_domani.json`). */
  zonesPath: string
  /** Phenomena GeoJSON relative to `files/` (`geojson/20260720_fenomeni_domani.json`). */
  phenomenaPath: string
}

export interface VigilanzaIndex {
  /** `20260720`. */
  stem: string
  /** The bulletin's day on Rome's clock, `2026-07-20` (its "today"). */
  date: string
  name: string | null
  /** The days the index gives (normally all three). */
  days: Partial<Record<DpcDay, VigilanzaIndexDay>>
  warnings: DpcWarning[]
}

/** The stem of a vigilance index file name (`20260720.json` → `20260720`), or undefined. */
export function vigilanzaStemOf(fileName: string): string | undefined {
  const stem = baseName(fileName).replace(/\.json$/i, '')
  return /^\d{8}$/.test(stem) ? stem : undefined
}

/**
 * Reads a vigilance bulletin index.
 * @throws FeedError when it is not one (truncated, an HTML page, another shape).
 */
export function parseVigilanzaIndex(
  input: string | Uint8Array,
  options: DpcParseOptions = {},
): VigilanzaIndex {
  const json = parseDpcJson(input, INDEX, options)
  if (!isObject(json)) throw wrongShape(INDEX, options, 'atteso un oggetto JSON')
  const file = options.fileName
  const stem = typeof json.date === 'string' ? json.date : ''
  const date = compactDate(stem)
  if (date === undefined) {
    throw wrongShape(
      INDEX,
      options,
      `il campo "date" vale ${describeValue(json.date)} invece di AAAAMMGG`,
    )
  }
  if (file !== undefined && vigilanzaStemOf(file) !== stem) {
    throw wrongShape(INDEX, options, `il contenuto è del bollettino ${stem}`)
  }
  const warnings: DpcWarning[] = []
  const days: Partial<Record<DpcDay, VigilanzaIndexDay>> = {}
  for (const day of VIGILANZA_DAYS) {
    const obj = json[day]
    if (!isObject(obj)) {
      warnings.push({
        code: 'missing_day',
        day,
        ...(file ? { file } : {}),
        message: `Bollettino di vigilanza ${stem}: manca la giornata di ${DAY_NAME[day]}.`,
      })
      continue
    }
    const zonesName = `${stem}_${FILE_DAY[day]}.json`
    const phenomenaName = `${stem}_fenomeni_${FILE_DAY[day]}.json`
    const topo = (Array.isArray(obj.topo_json) ? obj.topo_json : [obj.topo_json]).filter(
      (u): u is string => typeof u === 'string',
    )
    for (const url of topo) {
      const name = baseName(url)
      if (name !== zonesName && name !== phenomenaName) {
        warnings.push({
          code: 'name_mismatch',
          property: 'topo_json',
          value: url,
          day,
          ...(file ? { file } : {}),
          message: `Bollettino di vigilanza ${stem}: la mappa di ${DAY_NAME[day]} indicata (${name}) non ha un nome atteso (${zonesName}, ${phenomenaName}); si leggono le zone da ${zonesName}.`,
        })
      }
    }
    const html = obj.html_description ?? obj.html_descrition
    days[day] = {
      description: typeof html === 'string' ? htmlToText(html) : '',
      attachments: readAttachments(obj.attachment, day, file, warnings),
      zonesPath: `geojson/${zonesName}`,
      phenomenaPath: `geojson/${phenomenaName}`,
    }
  }
  if (Object.keys(days).length === 0) {
    throw wrongShape(INDEX, options, 'non c’è nessuna giornata (today, tomorrow, aftertomorrow)')
  }
  const name = typeof json.name === 'string' && json.name.trim() !== '' ? json.name.trim() : null
  return { stem, date, name, days, warnings }
}

export interface VigilanzaZone {
  /** `Nome_Zona` as written. */
  zone: string
  /** `comuni` as written (letters outside ASCII are missing in the source). */
  comuni: string[]
  /** `id_classificazione`, null when absent. */
  classification: number | null
  /** `Quantitativi_previsti` ("Deboli"), null when absent. */
  label: string | null
}

export interface VigilanzaZones {
  zones: VigilanzaZone[]
  warnings: DpcWarning[]
}

/**
 * Reads one day's vigilance zones GeoJSON (every feature in `features`; `totalFeatures` is
 * ignored). Geometry is not looked at.
 * @throws FeedError when it is not a FeatureCollection.
 */
export function parseVigilanzaZones(
  input: string | Uint8Array,
  options: DpcParseOptions = {},
): VigilanzaZones {
  const features = featuresOf(parseDpcJson(input, ZONES, options), ZONES, options)
  const file = options.fileName
  const where = file ? ` (${file})` : ''
  const warnings: DpcWarning[] = []
  const zones: VigilanzaZone[] = []
  features.forEach((feature, i) => {
    const props = isObject(feature) ? feature.properties : undefined
    const name = isObject(props) ? props.Nome_Zona : undefined
    if (!isObject(props) || typeof name !== 'string' || name.trim() === '') {
      warnings.push({
        code: 'missing_property',
        property: 'Nome_Zona',
        ...(file ? { file } : {}),
        message: `Zona n. ${i + 1} della vigilanza meteorologica${where} senza "Nome_Zona": tralasciata.`,
      })
      return
    }
    const comuni = readComuni(props.comuni)
    if (!Array.isArray(props.comuni) || comuni.length !== props.comuni.length) {
      warnings.push({
        code: Array.isArray(props.comuni) ? 'bad_value' : 'missing_property',
        zone: name,
        property: 'comuni',
        ...(file ? { file } : {}),
        message: `Zona «${name}»${where}: l’elenco "comuni" non è leggibile per intero; letti ${comuni.length} comuni.`,
      })
    }
    const id = props.id_classificazione
    const classification = typeof id === 'number' && Number.isInteger(id) ? id : null
    const text = props.Quantitativi_previsti
    const label = typeof text === 'string' && text.trim() !== '' ? text.trim() : null
    if (label === null) {
      warnings.push({
        code: 'missing_property',
        zone: name,
        property: 'Quantitativi_previsti',
        value: describeValue(text),
        ...(file ? { file } : {}),
        message: `Zona «${name}»${where}: manca "Quantitativi_previsti" (${describeValue(text)}); la previsione di questa zona non è stata letta.`,
      })
    } else if (
      classification !== null &&
      KNOWN_CLASSES[classification] !== undefined &&
      KNOWN_CLASSES[classification] !== label
    ) {
      warnings.push({
        code: 'level_mismatch',
        zone: name,
        property: 'id_classificazione',
        value: `${classification} / ${label}`,
        ...(file ? { file } : {}),
        message: `Zona «${name}»${where}: la classe ${classification} di solito è «${KNOWN_CLASSES[classification]}», qui «${label}»; si mostra il testo pubblicato.`,
      })
    }
    zones.push({ zone: name, comuni, classification, label })
  })
  return { zones, warnings }
}

export interface VigilanzaPhenomenon {
  /** `id_fenomeno`: a DPC code whose meaning the data does not give. */
  phenomenon: number
  lat: number
  lon: number
}

/**
 * Reads a phenomena GeoJSON (points), from the point geometry, else the `lat`/`lon`
 * properties. Features of another shape are left out with a warning.
 * @throws FeedError when it is not a FeatureCollection.
 */
export function parseVigilanzaPhenomena(
  input: string | Uint8Array,
  options: DpcParseOptions = {},
): { points: VigilanzaPhenomenon[]; warnings: DpcWarning[] } {
  const features = featuresOf(parseDpcJson(input, PHENOMENA, options), PHENOMENA, options)
  const file = options.fileName
  const warnings: DpcWarning[] = []
  const points: VigilanzaPhenomenon[] = []
  features.forEach((feature, i) => {
    const props = isObject(feature) ? feature.properties : undefined
    const geometry = isObject(feature) ? feature.geometry : undefined
    const coords =
      isObject(geometry) && geometry.type === 'Point' && Array.isArray(geometry.coordinates)
        ? geometry.coordinates
        : isObject(props)
          ? [props.lon, props.lat]
          : []
    const [lon, lat] = coords as unknown[]
    const phenomenon = isObject(props) ? props.id_fenomeno : undefined
    if (
      typeof phenomenon === 'number' &&
      typeof lat === 'number' &&
      typeof lon === 'number' &&
      Math.abs(lat) <= 90 &&
      Math.abs(lon) <= 180
    ) {
      points.push({ phenomenon, lat, lon })
    } else {
      warnings.push({
        code: 'bad_value',
        ...(file ? { file } : {}),
        message: `Fenomeno n. ${i + 1} della vigilanza meteorologica${file ? ` (${file})` : ''} senza codice o posizione leggibili: tralasciato.`,
      })
    }
  })
  return { points, warnings }
}

function featuresOf(json: unknown, what: string, options: DpcParseOptions): unknown[] {
  if (!isObject(json) || !Array.isArray(json.features)) {
    throw wrongShape(what, options, 'atteso un FeatureCollection con "features"')
  }
  if (json.type !== undefined && json.type !== 'FeatureCollection') {
    throw wrongShape(
      what,
      options,
      `"type" vale ${describeValue(json.type)}, non FeatureCollection`,
    )
  }
  return json.features as unknown[]
}

/** `dpc-vigilanza:20260720`: the bulletin's `externalId` and `capIdentifier`. */
export function vigilanzaIdentifier(stem: string): string {
  return `dpc-vigilanza:${stem}`
}

export interface VigilanzaBulletinInput {
  index: VigilanzaIndex
  /** Each day's zones as `parseVigilanzaZones` read them; absent or null when not available. */
  zones: Partial<Record<DpcDay, VigilanzaZones | null>>
  /** Keeps only the zones the caller cares about (default: all). */
  keepZone?: (zone: string, comuni: readonly string[]) => boolean
}

/**
 * The vigilance bulletin as an informational `Bulletin`: one area per kept zone and day, with
 * the forecast amounts as `label`, risk `meteo`, and the day's validity (00:00–24:00 on Rome's
 * clock). No level, ever: it is not an alert.
 */
export function buildVigilanzaBulletin(input: VigilanzaBulletinInput): {
  bulletin: Bulletin
  warnings: DpcWarning[]
} {
  const { index } = input
  const keep = input.keepZone ?? (() => true)
  const warnings: DpcWarning[] = [...index.warnings]
  const notes: string[] = []
  const areas: BulletinArea[] = []
  const texts: string[] = []
  const attachments: { label: string; url: string }[] = []
  const seen = new Set<string>()
  let last: DpcDay | null = null
  for (const day of VIGILANZA_DAYS) {
    const indexDay = index.days[day]
    if (!indexDay) continue
    last = day
    const validFrom = romeDayStart(index.date, DAY_OFFSET[day])
    const validTo = romeDayStart(index.date, DAY_OFFSET[day] + 1)
    const shown = italianDate(addDays(index.date, DAY_OFFSET[day]))
    if (indexDay.description !== '') {
      texts.push(`${capitalised(DAY_NAME[day])}, ${shown}:\n${indexDay.description}`)
    }
    for (const a of indexDay.attachments) {
      if (!seen.has(a.url)) attachments.push(a)
      seen.add(a.url)
    }
    const parsed = input.zones[day]
    if (!parsed) {
      notes.push(`Le zone di ${DAY_NAME[day]} non sono disponibili.`)
      warnings.push({
        code: 'missing_day',
        day,
        file: indexDay.zonesPath,
        message: `Bollettino di vigilanza ${index.stem}: le zone di ${DAY_NAME[day]} (${indexDay.zonesPath}) non sono disponibili.`,
      })
      continue
    }
    const kept = parsed.zones.filter((z) => keep(z.zone, z.comuni))
    const keptNames = new Set(kept.map((z) => z.zone))
    warnings.push(
      ...parsed.warnings
        .filter((w) => w.zone === undefined || keptNames.has(w.zone))
        .map((w) => ({ ...w, day })),
    )
    for (const z of kept) {
      areas.push({
        name: z.zone,
        geocodes: [],
        risk: 'meteo',
        day,
        validFrom,
        validTo,
        zone: z.zone,
        comuni: [...z.comuni],
        ...(z.label !== null ? { label: z.label } : {}),
      })
    }
  }
  const identifier = vigilanzaIdentifier(index.stem)
  const bulletin: Bulletin = {
    sourceId: null,
    externalId: identifier,
    capIdentifier: identifier,
    sender: DPC_SENDER,
    // The index says the day, not the hour it was published.
    sent: null,
    msgType: 'Alert',
    status: 'Actual',
    references: [],
    event: 'Vigilanza meteorologica',
    severity: null,
    urgency: null,
    certainty: null,
    onset: romeDayStart(index.date),
    effective: romeDayStart(index.date),
    expires: last ? romeDayStart(index.date, DAY_OFFSET[last] + 1) : null,
    headline: `Bollettino di vigilanza meteorologica del ${italianDate(index.date)}`,
    description: texts.length > 0 ? texts.join('\n\n') : null,
    instruction: null,
    web: null,
    areas,
    language: 'it-IT',
    rawKind: 'dpc_vigilanza',
    informational: true,
    attachments,
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
  }
  return { bulletin, warnings }
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
