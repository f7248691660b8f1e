import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

describe('migration 015: on-call PINs', () => {
  it('keeps a salted hash per person, gone with the person, and messages taken once', () => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS, 15)
    expect(db.pragma('user_version', { simple: true })).toBe(15)
    const person = Number(
      db
        .prepare(
          `INSERT INTO oncall_people (name, telegram_chat_id, created_at, updated_at)
           VALUES ('Mario', '111111111', 'x', 'x')`,
        )
        .run().lastInsertRowid,
    )
    const addPin = db.prepare(
      'INSERT INTO oncall_pins (person_id, salt, hash, set_at) VALUES (?, ?, ?, ?)',
    )
    // A PIN in clear (or a short hash) does not fit.
    expect(() => addPin.run(person, Buffer.alloc(16), Buffer.from('1234'), 'x')).toThrow(/CHECK/)
    expect(() => addPin.run(person, Buffer.alloc(4), Buffer.alloc(32), 'x')).toThrow(/CHECK/)
    addPin.run(person, Buffer.alloc(16), Buffer.alloc(32), 'x')
    const remember = db.prepare(
      `INSERT OR IGNORE INTO oncall_phone_messages (chat_id, message_id, person_id, at, command, outcome)
       VALUES ('111111111', 7, ?, 'x', 'stop', 'stopped')`,
    )
    expect(remember.run(person).changes).toBe(1)
    expect(remember.run(person).changes).toBe(0)
    db.prepare('DELETE FROM oncall_people WHERE id = ?').run(person)
    expect(db.prepare('SELECT count(*) AS c FROM oncall_pins').get()).toEqual({ c: 0 })
    expect(db.prepare('SELECT person_id FROM oncall_phone_messages').get()).toEqual({
      person_id: null,
    })
  })
})
