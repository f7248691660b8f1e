/**
 * The comuni boundaries shipped in resources/maps: the Circondario's 11 comuni
 * and the neighbouring comuni of the Città Metropolitana di Firenze, ISTAT
 * limits (CC-BY) in WGS84 longitude/latitude.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface ComuneShape {
  name: string
  istat: string
  /** One of the Circondario's comuni (the others are drawn in grey). */
  circondario: boolean
  /** Rings of [longitude, latitude]; the first is the outline, the others holes. */
  rings: [number, number][][]
}

export interface Boundaries {
  comuni: ComuneShape[]
  attribution: string
}

export const BOUNDARIES_FILE = join('maps', 'comuni-circondario.geojson')

interface GeoJsonFile {
  attribution?: string
  features: {
    properties: { name: string; istat: string; circondario: boolean }
    geometry: { type: string; coordinates: [number, number][][] }
  }[]
}

const cache = new Map<string, Boundaries>()

/** Reads (once) the boundaries under `resourcesDir`. */
export function loadBoundaries(resourcesDir: string): Boundaries {
  const file = join(resourcesDir, BOUNDARIES_FILE)
  const cached = cache.get(file)
  if (cached) return cached
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as GeoJsonFile
  const comuni = parsed.features.map((f) => {
    if (f.geometry.type !== 'Polygon') {
      throw new Error(`${file}: ${f.properties.name} is a ${f.geometry.type}, not a Polygon`)
    }
    return { ...f.properties, rings: f.geometry.coordinates }
  })
  const boundaries = { comuni, attribution: parsed.attribution ?? 'ISTAT, CC-BY' }
  cache.set(file, boundaries)
  return boundaries
}
