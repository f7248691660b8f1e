import type { SystemInfo } from '../../shared/contract'
import { createAuditLog } from './audit/audit-log'
import { createChannelAccountsRepository } from './channels/accounts-repository'
import { createChannelAccountsService } from './channels/accounts-service'
import { channelsHandlers } from './channels/handlers'
import { createAdapterFactory } from './channels/adapters'
import type { AdapterBuilder } from './channels/connection-test'
import { createChannelHealthRepository } from './channels/health-repository'
import { createLog } from './health/log'
import { createSystemHealth } from './health/system-health'
import { openDatabase, type Db } from './db/open'
import { EventBus } from './events'
import type { CommandHandlers } from './handlers'
import type { SecretCipher } from './secrets/cipher'
import { createTemplatesRepository } from './templates/templates-repository'
import { createTemplatesService, loadDefaultTemplates } from './templates/templates-service'
import { templatesHandlers } from './templates/handlers'
import { workspaceFile } from './workspace'
import { createContactsHandlers } from './contacts/handlers'
import { createFeedsRepository } from './feeds'
import { createFeedsService } from './bulletins/feeds-service'
import { feedsHandlers } from './bulletins/handlers'
import { createJournal } from './journal/journal'
import { createLayoutsRepository } from './room/layouts-repository'
import { journalHandlers, roomHandlers } from './room/handlers'
import { createAlertsRepository, createAlertsService } from './alerts'
import { alertsHandlers } from './alerts/handlers'
import { createRecordings } from './alerts/recordings'
import { createRelayWatch } from './alerts/relay-watch'
import {
  accountAdapterResolver,
  createDirectMessages,
  createDispatcher,
  createOutboxRepository,
} from './outbox'
import { retryBudgetFromSettings } from './outbox/retry-budget'
import { createMapImageSource } from './maps/alert-card'
import type { ExtraTemplateValues } from './alerts/template-texts'
import { createContactsRepository } from './contacts'
import {
  createDrillRooms,
  createWorkspaceNames,
  drillsHandlers,
  type DrillRooms,
  type PdfPrinter,
} from './drill-runtime'
import { createSettingsRepository } from './settings/settings-repository'
import { createCitizensService } from './citizens'
import { createBulletinInjector } from './bulletins/inject'
import type { ScenarioParts } from './drill-runtime/scenario-parts'
import type { AlertKind } from '../../shared/templates/alert-kinds'
import { citizensHandlers } from './citizens/handlers'
import { createInboundRuntime } from './citizens/inbound-runtime'
import { createOncall, oncallHandlers } from './oncall'
import { createPressWatch } from './oncall/press-watch'
import { WorkspaceSettings } from '../../shared/contract/settings'
import { invalid } from './errors'
import { toFieldIssues } from '../../shared/validation/issues'
import { createNoticesService, type NoticesOptions } from './notices/notices-service'
import { noticesHandlers } from './notices/handlers'
import { mapsHandlers } from './maps/handlers'
import { createYoutubeAlertLink } from './channels/youtube-alert-link'

export interface CoreOptions {
  dataDir: string
  cipher: SecretCipher
  shell: SystemInfo['shell']
  version: string
  /** Defaults to the workspace file in dataDir; drills pass their own file. */
  databaseFile?: string
  /** The shipped data (resources/): default templates, municipalities. */
  resourcesDir: string
  mode?: SystemInfo['mode']
  /** Overrides how adapters are built (tests); by default real ones, or simulated twins in a drill. */
  adapters?: AdapterBuilder
  now?: () => Date
  /** The notices mailbox: a test CA, shorter retries, the desktop's way to open a file. */
  notices?: NoticesOptions
  /** How drill reports become PDF: Electron's printToPDF in the desktop, a headless Chromium otherwise. */
  printPdf?: PdfPrinter
  /** What the shell found wrong before the core started (no keyring, say): in Stato from the start. */
  startupProblems?: readonly { source: string; message: string }[]
}

export interface Core {
  readonly db: Db
  readonly events: EventBus
  readonly handlers: CommandHandlers
  /** The drills open beside this workspace (none inside a drill). */
  readonly drills: DrillRooms | undefined
  /**
   * What a drill's scenario acts through: the same inbox, journal, bulletin path and
   * repositories the room uses, built here once (see drill-runtime/scenario-world.ts).
   */
  readonly scenario: ScenarioParts
  /** Starts background work (feed polling, sending): only long-running shells call it. */
  start(): void
  /** Stops background work and closes the database. */
  shutdown(): Promise<void>
  /** Closes the database (background work must be stopped first; see shutdown). */
  close(): void
}

/** Builds the whole application over one database file: the only place domains are composed. */
export function createCore(options: CoreOptions): Core {
  const now = options.now ?? (() => new Date())
  const db = openDatabase(options.databaseFile ?? workspaceFile(options.dataDir))
  const log = createLog()
  // A broken subscriber is logged and shown in Stato; the other subscribers still get the event.
  const events: EventBus = new EventBus((name, err) => {
    log.error(`event ${name}`, err)
    if (name !== 'system:health')
      health.raise('events', `un aggiornamento della sala non è arrivato (${name})`)
  })
  const health = createSystemHealth({
    log,
    now,
    emit: (problems) => events.emit('system:health', problems),
  })
  for (const p of options.startupProblems ?? []) health.raise(p.source, p.message)
  // Every audited action reaches the room's journal live.
  const audit = createAuditLog(db, now, (e) =>
    events.emit('journal:added', {
      id: `a${e.id}`,
      at: e.at,
      actor: e.actor,
      kind: 'action',
      text: e.action,
      subject: e.subject,
      detail: e.detail,
    }),
  )
  const mode = options.mode ?? 'real'
  // In a drill only simulated twins can be built: a drill cannot reach a real citizen.
  const adapters = options.adapters ?? createAdapterFactory(mode === 'drill' ? 'drill' : 'real')
  const channelsRepo = createChannelAccountsRepository(db)
  const accountHealth = createChannelHealthRepository(db)
  const channels = createChannelAccountsService({
    repo: channelsRepo,
    health: accountHealth,
    adapters,
    cipher: options.cipher,
    events,
    audit,
    now,
  })

  const templates = createTemplatesService({
    repo: createTemplatesRepository(db),
    events,
    audit,
    now,
  })
  templates.seedDefaults(loadDefaultTemplates(options.resourcesDir))

  const people = createContactsHandlers(db, { events, audit, now })
  const comuni = people.comuni
  const feedsRepo = createFeedsRepository(db, now)
  const templateFor = (kind: AlertKind, level: string): string | null =>
    templates.list().find((t) => t.kind === kind && t.level === level)?.id ?? null
  const feeds = createFeedsService({
    mode,
    repo: feedsRepo,
    now,
    events,
    audit,
    comuni: () => comuni.list(),
    templateFor,
  })

  const notices = createNoticesService({
    ...options.notices,
    db,
    mode,
    workspaceDir: options.dataDir,
    cipher: options.cipher,
    events,
    audit,
    health,
    log,
    now,
    comuni: () => comuni.list(),
  })

  const settings = createSettingsRepository(db)
  /** The template values the office fills in once (Configurazione → Ente). */
  const enteValues = (): ExtraTemplateValues => {
    const s = settings.get()
    return { ente: s.ente, link: s.link, numero_emergenza: s.numeroEmergenza, hashtag: s.hashtag }
  }
  const epochMs = () => now().getTime()
  const dispatcher = createDispatcher({
    db,
    repositories: {
      outbox: createOutboxRepository(db),
      alerts: createAlertsRepository(db),
      accounts: channelsRepo,
    },
    adapterFor: accountAdapterResolver(
      { get: (id) => channelsRepo.get(id), secretsFor: (id) => channels.secretsFor(id) },
      adapters,
    ),
    // Posts carry the alert's map card, drawn in a worker thread with the ente's words.
    mapImage: createMapImageSource({
      resourcesDir: options.resourcesDir,
      ente: () => ({ name: settings.get().ente, hashtag: settings.get().hashtag }),
    }),
    now: epochMs,
    audit,
    retryBudgetFor: (accountId) => {
      const account = channelsRepo.get(accountId)
      return account ? retryBudgetFromSettings(account.settings) : undefined
    },
    onChange: (rows) => events.emit('outbox:rows', rows),
    onAlertChange: (change) => events.emit('alerts:changed', change),
    onAccountResult: (accountId, result) => {
      const at = now().toISOString()
      if (result.ok) accountHealth.recordSuccess(accountId, at)
      else accountHealth.recordError(accountId, at, result.reason)
    },
    onError: (err) => log.error('dispatcher', err),
    // "Invio fermo" stays in Stato until a pass commits again.
    onStall: (reason) =>
      reason === null
        ? health.clear('dispatcher')
        : health.raise('dispatcher', `Invio fermo: ${reason}. Riprovo da solo; nulla è perso.`),
    onCallStatusBlind: (accountId, reason) => {
      const source = `calls:${accountId}`
      if (reason === null) return health.clear(source)
      const name = channelsRepo.get(accountId)?.name ?? `account ${accountId}`
      health.raise(source, `Chiamate «${name}»: ${reason}.`)
    },
  })
  // Replies to citizens and relay requests to partners: rows of their own in the same outbox.
  const direct = createDirectMessages(db, {
    partners: people.partners,
    contacts: createContactsRepository(db),
    ente: () => settings.get().ente,
    onRowsChanged: (rows) => events.emit('outbox:rows', rows),
    onQueued: () => dispatcher.wake(),
    now: epochMs,
  })
  const recordings = createRecordings({
    db,
    audit,
    mode,
    accounts: () => channelsRepo.list(),
    secretsFor: (id) => channels.secretsFor(id),
    now,
  })
  const alerts = createAlertsService({
    recordings,
    relays: direct.relays,
    db,
    audit,
    resolveRecipients: (listIds, family, options) =>
      people.audience.resolveRecipients(listIds, family, options),
    accountHealth: (id) => {
      const h = accountHealth.get(id)
      return h && h.lastCheckOk === false
        ? { ok: false, message: h.lastCheckMessage ?? '' }
        : undefined
    },
    events: {
      rowsChanged: (rows) => events.emit('outbox:rows', rows),
      alertChanged: (change) => {
        // Stopped or cancelled: rows claimed for it and not yet sent go back at once.
        if (change.status === 'stopped' || change.status === 'cancelled')
          dispatcher.forgetAlert(change.alertId)
        events.emit('alerts:changed', change)
      },
    },
    onQueued: () => dispatcher.wake(),
    now: epochMs,
    mode,
    defaultCancelWindowSeconds: settings.get().cancelWindowSeconds,
    followUpTemplates: () => ({ templates: templates.list(), extra: enteValues() }),
  })
  const journal = createJournal(db, events, now)
  const citizens = createCitizensService({
    db,
    enqueueReply: direct.enqueueReply,
    emit: (name, payload) => events.emit(name, payload as never),
    now,
  })
  // Nobody at the desk: bulletins and Stato page whoever is on call until someone takes charge.
  const oncall = createOncall({
    ...{ db, events, audit, log, health, now, mode, adapters },
    accounts: {
      get: (id) => channelsRepo.get(id),
      list: () => channelsRepo.list(),
      secretsFor: (id) => channels.secretsFor(id),
    },
    channelHealth: (id) => accountHealth.get(id),
    contacts: createContactsRepository(db),
    enqueueReply: direct.enqueueReply,
    // STOP from the phone stops an alert through the same service as the room's Stop; a
    // draft approved from the phone is confirmed by the room's own confirmation.
    alerts: () => alerts,
    bulletinDrafts: () => ({
      draftFor: (itemId) => feeds.draftFor(itemId),
      comuni: () => comuni.list(),
      template: (id) => templates.list().find((t) => t.id === id),
      extra: enteValues,
    }),
  })
  // Drills never poll real providers: their citizen messages come from the scenario.
  const inbound =
    mode === 'real'
      ? createInboundRuntime({
          db,
          accounts: channelsRepo,
          citizens,
          secretsFor: (id) => channels.secretsFor(id),
          telegramFetch: oncall.tapFetch(),
          onError: (err, accountId) =>
            accountId === undefined ? log.error('inbound', err) : undefined,
        })
      : undefined
  // While a page waits for someone to take it, the room's bot is read every few seconds: its
  // buttons' presses arrive only with the bot's updates, and Telegram soon stops accepting an
  // answer to a press. The reads stop once no page is open.
  const pressWatch = createPressWatch({
    open: () => oncall.escalations(20).some((e) => e.state === 'open') || oncall.phoneWaiting(),
    read: () => inbound?.pollTelegramNow() ?? Promise.resolve(),
    onError: (err) => log.error('oncall', err),
  })
  events.on('oncall:escalation', () => pressWatch.poke())

  // Partners' relays seen on their websites' feeds (real operations only: a drill simulates them).
  const relayWatch =
    mode === 'real'
      ? createRelayWatch({
          alerts: () => alerts.list(50),
          relays: (id) => alerts.relays(id),
          partner: (id) => people.partners.get(id) ?? undefined,
          markSeen: (alertId, partnerId, note) => {
            const updated = alerts.updateRelay(alertId, partnerId, 'seen', 'vedetta', note)
            const alert = alerts.get(alertId)
            events.emit('alerts:changed', { alertId, status: alert.status, change: 'relay_seen' })
            return updated
          },
        })
      : undefined

  // An edited or deleted account must not keep sending with its old adapter, nor be polled.
  events.on('channels:changed', ({ id }) => {
    dispatcher.invalidate(id)
    void inbound?.refresh()
  })

  const drills =
    mode === 'real'
      ? createDrillRooms({
          dataDir: options.dataDir,
          events,
          ...(options.printPdf ? { printPdf: options.printPdf } : {}),
          openCore: (o) => createCore({ ...options, ...o, mode: 'drill' }),
        })
      : undefined

  // What a drill's scenario writes into the room through: the room's own parts.
  const scenario: ScenarioParts = {
    bulletins: createBulletinInjector({
      repo: feedsRepo,
      audit,
      events,
      now,
      comuniNames: () => comuni.list().map((c) => c.name),
      templateFor,
    }),
    citizens,
    journal,
    accounts: channelsRepo,
    partners: people.partners,
    comuni,
    lists: people.lists,
  }
  const handlers: CommandHandlers = {
    'system:info': () => ({
      version: options.version,
      mode,
      shell: options.shell,
      workspaceName: 'Vedetta',
    }),
    'system:health': () => health.list(),
    'session:identify': ({ operator }, ctx) => {
      ctx.operator = operator
      return { operator }
    },
    'session:whoami': (_input, ctx) => ({ operator: ctx.operator }),
    ...channelsHandlers(channels, () => dispatcher.headroom()),
    ...templatesHandlers(templates),
    ...roomHandlers(createLayoutsRepository(db), now),
    ...journalHandlers(journal),
    ...feedsHandlers(feeds),
    ...people.handlers,
    ...alertsHandlers({
      alerts,
      recordings,
      settings,
      template: (id) => templates.get(id),
      partnerName: (id) => people.partners.get(id)?.name ?? `#${id}`,
      youtubeLink: createYoutubeAlertLink({
        accounts: channelsRepo,
        secretsFor: (id) => channels.secretsFor(id),
        mode,
        onProblem: (reason, id) =>
          log.warn('youtube', `link per {{youtube}} (account ${id}): ${reason}`),
      }),
    }),
    ...citizensHandlers(citizens),
    ...oncallHandlers(oncall),
    ...noticesHandlers(notices),
    ...drillsHandlers({
      db,
      mode,
      names: createWorkspaceNames(scenario),
      dataDir: options.dataDir,
      resourcesDir: options.resourcesDir,
      rooms: drills,
      events,
      now,
    }),
    ...mapsHandlers({
      resourcesDir: options.resourcesDir,
      alerts,
      comuni: () => comuni.list(),
      ente: () => ({ name: settings.get().ente, hashtag: settings.get().hashtag }),
      now,
    }),
    'settings:get': () => settings.get(),
    'settings:update': (patch, ctx) => {
      const next = WorkspaceSettings.safeParse(
        { ...settings.get(), ...patch },
        { reportInput: true },
      )
      if (!next.success) throw invalid(toFieldIssues(next.error))
      settings.put(next.data)
      audit.record(ctx.operator, 'settings.update', null, patch)
      events.emit('settings:changed', next.data)
      return next.data
    },
  }

  let closed = false
  let started = false
  return {
    db,
    events,
    handlers,
    drills,
    scenario,
    start() {
      if (started || closed) return
      started = true
      feeds.start()
      inbound?.start()
      relayWatch?.start()
      dispatcher.start()
      notices.start()
      oncall.start()
    },
    async shutdown() {
      await drills?.closeAll()
      relayWatch?.stop()
      pressWatch.stop()
      if (started)
        await Promise.all([
          feeds.stop(),
          dispatcher.stop(),
          inbound?.stop(),
          notices.stop(),
          oncall.stop(),
        ])
      started = false
      this.close()
    },
    close() {
      if (closed) return
      closed = true
      db.close()
    },
  }
}
