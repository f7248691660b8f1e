import type { Migration } from './types'

/**
 * Two more things may page the person on call: a citizen's message with words of distress
 * while nobody is reading (`distress`), and a partner that has not relayed a red alert in
 * time (`relay`, for the partner watch). SQLite cannot change a CHECK in place, so
 * `oncall_escalations` is rebuilt; `oncall_pages` references it with ON DELETE CASCADE, so
 * it is set aside first and put back after (dropping the parent with it in place would
 * delete every page). A page may also be a phone call (`voice`).
 */
export const migration: Migration = {
  version: 18,
  name: 'on-call distress and relay triggers',
  up(db) {
    db.exec(`
      CREATE TEMP TABLE oncall_pages_kept AS SELECT * FROM oncall_pages;
      DROP TABLE oncall_pages;

      CREATE TABLE oncall_escalations_next (
        id INTEGER PRIMARY KEY,
        trigger_kind TEXT NOT NULL
          CHECK (trigger_kind IN ('bulletin', 'health', 'channel', 'distress', 'relay')),
        trigger_key TEXT NOT NULL,
        trigger_params TEXT NOT NULL CHECK (json_valid(trigger_params)),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        draft TEXT CHECK (draft IS NULL OR json_valid(draft)),
        shift_id INTEGER,
        chain TEXT NOT NULL CHECK (json_valid(chain) AND json_type(chain) = 'array'),
        state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'dismissed', 'unanswered', 'unstaffed')),
        round INTEGER NOT NULL DEFAULT 1 CHECK (round >= 1),
        step INTEGER NOT NULL DEFAULT 0 CHECK (step >= 0),
        started_at TEXT NOT NULL,
        next_at TEXT,
        closed_at TEXT,
        closed_by TEXT,
        closed_by_person INTEGER,
        closed_via TEXT CHECK (closed_via IS NULL OR closed_via IN ('telegram', 'room')),
        CHECK ((state = 'open') = (next_at IS NOT NULL)),
        CHECK ((state = 'open') = (closed_at IS NULL))
      ) STRICT;
      INSERT INTO oncall_escalations_next SELECT * FROM oncall_escalations;
      DROP TABLE oncall_escalations;
      ALTER TABLE oncall_escalations_next RENAME TO oncall_escalations;
      CREATE UNIQUE INDEX oncall_escalations_open_key ON oncall_escalations (trigger_key)
        WHERE state = 'open';
      CREATE INDEX oncall_escalations_due ON oncall_escalations (next_at) WHERE state = 'open';

      CREATE TABLE oncall_pages (
        id INTEGER PRIMARY KEY,
        escalation_id INTEGER NOT NULL REFERENCES oncall_escalations(id) ON DELETE CASCADE,
        round INTEGER NOT NULL,
        step INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('telegram', 'sms', 'voice')),
        at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'simulated')),
        chat_id TEXT,
        message_id INTEGER,
        error TEXT
      ) STRICT;
      INSERT INTO oncall_pages SELECT * FROM oncall_pages_kept;
      DROP TABLE oncall_pages_kept;
      CREATE INDEX oncall_pages_by_escalation ON oncall_pages (escalation_id, id);
      CREATE INDEX oncall_pages_by_message ON oncall_pages (chat_id, message_id)
        WHERE message_id IS NOT NULL;
    `)
  },
}
