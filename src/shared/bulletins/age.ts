import { isInstant, parseInstant, romeWallClock } from '../time'

/**
 * Whether a bulletin is past its `expires` at `now` (epoch ms). A missing or unreadable
 * time is not taken as expired: the card still shows the validity as written.
 */
export function isExpired(expires: string | null | undefined, now: number): boolean {
  return Boolean(expires && isInstant(expires) && parseInstant(expires) <= now)
}

/** Whether a time falls in another year than `now`, in Rome: then it is shown with its year. */
export function needsYear(iso: string | null | undefined, now: number): boolean {
  if (!iso) return false
  const at = isInstant(iso) ? parseInstant(iso) : Date.parse(iso)
  return Number.isFinite(at) && romeWallClock(at).year !== romeWallClock(now).year
}
