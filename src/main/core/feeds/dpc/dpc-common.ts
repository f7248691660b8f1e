import { fromRomeCompact } from '../../../../shared/time'
import { FeedError } from '../errors'
import { decodeJsonBytes } from '../xml/decode-text'
import { describeValue } from './dpc-levels'

/** What the DPC bulletins are sent by (`Bulletin.sender`, `CapReference.sender`). */
export const DPC_SENDER = 'Dipartimento della Protezione Civile'

/** The days a DPC bulletin speaks of, as its index names them. */
export type DpcDay = 'today' | 'tomorrow' | 'aftertomorrow'

/** How many days after the emission day each named day is. */
export const DAY_OFFSET: Readonly<Record<DpcDay, number>> = {
  today: 0,
  tomorrow: 1,
  aftertomorrow: 2,
}

/** Italian names of the days, for warnings and descriptions. */
export const DAY_NAME: Readonly<Record<DpcDay, string>> = {
  today: 'oggi',
  tomorrow: 'domani',
  aftertomorrow: 'dopodomani',
}

/**
 * Something in a bulletin that could not be read as expected. The bulletin is still produced
 * (without the value concerned); the caller logs the warnings and shows them on the source.
 * `message` is the sentence for the operator (Italian); the other fields say where.
 */
export interface DpcWarning {
  code:
    | 'unknown_level'
    | 'missing_property'
    | 'bad_value'
    | 'level_mismatch'
    | 'description_mismatch'
    | 'unknown_heading'
    | 'name_mismatch'
    | 'missing_day'
    | 'bad_reference'
  message: string
  zone?: string
  property?: string
  value?: string
  day?: DpcDay
  file?: string
}

/** A file the DPC attaches to a bulletin (zip archives), by its label in the index. */
export interface DpcAttachment {
  label: 'pdf' | 'xml' | 'shp' | 'all'
  url: string
}

const ATTACHMENT_LABELS = new Set(['pdf', 'xml', 'shp', 'all'])

export type JsonObject = Record<string, unknown>

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Options every DPC parser takes. */
export interface DpcParseOptions {
  /** The file's name ("20260720_1510.json"), used in messages and checked against the content. */
  fileName?: string
  /** The HTTP charset, when bytes are given. */
  charset?: string | null
}

/**
 * The JSON value of a DPC file, or a FeedError whose message tells the operator what arrived
 * instead (an HTML page, a truncated file, an empty answer).
 */
export function parseDpcJson(
  input: string | Uint8Array,
  what: string,
  options: DpcParseOptions = {},
): unknown {
  const text = (
    typeof input === 'string' ? input : decodeJsonBytes(input, options.charset)
  ).replace(/^\uFEFF/, '')
  const label = options.fileName ? `${what} (${options.fileName})` : what
  const start = text.trimStart()
  if (start === '') {
    throw new FeedError(
      'invalid_json',
      `${label}: il file è vuoto; se era in corso di pubblicazione il prossimo controllo lo rileggerà`,
    )
  }
  if (start.startsWith('<')) {
    throw new FeedError(
      'not_a_feed',
      `${label}: è arrivata una pagina HTML invece del file JSON del bollettino; ` +
        'controlla l’indirizzo della fonte (forse una pagina d’errore o di accesso)',
    )
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new FeedError(
      'invalid_json',
      `${label}: JSON non valido o troncato (${err instanceof Error ? err.message : String(err)}); ` +
        'se il file era in corso di pubblicazione il prossimo controllo lo rileggerà, ' +
        'altrimenti il formato pubblicato è cambiato',
    )
  }
}

/** A FeedError for a file whose JSON is not shaped as the DPC publishes it. */
export function wrongShape(what: string, options: DpcParseOptions, detail: string): FeedError {
  const label = options.fileName ? `${what} (${options.fileName})` : what
  return new FeedError(
    'not_a_feed',
    `${label}: ${detail}; il file non ha la forma dei bollettini DPC (indirizzo sbagliato o formato cambiato)`,
  )
}

/**
 * The attachments of one day of an index: `[{"pdf": url}, {"xml": url}, …]`. Entries of
 * another shape are left out with a warning.
 */
export function readAttachments(
  value: unknown,
  day: DpcDay,
  file: string | undefined,
  warnings: DpcWarning[],
): DpcAttachment[] {
  if (value === undefined || value === null) return []
  const list = Array.isArray(value) ? value : [value]
  const out: DpcAttachment[] = []
  for (const entry of list) {
    const pairs = isObject(entry) ? Object.entries(entry) : [['', entry] as const]
    for (const [label, url] of pairs) {
      if (ATTACHMENT_LABELS.has(label) && typeof url === 'string' && /^https?:\/\//i.test(url)) {
        out.push({ label: label as DpcAttachment['label'], url })
      } else {
        warnings.push({
          code: 'bad_value',
          property: 'attachment',
          value: describeValue(entry),
          day,
          ...(file ? { file } : {}),
          message: `Allegato di ${DAY_NAME[day]} non riconosciuto e tralasciato: ${describeValue(entry)} (attesi pdf, xml, shp o all con un indirizzo web).`,
        })
      }
    }
  }
  return out
}

/** The last path segment of a URL or path ("…/topojson/20260720_1510_today.json" → its name). */
export function baseName(url: string): string {
  const path = url.split(/[?#]/)[0] ?? ''
  return path.slice(path.lastIndexOf('/') + 1)
}

/** `20260720` → `2026-07-20` when it is a real calendar date, else undefined. */
export function compactDate(yyyymmdd: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd)
  if (!m || fromRomeCompact(`${yyyymmdd}000000`) === undefined) return undefined
  return `${m[1]}-${m[2]}-${m[3]}`
}

/** The instant (ISO UTC) of a Rome wall-clock time `yyyyMMddHHmm`, or undefined. */
export function romeCompactToIso(yyyymmddhhmm: string): string | undefined {
  const ms = fromRomeCompact(`${yyyymmddhhmm}00`)
  return ms === undefined ? undefined : new Date(ms).toISOString()
}

/** `2026-07-20` plus `days` calendar days (calendar arithmetic only: no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/**
 * The instant (ISO UTC) Rome's day `date` ("2026-07-20") plus `days` begins: 00:00 on
 * Rome's clock, so a day is 23 or 25 hours long when the clocks change.
 */
export function romeDayStart(date: string, days = 0): string {
  const iso = romeCompactToIso(`${addDays(date, days).replace(/-/g, '')}0000`)
  if (iso === undefined) throw new RangeError(`Not a calendar date: ${date}`)
  return iso
}

/** `2026-07-20` → `20/07/2026`. */
export function italianDate(date: string): string {
  const [y, m, d] = date.split('-')
  return `${d}/${m}/${y}`
}
