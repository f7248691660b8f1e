import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'
import { createRaisedAlerts } from '../../../src/main/core/feeds/raised-alerts'

let db: Database.Database | undefined
afterEach(() => db?.close())

/** A version-10 workspace holding one bulletin. */
function workspaceAt10(): { db: Database.Database; itemId: number } {
  const d = new Database(':memory:')
  d.pragma('foreign_keys = ON')
  migrate(d, MIGRATIONS, 10)
  const source = d
    .prepare(
      `INSERT INTO feed_sources (name, kind, url, interval_s, enabled, zones, error_count,
         created_at, updated_at)
       VALUES ('CFR', 'cap', 'https://example.it/cap.xml', 300, 1, '[]', 0, 'x', 'x')`,
    )
    .run().lastInsertRowid
  const itemId = Number(
    d
      .prepare(
        `INSERT INTO feed_items (source_id, external_id, hash, fetched_at, sent, kind, level,
           headline, is_ours, payload)
         VALUES (?, 'cfr-1', 'h', 'x', 'x', 'cap', 'arancione', 'Neve', 1, '{}')`,
      )
      .run(source).lastInsertRowid,
  )
  return { db: d, itemId }
}

describe('migration 011: bulletin banners kept until acknowledged', () => {
  it('starts with no banner, keeps one until acknowledged, and raises it again on a new raise', () => {
    const w = workspaceAt10()
    db = w.db
    migrate(db, MIGRATIONS, 11)
    expect(db.pragma('user_version', { simple: true })).toBe(11)
    let at = new Date('2026-02-07T15:00:00Z')
    const raised = createRaisedAlerts(db, () => at)
    expect(raised.pending()).toEqual([])
    const alert = {
      itemId: w.itemId,
      change: 'new' as const,
      level: 'arancione' as const,
      previousLevel: null,
      escalated: false,
    }
    raised.raise(alert)
    expect(raised.pending()).toMatchObject([{ itemId: w.itemId, level: 'arancione' }])
    expect(raised.acknowledge(w.itemId, 'Giulia')).toBe(true)
    expect(raised.acknowledge(w.itemId, 'Giulia')).toBe(false)
    expect(raised.pending()).toEqual([])
    at = new Date('2026-02-07T16:00:00Z')
    raised.raise({ ...alert, change: 'revised', level: 'rosso', escalated: true })
    expect(raised.pending()).toMatchObject([{ level: 'rosso', escalated: true }])
  })

  it('forgets the banner of a bulletin that is deleted with its source', () => {
    const w = workspaceAt10()
    db = w.db
    migrate(db, MIGRATIONS, 11)
    createRaisedAlerts(db, () => new Date()).raise({
      itemId: w.itemId,
      change: 'new',
      level: null,
      previousLevel: null,
      escalated: false,
    })
    db.prepare('DELETE FROM feed_sources').run()
    expect(db.prepare('SELECT count(*) FROM bulletin_alerts').pluck().get()).toBe(0)
  })
})
