import type { Migration } from './types'

/**
 * Who is better reached by a call: a contact may prefer a call to an SMS (`prefers_call`:
 * when an alert also calls, they get the call instead of the SMS), and a list may be for
 * calls only (`calls_only`: the over-75s living alone from the comune's registry, whose
 * members get nothing else through it). Both off for everything stored before.
 */
export const migration: Migration = {
  version: 19,
  name: 'call preference of contacts and calls-only lists',
  up(db) {
    db.exec(`
      ALTER TABLE contacts ADD COLUMN prefers_call INTEGER NOT NULL DEFAULT 0
        CHECK (prefers_call IN (0, 1));
      ALTER TABLE lists ADD COLUMN calls_only INTEGER NOT NULL DEFAULT 0
        CHECK (calls_only IN (0, 1));
    `)
  },
}
