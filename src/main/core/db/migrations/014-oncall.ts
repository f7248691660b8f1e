import type { Migration } from './types'

/**
 * The on-call roster and its escalations.
 *
 * `oncall_people` are contacts with the numbers the room reaches them on when on call; a
 * deleted contact leaves the person (contact_id set to null, name kept), so no chain loses a
 * step in silence. `oncall_shifts` repeat every week (weekday, start and end on Rome's wall
 * clock; an end not later than the start is the next day); `oncall_chain` is each shift's
 * order of paging. `oncall_exceptions` put another person in someone's place for a range of
 * days (holidays, swaps). People in a chain or an exception cannot be deleted (RESTRICT).
 *
 * `oncall_escalations` is one trigger paging the chain (the chain as it stood, kept in
 * JSON); one open escalation per trigger key. `oncall_pages` every page sent, with the
 * Telegram message that carries the buttons; `oncall_callbacks` every button press taken, by
 * Telegram's callback_query id, so a replay is refused.
 */
export const migration: Migration = {
  version: 14,
  name: 'on-call roster and escalations',
  up(db) {
    db.exec(`
      CREATE TABLE oncall_people (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER UNIQUE REFERENCES contacts(id) ON DELETE SET NULL,
        name TEXT NOT NULL CHECK (length(name) > 0),
        phone TEXT CHECK (phone IS NULL OR phone GLOB '+[1-9]*'),
        telegram_chat_id TEXT CHECK (telegram_chat_id IS NULL OR
          (length(telegram_chat_id) BETWEEN 5 AND 16 AND telegram_chat_id NOT GLOB '*[^0-9]*')),
        email TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (phone IS NOT NULL OR telegram_chat_id IS NOT NULL)
      ) STRICT;

      CREATE TABLE oncall_shifts (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL DEFAULT '',
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        starts TEXT NOT NULL CHECK (starts GLOB '[0-2][0-9]:[0-5][0-9]'),
        ends TEXT NOT NULL CHECK (ends GLOB '[0-2][0-9]:[0-5][0-9]'),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE oncall_chain (
        shift_id INTEGER NOT NULL REFERENCES oncall_shifts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 1),
        person_id INTEGER NOT NULL REFERENCES oncall_people(id) ON DELETE RESTRICT,
        PRIMARY KEY (shift_id, position),
        UNIQUE (shift_id, person_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX oncall_chain_by_person ON oncall_chain (person_id);

      CREATE TABLE oncall_exceptions (
        id INTEGER PRIMARY KEY,
        from_day TEXT NOT NULL,
        to_day TEXT NOT NULL,
        person_id INTEGER NOT NULL REFERENCES oncall_people(id) ON DELETE RESTRICT,
        replacement_id INTEGER NOT NULL REFERENCES oncall_people(id) ON DELETE RESTRICT,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        CHECK (from_day <= to_day),
        CHECK (person_id <> replacement_id)
      ) STRICT;
      CREATE INDEX oncall_exceptions_by_day ON oncall_exceptions (to_day, from_day);

      CREATE TABLE oncall_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL CHECK (json_valid(body))
      ) STRICT;

      CREATE TABLE oncall_escalations (
        id INTEGER PRIMARY KEY,
        trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('bulletin', 'health', 'channel')),
        trigger_key TEXT NOT NULL,
        trigger_params TEXT NOT NULL CHECK (json_valid(trigger_params)),
        title TEXT NOT NULL,
        -- The page's text after the title, and the draft "Apri bozza" shows (JSON or null).
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
        channel TEXT NOT NULL CHECK (channel IN ('telegram', 'sms')),
        at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'simulated')),
        chat_id TEXT,
        message_id INTEGER,
        error TEXT
      ) STRICT;
      CREATE INDEX oncall_pages_by_escalation ON oncall_pages (escalation_id, id);
      CREATE INDEX oncall_pages_by_message ON oncall_pages (chat_id, message_id)
        WHERE message_id IS NOT NULL;

      CREATE TABLE oncall_callbacks (
        callback_id TEXT PRIMARY KEY,
        received_at TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        escalation_id INTEGER,
        action TEXT NOT NULL,
        outcome TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
