/**
 * Night hours of a voice account: between them only orange and red alerts
 * ring people (a yellow alert at 3 a.m. waits for the morning, unless the
 * operator said at confirmation to call at once); replies and
 * relays are not calls. The hours are Rome's wall clock, whatever the
 * computer's zone, and a night that spans midnight ends the next morning.
 */
import type { CallPolicy } from '../channels/adapter'
import { inQuietHours } from '../channels/adapters/call-policy'
import { romeWallClock } from '../../../shared/time'
import type { AlertLevel } from '../../../shared/templates/alert-kinds'

const RINGS_AT_NIGHT: ReadonlySet<AlertLevel> = new Set(['arancione', 'rosso'])

/** When a call may be placed (epoch ms, the end of the night hours), or null: now. */
export function nightWait(
  policy: CallPolicy | undefined,
  level: AlertLevel | null,
  now: number,
  /** The operator said at confirmation to call at once, night or not. */
  callsAtNight = false,
): number | null {
  const quiet = policy?.quietHours
  if (!quiet || level === null || callsAtNight || RINGS_AT_NIGHT.has(level)) return null
  const clock = romeWallClock(now)
  const minute = clock.hour * 60 + clock.minute
  if (!inQuietHours(quiet, minute)) return null
  // Minutes to the end of the night on Rome's clock. On the night the clocks change the call
  // comes an hour late (spring) or is held once more (autumn): never during the night hours.
  const untilEnd = (quiet.toMinute - minute + 24 * 60) % (24 * 60)
  return now + untilEnd * 60_000 - clock.second * 1000
}
