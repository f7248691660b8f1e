import { contentHash } from './parsers/content-hash'
import type { Bulletin, FeedItem, FeedSource, FeedSourceKind, WarningLevel } from './types'

/* Row shapes of feed_sources / feed_items and their mapping to domain objects. */

export interface SourceRow {
  id: number
  name: string
  kind: string
  url: string
  interval_s: number
  enabled: number
  zones: string
  internal_network: number
  etag: string | null
  last_modified: string | null
  last_polled_at: string | null
  last_ok_at: string | null
  last_error: string | null
  last_error_code: string | null
  last_error_at: string | null
  error_count: number
  next_poll_at: string | null
  created_at: string
  updated_at: string
}

export interface ItemRow {
  id: number
  source_id: number
  external_id: string
  cap_id: string | null
  hash: string
  fetched_at: string
  sent: string
  kind: string
  level: string | null
  headline: string
  payload: string
  is_ours: number
  supersedes_id: number | null
}

/** UTC ISO of a publisher's date, or null when unreadable. */
export function normaliseDate(value: string | null): string | null {
  if (value === null) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/**
 * Stable fingerprint of a bulletin's content. Ids, source and notes are left out so the same
 * content republished under a new id is recognised as a duplicate.
 */
export function bulletinHash(bulletin: Bulletin): string {
  const {
    sourceId: _source,
    note: _note,
    externalId: _id,
    capIdentifier: _capId,
    ...content
  } = bulletin
  return contentHash(JSON.stringify(content))
}

// Keyset cursor: the (sent, id) of the last item shown, base64url JSON.
const FIRST_PAGE: [string, number] = ['~', Number.MAX_SAFE_INTEGER]

export function encodeCursor(item: FeedItem): string {
  return Buffer.from(JSON.stringify([item.sent, item.id])).toString('base64url')
}

export function decodeCursor(cursor: string | null | undefined): [string, number] {
  if (!cursor) return FIRST_PAGE
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(value) && typeof value[0] === 'string' && Number.isInteger(value[1])) {
      return [value[0], value[1] as number]
    }
  } catch {
    // fall through to the error below
  }
  throw new Error('cursore di paginazione non valido')
}

export function toSource(row: SourceRow): FeedSource {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as FeedSourceKind,
    url: row.url,
    intervalS: row.interval_s,
    enabled: row.enabled === 1,
    zones: JSON.parse(row.zones) as string[],
    internalNetwork: row.internal_network === 1,
    etag: row.etag,
    lastModified: row.last_modified,
    lastPolledAt: row.last_polled_at,
    lastOkAt: row.last_ok_at,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    lastErrorAt: row.last_error_at,
    errorCount: row.error_count,
    nextPollAt: row.next_poll_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** A row as a FeedItem; `bulletin` spares re-parsing the payload just written. */
export function toItem(row: ItemRow, bulletin?: Bulletin): FeedItem {
  return {
    id: row.id,
    sourceId: row.source_id,
    externalId: row.external_id,
    capIdentifier: row.cap_id,
    hash: row.hash,
    fetchedAt: row.fetched_at,
    sent: row.sent,
    kind: row.kind as FeedItem['kind'],
    level: row.level as WarningLevel | null,
    headline: row.headline,
    isOurs: row.is_ours === 1,
    supersedesId: row.supersedes_id,
    bulletin: bulletin ?? (JSON.parse(row.payload) as Bulletin),
  }
}
