import type { CitizenMessagesEvent } from './scenario'
import { parseDuration } from './time'

/** One citizen message of a burst, with when it arrives after the burst begins. */
export interface CitizenMessage {
  /** 1-based position in the burst. */
  n: number
  author?: string
  text: string
  offsetMs: number
}

/**
 * Expands a burst: `count` messages (default one per sample), samples reused in
 * turn, spread evenly over `over` (rounded to the second), the first at once.
 */
export function burstMessages(event: CitizenMessagesEvent): CitizenMessage[] {
  const samples = event.messages.map((m) => (typeof m === 'string' ? { text: m } : m))
  const count = event.count ?? samples.length
  const over = event.over === undefined ? 0 : (parseDuration(event.over) ?? 0)
  return Array.from({ length: count }, (_, i) => {
    const sample = samples[i % samples.length] ?? { text: '' }
    const offsetMs = Math.floor((i * over) / count / 1000) * 1000
    return {
      n: i + 1,
      ...(sample.author === undefined ? {} : { author: sample.author }),
      text: sample.text,
      offsetMs,
    }
  })
}
