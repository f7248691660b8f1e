import { CHANNEL_KIND_DESCRIPTORS } from '../../../shared/channels/kinds'
import type { CitizenFamily } from '../../../shared/citizens/types'
import type { CitizenMessage } from '../../../shared/drills/citizen-burst'
import { findName } from '../../../shared/drills/names'
import {
  INBOX_CATEGORY,
  type BulletinEvent,
  type OrdinanceEvent,
} from '../../../shared/drills/scenario'
import { parseDuration, parseScenarioTime } from '../../../shared/drills/time'
import { ALERT_KIND_LABELS } from '../../../shared/templates/alert-kinds'
import type { Core } from '../app'
import type { IncomingCitizenMessage } from '../citizens'
import type { ReadonlyDrillClock } from '../drills/drill-clock'
import type { FireContext, TimelineHandlers } from '../drills/timeline'
import type { Bulletin } from '../feeds'
import type { FaultWindows } from './fault-windows'
import type { RelaySimulation } from './relay-simulation'

/**
 * What the scenario does to the drill's room, through the same modules a real
 * day goes through: a bulletin is stored and raised like a polled one, citizens'
 * messages land in the inbox, ordinances are written in the journal (signed
 * "scenario"), partners relay late or never, channels fail. Trainer notes stay
 * on the trainer's timeline: the room does not see them.
 */

/** Who signs what the scenario writes into the room. */
export const SCENARIO_ACTOR = 'scenario'

export interface ScenarioWorldDeps {
  core: Core
  faults: FaultWindows
  relays: RelaySimulation
  clock: () => ReadonlyDrillClock
  now: () => Date
  /** What T+0:00 stands for in the scenario's world (epoch ms): onset and expiry are placed from it. */
  worldStart: () => number
}

const ORDINANCE_SUBJECTS: Record<OrdinanceEvent['subject'], string> = {
  chiusura_scuole: 'chiusura delle scuole',
  evacuazione: 'evacuazione',
  viabilita: 'viabilità',
  altro: 'ordinanza',
}

/** A stable, unique provider-like id for each message of a burst part. */
function citizenFields(
  family: CitizenFamily,
  seq: number,
  m: CitizenMessage,
): Pick<IncomingCitizenMessage, 'externalId' | 'authorHandle' | 'flags'> {
  const n = seq * 1000 + m.n
  switch (family) {
    case 'sms':
      // Italian mobile numbers in a range no operator assigns to people (+39 330 0…).
      return {
        externalId: `esercitazione:${n}`,
        authorHandle: `+39330${String(n).padStart(7, '0')}`,
      }
    case 'email':
      return {
        externalId: `esercitazione:${n}`,
        authorHandle: `cittadino${n}@esercitazione.invalid`,
      }
    case 'telegram':
      return { externalId: `${n}:${m.n}`, authorHandle: null, flags: { chatId: String(n) } }
    case 'mastodon':
      return {
        externalId: `esercitazione:${n}`,
        authorHandle: `cittadino${n}`,
        flags: { acct: `cittadino${n}@esercitazione.invalid` },
      }
    default:
      return { externalId: `esercitazione:${n}`, authorHandle: `cittadino${n}` }
  }
}

export function createScenarioWorld(deps: ScenarioWorldDeps): TimelineHandlers {
  // The room's own parts, built once by the composition root: what the scenario does reaches
  // the room exactly as a real day's bulletins, messages and notes do.
  const { bulletins: injector, citizens, journal, accounts, partners, comuni } = deps.core.scenario

  const worldIso = (scenarioMs: number): string =>
    new Date(deps.worldStart() + scenarioMs).toISOString()

  function accountNamed(name: string) {
    const all = accounts.list()
    const found = findName(
      name,
      all.map((a) => a.name),
    )
    const account = all.find((a) => a.name === found)
    if (!account) throw new Error(`il canale «${name}» non esiste in questa esercitazione`)
    return account
  }

  /**
   * The account citizens of a family write to: the first enabled one, as the
   * inbox would have polled it, else the first of the family even if disabled.
   * A message must keep the channel it came on: answers go back through it once
   * the account is on, instead of failing for an account that "no longer exists".
   */
  function accountOfFamily(family: CitizenFamily) {
    const ofFamily = accounts
      .list()
      .filter((a) => CHANNEL_KIND_DESCRIPTORS[a.kind].family === family)
    return ofFamily.find((a) => a.enabled) ?? ofFamily[0]
  }

  function bulletinOf(event: BulletinEvent, ctx: FireContext): Bulletin {
    const id = (ref: string) => `esercitazione:${ref}`
    const ownId = id(event.id ?? `iniettato-${ctx.seq}`)
    const istat = new Map(comuni.list().map((c) => [c.name.toLowerCase(), c.istatCode]))
    return {
      sourceId: null,
      externalId: ownId,
      capIdentifier: ownId,
      sender: event.source,
      sent: worldIso(ctx.firedAt),
      msgType: event.msgType,
      status: 'Exercise',
      references: event.references
        ? [{ sender: event.source, identifier: id(event.references), sent: '' }]
        : [],
      event: `Allerta ${ALERT_KIND_LABELS.it[event.kind].toLowerCase()}`,
      severity: null,
      urgency: null,
      certainty: null,
      onset: worldIso(parseScenarioTime(event.onset) ?? ctx.firedAt),
      effective: null,
      expires: worldIso(parseScenarioTime(event.expires) ?? ctx.firedAt),
      headline: event.headline,
      description: event.description,
      instruction: event.instruction ?? null,
      web: null,
      areas: event.comuni.map((name) => {
        const code = istat.get(name.toLowerCase())
        return { name, geocodes: code ? [{ valueName: 'ISTAT', value: code }] : [] }
      }),
      level: event.level,
      levelKind: 'criticita',
      language: 'it',
      rawKind: 'cap',
    }
  }

  return {
    onBulletin(event, ctx) {
      injector.inject(bulletinOf(event, ctx), { kind: event.kind, actor: SCENARIO_ACTOR })
    },

    onOrdinance(event) {
      const zones = event.zones?.length ? `\nZone: ${event.zones.join(', ')}.` : ''
      journal.addNote(
        SCENARIO_ACTOR,
        `Ordinanza del Comune di ${event.comune} (${ORDINANCE_SUBJECTS[event.subject]}): ${event.title}\n${event.text}${zones}`,
      )
    },

    onCitizenMessages(event, messages, ctx) {
      const family = event.channel
      const account = accountOfFamily(family)
      const at = deps.now().toISOString()
      const fresh = citizens.ingest(
        messages.map((m) => ({
          family,
          accountId: account?.id ?? null,
          threadId: `esercitazione:${ctx.seq}`,
          authorName: m.author ?? `Cittadino ${m.n}`,
          text: m.text,
          receivedAt: at,
          ...citizenFields(family, ctx.seq, m),
        })),
      )
      if (fresh.length > 0) {
        citizens.categorise(
          fresh.map((m) => m.id),
          INBOX_CATEGORY[event.category],
          SCENARIO_ACTOR,
        )
      }
      // In the inbox all the same, so the team sees them; the trainer is told why they cannot be answered.
      if (!account)
        throw new Error(
          `nessun canale ${family} in questa esercitazione: i messaggi sono arrivati ma non si può rispondere`,
        )
    },

    onPartnerRelay(event, ctx) {
      const all = partners.list()
      const found = findName(
        event.partner,
        all.map((p) => p.name),
      )
      const partner = all.find((p) => p.name === found)
      if (!partner)
        throw new Error(`il partner «${event.partner}» non esiste in questa esercitazione`)
      deps.relays.setPolicy(partner.id, {
        delayMs: event.delay === 'never' ? null : (parseDuration(event.delay) ?? 0),
        since: ctx.scheduledAt,
      })
    },

    onChannelFault(event, ctx) {
      const account = accountNamed(event.channel)
      deps.faults.open(
        {
          accountId: account.id,
          channel: account.name,
          fault: event.fault,
          from: ctx.scheduledAt,
          to: ctx.scheduledAt + (parseDuration(event.duration) ?? 0),
          ...(event.detail === undefined ? {} : { detail: event.detail }),
        },
        deps.clock(),
      )
    },

    onNote() {
      // For the trainer only: it is on the trainer's timeline, not in the room.
    },
  }
}
