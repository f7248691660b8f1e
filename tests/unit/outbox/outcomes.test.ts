import { describe, expect, it } from 'vitest'
import { idempotencyKeyFor, nextGenerationKey } from '../../../src/main/core/outbox/idempotency'
import {
  nextReceiptPoll,
  receiptUpdate,
  resultOf,
  retryDeadline,
  thrownOutcome,
} from '../../../src/main/core/outbox/outcome'

const policy = {
  idempotent: false,
  retryUntil: Number.MAX_SAFE_INTEGER,
  maxAttempts: 3,
  backoff: { baseMs: 1_000, capMs: 10_000 },
  random: () => 0.5,
  firstReceiptMs: 5_000,
}

const HOUR = 3_600_000

describe('what a send outcome writes', () => {
  it('records the provider id and schedules the first receipt poll', () => {
    expect(resultOf({ status: 'sent', providerId: 'SM1', segments: 2 }, 1, 100, policy)).toEqual({
      type: 'sent',
      providerId: 'SM1',
      segments: 2,
      delivered: false,
      nextReceiptAt: 5_100,
    })
    expect(
      resultOf({ status: 'delivered' }, 1, 100, { ...policy, firstReceiptMs: null }),
    ).toMatchObject({
      delivered: true,
      providerId: null,
      nextReceiptAt: null,
    })
  })

  it('retries a transient failure until the last attempt, then keeps its reason', () => {
    const busy = {
      status: 'failed',
      retry: 'transient',
      code: 'provider_unavailable',
      reason: 'Gateway non raggiungibile',
    } as const
    expect(resultOf(busy, 2, 0, policy)).toEqual({
      type: 'retry',
      nextAttemptAt: 1_000,
      code: 'provider_unavailable',
      reason: 'Gateway non raggiungibile',
    })
    expect(resultOf(busy, 3, 0, policy)).toEqual({
      type: 'failed',
      code: 'provider_unavailable',
      reason: 'Gateway non raggiungibile',
    })
  })

  it('fails a permanent error at once', () => {
    const outcome = {
      status: 'failed',
      retry: 'permanent',
      code: 'invalid_number',
      reason: 'Numero non valido',
    } as const
    expect(resultOf(outcome, 1, 0, policy)).toEqual({
      type: 'failed',
      code: 'invalid_number',
      reason: 'Numero non valido',
    })
  })

  it('treats an adapter that throws as possibly sent, with a readable reason', () => {
    expect(thrownOutcome(new Error('socket hang up'))).toMatchObject({
      retry: 'uncertain',
      code: 'adapter_error',
      reason: 'Errore interno del canale: socket hang up',
    })
  })
})

describe('a send that may have left', () => {
  const timedOut = {
    status: 'failed',
    retry: 'uncertain',
    code: 'timeout',
    reason: 'Twilio non ha risposto in tempo',
  } as const

  it('is never retried on a channel that cannot drop a repeat: it waits for the operator', () => {
    expect(resultOf(timedOut, 1, 0, policy)).toEqual({
      type: 'uncertain',
      code: 'timeout',
      reason: 'Twilio non ha risposto in tempo',
    })
  })

  it('is retried where the provider drops a repeat by key', () => {
    expect(resultOf(timedOut, 1, 0, { ...policy, idempotent: true })).toMatchObject({
      type: 'retry',
      code: 'timeout',
    })
  })
})

describe('the retry budget is a time, not a count', () => {
  const down = {
    status: 'failed',
    retry: 'transient',
    code: 'network',
    reason: 'Gateway non raggiungibile',
  } as const
  const { maxAttempts: _none, ...byTime } = policy

  it('keeps retrying an outage, with capped backoff, until the budget ends', () => {
    const p = { ...byTime, retryUntil: 6 * HOUR, random: () => 0.999 }
    // The 50th attempt two hours in: still retried, never more than the cap apart.
    const r = resultOf(down, 50, 2 * HOUR, p)
    expect(r.type).toBe('retry')
    if (r.type === 'retry') expect(r.nextAttemptAt - 2 * HOUR).toBeLessThanOrEqual(10_000)
    expect(resultOf(down, 51, 6 * HOUR - 1, p)).toMatchObject({ type: 'failed', code: 'network' })
  })

  it('lasts while the alert is valid, and at least the budget', () => {
    expect(retryDeadline(1_000, 1_000 + 24 * HOUR, 6 * HOUR)).toBe(1_000 + 24 * HOUR)
    expect(retryDeadline(1_000, 1_000 + HOUR, 6 * HOUR)).toBe(1_000 + 6 * HOUR)
    expect(retryDeadline(1_000, null, 6 * HOUR)).toBe(1_000 + 6 * HOUR)
  })
})

describe('receipts', () => {
  const receipts = { minIntervalMs: 10_000, maxIntervalMs: 600_000, maxAgeMs: 3_600_000 }

  it('polls a fresh message often, an old one rarely, and a too-old one never', () => {
    expect(nextReceiptPoll(0, 5_000, receipts)).toBe(15_000)
    expect(nextReceiptPoll(0, 100_000, receipts)).toBe(150_000)
    expect(nextReceiptPoll(0, 3_000_000, receipts)).toBe(3_600_000)
    expect(nextReceiptPoll(0, 3_600_000, receipts)).toBeNull()
  })

  it('maps provider statuses to row updates', () => {
    expect(receiptUpdate(1, { status: 'delivered', at: '2026-02-07T13:00:00.000Z' }, 5, 9)).toEqual(
      {
        id: 1,
        type: 'delivered',
        at: Date.parse('2026-02-07T13:00:00.000Z'),
      },
    )
    expect(receiptUpdate(1, { status: 'delivered', at: 'ieri' }, 5, 9)).toEqual({
      id: 1,
      type: 'delivered',
      at: 5,
    })
    expect(receiptUpdate(1, { status: 'failed', reason: 'Telefono spento' }, 5, 9)).toEqual({
      id: 1,
      type: 'failed',
      code: 'undelivered',
      reason: 'Telefono spento',
    })
    expect(receiptUpdate(1, { status: 'unknown' }, 5, 9)).toEqual({
      id: 1,
      type: 'pending',
      nextPollAt: 9,
    })
  })
})

describe('idempotency keys', () => {
  it('are stable per alert, account and destination', () => {
    expect(idempotencyKeyFor('vedetta-1', 3, '+393331234567')).toBe('vedetta-1:3:+393331234567')
    expect(idempotencyKeyFor('vedetta-1', 4, null)).toBe('vedetta-1:4:page')
  })

  it('get a new generation for a deliberate resend', () => {
    expect(nextGenerationKey('vedetta-1:3:+39333')).toBe('vedetta-1:3:+39333~2')
    expect(nextGenerationKey('vedetta-1:3:+39333~2')).toBe('vedetta-1:3:+39333~3')
    expect(nextGenerationKey('vedetta-1:3:+39333~9')).toBe('vedetta-1:3:+39333~10')
  })
})
