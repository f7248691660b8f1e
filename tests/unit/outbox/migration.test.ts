import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

function migrated() {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS)
  return db
}

const alertRow = (identifier: string) => [
  identifier,
  'neve',
  'giallo',
  '[]',
  '2026-02-07T13:00:00.000Z',
  '2026-02-08T13:00:00.000Z',
  'Neve',
  '',
  '',
  '{}',
  '{}',
  'Maria',
  '2026-02-07T12:00:00.000Z',
]
const INSERT_ALERT = `INSERT INTO alerts (identifier, kind, level, comuni, valid_from, valid_to, headline, description,
  instruction, msg_type, texts, targets, status, mode, created_by, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'Alert', ?, ?, 'draft', 'real', ?, ?, ?)`

describe('migration 004: alerts and outbox', () => {
  it('creates the tables with the checks that keep rows sane', () => {
    const db = migrated()
    const insertAlert = (id: string) =>
      db.prepare(INSERT_ALERT).run(...alertRow(id), '2026-02-07T12:00:00.000Z')
    const alertId = Number(insertAlert('vedetta-a').lastInsertRowid)
    // CAP forbids spaces, commas, < and & in identifiers.
    expect(() => insertAlert('vedetta a')).toThrow(/CHECK/)
    expect(() => insertAlert('vedetta,a')).toThrow(/CHECK/)
    expect(() => insertAlert('vedetta-a')).toThrow(/UNIQUE/)

    const insertRow =
      db.prepare(`INSERT INTO outbox (alert_id, account_id, destination_type, address, idempotency_key,
      state, next_attempt_at, lease_until, created_at, updated_at) VALUES (?, 1, 'person', '+39333', ?, ?, 0, ?, 0, 0)`)
    insertRow.run(alertId, 'k1', 'queued', null)
    expect(() => insertRow.run(alertId, 'k1', 'queued', null)).toThrow(/UNIQUE/)
    expect(() => insertRow.run(alertId, 'k2', 'lost', null)).toThrow(/CHECK/)
    // A row in flight always has a lease, and only a row in flight has one.
    expect(() => insertRow.run(alertId, 'k3', 'sending', null)).toThrow(/CHECK/)
    expect(() => insertRow.run(alertId, 'k4', 'queued', 123)).toThrow(/CHECK/)
    expect(() => insertRow.run(999, 'k5', 'queued', null)).toThrow(/FOREIGN KEY/)
    db.close()
  })

  it('claims through the partial index, most urgent first, not a table scan', () => {
    const db = migrated()
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT o.id FROM outbox o LEFT JOIN alerts a ON a.id = o.alert_id
         WHERE o.account_id = 1 AND o.state = 'queued' AND o.next_attempt_at <= 5
           AND (o.alert_id IS NULL OR (a.status IN ('scheduled', 'sending') AND a.send_after <= 5))
         ORDER BY o.priority DESC, o.next_attempt_at, o.id LIMIT 4`,
      )
      .all()
      .map((r) => (r as { detail: string }).detail)
      .join('\n')
    expect(plan).toMatch(/SEARCH o USING (COVERING )?INDEX outbox_claim/)
    expect(plan).not.toMatch(/TEMP B-TREE/)
    db.close()
  })
})
