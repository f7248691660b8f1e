import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createAlertsService,
  type AlertsService,
} from '../../../src/main/core/alerts/alerts-service'
import { createAuditLog, type AuditEntry } from '../../../src/main/core/audit/audit-log'
import { createFeedsService } from '../../../src/main/core/bulletins/feeds-service'
import { createChannelAccountsRepository } from '../../../src/main/core/channels/accounts-repository'
import {
  createAdapterFactory,
  type SimulatedRegistry,
} from '../../../src/main/core/channels/adapters'
import { createChannelHealthRepository } from '../../../src/main/core/channels/health-repository'
import { createCitizensService } from '../../../src/main/core/citizens/citizens-service'
import { createInboundCursorsRepository } from '../../../src/main/core/citizens/inbound/cursors-repository'
import { createInboundPoller } from '../../../src/main/core/citizens/inbound/scheduler'
import { createTelegramInbound } from '../../../src/main/core/citizens/inbound/telegram'
import { createComuniRepository } from '../../../src/main/core/comuni'
import { createContactsRepository } from '../../../src/main/core/contacts'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import { EventBus } from '../../../src/main/core/events'
import { createFeedsRepository } from '../../../src/main/core/feeds'
import { createLog } from '../../../src/main/core/health/log'
import { createSystemHealth } from '../../../src/main/core/health/system-health'
import { createOncall, type Oncall } from '../../../src/main/core/oncall'
import { createDirectMessages } from '../../../src/main/core/outbox'
import { loadDefaultTemplates } from '../../../src/main/core/templates/templates-service'
import type { EscalationView, OncallSettings } from '../../../src/shared/contract/oncall'
import type { FeedSource } from '../../../src/shared/feeds/types'
import { startFeedServer, type FeedServer } from '../../fakes/feed-server'
import { startFakeSmsGateway, type FakeSmsGateway } from '../../fakes/sms-gateway-fake'
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-fake'
import type { FakeTwilioVoice } from '../../fakes/twilio-voice-fake'
import { italianCap } from '../../support/bulletins'

/**
 * A night in the room with nobody at the desk: a real workspace file, the core's event
 * bus, journal and Stato, the feeds service reading a loopback CAP server, the inbox's
 * Telegram poller (through the on-call tap) and the on-call module, all on one simulated
 * clock; the room's bot is the loopback Telegram fake and the SMS account the gateway fake.
 * Mario (first), Lucia (second) and Paolo (coordinator) are on the night shift.
 */
export interface Night {
  db: Db
  dir: string
  events: EventBus
  oncall: Oncall
  /** The room's alerts (the composer's service), on the SMS account, to `recipients` numbers. */
  alerts: AlertsService
  /** A confirmed alert by SMS to `recipients` numbers, past its cancel window (it can be stopped). */
  scheduledAlert(recipients?: number): number
  telegram: FakeTelegram
  gateway: FakeSmsGateway
  feeds: FeedServer
  journal: AuditEntry[]
  logLines: string[]
  escalations: EscalationView[]
  health: ReturnType<typeof createSystemHealth>
  people: { mario: number; lucia: number; paolo: number }
  chats: { mario: string; lucia: string; paolo: string }
  botAccountId: number
  smsAccountId: number
  /** The Twilio voice account on the `voice` fake, when the night has one (not chosen yet). */
  voiceAccountId: number | null
  clock: { now(): Date; set(iso: string): void; advanceMinutes(m: number): void }
  /** The CFR source polled once: a new bulletin (level as given) for our zones. */
  bulletin(level?: 'giallo' | 'arancione' | 'rosso', identifier?: string): Promise<void>
  /** The inbox's own entry point: what a poller hands it (SMS replies, e-mails…). */
  citizens: ReturnType<typeof createCitizensService>
  /** One poll of the inbox's Telegram account, through the scheduler and the on-call tap. */
  pollInbox(): Promise<unknown>
  /** Journal actions of the on-call module, with their times. */
  oncallJournal(): { at: string; actor: string; action: string; detail: Record<string, unknown> }[]
  dispose(): Promise<void>
}

export const CHAT = { mario: '111111111', lucia: '222222222', paolo: '333333333' }

export async function openNight(
  options: {
    start?: string
    settings?: Partial<OncallSettings>
    recipients?: number
    /** Drafts from the phone go to the SMS account and list 1, with this size limit. */
    phoneDrafts?: { maxRecipients?: number }
    /** A Twilio voice account on this fake (its settings over these), for `voiceAccountId`. */
    voice?: { fake: FakeTwilioVoice; settings?: Record<string, unknown> }
    /** Request deadline of the real adapters (default theirs, 15 s). */
    httpTimeoutMs?: number
    /** A drill: on-call's adapters are this registry's simulated twins only. */
    drill?: SimulatedRegistry
  } = {},
): Promise<Night> {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-oncall-'))
  const db = openDatabase(join(dir, 'workspace.sqlite'))
  // 03:00 in Rome, Sunday: the night shift of Saturday, in winter.
  let now = new Date(options.start ?? '2026-02-08T02:00:00.000Z')
  const clock = {
    now: () => now,
    set: (iso: string) => {
      now = new Date(iso)
    },
    advanceMinutes: (m: number) => {
      now = new Date(now.getTime() + m * 60_000)
    },
  }
  const events = new EventBus((name, err) => {
    throw new Error(`listener of ${name} failed: ${String(err)}`)
  })
  const journal: AuditEntry[] = []
  const audit = createAuditLog(db, clock.now, (e) => journal.push(e))
  const logLines: string[] = []
  const log = createLog((line) => logLines.push(line))
  const health = createSystemHealth({
    log,
    now: clock.now,
    emit: (problems) => events.emit('system:health', problems),
  })
  const escalations: EscalationView[] = []
  events.on('oncall:escalation', (e) => escalations.push(e))

  const telegram = await startFakeTelegram({ now: () => now.getTime() })
  const gateway = await startFakeSmsGateway()
  const feeds = await startFeedServer()
  const accounts = createChannelAccountsRepository(db)
  const at = now.toISOString()
  const botAccountId = accounts.create({
    kind: 'telegram',
    name: 'Bot della sala',
    enabled: true,
    settings: { baseUrl: telegram.url, chatId: '@pc_empolese' },
    secrets: {},
    now: at,
  })
  const smsAccountId = accounts.create({
    kind: 'sms_gateway',
    name: 'SMS Skebby',
    enabled: true,
    settings: {
      baseUrl: gateway.baseUrl,
      username: gateway.username,
      sender: 'ProtCivile',
      messageType: 'GP',
    },
    secrets: {},
    now: at,
  })
  const secrets: Record<number, Record<string, string>> = {
    [botAccountId]: { botToken: telegram.token },
    [smsAccountId]: { password: gateway.password },
  }
  const voiceAccountId = options.voice
    ? accounts.create({
        kind: 'voice_twilio',
        name: 'Chiamate Twilio',
        enabled: true,
        settings: {
          baseUrl: options.voice.fake.url,
          accountSid: options.voice.fake.accountSid,
          from: '+390571000000',
          language: 'it-IT',
          ...options.voice.settings,
        },
        secrets: {},
        now: at,
      })
    : null
  if (voiceAccountId !== null)
    secrets[voiceAccountId] = { authToken: options.voice!.fake.authToken }
  const accountHealth = createChannelHealthRepository(db)
  const contacts = createContactsRepository(db)
  // Answers to citizens go in the real outbox (nothing dispatches them here: rows are read).
  const direct = createDirectMessages(db, {
    partners: { get: () => null },
    contacts: { get: () => null },
    ente: () => 'Unione dei Comuni',
    now: () => now.getTime(),
  })
  let recipients = options.recipients ?? 40
  // The composer's templates, as the workspace seeds them.
  const templates = loadDefaultTemplates(join(__dirname, '../../../resources'))
  const alerts = createAlertsService({
    db,
    audit,
    events: { alertChanged: (change) => events.emit('alerts:changed', change) },
    resolveRecipients: (_lists, family) => ({
      recipients:
        family === 'sms'
          ? Array.from({ length: recipients }, (_, i) => ({
              contactId: 900_000 + i,
              address: `+39347${String(5_000_000 + i)}`,
            }))
          : [],
      skipped: [],
    }),
    now: () => now.getTime(),
  })
  const oncall = createOncall({
    alerts: () => alerts,
    bulletinDrafts: () => ({
      draftFor: (itemId) => feedsService.draftFor(itemId),
      comuni: () => createComuniRepository(db).list(),
      template: (id) => templates.find((t) => t.id === id),
      extra: () => ({
        ente: 'Unione dei Comuni',
        link: 'https://example.org/allerta',
        numero_emergenza: '112',
        hashtag: '#AllertaEmpolese',
      }),
    }),
    db,
    events,
    audit,
    log,
    health,
    now: clock.now,
    mode: options.drill ? 'drill' : 'real',
    adapters: options.drill
      ? createAdapterFactory('drill', { registry: options.drill })
      : createAdapterFactory('real', {
          ...(options.httpTimeoutMs ? { http: { timeoutMs: options.httpTimeoutMs } } : {}),
        }),
    accounts: {
      get: (id) => accounts.get(id),
      list: () => accounts.list(),
      secretsFor: (id) => secrets[id] ?? {},
    },
    channelHealth: (id) => accountHealth.get(id),
    contacts,
    enqueueReply: direct.enqueueReply,
  })

  const person = (name: string, chat: string, phone: string) => {
    const contactId = contacts.insert(
      {
        name,
        email: null,
        telegram: null,
        comuneId: null,
        institution: null,
        language: 'it',
        notes: null,
        whatsappOptInOn: null,
        prefersCall: null,
      },
      at,
    )
    telegram.addPerson(chat, name.split(' ')[0]!)
    return oncall.roster.savePerson(
      { contactId, phone, telegramChatId: chat, email: null },
      'Giulia',
    ).id
  }
  const people = {
    mario: person('Mario Rossi', CHAT.mario, '+393471111111'),
    lucia: person('Lucia Bianchi', CHAT.lucia, '+393472222222'),
    paolo: person('Paolo Verdi', CHAT.paolo, '+393473333333'),
  }
  // Saturday 20:00 → Sunday 08:00.
  oncall.roster.saveShift(
    {
      label: 'Notte',
      weekday: 6,
      starts: '20:00',
      ends: '08:00',
      chain: [people.mario, people.lucia, people.paolo],
    },
    'Giulia',
  )
  oncall.roster.updateSettings(
    {
      telegramAccountId: botAccountId,
      smsAccountId,
      ...options.settings,
      ...(options.phoneDrafts
        ? {
            phone: {
              accountIds: [smsAccountId],
              listIds: [1],
              maxRecipients: options.phoneDrafts.maxRecipients ?? 500,
            },
          }
        : {}),
    },
    'Giulia',
  )

  const feedsService = createFeedsService({
    repo: createFeedsRepository(db, clock.now),
    events,
    audit,
    comuni: () => createComuniRepository(db).list(),
    templateFor: (kind, level) =>
      templates.find((t) => t.kind === kind && t.level === level)?.id ?? null,
    now: clock.now,
  })
  let source: FeedSource | undefined

  const citizens = createCitizensService({
    db,
    emit: (name, payload) => events.emit(name, payload as never),
    enqueueReply: direct.enqueueReply,
    now: clock.now,
  })
  const inbox = createTelegramInbound(
    { id: botAccountId, kind: 'telegram', settings: { baseUrl: telegram.url } },
    {
      secretsFor: () => secrets[botAccountId]!,
      fetch: oncall.tapFetch(),
      now: () => now.getTime(),
      timeoutMs: 2_000,
    },
  )
  const scheduler = createInboundPoller({
    sources: [botAccountId],
    pollers: new Map([[botAccountId, inbox]]),
    store: createInboundCursorsRepository(db),
    onMessages: (messages) => citizens.ingest(messages),
    now: clock.now,
    random: () => 0.5,
  })

  return {
    db,
    dir,
    events,
    oncall,
    alerts,
    scheduledAlert(count = 40) {
      recipients = count
      const { id } = alerts.createDraft(
        {
          kind: 'idraulico',
          level: 'rosso',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2026-02-08T03:00:00+01:00',
          validTo: '2026-02-09T03:00:00+01:00',
          headline: 'Allerta rossa per rischio idraulico',
          texts: { sms: 'ALLERTA ROSSA idraulica: evita i sottopassi. Info https://example.org' },
          targets: { accountIds: [smsAccountId], listIds: [1] },
        },
        'Giulia',
      )
      alerts.confirm(id, 'Giulia', { cancelWindowSeconds: 0 })
      return id
    },
    telegram,
    gateway,
    feeds,
    journal,
    logLines,
    escalations,
    health,
    people,
    chats: CHAT,
    botAccountId,
    smsAccountId,
    voiceAccountId,
    clock,
    citizens,
    async bulletin(level = 'rosso', identifier = 'cfr-piena-1') {
      feeds.setDocument(
        'allerta.xml',
        italianCap({
          identifier,
          level,
          event: 'Allerta idraulica',
          headline: `Allerta ${level} per rischio idraulico: Empoli, Fucecchio`,
        }),
        'application/xml',
      )
      source ??= feedsService.createSource(
        {
          name: 'CFR Toscana',
          kind: 'cap',
          url: feeds.url('/doc/allerta.xml'),
          zones: ['EMMA_ID:IT009'],
        },
        'Giulia',
      )
      await feedsService.pollNow(source.id)
      await oncall.idle()
    },
    async pollInbox() {
      const report = await scheduler.pollNow(botAccountId)
      await oncall.idle()
      return report
    },
    oncallJournal: () =>
      journal
        .filter((e) => e.action.startsWith('oncall.') && !e.action.includes('Person'))
        .filter((e) => !['oncall.addShift', 'oncall.updateSettings'].includes(e.action))
        .map((e) => ({
          at: e.at,
          actor: e.actor,
          action: e.action,
          detail: (e.detail ?? {}) as Record<string, unknown>,
        })),
    async dispose() {
      await oncall.stop()
      await Promise.all([telegram.close(), gateway.close(), feeds.close()])
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The last message the bot sent to a chat. */
export function lastTo(night: Night, chat: string) {
  const messages = night.telegram.messagesTo(chat)
  return messages[messages.length - 1]
}

let nextSms = 1
/** A citizen's SMS as the gateway's poller hands it to the inbox, written at `receivedAt` (now). */
export function citizenSms(
  n: Night,
  from: string,
  text: string,
  receivedAt = n.clock.now().toISOString(),
) {
  return n.citizens.ingest([
    {
      family: 'sms',
      accountId: n.smsAccountId,
      externalId: `mo-${nextSms++}`,
      threadId: null,
      inReplyTo: null,
      authorName: null,
      authorHandle: from,
      text,
      receivedAt,
      flags: {},
    },
  ])
}
