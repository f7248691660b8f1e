/**
 * A token bucket per channel account: `burst` messages at once, then
 * `ratePerSecond` sustained. Time comes from the injected clock, so tests count
 * tokens instead of waiting. A provider's "come back later" pauses the bucket.
 */
export interface TokenBucket {
  /** Whole tokens available now (0 while paused). */
  available(now: number): number
  /** Spends `n` tokens; call only with n ≤ available(now). */
  take(n: number, now: number): void
  /** Nothing leaves before `until` (a provider's Retry-After for the whole account). */
  pauseUntil(until: number): void
  /** When the next token will be available (epoch ms); `now` when one is. */
  nextTokenAt(now: number): number
  /** Adopts new limits (the account's settings changed), keeping the tokens already earned. */
  configure(ratePerSecond: number, burst: number): void
}

/** Creates a full bucket. */
export function createTokenBucket(ratePerSecond: number, burst: number, now: number): TokenBucket {
  let rate = Math.max(ratePerSecond, 1e-6)
  let capacity = Math.max(1, burst)
  let tokens = capacity
  let last = now
  let pausedUntil = -Infinity

  const refill = (at: number) => {
    if (at > last) {
      tokens = Math.min(capacity, tokens + ((at - last) / 1000) * rate)
      last = at
    }
  }

  return {
    available(at) {
      refill(at)
      if (at < pausedUntil) return 0
      // A hair under a whole token counts as none: floating point must not mint a message.
      return Math.floor(tokens + 1e-9)
    },
    take(n, at) {
      refill(at)
      tokens = Math.max(0, tokens - n)
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until)
    },
    nextTokenAt(at) {
      refill(at)
      const whenToken = tokens >= 1 - 1e-9 ? at : at + Math.ceil(((1 - tokens) / rate) * 1000)
      return Math.max(whenToken, pausedUntil)
    },
    configure(ratePerSecond, newBurst) {
      rate = Math.max(ratePerSecond, 1e-6)
      capacity = Math.max(1, newBurst)
      tokens = Math.min(tokens, capacity)
    },
  }
}
