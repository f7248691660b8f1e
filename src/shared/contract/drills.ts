import { z } from 'zod'
import type { CheckpointResult } from '../drills/checkpoints'
import type { ScenarioIssue } from '../drills/issues'
import type { EventBody, ScenarioEventType } from '../drills/scenario'
import type { ScenarioRequirements } from '../drills/scenario-checks'
import type { ChannelFamily } from '../channels/kinds'
import { command, shaped, shapedList } from './define'

/**
 * Training drills. The `drills:*` commands manage drills from the real room
 * (scenarios, create, list, delete); the `drill:*` commands are the trainer's
 * controls and are answered by the drill a connection is bound to (the real
 * room refuses them). Times on the timeline are scenario milliseconds from T+0:00.
 */

const drillId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'invalid' })
/** The trainer's speeds: 1× (real time) to 60× (an hour a minute). */
export const DRILL_SPEED_MIN = 1
export const DRILL_SPEED_MAX = 60
const speed = z
  .number({ error: 'number' })
  .min(DRILL_SPEED_MIN, { error: 'range' })
  .max(DRILL_SPEED_MAX, { error: 'range' })

/** A shipped scenario, checked against the names of the workspace. */
export interface ScenarioView {
  /** The scenario id, or the file name when the file does not load. */
  id: string
  fileName: string
  ok: boolean
  title?: string
  description?: string
  /** Scenario time of the last event. */
  durationMs?: number
  eventCount?: number
  checkpointCount?: number
  /** The names it needs from the workspace. */
  requirements?: ScenarioRequirements
  /** Problems, with their line: a scenario with issues cannot become a drill. */
  issues: ScenarioIssue[]
}

export type DrillState = 'ready' | 'running' | 'paused' | 'ended'

export interface DrillListItem {
  id: string
  /** False when the file cannot be read as a drill (`problem` says why). */
  ok: boolean
  title: string
  scenarioId: string
  createdAt: string
  createdBy: string
  state: DrillState
  updatedAt: string
  sizeBytes: number
  /** Open in this process right now (someone is in its room). */
  open: boolean
  problem?: string
}

/** One event that fired, as the trainer's timeline shows it. */
export interface FiredView {
  seq: number
  eventId?: string
  /** Position in the scenario's events; null for an event injected by the trainer. */
  index: number | null
  type: ScenarioEventType
  origin: 'scenario' | 'injected'
  trigger: 'clock' | 'jump'
  /** Scenario ms when it was due, and when it fired (later after a jump). */
  scheduledAt: number
  firedAt: number
  /** ISO wall time of the firing. */
  wallAt: string
  part: number
  parts: number
  /** How many citizen messages arrived with this part (citizen_messages only). */
  messageCount?: number
  event: EventBody
  outcome: 'pending' | 'ok' | 'failed'
  error?: string
}

export interface UpcomingView {
  at: number
  index: number | null
  type: ScenarioEventType
  eventId?: string
  part: number
  parts: number
}

/** A simulated outage that is (or was) in force. */
export interface FaultView {
  channel: string
  accountId: number | null
  fault: 'down' | 'rate_limited' | 'reject'
  from: number
  to: number
  active: boolean
}

export interface DrillStatusView {
  id: string
  title: string
  scenarioId: string
  scenarioTitle: string
  state: DrillState
  speed: number
  /** Scenario time now. */
  scenarioMs: number
  /** Scenario time of the last event: where the timeline ends. */
  endMs: number
  /** ISO wall time the drill was started, if it was. */
  startedAt: string | null
  fired: FiredView[]
  upcoming: UpcomingView[]
  /** Live evaluation: pending until the deadline passes. */
  checkpoints: CheckpointResult[]
  faults: FaultView[]
}

/** One line of the report's timeline: what the world did, what the trainer did, what the team did. */
export interface ReportTimelineEntry {
  at: number
  who: 'scenario' | 'trainer' | 'team'
  /** Machine code: the event type, the trainer's action, or the team's (`alert_sent`, `reply`…). */
  what: string
  /** Words for a person (Italian, as the room speaks). */
  text: string
}

export interface ChannelPublication {
  accountId: number
  channel: string
  family: ChannelFamily
  /** First message out on this channel after the bulletin (scenario ms), if any. */
  firstSentAt: number | null
  delayMs: number | null
}

export interface BulletinPublications {
  eventId?: string
  headline: string
  level: string
  firedAt: number
  channels: ChannelPublication[]
}

export interface ReportCoverage {
  /** `sent`: messages out to the list's members for alerts aimed at it; `reached`: members they got to. */
  lists: { listId: number; name: string; members: number; sent: number; reached: number }[]
  pages: { accountId: number; channel: string; family: ChannelFamily; posts: number }[]
  partners: {
    partnerId: number
    name: string
    requestedAt: number | null
    relayedAt: number | null
    status: 'not_requested' | 'requested' | 'confirmed' | 'seen'
  }[]
}

export interface ReportCitizens {
  received: number
  answered: number
  /** Median time from arrival to answer, over the answered ones. */
  medianResponseMs: number | null
  byEvent: { eventId?: string; label: string; received: number; answered: number }[]
}

export interface ReportFault {
  channel: string
  fault: 'down' | 'rate_limited' | 'reject'
  from: number
  to: number
  detail?: string
  /** Messages for this channel that met the fault (queued before it ended). */
  affected: number
  /** Of those: sent once it was over, failed for good, still waiting. */
  sentAfter: number
  failed: number
  waiting: number
  /** Failed messages the team queued again. */
  retriedByTeam: number
}

/** One escalation of the drill's on-call roster: who was paged, who took it and how fast. */
export interface ReportOncall {
  title: string
  kind: string
  /** Scenario time it started paging. */
  startedAt: number
  state: 'open' | 'acknowledged' | 'dismissed' | 'unanswered' | 'unstaffed'
  /** Who took it or set it aside, and where from (the phone or the room). */
  closedBy: string | null
  closedVia: 'telegram' | 'room' | null
  /** From the first page to the acknowledgement; null while nobody took it. */
  toAcknowledgeMs: number | null
  /** The people paged, in order, each once. */
  paged: string[]
}

export interface EarlierDrill {
  id: string
  title: string
  createdAt: string
  createdBy: string
  checkpoints: Pick<CheckpointResult, 'id' | 'status' | 'marginMs'>[]
}

/** The end-of-drill report (also available while it runs: then `final` is false). */
export interface DrillReport {
  drill: {
    id: string
    title: string
    scenarioId: string
    scenarioTitle: string
    createdAt: string
    createdBy: string
    state: DrillState
    startedAt: string | null
    endedAt: string | null
    /** Scenario time reached. */
    reachedMs: number
  }
  final: boolean
  generatedAt: string
  timeline: ReportTimelineEntry[]
  checkpoints: CheckpointResult[]
  publications: BulletinPublications[]
  coverage: ReportCoverage
  citizens: ReportCitizens
  faults: ReportFault[]
  /** The on-call escalations the drill raised, in order (none in drill files before them). */
  oncall: ReportOncall[]
  /** Earlier drills of the same scenario, oldest first, for comparison. */
  earlier: EarlierDrill[]
}

export interface DrillExport {
  fileName: string
  contentType: string
  /** The document, base64. */
  base64: string
}

export interface DrillTick {
  state: DrillState
  speed: number
  scenarioMs: number
}

const none = z.strictObject({})

/** Outputs are typed by the interfaces above and checked here by the fields the screens read. */
const state = z.enum(['ready', 'running', 'paused', 'ended'])
const ms = z.number().min(0)
const drillShape = {
  id: z.string(),
  title: z.string(),
  scenarioId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  state,
}
const firedShape = {
  seq: z.number().int(),
  index: z.number().int().nullable(),
  type: z.string(),
  origin: z.enum(['scenario', 'injected']),
  trigger: z.enum(['clock', 'jump']),
  scheduledAt: ms,
  firedAt: ms,
  wallAt: z.string(),
  outcome: z.enum(['pending', 'ok', 'failed']),
}
const StatusOut = shaped<DrillStatusView>({
  id: z.string(),
  title: z.string(),
  scenarioId: z.string(),
  scenarioTitle: z.string(),
  state,
  speed: z.number(),
  scenarioMs: ms,
  endMs: ms,
  startedAt: z.string().nullable(),
  fired: z.array(z.looseObject(firedShape)),
  upcoming: z.array(z.looseObject({ at: ms, type: z.string() })),
  checkpoints: z.array(z.looseObject({})),
  faults: z.array(z.looseObject({ channel: z.string(), active: z.boolean() })),
})
const DrillItemOut = shaped<DrillListItem>({
  ...drillShape,
  ok: z.boolean(),
  updatedAt: z.string(),
  sizeBytes: z.number().int().min(0),
  open: z.boolean(),
})

export const drillsCommands = {
  /** The shipped scenarios, each checked against this workspace's names. */
  'drills:scenarios': command(
    none,
    shapedList<ScenarioView>({
      id: z.string(),
      fileName: z.string(),
      ok: z.boolean(),
      issues: z.array(z.looseObject({})),
    }),
  ),
  'drills:list': command(none, z.array(DrillItemOut)),
  /** A new drill from the real workspace: configuration copied, secrets and history not. */
  'drills:create': command(
    z.strictObject({
      scenarioId: z.string().min(1).max(64),
      title: z.string().trim().min(1, { error: 'required' }).max(200).optional(),
    }),
    DrillItemOut,
  ),
  /** Closes the drill if open and deletes its file. */
  'drills:delete': command(z.strictObject({ id: drillId }), z.object({ id: z.string() })),

  'drill:status': command(none, StatusOut),
  'drill:start': command(z.strictObject({ speed: speed.default(1) }), StatusOut),
  'drill:pause': command(none, StatusOut),
  'drill:resume': command(none, StatusOut),
  'drill:setSpeed': command(z.strictObject({ speed }), StatusOut),
  /** Forward only: `to` is scenario ms or `T+H:MM[:SS]`. What is jumped over fires in order. */
  'drill:jump': command(
    z.strictObject({ to: z.union([z.number().int().min(0), z.string().max(20)]) }),
    StatusOut,
  ),
  /** An event by the trainer's hand, validated like a scenario's (no `at`: it happens now). */
  'drill:inject': command(z.strictObject({ event: z.unknown() }), StatusOut),
  /** Ends the drill: the report becomes final. */
  'drill:stop': command(none, StatusOut),
  'drill:report': command(
    none,
    shaped<DrillReport>({
      drill: z.looseObject({ ...drillShape, startedAt: z.string().nullable() }),
    }),
  ),
  /** The report as a document: HTML always, PDF where a Chromium can print it. */
  'drill:export': command(
    z.strictObject({ format: z.enum(['html', 'pdf']) }),
    shaped<DrillExport>({ fileName: z.string(), contentType: z.string(), base64: z.base64() }),
  ),
}

export const drillsEvents = {
  /** The list of drills changed (created, deleted, started, ended). */
  'drills:changed': shaped<{ id: string }>({ id: z.string() }),
  /** About once a second while a drill is open: where its clock stands. */
  'drill:tick': shaped<DrillTick>({ state, speed: z.number(), scenarioMs: ms }),
  /** An event of the timeline fired (and again when its handler settled). */
  'drill:fired': shaped<FiredView>(firedShape),
}
