import type { Migration } from './types'

export const migration: Migration = {
  version: 6,
  name: 'room layouts and journal notes',
  up(db) {
    db.exec(`
      CREATE TABLE room_layouts (
        operator TEXT PRIMARY KEY COLLATE NOCASE,
        layout TEXT NOT NULL CHECK (json_valid(layout)),
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Notes typed by operators and shift handovers; automatic actions live in audit_log.
      CREATE TABLE journal_notes (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('note', 'handover')),
        text TEXT NOT NULL,
        detail TEXT CHECK (detail IS NULL OR json_valid(detail))
      ) STRICT;
      CREATE INDEX journal_notes_at ON journal_notes (at);
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE TRIGGER journal_notes_no_update BEFORE UPDATE ON journal_notes
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
      CREATE TRIGGER journal_notes_no_delete BEFORE DELETE ON journal_notes
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    `)
  },
}
