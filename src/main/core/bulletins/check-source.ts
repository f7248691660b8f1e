import { stat } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { FeedError } from '../feeds/errors'
import { fetchFeed, type FetchFeedOptions } from '../feeds/http/fetch-feed'
import { readFile } from 'node:fs/promises'
import { openDpcFiles } from '../feeds/dpc/dpc-files'
import { newestCriticita, newestVigilanza } from '../feeds/dpc/newest'
import { createZoneMatcher, type OurComune } from '../feeds/dpc/our-levels'
import { readDpcSource } from '../feeds/dpc/read-dpc-source'
import { normaliseDate } from '../feeds/item-rows'
import { parseAtomCapIndex } from '../feeds/parsers/atom-cap-index'
import { parseCap } from '../feeds/parsers/cap'
import { isMeteoAlarm } from '../feeds/parsers/levels'
import { parseNewsFeed } from '../feeds/parsers/news-feed'
import type { Bulletin, BulletinRisk, WarningLevel } from '../feeds/types'
import { kindFromText } from './bulletin-draft'

/*
 * `vedetta bulletins check SOURCE`: read a source once, store nothing, and say what Vedetta
 * understood. SOURCE is a file, a folder or a URL. A folder (or a folder URL, or the DPC's
 * GitHub repository) laid out as the DPC publishes is read as a DPC bulletin, the newest one
 * winning; a DPC index file is read with its zones beside it; any other file or URL is read
 * as CAP, an Atom index of CAP, or RSS/Atom news, by what it contains.
 */

/** Levels as the alert is named: "allerta gialla". */
export type CheckedLevel = 'verde' | 'gialla' | 'arancione' | 'rossa'
const LEVEL_WORD: Record<WarningLevel, CheckedLevel> = {
  verde: 'verde',
  giallo: 'gialla',
  arancione: 'arancione',
  rosso: 'rossa',
}

export interface CheckedArea {
  name: string
  risk: BulletinRisk
  level: CheckedLevel | null
  validFrom: string | null
  validTo: string | null
  comuni: string[]
  ours: string[]
}

export interface CheckedBulletin {
  id: string
  kind: Bulletin['rawKind']
  issuedAt: string | null
  updateOf: string | null
  areas: CheckedArea[]
}

export interface CheckResult {
  bulletins: CheckedBulletin[]
  warnings: string[]
}

export interface CheckOptions {
  ours: readonly OurComune[]
  fetch?: FetchFeedOptions
  githubApi?: string
  githubRaw?: string
}

const RISK_OF_KIND: Record<string, BulletinRisk> = {
  idraulico: 'idraulico',
  pioggia: 'idrogeologico',
  temporali: 'temporali',
  neve: 'neve',
  ghiaccio: 'ghiaccio',
  vento: 'vento',
  mareggiate: 'mareggiate',
}

export async function checkSource(source: string, options: CheckOptions): Promise<CheckResult> {
  const read = await readAny(source, options)
  const zones = createZoneMatcher(options.ours)
  return {
    warnings: read.warnings,
    bulletins: read.bulletins.map((b) => {
      const eventRisk =
        RISK_OF_KIND[kindFromText([b.event, b.headline].filter(Boolean).join(' '))] ?? 'meteo'
      return {
        id: b.externalId,
        kind: b.rawKind,
        issuedAt: normaliseDate(b.sent),
        updateOf: b.references[0]?.identifier ?? null,
        areas: b.areas.map((a) => {
          const comuni = a.comuni ?? []
          return {
            name: a.name,
            risk: a.risk ?? eventRisk,
            level: a.level ? LEVEL_WORD[a.level] : b.level ? LEVEL_WORD[b.level] : null,
            validFrom: a.validFrom ?? normaliseDate(b.onset ?? b.effective),
            validTo: a.validTo ?? normaliseDate(b.expires),
            comuni,
            ours: zones.comuniIn(a.zone ?? a.name, comuni.length ? comuni : [a.name]),
          }
        }),
      }
    }),
  }
}

async function readAny(
  source: string,
  options: CheckOptions,
): Promise<{ bulletins: Bulletin[]; warnings: string[] }> {
  const dpc = (url: string, kind: 'dpc_criticita' | 'dpc_vigilanza', stem?: string) =>
    readDpcSource(url, kind, {
      ours: options.ours,
      keepAll: true,
      ...(stem ? { stem } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.githubApi ? { githubApi: options.githubApi } : {}),
      ...(options.githubRaw ? { githubRaw: options.githubRaw } : {}),
    }).then((r) =>
      r.status === 'ok'
        ? { bulletins: [r.bulletin], warnings: r.warnings.map((w) => w.message) }
        : { bulletins: [], warnings: [] },
    )
  const folderKind = async (url: string) => {
    const names = await openDpcFiles(url, options).list()
    if (newestCriticita(names)) return 'dpc_criticita' as const
    if (newestVigilanza(names)) return 'dpc_vigilanza' as const
    throw new FeedError('not_a_feed', `nessun bollettino DPC nella cartella ${url}`)
  }

  if (/^https?:\/\//i.test(source)) {
    const url = new URL(source)
    if (url.hostname === 'github.com' || url.pathname.endsWith('/')) {
      return dpc(source, await folderKind(source))
    }
    const res = await fetchFeed(source, { ...options.fetch, etag: null, lastModified: null })
    if (res.status !== 'ok') return { bulletins: [], warnings: [] }
    return byContent(res.body, source, res.charset)
  }

  const info = await stat(source).catch((err: NodeJS.ErrnoException) => {
    throw new FeedError('network', `${source}: ${err.code === 'ENOENT' ? 'non esiste' : err.code}`)
  })
  if (info.isDirectory()) {
    const url = pathToFileURL(source).href
    return dpc(url, await folderKind(url))
  }
  const name = basename(source)
  const folder = pathToFileURL(dirname(source)).href
  const criticita = /^(\d{8}_\d{4})\.json$/.exec(name)
  if (criticita) return dpc(folder, 'dpc_criticita', criticita[1])
  if (/^\d{8}\.json$/.test(name)) return dpc(folder, 'dpc_vigilanza')
  return byContent(new Uint8Array(await readFile(source)), source, null)
}

/** CAP, an Atom index of CAP, or news: told by the document's root element. */
function byContent(
  body: Uint8Array,
  where: string,
  charset: string | null,
): { bulletins: Bulletin[]; warnings: string[] } {
  const head = Buffer.from(body.subarray(0, 4096)).toString('latin1')
  const options = { charset, baseUrl: where, meteoAlarm: isMeteoAlarm(where) }
  if (/^\s*[[{]/.test(head)) {
    throw new FeedError(
      'not_a_feed',
      'un file JSON che non è un indice DPC: il nome deve essere AAAAMMGG_HHMM.json (criticità) o AAAAMMGG.json (vigilanza)',
    )
  }
  if (/<(\w+:)?alert[\s>]/.test(head)) return { bulletins: [parseCap(body, options)], warnings: [] }
  if (/<(\w+:)?feed[\s>]/.test(head) && /urn:oasis:names:tc:emergency:cap/.test(head)) {
    const entries = parseAtomCapIndex(body, options)
    return {
      bulletins: entries.map((e) => e.embedded ?? e.summary),
      warnings: entries.some((e) => !e.embedded && e.detailUrl)
        ? ['indice Atom: i messaggi CAP collegati non sono stati scaricati, si mostra il riassunto']
        : [],
    }
  }
  return { bulletins: parseNewsFeed(body, options), warnings: [] }
}
