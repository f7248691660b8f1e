import type { Database } from 'better-sqlite3'
import type { Migration } from './types'

/**
 * Comments on the Circondario's YouTube videos come into the citizens' inbox:
 * `citizen_messages.channel_family` admits 'youtube'.
 *
 * SQLite cannot change a CHECK in place and refuses to edit the schema text
 * (defensive mode), so the table is rebuilt
 * (https://sqlite.org/lang_altertable.html#otheralter) keeping every row and
 * id: the word index (`citizen_search`) is keyed by those ids and stays as it
 * is. Foreign keys are on and cannot be turned off inside the migration
 * transaction, and dropping a parent table would cascade to the triage
 * history, so the history is set aside first and put back after, with its
 * append-only triggers. Indexes and triggers are recreated from their own
 * stored text, so whatever later migrations added comes back as it was.
 */

const OLD_CHECK =
  "CHECK (channel_family IN ('facebook', 'x', 'mastodon', 'sms', 'telegram', 'email'))"
const NEW_CHECK =
  "CHECK (channel_family IN ('facebook', 'x', 'mastodon', 'sms', 'telegram', 'email', 'youtube'))"

function schemaOf(db: Database, name: string): string {
  const row = db
    .prepare<[string], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
    )
    .get(name)
  if (!row) throw new Error(`migration 26: table ${name} is missing`)
  return row.sql
}

export const migration: Migration = {
  version: 26,
  name: 'citizens inbox: YouTube comments',
  up(db) {
    const messages = schemaOf(db, 'citizen_messages')
    const history = schemaOf(db, 'citizen_triage_history')
    if (!messages.includes(OLD_CHECK))
      throw new Error('migration 26: citizen_messages has an unexpected channel_family check')
    const extras = db
      .prepare<[], { sql: string }>(
        `SELECT sql FROM sqlite_master
          WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
            AND tbl_name IN ('citizen_messages', 'citizen_triage_history')
          ORDER BY type = 'trigger', name`,
      )
      .all()
      .map((r) => r.sql)

    db.exec(`
      CREATE TABLE citizen_triage_history_keep AS SELECT * FROM citizen_triage_history;
      DROP TABLE citizen_triage_history;
    `)
    db.exec(
      messages
        .replace(OLD_CHECK, NEW_CHECK)
        .replace(/^CREATE TABLE "?citizen_messages"?/, 'CREATE TABLE citizen_messages_new'),
    )
    db.exec(`
      INSERT INTO citizen_messages_new SELECT * FROM citizen_messages;
      DROP TABLE citizen_messages;
      ALTER TABLE citizen_messages_new RENAME TO citizen_messages;
    `)
    db.exec(history)
    db.exec(`
      INSERT INTO citizen_triage_history SELECT * FROM citizen_triage_history_keep;
      DROP TABLE citizen_triage_history_keep;
    `)
    for (const sql of extras) db.exec(sql)
  },
}
