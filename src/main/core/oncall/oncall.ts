import { CHANNEL_KIND_DESCRIPTORS, type ChannelKind } from '../../../shared/channels/kinds'
import type { OnCallNow, OncallPinStatus, OncallRoster } from '../../../shared/contract/oncall'
import type { HealthProblem } from '../../../shared/contract/system'
import type { AuditLog } from '../audit/audit-log'
import type { AdapterConfig, ChannelAdapter } from '../channels/adapter'
import type { ChannelHealth } from '../channels/health-repository'
import type { Db } from '../db/open'
import { invalid, notFound } from '../errors'
import type { EventBus } from '../events'
import type { Log } from '../health/log'
import { createOutboxRepository } from '../outbox/outbox-repository'
import type { DirectMessages } from '../outbox/direct-messages'
import { createAfterHoursReplies } from './after-hours'
import { createEscalationEngine } from './escalation-engine'
import { createEscalationsRepository } from './escalations-repository'
import { onCallAt } from './on-call-now'
import { createPhoneCommands } from './phone-commands'
import { createPhoneApprovals, type BulletinDrafts, type PhoneAlerts } from './phone-approvals'
import { createPinStore, PIN_PATTERN } from './pins'
import { createPagingChannels, type AccountLookup } from './paging-channels'
import { createRosterRepository } from './roster-repository'
import { createRosterService } from './roster-service'
import { createTriggerWatch } from './triggers'
import { createPresence } from './presence'
import { createLateRelays } from './late-relays'
import { tapTelegramUpdates } from './updates-tap'

export interface OncallDeps {
  db: Db
  events: EventBus
  audit: AuditLog
  log: Log
  health: {
    raise(source: string, message: string): void
    clear(source: string): void
    list(): HealthProblem[]
  }
  now: () => Date
  mode: 'real' | 'drill'
  /** Channel accounts: the room's bot and the SMS account are chosen among them. */
  accounts: AccountLookup & {
    list(): { id: number; name: string; enabled: boolean; kind: ChannelKind }[]
  }
  /** The core's adapter factory (simulated twins only in a drill). */
  adapters: (kind: ChannelKind, config: AdapterConfig) => ChannelAdapter
  channelHealth: (accountId: number) => ChannelHealth | null
  contacts: { get(id: number): { id: number; name: string } | null }
  /** The outbox's replies, for the automatic answer outside staffed hours (none: no answer). */
  enqueueReply?: DirectMessages['enqueueReply']
  /**
   * The alerts area, for «STOP <n> <PIN>» and drafts approved with «APPROVA <n> <PIN>» from
   * the phone (none: the bot says it cannot).
   */
  alerts?: () => PhoneAlerts | undefined
  /** What the composer starts a bulletin's draft from (none: «Apri bozza» shows the proposal). */
  bulletinDrafts?: () => BulletinDrafts | undefined
  /** For the bot's requests (tests); global fetch otherwise. */
  fetch?: typeof fetch
  /** How often due escalations and lasting problems are looked at (default 5 s). */
  tickMs?: number
}

const DEFAULT_TICK_MS = 5_000

/**
 * The on-call roster and its escalations, composed: the roster's edits, who is on call,
 * the triggers (bulletins at once from `feeds:alert`; Stato and failing channels when they
 * last), the escalation's clock (`tick`), button presses (`tapFetch` for the inbox's
 * Telegram poller), the banner acknowledged in the room stopping a bulletin's paging, and
 * the automatic answer to citizens outside staffed hours.
 */
export function createOncall(deps: OncallDeps) {
  const repo = createRosterRepository(deps.db)
  const pins = createPinStore(deps.db)
  const escalations = createEscalationsRepository(deps.db)
  const changed = (what: 'roster' | 'settings') => {
    deps.events.emit('oncall:changed', { what })
    // A roster put right may leave nothing untaken to report (an unstaffed night stays).
    engine.refreshHealth()
  }
  const roster = createRosterService({
    repo,
    audit: deps.audit,
    contacts: deps.contacts,
    accounts: deps.accounts,
    accountFamily: (kind) => CHANNEL_KIND_DESCRIPTORS[kind as ChannelKind]?.family ?? kind,
    changed,
    now: deps.now,
  })
  const channels = createPagingChannels({
    mode: deps.mode,
    settings: () => repo.settings(),
    accounts: deps.accounts,
    adapters: deps.adapters,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  })
  const approvals = createPhoneApprovals({
    db: deps.db,
    roster: repo,
    escalations,
    channels,
    audit: deps.audit,
    log: deps.log,
    now: deps.now,
    ...(deps.alerts ? { alerts: deps.alerts } : {}),
    ...(deps.bulletinDrafts ? { bulletins: deps.bulletinDrafts } : {}),
    track: (work) => engine.track(work),
  })
  const engine = createEscalationEngine({
    drafts: approvals,
    db: deps.db,
    roster: repo,
    escalations,
    channels,
    audit: deps.audit,
    emit: (view) => deps.events.emit('oncall:escalation', view),
    health: deps.health,
    log: deps.log,
    now: deps.now,
  })
  const onError = (err: unknown) => deps.log.error('oncall', err)
  const phone = createPhoneCommands({
    db: deps.db,
    roster: repo,
    pins,
    channels,
    audit: deps.audit,
    log: deps.log,
    now: deps.now,
    ...(deps.alerts ? { alerts: deps.alerts } : {}),
    approvals,
    track: (work) => engine.track(work),
  })
  const presence = createPresence(deps.now)
  const lateRelays = createLateRelays(deps.db)
  const triggers = createTriggerWatch({
    idleMs: () => presence.idleMs(),
    lateRelays,
    raisedBefore: (key) => escalations.raisedBefore(key),
    settings: () => repo.settings(),
    raise: (t) => engine.raise(t),
    healthProblems: () => deps.health.list(),
    channels: () => deps.accounts.list(),
    channelHealth: deps.channelHealth,
    now: deps.now,
  })

  deps.events.on('feeds:alert', (alert) => triggers.bulletin(alert))
  deps.events.on('citizens:received', ({ messages }) => triggers.citizens(messages))
  deps.events.on('system:health', () => triggers.evaluate())
  deps.events.on('feeds:alertAcknowledged', ({ itemId }) => engine.bulletinSeen(itemId))
  // A draft edited (or sent) in the room: approvals given from the phone for what it was lapse.
  deps.events.on('alerts:changed', ({ alertId, change }) => {
    if (change === 'updated' || change === 'confirmed') approvals.draftChanged(alertId)
  })
  if (deps.enqueueReply) {
    const outbox = createOutboxRepository(deps.db)
    const afterHours = createAfterHoursReplies({
      settings: () => repo.settings(),
      enqueueReply: deps.enqueueReply,
      queued: (key) => outbox.byKey(key) !== undefined,
      audit: deps.audit,
      log: deps.log,
    })
    deps.events.on('citizens:received', ({ messages }) => afterHours.received(messages))
  }

  let timer: ReturnType<typeof setInterval> | undefined
  const tick = async () => {
    triggers.evaluate()
    approvals.expire()
    await engine.tick()
  }

  return {
    roster,
    engine,
    tick,
    getRoster: (): OncallRoster => ({
      people: repo.people(),
      shifts: repo.shifts(),
      exceptions: repo.exceptions(),
      settings: repo.settings(),
    }),
    now: (at?: string): OnCallNow =>
      onCallAt(
        { shifts: repo.shifts(), people: repo.people(), exceptionsOn: (d) => repo.exceptionsOn(d) },
        at === undefined ? deps.now().getTime() : Date.parse(at),
      ),
    escalations: (limit: number) => escalations.list(limit).map((e) => escalations.view(e)),
    acknowledge: (id: number, operator: string) => engine.acknowledge(id, operator),
    /** A draft started from a page may still be approved from the phone (the bot is read often). */
    phoneWaiting: () => approvals.waiting(),
    /** Someone is using the room now (the page's typing, clicks and taps). */
    present: () => ({ at: presence.seen() }),
    /**
     * Sets a person's PIN (write-only: the journal says who set whose PIN, never the PIN);
     * a lock after wrong tries is cleared.
     */
    setPin(personId: number, pin: string, actor: string): OncallPinStatus {
      const person = repo.person(personId)
      if (!person) throw notFound(`on-call person ${personId}`)
      if (!PIN_PATTERN.test(pin)) throw invalid([{ path: 'pin', code: 'invalid' }])
      const wasLocked = pins.status(personId).locked
      pins.set(personId, pin, deps.now().toISOString())
      deps.audit.record(actor, 'oncall.setPin', `oncall-person:${personId}`, {
        name: person.name,
        ...(wasLocked ? { unlocked: true } : {}),
      })
      deps.events.emit('oncall:changed', { what: 'roster' })
      return { personId, ...pins.status(personId) }
    },
    pins: (): OncallPinStatus[] =>
      repo.people().map((p) => ({ personId: p.id, ...pins.status(p.id) })),
    /**
     * The `fetch` for the inbox's Telegram poller: the room bot's getUpdates also brings
     * button presses and «STOP» from people on call, decided here (see updates-tap.ts).
     */
    tapFetch(base?: typeof fetch): typeof fetch {
      return tapTelegramUpdates({
        token: () => {
          const id = repo.settings().telegramAccountId
          return id === null ? undefined : deps.accounts.secretsFor(id).botToken
        },
        onCallbackQuery: (update) => {
          engine.handleUpdate(update)
        },
        onMessage: (update) => phone.handleUpdate(update).withhold,
        onError,
        ...(base ? { fetch: base } : {}),
      })
    },
    start(): void {
      if (timer) return
      engine.refreshHealth()
      timer = setInterval(() => {
        tick().catch(onError)
      }, deps.tickMs ?? DEFAULT_TICK_MS)
      tick().catch(onError)
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      timer = undefined
      await engine.idle()
    },
    /** Resolves once pages and answers already under way are done (tests, shutdown). */
    idle: () => engine.idle(),
  }
}

export type Oncall = ReturnType<typeof createOncall>
