import seed from '../../../../../resources/comuni.json'
import type { Migration } from './types'

/**
 * The DPC bulletins as they are published: feed sources gain the kinds `dpc_criticita`,
 * `dpc_vigilanza` (a folder of published files, over HTTP or local) and `manual` (avvisi an
 * operator enters by hand). The old `dpc_json` kind read an assumed shape that the DPC never
 * published; its sources become `dpc_criticita`, pointing at the same URL.
 *
 * SQLite cannot change a CHECK in place, so feed_sources is rebuilt. With
 * `legacy_alter_table` the rename leaves feed_items' foreign key naming `feed_sources`, so
 * it binds to the rebuilt table and dropping the old one deletes no bulletin.
 *
 * Each comune also carries its regional alert zone(s) (`alert_zones`, a JSON array of
 * names as the DPC writes them, e.g. "Valdarno Inf."), seeded from resources/comuni.json
 * by ISTAT code for the comuni a workspace already has.
 */
export const migration: Migration = {
  version: 12,
  name: 'DPC sources and alert zones of the comuni',
  up(db) {
    db.pragma('legacy_alter_table = ON')
    try {
      db.exec(`
        ALTER TABLE feed_sources RENAME TO feed_sources_before_dpc;
        CREATE TABLE feed_sources (
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
        INSERT INTO feed_sources
          SELECT id, name, CASE kind WHEN 'dpc_json' THEN 'dpc_criticita' ELSE kind END, url,
                 interval_s, enabled, zones, etag, last_modified, last_polled_at, last_ok_at,
                 last_error, last_error_code, last_error_at, error_count, next_poll_at,
                 created_at, updated_at
          FROM feed_sources_before_dpc;
        DROP TABLE feed_sources_before_dpc;
        CREATE INDEX feed_sources_due ON feed_sources (next_poll_at) WHERE enabled = 1;

        ALTER TABLE comuni ADD COLUMN alert_zones TEXT NOT NULL DEFAULT '[]'
          CHECK (json_valid(alert_zones) AND json_type(alert_zones) = 'array');
      `)
    } finally {
      db.pragma('legacy_alter_table = OFF')
    }
    const setZones = db.prepare(
      "UPDATE comuni SET alert_zones = ? WHERE istat_code = ? AND alert_zones = '[]'",
    )
    for (const c of seed.comuni) {
      if (c.istatCode && c.alertZones.length > 0)
        setZones.run(JSON.stringify(c.alertZones), c.istatCode)
    }
  },
}
