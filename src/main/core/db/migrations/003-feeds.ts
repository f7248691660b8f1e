import type { Migration } from './types'

export const migration: Migration = {
  version: 3,
  name: 'feed sources and bulletins',
  up(db) {
    db.exec(`
      CREATE TABLE feed_sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('cap', 'atom_cap_index', 'rss', 'dpc_json')),
        url TEXT NOT NULL,
        interval_s INTEGER NOT NULL CHECK (interval_s BETWEEN 30 AND 86400),
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        -- Zone filters ("EMMA_ID:IT009", "048014", "Empoli"…) that make a bulletin "ours".
        zones TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(zones) AND json_type(zones) = 'array'),
        etag TEXT,
        last_modified TEXT,
        last_polled_at TEXT,
        last_ok_at TEXT,
        last_error TEXT,
        last_error_code TEXT,
        last_error_at TEXT,
        error_count INTEGER NOT NULL DEFAULT 0 CHECK (error_count >= 0),
        next_poll_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE INDEX feed_sources_due ON feed_sources (next_poll_at) WHERE enabled = 1;

      CREATE TABLE feed_items (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES feed_sources(id) ON DELETE CASCADE,
        external_id TEXT NOT NULL,
        cap_id TEXT,
        hash TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        -- Publication time in UTC ISO 8601 (fetch time when the feed gives none): the sort key.
        sent TEXT NOT NULL,
        kind TEXT NOT NULL,
        level TEXT CHECK (level IS NULL OR level IN ('verde', 'giallo', 'arancione', 'rosso')),
        headline TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        is_ours INTEGER NOT NULL DEFAULT 0 CHECK (is_ours IN (0, 1)),
        -- The earlier bulletin this one updates (CAP references): the upgrade chain.
        supersedes_id INTEGER REFERENCES feed_items(id) ON DELETE SET NULL,
        UNIQUE (source_id, external_id)
      ) STRICT;

      -- Newest-first keyset paging: all items, one source, only ours.
      CREATE INDEX feed_items_newest ON feed_items (sent DESC, id DESC);
      CREATE INDEX feed_items_source_newest ON feed_items (source_id, sent DESC, id DESC);
      CREATE INDEX feed_items_ours_newest ON feed_items (sent DESC, id DESC) WHERE is_ours = 1;
      CREATE INDEX feed_items_hash ON feed_items (source_id, hash);
      CREATE INDEX feed_items_cap_id ON feed_items (cap_id) WHERE cap_id IS NOT NULL;
      CREATE INDEX feed_items_supersedes ON feed_items (supersedes_id) WHERE supersedes_id IS NOT NULL;
    `)
  },
}
