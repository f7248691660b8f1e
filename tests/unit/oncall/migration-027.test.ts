import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

const page = (escalationId: number | bigint, channel: string, outcome: string) =>
  db!
    .prepare(
      `INSERT INTO oncall_pages (escalation_id, round, step, person_id, name, channel, at, outcome,
         chat_id, message_id)
       VALUES (?, 1, 0, 1, 'Mario', ?, 'x', ?, '111111111', 42)`,
    )
    .run(escalationId, channel, outcome).lastInsertRowid

describe('migration 027: page calls', () => {
  it('keeps every page, accepts an uncertain call with its provider id and end, and still goes with its escalation', () => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS, 26)
    const id = db
      .prepare(
        `INSERT INTO oncall_escalations (trigger_kind, trigger_key, trigger_params, title, body,
           chain, state, started_at, next_at)
         VALUES ('bulletin', 'bulletin:1', '{}', 'Titolo', 'Testo', '[]', 'open', 'x', 'y')`,
      )
      .run().lastInsertRowid
    page(id, 'telegram', 'sent')
    expect(() => page(id, 'voice', 'uncertain')).toThrow(/CHECK/)

    migrate(db, MIGRATIONS, 27)
    expect(
      db
        .prepare('SELECT escalation_id, name, channel, message_id, provider_id FROM oncall_pages')
        .all(),
    ).toEqual([
      {
        escalation_id: Number(id),
        name: 'Mario',
        channel: 'telegram',
        message_id: 42,
        provider_id: null,
      },
    ])
    const call = page(id, 'voice', 'uncertain')
    db.prepare(
      "UPDATE oncall_pages SET provider_id = 'CA1', call_outcome = 'no_answer' WHERE id = ?",
    ).run(call)
    expect(() =>
      db!.prepare("UPDATE oncall_pages SET call_outcome = 'ringing' WHERE id = ?").run(call),
    ).toThrow(/CHECK/)
    // Only a call ends as a call.
    expect(() =>
      db!
        .prepare("UPDATE oncall_pages SET call_outcome = 'answered' WHERE channel = 'telegram'")
        .run(),
    ).toThrow(/CHECK/)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.prepare('DELETE FROM oncall_escalations WHERE id = ?').run(id)
    expect(db.prepare('SELECT count(*) FROM oncall_pages').pluck().get()).toBe(0)
  })
})
