import { createHash } from 'node:crypto'
import type { z } from 'zod'
import type { Db } from '../db/open'
import type { Destination } from '../channels/adapter'
import { CoreError, invalid, notFound } from '../errors'
import { countFor } from '../../../shared/text/counters'
import { toFieldIssues } from '../../../shared/validation/issues'
import {
  CITIZEN_FAMILIES,
  type CitizenFamily,
  type CitizenFlags,
  type CitizenMessage,
  type CitizenMessageDetail,
  type CitizenPage,
  type CitizenState,
  type CitizenStateCounts,
  type CitizensEvents,
  type CitizenCategory,
} from '../../../shared/citizens/types'
import {
  citizenAssignSchema,
  citizenCategoriseSchema,
  citizenLinkAlertSchema,
  citizenPageQuerySchema,
  citizenReplySchema,
  citizenSetStateSchema,
  decodeCitizenCursor,
  type CitizenPageQuery,
} from '../../../shared/citizens/schemas'
import { detectSuspicion } from '../../../shared/citizens/safe-text'
import { boundText } from './bound-text'
import { createContactLinker } from './contact-link'
import {
  createCitizensRepository,
  type StoredMessageInput,
  type TriageChange,
} from './citizens-repository'
import { NoReplyRoute, replyRoute } from './reply-route'
import { searchableAuthor, searchableText, toMatchQuery } from './search-text'
import type { IncomingCitizenMessage } from './types'

/** What the outbox receives to answer a citizen on the channel the message came from. */
export interface ReplyRequest {
  /** The citizen message being answered. */
  messageId: number
  family: CitizenFamily
  /** The channel account to send through (the one the message came in on). */
  accountId: number
  /** A person (SMS number, Telegram chat id, e-mail) or our page, replying in the thread. */
  destination: Destination
  /** Provider id of what the answer follows up (tweet, status, comment, Telegram message). */
  inReplyTo?: string
  text: string
  /** Same message and same text give the same key: a double click cannot answer twice. */
  idempotencyKey: string
}

/** Puts a reply in the durable outbox; answers the outbox row id. Provided by the outbox. */
export type EnqueueReply = (
  request: ReplyRequest,
) => { outboxId: number } | Promise<{ outboxId: number }>

export type CitizensEmit = <K extends keyof CitizensEvents>(
  name: K,
  payload: CitizensEvents[K],
) => void

export interface CitizensServiceOptions {
  db: Db
  /** Receives `citizens:received` and `citizens:changed`. */
  emit?: CitizensEmit
  /** The outbox's entry point for replies; without it `reply` is refused. */
  enqueueReply?: EnqueueReply
  now?: () => Date
}

export type CitizensService = ReturnType<typeof createCitizensService>

const MAX_EXTERNAL_ID = 512
const MAX_NAME = 500

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) throw invalid(toFieldIssues(result.error))
  return result.data
}

function isoOr(value: string | null | undefined, fallback: string): string {
  if (!value) return fallback
  const t = Date.parse(value)
  return Number.isNaN(t) ? fallback : new Date(t).toISOString()
}

const shortText = (value: string | null | undefined): string | null => {
  if (value === null || value === undefined) return null
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed.slice(0, MAX_NAME)
}

/**
 * The citizens' inbox: ingest from pollers, triage (state, assignee, category,
 * alert), search and paging for the panel, and replies handed to the outbox.
 * Every change is one transaction and one event naming all the ids it touched.
 */
export function createCitizensService(options: CitizensServiceOptions) {
  const repo = createCitizensRepository(options.db)
  const linkContact = createContactLinker(options.db)
  const now = options.now ?? (() => new Date())
  const emit: CitizensEmit = options.emit ?? (() => {})

  function prepare(m: IncomingCitizenMessage, fetchedAt: string): StoredMessageInput | undefined {
    const externalId = typeof m.externalId === 'string' ? m.externalId.trim() : ''
    if (externalId === '' || externalId.length > MAX_EXTERNAL_ID) return undefined
    if (!(CITIZEN_FAMILIES as readonly string[]).includes(m.family)) return undefined
    const bounded = boundText(typeof m.text === 'string' ? m.text : '')
    const suspicious = detectSuspicion(bounded.text)
    if (bounded.truncatedFrom !== undefined) suspicious.push('truncated')
    const flags: CitizenFlags = {
      ...(m.flags?.permalink ? { permalink: m.flags.permalink } : {}),
      ...(m.flags?.chatId ? { chatId: m.flags.chatId } : {}),
      ...(m.flags?.acct ? { acct: m.flags.acct } : {}),
      ...(bounded.truncatedFrom === undefined ? {} : { truncatedFrom: bounded.truncatedFrom }),
      ...(suspicious.length > 0 ? { suspicious } : {}),
    }
    const authorName = shortText(m.authorName)
    const authorHandle = shortText(m.authorHandle)
    return {
      family: m.family,
      accountId: m.accountId,
      externalId,
      threadId: shortText(m.threadId),
      inReplyTo: shortText(m.inReplyTo),
      authorName,
      authorHandle,
      authorContactId: m.authorContactId ?? linkContact(m.family, authorHandle),
      text: bounded.text,
      receivedAt: isoOr(m.receivedAt, fetchedAt),
      fetchedAt,
      alertId: m.alertId ?? null,
      flags,
      searchBody: searchableText(bounded.text),
      searchAuthor: searchableAuthor(authorName, authorHandle),
    }
  }

  function change(ids: number[], what: TriageChange, actor: string): number[] {
    const changed = repo.applyChange(ids, what, actor, now().toISOString())
    if (changed.length > 0) {
      const detail =
        what.action === 'state'
          ? { state: what.value }
          : what.action === 'assign'
            ? { assignedTo: what.value }
            : what.action === 'category'
              ? { category: what.value }
              : { alertId: what.value }
      emit('citizens:changed', { ids: changed, actor, ...detail })
    }
    return changed
  }

  return {
    /**
     * Stores new messages in one transaction, skipping those already known
     * (same family, account and provider id) and malformed ones. Texts are
     * bounded and flagged. Emits `citizens:received` with the new ones.
     */
    ingest(messages: readonly IncomingCitizenMessage[]): CitizenMessage[] {
      const fetchedAt = now().toISOString()
      const rows: StoredMessageInput[] = []
      for (const m of messages) {
        const row = prepare(m, fetchedAt)
        if (row) rows.push(row)
      }
      const fresh = repo.insertMany(rows)
      if (fresh.length > 0) emit('citizens:received', { messages: fresh })
      return fresh
    },

    /** A page of messages, newest first, with filters and word search. */
    page(query: CitizenPageQuery = {}): CitizenPage {
      const q = parse(citizenPageQuerySchema, query)
      const cursor = q.cursor ? decodeCitizenCursor(q.cursor) : undefined
      const match = q.query === undefined ? null : toMatchQuery(q.query)
      return repo.page({
        limit: q.limit,
        ...(cursor ? { cursor } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.family ? { family: q.family } : {}),
        ...(q.accountId ? { accountId: q.accountId } : {}),
        ...(q.assignedTo !== undefined ? { assignedTo: q.assignedTo } : {}),
        ...(q.category ? { category: q.category } : {}),
        ...(match ? { match } : {}),
      })
    },

    /** How many messages are in each triage state (optionally for one family). */
    counts(family?: CitizenFamily): CitizenStateCounts {
      return repo.counts(family)
    },

    /** One message with its triage history. */
    get(id: number): CitizenMessageDetail {
      const message = repo.get(id)
      if (!message) throw notFound(`citizen message ${id}`)
      return { ...message, history: repo.history(id) }
    },

    /** Moves messages to a triage state; returns the ids that changed. */
    setState(ids: number[], state: CitizenState, actor: string): number[] {
      const input = parse(citizenSetStateSchema, { ids, state, actor })
      return change(input.ids, { action: 'state', value: input.state }, input.actor)
    },

    /** Assigns messages to an operator (null: nobody); returns the ids that changed. */
    assign(ids: number[], operator: string | null, actor: string): number[] {
      const input = parse(citizenAssignSchema, { ids, operator, actor })
      return change(input.ids, { action: 'assign', value: input.operator }, input.actor)
    },

    /** Sets what messages are about (null: clears it); returns the ids that changed. */
    categorise(ids: number[], category: CitizenCategory | null, actor: string): number[] {
      const input = parse(citizenCategoriseSchema, { ids, category, actor })
      return change(input.ids, { action: 'category', value: input.category }, input.actor)
    },

    /** Records which alert messages react to (null: none); returns the ids that changed. */
    linkAlert(ids: number[], alertId: number | null, actor: string): number[] {
      const input = parse(citizenLinkAlertSchema, { ids, alertId, actor })
      if (input.alertId !== null && !repo.alertExists(input.alertId))
        throw notFound(`alert ${input.alertId}`)
      return change(input.ids, { action: 'alert', value: input.alertId }, input.actor)
    },

    /**
     * Answers a citizen on the channel the message came from: hands the reply
     * to the outbox, then marks the message `risposto` with the outbox row.
     * If the outbox refuses, the message is left as it was.
     */
    async reply(
      id: number,
      text: string,
      actor: string,
    ): Promise<{ message: CitizenMessage; outboxId: number }> {
      const input = parse(citizenReplySchema, { id, text, actor })
      if (!options.enqueueReply)
        throw new CoreError('unavailable', 'replies are not available here')
      const message = repo.get(input.id)
      if (!message) throw notFound(`citizen message ${input.id}`)
      if (message.accountId === null) {
        throw new CoreError(
          'conflict',
          'the channel account this message came from no longer exists',
        )
      }
      let route
      try {
        route = replyRoute(message, input.text)
      } catch (err) {
        if (err instanceof NoReplyRoute) throw new CoreError('conflict', err.message)
        throw err
      }
      const count = countFor(message.family, route.text)
      if (count.over) {
        throw invalid([
          {
            path: 'text',
            code: 'over_limit',
            params: { length: count.length, limit: count.limit ?? 0 },
          },
        ])
      }
      const digest = createHash('sha256').update(route.text).digest('hex').slice(0, 16)
      const { outboxId } = await options.enqueueReply({
        messageId: message.id,
        family: message.family,
        accountId: message.accountId,
        destination: route.destination,
        ...(route.inReplyTo === undefined ? {} : { inReplyTo: route.inReplyTo }),
        text: route.text,
        idempotencyKey: `citizen-reply:${message.id}:${digest}`,
      })
      const updated = repo.recordReply(message.id, outboxId, input.actor, now().toISOString())
      if (!updated) throw notFound(`citizen message ${input.id}`)
      emit('citizens:changed', {
        ids: [updated.id],
        actor: input.actor,
        state: 'risposto',
        replyOutboxId: outboxId,
      })
      return { message: updated, outboxId }
    },
  }
}
