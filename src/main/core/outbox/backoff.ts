/**
 * When to try a row again after a transient failure: exponential backoff with
 * full jitter (a random delay between 0 and min(cap, base·2^(attempt-1))), so a
 * thousand rows that failed together do not come back together; never sooner
 * than the provider asked (Retry-After, `retry_after`, rate-limit reset).
 */
export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number
  /** Largest ceiling, however many attempts. */
  capMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000 }

/**
 * Delay before attempt `attempts + 1`, given that `attempts` were made.
 * @param random a draw in [0, 1) (injected so tests are deterministic)
 * @param retryAfterMs the provider's own hint, a floor for the delay
 */
export function retryDelayMs(
  attempts: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponent = Math.max(0, attempts - 1)
  // 2^exponent overflows long before it matters: stop growing at the cap.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 40))
  const jittered = Math.floor(random() * ceiling)
  const floor =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, retryAfterMs) : 0
  return Math.max(jittered, floor)
}
