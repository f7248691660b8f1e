/**
 * How long a send takes at an account's pace: the same arithmetic for the
 * preview (before anything leaves) and the delivery board (while it goes).
 * Pure: the core supplies the account's pace (channels/adapters/limits.ts),
 * the renderer the counts it watches.
 */
import { CHANNEL_KIND_DESCRIPTORS, type ChannelKind } from '../channels/kinds'

/** How an account's lane releases messages (see outbox/account-lane.ts). */
export interface SendPace {
  /** Requests per second the token bucket allows. */
  ratePerSecond: number
  /** Requests the bucket lets out at once before the rate applies. */
  burst: number
  /** Requests (or calls) in flight at once. */
  concurrency: number
  /**
   * How long one message holds its slot, where that is known and long (a call
   * rings and speaks). Absent: a request's round trip is far shorter than the
   * pause the rate imposes, so the rate alone paces the send.
   */
  secondsPerMessage?: number
}

/** What paces a send: the account's rate, or how many messages it holds at once. */
export type SendBound = 'rate' | 'concurrency'

export interface SendTimeEstimate {
  rows: number
  /** The account's rate, messages per second. */
  ratePerSecond: number
  concurrency: number
  /** Whole seconds from the first message to the last. */
  seconds: number
  bound: SendBound
}

const positive = (n: number | undefined, fallback: number) =>
  n !== undefined && Number.isFinite(n) && n > 0 ? n : fallback

/**
 * Time to send `rows` messages at `pace`: the burst leaves at once, the rest
 * at the rate; where each message holds a slot for long (calls), the slots
 * pace it in waves when that is slower.
 */
export function estimateSendTime(rows: number, pace: SendPace): SendTimeEstimate {
  const n = Math.max(0, Math.floor(rows))
  const rate = positive(pace.ratePerSecond, 1)
  const burst = Math.max(1, Math.floor(positive(pace.burst, 1)))
  const slots = Math.max(1, Math.floor(positive(pace.concurrency, 1)))
  const byRate = n <= burst ? 0 : (n - burst) / rate
  const hold = pace.secondsPerMessage
  const bySlots =
    hold !== undefined && Number.isFinite(hold) && hold > 0 ? Math.ceil(n / slots) * hold : 0
  const bound: SendBound = bySlots > byRate ? 'concurrency' : 'rate'
  return {
    rows: n,
    ratePerSecond: rate,
    concurrency: slots,
    seconds: Math.ceil(Math.max(byRate, bySlots)),
    bound,
  }
}

/** True when the send lasts longer than the limit the ente set (in minutes). */
export function exceedsSendLimit(estimate: SendTimeEstimate, limitMinutes: number): boolean {
  return limitMinutes > 0 && estimate.seconds > limitMinutes * 60
}

/** One reading of an account's progress: messages done (sent or settled) at a moment. */
export interface ProgressSample {
  /** Epoch ms. */
  at: number
  done: number
}

/** Seconds of history the observed pace is read over: long enough to smooth a burst. */
export const OBSERVED_WINDOW_SECONDS = 60
/** Below this span of readings the pace is not known yet. */
const MIN_OBSERVED_SECONDS = 5

/**
 * Messages per second actually done over the last minute of samples (oldest
 * first), or undefined while there is too little history to say.
 */
export function observedRate(samples: readonly ProgressSample[]): number | undefined {
  const last = samples.at(-1)
  if (!last) return undefined
  const from = last.at - OBSERVED_WINDOW_SECONDS * 1000
  const first = samples.find((s) => s.at >= from) ?? last
  const span = (last.at - first.at) / 1000
  if (span < MIN_OBSERVED_SECONDS) return undefined
  return Math.max(0, last.done - first.done) / span
}

export interface TimeLeft {
  /** Whole seconds, or null when nothing moved over the last minute (stalled or waiting). */
  seconds: number | null
  /** Where the pace comes from: what was seen, or what the account is set to. */
  source: 'observed' | 'configured'
}

/**
 * Time left for `remaining` messages: at the pace observed where there is
 * one, else at the account's configured pace.
 */
export function timeLeft(
  remaining: number,
  observed: number | undefined,
  pace: SendPace | undefined,
): TimeLeft | undefined {
  if (remaining <= 0)
    return { seconds: 0, source: observed === undefined ? 'configured' : 'observed' }
  if (observed !== undefined) {
    return { seconds: observed > 0 ? Math.ceil(remaining / observed) : null, source: 'observed' }
  }
  if (!pace) return undefined
  // Under way, the burst is spent: every remaining message waits for its token.
  const rate = positive(pace.ratePerSecond, 1)
  const slots = Math.max(1, Math.floor(positive(pace.concurrency, 1)))
  const hold = positive(pace.secondsPerMessage, 0)
  const seconds = Math.max(remaining / rate, Math.ceil(remaining / slots) * hold)
  return { seconds: Math.ceil(seconds), source: 'configured' }
}

/** A duration as people say it: under a minute, minutes, or hours and minutes (rounded). */
export type SpokenDuration =
  | { unit: 'under_minute' }
  | { unit: 'minutes'; minutes: number }
  | { unit: 'hours'; hours: number; minutes: number }

export function spokenDuration(seconds: number): SpokenDuration {
  if (seconds < 60) return { unit: 'under_minute' }
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return { unit: 'minutes', minutes }
  return { unit: 'hours', hours: Math.floor(minutes / 60), minutes: minutes % 60 }
}

const settingNumber = (settings: Record<string, unknown>, key: string): number | undefined => {
  const v = settings[key]
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/**
 * The pace an account's settings declare — its rate, an SMTP pool's
 * connections, calls at once — with the kind's defaults where a value is
 * unset: what the board assumes before it has seen the send move. Undefined
 * for kinds without a rate setting (pages and profiles: one post each).
 */
export function settingsPace(
  kind: ChannelKind,
  settings: Record<string, unknown>,
): SendPace | undefined {
  const fields = CHANNEL_KIND_DESCRIPTORS[kind].settings
  const declared = (key: string) => {
    const field = fields.find((f) => f.key === key)
    if (!field) return undefined
    return settingNumber(settings, key) ?? settingNumber({ [key]: field.default }, key)
  }
  const ratePerSecond = declared('ratePerSecond')
  if (ratePerSecond === undefined) return undefined
  const concurrency = declared('maxConnections') ?? declared('maxConcurrentCalls') ?? 1
  return { ratePerSecond, burst: 1, concurrency }
}
