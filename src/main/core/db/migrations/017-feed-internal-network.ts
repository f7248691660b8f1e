import type { Migration } from './types'

/**
 * «Rete interna» for feed sources: only a source the ICT office marks this way may live on
 * loopback, link-local or private addresses (an intranet mirror of the DPC folder, a gateway).
 * Every source stored before is public: its next poll refuses an internal address until ICT
 * marks it.
 */
export const migration: Migration = {
  version: 17,
  name: 'feed sources on the internal network',
  up(db) {
    db.exec(`
      ALTER TABLE feed_sources ADD COLUMN internal_network INTEGER NOT NULL DEFAULT 0
        CHECK (internal_network IN (0, 1));
    `)
  },
}
