import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'
import { migrate } from '../../../src/main/core/db/migrate'

function fresh(): Database.Database {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS)
  return db
}

const insert = (db: Database.Database, values: Record<string, unknown>) =>
  db
    .prepare(
      `INSERT INTO citizen_messages (channel_family, account_id, external_id, text, received_at, fetched_at, state, flags)
       VALUES (@family, @accountId, @externalId, @text, 'x', 'x', @state, @flags)`,
    )
    .run({
      family: 'x',
      accountId: null,
      externalId: 'e1',
      text: 't',
      state: 'nuovo',
      flags: '{}',
      ...values,
    })

describe('migration 008: citizens inbox', () => {
  it('creates strict tables, the word index and the cursor table', () => {
    const db = fresh()
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE name LIKE 'citizen%' AND type = 'table'")
      .all() as { name: string; sql: string }[]
    const names = tables.map((t) => t.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'citizen_messages',
        'citizen_triage_history',
        'citizen_inbound_cursors',
        'citizen_search',
      ]),
    )
    for (const t of tables.filter(
      (t) => t.name !== 'citizen_search' && !t.name.startsWith('citizen_search_'),
    )) {
      expect(t.sql, t.name).toMatch(/\) STRICT$/)
    }
  })

  it('refuses values outside the triage vocabulary and flags that are not a JSON object', () => {
    const db = fresh()
    expect(() => insert(db, { state: 'archiviato' })).toThrow(/CHECK/)
    expect(() => insert(db, { family: 'fax' })).toThrow(/CHECK/)
    expect(() => insert(db, { flags: '[1]' })).toThrow(/CHECK/)
    expect(() => insert(db, { flags: 'not json' })).toThrow()
    expect(() => insert(db, { externalId: '' })).toThrow(/CHECK/)
    expect(() => insert(db, { accountId: 999 })).toThrow(/FOREIGN KEY/)
    insert(db, {})
    expect(db.prepare('SELECT count(*) FROM citizen_messages').pluck().get()).toBe(1)
  })

  it('keeps one row per provider id and account', () => {
    const db = fresh()
    const account = Number(
      db
        .prepare(
          "INSERT INTO channel_accounts (kind, name, settings, created_at, updated_at) VALUES ('x', 'X', '{}', 'x', 'x')",
        )
        .run().lastInsertRowid,
    )
    insert(db, { accountId: account })
    expect(() => insert(db, { accountId: account })).toThrow(/UNIQUE/)
  })
})
