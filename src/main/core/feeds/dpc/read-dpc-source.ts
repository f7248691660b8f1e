import { FeedError } from '../errors'
import type { FetchFeedOptions } from '../http/fetch-feed'
import type { Bulletin } from '../types'
import {
  buildCriticitaBulletin,
  criticitaIdentifier,
  criticitaReference,
} from './criticita-bulletin'
import { parseCriticitaIndex } from './criticita-index'
import { parseCriticitaZonesOffLoop } from '../../workers/dpc-zones'
import type { CriticitaZones } from './criticita-zones'
import { romeCompactToIso, type DpcWarning } from './dpc-common'
import {
  DPC_GEOJSON_MAX_BYTES,
  DPC_INDEX_MAX_BYTES,
  openDpcFiles,
  type DpcFiles,
} from './dpc-files'
import { newestCriticita, newestVigilanza } from './newest'
import { keepOurZones, type OurComune } from './our-levels'
import { readNewestVigilanza } from './read-vigilanza'

/*
 * One read of a DPC source: list the published files, pick the newest bulletin, download its
 * index and zones, and build one Bulletin. A criticality bulletin keeps only the zones that
 * touch our comuni (by alert zone or by the comuni the DPC lists), unless `keepAll` (the
 * command line shows everything). Later bulletins of the same day reference the earlier
 * ones, so the room treats them as updates of one bulletin.
 */

export interface ReadDpcOptions {
  ours: readonly OurComune[]
  fetch?: FetchFeedOptions
  githubApi?: string
  githubRaw?: string
  /** True when the bulletin with this external id is already stored: nothing is downloaded. */
  isHeld?: (externalId: string) => boolean
  /** Keep every zone (the command line), not only those that touch our comuni. */
  keepAll?: boolean
  /** Read this bulletin rather than the newest (the command line given one index file). */
  stem?: string
}

export type ReadDpcResult =
  | { status: 'held'; externalId: string }
  | { status: 'ok'; bulletin: Bulletin; warnings: DpcWarning[]; where: string }

export async function readDpcSource(
  url: string,
  kind: 'dpc_criticita' | 'dpc_vigilanza',
  options: ReadDpcOptions,
): Promise<ReadDpcResult> {
  const files = openDpcFiles(url, {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.githubApi ? { githubApi: options.githubApi } : {}),
    ...(options.githubRaw ? { githubRaw: options.githubRaw } : {}),
  })
  const names = await files.list()
  if (kind === 'dpc_vigilanza') {
    const day = newestVigilanza(names)
    if (!day) throw nothingPublished(files, 'YYYYMMDD.json')
    return readNewestVigilanza(files, day, options)
  }
  const pick = options.stem ? pickStem(names, options.stem) : newestCriticita(names)
  if (!pick) throw nothingPublished(files, 'YYYYMMDD_HHMM.json')
  const externalId = criticitaIdentifier(pick.stem)
  if (options.isHeld?.(externalId)) return { status: 'held', externalId }

  const index = parseCriticitaIndex(await required(files, `${pick.stem}.json`), {
    fileName: `${pick.stem}.json`,
  })
  const tomorrow = await zonesOf(files, index.tomorrow.geojsonPath)
  // An update often republishes only tomorrow's zones: today's stay those of the earlier bulletin.
  let today = await zonesOf(files, index.today.geojsonPath)
  for (const earlier of pick.earlier) {
    if (today) break
    today = await zonesOf(files, `geojson/${earlier}_today.json`)
  }
  const keepZone = keepOurZones(options)
  const { bulletin, warnings } = buildCriticitaBulletin({
    index,
    today,
    tomorrow,
    references: referencesOf(pick.earlier),
    ...(keepZone ? { keepZone } : {}),
  })
  return { status: 'ok', bulletin, warnings, where: files.where }
}

function pickStem(names: readonly string[], stem: string) {
  if (!names.includes(`${stem}.json`)) return null
  const earlier = newestCriticita(names.filter((n) => n < `${stem}.json`))
  return {
    stem,
    earlier:
      earlier && earlier.stem.startsWith(stem.slice(0, 8))
        ? [earlier.stem, ...earlier.earlier]
        : [],
  }
}

/** The earlier bulletins of the day as references: their emission instants are their stems. */
function referencesOf(stems: readonly string[]) {
  return stems.flatMap((stem) => {
    const issuedAt = romeCompactToIso(stem.replace('_', ''))
    return issuedAt ? [criticitaReference({ stem, issuedAt })] : []
  })
}

async function zonesOf(files: DpcFiles, path: string): Promise<CriticitaZones | null> {
  const bytes = await files.read(path, DPC_GEOJSON_MAX_BYTES)
  // A full-size file is parsed in the worker thread: the window stays live meanwhile.
  return bytes ? parseCriticitaZonesOffLoop(bytes, { fileName: path }) : null
}

async function required(files: DpcFiles, path: string): Promise<Uint8Array> {
  const bytes = await files.read(path, DPC_INDEX_MAX_BYTES)
  if (!bytes) throw new FeedError('http', `il file ${path} è elencato ma non si può scaricare`)
  return bytes
}

function nothingPublished(files: DpcFiles, pattern: string): FeedError {
  return new FeedError(
    'not_a_feed',
    `nessun bollettino (${pattern}) nella cartella ${files.where}: è la cartella giusta?`,
  )
}
