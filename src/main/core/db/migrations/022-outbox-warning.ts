import type { Migration } from './types'

/**
 * A row that was sent but not whole says why: a post whose map card could not
 * be uploaded went out as text alone ("mappa non allegata: …"). The delivery
 * board shows it beside the account's progress.
 */
export const migration: Migration = {
  version: 22,
  name: 'outbox warnings',
  up(db) {
    db.exec(`ALTER TABLE outbox ADD COLUMN warning TEXT;`)
  },
}
