import type { Migration } from './types'

export const migration: Migration = {
  version: 1,
  name: 'channel accounts and their secrets',
  up(db) {
    db.exec(`
      CREATE TABLE channel_accounts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        settings TEXT NOT NULL CHECK (json_valid(settings)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Secrets live apart from settings so no query for the UI can reach them by accident.
      CREATE TABLE channel_secrets (
        account_id INTEGER NOT NULL REFERENCES channel_accounts(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        PRIMARY KEY (account_id, name)
      ) STRICT;

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT CHECK (detail IS NULL OR json_valid(detail))
      ) STRICT;

      -- Append-only: the journal of what was done cannot be rewritten.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `)
  },
}
