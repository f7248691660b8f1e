import { Temporal } from 'temporal-polyfill'
import type { CitizenMessage } from '../../../shared/citizens/types'
import type { OncallSettings, OncallShift } from '../../../shared/contract/oncall'
import { romeWallClock } from '../../../shared/time'
import type { AuditLog } from '../audit/audit-log'
import { NoReplyRoute, replyRoute } from '../citizens/reply-route'
import type { Log } from '../health/log'
import type { DirectMessages } from '../outbox/direct-messages'
import { activeOccurrence, occurrenceOn } from './on-call-now'

/**
 * The automatic answer outside staffed hours: a citizen who writes privately (SMS, e-mail,
 * a private chat with the bot) when the room is not staffed gets the configured text once
 * per period, the stretch from the end of one staffed interval to the start of the next.
 * What decides is when the citizen wrote (a message read late, written while staffed, gets
 * none). Public comments and groups are never answered automatically.
 *
 * The answer is an outbox reply (retries, rate limits, receipts, drills' simulated twins)
 * whose idempotency key names the sender and the period, so the same period never answers
 * twice, across restarts too. The message itself stays as it was for the room to triage:
 * an automatic answer is not an answer.
 */

type Staffed = OncallSettings['afterHours']['staffed'][number]

const asShifts = (staffed: readonly Staffed[]): OncallShift[] =>
  staffed.map((s, i) => ({ id: i + 1, label: '', chain: [], ...s }))

/**
 * The off-hours period an instant falls in, as the instant it began (the end of the last
 * staffed interval); undefined while staffed. With no staffed hours at all, the Rome day.
 */
export function offHoursPeriod(staffed: readonly Staffed[], atMs: number): string | undefined {
  const shifts = asShifts(staffed)
  if (activeOccurrence(shifts, atMs)) return undefined
  const wall = romeWallClock(atMs)
  const today = Temporal.PlainDate.from({ year: wall.year, month: wall.month, day: wall.day })
  if (shifts.length === 0) return today.toString()
  let began = -Infinity
  for (let back = 0; back <= 8; back++) {
    const day = today.subtract({ days: back })
    for (const s of shifts) {
      const o = occurrenceOn(s, day)
      if (o && o.untilMs <= atMs && o.untilMs > began) began = o.untilMs
    }
  }
  return Number.isFinite(began) ? new Date(began).toISOString() : today.toString()
}

/** Who wrote, on which account, when the answer goes back privately; undefined for public places. */
function privateSender(m: CitizenMessage): string | undefined {
  if (m.accountId === null) return undefined
  if (m.family === 'sms' || m.family === 'email') return m.authorHandle ?? undefined
  if (m.family === 'telegram' && m.threadId === null)
    return m.flags.chatId ?? m.externalId.split(':')[0]
  return undefined
}

export function createAfterHoursReplies(deps: {
  settings(): OncallSettings
  /** The outbox's replies (`createDirectMessages(…).enqueueReply`). */
  enqueueReply: DirectMessages['enqueueReply']
  /** Whether an outbox row already carries this idempotency key. */
  queued(key: string): boolean
  audit: AuditLog
  log: Log
}) {
  return {
    /** New citizen messages, as `citizens:received` brings them; returns the answers queued. */
    received(messages: readonly CitizenMessage[]): number[] {
      const { afterHours } = deps.settings()
      if (!afterHours.enabled) return []
      const queued: number[] = []
      for (const m of messages) {
        const sender = privateSender(m)
        if (sender === undefined) continue
        const period = offHoursPeriod(afterHours.staffed, Date.parse(m.receivedAt))
        if (period === undefined) continue
        const key = `after-hours:${m.accountId}:${sender}:${period}`
        if (deps.queued(key)) continue
        try {
          const route = replyRoute(m, afterHours.text)
          const { outboxId } = deps.enqueueReply({
            messageId: m.id,
            family: m.family,
            accountId: m.accountId!,
            destination: route.destination,
            ...(route.inReplyTo === undefined ? {} : { inReplyTo: route.inReplyTo }),
            text: route.text,
            idempotencyKey: key,
          })
          queued.push(outboxId)
          deps.audit.record('vedetta', 'oncall.afterHoursReply', `citizen:${m.id}`, {
            family: m.family,
            outboxId,
          })
        } catch (err) {
          // The message stays in the inbox unanswered, as it would without this feature.
          if (err instanceof NoReplyRoute)
            deps.log.warn('oncall', `risposta automatica non possibile: ${err.message}`)
          else deps.log.error('oncall: risposta automatica', err)
        }
      }
      return queued
    },
  }
}
