import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

/** A workspace as version 8 left it, with an alert and outbox rows in every interesting state. */
function workspaceAt8(): Database.Database {
  const d = new Database(':memory:')
  d.pragma('foreign_keys = ON')
  migrate(d, MIGRATIONS, 8)
  const alertId = Number(
    d
      .prepare(
        `INSERT INTO alerts (identifier, kind, level, comuni, valid_from, valid_to, headline, description,
           instruction, msg_type, texts, targets, status, mode, created_by, created_at, updated_at,
           confirmed_by, confirmed_at, send_after)
         VALUES ('vedetta-a', 'neve', 'giallo', '[]', '2026-02-07T13:00:00.000Z', '2026-02-08T13:00:00.000Z',
           'Neve', '', '', 'Alert', '{}', '{"accountIds":[1]}', 'sending', 'real', 'Maria',
           '2026-02-07T12:00:00.000Z', '2026-02-07T12:00:00.000Z', 'Maria', '2026-02-07T12:00:00.000Z', 0)`,
      )
      .run().lastInsertRowid,
  )
  const insert = d.prepare(
    `INSERT INTO outbox (alert_id, account_id, contact_id, destination_type, address, recipient_name,
       idempotency_key, state, attempts, next_attempt_at, lease_until, provider_id, segments,
       last_error_code, last_error, next_receipt_at, created_at, updated_at, sent_at, delivered_at)
     VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const rows: unknown[][] = [
    [
      alertId,
      11,
      'person',
      '+393330000001',
      'Anna',
      'k:1',
      'queued',
      0,
      100,
      null,
      null,
      null,
      null,
      null,
      null,
      10,
      10,
      null,
      null,
    ],
    [
      alertId,
      12,
      'person',
      '+393330000002',
      null,
      'k:2',
      'sending',
      1,
      100,
      9_000,
      null,
      null,
      null,
      null,
      null,
      10,
      20,
      null,
      null,
    ],
    [
      alertId,
      13,
      'person',
      '+393330000003',
      'Carla',
      'k:3',
      'sent',
      1,
      100,
      null,
      'ord-3',
      2,
      null,
      null,
      5_000,
      10,
      30,
      30,
      null,
    ],
    [
      alertId,
      14,
      'person',
      '+393330000004',
      null,
      'k:4',
      'delivered',
      1,
      100,
      null,
      'ord-4',
      1,
      null,
      null,
      null,
      10,
      40,
      40,
      41,
    ],
    [
      alertId,
      15,
      'person',
      '+393330000005',
      null,
      'k:5',
      'failed',
      8,
      100,
      null,
      null,
      null,
      'rejected',
      'Numero inesistente',
      null,
      10,
      50,
      null,
      null,
    ],
    [
      alertId,
      null,
      'page',
      '',
      null,
      'k:page',
      'uncertain',
      1,
      100,
      null,
      null,
      null,
      'interrupted',
      'Invio interrotto',
      null,
      10,
      60,
      null,
      null,
    ],
  ]
  for (const r of rows) insert.run(...r)
  return d
}

const outboxSchema = (d: Database.Database) =>
  d
    .prepare<[], { type: string; name: string; sql: string | null }>(
      `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'outbox' ORDER BY type, name`,
    )
    .all()

const allRows = (d: Database.Database) =>
  d.prepare('SELECT * FROM outbox ORDER BY id').all() as Record<string, unknown>[]

describe('migration 009: outbox rows for replies and relay requests', () => {
  it('keeps every row as it was, as an alert row, with the new columns empty', () => {
    db = workspaceAt8()
    const before = allRows(db)
    migrate(db, MIGRATIONS, 9)
    const after = allRows(db)
    expect(after).toHaveLength(6)
    expect(after).toEqual(
      before.map((r) => ({
        ...r,
        kind: 'alert',
        text: null,
        subject: null,
        in_reply_to: null,
        citizen_message_id: null,
        partner_id: null,
      })),
    )
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('recreates every index of 004 unchanged, adds its own, and keeps the table STRICT', () => {
    db = workspaceAt8()
    const before = outboxSchema(db).filter((o) => o.type === 'index')
    migrate(db, MIGRATIONS, 9)
    const after = outboxSchema(db)
    const indexes = after.filter((o) => o.type === 'index')
    // The same definitions, word for word (autoindex of the UNIQUE key included).
    for (const old of before) expect(indexes).toContainEqual(old)
    expect(indexes.map((i) => i.name).filter((n) => !before.some((b) => b.name === n))).toEqual([
      'outbox_by_citizen_message',
      'outbox_direct_open',
      'outbox_relays',
    ])
    expect(after.filter((o) => o.type === 'table').map((t) => t.name)).toEqual(['outbox'])
    const table = db
      .prepare<[], { strict: number }>(`SELECT strict FROM pragma_table_list WHERE name = 'outbox'`)
      .get()
    expect(table?.strict).toBe(1)
    expect(
      db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'outbox_new%'`).all(),
    ).toEqual([])
    // Still a child of alerts, cascading.
    expect(db.pragma('foreign_key_list(outbox)')).toEqual([
      expect.objectContaining({
        table: 'alerts',
        from: 'alert_id',
        to: 'id',
        on_delete: 'CASCADE',
      }),
    ])
  })

  it('lets a reply have no alert, and keeps every row kind honest', () => {
    db = workspaceAt8()
    migrate(db, MIGRATIONS, 9)
    const insert = db.prepare(
      `INSERT INTO outbox (kind, alert_id, account_id, destination_type, address, idempotency_key,
         state, next_attempt_at, created_at, updated_at, text, citizen_message_id, partner_id)
       VALUES (?, ?, 1, 'person', '+393331234567', ?, 'queued', 0, 0, 0, ?, ?, ?)`,
    )
    insert.run('reply', null, 'r:1', 'Grazie della segnalazione', 5, null)
    insert.run('relay', 1, 'rl:1', 'Richiesta di rilancio', null, 3)
    // A reply without the message it answers, a reply of an alert, an alert row without one.
    expect(() => insert.run('reply', null, 'r:2', 'Testo', null, null)).toThrow(/CHECK/)
    expect(() => insert.run('reply', 1, 'r:3', 'Testo', 5, null)).toThrow(/CHECK/)
    expect(() => insert.run('alert', null, 'a:1', null, null, null)).toThrow(/CHECK/)
    // Replies and relays carry their own text; relays name their partner.
    expect(() => insert.run('reply', null, 'r:4', null, 5, null)).toThrow(/CHECK/)
    expect(() => insert.run('relay', 1, 'rl:2', '', null, 3)).toThrow(/CHECK/)
    expect(() => insert.run('relay', 1, 'rl:2', '  \n', null, 3)).toThrow(/CHECK/)
    expect(() => insert.run('relay', 1, 'rl:3', 'Testo', null, null)).toThrow(/CHECK/)
    expect(() => insert.run('letter', 1, 'x:1', 'Testo', null, null)).toThrow(/CHECK/)
    expect(() => insert.run('reply', null, 'r:1', 'Di nuovo', 5, null)).toThrow(/UNIQUE/)
    // Deleting the alert takes its rows, not the reply.
    db.prepare('DELETE FROM alerts').run()
    expect(db.prepare('SELECT kind FROM outbox').all()).toEqual([{ kind: 'reply' }])
  })

  it('reads the queues of replies and relays through their own small indexes', () => {
    db = workspaceAt8()
    migrate(db, MIGRATIONS, 9)
    const plan = (sql: string) =>
      db!
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join('\n')
    expect(
      plan(
        `SELECT DISTINCT account_id FROM outbox WHERE state IN ('queued', 'sending') AND kind <> 'alert'`,
      ),
    ).toMatch(/USING INDEX outbox_direct_open/)
    expect(
      plan(`SELECT partner_id, account_id, state, count(*) FROM outbox WHERE alert_id = 1 AND kind = 'relay'
            GROUP BY partner_id, account_id, state`),
    ).toMatch(/COVERING INDEX outbox_relays/)
  })
})
