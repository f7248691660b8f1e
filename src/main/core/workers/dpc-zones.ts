import { parseCriticitaZones, type CriticitaZones } from '../feeds/dpc/criticita-zones'
import type { DpcParseOptions } from '../feeds/dpc/dpc-common'
import { startJob } from './run-job'

/**
 * From this size a zones file is parsed in the worker thread. The full-size
 * national file (187 zones, 5.5 MB) takes about 28 ms to parse on an idle
 * machine but over 100 ms while an import keeps the other core busy
 * (scripts/bench/responsiveness.bench.ts); a regional file of a few hundred
 * kilobytes costs less than starting a thread.
 */
export const DPC_ZONES_WORKER_FROM_BYTES = 1024 * 1024

/**
 * `parseCriticitaZones` without holding the core's event loop for a large
 * file: the same parser, the same zones and warnings, the same FeedError.
 */
export async function parseCriticitaZonesOffLoop(
  bytes: Uint8Array,
  options: DpcParseOptions = {},
): Promise<CriticitaZones> {
  if (bytes.length < DPC_ZONES_WORKER_FROM_BYTES) return parseCriticitaZones(bytes, options)
  return startJob('dpc:zones', { bytes, options }).result
}
