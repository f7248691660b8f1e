import { htmlToText } from '../../../../shared/text/html-to-text'
import { isInstant } from '../../../../shared/time'
import {
  baseName,
  compactDate,
  DAY_NAME,
  type DpcAttachment,
  type DpcParseOptions,
  type DpcWarning,
  isObject,
  parseDpcJson,
  readAttachments,
  romeCompactToIso,
  wrongShape,
} from './dpc-common'

/*
 * The index of one criticality bulletin, `files/YYYYMMDD_HHMM.json` in the DPC repository
 * (pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica):
 *
 *   { "type": "first" | "update",
 *     "date": "2026-07-20T13:37:45.996Z",           when the files were produced (UTC)
 *     "name": "Bollettino del 20 luglio 2026 ore 15:10",
 *     "global_legend": url, "style": url,
 *     "today" | "tomorrow": {
 *       "topo_json": ".../files/topojson/20260720_1510_today.json",
 *       "html_descrition": "<p>Per la giornata di oggi, …",     (sic: the key is misspelt)
 *       "attachment": [ {"pdf": url}, {"xml": url}, {"shp": url}, {"all": url} ] } }
 *
 * The stem (`20260720_1510`) is the emission time on Rome's clock: the bulletin is "of 15:10"
 * even though `date` says 15:37, and an update of 23:31 is produced after midnight. So the
 * emission instant and day come from the stem; `date` is kept as `publishedAt`.
 * The zones of each day are in `files/geojson/<stem>_today.json` / `_tomorrow.json` (the
 * GeoJSON twin of the TopoJSON the index names); updates often publish only tomorrow's.
 */

const WHAT = 'indice del bollettino di criticità'
const STEM = /^(\d{8})_(\d{4})$/

export type CriticitaDayName = 'today' | 'tomorrow'

export interface CriticitaIndexDay {
  /** The day's text as plain text (HTML removed), '' when the index gives none. */
  description: string
  attachments: DpcAttachment[]
  /**
   * The day's zones GeoJSON, relative to the publisher's `files/` folder
   * (`geojson/20260720_1510_tomorrow.json`), as `DpcFiles.read` takes it.
   */
  geojsonPath: string
  /** The TopoJSON URL the index gives, as written (null when absent). */
  topoJsonUrl: string | null
}

export interface CriticitaIndex {
  /** `20260720_1510`: emission date and time on Rome's clock. */
  stem: string
  type: 'first' | 'update'
  /** The emission instant (the stem read on Rome's clock), ISO 8601 UTC. */
  issuedAt: string
  /** The emission day on Rome's clock, `2026-07-20`: the "today" of the bulletin. */
  emissionDay: string
  /** When the files were produced (`date`), ISO 8601 UTC as written; null when unusable. */
  publishedAt: string | null
  /** The publisher's title ("Bollettino del 20 luglio 2026 ore 15:10"), or null. */
  name: string | null
  today: CriticitaIndexDay
  tomorrow: CriticitaIndexDay
  warnings: DpcWarning[]
}

/** The stem of an index file name (`20260720_1510.json` → `20260720_1510`), or undefined. */
export function criticitaStemOf(fileName: string): string | undefined {
  const stem = baseName(fileName).replace(/\.json$/i, '')
  return STEM.test(stem) ? stem : undefined
}

/**
 * Reads a criticality bulletin index.
 * @throws FeedError `invalid_json` / `not_a_feed` / `encoding` when the file is not such an
 *   index (truncated, an HTML page, another shape), with a sentence for the operator.
 */
export function parseCriticitaIndex(
  input: string | Uint8Array,
  options: DpcParseOptions = {},
): CriticitaIndex {
  const json = parseDpcJson(input, WHAT, options)
  if (!isObject(json)) throw wrongShape(WHAT, options, 'atteso un oggetto JSON')
  const warnings: DpcWarning[] = []
  const file = options.fileName

  const type = json.type
  if (type !== 'first' && type !== 'update') {
    throw wrongShape(
      WHAT,
      options,
      `il campo "type" vale ${JSON.stringify(type) ?? 'niente'} invece di "first" o "update"`,
    )
  }
  for (const day of ['today', 'tomorrow'] as const) {
    if (!isObject(json[day])) throw wrongShape(WHAT, options, `manca la giornata "${day}"`)
  }
  const stem = indexStem(json, options)
  const [, ymd, hhmm] = STEM.exec(stem) as unknown as [string, string, string]
  const emissionDay = compactDate(ymd)
  const issuedAt = romeCompactToIso(`${ymd}${hhmm}`)
  if (emissionDay === undefined || issuedAt === undefined) {
    throw wrongShape(WHAT, options, `il nome ${stem} non è una data e un’ora valide`)
  }

  const date = json.date
  const publishedAt = typeof date === 'string' && isInstant(date) ? date : null
  if (publishedAt === null) {
    warnings.push({
      code: 'bad_value',
      property: 'date',
      value: JSON.stringify(date) ?? '(assente)',
      ...(file ? { file } : {}),
      message: `Bollettino di criticità ${stem}: la data di pubblicazione ${JSON.stringify(date) ?? '(assente)'} non è leggibile; vale l’ora di emissione del nome.`,
    })
  }
  const name = typeof json.name === 'string' && json.name.trim() !== '' ? json.name.trim() : null
  const clock = name ? /\bore (\d{1,2})[:.](\d{2})\b/.exec(name) : null
  if (clock && `${clock[1]!.padStart(2, '0')}${clock[2]}` !== hhmm) {
    warnings.push({
      code: 'name_mismatch',
      property: 'name',
      value: name!,
      ...(file ? { file } : {}),
      message: `Bollettino di criticità ${stem}: il titolo «${name}» indica un’ora diversa da quella del file (${hhmm.slice(0, 2)}:${hhmm.slice(2)}); vale quella del file.`,
    })
  }

  const readDay = (day: CriticitaDayName): CriticitaIndexDay => {
    const obj = json[day] as Record<string, unknown>
    const html = obj.html_descrition ?? obj.html_description
    const topo = typeof obj.topo_json === 'string' ? obj.topo_json : null
    const geojsonName = `${stem}_${day}.json`
    if (topo !== null && baseName(topo) !== geojsonName) {
      warnings.push({
        code: 'name_mismatch',
        property: 'topo_json',
        value: topo,
        day,
        ...(file ? { file } : {}),
        message: `Bollettino di criticità ${stem}: la mappa di ${DAY_NAME[day]} indicata (${baseName(topo)}) non ha il nome atteso ${geojsonName}; si leggono le zone da ${geojsonName}.`,
      })
    }
    return {
      description: typeof html === 'string' ? htmlToText(html) : '',
      attachments: readAttachments(obj.attachment, day, file, warnings),
      geojsonPath: `geojson/${geojsonName}`,
      topoJsonUrl: topo,
    }
  }

  return {
    stem,
    type,
    issuedAt,
    emissionDay,
    publishedAt,
    name,
    today: readDay('today'),
    tomorrow: readDay('tomorrow'),
    warnings,
  }
}

/**
 * The bulletin's stem: from the file name when given, else from the TopoJSON names of the
 * index. A file whose name and content disagree is refused rather than read half one, half
 * the other.
 */
function indexStem(json: Record<string, unknown>, options: DpcParseOptions): string {
  const fromTopo = (['today', 'tomorrow'] as const).map((day) => {
    const topo = (json[day] as Record<string, unknown>).topo_json
    const m =
      typeof topo === 'string'
        ? /^(\d{8}_\d{4})_(today|tomorrow)\.json$/.exec(baseName(topo))
        : null
    return m && m[2] === day ? m[1] : undefined
  })
  const fromContent = fromTopo[0] ?? fromTopo[1]
  if (options.fileName !== undefined) {
    const stem = criticitaStemOf(options.fileName)
    if (stem === undefined) {
      throw wrongShape(WHAT, options, 'il nome del file non è della forma AAAAMMGG_HHMM.json')
    }
    const other = fromTopo.find((s) => s !== undefined && s !== stem)
    if (other !== undefined) {
      throw wrongShape(WHAT, options, `il contenuto rimanda al bollettino ${other}, non a ${stem}`)
    }
    return stem
  }
  if (fromContent === undefined) {
    throw wrongShape(
      WHAT,
      options,
      'né il nome del file né le mappe indicate dicono di quale bollettino si tratta',
    )
  }
  return fromContent
}
