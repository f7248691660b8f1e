import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'
import { createComuniRepository } from '../../../src/main/core/comuni'

let db: Database.Database | undefined
afterEach(() => db?.close())

/** A version-11 workspace: an old `dpc_json` source and a CAP source, bulletins, a banner. */
function workspaceAt11(): Database.Database {
  const d = new Database(':memory:')
  d.pragma('foreign_keys = ON')
  migrate(d, MIGRATIONS, 11)
  const source = d.prepare(
    `INSERT INTO feed_sources (name, kind, url, interval_s, enabled, zones, error_count, created_at, updated_at)
     VALUES (?, ?, ?, 300, 1, '[]', 0, 'x', 'x')`,
  )
  source.run('DPC', 'dpc_json', 'https://example.it/dpc/')
  source.run('CFR', 'cap', 'https://example.it/cap.xml')
  const item = d.prepare(
    `INSERT INTO feed_items (source_id, external_id, hash, fetched_at, sent, kind, level, headline, is_ours, payload, supersedes_id)
     VALUES (?, ?, 'h', 'x', 'x', 'cap', 'arancione', 'Neve', 1, '{}', ?)`,
  )
  item.run(2, 'cfr-1', null)
  item.run(2, 'cfr-2', 1)
  d.prepare(
    `INSERT INTO bulletin_alerts (item_id, change, level, raised_at) VALUES (2, 'update', 'arancione', 'x')`,
  ).run()
  return d
}

describe('migration 012: DPC sources as published, alert zones of the comuni', () => {
  it('keeps every source, bulletin and banner; the old DPC kind becomes dpc_criticita', () => {
    db = workspaceAt11()
    migrate(db, MIGRATIONS, 12)
    expect(db.prepare('SELECT name, kind FROM feed_sources ORDER BY id').all()).toEqual([
      { name: 'DPC', kind: 'dpc_criticita' },
      { name: 'CFR', kind: 'cap' },
    ])
    expect(db.prepare('SELECT id, supersedes_id FROM feed_items ORDER BY id').all()).toEqual([
      { id: 1, supersedes_id: null },
      { id: 2, supersedes_id: 1 },
    ])
    expect(db.prepare('SELECT item_id FROM bulletin_alerts').pluck().all()).toEqual([2])
    expect(db.pragma('foreign_key_check')).toEqual([])
    // The foreign keys name the rebuilt tables: deleting a source still deletes its bulletins and banners.
    db.prepare('DELETE FROM feed_sources WHERE id = 2').run()
    expect(db.prepare('SELECT COUNT(*) FROM feed_items').pluck().get()).toBe(0)
    expect(db.prepare('SELECT COUNT(*) FROM bulletin_alerts').pluck().get()).toBe(0)
    // The new kinds are accepted.
    db.prepare(
      `INSERT INTO feed_sources (name, kind, url, interval_s, created_at, updated_at)
       VALUES ('Vigilanza', 'dpc_vigilanza', 'file:///srv/dpc/', 600, 'x', 'x')`,
    ).run()
  })

  it('gives the Circondario comuni of an existing workspace their alert zones, as the DPC files name them', () => {
    db = workspaceAt11()
    migrate(db, MIGRATIONS, 12)
    // Read with today's code, which expects today's schema: the zones set by 012 must survive.
    migrate(db, MIGRATIONS)
    const zones = Object.fromEntries(
      createComuniRepository(db)
        .list()
        .map((c) => [c.name, c.alertZones]),
    )
    expect(zones['Empoli']).toEqual(['Valdarno Inf.'])
    expect(zones['Vinci']).toEqual(['Valdarno Inf.'])
    expect(zones['Certaldo']).toEqual(['Valdelsa-Valdera'])
    expect(Object.values(zones).every((z) => z.length === 1)).toBe(true)
  })
})
