import { nextPollDelayMs, type BackoffPolicy } from './backoff'
import { toFeedError, type FeedErrorCode } from './errors'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_MS } from './http/fetch-feed'
import type { OurBulletinAlert } from './ingest'
import { pollSource } from './poll-source'
import type { FeedsRepository } from './repository'
import type { FeedSource } from './types'
import type { OurComune } from './dpc/our-levels'

/** What one poll of one source did. */
export interface PollReport {
  sourceId: number
  sourceName: string
  outcome: 'ok' | 'not_modified' | 'error' | 'aborted'
  inserted: number
  updated: number
  /** Index entries left for the next poll (detail download budget spent). */
  deferred: number
  alerts: OurBulletinAlert[]
  error?: { code: FeedErrorCode; message: string }
  nextPollAt: string | null
}

export interface FeedPollerOptions {
  repo: FeedsRepository
  /** Polls running at once, across sources (default 2). */
  concurrency?: number
  /** Per request: total time budget (default 30 s), size cap (default 5 MiB), redirects (default 5). */
  timeoutMs?: number
  maxBytes?: number
  maxRedirects?: number
  /** Detail CAP downloads per poll of an Atom index (default 30). */
  maxDetailFetches?: number
  /** Our comuni and their alert zones: which areas of a per-zone bulletin are ours. */
  ourComuni?: () => readonly OurComune[]
  /** GitHub's hosts, for DPC sources read from the DPC's repositories (tests use loopback). */
  github?: { api: string; raw: string }
  backoff?: BackoffPolicy
  fetch?: typeof fetch
  userAgent?: string
  now?: () => Date
  random?: () => number
  /** A poll starts (the UI shows the source "in lettura" until `onPolled`). */
  onPollStart?: (sourceId: number) => void
  /** Every finished poll (for the UI's source-health view and events). */
  onPolled?: (report: PollReport) => void
  /** New or upgraded bulletins for our zones: raise a notification, offer a draft. */
  onAlerts?: (alerts: OurBulletinAlert[], source: FeedSource) => void
  /** Unexpected failures of the scheduler itself (e.g. the database closed under it). */
  onError?: (err: unknown) => void
}

export interface FeedPoller {
  /** Polls due sources now and keeps polling each at its interval until `stop()`. */
  start(): void
  /** Stops scheduling, cancels running requests and waits for them to settle. */
  stop(): Promise<void>
  /** Polls one source now (even if disabled or not due), sharing the concurrency limit. */
  pollOnce(sourceId: number): Promise<PollReport>
  isRunning(): boolean
}

const MIN_TICK_MS = 250
const MAX_TICK_MS = 60_000

/**
 * Polls every enabled source at its own interval, with backoff on error, a concurrency limit,
 * and each source's last success / last error / next poll recorded. One failing source never
 * stops the others: every failure is caught and recorded on its own source.
 */
export function createFeedPoller(options: FeedPollerOptions): FeedPoller {
  const { repo } = options
  const concurrency = Math.max(1, options.concurrency ?? 2)
  const now = options.now ?? (() => new Date())
  const random = options.random ?? Math.random
  const inFlight = new Map<number, Promise<PollReport>>()
  const waiting: (() => void)[] = []
  let active = 0
  let running = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let controller = new AbortController()

  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    while (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await work()
    } finally {
      active--
      waiting.shift()?.()
    }
  }

  function notify(report: PollReport, source: FeedSource): void {
    try {
      options.onPolled?.(report)
      if (report.alerts.length > 0) options.onAlerts?.(report.alerts, source)
    } catch (err) {
      options.onError?.(err)
    }
  }

  async function run(sourceId: number, signal: AbortSignal): Promise<PollReport> {
    const source = repo.getSource(sourceId)
    if (!source) throw new Error(`fonte ${sourceId} inesistente`)
    const base = {
      sourceId,
      sourceName: source.name,
      inserted: 0,
      updated: 0,
      deferred: 0,
      alerts: [],
    }
    try {
      options.onPollStart?.(sourceId)
    } catch (err) {
      options.onError?.(err)
    }
    try {
      const outcome = await pollSource(source, {
        repo,
        now,
        maxDetailFetches: options.maxDetailFetches,
        ours: options.ourComuni?.() ?? [],
        ...(options.github ? { github: options.github } : {}),
        fetchOptions: {
          signal,
          fetch: options.fetch,
          userAgent: options.userAgent,
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
          maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
        },
      })
      const at = now()
      const nextPollAt = new Date(at.getTime() + nextPollDelayMs(source.intervalS, 0)).toISOString()
      repo.recordPollSuccess(sourceId, {
        at: at.toISOString(),
        nextPollAt,
        validators: outcome.status === 'ok' ? (outcome.validators ?? undefined) : undefined,
      })
      const report: PollReport =
        outcome.status === 'ok'
          ? {
              ...base,
              outcome: 'ok',
              inserted: outcome.inserted,
              updated: outcome.updated,
              deferred: outcome.deferred,
              alerts: outcome.alerts,
              nextPollAt,
            }
          : { ...base, outcome: 'not_modified', nextPollAt }
      notify(report, source)
      return report
    } catch (err) {
      const error = toFeedError(err)
      if (signal.aborted && error.code === 'aborted') {
        return {
          ...base,
          outcome: 'aborted',
          error: { code: error.code, message: error.message },
          nextPollAt: source.nextPollAt,
        }
      }
      const at = now()
      const delay = nextPollDelayMs(
        source.intervalS,
        source.errorCount + 1,
        options.backoff,
        random,
        error.extra.retryAfterMs,
      )
      const nextPollAt = new Date(at.getTime() + delay).toISOString()
      repo.recordPollFailure(sourceId, {
        at: at.toISOString(),
        nextPollAt,
        code: error.code,
        message: error.message,
      })
      const report: PollReport = {
        ...base,
        outcome: 'error',
        error: { code: error.code, message: error.message },
        nextPollAt,
      }
      notify(report, source)
      return report
    }
  }

  function launch(sourceId: number): Promise<PollReport> {
    const existing = inFlight.get(sourceId)
    if (existing) return existing
    const signal = controller.signal
    const promise = withSlot(() => run(sourceId, signal)).finally(() => {
      inFlight.delete(sourceId)
      if (running) schedule(0)
    })
    inFlight.set(sourceId, promise)
    return promise
  }

  function schedule(delayMs: number): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(tick, delayMs)
  }

  function tick(): void {
    timer = undefined
    if (!running) return
    let delay = MAX_TICK_MS
    try {
      const free = concurrency - active
      if (free > 0) {
        const due = repo.dueSources(now(), free + inFlight.size).filter((s) => !inFlight.has(s.id))
        // Failures are recorded inside run(); a rejection here is the scheduler's own problem.
        for (const source of due.slice(0, free))
          launch(source.id).catch((err) => options.onError?.(err))
      }
      const at = repo.nextDueAt()
      if (at !== null) delay = at === '' ? 0 : Date.parse(at) - now().getTime()
    } catch (err) {
      options.onError?.(err)
    }
    schedule(Math.min(Math.max(delay, MIN_TICK_MS), MAX_TICK_MS))
  }

  return {
    start() {
      if (running) return
      running = true
      schedule(0)
    },
    async stop() {
      running = false
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      controller.abort()
      await Promise.allSettled([...inFlight.values()])
      controller = new AbortController()
    },
    pollOnce(sourceId) {
      return launch(sourceId)
    },
    isRunning() {
      return running
    },
  }
}
