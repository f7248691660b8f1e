import type { Migration } from './types'

export const migration: Migration = {
  version: 5,
  name: 'message templates',
  up(db) {
    db.exec(`
      CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        kind TEXT NOT NULL,
        level TEXT NOT NULL,
        variants TEXT NOT NULL CHECK (json_valid(variants)),
        builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX templates_kind_level ON templates (kind, level);

      -- One-time facts about the workspace (e.g. which defaults were seeded).
      CREATE TABLE IF NOT EXISTS workspace_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `)
  },
}
