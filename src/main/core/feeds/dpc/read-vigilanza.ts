import { FeedError } from '../errors'
import type { DpcFiles } from './dpc-files'
import { DPC_GEOJSON_MAX_BYTES, DPC_INDEX_MAX_BYTES } from './dpc-files'
import { keepOurZones } from './our-levels'
import type { ReadDpcOptions, ReadDpcResult } from './read-dpc-source'
import {
  VIGILANZA_DAYS,
  buildVigilanzaBulletin,
  parseVigilanzaIndex,
  parseVigilanzaZones,
  vigilanzaIdentifier,
  type VigilanzaZones,
} from './vigilanza'

/**
 * The newest meteorological vigilance bulletin of a folder: its index and each day's zones
 * (a day whose zones are not published is read without them, with the builder's warning).
 * Informational: it never raises an alert.
 */
export async function readNewestVigilanza(
  files: DpcFiles,
  stem: string,
  options: ReadDpcOptions,
): Promise<ReadDpcResult> {
  const externalId = vigilanzaIdentifier(stem)
  if (options.isHeld?.(externalId)) return { status: 'held', externalId }
  const bytes = await files.read(`${stem}.json`, DPC_INDEX_MAX_BYTES)
  if (!bytes) throw new FeedError('http', `il file ${stem}.json è elencato ma non si può scaricare`)
  const index = parseVigilanzaIndex(bytes, { fileName: `${stem}.json` })
  const zones: Partial<Record<(typeof VIGILANZA_DAYS)[number], VigilanzaZones | null>> = {}
  for (const day of VIGILANZA_DAYS) {
    const path = index.days[day]?.zonesPath
    if (!path) continue
    const geojson = await files.read(path, DPC_GEOJSON_MAX_BYTES)
    zones[day] = geojson ? parseVigilanzaZones(geojson, { fileName: path }) : null
  }
  const keepZone = keepOurZones(options)
  const { bulletin, warnings } = buildVigilanzaBulletin({
    index,
    zones,
    ...(keepZone ? { keepZone } : {}),
  })
  return { status: 'ok', bulletin, warnings, where: files.where }
}
