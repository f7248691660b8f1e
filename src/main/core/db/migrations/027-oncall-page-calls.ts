import type { Migration } from './types'

/**
 * A page may be a phone call: its outcome may be `uncertain` (the request left and no
 * answer came back, so the call is never placed again), it keeps the provider's id of the
 * call, and what became of the call once the provider says (`call_outcome`: answered,
 * voicemail, busy, no_answer, failed, canceled). `oncall_pages` has no children: it is
 * rebuilt in place.
 */
export const migration: Migration = {
  version: 27,
  name: 'on-call page calls',
  up(db) {
    db.exec(`
      CREATE TABLE oncall_pages_next (
        id INTEGER PRIMARY KEY,
        escalation_id INTEGER NOT NULL REFERENCES oncall_escalations(id) ON DELETE CASCADE,
        round INTEGER NOT NULL,
        step INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('telegram', 'sms', 'voice')),
        at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'simulated', 'uncertain')),
        chat_id TEXT,
        message_id INTEGER,
        error TEXT,
        provider_id TEXT,
        call_outcome TEXT CHECK (call_outcome IS NULL OR call_outcome IN
          ('answered', 'voicemail', 'busy', 'no_answer', 'failed', 'canceled')),
        CHECK (call_outcome IS NULL OR channel = 'voice')
      ) STRICT;
      INSERT INTO oncall_pages_next
        (id, escalation_id, round, step, person_id, name, channel, at, outcome, chat_id,
         message_id, error)
        SELECT id, escalation_id, round, step, person_id, name, channel, at, outcome, chat_id,
          message_id, error FROM oncall_pages;
      DROP TABLE oncall_pages;
      ALTER TABLE oncall_pages_next RENAME TO oncall_pages;
      CREATE INDEX oncall_pages_by_escalation ON oncall_pages (escalation_id, id);
      CREATE INDEX oncall_pages_by_message ON oncall_pages (chat_id, message_id)
        WHERE message_id IS NOT NULL;
      CREATE INDEX oncall_pages_calls_pending ON oncall_pages (at)
        WHERE channel = 'voice' AND provider_id IS NOT NULL AND call_outcome IS NULL;
    `)
  },
}
