import Database from 'better-sqlite3'
import { MIGRATIONS } from './migrations'
import { migrate } from './migrate'

export type Db = Database.Database

export interface OpenOptions {
  readonly?: boolean
  /** Apply pending migrations (default true). */
  migrate?: boolean
}

/** Opens a workspace file with the settings every connection needs. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  })
  try {
    db.pragma('busy_timeout = 5000')
    db.pragma('foreign_keys = ON')
    if (!options.readonly) {
      db.pragma('journal_mode = WAL')
      // FULL: a commit survives a power cut. In WAL mode NORMAL may roll back the
      // last commits, and a claim must be durable before its message leaves.
      // The dispatcher batches its writes per pass, so the extra fsync is shared.
      db.pragma('synchronous = FULL')
    }
    if (options.migrate ?? !options.readonly) migrate(db, MIGRATIONS)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
