import type { Migration } from './types'

export const migration: Migration = {
  version: 7,
  name: 'channel account health',
  up(db) {
    db.exec(`
      -- What the room shows about each account: last connection check, last send outcome.
      CREATE TABLE channel_health (
        account_id INTEGER PRIMARY KEY REFERENCES channel_accounts(id) ON DELETE CASCADE,
        last_check_at TEXT,
        last_check_ok INTEGER CHECK (last_check_ok IN (0, 1)),
        last_check_message TEXT,
        last_success_at TEXT,
        last_error_at TEXT,
        last_error TEXT
      ) STRICT;
    `)
  },
}
