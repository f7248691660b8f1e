import { numberIn } from '../channels/adapters/config'

/**
 * A price among a channel account's settings (per SMS segment, per minute of
 * a call, per WhatsApp message); anything not a non-negative number is free.
 */
export function priceOf(
  account: { settings: Record<string, unknown> },
  key = 'pricePerSegment',
): number {
  const n = numberIn(account.settings, key, 0)
  return n >= 0 ? n : 0
}
