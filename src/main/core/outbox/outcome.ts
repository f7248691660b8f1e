import type { DeliveryStatus, SendOutcome } from '../channels/adapter'
import { retryDelayMs, type BackoffPolicy } from './backoff'
import { callReceiptUpdate, silentCallUpdate, type CallContext } from './call-receipts'
import type { ReceiptUpdate } from './outbox-repository'
import type { SendResult } from './types'

export interface OutcomePolicy {
  /** The provider drops a repeat by idempotency key: a send that may have left can be retried. */
  idempotent: boolean
  /** Epoch ms after which a row is not retried any more (its retry budget). */
  retryUntil: number
  /** A hard ceiling on attempts, if any (tests; the budget is a time, not a count). */
  maxAttempts?: number
  backoff: BackoffPolicy
  random: () => number
  /** Delay of the first receipt poll, or null when the channel has none. */
  firstReceiptMs: number | null
  /** A voice account: a sent row is a call placed, followed until it ends. */
  call?: boolean
}

/** How long a row keeps being retried when its alert says nothing longer: an outage is waited out. */
export const DEFAULT_RETRY_BUDGET_MS = 6 * 3_600_000

/**
 * When a row stops being retried: when its alert stops being valid, and never
 * sooner than `budgetMs` after the row was written.
 */
export function retryDeadline(createdAt: number, alertValidTo: number | null, budgetMs: number) {
  const floor = createdAt + budgetMs
  return alertValidTo !== null && Number.isFinite(alertValidTo) && alertValidTo > floor
    ? alertValidTo
    : floor
}

/**
 * What to write for an adapter's answer to attempt number `attempts`:
 * - sent;
 * - uncertain: it may have left, and the channel cannot drop a repeat: never
 *   retried on its own (the operator resends or marks it as sent);
 * - retry later: surely not sent, or maybe sent on an idempotent channel;
 *   capped exponential backoff with jitter, never before the provider's hint;
 * - failed: permanent, or the retry budget is spent, with the provider's
 *   reason as the adapter translated it for the operator.
 */
export function resultOf(
  outcome: SendOutcome,
  attempts: number,
  now: number,
  policy: OutcomePolicy,
): SendResult {
  if (outcome.status !== 'failed') {
    return {
      type: 'sent',
      providerId: outcome.providerId ?? null,
      segments: outcome.segments ?? null,
      delivered: outcome.status === 'delivered',
      nextReceiptAt: policy.firstReceiptMs === null ? null : now + policy.firstReceiptMs,
      ...(policy.call ? { call: true as const } : {}),
      ...(outcome.warning ? { warning: outcome.warning } : {}),
    }
  }
  if (outcome.retry === 'permanent') {
    return { type: 'failed', code: outcome.code, reason: outcome.reason }
  }
  if (outcome.retry === 'uncertain' && !policy.idempotent) {
    return { type: 'uncertain', code: outcome.code, reason: outcome.reason }
  }
  const delay = retryDelayMs(attempts, policy.backoff, policy.random, outcome.retryAfterMs)
  const outOfAttempts = policy.maxAttempts !== undefined && attempts >= policy.maxAttempts
  if (outOfAttempts || now + delay > policy.retryUntil) {
    return { type: 'failed', code: outcome.code, reason: outcome.reason }
  }
  return { type: 'retry', nextAttemptAt: now + delay, code: outcome.code, reason: outcome.reason }
}

/**
 * An adapter that threw instead of answering: nobody knows how far the request
 * got, so it counts as possibly sent (retried only on idempotent channels).
 */
export function thrownOutcome(err: unknown): SendOutcome {
  const detail = err instanceof Error ? err.message : String(err)
  return {
    status: 'failed',
    retry: 'uncertain',
    code: 'adapter_error',
    reason: `Errore interno del canale: ${detail.slice(0, 200)}`,
  }
}

export interface ReceiptPolicy {
  /** Shortest wait between two polls of one row. */
  minIntervalMs: number
  /** Longest wait between two polls of one row. */
  maxIntervalMs: number
  /** Stop polling a row this long after it was sent (it stays `sent`). */
  maxAgeMs: number
  /**
   * A call is asked about at this steady pace while it lasts: the line it
   * holds is freed for the next person only once its end is seen.
   */
  callPollMs: number
}

export const DEFAULT_RECEIPTS: ReceiptPolicy & { firstPollMs: number } = {
  firstPollMs: 10_000,
  minIntervalMs: 10_000,
  maxIntervalMs: 10 * 60_000,
  maxAgeMs: 48 * 3_600_000,
  callPollMs: 5_000,
}

/**
 * When to poll a sent row again: half its age, within bounds, so a fresh SMS
 * is asked about often and an old one rarely; never once it is too old.
 */
export function nextReceiptPoll(
  sentAt: number,
  now: number,
  policy: Omit<ReceiptPolicy, 'callPollMs'>,
): number | null {
  const age = Math.max(0, now - sentAt)
  if (age >= policy.maxAgeMs) return null
  const interval = Math.min(
    policy.maxIntervalMs,
    Math.max(policy.minIntervalMs, Math.floor(age / 2)),
  )
  return now + interval
}

/**
 * A provider's receipt as a row update; `pending` keeps the poll already
 * scheduled. A call's state is read with the row's call context
 * (call-receipts.ts); without one (not a voice account) it is only pending.
 */
export function receiptUpdate(
  id: number,
  status: DeliveryStatus,
  now: number,
  nextPollAt: number | null,
  call?: CallContext,
): ReceiptUpdate {
  if (status.status === 'call') {
    return call
      ? callReceiptUpdate(id, status, now, nextPollAt, call)
      : { id, type: 'pending', nextPollAt }
  }
  if (call && status.status !== 'failed' && status.status !== 'delivered')
    return silentCallUpdate(id, now, nextPollAt, call)
  if (status.status === 'delivered') {
    const at = status.at === undefined ? NaN : Date.parse(status.at)
    return { id, type: 'delivered', at: Number.isNaN(at) ? now : at }
  }
  if (status.status === 'failed') {
    return { id, type: 'failed', code: status.code ?? 'undelivered', reason: status.reason }
  }
  return { id, type: 'pending', nextPollAt }
}
