import type { Migration } from './types'

/**
 * A connection check's result as a code with parameters beside its Italian sentence, so the
 * room words it in the operator's language. Checks made before keep only their sentence.
 */
export const migration: Migration = {
  version: 24,
  name: 'channel check codes',
  up(db) {
    db.exec(`
      ALTER TABLE channel_health ADD COLUMN last_check_code TEXT;
      ALTER TABLE channel_health ADD COLUMN last_check_params TEXT;
    `)
  },
}
