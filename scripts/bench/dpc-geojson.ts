import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The national criticality GeoJSON of 20260720_1510 has 187 zones in 5,523,924 characters. */
export const DPC_ZONES = 187
const TARGET_BYTES = 5_523_924

interface Feature {
  type: 'Feature'
  properties: Record<string, unknown>
  geometry: unknown
}

/**
 * 187 features cycling the sample's three (zone names numbered so that each is distinct),
 * each with a MultiPolygon of consecutive real municipal polygons (the source's are single
 * Polygons of 10,000 to 26,000 characters; these are the same numbers, grouped) until the file
 * reaches the target size. Compact, like the source.
 */
export function fullSizeGeojson(specs: string): Uint8Array {
  const sample = JSON.parse(
    readFileSync(
      join(specs, 'dpc', 'criticita', 'geojson', '20260720_1510_tomorrow.toscana.json'),
      'utf8',
    ),
  ) as { features: Feature[] }
  const geo = JSON.parse(
    readFileSync(join(specs, 'geo', 'limits_P_48_municipalities.geojson'), 'utf8'),
  ) as { features: { geometry: { type: string; coordinates: unknown } }[] }
  const polygons = geo.features.flatMap((f) =>
    f.geometry.type === 'Polygon'
      ? [f.geometry.coordinates]
      : (f.geometry.coordinates as unknown[]),
  )
  const share = TARGET_BYTES / DPC_ZONES
  const features: string[] = []
  let next = 0
  let written = 0
  for (let i = 0; i < DPC_ZONES; i++) {
    const base = sample.features[i % sample.features.length]!
    const properties = {
      ...base.properties,
      'Nome zona': `${String(base.properties['Nome zona'])} ${i + 1}`,
    }
    const coordinates: unknown[] = []
    let json = ''
    do {
      coordinates.push(polygons[next++ % polygons.length])
      json = JSON.stringify({
        type: 'Feature',
        properties,
        geometry: { type: 'MultiPolygon', coordinates },
      })
      // Each feature ends as near as one polygon allows to its share of the running total.
    } while (written + json.length < share * (i + 1) - 3_500)
    written += json.length + 1
    features.push(json)
  }
  return new Uint8Array(
    Buffer.from(`{"type":"FeatureCollection","features":[${features.join(',')}]}`, 'utf8'),
  )
}
