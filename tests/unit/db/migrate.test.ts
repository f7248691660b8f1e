import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'
import {
  latestVersion,
  migrate,
  SchemaError,
  VEDETTA_APPLICATION_ID,
} from '../../../src/main/core/db/migrate'
import type { Migration } from '../../../src/main/core/db/migrations/types'

const tableNames = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string
    }[]
  ).map((r) => r.name)

describe('migrations', () => {
  it('bring a new database to the latest version and mark it as Vedetta’s', () => {
    const db = new Database(':memory:')
    expect(migrate(db, MIGRATIONS)).toBe(latestVersion(MIGRATIONS))
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(MIGRATIONS))
    expect(db.pragma('application_id', { simple: true })).toBe(VEDETTA_APPLICATION_ID)
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['channel_accounts', 'channel_secrets', 'audit_log']),
    )
  })

  it('are idempotent: a second run changes nothing', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS)
    const before = tableNames(db)
    expect(migrate(db, MIGRATIONS)).toBe(latestVersion(MIGRATIONS))
    expect(tableNames(db)).toEqual(before)
  })

  it('refuse a database written by a newer Vedetta', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS)
    db.pragma(`user_version = ${latestVersion(MIGRATIONS) + 5}`)
    expect(() => migrate(db, MIGRATIONS)).toThrow(/newer Vedetta/)
  })

  it('refuse a foreign SQLite database', () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE other (x)')
    db.pragma('user_version = 3')
    expect(() => migrate(db, MIGRATIONS)).toThrow(SchemaError)
    db.pragma('application_id = 1234')
    expect(() => migrate(db, MIGRATIONS)).toThrow(/not a Vedetta workspace/)
  })

  it('apply pending steps in one transaction: a failing step leaves the database as it was', () => {
    const db = new Database(':memory:')
    const steps: Migration[] = [
      { version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') },
      {
        version: 2,
        name: 'two fails',
        up: (d) => {
          d.exec('CREATE TABLE b (x INTEGER) STRICT')
          throw new Error('boom')
        },
      },
    ]
    expect(() => migrate(db, steps)).toThrow('boom')
    expect(tableNames(db)).toEqual([])
    expect(db.pragma('user_version', { simple: true })).toBe(0)
  })

  it('check that versions increase', () => {
    const db = new Database(':memory:')
    const steps: Migration[] = [
      { version: 2, name: 'b', up: () => {} },
      { version: 1, name: 'a', up: () => {} },
    ]
    expect(() => migrate(db, steps)).toThrow(/versions must increase/)
  })

  it('make the audit log append-only', () => {
    const db = new Database(':memory:')
    migrate(db, MIGRATIONS)
    db.prepare(
      "INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01T00:00:00Z', 'ops', 'x')",
    ).run()
    expect(() => db.prepare("UPDATE audit_log SET actor = 'other'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
  })
})
