import type { ImportReport } from '../../../../shared/contacts/import-report'
import { openDatabase } from '../../db/open'
import type { Job } from '../../workers/job-context'
import { importContacts, type ImportOptions } from './import-contacts'
import { createProgressMeter, type ImportProgressReport } from './import-progress'

/** What the import's options can carry across threads: no clock, no callbacks. */
export type ImportJobOptions = Omit<ImportOptions, 'now' | 'onProgress' | 'isCancelled'>

export interface ImportJobInput {
  /** The workspace file: the job opens its own connection to it (WAL lets both work). */
  file: string
  /** The file's bytes in base64, decoded here rather than on the core's thread. */
  content: string
  options: ImportJobOptions
  /** The import's time (ISO): when the operator asked for it, on the core's clock. */
  at: string
}

/**
 * The CSV import in the worker thread: the same importer, its own connection,
 * the same single transaction committed only at the end. Progress goes back
 * as it happens; a cancel is heard between rows and commits nothing.
 */
export const runImportJob: Job<ImportJobInput, ImportReport, ImportProgressReport> = (
  input,
  ctx,
) => {
  const db = openDatabase(input.file, { migrate: false })
  try {
    const at = new Date(input.at)
    return importContacts(db, Buffer.from(input.content, 'base64'), {
      ...input.options,
      now: () => at,
      isCancelled: ctx.cancelled,
      onProgress: createProgressMeter(
        { dryRun: input.options.dryRun ?? false, now: () => performance.now() },
        (report) => ctx.progress(report),
      ),
    })
  } finally {
    db.close()
  }
}
