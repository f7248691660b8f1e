import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { alertDraftSchema } from '../../../src/main/core/alerts/alert-schema'
import { createAlertsRepository } from '../../../src/main/core/alerts/alerts-repository'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

describe('migration 023: approvals from the phone', () => {
  it('links one draft to a page, keeps what each person saw, and approvals in their states', () => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS, 23)
    const alertId = createAlertsRepository(db as never).createDraft({
      identifier: 'urn:test:1',
      draft: alertDraftSchema.parse({
        kind: 'idraulico',
        level: 'rosso',
        comuni: [{ name: 'Empoli' }],
        validFrom: '2026-02-08T03:00:00+01:00',
        validTo: '2026-02-09T03:00:00+01:00',
        headline: 'Allerta rossa',
      }),
      msgType: 'Alert',
      referencesAlertId: null,
      mode: 'real',
      actor: 'Mario Rossi (da Telegram)',
      now: '2026-02-08T02:05:00.000Z',
    })
    const escalation = () =>
      db!
        .prepare(
          `INSERT INTO oncall_escalations (trigger_kind, trigger_key, trigger_params, title, body,
             chain, state, started_at, next_at)
           VALUES ('bulletin', ?, '{}', 'Titolo', 'Testo', '[]', 'open', 'x', 'y')`,
        )
        .run(`bulletin:${Math.random()}`).lastInsertRowid
    const e1 = escalation()
    const e2 = escalation()
    const link = db.prepare(
      `INSERT INTO oncall_drafts (escalation_id, alert_id, created_by, created_at) VALUES (?, ?, NULL, 'x')`,
    )
    link.run(e1, alertId)
    // One draft per page, and a draft belongs to one page.
    expect(() => link.run(e1, alertId)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => link.run(e2, alertId)).toThrow(/UNIQUE/)
    const approval = db.prepare(
      `INSERT INTO oncall_approvals (alert_id, escalation_id, person_id, name, fingerprint, at,
         expires_at, state) VALUES (?, ?, NULL, 'Mario Rossi', 'ABCD-1234', 'x', 'y', ?)`,
    )
    approval.run(alertId, e1, 'pending')
    expect(() => approval.run(alertId, e1, 'maybe')).toThrow(/CHECK/)
    // A page deleted takes its link; its approvals stay, without the page.
    db.prepare('DELETE FROM oncall_escalations WHERE id = ?').run(e1)
    expect(db.prepare('SELECT count(*) FROM oncall_drafts').pluck().get()).toBe(0)
    expect(db.prepare('SELECT escalation_id, state FROM oncall_approvals').all()).toEqual([
      { escalation_id: null, state: 'pending' },
    ])
    expect(db.pragma('foreign_key_check')).toEqual([])
  })
})
