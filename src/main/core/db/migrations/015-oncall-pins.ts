import type { Migration } from './types'

/**
 * Personal PINs of the people on call, for decisions from the phone (Telegram is not an
 * identity). Only a salted scrypt hash is kept; `failures` counts wrong tries since the
 * last right one, and `locked_at` is set at the fifth: a locked PIN opens nothing until the
 * room sets a new one. A PIN goes with its person.
 *
 * `oncall_phone_messages` are the private messages a person on call wrote to the room's bot
 * and the bot acted on (STOP with a PIN), by chat and message id: the same message delivered
 * again is refused as a replay. The text is not kept (it carries the PIN).
 */
export const migration: Migration = {
  version: 15,
  name: 'on-call PINs',
  up(db) {
    db.exec(`
      CREATE TABLE oncall_pins (
        person_id INTEGER PRIMARY KEY REFERENCES oncall_people(id) ON DELETE CASCADE,
        salt BLOB NOT NULL CHECK (length(salt) >= 16),
        hash BLOB NOT NULL CHECK (length(hash) >= 32),
        failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
        locked_at TEXT,
        set_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE oncall_phone_messages (
        chat_id TEXT NOT NULL,
        message_id INTEGER NOT NULL,
        person_id INTEGER REFERENCES oncall_people(id) ON DELETE SET NULL,
        at TEXT NOT NULL,
        command TEXT NOT NULL,
        outcome TEXT NOT NULL,
        PRIMARY KEY (chat_id, message_id)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
