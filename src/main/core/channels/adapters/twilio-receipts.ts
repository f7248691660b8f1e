import type { DeliveryStatus } from '../adapter'
import type { HttpResult } from './http'
import { parseRetryAfter } from './http'
import { isFinalReceipt, type ReceiptBatching, type ReceiptObservation } from './limits'

/**
 * Twilio delivery receipts read in bulk. Polling one message is one
 * `GET …/Messages/{Sid}.json`; Twilio also lists the account's messages,
 * newest first, filtered by the day they were sent
 * (`GET …/Messages.json?DateSent>=…&PageSize=1000`, then `next_page_uri`), so
 * one request can show the status of a thousand messages.
 *
 * The dispatcher still asks about one row at a time (each poll a token and a
 * slot of the account). Polls asked at the same moment form one batch, which
 * makes at most one request per poll: list pages while many messages wait
 * for a receipt, stopping as soon as every message asked about has been seen;
 * a direct GET for a lone message, or for one a complete pass over the list
 * did not show (still queued, with no send date yet). Every status a page
 * shows is remembered (`observed`), so the dispatcher settles the other rows
 * without asking again. A 429 pauses receipts only, for as long as Twilio
 * says; sending goes on.
 */

export interface TwilioReceiptsDeps {
  /** GETs a path below the account (`/Messages.json?…`), with auth; never throws. */
  get(path: string, signal?: AbortSignal): Promise<HttpResult>
  /** The account's own path prefix, e.g. `/2010-04-01/Accounts/AC…`. */
  accountPath: string
  /** The sender, when it is a phone number: lists only what it sent. */
  fromNumber?: string
  mapStatus(body: unknown): DeliveryStatus
  now(): number
}

/** Messages per list page: Twilio's maximum. */
export const LIST_PAGE_SIZE = 1000
/** Messages awaiting a receipt from which one list page beats a direct GET for one of them. */
const LIST_WORTH = 5
/** How long receipts wait after a 429 that gave no Retry-After. */
const DEFAULT_PAUSE_MS = 60_000
/** Messages remembered (statuses read, messages awaiting one): bounded, oldest forgotten first. */
const MEMORY = 50_000
/** Receipts are not polled past this age (as the dispatcher's policy): forget older messages. */
const MAX_AGE_MS = 48 * 3_600_000

interface Waiter {
  sid: string
  resolve(status: DeliveryStatus): void
  signal: AbortSignal | undefined
}

/** A pass over the list, newest first, from the first page to the last. */
interface Sweep {
  /** Path of the next page to read. */
  next: string
  /** The day filter it was started with (YYYY-MM-DD, UTC). */
  day: string
  startedAt: number
  seen: Set<string>
}

const UNKNOWN: DeliveryStatus = { status: 'unknown' }

/** Sets a key as the newest of a bounded map. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > MEMORY) {
    const oldest = map.keys().next()
    if (!oldest.done) map.delete(oldest.value)
  }
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export interface TwilioReceipts extends ReceiptBatching {
  /** Queues a poll of one message; polls asked together share requests. */
  fetchStatus(sid: string, signal?: AbortSignal): Promise<DeliveryStatus>
  /** A message just accepted by Twilio: it will be asked about. */
  sent(sid: string, at: number): void
}

export function createTwilioReceipts(deps: TwilioReceiptsDeps): TwilioReceipts {
  /** Latest status read per message. */
  const observations = new Map<string, ReceiptObservation>()
  /** Messages awaiting a final receipt, with when they were sent. */
  const outstanding = new Map<string, number>()
  /** Messages a complete pass over the list did not show: asked about one by one. */
  const unlisted = new Set<string>()
  let sweep: Sweep | null = null
  let pausedUntil = 0
  let waiting: Waiter[] = []
  let running = false
  let scheduled = false
  const listPrefix = `${deps.accountPath}/Messages.json?`

  function observe(sid: string, status: DeliveryStatus, at: number): void {
    remember(observations, sid, { status, at })
    if (isFinalReceipt(status)) {
      outstanding.delete(sid)
      unlisted.delete(sid)
    }
  }

  let lastForget = -Infinity
  /** Drops messages too old to be polled any more (once a minute: it reads them all). */
  function forgetOld(now: number): void {
    if (now - lastForget < 60_000) return
    lastForget = now
    for (const [sid, sentAt] of outstanding) {
      if (now - sentAt < MAX_AGE_MS) continue
      outstanding.delete(sid)
      unlisted.delete(sid)
    }
  }

  function firstPage(day: string): string {
    const query = new URLSearchParams()
    if (deps.fromNumber) query.set('From', deps.fromNumber)
    // Twilio filters by the GMT day; the time part is what its own libraries send.
    query.set('DateSent>', `${day}T00:00:00Z`)
    query.set('PageSize', String(LIST_PAGE_SIZE))
    return `/Messages.json?${query.toString()}`
  }

  /** The next page Twilio points to, only if it is this account's list (auth goes with it). */
  function nextPage(body: unknown): string | null {
    const uri = (body as { next_page_uri?: unknown } | null)?.next_page_uri
    if (typeof uri !== 'string' || !uri.startsWith(listPrefix)) return null
    return uri.slice(deps.accountPath.length)
  }

  /** The day the oldest of the messages asked about was sent. */
  function oldestDay(asked: Iterable<string>, now: number): string {
    let oldest = now
    for (const sid of asked) oldest = Math.min(oldest, outstanding.get(sid) ?? now - MAX_AGE_MS)
    return utcDay(oldest)
  }

  function pause(res: Extract<HttpResult, { type: 'response' }>, now: number): void {
    const wait = parseRetryAfter(res.headers.get('retry-after'), now) ?? DEFAULT_PAUSE_MS
    pausedUntil = Math.max(pausedUntil, now + wait)
  }

  /**
   * Reads one list page: `more` when the pass goes on, `end` when it has read
   * the last page, `stop` when it cannot go on now (throttled, failed).
   */
  async function readPage(
    day: string,
    answer: (sid: string, status: DeliveryStatus) => void,
    signal: AbortSignal | undefined,
  ): Promise<'more' | 'end' | 'stop'> {
    const now = deps.now()
    if (!sweep || sweep.day > day) {
      sweep = { next: firstPage(day), day, startedAt: now, seen: new Set() }
    }
    const current = sweep
    const res = await deps.get(current.next, signal)
    if (res.type !== 'response') return 'stop'
    if (res.status === 429) {
      pause(res, deps.now())
      return 'stop'
    }
    const messages = (res.json as { messages?: unknown } | null)?.messages
    if (res.status !== 200 || !Array.isArray(messages)) {
      // Start over next time: a page we could not read must not be skipped.
      sweep = null
      return 'stop'
    }
    const at = deps.now()
    for (const m of messages) {
      const sid = (m as { sid?: unknown } | null)?.sid
      if (typeof sid !== 'string') continue
      current.seen.add(sid)
      unlisted.delete(sid)
      const status = deps.mapStatus(m)
      observe(sid, status, at)
      answer(sid, status)
    }
    const next = nextPage(res.json)
    if (next) {
      current.next = next
      return 'more'
    }
    // The whole list was read: what it did not show (sent before the pass began) has no send date yet.
    for (const [sid, sentAt] of outstanding)
      if (sentAt < current.startedAt && !current.seen.has(sid)) unlisted.add(sid)
    sweep = null
    return 'end'
  }

  async function readOne(sid: string, signal: AbortSignal | undefined): Promise<DeliveryStatus> {
    const res = await deps.get(`/Messages/${encodeURIComponent(sid)}.json`, signal)
    if (res.type !== 'response') return UNKNOWN
    if (res.status === 429) {
      pause(res, deps.now())
      return UNKNOWN
    }
    if (res.status !== 200) return UNKNOWN
    const status = deps.mapStatus(res.json)
    observe(sid, status, deps.now())
    return status
  }

  async function settle(batch: Waiter[]): Promise<void> {
    const wanted = new Map<string, Waiter[]>()
    for (const w of batch) wanted.set(w.sid, [...(wanted.get(w.sid) ?? []), w])
    const answer = (sid: string, status: DeliveryStatus) => {
      const ws = wanted.get(sid)
      if (!ws) return
      wanted.delete(sid)
      for (const w of ws) w.resolve(status)
    }
    const signals = batch.flatMap((w) => (w.signal ? [w.signal] : []))
    const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined
    const now = deps.now()
    forgetOld(now)
    // A final status already read (on a page another poll fetched) needs no request.
    for (const sid of [...wanted.keys()]) {
      const seen = observations.get(sid)
      if (seen && isFinalReceipt(seen.status)) answer(sid, seen.status)
    }
    // One request per poll the dispatcher paid for, at most.
    let budget = batch.length
    const allowed = () => budget > 0 && deps.now() >= pausedUntil && !signal?.aborted
    const day = oldestDay(wanted.keys(), now)
    const listable = () => [...wanted.keys()].some((sid) => !unlisted.has(sid))
    // A list page is worth it when it can answer for several messages; a lone one is asked directly.
    if (wanted.size > 1 || outstanding.size >= LIST_WORTH) {
      // A pass resumed half-way may end before the newest pages: then one fresh pass from the top.
      let passes = sweep ? 2 : 1
      while (listable() && allowed()) {
        budget--
        const read = await readPage(day, answer, signal)
        if (read === 'stop' || (read === 'end' && --passes === 0)) break
      }
    }
    for (const sid of [...wanted.keys()]) {
      if (!allowed()) break
      budget--
      answer(sid, await readOne(sid, signal))
    }
    for (const sid of [...wanted.keys()]) answer(sid, UNKNOWN)
  }

  function schedule(): void {
    if (running || scheduled || waiting.length === 0) return
    scheduled = true
    // Polls launched together (one dispatcher pass) form one batch.
    setImmediate(() => {
      scheduled = false
      const batch = waiting
      waiting = []
      running = true
      settle(batch)
        .catch(() => {
          for (const w of batch) w.resolve(UNKNOWN)
        })
        .finally(() => {
          running = false
          schedule()
        })
    })
  }

  return {
    fetchStatus(sid, signal) {
      if (signal?.aborted) return Promise.resolve(UNKNOWN)
      if (!outstanding.has(sid) && !isFinalObservation(observations.get(sid)))
        remember(outstanding, sid, deps.now() - MAX_AGE_MS / 2)
      return new Promise((resolve) => {
        waiting.push({ sid, resolve, signal })
        schedule()
      })
    },
    sent(sid, at) {
      remember(outstanding, sid, at)
    },
    observed: (sid) => observations.get(sid),
    pausedUntil: () => pausedUntil,
    expect(sid, sentAt) {
      if (isFinalObservation(observations.get(sid))) return
      const known = outstanding.get(sid)
      if (known === undefined || sentAt < known) remember(outstanding, sid, sentAt)
    },
  }
}

function isFinalObservation(o: ReceiptObservation | undefined): boolean {
  return o !== undefined && isFinalReceipt(o.status)
}
