import { FeedError } from '../errors'
import type { Bulletin, BulletinArea } from '../types'
import { decodeJsonBytes } from '../xml/decode-text'
import { contentHash } from './content-hash'
import { levelFromText, maxLevel } from './levels'

/*
 * The national daily bulletin index of the Dipartimento della Protezione Civile, as JSON.
 * There is no published schema, so the parser accepts the shapes seen in DPC exports and
 * community mirrors, and ignores what it does not know. Assumed shape:
 *
 *   [ entry, … ]  or  { "bollettini" | "bulletins" | "items" | "entries" | "data" | "results": [ entry, … ] }
 *
 *   entry = {
 *     "id" | "codice" | "guid": "…",                                   (default: url, else a content hash)
 *     "data" | "date" | "data_pubblicazione" | "dataPubblicazione" | "published" | "pubDate": "2024-11-02T16:00:00+01:00",
 *     "titolo" | "title" | "nome" | "name": "Bollettino di criticità …",
 *     "url" | "link" | "href" | "pdf" | "file": "https://…/bollettino.pdf",   (relative to the index URL is fine)
 *     "descrizione" | "description" | "summary": "…",
 *     "valido_dal" | "data_validita_inizio" | "validita_inizio" | "validFrom": "…",
 *     "valido_al" | "data_validita_fine" | "validita_fine" | "validTo": "…",
 *     "zone" | "zones" | "areas" | "aree": [ { "zona_codice" | "codice" | "code" | "id": "Tosc-A5",
 *                                              "nome" | "name" | "zona" | "descrizione": "Valdarno inferiore",
 *                                              "livello" | "level" | "avviso_criticita" | "criticita" | "colore" | "color": "Ordinaria / ALLERTA GIALLA" } ]
 *                                        or { "Tosc-A5": "gialla", … },
 *     "livelli" | "levels": { "Tosc-A5": "arancione", … }                  (merged into the zones)
 *   }
 *
 * Levels are read from free text (see levelFromText): "ALLERTA GIALLA", "rossa", "yellow",
 * "NESSUNA ALLERTA" → verde. They are civil-protection criticality colours (levelKind
 * `criticita`). Zone codes become geocodes named `DPC_ZONA_ALLERTA`.
 */

type Json = unknown
type JsonObject = Record<string, Json>

const LIST_KEYS = ['bollettini', 'bulletins', 'items', 'entries', 'data', 'results']
const ID_KEYS = ['id', 'codice', 'guid']
const DATE_KEYS = [
  'data',
  'date',
  'data_pubblicazione',
  'dataPubblicazione',
  'published',
  'pubDate',
]
const TITLE_KEYS = ['titolo', 'title', 'nome', 'name']
const URL_KEYS = ['url', 'link', 'href', 'pdf', 'file']
const DESCRIPTION_KEYS = ['descrizione', 'description', 'summary']
const FROM_KEYS = ['valido_dal', 'data_validita_inizio', 'validita_inizio', 'validFrom']
const TO_KEYS = ['valido_al', 'data_validita_fine', 'validita_fine', 'validTo']
const ZONES_KEYS = ['zone', 'zones', 'areas', 'aree']
const LEVELS_KEYS = ['livelli', 'levels']
const ZONE_CODE_KEYS = ['zona_codice', 'codice', 'code', 'id']
const ZONE_NAME_KEYS = ['nome', 'name', 'zona', 'descrizione']
const ZONE_LEVEL_KEYS = ['livello', 'level', 'avviso_criticita', 'criticita', 'colore', 'color']

/** The geocode name given to DPC alert-zone codes, usable in zone filters ("DPC_ZONA_ALLERTA:Tosc-A5"). */
export const DPC_ZONE_GEOCODE = 'DPC_ZONA_ALLERTA'

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function pick(obj: JsonObject, keys: readonly string[]): Json {
  for (const key of keys) if (obj[key] !== undefined && obj[key] !== null) return obj[key]
  return undefined
}

function pickText(obj: JsonObject, keys: readonly string[]): string | null {
  const value = pick(obj, keys)
  if (typeof value === 'number') return String(value)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

function zoneArea(code: string | null, name: string | null, level: Json): BulletinArea | null {
  if (code === null && name === null) return null
  const parsed = levelFromText(level)
  return {
    name: name ?? code ?? '',
    geocodes: code === null ? [] : [{ valueName: DPC_ZONE_GEOCODE, value: code }],
    ...(parsed ? { level: parsed } : {}),
  }
}

function readZones(entry: JsonObject): BulletinArea[] {
  const zones = pick(entry, ZONES_KEYS)
  const areas: BulletinArea[] = []
  if (Array.isArray(zones)) {
    for (const z of zones) {
      const area = isObject(z)
        ? zoneArea(
            pickText(z, ZONE_CODE_KEYS),
            pickText(z, ZONE_NAME_KEYS),
            pick(z, ZONE_LEVEL_KEYS),
          )
        : typeof z === 'string'
          ? zoneArea(z, null, undefined)
          : null
      if (area) areas.push(area)
    }
  } else if (isObject(zones)) {
    for (const [code, level] of Object.entries(zones)) {
      const area = zoneArea(code, null, level)
      if (area) areas.push(area)
    }
  }
  const levels = pick(entry, LEVELS_KEYS)
  if (isObject(levels)) {
    for (const [code, level] of Object.entries(levels)) {
      const parsed = levelFromText(level)
      const known = areas.find((a) => a.geocodes.some((g) => g.value === code))
      if (known && parsed) known.level = parsed
      else if (!known) {
        const area = zoneArea(code, null, level)
        if (area) areas.push(area)
      }
    }
  }
  return areas
}

function resolve(url: string | null, base: string | undefined): string | null {
  if (url === null) return null
  try {
    return new URL(url, base).href
  } catch {
    return url
  }
}

function entryBulletin(entry: JsonObject, base: string | undefined): Bulletin | null {
  const date = pickText(entry, DATE_KEYS)
  const url = resolve(pickText(entry, URL_KEYS), base)
  const title = pickText(entry, TITLE_KEYS)
  if (date === null && url === null && title === null) return null
  const areas = readZones(entry)
  const level = maxLevel(areas.map((a) => a.level))
  return {
    sourceId: null,
    externalId: pickText(entry, ID_KEYS) ?? url ?? `sha256:${contentHash(JSON.stringify(entry))}`,
    capIdentifier: null,
    sender: 'Dipartimento della Protezione Civile',
    sent: date,
    msgType: null,
    status: null,
    references: [],
    event: 'Bollettino di criticità',
    severity: null,
    urgency: null,
    certainty: null,
    onset: pickText(entry, FROM_KEYS),
    effective: pickText(entry, FROM_KEYS),
    expires: pickText(entry, TO_KEYS),
    headline: title ?? (date ? `Bollettino DPC del ${date}` : 'Bollettino DPC'),
    description: pickText(entry, DESCRIPTION_KEYS),
    instruction: null,
    web: url,
    areas,
    ...(level ? { level, levelKind: 'criticita' as const } : {}),
    language: 'it-IT',
    rawKind: 'dpc_json',
  }
}

export interface DpcJsonParseOptions {
  charset?: string | null
  /** The index URL, to resolve relative bulletin links. */
  baseUrl?: string
}

/**
 * Parses the DPC daily bulletin index (JSON, tolerant shape: see the comment at the top of
 * this file). Entries that carry neither a date, a title nor a link are skipped.
 */
export function parseDpcBulletinIndex(
  input: string | Uint8Array,
  options: DpcJsonParseOptions = {},
): Bulletin[] {
  const text = typeof input === 'string' ? input : decodeJsonBytes(input, options.charset)
  let json: Json
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new FeedError(
      'invalid_json',
      `JSON non valido o troncato: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  const list = Array.isArray(json) ? json : isObject(json) ? pick(json, LIST_KEYS) : undefined
  if (!Array.isArray(list)) {
    throw new FeedError(
      'not_a_feed',
      `il JSON non contiene un elenco di bollettini (atteso un array o un campo ${LIST_KEYS.map((k) => `"${k}"`).join(', ')})`,
    )
  }
  return list.flatMap((entry) => {
    const bulletin = isObject(entry) ? entryBulletin(entry, options.baseUrl) : null
    return bulletin ? [bulletin] : []
  })
}
