import type { Migration } from './types'

/**
 * Claim order by urgency (see outbox/priority.ts): a `priority` per row, set
 * at fan-out from its alert's level and confirmation time, and the claim index
 * ordered by it. Rows already queued get the priority their alert would get
 * now, so an upgrade does not reorder a night's queue by surprise.
 */
export const migration: Migration = {
  version: 10,
  name: 'outbox claim priority',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
      UPDATE outbox SET priority = CASE
          WHEN kind = 'reply' THEN 40000000000000
          ELSE coalesce((SELECT (CASE a.level WHEN 'rosso' THEN 3 WHEN 'arancione' THEN 2
                          WHEN 'giallo' THEN 1 ELSE 0 END) * 10000000000000
                       + coalesce(CAST(unixepoch(a.confirmed_at, 'subsec') * 1000 AS INTEGER), 0)
                FROM alerts a WHERE a.id = outbox.alert_id), 0)
        END
      WHERE state = 'queued';
      DROP INDEX outbox_claim;
      CREATE INDEX outbox_claim ON outbox (account_id, priority DESC, next_attempt_at)
        WHERE state = 'queued';
    `)
  },
}
