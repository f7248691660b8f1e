import { existsSync } from 'node:fs'
import type {
  DrillExport,
  DrillReport,
  DrillState,
  DrillStatusView,
  FiredView,
} from '../../../shared/contract/drills'
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings'
import type { Scenario } from '../../../shared/drills/scenario'
import { parseDuration, parseScenarioTime } from '../../../shared/drills/time'
import { CHANNEL_KIND_DESCRIPTORS, CHANNEL_KINDS } from '../../../shared/channels/kinds'
import type { Core } from '../app'
import {
  createSimulatedRegistry,
  type DrillAdapterFactory,
  type SimulatedRegistry,
} from '../channels/adapters'
import { drillFile } from '../drills/drill-files'
import { createDrillMetaRepository, isDrillDatabase } from '../drills/drill-meta'
import { systemTime, type DrillTime } from '../drills/drill-time'
import { planScenario } from '../drills/timeline-plan'
import { createTimelineRunner, type FiredEvent, type TimelineRunner } from '../drills/timeline'
import { CoreError } from '../errors'
import type { CommandHandlers, HandlersFor } from '../handlers'
import { createSettingsRepository } from '../settings/settings-repository'
import { startJob } from '../workers/run-job'
import { createDrillAdapterFactory } from './drill-adapters'
import { createDrillLog, type DrillHistory } from './drill-log'
import { createFaultWindows } from './fault-windows'
import { checkInjectedEvent } from './inject-check'
import { createRelaySimulation } from './relay-simulation'
import { buildDrillReport, evaluateDrill } from './report-data'
import type { ReportMap } from './report-html'
import { earlierDrills, storedScenario, type DrillReportJobInput } from './report-job'
import { headlessChromiumPrinter, type PdfPrinter } from './report-pdf'
import { createScenarioWorld, SCENARIO_ACTOR } from './scenario-world'
import { createTeamRecordsReader } from './team-records'
import { scenarioTimeAt, scenarioTimeOfIso } from './time-map'
import { timelineEnd } from './timeline-end'
import { createWorkspaceNames } from './workspace-names'

/** Builds a drill's core: `createCore` in mode `drill` over the drill file, with these adapters and clock. */
export type OpenDrillCore = (options: {
  databaseFile: string
  adapters: DrillAdapterFactory
  now: () => Date
}) => Core

export interface DrillRuntimeOptions {
  dataDir: string
  id: string
  openCore: OpenDrillCore
  /** Wall time and timers (a fake one in tests); the drill core's clock follows it. */
  time?: DrillTime
  /** HTML → PDF; by default a headless Chromium of this machine, if there is one. */
  printPdf?: PdfPrinter
  /** Wall ms between pulses (tick events, partner relays, fault windows). Default 1000. */
  pulseMs?: number
  /** Told when the drill's state changes (the list of drills shows it). */
  onStateChange?(id: string, state: DrillState): void
}

export interface DrillRuntime {
  readonly id: string
  readonly core: Core
  readonly registry: SimulatedRegistry
  /** The drill core's handlers plus the trainer's controls: what a drill connection is served. */
  readonly handlers: CommandHandlers
  readonly state: DrillState
  status(): DrillStatusView
  start(speed?: number): DrillStatusView
  pause(): DrillStatusView
  resume(): DrillStatusView
  setSpeed(speed: number): DrillStatusView
  /** Scenario ms or `T+H:MM[:SS]`, forward only. */
  jumpTo(to: number | string): DrillStatusView
  inject(event: unknown): DrillStatusView
  stop(): DrillStatusView
  report(): DrillReport
  exportReport(format: 'html' | 'pdf'): Promise<DrillExport>
  /** Resolves when every event handler called so far has settled. */
  idle(): Promise<void>
  /** Resolves once the timeline has nothing left to fire and every handler has settled. */
  timelineDone(): Promise<void>
  /** Ends a running drill, stops its timers and closes its core. */
  close(): Promise<void>
}

const RUNNER_STATE: Record<TimelineRunner['state'], DrillState> = {
  ready: 'ready',
  running: 'running',
  paused: 'paused',
  stopped: 'ended',
}

function firedView(entry: FiredEvent): FiredView {
  return {
    seq: entry.seq,
    ...(entry.eventId === undefined ? {} : { eventId: entry.eventId }),
    index: entry.index,
    type: entry.type,
    origin: entry.origin,
    trigger: entry.trigger,
    scheduledAt: entry.scheduledAt,
    firedAt: entry.firedAt,
    wallAt: new Date(entry.wallAt).toISOString(),
    part: entry.part,
    parts: entry.parts,
    ...(entry.messages ? { messageCount: entry.messages.length } : {}),
    event: entry.event,
    outcome: entry.outcome,
    ...(entry.error === undefined ? {} : { error: entry.error }),
  }
}

/** Last scenario time a finished (or interrupted) drill reached, from its history. */
function reachedOf(history: DrillHistory): number {
  const stop = history.controls.find((c) => c.action === 'stop')
  if (stop) return stop.scenarioAt
  const walls = [...history.fired.map((f) => f.wallAt), ...history.controls.map((c) => c.wallAt)]
  return walls.length ? scenarioTimeAt(history.segments, Math.max(...walls)) : 0
}

/**
 * The voice twins answer as the scenario says: its shares of calls not
 * answered, busy and left to a machine, and how long each rings. Twins are
 * built at the first send, after this.
 */
function configureCalls(registry: SimulatedRegistry, scenario: Scenario): void {
  const calls = scenario.chiamate
  if (!calls) return
  for (const kind of CHANNEL_KINDS) {
    if (CHANNEL_KIND_DESCRIPTORS[kind].family !== 'voice') continue
    registry.configureKind(kind, {
      calls: {
        noAnswer: calls.nonRisponde / 100,
        busy: calls.occupato / 100,
        voicemail: calls.segreteria / 100,
      },
      receiptDelayMs: parseDuration(calls.squilli) ?? 20_000,
    })
  }
}

/**
 * Opens a drill and runs it: the drill's own core (simulated channels only,
 * every text marked), the timeline runner on the drill clock, and the
 * scenario's world acting on the core. What happens is logged in the drill
 * file, so its report outlives the process.
 */
export function createDrillRuntime(options: DrillRuntimeOptions): DrillRuntime {
  const { dataDir, id } = options
  const time = options.time ?? systemTime
  const file = drillFile(dataDir, id)
  if (!existsSync(file)) throw new CoreError('not_found', `drill "${id}" not found`)

  const registry = createSimulatedRegistry({ now: () => time.now() })
  let marker = (): string => DEFAULT_SETTINGS.drillMarker
  const core = options.openCore({
    databaseFile: file,
    adapters: createDrillAdapterFactory({ registry, marker: () => marker() }),
    now: () => new Date(time.now()),
  })
  let scenario: Scenario
  try {
    if (!isDrillDatabase(core.db)) throw new CoreError('forbidden', `${file} is not a drill`)
    scenario = storedScenario(core.db)
  } catch (err) {
    core.close()
    throw err
  }
  configureCalls(registry, scenario)
  const db = core.db
  const settings = createSettingsRepository(db)
  marker = () => settings.get().drillMarker
  // Drill copies have their feeds disabled, and a drill core never fetches them (feeds-service, mode 'drill').

  const meta = createDrillMetaRepository(db)
  const log = createDrillLog(db)
  const readRecords = createTeamRecordsReader(db)
  const knownNames = createWorkspaceNames(core.scenario)
  const faults = createFaultWindows({
    registry,
    accounts: core.scenario.accounts,
    now: () => time.now(),
  })
  const relays = createRelaySimulation({
    db,
    relayed: (alertId, partnerId) => {
      void Promise.resolve()
        .then(() =>
          core.handlers['alerts:updateRelay'](
            {
              id: alertId,
              partnerId,
              status: 'seen',
              note: 'Rilancio pubblicato dal partner (simulato)',
            },
            { operator: SCENARIO_ACTOR },
          ),
        )
        .catch(() => undefined)
    },
  })

  // A drill left running by a process that went away cannot resume its clock: it is over.
  const stored = meta.read().status
  let ended = stored === 'ended' || stored === 'running' || stored === 'paused'
  if (stored !== 'ended' && ended) meta.setStatus('ended', new Date(time.now()))
  let runner: TimelineRunner | undefined
  let startedWall: number | undefined
  let pulse: unknown
  let closed = false

  const state = (): DrillState => (runner ? RUNNER_STATE[runner.state] : ended ? 'ended' : 'ready')
  const history = (): DrillHistory =>
    runner
      ? {
          fired: runner.fired(),
          controls: runner.controls(),
          segments: [...runner.clock.segments()],
        }
      : log.read()
  const scenarioNow = (): number => (runner ? runner.clock.scenarioNow() : reachedOf(log.read()))

  function tick(): void {
    core.events.emit('drill:tick', {
      state: state(),
      speed: runner?.clock.speed ?? 1,
      scenarioMs: scenarioNow(),
    })
  }

  function onPulse(): void {
    pulse = undefined
    if (closed || !runner || runner.state === 'stopped') return
    const segments = runner.clock.segments()
    try {
      relays.apply(runner.clock.scenarioNow(), (iso) => scenarioTimeOfIso(segments, iso))
      faults.apply(runner.clock)
    } catch {
      // A database hiccup: the next pulse tries again.
    }
    tick()
    pulse = time.setTimeout(onPulse, options.pulseMs ?? 1000)
  }

  /** After every trainer action: persist the clock, tell the room, realign the outages. */
  function controlled(): DrillStatusView {
    if (runner) {
      log.saveClock(runner.controls(), runner.clock.segments())
      const s = state()
      meta.setStatus(s, new Date(time.now()))
      faults.apply(runner.clock)
      options.onStateChange?.(id, s)
    }
    tick()
    return status()
  }

  function status(): DrillStatusView {
    const h = history()
    const now = scenarioNow()
    const s = state()
    const m = meta.read()
    let order = 0
    const planned = (): DrillStatusView['upcoming'] =>
      planScenario(scenario, () => order++).map((p) => ({
        at: p.at,
        index: p.index,
        type: p.event.type,
        ...(p.event.id === undefined ? {} : { eventId: p.event.id }),
        part: p.part,
        parts: p.parts,
      }))
    const upcoming = runner ? runner.upcoming() : ended ? [] : planned()
    const start = h.controls.find((c) => c.action === 'start')
    return {
      id,
      title: m.title,
      scenarioId: m.scenarioId,
      scenarioTitle: scenario.title,
      state: s,
      speed: runner?.clock.speed ?? 1,
      scenarioMs: now,
      endMs: timelineEnd(scenario),
      startedAt: start ? new Date(start.wallAt).toISOString() : null,
      fired: h.fired.map(firedView),
      upcoming,
      checkpoints: evaluateDrill(scenario, h, readRecords(), s === 'ended' ? undefined : now),
      faults: faults.list(now),
    }
  }

  function requireRunner(): TimelineRunner {
    if (!runner) {
      throw new CoreError(
        'conflict',
        ended ? 'this drill has ended' : 'the drill has not started yet',
      )
    }
    return runner
  }

  function start(speed = 1): DrillStatusView {
    if (runner || ended) throw new CoreError('conflict', 'this drill has already been started')
    const world = createScenarioWorld({
      core,
      faults,
      relays,
      clock: () => requireRunner().clock,
      now: () => new Date(time.now()),
      worldStart: () =>
        scenario.start === 'now' ? (startedWall ?? time.now()) : Date.parse(scenario.start),
    })
    const emitFired = (entry: FiredEvent) => {
      log.saveFired(entry)
      core.events.emit('drill:fired', firedView(entry))
    }
    const current = createTimelineRunner({
      scenario,
      handlers: world,
      time,
      speed,
      onFired: emitFired,
      onSettled: emitFired,
    })
    runner = current
    startedWall = time.now()
    current.start()
    pulse = time.setTimeout(onPulse, options.pulseMs ?? 1000)
    return controlled()
  }

  /**
   * A drill ended mid-send sends nothing more: its alerts still in their cancel
   * window are cancelled and those sending are stopped, exactly as an operator's
   * Stop (claimed rows released, the state checked before every send).
   */
  function haltOpenAlerts(): void {
    const ctx = { operator: SCENARIO_ACTOR }
    const halt = (list: { id: number; status: string }[]): void => {
      for (const alert of list) {
        if (alert.status === 'scheduled') void core.handlers['alerts:cancel']({ id: alert.id }, ctx)
        else if (alert.status === 'sending')
          void core.handlers['alerts:stop']({ id: alert.id }, ctx)
      }
    }
    // The alerts handlers answer at once (synchronous SQLite); the contract allows a promise.
    const list = core.handlers['alerts:list']({ limit: 1000 }, ctx)
    if (Array.isArray(list)) halt(list)
    else void list.then(halt)
  }

  function stop(): DrillStatusView {
    const r = requireRunner()
    if (r.state !== 'stopped') r.stop()
    haltOpenAlerts()
    ended = true
    if (pulse !== undefined) time.clearTimeout(pulse)
    pulse = undefined
    return controlled()
  }

  function report(): DrillReport {
    const m = meta.read()
    return buildDrillReport({
      meta: m,
      scenario,
      history: history(),
      records: readRecords(),
      state: state(),
      scenarioNow: scenarioNow(),
      earlier: earlierDrills(dataDir, m),
      generatedAt: new Date(time.now()),
    })
  }

  /** What the report is made of that only this core holds, as it is now (read before any wait). */
  function reportSnapshot(): Omit<DrillReportJobInput, 'html'> {
    return {
      file,
      dataDir,
      meta: meta.read(),
      scenario,
      history: history(),
      state: state(),
      scenarioNow: scenarioNow(),
      generatedAt: new Date(time.now()).toISOString(),
    }
  }

  /**
   * The same report as {@link report}, built in the core's worker thread: a large
   * drill's records (tens of thousands of outbox rows) are read and the report
   * (and its HTML) written there, so the window does not freeze meanwhile
   * (scripts/bench/drill-report.bench.ts).
   */
  async function reportOffLoop(): Promise<DrillReport> {
    return (await startJob('drill:report', reportSnapshot()).result).report
  }

  /** The map card of each alert the team confirmed (and did not call back), oldest first. */
  async function alertMaps(): Promise<ReportMap[]> {
    const ctx = { operator: SCENARIO_ACTOR }
    const confirmed = (await core.handlers['alerts:list']({ limit: 1000 }, ctx))
      .filter((a) => a.confirmedAt !== null && a.status !== 'cancelled')
      .sort((a, b) =>
        a.confirmedAt! < b.confirmedAt! ? -1 : a.confirmedAt! > b.confirmedAt! ? 1 : a.id - b.id,
      )
    const segments = history().segments
    const maps: ReportMap[] = []
    for (const a of confirmed) {
      const map = await core.handlers['maps:alert']({ id: a.id, variant: 'card' }, ctx)
      maps.push({
        alertId: a.id,
        msgType: a.msgType,
        confirmedAt: scenarioTimeOfIso(segments, a.confirmedAt),
        svg: map.svg,
        width: map.width,
        height: map.height,
        alt: map.alt,
      })
    }
    return maps
  }

  async function exportReport(format: 'html' | 'pdf'): Promise<DrillExport> {
    const snapshot = reportSnapshot()
    const done = await startJob('drill:report', { ...snapshot, html: { maps: await alertMaps() } })
      .result
    const html = done.html
    if (html === undefined) throw new Error('the drill report job wrote no HTML')
    const base = `esercitazione-${id}`
    if (format === 'html') {
      return {
        fileName: `${base}.html`,
        contentType: 'text/html; charset=utf-8',
        base64: Buffer.from(html, 'utf8').toString('base64'),
      }
    }
    const pdf = await (options.printPdf ?? headlessChromiumPrinter())(html)
    return {
      fileName: `${base}.pdf`,
      contentType: 'application/pdf',
      base64: pdf.toString('base64'),
    }
  }

  function pause(): DrillStatusView {
    requireRunner().pause()
    return controlled()
  }

  function resume(): DrillStatusView {
    requireRunner().resume()
    return controlled()
  }

  function setSpeed(speed: number): DrillStatusView {
    requireRunner().setSpeed(speed)
    return controlled()
  }

  function jumpTo(to: number | string): DrillStatusView {
    const r = requireRunner()
    const ms = typeof to === 'number' ? to : parseScenarioTime(to)
    if (ms === null) {
      throw new CoreError('invalid_input', `"${to}" is not a time on the timeline (write T+H:MM)`, [
        { path: 'to', code: 'invalid' },
      ])
    }
    r.jumpTo(ms)
    return controlled()
  }

  function inject(raw: unknown): DrillStatusView {
    const r = requireRunner()
    r.inject(checkInjectedEvent(raw, scenario, knownNames()))
    return controlled()
  }

  const trainer: HandlersFor<'drill'> = {
    'drill:status': () => status(),
    'drill:start': ({ speed }) => start(speed),
    'drill:pause': () => pause(),
    'drill:resume': () => resume(),
    'drill:setSpeed': ({ speed }) => setSpeed(speed),
    'drill:jump': ({ to }) => jumpTo(to),
    'drill:inject': ({ event }) => inject(event),
    'drill:stop': () => stop(),
    'drill:report': () => reportOffLoop(),
    'drill:export': ({ format }) => exportReport(format),
  }

  const runtime: DrillRuntime = {
    id,
    core,
    registry,
    handlers: { ...core.handlers, ...trainer },
    get state() {
      return state()
    },
    status,
    start,
    pause,
    resume,
    setSpeed,
    jumpTo,
    inject,
    stop,
    report,
    exportReport,
    idle: async () => {
      await runner?.idle()
    },
    async timelineDone() {
      for (;;) {
        const r = requireRunner()
        await r.idle()
        if (r.upcoming().length === 0 || r.state === 'stopped') return
        await new Promise<void>((resolve) => time.setTimeout(resolve, 200))
      }
    },
    async close() {
      if (closed) return
      if (runner && runner.state !== 'stopped') stop()
      closed = true
      if (pulse !== undefined) time.clearTimeout(pulse)
      await runner?.idle()
      await core.shutdown()
    },
  }
  core.start()
  return runtime
}
