import { CoreError } from '../errors'

/**
 * The drill clock: maps scenario time (ms from T+0:00) to wall time. It runs at
 * 1× to 60×, pauses, resumes and jumps forward. Every change starts a new
 * segment, and the segments are kept, so any past wall time (an outbox row's
 * sent_at, a journal note) can be turned back into scenario time for the report.
 */

export const MIN_SPEED = 1
export const MAX_SPEED = 60

export type ClockState = 'ready' | 'running' | 'paused'

/** From `wallStart` on, scenario time is `scenarioStart + (wall − wallStart) × rate`. */
export interface ClockSegment {
  wallStart: number
  scenarioStart: number
  /** The speed while running, 0 while paused. */
  rate: number
}

export interface ReadonlyDrillClock {
  readonly state: ClockState
  readonly speed: number
  /** Scenario ms now (the start time before the drill starts). */
  scenarioNow(): number
  /** Wall ms until the scenario reaches `scenarioMs`; `null` while the clock stands still. */
  wallMsUntil(scenarioMs: number): number | null
  /** Scenario ms at a past (or present) wall time. */
  scenarioTimeAt(wallMs: number): number
  segments(): readonly ClockSegment[]
}

export interface DrillClock extends ReadonlyDrillClock {
  start(atScenarioMs?: number): void
  pause(): void
  resume(): void
  setSpeed(speed: number): void
  /** Forward only: what already happened on the timeline cannot un-happen. */
  jumpTo(scenarioMs: number): void
}

/** Refuses speeds outside 1×–60× (and anything that is not a finite number). */
export function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new CoreError(
      'invalid_input',
      `the drill speed must be between ${MIN_SPEED}× and ${MAX_SPEED}× (got ${speed})`,
    )
  }
  return speed
}

export function createDrillClock(options: { now: () => number; speed?: number }): DrillClock {
  const { now } = options
  let speed = checkSpeed(options.speed ?? 1)
  let state: ClockState = 'ready'
  let startAt = 0
  const history: ClockSegment[] = []

  const current = (): ClockSegment | undefined => history.at(-1)
  const at = (segment: ClockSegment, wall: number): number =>
    segment.scenarioStart + (wall - segment.wallStart) * segment.rate

  function scenarioNow(): number {
    const segment = current()
    return segment ? at(segment, now()) : startAt
  }

  function begin(scenarioStart: number, rate: number): void {
    history.push({ wallStart: now(), scenarioStart, rate })
  }

  function requireState(allowed: ClockState[], action: string): void {
    if (!allowed.includes(state))
      throw new CoreError('conflict', `cannot ${action} a drill clock that is ${state}`)
  }

  return {
    get state() {
      return state
    },
    get speed() {
      return speed
    },
    scenarioNow,
    wallMsUntil(scenarioMs) {
      if (state !== 'running') return null
      return Math.max(0, (scenarioMs - scenarioNow()) / speed)
    },
    scenarioTimeAt(wallMs) {
      let segment: ClockSegment | undefined
      for (const s of history) if (s.wallStart <= wallMs) segment = s
      return segment ? at(segment, wallMs) : startAt
    },
    segments: () => history.map((s) => ({ ...s })),
    start(atScenarioMs = 0) {
      requireState(['ready'], 'start')
      if (!(atScenarioMs >= 0))
        throw new CoreError('invalid_input', 'a drill starts at T+0:00 or later')
      startAt = atScenarioMs
      state = 'running'
      begin(atScenarioMs, speed)
    },
    pause() {
      requireState(['running'], 'pause')
      begin(scenarioNow(), 0)
      state = 'paused'
    },
    resume() {
      requireState(['paused'], 'resume')
      begin(scenarioNow(), speed)
      state = 'running'
    },
    setSpeed(next) {
      speed = checkSpeed(next)
      if (state === 'running') begin(scenarioNow(), speed)
    },
    jumpTo(scenarioMs) {
      requireState(['running', 'paused'], 'jump')
      const from = scenarioNow()
      if (!(scenarioMs >= from)) {
        throw new CoreError(
          'invalid_input',
          'a drill can only jump forward: what happened cannot un-happen',
        )
      }
      begin(scenarioMs, state === 'running' ? speed : 0)
    },
  }
}
