import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCriticitaZones } from '../../../src/main/core/feeds/dpc/criticita-zones'
import { FeedError } from '../../../src/main/core/feeds/errors'
import {
  DPC_ZONES_WORKER_FROM_BYTES,
  parseCriticitaZonesOffLoop,
} from '../../../src/main/core/workers/dpc-zones'

const SPECS = resolve(__dirname, '../../../../shared/specs')

/**
 * A zones file past the worker's threshold, made of the real sample's properties and the
 * real ISTAT polygons of the province of Florence, with one level string the DPC never writes.
 */
function largeZonesFile(): Uint8Array {
  const sample = JSON.parse(
    readFileSync(join(SPECS, 'dpc/criticita/geojson/20260720_1510_tomorrow.toscana.json'), 'utf8'),
  ) as { features: { properties: Record<string, unknown> }[] }
  const geo = JSON.parse(
    readFileSync(join(SPECS, 'geo/limits_P_48_municipalities.geojson'), 'utf8'),
  ) as { features: { geometry: unknown }[] }
  const features: unknown[] = []
  let size = 0
  for (let i = 0; size < 1.5 * DPC_ZONES_WORKER_FROM_BYTES; i++) {
    const base = sample.features[i % sample.features.length]!
    const properties: Record<string, unknown> = {
      ...base.properties,
      'Nome zona': `${String(base.properties['Nome zona'])} ${i + 1}`,
    }
    if (i === 3) properties['Per rischio temporali'] = 'Moderata / ALLERTA VIOLA'
    const feature = {
      type: 'Feature',
      properties,
      geometry: geo.features[i % geo.features.length]!.geometry,
    }
    size += JSON.stringify(feature).length
    features.push(feature)
  }
  return new Uint8Array(
    Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }), 'utf8'),
  )
}

describe('DPC zones parsed in the worker thread', () => {
  it('a large file gives the same zones and warnings as the parse in place', async () => {
    const bytes = largeZonesFile()
    expect(bytes.length).toBeGreaterThan(DPC_ZONES_WORKER_FROM_BYTES)
    const inPlace = parseCriticitaZones(bytes, { fileName: 'geojson/20260720_1510_today.json' })
    const offLoop = await parseCriticitaZonesOffLoop(bytes, {
      fileName: 'geojson/20260720_1510_today.json',
    })
    expect(offLoop).toEqual(inPlace)
    expect(offLoop.warnings.map((w) => w.code)).toContain('unknown_level')
  })

  it('a large file cut short comes back as the same FeedError, code and sentence', async () => {
    const cut = largeZonesFile().subarray(0, Math.round(1.2 * DPC_ZONES_WORKER_FROM_BYTES))
    let expected: unknown
    try {
      parseCriticitaZones(cut, { fileName: 'geojson/x_today.json' })
    } catch (err) {
      expected = err
    }
    expect(expected).toBeInstanceOf(FeedError)
    const err = await parseCriticitaZonesOffLoop(cut, { fileName: 'geojson/x_today.json' }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(FeedError)
    expect(err).toMatchObject({
      code: (expected as FeedError).code,
      message: (expected as FeedError).message,
      extra: (expected as FeedError).extra,
    })
  })
})
