import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import {
  createFeedsRepository,
  type FeedsRepository,
} from '../../../src/main/core/feeds/repository'
import type { Bulletin, PolledSourceKind } from '../../../src/main/core/feeds/types'

let dir: string
let db: Db
let repo: FeedsRepository

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-feeds-repo-'))
  db = openDatabase(path.join(dir, 'workspace.sqlite'))
  repo = createFeedsRepository(db)
})

afterEach(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function bulletin(externalId: string, extra: Partial<Bulletin> = {}): Bulletin {
  return {
    sourceId: null,
    externalId,
    capIdentifier: externalId,
    sender: 'test@example.it',
    sent: '2024-11-02T12:00:00+01:00',
    msgType: 'Alert',
    status: 'Actual',
    references: [],
    event: 'Pioggia',
    severity: 'Moderate',
    urgency: 'Future',
    certainty: 'Likely',
    onset: null,
    effective: null,
    expires: null,
    headline: `Avviso ${externalId}`,
    description: null,
    instruction: null,
    web: null,
    areas: [],
    language: 'it-IT',
    rawKind: 'cap',
    ...extra,
  }
}

const source = (name = 'MeteoAlarm Italia') =>
  repo.createSource({
    name,
    kind: 'atom_cap_index',
    url: 'https://feeds.example.it/italy.atom',
    zones: ['EMMA_ID:IT009'],
  })

describe('feed sources', () => {
  it('creates, lists, updates and deletes sources with their settings', () => {
    const created = source()
    expect(created).toMatchObject({
      name: 'MeteoAlarm Italia',
      kind: 'atom_cap_index',
      intervalS: 300,
      enabled: true,
      zones: ['EMMA_ID:IT009'],
      etag: null,
      errorCount: 0,
      nextPollAt: null,
    })
    const updated = repo.updateSource(created.id, {
      name: 'MeteoAlarm IT',
      kind: 'atom_cap_index',
      url: created.url,
      intervalS: 600,
      enabled: false,
      zones: ['Firenze', 'EMMA_ID:IT009'],
    })
    expect(updated).toMatchObject({
      name: 'MeteoAlarm IT',
      intervalS: 600,
      enabled: false,
      zones: ['Firenze', 'EMMA_ID:IT009'],
    })
    expect(repo.listSources().map((s) => s.name)).toEqual(['MeteoAlarm IT'])
    expect(repo.deleteSource(created.id)).toBe(true)
    expect(repo.getSource(created.id)).toBeUndefined()
    expect(repo.deleteSource(created.id)).toBe(false)
  })

  it('refuses bad settings and duplicate names', () => {
    expect(() =>
      repo.createSource({ name: 'x', kind: 'cap', url: 'ftp://example.it/a.cap' }),
    ).toThrow(/url/)
    expect(() =>
      repo.createSource({ name: 'x', kind: 'cap', url: 'https://e.it/a.cap', intervalS: 5 }),
    ).toThrow()
    expect(() => repo.createSource({ name: '', kind: 'cap', url: 'https://e.it/a.cap' })).toThrow()
    expect(() =>
      repo.createSource({ name: 'x', kind: 'html' as 'cap', url: 'https://e.it/a.cap' }),
    ).toThrow()
    source('Uno')
    expect(() => source('uno')).toThrow(/UNIQUE/)
  })

  it('records polls and forgets validators when the URL changes', () => {
    const s = source()
    repo.recordPollSuccess(s.id, {
      at: '2024-11-02T12:00:00.000Z',
      nextPollAt: '2024-11-02T12:05:00.000Z',
      validators: { etag: '"abc"', lastModified: 'Sat, 02 Nov 2024 11:00:00 GMT' },
    })
    repo.recordPollFailure(s.id, {
      at: '2024-11-02T12:05:00.000Z',
      nextPollAt: '2024-11-02T12:15:00.000Z',
      code: 'http',
      message: 'HTTP 500',
    })
    expect(repo.getSource(s.id)).toMatchObject({
      etag: '"abc"',
      lastOkAt: '2024-11-02T12:00:00.000Z',
      lastError: 'HTTP 500',
      lastErrorCode: 'http',
      lastErrorAt: '2024-11-02T12:05:00.000Z',
      errorCount: 1,
      nextPollAt: '2024-11-02T12:15:00.000Z',
    })
    // A 304 (no validators given) keeps the stored ones and resets the error count.
    repo.recordPollSuccess(s.id, {
      at: '2024-11-02T12:15:00.000Z',
      nextPollAt: '2024-11-02T12:20:00.000Z',
    })
    expect(repo.getSource(s.id)).toMatchObject({
      etag: '"abc"',
      errorCount: 0,
      lastError: 'HTTP 500',
    })
    const moved = repo.updateSource(s.id, {
      name: s.name,
      kind: s.kind as PolledSourceKind,
      url: 'https://elsewhere.example.it/feed.atom',
    })
    expect(moved.etag).toBeNull()
    expect(moved.lastModified).toBeNull()
  })

  it('lists due sources: never polled first, disabled ones never', () => {
    const a = source('A')
    const b = source('B')
    const c = repo.createSource({ name: 'C', kind: 'rss', url: 'https://e.it/rss', enabled: false })
    repo.recordPollSuccess(a.id, {
      at: '2024-11-02T12:00:00.000Z',
      nextPollAt: '2024-11-02T12:05:00.000Z',
    })
    expect(repo.dueSources(new Date('2024-11-02T12:01:00Z'), 10).map((s) => s.id)).toEqual([b.id])
    expect(repo.dueSources(new Date('2024-11-02T12:06:00Z'), 10).map((s) => s.id)).toEqual([
      b.id,
      a.id,
    ])
    expect(repo.dueSources(new Date('2024-11-02T12:06:00Z'), 10).some((s) => s.id === c.id)).toBe(
      false,
    )
    expect(repo.nextDueAt()).toBe('')
  })
})

describe('migration 003', () => {
  it('creates strict tables that refuse rows the code never writes', () => {
    const insertSource = db.prepare(
      `INSERT INTO feed_sources (name, kind, url, interval_s, zones, created_at, updated_at)
       VALUES (?, ?, 'https://e.it', 300, ?, 'now', 'now')`,
    )
    expect(() => insertSource.run('a', 'html', '[]')).toThrow(/CHECK/)
    expect(() => insertSource.run('b', 'rss', '{"not":"a list"}')).toThrow(/CHECK/)
    const id = Number(insertSource.run('c', 'rss', '[]').lastInsertRowid)
    const insertItem = db.prepare(
      `INSERT INTO feed_items (source_id, external_id, hash, fetched_at, sent, kind, level, headline, payload)
       VALUES (?, 'x', 'h', 'now', 'now', 'rss', ?, '', '{}')`,
    )
    expect(() => insertItem.run(id, 'viola')).toThrow(/CHECK/)
    expect(() => insertItem.run(id + 1, null)).toThrow(/FOREIGN KEY/)
    expect(() =>
      db.prepare("UPDATE feed_sources SET interval_s = 'soon' WHERE id = ?").run(id),
    ).toThrow()
  })
})

describe('feed items', () => {
  it('de-duplicates by id and by content, and revises edited entries in place', () => {
    const s = source()
    const at = new Date('2024-11-02T12:00:00Z')
    const first = repo.storeItems(s.id, [{ bulletin: bulletin('A'), isOurs: false }], at)
    expect(first.map((o) => o.change)).toEqual(['new'])
    const again = repo.storeItems(
      s.id,
      [
        { bulletin: bulletin('A'), isOurs: false },
        // Same content under another id (a feed that regenerates guids): a duplicate.
        { bulletin: { ...bulletin('A'), externalId: 'A-bis' }, isOurs: false },
      ],
      at,
    )
    expect(again.map((o) => o.change)).toEqual(['unchanged', 'duplicate'])
    const edited = repo.storeItems(
      s.id,
      [{ bulletin: bulletin('A', { headline: 'Corretto', level: 'giallo' }), isOurs: true }],
      at,
    )
    expect(edited[0]).toMatchObject({
      change: 'revised',
      previousLevel: null,
      item: { headline: 'Corretto', level: 'giallo', isOurs: true },
    })
    expect(repo.count({ sourceId: s.id })).toBe(1)
  })

  it('links an update to the bulletin it references and keeps both', () => {
    const s = source()
    const at = new Date('2024-11-02T12:00:00Z')
    const [old] = repo.storeItems(
      s.id,
      [{ bulletin: bulletin('OLD', { level: 'arancione' }), isOurs: true }],
      at,
    )
    const update = bulletin('NEW', {
      msgType: 'Update',
      level: 'rosso',
      sent: '2024-11-02T18:00:00+01:00',
      references: [
        { sender: 'test@example.it', identifier: 'OLD', sent: '2024-11-02T12:00:00+01:00' },
      ],
    })
    const [outcome] = repo.storeItems(s.id, [{ bulletin: update, isOurs: true }], at)
    expect(outcome?.change).toBe('update')
    if (outcome?.change !== 'update' || old?.change !== 'new') throw new Error('unexpected outcome')
    expect(outcome.previous).toEqual({ id: old.item.id, level: 'arancione' })
    expect(outcome.item.supersedesId).toBe(old.item.id)
    expect(repo.getItem(outcome.item.id)?.bulletin.references[0]?.identifier).toBe('OLD')
    expect(repo.count()).toBe(2)
  })

  it('deletes a source with its items', () => {
    const s = source()
    repo.storeItems(s.id, [{ bulletin: bulletin('A'), isOurs: false }], new Date())
    repo.deleteSource(s.id)
    expect(repo.count()).toBe(0)
  })

  it('rejects a bad cursor', () => {
    expect(() => repo.page({ cursor: 'not-a-cursor' })).toThrow(/cursore/)
  })

  it('stores 100,000 items and pages them newest first without gaps or repeats', () => {
    const a = source('A')
    const b = source('B')
    const total = 100_000
    const batch = 10_000
    const fetchedAt = new Date('2024-11-02T12:00:00Z')
    for (let start = 0; start < total; start += batch) {
      const entries = Array.from({ length: batch }, (_, k) => {
        const n = start + k
        // Many items share a timestamp, so the id tie-break is exercised; some have no date at all.
        const minute = Math.floor(n / 7) % 50_000
        const sent =
          n % 997 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + minute * 60_000).toISOString()
        return {
          bulletin: bulletin(`item-${n}`, { sent, headline: `h${n}` }),
          isOurs: n % 10 === 0,
        }
      })
      const sourceId = start < total / 2 ? a.id : b.id
      repo.storeItems(sourceId, entries, fetchedAt)
    }
    expect(repo.count()).toBe(total)
    expect(repo.count({ oursOnly: true })).toBe(total / 10)
    expect(repo.count({ sourceId: b.id })).toBe(total / 2)
    expect(repo.count({ sourceId: b.id, oursOnly: true })).toBe(total / 20)

    const seen = new Set<number>()
    let cursor: string | null = null
    let previous: { sent: string; id: number } | null = null
    let pages = 0
    let newerInserted = false
    let misordered = 0
    let repeated = 0
    do {
      const page = repo.page({ limit: 500, cursor })
      for (const item of page.items) {
        const ordered =
          !previous ||
          item.sent < previous.sent ||
          (item.sent === previous.sent && item.id < previous.id)
        if (!ordered) misordered++
        if (seen.has(item.id)) repeated++
        seen.add(item.id)
        previous = { sent: item.sent, id: item.id }
      }
      if (!newerInserted) {
        // A bulletin arriving mid-scroll must not shift the pages the reader is walking.
        repo.storeItems(
          a.id,
          [{ bulletin: bulletin('late', { sent: '2030-01-01T00:00:00Z' }), isOurs: false }],
          fetchedAt,
        )
        newerInserted = true
      }
      cursor = page.nextCursor
      pages++
    } while (cursor !== null)
    expect(misordered).toBe(0)
    expect(repeated).toBe(0)
    expect(seen.size).toBe(total)
    expect(pages).toBe(total / 500)

    let ours = 0
    cursor = null
    do {
      const page = repo.page({ limit: 500, cursor, sourceId: b.id, oursOnly: true })
      expect(page.items.every((i) => i.isOurs && i.sourceId === b.id)).toBe(true)
      ours += page.items.length
      cursor = page.nextCursor
    } while (cursor !== null)
    expect(ours).toBe(total / 20)

    // Newest-first paging reads an index, never sorts the whole table.
    const plan = db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM feed_items WHERE (sent, id) < (?, ?) ORDER BY sent DESC, id DESC LIMIT 50',
      )
      .all('~', 1) as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('feed_items_newest')
    expect(plan.map((p) => p.detail).join(' ')).not.toContain('TEMP B-TREE')
  })
})
