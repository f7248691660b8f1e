import { parseCriticitaZones, type CriticitaZones } from '../feeds/dpc/criticita-zones'
import type { DpcParseOptions } from '../feeds/dpc/dpc-common'
import type { Job } from './job-context'

export interface DpcZonesJobInput {
  bytes: Uint8Array
  options: DpcParseOptions
}

/** One day's zones of a DPC criticality bulletin, parsed in the worker thread. */
export const runDpcZonesJob: Job<DpcZonesJobInput, CriticitaZones> = (input) =>
  parseCriticitaZones(input.bytes, input.options)
