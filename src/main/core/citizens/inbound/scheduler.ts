import { nextPollDelayMs, type BackoffPolicy } from '../../feeds/backoff'
import type { IncomingCitizenMessage } from '../types'
import type { InboundCursorStore } from './cursors-repository'
import { InboundError, type InboundErrorCode } from './errors'
import type { InboundPoller } from './types'

/** What one poll of one account did. */
export interface InboundPollReport {
  accountId: number
  outcome: 'ok' | 'error' | 'aborted'
  /** Messages the provider returned. */
  fetched: number
  /** Of those, the ones the inbox did not have yet. */
  received: number
  error?: { code: InboundErrorCode; message: string }
  /** When this account is polled next (null after an aborted poll). */
  nextPollAt: string | null
}

export interface InboundSchedulerOptions {
  /** The channel accounts to poll. */
  sources: readonly number[]
  /** The poller of each account (a map, or a lookup building them on demand). */
  pollers: ReadonlyMap<number, InboundPoller> | ((accountId: number) => InboundPoller | undefined)
  /** Where cursors and poll health are kept (see `createInboundCursorsRepository`). */
  store: InboundCursorStore
  /** Time between polls of one account when all is well (default 60 s). */
  intervalMs?: number
  /**
   * Receives each poll's messages, before the cursor moves on: usually the
   * inbox's `ingest`. Returning the new ones lets reports count them; a throw
   * fails the poll and the same messages are fetched again.
   */
  onMessages(messages: IncomingCitizenMessage[], accountId: number): unknown
  /** Every failed poll (already recorded on the account), and the scheduler's own failures. */
  onError?(error: unknown, accountId?: number): void
  /** Every finished poll, for the room's channel-health view. */
  onPolled?(report: InboundPollReport): void
  backoff?: BackoffPolicy
  now?: () => Date
  random?: () => number
}

export interface InboundScheduler {
  /** Polls each account when due (now, or when its persisted backoff ends), then at its interval. */
  start(): void
  /** Stops scheduling, cancels requests in flight and waits for them to settle. */
  stop(): Promise<void>
  /** Polls one account now (one poll at a time per account). */
  pollNow(accountId: number): Promise<InboundPollReport>
  isRunning(): boolean
}

const DEFAULT_INTERVAL_MS = 60_000
/** setTimeout's ceiling; longer provider waits (X's daily reset) are re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1

function toInboundError(err: unknown): InboundError {
  if (err instanceof InboundError) return err
  // Not a provider answer: a bug or a closed database. Its message carries no secret
  // (pollers redact theirs), but it is kept short.
  const message = err instanceof Error ? err.message : String(err)
  return new InboundError('internal', `Errore interno nella lettura: ${message.slice(0, 200)}`)
}

/**
 * Polls every source account at its interval, each on its own timer, with
 * exponential backoff and jitter after errors (the provider's Retry-After or
 * rate-limit reset wins when longer). Cursors, error streaks and the next poll
 * time are persisted, so a restart neither re-reads everything nor hammers a
 * provider that asked to wait. One failing account never delays the others.
 */
export function createInboundPoller(options: InboundSchedulerOptions): InboundScheduler {
  const intervalS = (options.intervalMs ?? DEFAULT_INTERVAL_MS) / 1000
  const now = options.now ?? (() => new Date())
  const random = options.random ?? Math.random
  const lookup =
    typeof options.pollers === 'function'
      ? options.pollers
      : (id: number) => (options.pollers as ReadonlyMap<number, InboundPoller>).get(id)
  const timers = new Map<number, ReturnType<typeof setTimeout>>()
  const inFlight = new Map<number, Promise<InboundPollReport>>()
  let controller = new AbortController()
  let running = false

  function reportError(err: unknown, accountId?: number): void {
    try {
      options.onError?.(err, accountId)
    } catch {
      // A broken listener must not stop polling.
    }
  }

  async function run(
    accountId: number,
    signal: AbortSignal,
  ): Promise<InboundPollReport & { delayMs: number }> {
    const state = options.store.get(accountId)
    try {
      const poller = lookup(accountId)
      if (!poller)
        throw new InboundError('config', `Nessun lettore dei messaggi per l'account ${accountId}`)
      const result = await poller.poll(state?.cursor ?? null, signal)
      const fresh = options.onMessages(result.messages, accountId)
      const at = now()
      const delayMs = nextPollDelayMs(intervalS, 0)
      const nextPollAt = new Date(at.getTime() + delayMs).toISOString()
      options.store.recordSuccess(accountId, result.nextCursor, at.toISOString(), nextPollAt)
      return {
        accountId,
        outcome: 'ok',
        fetched: result.messages.length,
        received: Array.isArray(fresh) ? fresh.length : result.messages.length,
        nextPollAt,
        delayMs,
      }
    } catch (err) {
      const error = toInboundError(err)
      if (signal.aborted) {
        return {
          accountId,
          outcome: 'aborted',
          fetched: 0,
          received: 0,
          nextPollAt: null,
          delayMs: 0,
        }
      }
      const at = now()
      const delayMs = nextPollDelayMs(
        intervalS,
        (state?.errorCount ?? 0) + 1,
        options.backoff,
        random,
        error.retryAfterMs,
      )
      const nextPollAt = new Date(at.getTime() + delayMs).toISOString()
      options.store.recordFailure(accountId, {
        at: at.toISOString(),
        code: error.code,
        message: error.message,
        nextPollAt,
      })
      reportError(error, accountId)
      return {
        accountId,
        outcome: 'error',
        fetched: 0,
        received: 0,
        error: { code: error.code, message: error.message },
        nextPollAt,
        delayMs,
      }
    }
  }

  function schedule(accountId: number, delayMs: number): void {
    const existing = timers.get(accountId)
    if (existing !== undefined) clearTimeout(existing)
    const timer = setTimeout(
      () => {
        timers.delete(accountId)
        if (running) launch(accountId).catch((err: unknown) => reportError(err, accountId))
      },
      Math.min(Math.max(0, delayMs), MAX_TIMER_MS),
    )
    timers.set(accountId, timer)
  }

  function launch(accountId: number): Promise<InboundPollReport> {
    const existing = inFlight.get(accountId)
    if (existing) return existing
    const promise = run(accountId, controller.signal)
      .then(({ delayMs, ...report }) => {
        try {
          options.onPolled?.(report)
        } catch (err) {
          reportError(err, accountId)
        }
        if (running && report.outcome !== 'aborted') schedule(accountId, delayMs)
        return report
      })
      .finally(() => inFlight.delete(accountId))
    inFlight.set(accountId, promise)
    return promise
  }

  return {
    start() {
      if (running) return
      running = true
      const at = now().getTime()
      for (const accountId of options.sources) {
        let delay = 0
        try {
          const due = options.store.get(accountId)?.nextPollAt
          delay = due ? Math.max(0, Date.parse(due) - at) : 0
        } catch (err) {
          reportError(err, accountId)
        }
        schedule(accountId, Number.isNaN(delay) ? 0 : delay)
      }
    },
    async stop() {
      running = false
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      controller.abort()
      await Promise.allSettled([...inFlight.values()])
      controller = new AbortController()
    },
    pollNow(accountId) {
      return launch(accountId)
    },
    isRunning() {
      return running
    },
  }
}
