/**
 * How long an account takes to send an alert's rows, from the pace its
 * adapter gives the dispatcher: the kind's limits with the account's own
 * rate (channels/adapters/limits.ts), the SMTP pool's connections, and for
 * calls how many ring at once and for how long each holds its line.
 */
import type { ChannelAccountRow } from '../channels/accounts-repository'
import { accountLimits } from '../channels/adapters/limits'
import { numberIn } from '../channels/adapters/config'
import {
  estimateSendTime,
  type SendPace,
  type SendTimeEstimate,
} from '../../../shared/alerts/send-time'

/**
 * Seconds a call rings before it is answered (or goes to voicemail), on top of
 * what it speaks: a typical figure, so the estimate says "minutes" or "hours"
 * right, not to the second. Unanswered calls tried again later are not counted.
 */
export const CALL_RING_SECONDS = 20

type PacedAccount = Pick<ChannelAccountRow, 'kind' | 'settings'>

const setting = (settings: Record<string, unknown>, key: string): number | undefined => {
  const n = numberIn(settings, key, Number.NaN)
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/** The pace the dispatcher will give this account's lane (see outbox/account-lane.ts). */
export function accountPace(account: PacedAccount, spokenSeconds?: number): SendPace {
  const { kind, settings } = account
  const ratePerSecond = setting(settings, 'ratePerSecond')
  if (kind === 'voice_twilio' || kind === 'voice_vonage') {
    const limits = accountLimits(kind, ratePerSecond === undefined ? {} : { ratePerSecond })
    // The outbox counts calls still ringing or speaking against maxConcurrentCalls.
    const calls = Math.min(
      500,
      Math.max(1, Math.round(setting(settings, 'maxConcurrentCalls') ?? 10)),
    )
    return {
      ratePerSecond: limits.ratePerSecond,
      burst: limits.burst,
      concurrency: calls,
      secondsPerMessage: CALL_RING_SECONDS + Math.max(0, spokenSeconds ?? 0),
    }
  }
  const connections = kind === 'email_smtp' ? setting(settings, 'maxConnections') : undefined
  const limits = accountLimits(kind, {
    ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
    ...(connections === undefined ? {} : { concurrency: connections }),
  })
  return {
    ratePerSecond: limits.ratePerSecond,
    burst: limits.burst,
    concurrency: limits.concurrency,
  }
}

/** Time to send `rows` messages on this account, from the first to the last. */
export function sendTimeOf(
  account: PacedAccount,
  rows: number,
  spokenSeconds?: number,
): SendTimeEstimate {
  return estimateSendTime(rows, accountPace(account, spokenSeconds))
}
