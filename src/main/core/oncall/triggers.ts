import type { BulletinAlertView } from '../../../shared/contract/feeds'
import type { OncallSettings } from '../../../shared/contract/oncall'
import type { HealthProblem } from '../../../shared/contract/system'
import { parseInstant } from '../../../shared/time'
import type { CitizenMessage } from '../../../shared/citizens/types'
import type { ChannelHealth } from '../channels/health-repository'
import { offHoursPeriod } from './after-hours'
import { distressWordsIn } from './distress'
import type { LateRelay } from './late-relays'
import {
  bulletinTrigger,
  channelTrigger,
  distressTrigger,
  healthTrigger,
  relayTrigger,
  levelRank,
  type Trigger,
} from './page-texts'

/**
 * What pages, each switchable in Reperibilità: a new or upgraded bulletin for our comuni
 * at the chosen level or above (at once), a problem in Stato and a channel account that
 * keeps failing (once they have lasted the grace minutes, so a blip does not wake
 * anyone). A problem pages once while it lasts; when it clears and comes back, it pages
 * again. The escalation's own problem in Stato never pages. A citizen's message with words
 * of distress pages when nobody is reading: outside staffed hours, or when nobody has
 * used the room for the set minutes. A red alert that partners were asked to relay and have
 * not, after the set minutes, pages once per alert.
 */

/** A message read this long after it was written (an inbox catching up) does not page. */
export const DISTRESS_MAX_AGE_MS = 6 * 3_600_000

const OWN_HEALTH_SOURCE = 'oncall'

/** Why an account fails now, from its health record; undefined when it works. */
export function failingReason(h: ChannelHealth | null): string | undefined {
  if (!h) return undefined
  const success = h.lastSuccessAt ?? ''
  if (h.lastErrorAt && h.lastErrorAt > success) return h.lastError ?? 'invio non riuscito'
  if (h.lastCheckOk === false && h.lastCheckAt && h.lastCheckAt > success)
    return h.lastCheckMessage ?? 'verifica non superata'
  return undefined
}

export function createTriggerWatch(deps: {
  settings(): OncallSettings
  raise(trigger: Trigger): Promise<unknown>
  healthProblems(): HealthProblem[]
  channels(): { id: number; name: string; enabled: boolean }[]
  channelHealth(accountId: number): ChannelHealth | null
  /** Milliseconds since someone last used the room (presence.ts). */
  idleMs(): number
  /** Red alerts whose partners have not relayed them after `minutes` (late-relays.ts). */
  lateRelays(nowMs: number, minutes: number): LateRelay[]
  /** Whether an escalation with this key was ever raised (a restart does not page twice). */
  raisedBefore(key: string): boolean
  now(): Date
}) {
  /** Health and channel triggers that have paged and still hold. */
  const fired = new Set<string>()
  /** When each failing account was first seen failing. */
  const failingSince = new Map<number, number>()

  // The engine journals and logs its own failures; a rejected raise must not go unhandled.
  const raise = (trigger: Trigger) => {
    deps.raise(trigger).catch(() => undefined)
  }
  const fire = (trigger: Trigger) => {
    fired.add(trigger.key)
    raise(trigger)
  }

  return {
    bulletin(alert: BulletinAlertView): void {
      const { triggers } = deps.settings()
      if (!triggers.bulletins || levelRank(alert.level) < levelRank(triggers.minLevel)) return
      const trigger = bulletinTrigger(alert)
      if (trigger) raise(trigger)
    },

    /** New citizen messages, as `citizens:received` brings them; pages for the first in distress. */
    citizens(messages: readonly CitizenMessage[]): void {
      const { triggers, afterHours } = deps.settings()
      if (!triggers.distress) return
      const now = deps.now().getTime()
      const idle = deps.idleMs() >= triggers.idleMinutes * 60_000
      for (const m of messages) {
        const written = Date.parse(m.receivedAt)
        if (!(now - written <= DISTRESS_MAX_AGE_MS)) continue
        const words = distressWordsIn(m.text, triggers.distressWords)
        if (words.length === 0) continue
        // Staffed hours are those of the automatic answer (Reperibilità → Fuori orario).
        const offHours = offHoursPeriod(afterHours.staffed, written) !== undefined
        if (!offHours && !idle) continue
        raise(distressTrigger(m, words, offHours ? 'off_hours' : 'idle', triggers.idleMinutes))
        return
      }
    },

    /** Looks at Stato and the accounts' health now; raises what has lasted long enough. */
    evaluate(): void {
      const { triggers } = deps.settings()
      const now = deps.now().getTime()
      const grace = triggers.graceMinutes * 60_000

      const problems = deps.healthProblems().filter((p) => p.source !== OWN_HEALTH_SOURCE)
      const current = new Set(problems.map((p) => healthTrigger(p).key))
      for (const key of fired) if (key.startsWith('health:') && !current.has(key)) fired.delete(key)
      for (const p of problems) {
        const trigger = healthTrigger(p)
        if (!triggers.health || fired.has(trigger.key)) continue
        let since = now
        try {
          since = parseInstant(p.since)
        } catch {
          // A problem without a readable time counts from now.
        }
        if (now - since >= grace) fire(trigger)
      }

      for (const account of deps.channels()) {
        const reason = account.enabled ? failingReason(deps.channelHealth(account.id)) : undefined
        const key = `channel:${account.id}`
        if (reason === undefined) {
          failingSince.delete(account.id)
          fired.delete(key)
          continue
        }
        const since = failingSince.get(account.id) ?? now
        failingSince.set(account.id, since)
        if (!triggers.channels || fired.has(key) || now - since < grace) continue
        fire(
          channelTrigger({
            id: account.id,
            name: account.name,
            reason,
            since: new Date(since).toISOString(),
          }),
        )
      }

      if (triggers.relays) {
        for (const late of deps.lateRelays(now, triggers.relayMinutes)) {
          const trigger = relayTrigger(late)
          if (fired.has(trigger.key) || deps.raisedBefore(trigger.key)) continue
          fire(trigger)
        }
      }
    },
  }
}
