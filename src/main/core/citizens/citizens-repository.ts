import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open'
import {
  CITIZEN_STATES,
  type CitizenCategory,
  type CitizenFamily,
  type CitizenFlags,
  type CitizenMessage,
  type CitizenPage,
  type CitizenState,
  type CitizenStateCounts,
  type TriageAction,
  type TriageEntry,
} from '../../../shared/citizens/types'
import { encodeCitizenCursor, type CitizenCursor } from '../../../shared/citizens/schemas'

/**
 * Storage of the citizens' inbox: messages, their word index and their
 * append-only triage history. Statements are prepared once; the page query has
 * one prepared variant per combination of filters (so each can use its own
 * index), built from fixed fragments on first use. Values are always bound.
 */

/** A message ready to store: normalised, bounded and flagged by the service. */
export interface StoredMessageInput {
  family: CitizenFamily
  accountId: number | null
  externalId: string
  threadId: string | null
  inReplyTo: string | null
  authorName: string | null
  authorHandle: string | null
  authorContactId: number | null
  text: string
  receivedAt: string
  fetchedAt: string
  alertId: number | null
  flags: CitizenFlags
  /** What the word index holds for it. */
  searchBody: string
  searchAuthor: string
}

export interface PageFilter {
  limit: number
  cursor?: CitizenCursor
  state?: CitizenState
  family?: CitizenFamily
  accountId?: number
  /** An operator, or null for "not assigned". */
  assignedTo?: string | null
  category?: CitizenCategory
  /** An FTS5 query (see `toMatchQuery`). */
  match?: string
}

/** One triage change to apply to many messages. */
export type TriageChange =
  | { action: 'state'; value: CitizenState }
  | { action: 'assign'; value: string | null }
  | { action: 'category'; value: CitizenCategory | null }
  | { action: 'alert'; value: number | null }

interface MessageRow {
  id: number
  channel_family: CitizenFamily
  account_id: number | null
  external_id: string
  thread_id: string | null
  in_reply_to: string | null
  author_name: string | null
  author_handle: string | null
  author_contact_id: number | null
  text: string
  received_at: string
  fetched_at: string
  state: CitizenState
  assigned_to: string | null
  category: CitizenCategory | null
  alert_id: number | null
  reply_outbox_id: number | null
  flags: string
}

interface HistoryRow {
  id: number
  message_id: number
  at: string
  actor: string
  action: TriageAction
  from_value: string | null
  to_value: string | null
  outbox_id: number | null
}

const COLUMN_NAMES = [
  'id',
  'channel_family',
  'account_id',
  'external_id',
  'thread_id',
  'in_reply_to',
  'author_name',
  'author_handle',
  'author_contact_id',
  'text',
  'received_at',
  'fetched_at',
  'state',
  'assigned_to',
  'category',
  'alert_id',
  'reply_outbox_id',
  'flags',
] as const
const COLUMNS = COLUMN_NAMES.map((c) => `m.${c}`).join(', ')

/** Larger than any stored key: the first page starts here. */
const NO_CURSOR: CitizenCursor = {
  receivedAt: '9999-12-31T23:59:59.999Z',
  id: Number.MAX_SAFE_INTEGER,
}

/** The column each triage change writes; fixed names, never user input. */
const COLUMN_OF: Record<TriageChange['action'], string> = {
  state: 'state',
  assign: 'assigned_to',
  category: 'category',
  alert: 'alert_id',
}

function parseFlags(json: string): CitizenFlags {
  try {
    const value = JSON.parse(json) as unknown
    return typeof value === 'object' && value !== null ? (value as CitizenFlags) : {}
  } catch {
    return {}
  }
}

export function toMessage(r: MessageRow): CitizenMessage {
  return {
    id: r.id,
    family: r.channel_family,
    accountId: r.account_id,
    externalId: r.external_id,
    threadId: r.thread_id,
    inReplyTo: r.in_reply_to,
    authorName: r.author_name,
    authorHandle: r.author_handle,
    authorContactId: r.author_contact_id,
    text: r.text,
    receivedAt: r.received_at,
    fetchedAt: r.fetched_at,
    state: r.state,
    assignedTo: r.assigned_to,
    category: r.category,
    alertId: r.alert_id,
    replyOutboxId: r.reply_outbox_id,
    flags: parseFlags(r.flags),
  }
}

function toEntry(r: HistoryRow): TriageEntry {
  return {
    id: r.id,
    messageId: r.message_id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    from: r.from_value,
    to: r.to_value,
    ...(r.outbox_id === null ? {} : { outboxId: r.outbox_id }),
  }
}

/** Filter fragments, in a fixed order; a variant is the conjunction of those present. */
const FILTERS = {
  state: 'm.state = @state',
  family: 'm.channel_family = @family',
  accountId: 'm.account_id = @accountId',
  assignedTo: 'm.assigned_to = @assignedTo',
  unassigned: 'm.assigned_to IS NULL',
  category: 'm.category = @category',
  match: 'm.id IN (SELECT rowid FROM citizen_search WHERE citizen_search MATCH @match)',
} as const
export type FilterKey = keyof typeof FILTERS

/**
 * With a word search, SQLite would otherwise start from the word index and sort
 * every match: 80 ms for a word in all 100,000 messages. Walking the page-order
 * index of the most selective filter and probing the matches stays under 10 ms
 * for common and rare words alike (measured), so search variants name it.
 */
const WALK_INDEX: Partial<Record<FilterKey, string>> = {
  state: 'citizen_messages_by_state',
  family: 'citizen_messages_by_family',
  assignedTo: 'citizen_messages_by_assignee',
  category: 'citizen_messages_by_category',
}

function walkIndex(keys: FilterKey[]): string {
  for (const k of ['assignedTo', 'category', 'state', 'family'] as const) {
    if (keys.includes(k)) return WALK_INDEX[k] as string
  }
  return 'citizen_messages_newest'
}

/** The page query for a set of filters (fixed fragments only); exported so tests can read its plan. */
export function pageSql(keys: FilterKey[]): string {
  const where = ['(m.received_at, m.id) < (@afterAt, @afterId)', ...keys.map((k) => FILTERS[k])]
  const indexed = keys.includes('match') ? `INDEXED BY ${walkIndex(keys)}` : ''
  return `SELECT ${COLUMNS} FROM citizen_messages m ${indexed}
    WHERE ${where.join(' AND ')}
    ORDER BY m.received_at DESC, m.id DESC LIMIT @limit`
}

/** The filters a page request uses, in the fixed order of {@link FILTERS}. */
export function activeFilters(f: Omit<PageFilter, 'limit'>): FilterKey[] {
  const keys: FilterKey[] = []
  if (f.state !== undefined) keys.push('state')
  if (f.family !== undefined) keys.push('family')
  if (f.accountId !== undefined) keys.push('accountId')
  if (f.assignedTo !== undefined) keys.push(f.assignedTo === null ? 'unassigned' : 'assignedTo')
  if (f.category !== undefined) keys.push('category')
  if (f.match !== undefined) keys.push('match')
  return keys
}

export type CitizensRepository = ReturnType<typeof createCitizensRepository>

export function createCitizensRepository(db: Db) {
  const s = {
    insert: db.prepare(`
      INSERT INTO citizen_messages (channel_family, account_id, external_id, thread_id, in_reply_to,
        author_name, author_handle, author_contact_id, text, received_at, fetched_at, alert_id, flags)
      SELECT @family, @accountId, @externalId, @threadId, @inReplyTo, @authorName, @authorHandle,
        @authorContactId, @text, @receivedAt, @fetchedAt, @alertId, @flags
      WHERE NOT EXISTS (SELECT 1 FROM citizen_messages WHERE channel_family = @family
        AND account_id IS @accountId AND external_id = @externalId)
      ON CONFLICT DO NOTHING
      RETURNING ${COLUMN_NAMES.join(', ')}`),
    index: db.prepare('INSERT INTO citizen_search (rowid, body, author) VALUES (?, ?, ?)'),
    get: db.prepare(`SELECT ${COLUMNS} FROM citizen_messages m WHERE m.id = ?`),
    history: db.prepare('SELECT * FROM citizen_triage_history WHERE message_id = ? ORDER BY id'),
    counts: db.prepare('SELECT state, count(*) AS n FROM citizen_messages GROUP BY state'),
    countsOfFamily: db.prepare(
      'SELECT state, count(*) AS n FROM citizen_messages WHERE channel_family = ? GROUP BY state',
    ),
    addHistory: db.prepare(`
      INSERT INTO citizen_triage_history (message_id, at, actor, action, from_value, to_value, outbox_id)
      VALUES (@messageId, @at, @actor, @action, @from, @to, @outboxId)`),
    alertExists: db.prepare('SELECT 1 FROM alerts WHERE id = ?').pluck(),
    markReplied: db.prepare(
      "UPDATE citizen_messages SET state = 'risposto', reply_outbox_id = ? WHERE id = ?",
    ),
  }
  const current = Object.fromEntries(
    Object.entries(COLUMN_OF).map(([action, column]) => [
      action,
      db.prepare(`SELECT ${column} AS value FROM citizen_messages WHERE id = ?`),
    ]),
  ) as Record<TriageChange['action'], Statement>
  const write = Object.fromEntries(
    Object.entries(COLUMN_OF).map(([action, column]) => [
      action,
      db.prepare(`UPDATE citizen_messages SET ${column} = ? WHERE id = ?`),
    ]),
  ) as Record<TriageChange['action'], Statement>

  const pageVariants = new Map<string, Statement>()
  function pageStatement(keys: FilterKey[]): Statement {
    const signature = keys.join(',')
    let stmt = pageVariants.get(signature)
    if (!stmt) {
      stmt = db.prepare(pageSql(keys))
      pageVariants.set(signature, stmt)
    }
    return stmt
  }

  const insertMany = db.transaction((rows: StoredMessageInput[]): CitizenMessage[] => {
    const fresh: CitizenMessage[] = []
    for (const r of rows) {
      const row = s.insert.get({
        family: r.family,
        accountId: r.accountId,
        externalId: r.externalId,
        threadId: r.threadId,
        inReplyTo: r.inReplyTo,
        authorName: r.authorName,
        authorHandle: r.authorHandle,
        authorContactId: r.authorContactId,
        text: r.text,
        receivedAt: r.receivedAt,
        fetchedAt: r.fetchedAt,
        alertId: r.alertId,
        flags: JSON.stringify(r.flags),
      }) as MessageRow | undefined
      if (!row) continue
      s.index.run(row.id, r.searchBody, r.searchAuthor)
      fresh.push(toMessage(row))
    }
    return fresh
  })

  const applyChange = db.transaction(
    (ids: number[], change: TriageChange, actor: string, at: string): number[] => {
      const changed: number[] = []
      for (const id of new Set(ids)) {
        const row = current[change.action].get(id) as { value: string | number | null } | undefined
        if (!row) continue
        const was = row.value
        if (was === change.value) continue
        write[change.action].run(change.value, id)
        s.addHistory.run({
          messageId: id,
          at,
          actor,
          action: change.action,
          from: was === null ? null : String(was),
          to: change.value === null ? null : String(change.value),
          outboxId: null,
        })
        changed.push(id)
      }
      return changed
    },
  )

  const recordReply = db.transaction(
    (id: number, outboxId: number, actor: string, at: string): CitizenMessage | undefined => {
      const before = s.get.get(id) as MessageRow | undefined
      if (!before) return undefined
      s.markReplied.run(outboxId, id)
      s.addHistory.run({
        messageId: id,
        at,
        actor,
        action: 'reply',
        from: before.state,
        to: 'risposto',
        outboxId,
      })
      return toMessage(s.get.get(id) as MessageRow)
    },
  )

  return {
    /** Stores the messages not seen before (one transaction); returns those, in input order. */
    insertMany(rows: StoredMessageInput[]): CitizenMessage[] {
      return rows.length === 0 ? [] : insertMany(rows)
    },

    /** One page, newest first, after the cursor. */
    page(filter: PageFilter): CitizenPage {
      const keys = activeFilters(filter)
      const after = filter.cursor ?? NO_CURSOR
      const params: Record<string, unknown> = {
        afterAt: after.receivedAt,
        afterId: after.id,
        // One extra row tells whether another page exists.
        limit: filter.limit + 1,
      }
      for (const k of keys) {
        if (k === 'unassigned') continue
        params[k] = filter[k]
      }
      const rows = pageStatement(keys).all(params) as MessageRow[]
      const items = rows.slice(0, filter.limit).map(toMessage)
      const last = items.at(-1)
      return {
        items,
        nextCursor:
          rows.length > filter.limit && last
            ? encodeCitizenCursor({ receivedAt: last.receivedAt, id: last.id })
            : null,
      }
    },

    get(id: number): CitizenMessage | undefined {
      const row = s.get.get(id) as MessageRow | undefined
      return row ? toMessage(row) : undefined
    },

    history(id: number): TriageEntry[] {
      return (s.history.all(id) as HistoryRow[]).map(toEntry)
    },

    alertExists(id: number): boolean {
      return s.alertExists.get(id) !== undefined
    },

    /** Messages per triage state (all states present, zero when empty). */
    counts(family?: CitizenFamily): CitizenStateCounts {
      const rows = (family === undefined ? s.counts.all() : s.countsOfFamily.all(family)) as {
        state: CitizenState
        n: number
      }[]
      const counts = Object.fromEntries(CITIZEN_STATES.map((st) => [st, 0])) as CitizenStateCounts
      for (const r of rows) counts[r.state] = r.n
      return counts
    },

    /** Applies one change to many messages, with history; returns the ids that really changed. */
    applyChange(ids: number[], change: TriageChange, actor: string, at: string): number[] {
      return applyChange(ids, change, actor, at)
    },

    /** Marks a message answered through the outbox row `outboxId`. */
    recordReply(
      id: number,
      outboxId: number,
      actor: string,
      at: string,
    ): CitizenMessage | undefined {
      return recordReply(id, outboxId, actor, at)
    },
  }
}
