import { describe, expect, it } from 'vitest'
import { retryDelayMs } from '../../../src/main/core/outbox/backoff'
import { createTokenBucket } from '../../../src/main/core/outbox/token-bucket'

describe('token bucket', () => {
  it('gives the burst at once, then the sustained rate', () => {
    const bucket = createTokenBucket(2, 3, 0)
    expect(bucket.available(0)).toBe(3)
    bucket.take(3, 0)
    expect(bucket.available(0)).toBe(0)
    expect(bucket.nextTokenAt(0)).toBe(500)
    expect(bucket.available(499)).toBe(0)
    expect(bucket.available(500)).toBe(1)
    expect(bucket.available(10_000)).toBe(3)
  })

  it('does not mint a token from floating-point dust', () => {
    // 0.1 per second: ten seconds make exactly one token, not 0.999… nor 1.000…1 twice.
    const bucket = createTokenBucket(0.1, 1, 0)
    bucket.take(1, 0)
    let sent = 0
    for (let t = 0; t <= 100_000; t += 1_000) {
      if (bucket.available(t) >= 1) {
        bucket.take(1, t)
        sent++
      }
    }
    expect(sent).toBe(10)
  })

  it('pauses for a provider’s Retry-After, whatever tokens it holds', () => {
    const bucket = createTokenBucket(10, 10, 0)
    bucket.pauseUntil(7_000)
    expect(bucket.available(6_999)).toBe(0)
    expect(bucket.nextTokenAt(100)).toBe(7_000)
    expect(bucket.available(7_000)).toBe(10)
    // An earlier pause does not shorten a later one.
    bucket.pauseUntil(8_000)
    bucket.pauseUntil(7_500)
    expect(bucket.available(7_900)).toBe(0)
  })

  it('takes new limits without handing out more than the new burst', () => {
    const bucket = createTokenBucket(100, 100, 0)
    bucket.configure(1, 2)
    expect(bucket.available(0)).toBe(2)
  })
})

describe('retry delay', () => {
  const policy = { baseMs: 1_000, capMs: 60_000 }

  it('grows exponentially under a cap, with full jitter', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0.999999))).toEqual([
      999, 1_999, 3_999, 7_999,
    ])
    expect(retryDelayMs(50, policy, () => 0.5)).toBe(30_000)
    expect(retryDelayMs(3, policy, () => 0)).toBe(0)
  })

  it('never comes back sooner than the provider asked', () => {
    expect(retryDelayMs(1, policy, () => 0, 7_000)).toBe(7_000)
    expect(retryDelayMs(1, policy, () => 0.5, 100)).toBe(500)
    // A broken hint is ignored rather than trusted.
    expect(retryDelayMs(1, policy, () => 0.5, Number.NaN)).toBe(500)
    expect(retryDelayMs(1, policy, () => 0.5, -5)).toBe(500)
  })
})
