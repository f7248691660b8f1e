import type { CitizenMessage } from '../../../shared/drills/citizen-burst'
import { describeScenarioIssue, formatIssuePath } from '../../../shared/drills/issues'
import type {
  BulletinEvent,
  ChannelFaultEvent,
  CitizenMessagesEvent,
  EventBody,
  InjectedEvent,
  NoteEvent,
  OrdinanceEvent,
  PartnerRelayEvent,
  Scenario,
  ScenarioEventType,
} from '../../../shared/drills/scenario'
import { START_REF } from '../../../shared/drills/scenario'
import { validateInjectedEvent } from '../../../shared/drills/validate'
import { CoreError } from '../errors'
import { createDrillClock, type ReadonlyDrillClock } from './drill-clock'
import { systemTime, type DrillTime } from './drill-time'
import { byDue, planEvent, planScenario, type PlannedItem } from './timeline-plan'

/**
 * The timeline runner: walks a scenario on the drill clock and hands each event,
 * when it falls due, to the handlers the drill room provides (which publish the
 * bulletin in the drill's feed, put citizen messages in the inbox, set a fault
 * window on a simulated channel…). It knows nothing of those modules.
 *
 * - Each item fires exactly once, in order; handlers run one after another,
 *   each awaited, so an async handler cannot overtake the previous one. A
 *   handler that throws is recorded as failed and the drill goes on.
 * - Jumping forward fires the items jumped over, in order, at the jump target
 *   (recorded with trigger `jump`): the room's world stays consistent (the
 *   orange bulletin still updates the yellow one, a fault that has already
 *   ended is seen as such by its handler from `scheduledAt`).
 * - Every firing and every trainer action is recorded, with scenario and wall
 *   time, for the end-of-drill report and checkpoint evaluation.
 */

export type FireOrigin = 'scenario' | 'injected'
export type FireTrigger = 'clock' | 'jump'

/** What a handler learns besides the event. */
export interface FireContext {
  seq: number
  /** When it was due on the timeline (scenario ms). */
  scheduledAt: number
  /** When it actually fired (scenario ms); later than scheduledAt after a jump. */
  firedAt: number
  /** Epoch ms of the firing. */
  wallAt: number
  origin: FireOrigin
  trigger: FireTrigger
  /** Part of its event (1-based) and how many parts: bursts spread over time come in parts. */
  part: number
  parts: number
}

export interface TimelineHandlers {
  onBulletin(event: BulletinEvent, ctx: FireContext): void | Promise<void>
  onOrdinance(event: OrdinanceEvent, ctx: FireContext): void | Promise<void>
  /** `messages` are the ones arriving now (a part of the burst). */
  onCitizenMessages(
    event: CitizenMessagesEvent,
    messages: CitizenMessage[],
    ctx: FireContext,
  ): void | Promise<void>
  onPartnerRelay(event: PartnerRelayEvent, ctx: FireContext): void | Promise<void>
  onChannelFault(event: ChannelFaultEvent, ctx: FireContext): void | Promise<void>
  onNote(event: NoteEvent, ctx: FireContext): void | Promise<void>
}

/** One firing, as the report shows it. */
export interface FiredEvent extends FireContext {
  eventId?: string
  /** Position in the scenario's events; `null` when injected. */
  index: number | null
  type: ScenarioEventType
  event: EventBody
  messages?: CitizenMessage[]
  outcome: 'pending' | 'ok' | 'failed'
  error?: string
}

export type ControlAction = 'start' | 'pause' | 'resume' | 'speed' | 'jump' | 'inject' | 'stop'

export interface ControlRecord {
  action: ControlAction
  scenarioAt: number
  wallAt: number
  /** Speed for `speed`, target scenario ms for `jump`. */
  value?: number
}

export type RunnerState = 'ready' | 'running' | 'paused' | 'stopped'

export interface UpcomingItem {
  at: number
  index: number | null
  type: ScenarioEventType
  eventId?: string
  part: number
  parts: number
}

export interface TimelineRunner {
  readonly state: RunnerState
  readonly clock: ReadonlyDrillClock
  start(): void
  pause(): void
  resume(): void
  /** 1× to 60×; refused outside. */
  setSpeed(speed: number): void
  /** Forward to a scenario time; the items jumped over fire in order. */
  jumpTo(scenarioMs: number): void
  /** An event by the trainer's hand: it fires now (a spread burst from now on). */
  inject(event: InjectedEvent): FiredEvent[]
  stop(): void
  fired(): FiredEvent[]
  controls(): ControlRecord[]
  upcoming(): UpcomingItem[]
  /** Resolves when every handler called so far has settled. */
  idle(): Promise<void>
}

export interface RunnerOptions {
  scenario: Scenario
  handlers: TimelineHandlers
  time?: DrillTime
  speed?: number
  /** Told of each firing as it happens (before its handler settles), e.g. to push it to the UI. */
  onFired?(entry: FiredEvent): void
  /** Told when a handler has settled (outcome ok or failed). */
  onSettled?(entry: FiredEvent): void
}

function callHandler(
  handlers: TimelineHandlers,
  entry: FiredEvent,
  ctx: FireContext,
): void | Promise<void> {
  const event = entry.event
  switch (event.type) {
    case 'bulletin':
      return handlers.onBulletin(event, ctx)
    case 'ordinance':
      return handlers.onOrdinance(event, ctx)
    case 'citizen_messages':
      return handlers.onCitizenMessages(event, entry.messages ?? [], ctx)
    case 'partner_relay':
      return handlers.onPartnerRelay(event, ctx)
    case 'channel_fault':
      return handlers.onChannelFault(event, ctx)
    case 'note':
      return handlers.onNote(event, ctx)
  }
}

export function createTimelineRunner(options: RunnerOptions): TimelineRunner {
  const time = options.time ?? systemTime
  const clock = createDrillClock({
    now: () => time.now(),
    ...(options.speed === undefined ? {} : { speed: options.speed }),
  })
  let order = 0
  const nextOrder = (): number => order++
  const pending: PlannedItem[] = planScenario(options.scenario, nextOrder)
  const usedIds = new Set(
    options.scenario.events.flatMap((e) => (e.id === undefined ? [] : [e.id])),
  )
  const fired: FiredEvent[] = []
  const controls: ControlRecord[] = []
  let state: RunnerState = 'ready'
  let timer: unknown
  let chain: Promise<void> = Promise.resolve()

  function requireState(allowed: RunnerState[], action: string): void {
    if (!allowed.includes(state))
      throw new CoreError('conflict', `cannot ${action} a drill that is ${state}`)
  }

  function control(action: ControlAction, value?: number): void {
    controls.push({
      action,
      scenarioAt: clock.scenarioNow(),
      wallAt: time.now(),
      ...(value === undefined ? {} : { value }),
    })
  }

  function dispatch(entry: FiredEvent, ctx: FireContext): void {
    chain = chain.then(async () => {
      try {
        await callHandler(options.handlers, entry, ctx)
        entry.outcome = 'ok'
      } catch (err) {
        entry.outcome = 'failed'
        entry.error = err instanceof Error ? err.message : String(err)
      }
      options.onSettled?.(entry)
    })
  }

  function fire(item: PlannedItem, trigger: FireTrigger, origin: FireOrigin): FiredEvent {
    const ctx: FireContext = {
      seq: fired.length + 1,
      scheduledAt: item.at,
      firedAt: clock.scenarioNow(),
      wallAt: time.now(),
      origin,
      trigger,
      part: item.part,
      parts: item.parts,
    }
    const entry: FiredEvent = {
      ...ctx,
      ...(item.event.id === undefined ? {} : { eventId: item.event.id }),
      index: item.index,
      type: item.event.type,
      event: item.event,
      ...(item.messages ? { messages: item.messages } : {}),
      outcome: 'pending',
    }
    fired.push(entry)
    options.onFired?.(entry)
    dispatch(entry, { ...ctx })
    return entry
  }

  /** Fires every item due by now, in order. */
  function fireDue(trigger: FireTrigger): FiredEvent[] {
    const now = clock.scenarioNow()
    const out: FiredEvent[] = []
    while (pending.length && (pending[0]?.at ?? Infinity) <= now) {
      const item = pending.shift() as PlannedItem
      out.push(fire(item, trigger, item.index === null ? 'injected' : 'scenario'))
    }
    return out
  }

  function schedule(): void {
    if (timer !== undefined) time.clearTimeout(timer)
    timer = undefined
    const next = pending[0]
    if (state !== 'running' || !next) return
    const wait = clock.wallMsUntil(next.at) ?? 0
    // Rounded up so that when it fires the item is due; if rounding still falls
    // short, tick() simply schedules again.
    timer = time.setTimeout(tick, Math.max(1, Math.ceil(wait)))
  }

  function tick(): void {
    timer = undefined
    if (state !== 'running') return
    fireDue('clock')
    schedule()
  }

  return {
    get state() {
      return state
    },
    clock,
    start() {
      requireState(['ready'], 'start')
      clock.start(0)
      state = 'running'
      control('start')
      fireDue('clock')
      schedule()
    },
    pause() {
      requireState(['running'], 'pause')
      fireDue('clock') // what fell due before the pause (a timer may be a little late)
      clock.pause()
      state = 'paused'
      control('pause')
      schedule()
    },
    resume() {
      requireState(['paused'], 'resume')
      clock.resume()
      state = 'running'
      control('resume')
      fireDue('clock')
      schedule()
    },
    setSpeed(speed) {
      requireState(['ready', 'running', 'paused'], 'change the speed of')
      if (state === 'running') fireDue('clock')
      clock.setSpeed(speed)
      control('speed', speed)
      schedule()
    },
    jumpTo(scenarioMs) {
      requireState(['running', 'paused'], 'jump')
      if (state === 'running') fireDue('clock')
      clock.jumpTo(scenarioMs)
      control('jump', scenarioMs)
      fireDue('jump')
      schedule()
    },
    inject(event) {
      requireState(['running', 'paused'], 'inject an event into')
      const checked = validateInjectedEvent(event)
      if (!checked.ok) {
        const detail = checked.issues
          .map((i) => describeScenarioIssue({ ...i, path: formatIssuePath(i.path) }))
          .join('; ')
        throw new CoreError('invalid_input', `the injected event is not valid: ${detail}`)
      }
      const value = checked.value
      if (value.id !== undefined && (usedIds.has(value.id) || value.id === START_REF)) {
        throw new CoreError(
          'conflict',
          `an event with id "${value.id}" already exists in this drill`,
        )
      }
      if (value.id !== undefined) usedIds.add(value.id)
      control('inject')
      pending.push(...planEvent(value, clock.scenarioNow(), null, nextOrder))
      pending.sort(byDue)
      const now = fireDue('clock')
      schedule()
      return now.filter((e) => e.event === value)
    },
    stop() {
      requireState(['ready', 'running', 'paused'], 'stop')
      if (clock.state === 'running') clock.pause()
      state = 'stopped'
      control('stop')
      schedule()
    },
    fired: () => fired.map((e) => ({ ...e })),
    controls: () => controls.map((c) => ({ ...c })),
    upcoming: () =>
      pending.map((item) => ({
        at: item.at,
        index: item.index,
        type: item.event.type,
        ...(item.event.id === undefined ? {} : { eventId: item.event.id }),
        part: item.part,
        parts: item.parts,
      })),
    async idle() {
      for (;;) {
        const current = chain
        await current
        if (current === chain) return
      }
    },
  }
}
