/**
 * What a phone call's state means for its outbox row: still ringing, reached
 * (a person, or their answering machine), or not reached — then called again
 * after the account's interval until its attempts are spent. One call is one
 * row that may ring several times; a new call is placed only after the
 * provider said the last one ended unanswered, so nobody is called twice for
 * a call that might have been answered.
 */
import type { CallPolicy, CallStatus, ChannelAdapter } from '../channels/adapter'
import { romeWallClock } from '../../../shared/time'
import type { CallLogEntry, CallOutcomeName } from './types'
import type { ReceiptDue, ReceiptUpdate } from './outbox-receipts'
import { parseCallLog } from './outbox-rows'

/** What the row knows of its calls when a state comes in. */
export interface CallContext {
  policy: CallPolicy
  /** Calls placed so far, this one included. */
  attempt: number
  log: readonly CallLogEntry[]
  /** How long the message lasts when heard whole (s); null when unknown. */
  expectedSeconds: number | null
  /** When this call was placed (epoch ms). */
  sentAt: number
}

/**
 * A call whose state the provider has not told for this long is over for
 * Vedetta: no call lasts that long, and a row left "in progress" would hold a
 * line of the account's cap and keep its alert open for ever.
 */
export const CALL_STATUS_GIVE_UP_MS = 30 * 60_000

/**
 * A poll that told nothing about a call (the provider did not answer, or
 * answered something unreadable): asked again, until CALL_STATUS_GIVE_UP_MS
 * after the call was placed; then it fails as "esito sconosciuto", and is not
 * placed again, since someone may have answered it. The board shows the reason.
 */
export function silentCallUpdate(
  id: number,
  now: number,
  nextPollAt: number | null,
  call: CallContext,
): ReceiptUpdate {
  if (now - call.sentAt < CALL_STATUS_GIVE_UP_MS) return { id, type: 'pending', nextPollAt }
  return {
    id,
    type: 'failed',
    code: 'call_status_unknown',
    reason:
      'Esito della chiamata sconosciuto: il fornitore non ne ha detto lo stato per 30 minuti. Non si richiama da solo: potrebbe aver risposto',
    call: { outcome: 'failed', log: [...call.log, { at: now, outcome: 'failed' }] },
  }
}

/** The call context of a due receipt on a voice account; undefined elsewhere. */
export function callContextOf(
  adapter: ChannelAdapter,
  due: ReceiptDue,
  expectedSeconds: number | null,
): CallContext | undefined {
  const policy = adapter.callPolicy?.()
  if (!policy) return undefined
  return {
    policy,
    attempt: due.callAttempt,
    log: parseCallLog(due.callLog),
    expectedSeconds,
    sentAt: due.sentAt,
  }
}

/** A call answered for less than this share of the message was hung up on: "interrotta". */
const HEARD_WHOLE_SHARE = 0.8

const SPOKEN: Record<CallOutcomeName, string> = {
  queued: 'in coda',
  ringing: 'squilla',
  in_progress: 'in corso',
  answered: 'risposto',
  interrupted: 'interrotta',
  voicemail: 'segreteria',
  busy: 'occupato',
  no_answer: 'non risponde',
  failed: 'non riuscita',
  canceled: 'annullata',
}

/** The board's words for a call's state. */
export const callOutcomeWords = (outcome: CallOutcomeName): string => SPOKEN[outcome]

const hhmm = (at: number) => {
  const c = romeWallClock(at)
  return `${String(c.hour).padStart(2, '0')}:${String(c.minute).padStart(2, '0')}`
}

/** "14:02 non risponde · 14:12 occupato": each try, Rome time. */
export function describeCallLog(log: readonly CallLogEntry[]): string {
  return log.map((e) => `${hhmm(e.at)} ${SPOKEN[e.outcome]}`).join(' · ')
}

/** The row update for a call's state. */
export function callReceiptUpdate(
  id: number,
  status: CallStatus,
  now: number,
  nextPollAt: number | null,
  call: CallContext,
): ReceiptUpdate {
  const at =
    status.at !== undefined && !Number.isNaN(Date.parse(status.at)) ? Date.parse(status.at) : now
  const { outcome } = status
  if (outcome === 'queued' || outcome === 'ringing' || outcome === 'in_progress')
    return { id, type: 'pending', nextPollAt, callOutcome: outcome }

  const ended = (name: CallOutcomeName): CallLogEntry[] => [
    ...call.log,
    {
      at,
      outcome: name,
      ...(status.durationSeconds === undefined ? {} : { seconds: status.durationSeconds }),
    },
  ]
  if (outcome === 'answered' || outcome === 'voicemail') {
    const cut =
      outcome === 'answered' &&
      call.expectedSeconds !== null &&
      status.durationSeconds !== undefined &&
      status.durationSeconds < call.expectedSeconds * HEARD_WHOLE_SHARE
    const name: CallOutcomeName = cut ? 'interrupted' : outcome
    return { id, type: 'delivered', at, call: { outcome: name, log: ended(name) } }
  }
  if (outcome === 'canceled') {
    return {
      id,
      type: 'failed',
      code: 'call_canceled',
      reason: 'Chiamata annullata dal fornitore prima della risposta',
      call: { outcome, log: ended(outcome) },
    }
  }
  // busy, no_answer, failed: nobody heard it.
  const log = ended(outcome)
  if (call.attempt < call.policy.attempts) {
    return {
      id,
      type: 'redial',
      nextAttemptAt: at + call.policy.intervalMs,
      code: `call_${outcome}`,
      reason: `${capital(SPOKEN[outcome])} (tentativo ${call.attempt} di ${call.policy.attempts}): si richiama alle ${hhmm(at + call.policy.intervalMs)}`,
      call: { outcome, log },
    }
  }
  return {
    id,
    type: 'failed',
    code: 'not_reached',
    reason: `Non raggiunto dopo ${call.attempt} ${call.attempt === 1 ? 'chiamata' : 'chiamate'}: ${describeCallLog(log)}`,
    call: { outcome, log },
  }
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
