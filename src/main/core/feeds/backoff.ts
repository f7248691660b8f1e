export interface BackoffPolicy {
  /** Upper bound of the wait after errors, in seconds (default 1 hour, or the interval if longer). */
  maxBackoffS?: number
  /** Spread of the random jitter, as a fraction of the delay (default 0.1 = ±10%). */
  jitter?: number
}

/**
 * Milliseconds until the next poll of a source. After `errorCount` consecutive failures the
 * interval doubles each time (capped), with jitter so sources failing together do not retry
 * in lock-step; a server's Retry-After is honoured when it asks for longer.
 */
export function nextPollDelayMs(
  intervalS: number,
  errorCount: number,
  policy: BackoffPolicy = {},
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const intervalMs = intervalS * 1000
  if (errorCount <= 0) return intervalMs
  const capMs = Math.max(intervalMs, (policy.maxBackoffS ?? 3600) * 1000)
  const base = Math.min(intervalMs * 2 ** Math.min(errorCount - 1, 20), capMs)
  const spread = policy.jitter ?? 0.1
  const jittered = Math.round(base * (1 - spread + 2 * spread * random()))
  return Math.max(jittered, retryAfterMs ?? 0)
}
