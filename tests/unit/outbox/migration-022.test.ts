import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'

let db: Database.Database | undefined
afterEach(() => db?.close())

describe('migration 022: outbox warnings', () => {
  it('keeps every row as it was, with no warning, and takes one on a sent row', () => {
    db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS, 21)
    db.prepare(
      `INSERT INTO outbox (kind, alert_id, account_id, destination_type, address, idempotency_key,
         state, attempts, next_attempt_at, created_at, updated_at, provider_id, text,
         citizen_message_id)
       VALUES ('reply', NULL, 1, 'person', '@rossi', 'post:1', 'sent', 1, 0, 0, 0,
         '113000000000000001', 'Grazie, arriviamo', 7)`,
    ).run()
    migrate(db, MIGRATIONS, 22)
    const row = () =>
      db!
        .prepare<[], { state: string; provider_id: string; warning: string | null }>(
          `SELECT state, provider_id, warning FROM outbox WHERE idempotency_key = 'post:1'`,
        )
        .get()
    expect(row()).toEqual({ state: 'sent', provider_id: '113000000000000001', warning: null })
    db.prepare(`UPDATE outbox SET warning = ? WHERE idempotency_key = 'post:1'`).run(
      'mappa non allegata: Mastodon non disponibile (HTTP 503)',
    )
    expect(row()?.warning).toBe('mappa non allegata: Mastodon non disponibile (HTTP 503)')
  })
})
