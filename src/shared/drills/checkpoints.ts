import type { ChannelFamily } from '../channels/kinds'
import { findName } from './names'
import { START_REF, type Checkpoint } from './scenario'
import { parseDuration } from './time'

/**
 * Checkpoint evaluation: given when the scenario's events fired and what the
 * team did (all in scenario milliseconds), says per checkpoint whether it was
 * met, and by how much it was early or late. Pure, so the trainer's panel can
 * show it live and the report can print it at the end.
 */

/** Something the team did, at a scenario time. */
export type TeamAction =
  | {
      type: 'send'
      at: number
      family: ChannelFamily
      /** The lists the message went to (names as in the workspace). */
      lists?: readonly string[]
      /** The channel account it went through. */
      channel?: string
    }
  /** An answer to a citizen; `to` is the citizen-messages event it answers, when known. */
  | { type: 'reply'; at: number; to?: string }
  | { type: 'relay_request'; at: number; partner: string }
  | { type: 'journal_entry'; at: number }

/** When an event fired (scenario ms). Entries without an id cannot be checkpoint anchors. */
export interface FiredAnchor {
  eventId?: string
  firedAt: number
}

export type CheckpointStatus = 'met' | 'late' | 'missed' | 'pending' | 'not_reached'

export interface CheckpointResult {
  id: string
  description: string
  /**
   * met: done in time; late: done after the deadline; missed: not done and the
   * deadline has passed; pending: not done yet, still time; not_reached: the
   * event it counts from has not happened.
   */
  status: CheckpointStatus
  /** When the clock of this checkpoint started (its `after` event fired). */
  from?: number
  deadline?: number
  /** When the team did it (for `citizen_replies`, the reply that reached the count). */
  doneAt?: number
  /** deadline − doneAt: positive = early by, negative = late by. */
  marginMs?: number
}

export interface EvaluationInput {
  fired: readonly FiredAnchor[]
  actions: readonly TeamAction[]
  /** Scenario time the drill started at (what `after: start` counts from). Default 0. */
  startedAt?: number
  /** Current scenario time while the drill runs; omit for the final evaluation (no more pending). */
  now?: number
}

const matchesName = (wanted: string | undefined, names: readonly string[] | undefined): boolean =>
  wanted === undefined || (names !== undefined && findName(wanted, names) !== undefined)

function matches(checkpoint: Checkpoint, action: TeamAction): boolean {
  switch (checkpoint.type) {
    case 'first_send':
      return (
        action.type === 'send' &&
        (checkpoint.family === undefined || checkpoint.family === action.family) &&
        matchesName(checkpoint.list, action.lists) &&
        matchesName(checkpoint.channel, action.channel === undefined ? undefined : [action.channel])
      )
    case 'citizen_replies':
      return action.type === 'reply' && (action.to === undefined || action.to === checkpoint.after)
    case 'partner_relay_requested':
      return (
        action.type === 'relay_request' &&
        findName(checkpoint.partner, [action.partner]) !== undefined
      )
    case 'journal_entry':
      return action.type === 'journal_entry'
  }
}

/** How many matching actions complete the checkpoint. */
const needed = (checkpoint: Checkpoint): number =>
  checkpoint.type === 'citizen_replies' ? checkpoint.count : 1

/** Evaluates every checkpoint against the fired events and the team's actions. */
export function evaluateCheckpoints(
  checkpoints: readonly Checkpoint[],
  input: EvaluationInput,
): CheckpointResult[] {
  const firedAt = new Map<string, number>()
  for (const f of input.fired)
    if (f.eventId !== undefined && !firedAt.has(f.eventId)) firedAt.set(f.eventId, f.firedAt)
  const actions = [...input.actions].sort((a, b) => a.at - b.at)

  return checkpoints.map((checkpoint): CheckpointResult => {
    const base = { id: checkpoint.id, description: checkpoint.description }
    const from =
      checkpoint.after === START_REF ? (input.startedAt ?? 0) : firedAt.get(checkpoint.after)
    if (from === undefined) return { ...base, status: 'not_reached' }
    const deadline = from + (parseDuration(checkpoint.within) ?? 0)
    const done = actions.filter((a) => a.at >= from && matches(checkpoint, a))[
      needed(checkpoint) - 1
    ]
    if (done) {
      const marginMs = deadline - done.at
      return {
        ...base,
        status: marginMs >= 0 ? 'met' : 'late',
        from,
        deadline,
        doneAt: done.at,
        marginMs,
      }
    }
    const stillTime = input.now !== undefined && input.now <= deadline
    return { ...base, status: stillTime ? 'pending' : 'missed', from, deadline }
  })
}
