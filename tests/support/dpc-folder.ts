import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** The real DPC samples (see shared/specs/dpc/README.md). */
export const DPC_SPECS = path.resolve(__dirname, '../../../shared/specs/dpc')

/** The three criticality bulletins of 20 July 2026, in publication order. */
export const CRITICITA_STEMS = ['20260720_1510', '20260720_1559', '20260720_2331'] as const

/**
 * A folder laid out as the DPC publishes (`files/STEM.json`, `files/geojson/STEM_DAY.json`)
 * holding the real samples. The samples keep the three Tuscan zones of the 15:10 zones files
 * (geometry removed); the 15:59 and 23:31 updates changed only Emilia-Romagna and Trento
 * (their indexes say so), so their tomorrow's zones are the 15:10 Tuscan features, and like
 * the real store they publish no today's file. `edit` changes one day's zones (an errata).
 */
export function writeDpcCriticitaFolder(
  root: string,
  stems: readonly string[] = CRITICITA_STEMS,
  edit?: (stem: string, day: 'today' | 'tomorrow', geojson: DpcGeoJson) => DpcGeoJson,
): string {
  const files = path.join(root, 'files')
  mkdirSync(path.join(files, 'geojson'), { recursive: true })
  for (const stem of stems) {
    copyFileSync(
      path.join(DPC_SPECS, 'criticita', `${stem}.json`),
      path.join(files, `${stem}.json`),
    )
    const days =
      stem === '20260720_1510' ? (['today', 'tomorrow'] as const) : (['tomorrow'] as const)
    for (const day of days) {
      const sample = JSON.parse(
        readFileSync(
          path.join(DPC_SPECS, 'criticita', 'geojson', `20260720_1510_${day}.toscana.json`),
          'utf8',
        ),
      ) as DpcGeoJson
      const json = edit ? edit(stem, day, sample) : sample
      writeFileSync(path.join(files, 'geojson', `${stem}_${day}.json`), JSON.stringify(json))
    }
  }
  return root
}

export interface DpcGeoJson {
  type: 'FeatureCollection'
  features: { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }[]
}

/** Sets one zone's level for one risk ("Per rischio idraulico") in a zones file. */
export function setZoneLevel(
  geojson: DpcGeoJson,
  zone: string,
  property: string,
  value: string,
): DpcGeoJson {
  return {
    ...geojson,
    features: geojson.features.map((f) =>
      f.properties['Nome zona'] === zone
        ? { ...f, properties: { ...f.properties, [property]: value } }
        : f,
    ),
  }
}
