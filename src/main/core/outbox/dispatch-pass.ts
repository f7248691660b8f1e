import type { AlertsRepository } from '../alerts/alerts-repository'
import type { AlertChange } from '../alerts/types'
import type { AuditLog } from '../audit/audit-log'
import type { Db } from '../db/open'
import { claimCapacity, laneCapacity, type AccountLane } from './account-lane'
import {
  ownerOf,
  type OutboxRepository,
  type ReceiptDue,
  type ReceiptUpdate,
  type RowOwner,
} from './outbox-repository'
import { isFinalReceipt, receiptBatching } from '../channels/adapters/limits'
import { nextReceiptPoll, receiptUpdate, type ReceiptPolicy } from './outcome'
import type { CallOutcomeName, ClaimedRow, RowChange, SendResult } from './types'
import { callContextOf } from './call-receipts'

/** What one `tick()` did. */
export interface TickSummary {
  claimed: number
  sent: number
  retried: number
  failed: number
  cancelled: number
  requeued: number
  uncertain: number
  delivered: number
  undelivered: number
}

export const emptySummary = (): TickSummary => ({
  claimed: 0,
  sent: 0,
  retried: 0,
  failed: 0,
  cancelled: 0,
  requeued: 0,
  uncertain: 0,
  delivered: 0,
  undelivered: 0,
})

export type LaneOrFailure = AccountLane | { code: string; error: string }

/** What a pass needs from the dispatcher around it. */
export interface PassContext {
  db: Db
  outbox: OutboxRepository
  alerts: AlertsRepository
  laneFor(accountId: number): LaneOrFailure
  /** Rows this process holds (their results are still to be written): recovery leaves them alone. */
  ours: ReadonlySet<number>
  receiptsInFlight: ReadonlySet<number>
  /** Alerts already known to be sending, so the status is not rewritten on every claim. */
  sendingAlerts: Set<number>
  leaseMs: number
  receipts: ReceiptPolicy
  /** How long an account's rows are retried after they were written (ms). */
  retryBudgetFor(accountId: number): number
  /** How long an alert's spoken message lasts (s), to tell a call hung up early; null when unknown. */
  expectedCallSeconds(alertId: number | null): number | null
  audit?: AuditLog
  actor: string
}

export interface PassInput {
  t: number
  results: readonly { row: ClaimedRow; result: SendResult }[]
  receipts: readonly { due: ReceiptDue; update: ReceiptUpdate }[]
  /** Claimed rows given back unsent, due again at `nextAttemptAt`. */
  releases: readonly { row: ClaimedRow; nextAttemptAt: number }[]
  recover: boolean
  /** Accounts to claim for (an active alert's targets, those with replies/relays); none: no claims. */
  accounts: readonly number[]
  /** Look for due delivery receipts too (not urgent: not on every pass). */
  pollReceipts: boolean
  /** Also close alerts that had nothing (left) to send. */
  sweep: boolean
}

/** What the pass decided; acted upon only once its transaction has committed. */
export interface PassResult {
  changes: RowChange[]
  alertChanges: AlertChange[]
  /** Latest outcome per account, for its health. */
  accountResults: Map<number, SendResult>
  summary: TickSummary
  /** Rows claimed now: to send. */
  sends: { lane: AccountLane; row: ClaimedRow }[]
  /** Receipts to ask for now, with the poll after. */
  polls: { lane: AccountLane; due: ReceiptDue; next: number }[]
  /** Row ids whose results were handled (written, or fenced out): no longer ours. */
  released: number[]
}

/** Operator wording for a row whose send was cut short by a crash. */
export const INTERRUPTED_REASON =
  'Invio interrotto (chiusura improvvisa o crash): non si sa se il messaggio sia partito. ' +
  'Verifica e scegli «Reinvia» o «Segna come inviato».'

export const STOPPED_REASON =
  'Invio interrotto mentre l’allerta veniva fermata: non si sa se il messaggio sia partito.'

const RECEIPTS_PER_PASS = 200
const RECOVERED_PER_PASS = 1000

/**
 * One pass of the dispatcher over the database, in one transaction (one
 * commit, however much it writes): write finished results and receipts,
 * recover expired leases, claim what each account's bucket allows, pick the
 * receipts to poll, and close alerts with no row left to send. Nothing leaves
 * the process here: sends start after the commit, so a row is never sent
 * before its claim is durable.
 */
export function runPass(ctx: PassContext, input: PassInput): PassResult {
  const { outbox, alerts, t } = { ...ctx, t: input.t }
  const out: PassResult = {
    changes: [],
    alertChanges: [],
    accountResults: new Map(),
    summary: emptySummary(),
    sends: [],
    polls: [],
    released: [],
  }
  /** Alerts whose rows moved: they may be done now. Replies belong to none. */
  const touched = new Set<number>()
  const touch = (alertId: number | null) => {
    if (alertId !== null) touched.add(alertId)
  }
  type Fields = Omit<RowChange, keyof ReturnType<typeof ownerOf> | 'attempts' | 'at'>
  const change = (row: RowOwner & { attempts: number }, fields: Fields) =>
    out.changes.push({ ...ownerOf(row), attempts: row.attempts, at: t, ...fields })

  function writeResults(batch: readonly { row: ClaimedRow; result: SendResult }[]): void {
    if (batch.length === 0) return
    for (const a of outbox.applyResults(batch, t)) {
      const r = a.result
      out.accountResults.set(a.row.accountId, r)
      touch(a.row.alertId)
      if (a.state === 'sent' || a.state === 'delivered') out.summary.sent++
      else if (a.state === 'queued') out.summary.retried++
      else if (a.state === 'cancelled') out.summary.cancelled++
      else if (a.state === 'failed') out.summary.failed++
      else if (a.state === 'uncertain') out.summary.uncertain++
      change(
        a.row,
        r.type === 'sent'
          ? {
              state: a.state,
              ...(r.providerId === null ? {} : { providerId: r.providerId }),
              ...(r.call
                ? { call: callChange(a.row.accountId, 'queued', a.row.callAttempt + 1) }
                : {}),
              ...(r.warning ? { warning: r.warning } : {}),
            }
          : { state: a.state, lastErrorCode: r.code, lastError: r.reason },
      )
    }
    for (const { row } of batch) out.released.push(row.id)
  }

  function writeReleases(): void {
    if (input.releases.length === 0) return
    const states = outbox.unclaim(input.releases, t)
    input.releases.forEach(({ row }, i) => {
      const state = states[i]
      out.released.push(row.id)
      if (state === undefined) return
      touch(row.alertId)
      change({ ...row, attempts: row.attempts - 1 }, { state })
    })
  }

  function writeReceipts(batch: readonly { due: ReceiptDue; update: ReceiptUpdate }[]): void {
    if (batch.length === 0) return
    const changed = outbox.applyReceipts(
      batch.map((b) => b.update),
      t,
    )
    for (const { due, update } of batch) {
      const state = changed.get(due.id)
      if (state === undefined || update.type === 'pending') continue
      touch(due.alertId)
      const call = update.call && callChange(due.accountId, update.call.outcome, due.callAttempt)
      if (update.type === 'delivered') {
        out.summary.delivered++
        change(due, { state, providerId: due.providerId, ...(call ? { call } : {}) })
      } else if (update.type === 'redial') {
        if (state === 'queued') out.summary.retried++
        else out.summary.cancelled++
        change(due, {
          state,
          lastErrorCode: update.code,
          lastError: update.reason,
          ...(call ? { call } : {}),
        })
      } else {
        out.summary.undelivered++
        change(due, {
          state,
          providerId: due.providerId,
          lastErrorCode: update.code,
          lastError: update.reason,
          ...(call ? { call } : {}),
        })
      }
    }
  }

  /** The board's "tentativo 2 di 3" for a call of an account. */
  function callChange(accountId: number, outcome: CallOutcomeName, attempt: number) {
    const lane = ctx.laneFor(accountId)
    const policy = 'error' in lane ? undefined : lane.adapter.callPolicy?.()
    return { outcome, attempt, of: policy?.attempts ?? attempt }
  }

  function recover(): void {
    const expired = outbox.expired(t, RECOVERED_PER_PASS).filter((r) => !ctx.ours.has(r.id))
    const perAlert = new Map<number, { requeued: number; uncertain: number }>()
    for (const row of expired) {
      const lane = ctx.laneFor(row.accountId)
      // Resend only where the provider drops a duplicate by key, and only while the alert still sends.
      const resend = row.alertActive === 1 && !('error' in lane) && lane.adapter.idempotent
      let state: 'queued' | 'uncertain'
      if (resend) {
        if (!outbox.requeueExpired(row, t)) continue
        state = 'queued'
        out.summary.requeued++
        change(row, { state, lastErrorCode: 'interrupted' })
      } else {
        const reason = row.alertActive === 1 ? INTERRUPTED_REASON : STOPPED_REASON
        if (!outbox.markUncertain(row, 'interrupted', reason, t)) continue
        state = 'uncertain'
        out.summary.uncertain++
        change(row, { state, lastErrorCode: 'interrupted', lastError: reason })
      }
      if (row.alertId === null) {
        // A reply has no alert to tally under: journaled on its own, with the message it answers.
        ctx.audit?.record(ctx.actor, 'outbox.recover', `outbox:${row.id}`, {
          kind: row.kind,
          citizenMessageId: row.citizenMessageId,
          state,
        })
        continue
      }
      const tally = perAlert.get(row.alertId) ?? { requeued: 0, uncertain: 0 }
      perAlert.set(row.alertId, tally)
      if (state === 'queued') tally.requeued++
      else tally.uncertain++
      touch(row.alertId)
    }
    for (const [alertId, tally] of perAlert)
      ctx.audit?.record(ctx.actor, 'outbox.recover', `alert:${alertId}`, tally)
  }

  const addedSending: number[] = []
  const removedSending: number[] = []

  function markSending(alertId: number | null): void {
    if (alertId === null || ctx.sendingAlerts.has(alertId)) return
    ctx.sendingAlerts.add(alertId)
    addedSending.push(alertId)
    if (alerts.markSending(alertId, new Date(t).toISOString())) {
      out.alertChanges.push({ alertId, status: 'sending', change: 'sending' })
    }
  }

  function failOverdue(accountId: number, lane: { code: string; error: string }): void {
    const overdue = outbox.failOverdue(accountId, t - ctx.retryBudgetFor(accountId), t, {
      code: lane.code,
      reason: lane.error,
    })
    for (const row of overdue) {
      touch(row.alertId)
      out.summary.failed++
      change(row, { state: 'failed', lastErrorCode: lane.code, lastError: lane.error })
    }
  }

  /**
   * Calls a voice account may still place: its cap on calls at once, less the
   * calls ringing or connected and those being placed now. Elsewhere no limit.
   */
  function callSlots(lane: AccountLane, accountId: number): number {
    const policy = lane.adapter.callPolicy?.()
    if (!policy) return Number.POSITIVE_INFINITY
    return (
      policy.maxConcurrentCalls - outbox.liveCalls(accountId) - lane.inFlight - lane.queue.length
    )
  }

  /** Slots this pass has promised already (claims, polls): receipts see what is left. */
  const reserved = new Map<AccountLane, number>()

  function claim(): void {
    for (const accountId of input.accounts) {
      const lane = ctx.laneFor(accountId)
      if ('error' in lane) {
        // The lane pauses (its reason is in Stato): an account re-enabled, a keychain
        // unlocked, sends again. Only rows whose retry budget is spent fail, saying why.
        if (input.recover) failOverdue(accountId, lane)
        continue
      }
      const capacity = Math.min(claimCapacity(lane, t), callSlots(lane, accountId))
      if (capacity <= 0) continue
      const rows = outbox.claim(accountId, t, t + ctx.leaseMs, capacity)
      if (rows.length === 0) continue
      lane.bucket.take(rows.length, t)
      reserved.set(lane, (reserved.get(lane) ?? 0) + rows.length)
      out.summary.claimed += rows.length
      for (const row of rows) {
        markSending(row.alertId)
        change(row, { state: 'sending' })
        out.sends.push({ lane, row })
      }
    }
  }

  /**
   * Receipts come after sending: claims of this pass took their tokens and
   * slots first, and polls spend only what is left. Where the
   * adapter reads receipts in bulk, a row whose status was read lately (in a
   * list page another poll fetched) is settled, or put off to its next poll,
   * without a request; a provider that asked to wait is not polled until then.
   */
  function pickReceipts(): void {
    const due = outbox.receiptsDue(t, RECEIPTS_PER_PASS)
    if (due.length === 0) return
    const schedule: [number, number | null][] = []
    const known: { due: ReceiptDue; update: ReceiptUpdate }[] = []
    for (const r of due) {
      if (ctx.receiptsInFlight.has(r.id)) continue
      const lane = ctx.laneFor(r.accountId)
      const next =
        r.callAttempt > 0 && t - r.sentAt < ctx.receipts.maxAgeMs
          ? t + ctx.receipts.callPollMs
          : nextReceiptPoll(r.sentAt, t, ctx.receipts)
      if ('error' in lane || !lane.adapter.fetchStatus || next === null) {
        schedule.push([r.id, null])
        continue
      }
      const batching = receiptBatching(lane.adapter)
      const seen = batching?.observed(r.providerId)
      if (seen && isFinalReceipt(seen.status)) {
        const call = callContextOf(lane.adapter, r, ctx.expectedCallSeconds(r.alertId))
        known.push({ due: r, update: receiptUpdate(r.id, seen.status, t, next, call) })
        continue
      }
      if (seen && t - seen.at < ctx.receipts.minIntervalMs) {
        // Read moments ago with another message's poll: that was this row's poll.
        schedule.push([r.id, next])
        continue
      }
      if (batching && batching.pausedUntil() > t) continue
      // Receipts use what sending left of the account's rate and slots.
      const promised = reserved.get(lane) ?? 0
      if (laneCapacity(lane, t, promised) <= 0) continue
      lane.bucket.take(1, t)
      reserved.set(lane, promised + 1)
      batching?.expect(r.providerId, r.sentAt)
      schedule.push([r.id, next])
      out.polls.push({ lane, due: r, next })
    }
    // Pushed back before asking, so a crash or the next pass does not ask twice.
    outbox.rescheduleReceipts(schedule)
    writeReceipts(known)
  }

  function finishAlerts(): void {
    if (input.sweep) for (const a of alerts.active(t)) touched.add(a.id)
    const at = new Date(t).toISOString()
    for (const alertId of touched) {
      if (alerts.markDoneIfFinished(alertId, at)) {
        if (ctx.sendingAlerts.delete(alertId)) removedSending.push(alertId)
        out.alertChanges.push({ alertId, status: 'done', change: 'done' })
      }
    }
  }

  try {
    ctx.db.transaction(() => {
      writeResults(input.results)
      writeReleases()
      writeReceipts(input.receipts)
      if (input.recover) recover()
      claim()
      if (input.pollReceipts) pickReceipts()
      finishAlerts()
    })()
  } catch (err) {
    // Rolled back: nothing was claimed, so give the alert marks back.
    for (const id of addedSending) ctx.sendingAlerts.delete(id)
    for (const id of removedSending) ctx.sendingAlerts.add(id)
    throw err
  }
  return out
}
