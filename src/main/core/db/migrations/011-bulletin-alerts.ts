import type { Migration } from './types'

/**
 * The banners raised by bulletins for our zones, kept until the operator acknowledges them,
 * so a reload or a restart shows again the ones still valid. A bulletin raised again
 * (updated or revised upwards) clears its acknowledgement. Bulletins raised before this
 * version were only announced live: there is nothing to carry over.
 */
export const migration: Migration = {
  version: 11,
  name: 'bulletin alert acknowledgements',
  up(db) {
    db.exec(`
      CREATE TABLE bulletin_alerts (
        item_id INTEGER PRIMARY KEY REFERENCES feed_items(id) ON DELETE CASCADE,
        change TEXT NOT NULL CHECK (change IN ('new', 'update', 'revised')),
        level TEXT,
        previous_level TEXT,
        escalated INTEGER NOT NULL DEFAULT 0,
        raised_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT
      );
      CREATE INDEX bulletin_alerts_pending ON bulletin_alerts (raised_at) WHERE acknowledged_at IS NULL;
    `)
  },
}
