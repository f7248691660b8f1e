import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

const schema = (d: Database.Database) =>
  d
    .prepare<[], { type: string; name: string }>(
      `SELECT type, name FROM sqlite_master
        WHERE tbl_name IN ('citizen_messages', 'citizen_triage_history') ORDER BY type, name`,
    )
    .all()

describe('migration 026: YouTube comments in the citizens’ inbox', () => {
  it('admits the youtube family and keeps every message, its id, its history and its index', () => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS, 25)
    const before = schema(db)
    const insert = db.prepare(
      `INSERT INTO citizen_messages (channel_family, external_id, text, received_at, fetched_at)
       VALUES (?, ?, ?, '2026-12-04T08:00:00.000Z', '2026-12-04T08:00:01.000Z')`,
    )
    expect(() => insert.run('youtube', 'yt-0', 'prima')).toThrow(/CHECK/)
    const id = Number(insert.run('facebook', 'fb-1', 'Allagamento in via Roma').lastInsertRowid)
    db.prepare(
      "INSERT INTO citizen_search (rowid, body, author) VALUES (?, 'allagamento via roma', '')",
    ).run(id)
    db.prepare(
      `INSERT INTO citizen_triage_history (message_id, at, actor, action, from_value, to_value)
       VALUES (?, '2026-12-04T08:05:00.000Z', 'Anna', 'state', 'nuovo', 'visto')`,
    ).run(id)

    migrate(db, MIGRATIONS, 26)
    expect(db.pragma('user_version', { simple: true })).toBe(26)
    // The same indexes and triggers as before, under the same names.
    expect(schema(db)).toEqual(before)
    expect(db.prepare('SELECT id, external_id FROM citizen_messages').all()).toEqual([
      { id, external_id: 'fb-1' },
    ])
    expect(db.prepare('SELECT message_id, actor FROM citizen_triage_history').all()).toEqual([
      { message_id: id, actor: 'Anna' },
    ])
    expect(
      db.prepare("SELECT rowid FROM citizen_search WHERE citizen_search MATCH 'allagam*'").all(),
    ).toEqual([{ rowid: id }])
    expect(Number(insert.run('youtube', 'yt-1', 'Strada chiusa?').lastInsertRowid)).toBeGreaterThan(
      id,
    )
    expect(() => insert.run('instagram', 'ig-1', 'x')).toThrow(/CHECK/)
    // The history is still append-only and still goes with its message.
    expect(() => db!.prepare('DELETE FROM citizen_triage_history').run()).toThrow(/append-only/)
    db.prepare('DELETE FROM citizen_messages WHERE id = ?').run(id)
    expect(db.prepare('SELECT count(*) AS n FROM citizen_triage_history').get()).toEqual({ n: 0 })
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
