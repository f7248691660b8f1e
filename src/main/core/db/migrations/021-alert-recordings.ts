import type { Migration } from './types'

/**
 * A recording the operator uploads for an alert's calls, played instead of the spoken
 * text (WAV or MP3, its length read from the file). A provider fetches it by address, so
 * at confirmation it is published in the website's folder: `public_url` is where.
 */
export const migration: Migration = {
  version: 21,
  name: 'recordings for calls',
  up(db) {
    db.exec(`
      CREATE TABLE alert_recordings (
        alert_id INTEGER PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('wav', 'mp3')),
        seconds REAL NOT NULL CHECK (seconds > 0),
        bytes BLOB NOT NULL,
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        public_url TEXT
      ) STRICT;
    `)
  },
}
