import { createHash, randomBytes } from 'node:crypto'

/** How long a launch code waits for the browser it was made for. */
export const LAUNCH_CODE_TTL_MS = 30_000

/** What a launch code is worth when a browser brings it back. */
export type LaunchOutcome = 'valid' | 'used' | 'expired' | 'unknown'

export interface LaunchCodes {
  /** A new code, good for one page load within the time to live. */
  issue(): string
  /** Spends the code: `valid` once, then `used`; `expired` past its time; `unknown` if never issued. */
  redeem(code: string): LaunchOutcome
}

/** Codes the host no longer needs to tell apart from unknown ones (an hour past their expiry). */
const FORGET_AFTER_MS = 60 * 60_000

/**
 * One-time codes for the browser window the host opens itself. The window's
 * address is on its command line, which every local user can read (`ps`), so
 * it carries one of these instead of the token: by the time anyone reads it,
 * the window has spent it, and it expires in seconds anyway.
 *
 * Codes are kept by their hash, so looking one up tells nothing about the
 * others through timing.
 */
export function createLaunchCodes(
  options: { ttlMs?: number; now?: () => number } = {},
): LaunchCodes {
  const ttlMs = options.ttlMs ?? LAUNCH_CODE_TTL_MS
  const now = options.now ?? Date.now
  const codes = new Map<string, { expiresAt: number; used: boolean }>()
  const key = (code: string) => createHash('sha256').update(code).digest('base64url')

  return {
    issue() {
      const t = now()
      for (const [k, entry] of codes) if (entry.expiresAt + FORGET_AFTER_MS < t) codes.delete(k)
      const code = randomBytes(16).toString('base64url')
      codes.set(key(code), { expiresAt: t + ttlMs, used: false })
      return code
    },
    redeem(code) {
      const entry = codes.get(key(code))
      if (!entry) return 'unknown'
      if (entry.used) return 'used'
      if (now() > entry.expiresAt) return 'expired'
      entry.used = true
      return 'valid'
    },
  }
}
