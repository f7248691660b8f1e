import { estimateSpokenSeconds } from '../../../shared/text/spoken-it'
import { callContextOf } from './call-receipts'
import { createCallStatusWatch } from './call-status-watch'
import { nightWait } from './night-calls'
import type { AlertLevel } from '../../../shared/templates/alert-kinds'
import { createAlertsRepository, type AlertsRepository } from '../alerts/alerts-repository'
import { safeEmit } from '../alerts/events'
import type { AlertChange } from '../alerts/types'
import type { AuditLog } from '../audit/audit-log'
import type { ChannelAdapter } from '../channels/adapter'
import { mapWarning } from '../channels/adapters/media'
import {
  createChannelAccountsRepository,
  type ChannelAccountsRepository,
} from '../channels/accounts-repository'
import type { Db } from '../db/open'
import { createAccountLane, type AccountLane } from './account-lane'
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff'
import {
  emptySummary,
  runPass,
  type LaneOrFailure,
  type PassContext,
  type PassResult,
  type TickSummary,
} from './dispatch-pass'
import { createMessageBuilder, MessageBuildError, type MapImageSource } from './message-builder'
import {
  createOutboxRepository,
  type OutboxRepository,
  type ReceiptDue,
  type ReceiptUpdate,
} from './outbox-repository'
import {
  DEFAULT_RECEIPTS,
  DEFAULT_RETRY_BUDGET_MS,
  receiptUpdate,
  resultOf,
  retryDeadline,
  thrownOutcome,
  type ReceiptPolicy,
} from './outcome'
import type { ClaimedRow, RowChange, SendResult } from './types'

export type { TickSummary } from './dispatch-pass'

/** The repositories the dispatcher reads and writes through. */
export interface DispatcherRepositories {
  outbox: OutboxRepository
  alerts: AlertsRepository
  accounts: ChannelAccountsRepository
}

export interface DispatcherOptions {
  db: Db
  /**
   * Built by the composition root (app.ts); one left out is built here on
   * `db`, which is how tests construct a dispatcher on its own.
   */
  repositories?: Partial<DispatcherRepositories>
  /**
   * The adapter of a channel account (real, or a simulated twin in a drill).
   * Called once per account and kept until `invalidate` or `stop`, which
   * close it. May throw (account disabled or deleted, secret unreadable,
   * keychain locked): the account's lane then pauses with the error's message
   * as its visible reason, and building is tried again a little later; its
   * rows wait (and fail only once their retry budget is spent).
   */
  adapterFor(accountId: number): ChannelAdapter
  /**
   * Draws an alert version's map card for its posts (app.ts: in a worker thread).
   * None: posts carry no map.
   */
  mapImage?: MapImageSource
  /** Epoch ms; injectable so tests move time by hand. */
  now?: () => number
  /** Draws in [0, 1) for the backoff jitter. */
  random?: () => number
  /** How long a claimed row is ours; longer than any adapter's request deadline. Default 120 s. */
  leaseMs?: number
  /** A ceiling on attempts (tests). Default none: the retry budget is a time. */
  maxAttempts?: number
  /**
   * How long an account's rows keep being retried after they were written,
   * unless their alert is valid for longer. Default 6 hours. Read once per
   * account and kept until `invalidate` (its settings changed).
   */
  retryBudgetFor?(accountId: number): number | undefined
  /** How soon an adapter that could not be built is tried again. Default 15 s. */
  laneRetryMs?: number
  backoff?: Partial<BackoffPolicy>
  receipts?: Partial<ReceiptPolicy & { firstPollMs: number }>
  /** Period of the `start()` loop's own look at the queue. Default 200 ms. */
  pollIntervalMs?: number
  /** Period of expired-lease recovery (it also runs at the first tick and at start). Default 30 s. */
  recoveryIntervalMs?: number
  /** Rows that changed state, batched (one call per pass). */
  onChange?(changes: RowChange[]): void
  onAlertChange?(change: AlertChange): void
  /** Where recoveries after a crash are journaled. */
  audit?: AuditLog
  /** Name the dispatcher signs the journal with. Default `dispatcher`. */
  actor?: string
  /**
   * The latest outcome per account after each pass: lets the channels area keep
   * the account's health (last success, last error) without a write per message.
   */
  onAccountResult?(
    accountId: number,
    result: { ok: true } | { ok: false; code: string; reason: string },
  ): void
  /** A database write failed (the results stay in memory and are retried at the next pass). */
  onError?(error: unknown): void
  /**
   * The loop stopped making progress (`reason`), or made progress again (null):
   * the room shows "invio fermo: motivo" until it clears. Called on changes only.
   */
  onStall?(reason: string | null): void
  /**
   * A voice account's call states have not been readable for minutes (`reason`),
   * or are readable again (null): the room shows it while it lasts. Changes only.
   */
  onCallStatusBlind?(accountId: number, reason: string | null): void
}

export interface Dispatcher {
  /** Recovers expired leases, then keeps sending until `stop()`. */
  start(): void
  /** Stops claiming; waits for requests in flight (or aborts them) and writes their results. */
  stop(options?: { abort?: boolean }): Promise<void>
  /**
   * One deterministic pass, for tests and the CLI: recover leases when due,
   * claim what the buckets allow, send, poll due receipts, wait for all of it
   * and write the results.
   */
  tick(): Promise<TickSummary>
  /** Look at the queue now (rows were just confirmed, queued or requeued). */
  wake(): void
  /** Drops (and closes) the adapter of one account, or of all: settings changed. */
  invalidate(accountId?: number): void
  /**
   * The alert was stopped or cancelled: rows claimed for it that have not
   * left are given back (cancelled). Sends already check the alert first; this
   * frees their slots at once.
   */
  forgetAlert(alertId: number): void
  /** Rate-limit headroom of the accounts that have sent since start: what the room shows. */
  headroom(): AccountHeadroom[]
  readonly running: boolean
}

export interface AccountHeadroom {
  accountId: number
  /** Messages that may leave now (whole tokens), of `burst`. */
  tokens: number
  burst: number
  ratePerSecond: number
  inFlight: number
  concurrency: number
  /** Claimed rows waiting for a slot. */
  waiting: number
  /** The provider asked to wait (Retry-After): nothing leaves before this (epoch ms). */
  pausedUntil: number | null
  /** The account cannot send now (its adapter could not be built): why, for the operator. */
  unavailable?: string
}

/** How long results may wait to share a commit while claimed rows keep every slot busy. */
const FLUSH_DELAY_MS = 10

/** Longest wait between two tries of a pass that keeps failing (a full disk, a locked file). */
const STALL_BACKOFF_CAP_MS = 5_000

/** The operator's words for a pass that failed, without the database's internals. */
function stallReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  const detail = err instanceof Error ? err.message : String(err)
  if (code === 'SQLITE_FULL') return 'disco pieno: il database non può registrare gli invii'
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_READONLY_DBMOVED')
    return 'database in sola lettura: gli invii non possono essere registrati'
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return 'database occupato da un altro processo'
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))
    return `errore di scrittura sul disco (${code})`
  return `errore interno: ${detail.slice(0, 200)}`
}

/**
 * The outbox dispatcher: leases due rows per channel account within its token
 * bucket and concurrency, sends them through the account's adapter, writes
 * results (retry with backoff, failure with the provider's reason), recovers
 * expired leases after a crash, polls delivery receipts, and closes alerts
 * whose rows are all final. Replies to citizens (rows of no alert) go through
 * the same lanes, buckets, retries and recovery; only the alert bookkeeping
 * is skipped for them. Pure Node: no Electron, timers only in `start()`.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db } = options
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const leaseMs = options.leaseMs ?? 120_000
  const maxAttempts =
    options.maxAttempts === undefined ? undefined : Math.max(1, options.maxAttempts)
  const laneRetryMs = options.laneRetryMs ?? 15_000
  /** Each account's retry budget, read once (it is needed before every send) and kept until `invalidate`. */
  const budgets = new Map<number, number>()
  const budgetFor = (accountId: number): number => {
    let budget = budgets.get(accountId)
    if (budget === undefined) {
      budget = options.retryBudgetFor?.(accountId) ?? DEFAULT_RETRY_BUDGET_MS
      budgets.set(accountId, budget)
    }
    return budget
  }
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff }
  const receipts = { ...DEFAULT_RECEIPTS, ...options.receipts }
  const pollIntervalMs = options.pollIntervalMs ?? 200
  /** A listener that throws is reported like any other error of the loop. */
  const reportListener = (err: unknown) => options.onError?.(err)
  const recoveryIntervalMs = options.recoveryIntervalMs ?? 30_000

  const outbox = options.repositories?.outbox ?? createOutboxRepository(db)
  const alerts = options.repositories?.alerts ?? createAlertsRepository(db)
  const builder = createMessageBuilder({
    alerts,
    accounts: options.repositories?.accounts ?? createChannelAccountsRepository(db),
    outbox,
    ...(options.mapImage ? { mapImage: options.mapImage } : {}),
  })

  const lanes = new Map<number, AccountLane>()
  let tokenTimer: NodeJS.Timeout | undefined
  /** Accounts whose adapter could not be built: why, and when to try again. */
  const unavailable = new Map<number, { code: string; error: string; retryAt: number }>()
  /** Lanes that just became unavailable: their health is recorded after the pass. */
  const unavailableNotices: { accountId: number; code: string; error: string }[] = []
  /** The pass keeps failing: why, how many times, and not before when to try again. */
  let stall: { reason: string; failures: number; retryAt: number } | null = null
  /** Lanes dropped by `invalidate` while requests were in flight: closed once idle. */
  const retiring = new Set<AccountLane>()
  /** Rows claimed by this process whose result is not written yet: recovery leaves them alone. */
  const ours = new Set<number>()
  const receiptsInFlight = new Set<number>()
  const callWatch = createCallStatusWatch({
    now,
    onBlind: (accountId, reason) =>
      safeEmit((r: string | null) => options.onCallStatusBlind?.(accountId, r), reason),
  })
  const pendingResults: { row: ClaimedRow; result: SendResult }[] = []
  const pendingReceipts: { due: ReceiptDue; update: ReceiptUpdate }[] = []
  const pendingReleases: { row: ClaimedRow; nextAttemptAt: number }[] = []
  const work = new Set<Promise<void>>()
  let summary = emptySummary()
  let lastRecovery = -Infinity
  let running = false
  let ticking = false
  let pumping = false
  let pumpQueued = false
  /** Accounts with work, re-read on sweeps and when woken (reading them on every pass costs). */
  let accounts: number[] = []
  let accountsStale = true
  let timer: NodeJS.Timeout | undefined
  let flushTimer: NodeJS.Timeout | undefined
  let abort = new AbortController()

  function laneFor(accountId: number): LaneOrFailure {
    const existing = lanes.get(accountId)
    if (existing) return existing
    const t = now()
    const known = unavailable.get(accountId)
    if (known && t < known.retryAt) return known
    try {
      const lane = createAccountLane(accountId, options.adapterFor(accountId), t)
      lanes.set(accountId, lane)
      unavailable.delete(accountId)
      return lane
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const failure = {
        code: 'account_unavailable',
        error: `Canale in pausa, non utilizzabile: ${message}`,
        retryAt: t + laneRetryMs,
      }
      if (known?.error !== failure.error) unavailableNotices.push({ accountId, ...failure })
      unavailable.set(accountId, failure)
      return failure
    }
  }

  /** Each alert's spoken message length, read once: an alert's texts are frozen once confirmed. */
  const spokenSeconds = new Map<number, number | null>()
  const expectedCallSeconds = (alertId: number | null): number | null => {
    if (alertId === null) return null
    let seconds = spokenSeconds.get(alertId)
    if (seconds === undefined) {
      // A recording plays for its own length; a text, for the time it takes to say it.
      const recorded = alerts.recording(alertId)?.seconds
      const voice = alerts.get(alertId)?.texts.voice ?? ''
      seconds = recorded ?? (voice.trim() === '' ? null : estimateSpokenSeconds(voice))
      spokenSeconds.set(alertId, seconds)
    }
    return seconds
  }

  const context: PassContext = {
    db,
    outbox,
    alerts,
    laneFor,
    ours,
    receiptsInFlight,
    sendingAlerts: new Set(),
    leaseMs,
    receipts,
    retryBudgetFor: budgetFor,
    expectedCallSeconds,
    ...(options.audit ? { audit: options.audit } : {}),
    actor: options.actor ?? 'dispatcher',
  }

  function track(p: Promise<void>): void {
    work.add(p)
    void p.finally(() => work.delete(p))
  }

  function schedulePump(): void {
    if (!running || pumpQueued) return
    pumpQueued = true
    setImmediate(() => {
      pumpQueued = false
      // Stopped meanwhile: stop() wrote the last results itself, and the database may be closed.
      if (running) pump(false)
    })
  }

  /**
   * A lane that spent its last token claims again the moment the next token
   * comes, not at the next poll: behind a 1 msg/s sender, a red alert's first
   * SMS leaves within one rate-limit interval of its confirmation.
   */
  function wakeAtNextToken(t: number): void {
    if (!running || tokenTimer) return
    let at = Infinity
    for (const lane of lanes.values())
      if (lane.bucket.available(t) === 0) at = Math.min(at, lane.bucket.nextTokenAt(t))
    const wait = at - t
    if (!Number.isFinite(wait) || wait >= pollIntervalMs) return
    tokenTimer = setTimeout(
      () => {
        tokenTimer = undefined
        if (running) pump(false)
      },
      Math.max(0, wait),
    )
  }

  function closeLane(lane: AccountLane): void {
    void lane.adapter.close?.().catch(() => undefined)
  }

  /** Starts queued sends while the lane has free slots. */
  function drain(lane: AccountLane): void {
    while (lane.inFlight < lane.limits.concurrency && lane.queue.length > 0) {
      const row = lane.queue.shift() as ClaimedRow
      lane.inFlight++
      launchSend(lane, row)
    }
  }

  /** Gives a lane's waiting rows back to the queue, due at `at`. */
  function giveBack(lane: AccountLane, at: number): void {
    for (const row of lane.queue.splice(0)) pendingReleases.push({ row, nextAttemptAt: at })
  }

  function scheduleFlush(): void {
    if (!running || flushTimer) return
    flushTimer = setTimeout(() => {
      flushTimer = undefined
      if (running) pump(false)
    }, FLUSH_DELAY_MS)
  }

  function release(lane: AccountLane): void {
    lane.inFlight--
    drain(lane)
    if (lane.inFlight === 0 && lane.queue.length === 0 && retiring.delete(lane)) closeLane(lane)
    // While claimed rows keep the slots busy, results can wait a moment and share a commit.
    if (lane.queue.length >= lane.limits.concurrency) scheduleFlush()
    else schedulePump()
  }

  /**
   * When the row stops being retried, or null when its alert no longer sends;
   * with the alert's level (null for a reply), which decides night calls.
   */
  function liveDeadline(
    row: ClaimedRow,
  ): { until: number; level: AlertLevel | null; callsAtNight: boolean } | null {
    const budget = budgetFor(row.accountId)
    if (row.alertId === null)
      return { until: retryDeadline(row.createdAt, null, budget), level: null, callsAtNight: false }
    const live = alerts.sendsNow(row.alertId)
    if (!live) return null
    const validTo = Number.isNaN(live.validTo) ? null : live.validTo
    return {
      until: retryDeadline(row.createdAt, validTo, budget),
      level: live.level,
      callsAtNight: live.callsAtNight,
    }
  }

  /** The row's alert still sends (read again after waiting for its map card). */
  function stillSends(row: ClaimedRow): boolean {
    try {
      return liveDeadline(row) !== null
    } catch {
      // The state cannot be read (database failing): not sending is the safe side.
      return false
    }
  }

  function launchSend(lane: AccountLane, row: ClaimedRow): void {
    let message
    let live: ReturnType<typeof liveDeadline>
    try {
      // Read before every request: after Stop returns, nothing more of that alert leaves.
      live = liveDeadline(row)
    } catch {
      // The state cannot be read (database failing): not sending is the safe side; the claim goes back.
      live = null
    }
    if (live === null) {
      pendingReleases.push({ row, nextAttemptAt: now() })
      lane.inFlight--
      schedulePump()
      return
    }
    // Night hours: only orange and red alerts ring people; the rest wait for the morning,
    // unless the operator said at confirmation to call at once.
    const quietUntil = nightWait(lane.adapter.callPolicy?.(), live.level, now(), live.callsAtNight)
    if (quietUntil !== null) {
      pendingReleases.push({ row, nextAttemptAt: quietUntil })
      lane.inFlight--
      schedulePump()
      return
    }
    const deadline = live.until
    let image
    try {
      message = builder.build(row)
      image = builder.image(row)
    } catch (err) {
      const code = err instanceof MessageBuildError ? err.code : 'message_error'
      const reason = err instanceof Error ? err.message : String(err)
      pendingResults.push({ row, result: { type: 'failed', code, reason } })
      lane.inFlight--
      schedulePump()
      return
    }
    const signal = abort.signal
    track(
      (async () => {
        let outcome
        let warning: string | undefined
        if (image) {
          try {
            message = { ...message, image: await image }
          } catch (err) {
            // The post goes as text, and the board says why it has no map.
            warning = mapWarning(errorText(err))
          }
          // The card took a while: the alert may have been stopped meanwhile.
          if (!stillSends(row)) {
            pendingReleases.push({ row, nextAttemptAt: now() })
            release(lane)
            return
          }
        }
        try {
          outcome = await lane.adapter.send(message, signal)
        } catch (err) {
          outcome = thrownOutcome(err)
        }
        if (warning && outcome.status !== 'failed' && outcome.warning === undefined)
          outcome = { ...outcome, warning }
        const t = now()
        if (
          outcome.status === 'failed' &&
          outcome.retryAfterMs !== undefined &&
          outcome.retryAfterMs > 0
        ) {
          // The provider throttles the account, not the row: pause the whole lane.
          lane.bucket.pauseUntil(t + outcome.retryAfterMs)
          giveBack(lane, t + outcome.retryAfterMs)
        }
        const firstReceiptMs = !lane.adapter.fetchStatus
          ? null
          : lane.adapter.callPolicy
            ? receipts.callPollMs
            : receipts.firstPollMs
        pendingResults.push({
          row,
          result: resultOf(outcome, row.attempts, t, {
            idempotent: lane.adapter.idempotent,
            retryUntil: deadline,
            ...(maxAttempts === undefined ? {} : { maxAttempts }),
            backoff,
            random,
            firstReceiptMs,
            call: lane.adapter.callPolicy !== undefined,
          }),
        })
        release(lane)
      })(),
    )
  }

  function launchReceipt(lane: AccountLane, due: ReceiptDue, next: number): void {
    const fetchStatus = lane.adapter.fetchStatus
    receiptsInFlight.add(due.id)
    const signal = abort.signal
    track(
      (async () => {
        let update: ReceiptUpdate
        const call = callContextOf(lane.adapter, due, expectedCallSeconds(due.alertId))
        try {
          if (!fetchStatus) throw new Error('no receipts')
          const status = await fetchStatus.call(lane.adapter, due.providerId, signal)
          update = receiptUpdate(due.id, status, now(), next, call)
          if (call) {
            if (status.status === 'unknown')
              callWatch.failed(lane.accountId, 'il fornitore non dice lo stato')
            else callWatch.read(lane.accountId)
          }
        } catch (err) {
          // Asked again at the next poll; a call the provider never tells about ends in
          // "esito sconosciuto" (call-receipts.ts) rather than holding its line for ever,
          // and the room hears of it after a few minutes (call-status-watch.ts).
          if (call) callWatch.failed(lane.accountId, errorText(err))
          update = receiptUpdate(due.id, { status: 'unknown' }, now(), next, call)
        }
        pendingReceipts.push({ due, update })
        receiptsInFlight.delete(due.id)
        release(lane)
      })(),
    )
  }

  /** After a commit: tell the UI, the channels area and the journal; start the sends. */
  function afterCommit(result: PassResult): void {
    for (const id of result.released) ours.delete(id)
    for (const n of unavailableNotices.splice(0)) {
      safeEmit(
        (x: typeof n) =>
          options.onAccountResult?.(x.accountId, { ok: false, code: x.code, reason: x.error }),
        n,
      )
    }
    for (const key of Object.keys(summary) as (keyof TickSummary)[])
      summary[key] += result.summary[key]
    if (result.changes.length > 0) safeEmit(options.onChange, result.changes, reportListener)
    for (const c of result.alertChanges) safeEmit(options.onAlertChange, c, reportListener)
    for (const [accountId, r] of result.accountResults) {
      safeEmit(
        (x: SendResult) =>
          options.onAccountResult?.(
            accountId,
            x.type === 'sent' ? { ok: true } : { ok: false, code: x.code, reason: x.reason },
          ),
        r,
      )
    }
    const lanesWithWork = new Set<AccountLane>()
    for (const { lane, row } of result.sends) {
      ours.add(row.id)
      lane.queue.push(row)
      lanesWithWork.add(lane)
    }
    for (const lane of lanesWithWork) drain(lane)
    for (const { lane, due, next } of result.polls) {
      lane.inFlight++
      launchReceipt(lane, due, next)
    }
  }

  /** One pass; `sweep` also closes alerts that had nothing (left) to send. */
  function pump(sweep: boolean): void {
    if (pumping) return
    // A pass that keeps failing is tried again with backoff, not 5 times a second.
    if (stall && now() < stall.retryAt && running) return
    pumping = true
    const results = pendingResults.splice(0)
    const receiptBatch = pendingReceipts.splice(0)
    const releases = pendingReleases.splice(0)
    try {
      const t = now()
      const recover = t - lastRecovery >= recoveryIntervalMs
      const claiming = running || ticking
      if (claiming && (sweep || accountsStale)) {
        // Replies, and relays posted on a partner's page, may wait on accounts no alert targets.
        accounts = [...new Set([...alerts.activeAccountIds(), ...outbox.directAccountIds()])]
        accountsStale = false
      }
      const result = runPass(context, {
        t,
        results,
        receipts: receiptBatch,
        releases,
        recover,
        accounts: claiming ? accounts : [],
        pollReceipts: claiming && sweep,
        sweep,
      })
      if (recover) lastRecovery = t
      if (stall) {
        stall = null
        safeEmit(options.onStall, null, reportListener)
      }
      afterCommit(result)
      wakeAtNextToken(t)
    } catch (err) {
      // Nothing was written: keep the outcomes for the next pass.
      pendingResults.unshift(...results)
      pendingReceipts.unshift(...receiptBatch)
      pendingReleases.unshift(...releases)
      const reason = stallReason(err)
      const failures = (stall?.failures ?? 0) + 1
      const wait = Math.min(STALL_BACKOFF_CAP_MS, pollIntervalMs * 2 ** Math.min(failures - 1, 10))
      const changed = stall?.reason !== reason
      stall = { reason, failures, retryAt: now() + wait }
      safeEmit(options.onError, err)
      if (changed) safeEmit(options.onStall, reason, reportListener)
    } finally {
      pumping = false
    }
  }

  async function settle(): Promise<void> {
    while (work.size > 0) await Promise.allSettled([...work])
  }

  return {
    get running() {
      return running
    },
    headroom() {
      const t = now()
      const paused = [...unavailable].map(([accountId, u]) => ({
        accountId,
        tokens: 0,
        burst: 0,
        ratePerSecond: 0,
        inFlight: 0,
        concurrency: 0,
        waiting: 0,
        pausedUntil: null,
        unavailable: u.error,
      }))
      return [
        ...paused,
        ...[...lanes.values()].map((lane) => {
          const next = lane.bucket.nextTokenAt(t)
          return {
            accountId: lane.accountId,
            tokens: lane.bucket.available(t),
            burst: lane.limits.burst,
            ratePerSecond: lane.limits.ratePerSecond,
            inFlight: lane.inFlight,
            concurrency: lane.limits.concurrency,
            waiting: lane.queue.length,
            // A token is at most 1/rate away; longer means the provider paused the account.
            pausedUntil: next - t > 1000 / lane.limits.ratePerSecond + 50 ? next : null,
          }
        }),
      ]
    },

    start() {
      if (running) return
      running = true
      lastRecovery = -Infinity
      timer = setInterval(() => pump(true), pollIntervalMs)
      pump(true)
    },

    async stop(stopOptions = {}) {
      if (timer) clearInterval(timer)
      if (flushTimer) clearTimeout(flushTimer)
      if (tokenTimer) clearTimeout(tokenTimer)
      timer = undefined
      flushTimer = undefined
      tokenTimer = undefined
      running = false
      if (stopOptions.abort) {
        // Rows claimed but not started go back unsent; those in flight are cut short.
        for (const lane of lanes.values()) giveBack(lane, now())
        abort.abort()
      }
      await settle()
      pump(true)
      abort = new AbortController()
      for (const lane of lanes.values()) closeLane(lane)
      lanes.clear()
      unavailable.clear()
    },

    async tick() {
      summary = emptySummary()
      ticking = true
      try {
        pump(true)
      } finally {
        ticking = false
      }
      await settle()
      pump(true)
      const result = summary
      summary = emptySummary()
      return result
    },

    wake() {
      accountsStale = true
      schedulePump()
    },

    forgetAlert(alertId) {
      const t = now()
      for (const lane of lanes.values()) {
        const keep = lane.queue.filter((row) => row.alertId !== alertId)
        for (const row of lane.queue) {
          if (row.alertId === alertId) pendingReleases.push({ row, nextAttemptAt: t })
        }
        lane.queue = keep
      }
      schedulePump()
    },

    invalidate(accountId) {
      if (accountId === undefined) {
        unavailable.clear()
        budgets.clear()
      } else {
        unavailable.delete(accountId)
        budgets.delete(accountId)
      }
      for (const [id, lane] of lanes) {
        if (accountId !== undefined && id !== accountId) continue
        lanes.delete(id)
        giveBack(lane, now())
        if (lane.inFlight === 0) closeLane(lane)
        else retiring.add(lane)
      }
      builder.clear()
    },
  }
}

/** An error in a few words for the room (adapters' errors carry no secrets). */
function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.length > 160 ? `${text.slice(0, 157)}…` : text
}
