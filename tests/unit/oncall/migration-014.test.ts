import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

describe('migration 014: the on-call roster', () => {
  it('adds the roster beside the contacts a workspace has, and keeps its rules in the schema', () => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS, 13)
    const contact = Number(
      db
        .prepare(
          `INSERT INTO contacts (name, sort_key, created_at, updated_at) VALUES ('Mario', 'mario', 'x', 'x')`,
        )
        .run().lastInsertRowid,
    )
    migrate(db, MIGRATIONS, 14)
    expect(db.pragma('user_version', { simple: true })).toBe(14)
    const addPerson = db.prepare(
      `INSERT INTO oncall_people (contact_id, name, phone, telegram_chat_id, created_at, updated_at)
       VALUES (?, 'Mario', ?, ?, 'x', 'x')`,
    )
    // Someone who cannot be reached is not a person on call.
    expect(() => addPerson.run(contact, null, null)).toThrow(/CHECK/)
    expect(() => addPerson.run(contact, '3471111111', null)).toThrow(/CHECK/)
    expect(() => addPerson.run(contact, null, '@mario')).toThrow(/CHECK/)
    const person = Number(addPerson.run(contact, '+393471111111', '111111111').lastInsertRowid)
    const shift = Number(
      db
        .prepare(
          `INSERT INTO oncall_shifts (weekday, starts, ends, created_at, updated_at) VALUES (6, '20:00', '08:00', 'x', 'x')`,
        )
        .run().lastInsertRowid,
    )
    db.prepare('INSERT INTO oncall_chain (shift_id, position, person_id) VALUES (?, 1, ?)').run(
      shift,
      person,
    )
    // A person in a chain cannot be deleted; a deleted contact leaves the person.
    expect(() => db!.prepare('DELETE FROM oncall_people WHERE id = ?').run(person)).toThrow(
      /FOREIGN KEY/,
    )
    db.prepare('DELETE FROM contacts WHERE id = ?').run(contact)
    expect(db.prepare('SELECT contact_id, name FROM oncall_people').get()).toEqual({
      contact_id: null,
      name: 'Mario',
    })
    // One open escalation per trigger; closed ones may repeat it.
    const open = db.prepare(
      `INSERT INTO oncall_escalations (trigger_kind, trigger_key, trigger_params, title, body,
         chain, state, started_at, next_at, closed_at)
       VALUES ('health', 'health:dispatcher', '{}', 't', 'b', '[]', ?, 'x', ?, ?)`,
    )
    open.run('open', 'y', null)
    expect(() => open.run('open', 'y', null)).toThrow(/UNIQUE/)
    open.run('unanswered', null, 'z')
    expect(() => open.run('acknowledged', 'y', 'z')).toThrow(/CHECK/)
  })
})
