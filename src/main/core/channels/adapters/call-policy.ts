import type { AdapterConfig, CallPolicy } from '../adapter'
import { AdapterConfigError, numberIn } from './config'

/** `HH:MM-HH:MM` (Europe/Rome): the night hours of a voice account. */
const QUIET_HOURS = /^\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)\s*$/

/**
 * Reads night hours; an empty setting means none. A value that is not two
 * times is refused with the form's field, never read as "no quiet hours".
 */
export function parseQuietHours(value: unknown): CallPolicy['quietHours'] {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    return null
  const m = typeof value === 'string' ? QUIET_HOURS.exec(value) : null
  if (!m) {
    throw new AdapterConfigError(
      'settings.quietHours',
      `Ore notturne non valide: «${String(value)}». Scrivi due orari come 22:00-07:00, o lascia vuoto`,
    )
  }
  const fromMinute = Number(m[1]) * 60 + Number(m[2])
  const toMinute = Number(m[3]) * 60 + Number(m[4])
  return fromMinute === toMinute ? null : { fromMinute, toMinute }
}

/** A whole number among the settings, within the bounds the kind declares. */
const whole = (
  settings: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
) => Math.min(max, Math.max(min, Math.round(numberIn(settings, key, fallback))))

/** Calls per person a voice account makes at most (the preview's cost range reads it too). */
export const callAttemptsOf = (settings: Record<string, unknown>): number =>
  whole(settings, 'attempts', 3, 1, 5)

/** The call policy of a voice account, from the settings its kind declares (shared/channels/kinds.ts). */
export function callPolicyOf(config: AdapterConfig): CallPolicy {
  const { settings } = config
  return {
    attempts: callAttemptsOf(settings),
    intervalMs: whole(settings, 'attemptIntervalMinutes', 10, 1, 120) * 60_000,
    maxConcurrentCalls: whole(settings, 'maxConcurrentCalls', 10, 1, 500),
    quietHours: parseQuietHours(config.settings.quietHours ?? '22:00-07:00'),
  }
}

/** Whether a Rome wall-clock minute of the day falls in the night hours. */
export function inQuietHours(quiet: CallPolicy['quietHours'], minuteOfDay: number): boolean {
  if (!quiet) return false
  return quiet.fromMinute < quiet.toMinute
    ? minuteOfDay >= quiet.fromMinute && minuteOfDay < quiet.toMinute
    : minuteOfDay >= quiet.fromMinute || minuteOfDay < quiet.toMinute
}
