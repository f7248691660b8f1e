import type { ImportReport } from '../../../shared/contacts/import-report'
import type { Db } from '../db/open'
import { startJob } from '../workers/run-job'
import { importContacts } from './csv/import-contacts'
import type { ImportJobOptions } from './csv/import-job'
import { createProgressMeter, type ImportProgressReport } from './csv/import-progress'
import { ImportCancelledError } from './errors'

export interface ImportRunProgress extends ImportProgressReport {
  importId: string
  dryRun: boolean
}

/**
 * Runs CSV imports off the core's event loop, in a worker thread with its own
 * connection to the workspace file: the window and the sends stay live while
 * 100,000 rows are read, checked and written. Commits go one at a time, in the
 * order asked (a second waits instead of failing on the lock); dry runs only
 * read and run at once. A workspace in memory has no file for a second
 * connection: its imports run in place.
 */
export function createImportRunner(
  db: Db,
  deps: { now: () => Date; onProgress: (progress: ImportRunProgress) => void },
) {
  const running = new Map<string, { cancel(): void }>()
  let commits: Promise<unknown> = Promise.resolve()

  const inPlace = (
    content: string,
    options: ImportJobOptions,
    at: Date,
    cancelled: () => boolean,
    progress: (p: ImportProgressReport) => void,
  ): ImportReport =>
    importContacts(db, Buffer.from(content, 'base64'), {
      ...options,
      now: () => at,
      isCancelled: cancelled,
      onProgress: createProgressMeter(
        { dryRun: options.dryRun ?? false, now: () => performance.now() },
        progress,
      ),
    })

  return {
    /**
     * Imports `content` (the file's bytes, base64) under `importId`, which its
     * progress events carry and {@link cancel} takes. Rejects with the
     * importer's own errors, rebuilt as the same classes; with
     * {@link ImportCancelledError} when cancelled before the commit.
     */
    run(importId: string, content: string, options: ImportJobOptions): Promise<ImportReport> {
      const dryRun = options.dryRun ?? false
      const at = deps.now()
      let cancelled = false
      let job: { cancel(): void } | undefined
      const progress = (p: ImportProgressReport) => deps.onProgress({ importId, dryRun, ...p })
      const launch = async (): Promise<ImportReport> => {
        if (cancelled) throw new ImportCancelledError()
        if (db.memory) return inPlace(content, options, at, () => cancelled, progress)
        const started = startJob(
          'contacts:import',
          { file: db.name, content, options, at: at.toISOString() },
          progress,
        )
        job = started
        return started.result
      }
      running.set(importId, {
        cancel() {
          cancelled = true
          job?.cancel()
        },
      })
      let result: Promise<ImportReport>
      if (dryRun) {
        result = launch()
      } else {
        result = commits.then(launch)
        // Only the queue of commits forgets the outcome: the caller gets `result` itself,
        // failure included, and the next import waits for this one either way.
        commits = result.catch(() => undefined)
      }
      return result.finally(() => running.delete(importId))
    },

    /** Asks a running or waiting import to stop; false when none goes by that id (finished, or never started). */
    cancel(importId: string): boolean {
      const run = running.get(importId)
      run?.cancel()
      return run !== undefined
    },

    /** Whether an import goes by this id now (ids must not be reused while it runs). */
    has: (importId: string): boolean => running.has(importId),
  }
}
