import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { DPC_ZONES as ZONES, fullSizeGeojson } from './dpc-geojson'
import { parseCriticitaZones } from '../../src/main/core/feeds/dpc/criticita-zones'
import { readDpcSource } from '../../src/main/core/feeds/dpc/read-dpc-source'

const ROUNDS = 15

/**
 * Reading one day's zones of a national criticality bulletin: a full-size GeoJSON (187 zones,
 * ≈5.5 MB, built from the real sample's properties and the real ISTAT polygons of the
 * province of Florence, 15-decimal coordinates like the DPC's) parsed by
 * `parseCriticitaZones` from bytes, beside a bare `JSON.parse` of the same text. The figure
 * that matters is the ratio: our parse costs little more than JSON.parse itself.
 */
export async function run({ root }: { root: string }): Promise<Record<string, number>> {
  const specs = join(root, '..', 'shared', 'specs')
  const bytes = fullSizeGeojson(specs)
  const text = Buffer.from(bytes).toString('utf8')

  // Warm both paths, then alternate so that both see the same machine load.
  let zones = 0
  for (let i = 0; i < 3; i++) {
    JSON.parse(text)
    zones = parseCriticitaZones(bytes).zones.length
  }
  if (zones !== ZONES) throw new Error(`the benchmark file has ${zones} zones, not ${ZONES}`)
  const bare: number[] = []
  const ours: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now()
    JSON.parse(text)
    bare.push(performance.now() - t)
    t = performance.now()
    const parsed = parseCriticitaZones(bytes)
    ours.push(performance.now() - t)
    if (parsed.warnings.length > 0) throw new Error(parsed.warnings[0]!.message)
  }
  const bareMs = median(bare)
  const oursMs = median(ours)
  const longestBlockMs = await longestBlockReadingFolder(specs, bytes)
  return {
    // The core's longest event-loop block while it reads a full-size bulletin (index, both
    // days' 5.5 MB zones) from a folder, as a poll does.
    dpc_read_longest_block_ms: Number(longestBlockMs.toFixed(1)),
    dpc_geojson_bytes: bytes.length,
    dpc_geojson_zones: zones,
    dpc_json_parse_ms: Number(bareMs.toFixed(2)),
    dpc_parse_ms: Number(oursMs.toFixed(2)),
    dpc_parse_ratio_to_json_parse: Number((bareMs / oursMs).toFixed(3)),
  }
}

async function longestBlockReadingFolder(specs: string, zones: Uint8Array): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'vedetta-bench-dpc-'))
  try {
    mkdirSync(join(root, 'files', 'geojson'), { recursive: true })
    copyFileSync(
      join(specs, 'dpc', 'criticita', '20260720_1510.json'),
      join(root, 'files', '20260720_1510.json'),
    )
    for (const day of ['today', 'tomorrow'])
      writeFileSync(join(root, 'files', 'geojson', `20260720_1510_${day}.json`), zones)
    const ours = [{ name: 'Empoli', istatCode: '048014', alertZones: ['Valdarno Inf.'] }]
    let worst = 0
    for (let i = 0; i < 5; i++) {
      const h = monitorEventLoopDelay({ resolution: 1 })
      h.enable()
      const read = await readDpcSource(pathToFileURL(root).href, 'dpc_criticita', { ours })
      // Let the histogram see the last block.
      await new Promise((r) => setTimeout(r, 5))
      h.disable()
      if (read.status !== 'ok') throw new Error('the bench bulletin was not read')
      worst = Math.max(worst, h.max / 1e6)
    }
    return worst
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
