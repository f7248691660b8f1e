import type { Migration } from './types'

/**
 * The operator's override of a voice account's night hours for one alert: a yellow alert
 * whose calls cannot wait for the morning (a dam release at 2 a.m.) rings at once when the
 * operator says so at confirmation. Off for every alert stored before: they keep waiting.
 */
export const migration: Migration = {
  version: 20,
  name: 'calls at night on the operator’s word',
  up(db) {
    db.exec(`
      ALTER TABLE alerts ADD COLUMN calls_at_night INTEGER NOT NULL DEFAULT 0
        CHECK (calls_at_night IN (0, 1));
    `)
  },
}
