import { runImportJob } from '../contacts/csv/import-job'
import { runDrillReportJob } from '../drill-runtime/report-job'
import { runMapCardJob } from '../maps/card-job'
import { runDpcZonesJob } from './dpc-zones-job'
import type { Job } from './job-context'

/**
 * Every job the core's worker thread can run, by name: the work that would
 * otherwise hold the core's event loop (and so the window) for longer than a
 * frame or two. Bundled into the worker's own file; the core's thread only
 * uses the types.
 */
export const JOBS = {
  'contacts:import': runImportJob,
  'dpc:zones': runDpcZonesJob,
  'drill:report': runDrillReportJob,
  'maps:card': runMapCardJob,
} satisfies Record<string, Job<never, unknown, unknown>>

export type JobName = keyof typeof JOBS
type Of<K extends JobName> = (typeof JOBS)[K]
export type JobInput<K extends JobName> = Parameters<Of<K>>[0]
export type JobOutput<K extends JobName> = ReturnType<Of<K>>
export type JobProgress<K extends JobName> = Parameters<Of<K>>[1] extends {
  progress(p: infer P): void
}
  ? P
  : never
