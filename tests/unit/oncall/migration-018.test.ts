import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

const escalation = (kind: string, key: string) =>
  db!
    .prepare(
      `INSERT INTO oncall_escalations (trigger_kind, trigger_key, trigger_params, title, body,
         chain, state, started_at, next_at)
       VALUES (?, ?, '{}', 'Titolo', 'Testo', '[]', 'open', 'x', 'y')`,
    )
    .run(kind, key).lastInsertRowid

describe('migration 018: distress and relay triggers', () => {
  it('keeps every escalation and page of an existing workspace, and accepts the new kinds', () => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS, 17)
    const id = escalation('bulletin', 'bulletin:1')
    expect(() => escalation('distress', 'distress')).toThrow(/CHECK/)
    db.prepare(
      `INSERT INTO oncall_pages (escalation_id, round, step, person_id, name, channel, at, outcome,
         chat_id, message_id)
       VALUES (?, 1, 0, 1, 'Mario', 'telegram', 'x', 'sent', '111111111', 42)`,
    ).run(id)

    migrate(db, MIGRATIONS, 18)
    expect(db.prepare('SELECT trigger_kind, trigger_key FROM oncall_escalations').all()).toEqual([
      { trigger_kind: 'bulletin', trigger_key: 'bulletin:1' },
    ])
    expect(db.prepare('SELECT escalation_id, name, message_id FROM oncall_pages').all()).toEqual([
      { escalation_id: Number(id), name: 'Mario', message_id: 42 },
    ])
    expect(db.pragma('foreign_key_check')).toEqual([])
    escalation('distress', 'distress')
    escalation('relay', 'relay:1')
    // Still one open escalation per key, and pages still go with their escalation.
    expect(() => escalation('distress', 'distress')).toThrow(/UNIQUE/)
    db.prepare('DELETE FROM oncall_escalations WHERE id = ?').run(id)
    expect(db.prepare('SELECT count(*) FROM oncall_pages').pluck().get()).toBe(0)
  })
})
