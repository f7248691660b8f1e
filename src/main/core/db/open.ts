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
      db.pragma('synchronous = NORMAL')
    }
    if (options.migrate ?? !options.readonly) migrate(db, MIGRATIONS)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
