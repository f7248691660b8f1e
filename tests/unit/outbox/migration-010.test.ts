import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'
import { alertPriority, REPLY_PRIORITY } from '../../../src/main/core/outbox/priority'

let db: Database.Database | undefined
afterEach(() => db?.close())

/** A version-9 workspace with a yellow and a red alert, each with a queued row, and a queued reply. */
function workspaceAt9(): Database.Database {
  const d = new Database(':memory:')
  d.pragma('foreign_keys = ON')
  migrate(d, MIGRATIONS, 9)
  const alert = d.prepare(
    `INSERT INTO alerts (identifier, kind, level, comuni, valid_from, valid_to, headline, description,
       instruction, msg_type, texts, targets, status, mode, created_by, created_at, updated_at,
       confirmed_by, confirmed_at, send_after)
     VALUES (?, 'neve', ?, '[]', '2026-02-07T13:00:00.000Z', '2026-02-08T13:00:00.000Z',
       'Neve', '', '', 'Alert', '{}', '{"accountIds":[1]}', 'sending', 'real', 'Maria',
       ?, ?, 'Maria', ?, 0)`,
  )
  const row = d.prepare(
    `INSERT INTO outbox (kind, alert_id, account_id, destination_type, address, idempotency_key,
       state, attempts, next_attempt_at, created_at, updated_at, text, citizen_message_id)
     VALUES (?, ?, 1, 'person', '+393330000001', ?, ?, 0, 0, 0, 0, ?, ?)`,
  )
  const yellowAt = '2026-02-07T12:00:00.000Z'
  const redAt = '2026-02-07T11:00:00.000Z'
  const yellow = alert.run('vedetta-y', 'giallo', yellowAt, yellowAt, yellowAt).lastInsertRowid
  const red = alert.run('vedetta-r', 'rosso', redAt, redAt, redAt).lastInsertRowid
  row.run('alert', yellow, 'y:1', 'queued', null, null)
  row.run('alert', red, 'r:1', 'queued', null, null)
  row.run('alert', red, 'r:2', 'sent', null, null)
  row.run('reply', null, 'reply:1', 'queued', 'Grazie, arriviamo', 7)
  return d
}

describe('migration 010: claim priority', () => {
  it('gives queued rows the priority their alert gets today, replies above all', () => {
    db = workspaceAt9()
    migrate(db, MIGRATIONS, 10)
    const priority = (key: string) =>
      db!.prepare('SELECT priority FROM outbox WHERE idempotency_key = ?').pluck().get(key)
    expect(priority('y:1')).toBe(alertPriority('giallo', Date.parse('2026-02-07T12:00:00.000Z')))
    expect(priority('r:1')).toBe(alertPriority('rosso', Date.parse('2026-02-07T11:00:00.000Z')))
    expect(priority('reply:1')).toBe(REPLY_PRIORITY)
    // Only queued rows are ever claimed: history keeps the default.
    expect(priority('r:2')).toBe(0)
    const order = db
      .prepare(
        `SELECT idempotency_key FROM outbox WHERE account_id = 1 AND state = 'queued'
         ORDER BY priority DESC, next_attempt_at, id`,
      )
      .pluck()
      .all()
    expect(order).toEqual(['reply:1', 'r:1', 'y:1'])
  })

  it('ranks an older red above a newer orange, and a follow-up as high as what it follows', () => {
    expect(alertPriority('rosso', 1_000)).toBeGreaterThan(alertPriority('arancione', 9_000))
    expect(alertPriority('giallo', 9_000)).toBeGreaterThan(alertPriority('giallo', 1_000))
    expect(alertPriority('verde', 9_000, ['rosso'])).toBeGreaterThan(alertPriority('rosso', 1_000))
  })
})
