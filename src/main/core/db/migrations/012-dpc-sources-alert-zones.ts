import seed from '../../../../../resources/comuni.json'
import type { Migration } from './types'

/**
 * The DPC bulletins as they are published: feed sources gain the kinds `dpc_criticita`,
 * `dpc_vigilanza` (a folder of published files, over HTTP or local) and `manual` (avvisi an
 * operator enters by hand). The old `dpc_json` kind read an assumed shape that the DPC never
 * published; its sources become `dpc_criticita`, pointing at the same URL.
 *
 * SQLite cannot change a CHECK in place, and dropping feed_sources with foreign keys on would
 * delete every bulletin (ON DELETE CASCADE), so the three tables of bulletins are rebuilt
 * together: copies are made, the originals dropped children first, and the copies renamed
 * (renaming rewrites the copies' foreign keys to the final names). Nothing is lost: ids are
 * kept, and the migration test checks every row survives.
 *
 * Each comune also carries its regional alert zone(s) (`alert_zones`, a JSON array of
 * names as the DPC writes them, e.g. "Valdarno Inf."), seeded from resources/comuni.json
 * by ISTAT code for the comuni a workspace already has.
 */
export const migration: Migration = {
  version: 12,
  name: 'DPC sources and alert zones of the comuni',
  up(db) {
    db.exec(`
      CREATE TABLE feed_sources_next (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN
          ('cap', 'atom_cap_index', 'rss', 'dpc_criticita', 'dpc_vigilanza', 'manual')),
        url TEXT NOT NULL,
        interval_s INTEGER NOT NULL CHECK (interval_s BETWEEN 30 AND 86400),
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
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
      INSERT INTO feed_sources_next
        SELECT id, name, CASE kind WHEN 'dpc_json' THEN 'dpc_criticita' ELSE kind END, url,
               interval_s, enabled, zones, etag, last_modified, last_polled_at, last_ok_at,
               last_error, last_error_code, last_error_at, error_count, next_poll_at,
               created_at, updated_at
        FROM feed_sources;

      CREATE TABLE feed_items_next (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES feed_sources_next(id) ON DELETE CASCADE,
        external_id TEXT NOT NULL,
        cap_id TEXT,
        hash TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        sent TEXT NOT NULL,
        kind TEXT NOT NULL,
        level TEXT CHECK (level IS NULL OR level IN ('verde', 'giallo', 'arancione', 'rosso')),
        headline TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        is_ours INTEGER NOT NULL DEFAULT 0 CHECK (is_ours IN (0, 1)),
        supersedes_id INTEGER REFERENCES feed_items_next(id) ON DELETE SET NULL,
        UNIQUE (source_id, external_id)
      ) STRICT;
      INSERT INTO feed_items_next SELECT * FROM feed_items;

      CREATE TABLE bulletin_alerts_next (
        item_id INTEGER PRIMARY KEY REFERENCES feed_items_next(id) ON DELETE CASCADE,
        change TEXT NOT NULL CHECK (change IN ('new', 'update', 'revised')),
        level TEXT,
        previous_level TEXT,
        escalated INTEGER NOT NULL DEFAULT 0,
        raised_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT
      );
      INSERT INTO bulletin_alerts_next SELECT * FROM bulletin_alerts;

      DROP TABLE bulletin_alerts;
      DROP TABLE feed_items;
      DROP TABLE feed_sources;
      ALTER TABLE feed_sources_next RENAME TO feed_sources;
      ALTER TABLE feed_items_next RENAME TO feed_items;
      ALTER TABLE bulletin_alerts_next RENAME TO bulletin_alerts;

      CREATE INDEX feed_sources_due ON feed_sources (next_poll_at) WHERE enabled = 1;
      CREATE INDEX feed_items_newest ON feed_items (sent DESC, id DESC);
      CREATE INDEX feed_items_source_newest ON feed_items (source_id, sent DESC, id DESC);
      CREATE INDEX feed_items_ours_newest ON feed_items (sent DESC, id DESC) WHERE is_ours = 1;
      CREATE INDEX feed_items_hash ON feed_items (source_id, hash);
      CREATE INDEX feed_items_cap_id ON feed_items (cap_id) WHERE cap_id IS NOT NULL;
      CREATE INDEX feed_items_supersedes ON feed_items (supersedes_id) WHERE supersedes_id IS NOT NULL;
      CREATE INDEX bulletin_alerts_pending ON bulletin_alerts (raised_at) WHERE acknowledged_at IS NULL;

      ALTER TABLE comuni ADD COLUMN alert_zones TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(alert_zones) AND json_type(alert_zones) = 'array');
    `)
    const setZones = db.prepare(
      "UPDATE comuni SET alert_zones = ? WHERE istat_code = ? AND alert_zones = '[]'",
    )
    for (const c of seed.comuni) {
      if (c.istatCode && c.alertZones.length > 0)
        setZones.run(JSON.stringify(c.alertZones), c.istatCode)
    }
  },
}
