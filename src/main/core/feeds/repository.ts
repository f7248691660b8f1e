import type { Database } from 'better-sqlite3'
import {
  bulletinHash,
  decodeCursor,
  encodeCursor,
  normaliseDate,
  toItem,
  toSource,
  type ItemRow,
  type SourceRow,
} from './item-rows'
import { createRaisedAlerts } from './raised-alerts'
import { feedSourceInputSchema, type FeedSourceInput } from './source-schema'
import type { Bulletin, FeedItem, FeedSource, WarningLevel } from './types'

export { bulletinHash, normaliseDate } from './item-rows'

/** One bulletin to store, already matched against the source's zones. */
export interface ItemToStore {
  bulletin: Bulletin
  isOurs: boolean
}

/**
 * What storing a bulletin did:
 * - `new`: never seen;
 * - `update`: new, and it references (CAP `references`) an item we hold — the link is kept;
 * - `revised`: same id, different content (a feed edited an entry) — updated in place;
 * - `unchanged`: same id, same content; `duplicate`: new id but content we already hold.
 */
export type StoreOutcome =
  | { change: 'new'; item: FeedItem }
  | { change: 'update'; item: FeedItem; previous: { id: number; level: WarningLevel | null } }
  | {
      change: 'revised'
      item: FeedItem
      previousLevel: WarningLevel | null
      /** What the item said before this revision. */
      previousBulletin: Bulletin
    }
  | { change: 'unchanged' | 'duplicate'; externalId: string }

export interface PageQuery {
  /** Items per page (1–500, default 50). */
  limit?: number
  /** `nextCursor` of the previous page. */
  cursor?: string | null
  sourceId?: number
  oursOnly?: boolean
}

export interface ItemPage {
  items: FeedItem[]
  /** Pass back for the next (older) page; `null` at the end. */
  nextCursor: string | null
}

export interface PollSuccess {
  at: string
  nextPollAt: string
  /** New validators; omit to keep the stored ones (304, or a poll that deferred work). */
  validators?: { etag: string | null; lastModified: string | null }
}

export interface PollFailure {
  at: string
  nextPollAt: string
  code: string
  message: string
}

/** Feed sources and their bulletins. Statements are prepared once; multi-row writes are one transaction. */
export function createFeedsRepository(db: Database, clock: () => Date = () => new Date()) {
  const s = {
    insertSource: db.prepare(
      `INSERT INTO feed_sources (name, kind, url, interval_s, enabled, zones, internal_network,
         created_at, updated_at)
       VALUES (@name, @kind, @url, @interval_s, @enabled, @zones, @internal_network, @now, @now)`,
    ),
    updateSource: db.prepare(
      `UPDATE feed_sources SET name = @name, kind = @kind, url = @url, interval_s = @interval_s,
         enabled = @enabled, zones = @zones, internal_network = @internal_network, updated_at = @now,
         etag = CASE WHEN url = @url THEN etag END,
         last_modified = CASE WHEN url = @url THEN last_modified END
       WHERE id = @id`,
    ),
    deleteSource: db.prepare('DELETE FROM feed_sources WHERE id = ?'),
    // The form's schema takes the polled kinds only: the manual source is made here.
    insertManualSource: db.prepare(
      `INSERT INTO feed_sources (name, kind, url, interval_s, enabled, zones, created_at, updated_at)
       VALUES (?, 'manual', 'vedetta:avvisi-manuali', 86400, 0, '[]', ?, ?)`,
    ),
    manualSource: db.prepare<[], SourceRow>(
      "SELECT * FROM feed_sources WHERE kind = 'manual' ORDER BY id LIMIT 1",
    ),
    sourceByName: db.prepare<[string], { id: number }>(
      'SELECT id FROM feed_sources WHERE name = ?',
    ),
    getSource: db.prepare<[number], SourceRow>('SELECT * FROM feed_sources WHERE id = ?'),
    listSources: db.prepare<[], SourceRow>('SELECT * FROM feed_sources ORDER BY name'),
    dueSources: db.prepare<[string, number], SourceRow>(
      `SELECT * FROM feed_sources WHERE enabled = 1 AND (next_poll_at IS NULL OR next_poll_at <= ?)
       ORDER BY next_poll_at IS NOT NULL, next_poll_at LIMIT ?`,
    ),
    nextDue: db.prepare<[], { at: string | null }>(
      `SELECT MIN(COALESCE(next_poll_at, '')) AS at FROM feed_sources WHERE enabled = 1`,
    ),
    pollOk: db.prepare(
      `UPDATE feed_sources SET last_polled_at = @at, last_ok_at = @at, error_count = 0, next_poll_at = @next,
         etag = CASE WHEN @set_validators THEN @etag ELSE etag END,
         last_modified = CASE WHEN @set_validators THEN @last_modified ELSE last_modified END
       WHERE id = @id`,
    ),
    pollFailed: db.prepare(
      `UPDATE feed_sources SET last_polled_at = @at, last_error = @message, last_error_code = @code,
         last_error_at = @at, error_count = error_count + 1, next_poll_at = @next
       WHERE id = @id`,
    ),
    itemByExternal: db.prepare<[number, string], ItemRow>(
      'SELECT * FROM feed_items WHERE source_id = ? AND external_id = ?',
    ),
    itemByHash: db.prepare<[number, string], { id: number }>(
      'SELECT id FROM feed_items WHERE source_id = ? AND hash = ? LIMIT 1',
    ),
    itemByCapId: db.prepare<[string], { id: number; level: string | null }>(
      'SELECT id, level FROM feed_items WHERE cap_id = ? ORDER BY id DESC LIMIT 1',
    ),
    getItem: db.prepare<[number], ItemRow>('SELECT * FROM feed_items WHERE id = ?'),
    insertItem: db.prepare(
      `INSERT INTO feed_items (source_id, external_id, cap_id, hash, fetched_at, sent, kind, level, headline,
         payload, is_ours, supersedes_id)
       VALUES (@source_id, @external_id, @cap_id, @hash, @fetched_at, @sent, @kind, @level, @headline,
         @payload, @is_ours, @supersedes_id)`,
    ),
    reviseItem: db.prepare(
      `UPDATE feed_items SET hash = @hash, fetched_at = @fetched_at, sent = @sent, level = @level,
         headline = @headline, payload = @payload, is_ours = @is_ours, cap_id = @cap_id
       WHERE id = @id`,
    ),
    pageAll: db.prepare<[string, number, number], ItemRow>(
      'SELECT * FROM feed_items WHERE (sent, id) < (?, ?) ORDER BY sent DESC, id DESC LIMIT ?',
    ),
    pageSource: db.prepare<[number, string, number, number], ItemRow>(
      `SELECT * FROM feed_items WHERE source_id = ? AND (sent, id) < (?, ?)
       ORDER BY sent DESC, id DESC LIMIT ?`,
    ),
    pageOurs: db.prepare<[string, number, number], ItemRow>(
      `SELECT * FROM feed_items WHERE is_ours = 1 AND (sent, id) < (?, ?)
       ORDER BY sent DESC, id DESC LIMIT ?`,
    ),
    pageSourceOurs: db.prepare<[number, string, number, number], ItemRow>(
      `SELECT * FROM feed_items WHERE source_id = ? AND is_ours = 1 AND (sent, id) < (?, ?)
       ORDER BY sent DESC, id DESC LIMIT ?`,
    ),
    countAll: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM feed_items'),
    countSource: db.prepare<[number], { n: number }>(
      'SELECT COUNT(*) AS n FROM feed_items WHERE source_id = ?',
    ),
    countOurs: db.prepare<[], { n: number }>(
      'SELECT COUNT(*) AS n FROM feed_items WHERE is_ours = 1',
    ),
    countSourceOurs: db.prepare<[number], { n: number }>(
      'SELECT COUNT(*) AS n FROM feed_items WHERE source_id = ? AND is_ours = 1',
    ),
  }

  function requireSource(id: number): FeedSource {
    const row = s.getSource.get(id)
    if (!row) throw new Error(`fonte ${id} inesistente`)
    return toSource(row)
  }

  function sourceParams(input: FeedSourceInput) {
    const fields = feedSourceInputSchema.parse(input)
    return {
      name: fields.name,
      kind: fields.kind,
      url: fields.url,
      interval_s: fields.intervalS,
      enabled: fields.enabled ? 1 : 0,
      zones: JSON.stringify(fields.zones),
      internal_network: fields.internalNetwork === true ? 1 : 0,
      now: clock().toISOString(),
    }
  }

  function storeOne(sourceId: number, entry: ItemToStore, fetchedAt: string): StoreOutcome {
    const bulletin = { ...entry.bulletin, sourceId }
    const hash = bulletinHash(bulletin)
    const row = {
      source_id: sourceId,
      external_id: bulletin.externalId,
      cap_id: bulletin.capIdentifier,
      hash,
      fetched_at: fetchedAt,
      sent: normaliseDate(bulletin.sent) ?? fetchedAt,
      kind: bulletin.rawKind,
      level: bulletin.level ?? null,
      headline: bulletin.headline ?? bulletin.event ?? '',
      payload: JSON.stringify(bulletin),
      is_ours: entry.isOurs ? 1 : 0,
    }
    const existing = s.itemByExternal.get(sourceId, bulletin.externalId)
    if (existing) {
      if (existing.hash === hash) return { change: 'unchanged', externalId: bulletin.externalId }
      s.reviseItem.run({ ...row, id: existing.id })
      const item = toItem(
        { ...row, id: existing.id, supersedes_id: existing.supersedes_id },
        bulletin,
      )
      return {
        change: 'revised',
        item,
        previousLevel: existing.level as WarningLevel | null,
        previousBulletin: JSON.parse(existing.payload) as Bulletin,
      }
    }
    if (s.itemByHash.get(sourceId, hash))
      return { change: 'duplicate', externalId: bulletin.externalId }
    const previous = bulletin.references
      .map((ref) => s.itemByCapId.get(ref.identifier))
      .filter((found) => found !== undefined)
      .sort((a, b) => b.id - a.id)[0]
    const supersedes = previous?.id ?? null
    const id = Number(s.insertItem.run({ ...row, supersedes_id: supersedes }).lastInsertRowid)
    const item = toItem({ ...row, id, supersedes_id: supersedes }, bulletin)
    return previous
      ? {
          change: 'update',
          item,
          previous: { id: previous.id, level: previous.level as WarningLevel | null },
        }
      : { change: 'new', item }
  }

  const storeAll = db.transaction(
    (sourceId: number, entries: readonly ItemToStore[], fetchedAt: string) =>
      entries.map((entry) => storeOne(sourceId, entry, fetchedAt)),
  )

  return {
    /** Banners raised by bulletins for our zones, until acknowledged. */
    raised: createRaisedAlerts(db, clock),
    /** Adds a source (validated); it is due for polling at once. */
    createSource(input: FeedSourceInput): FeedSource {
      const id = Number(s.insertSource.run(sourceParams(input)).lastInsertRowid)
      return requireSource(id)
    },

    /** Replaces a source's settings. Changing the URL forgets the cached ETag / Last-Modified. */
    updateSource(id: number, input: FeedSourceInput): FeedSource {
      requireSource(id)
      s.updateSource.run({ ...sourceParams(input), id })
      return requireSource(id)
    },

    /** Removes a source and its bulletins. */
    deleteSource(id: number): boolean {
      return s.deleteSource.run(id).changes > 0
    },

    getSource(id: number): FeedSource | undefined {
      const row = s.getSource.get(id)
      return row ? toSource(row) : undefined
    },

    listSources(): FeedSource[] {
      return s.listSources.all().map(toSource)
    },

    /** Enabled sources whose next poll time has come (never-polled first). */
    dueSources(now: Date, limit: number): FeedSource[] {
      return s.dueSources.all(now.toISOString(), limit).map(toSource)
    },

    /** When the next enabled source falls due: `null` when none is enabled, `''` when one never polled. */
    nextDueAt(): string | null {
      return s.nextDue.get()?.at ?? null
    },

    recordPollSuccess(id: number, result: PollSuccess): void {
      s.pollOk.run({
        id,
        at: result.at,
        next: result.nextPollAt,
        set_validators: result.validators ? 1 : 0,
        etag: result.validators?.etag ?? null,
        last_modified: result.validators?.lastModified ?? null,
      })
    },

    recordPollFailure(id: number, failure: PollFailure): void {
      s.pollFailed.run({
        id,
        at: failure.at,
        next: failure.nextPollAt,
        code: failure.code,
        message: failure.message,
      })
    },

    /**
     * The source avvisi entered by hand are stored under (kind `manual`, disabled, never
     * polled), created on first use. A source the ICT office already named so keeps its name:
     * this one takes a suffix.
     */
    manualSource(name: string): FeedSource {
      const held = s.manualSource.get()
      if (held) return toSource(held)
      const at = clock().toISOString()
      const free = s.sourceByName.get(name) === undefined ? name : `${name} (Vedetta)`
      return requireSource(Number(s.insertManualSource.run(free, at, at).lastInsertRowid))
    },

    /** The id of the source's item with this external id, if held. */
    itemIdOf(sourceId: number, externalId: string): number | undefined {
      return s.itemByExternal.get(sourceId, externalId)?.id
    },

    /** True when the source already holds an item with this external id. */
    hasItem(sourceId: number, externalId: string): boolean {
      return s.itemByExternal.get(sourceId, externalId) !== undefined
    },

    /**
     * Stores bulletins of one source in one transaction, de-duplicated by external id and by
     * content hash; a CAP message that references a held one is linked to it (`supersedesId`).
     */
    storeItems(sourceId: number, entries: readonly ItemToStore[], fetchedAt: Date): StoreOutcome[] {
      return storeAll(sourceId, entries, fetchedAt.toISOString())
    },

    getItem(id: number): FeedItem | undefined {
      const row = s.getItem.get(id)
      return row ? toItem(row) : undefined
    },

    /** Newest first (by publication time, then id), keyset-paged: stable while new items arrive. */
    page(query: PageQuery = {}): ItemPage {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500)
      const [sent, id] = decodeCursor(query.cursor)
      const rows =
        query.sourceId !== undefined
          ? query.oursOnly
            ? s.pageSourceOurs.all(query.sourceId, sent, id, limit + 1)
            : s.pageSource.all(query.sourceId, sent, id, limit + 1)
          : query.oursOnly
            ? s.pageOurs.all(sent, id, limit + 1)
            : s.pageAll.all(sent, id, limit + 1)
      const items = rows.slice(0, limit).map((row) => toItem(row))
      const last = items.at(-1)
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null }
    },

    count(query: { sourceId?: number; oursOnly?: boolean } = {}): number {
      const row =
        query.sourceId !== undefined
          ? query.oursOnly
            ? s.countSourceOurs.get(query.sourceId)
            : s.countSource.get(query.sourceId)
          : query.oursOnly
            ? s.countOurs.get()
            : s.countAll.get()
      return row?.n ?? 0
    },
  }
}

export type FeedsRepository = ReturnType<typeof createFeedsRepository>
