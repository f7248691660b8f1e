import type { IssueParams, PathIssue, ScenarioIssueCode } from './issues'
import { findName, suggestName } from './names'
import { START_REF, type Scenario } from './scenario'
import { parseScenarioTime } from './time'

/**
 * Checks a scenario beyond its shape: events in time order, ids unique and
 * referenced correctly, and (given the workspace's names) every list, partner,
 * channel account and comune it names existing. Issues carry paths; the loader
 * turns them into lines.
 */

/** Names that exist in the workspace the drill will run against. */
export interface KnownNames {
  lists: readonly string[]
  partners: readonly string[]
  channels: readonly string[]
  /** Omit to skip the comune check. */
  comuni?: readonly string[]
}

/** What a scenario needs from a workspace, by name. */
export interface ScenarioRequirements {
  lists: string[]
  partners: string[]
  channels: string[]
  comuni: string[]
}

type Path = (string | number)[]

const issue = (path: Path, code: ScenarioIssueCode, params?: IssueParams): PathIssue =>
  params ? { path, code, params } : { path, code }

/**
 * Events must not go back in time: each `at` is compared with the previous
 * event's. Works on raw, unvalidated events so it can report alongside shape errors.
 */
export function checkTimeOrder(events: readonly unknown[]): PathIssue[] {
  const issues: PathIssue[] = []
  let previous: { index: number; ms: number; text: string } | undefined
  events.forEach((event, index) => {
    const at = (event as { at?: unknown } | null)?.at
    if (typeof at !== 'string') return
    const ms = parseScenarioTime(at)
    if (ms === null) return
    if (previous && ms < previous.ms) {
      issues.push(
        issue(['events', index, 'at'], 'time_backwards', {
          at,
          previous: previous.text,
          previousIndex: previous.index,
        }),
      )
    }
    previous = { index, ms, text: at }
  })
  return issues
}

/** Checks that need the whole scenario but not the workspace. */
export function checkScenario(scenario: Scenario): PathIssue[] {
  const issues = checkTimeOrder(scenario.events)
  const eventIndex = new Map<string, number>()
  scenario.events.forEach((event, index) => {
    if (event.id === undefined) return
    if (event.id === START_REF)
      issues.push(issue(['events', index, 'id'], 'reserved_id', { id: event.id }))
    else if (eventIndex.has(event.id))
      issues.push(issue(['events', index, 'id'], 'duplicate_id', { id: event.id }))
    else eventIndex.set(event.id, index)
  })

  scenario.events.forEach((event, index) => {
    const at: Path = ['events', index]
    if (event.type === 'bulletin') {
      if (event.msgType === 'Alert' && event.references !== undefined) {
        issues.push(issue([...at, 'references'], 'references_not_allowed'))
      }
      if (event.msgType !== 'Alert' && event.references === undefined) {
        issues.push(issue([...at, 'msgType'], 'references_required'))
      }
      if (event.references !== undefined && event.msgType !== 'Alert') {
        const target = eventIndex.get(event.references)
        const ref = event.references
        if (target === undefined)
          issues.push(issue([...at, 'references'], 'unknown_event_ref', { ref }))
        else if (scenario.events[target]?.type !== 'bulletin') {
          issues.push(issue([...at, 'references'], 'reference_not_bulletin', { ref }))
        } else if (target >= index)
          issues.push(issue([...at, 'references'], 'reference_not_earlier', { ref }))
      }
      const onset = parseScenarioTime(event.onset) ?? 0
      const expires = parseScenarioTime(event.expires) ?? 0
      if (expires <= onset) {
        issues.push(
          issue([...at, 'expires'], 'expires_before_onset', {
            onset: event.onset,
            expires: event.expires,
          }),
        )
      }
    }
    if (
      event.type === 'citizen_messages' &&
      event.count !== undefined &&
      event.count < event.messages.length
    ) {
      issues.push(
        issue([...at, 'count'], 'count_below_samples', {
          count: event.count,
          samples: event.messages.length,
        }),
      )
    }
  })

  const checkpointIds = new Set<string>()
  scenario.checkpoints.forEach((checkpoint, index) => {
    if (checkpointIds.has(checkpoint.id)) {
      issues.push(issue(['checkpoints', index, 'id'], 'duplicate_id', { id: checkpoint.id }))
    }
    checkpointIds.add(checkpoint.id)
    if (checkpoint.after !== START_REF && !eventIndex.has(checkpoint.after)) {
      issues.push(
        issue(['checkpoints', index, 'after'], 'unknown_event_ref', { ref: checkpoint.after }),
      )
    }
  })
  return issues
}

interface NameUse {
  path: Path
  name: string
}

/** Every place a scenario names something of the workspace, by kind. */
function nameUses(scenario: Scenario): Record<keyof ScenarioRequirements, NameUse[]> {
  const uses: Record<keyof ScenarioRequirements, NameUse[]> = {
    lists: [],
    partners: [],
    channels: [],
    comuni: [],
  }
  scenario.events.forEach((event, index) => {
    const at: Path = ['events', index]
    switch (event.type) {
      case 'bulletin':
        event.comuni.forEach((name, j) => uses.comuni.push({ path: [...at, 'comuni', j], name }))
        break
      case 'ordinance':
        uses.comuni.push({ path: [...at, 'comune'], name: event.comune })
        break
      case 'citizen_messages':
        if (event.comune !== undefined)
          uses.comuni.push({ path: [...at, 'comune'], name: event.comune })
        break
      case 'partner_relay':
        uses.partners.push({ path: [...at, 'partner'], name: event.partner })
        break
      case 'channel_fault':
        uses.channels.push({ path: [...at, 'channel'], name: event.channel })
        break
      case 'note':
        break
    }
  })
  scenario.checkpoints.forEach((checkpoint, index) => {
    const at: Path = ['checkpoints', index]
    if (checkpoint.type === 'first_send') {
      if (checkpoint.list !== undefined)
        uses.lists.push({ path: [...at, 'list'], name: checkpoint.list })
      if (checkpoint.channel !== undefined)
        uses.channels.push({ path: [...at, 'channel'], name: checkpoint.channel })
    }
    if (checkpoint.type === 'partner_relay_requested') {
      uses.partners.push({ path: [...at, 'partner'], name: checkpoint.partner })
    }
  })
  return uses
}

const UNKNOWN_CODE = {
  lists: 'unknown_list',
  partners: 'unknown_partner',
  channels: 'unknown_channel',
  comuni: 'unknown_comune',
} as const satisfies Record<keyof ScenarioRequirements, ScenarioIssueCode>

/** Every list, partner, channel account and comune the scenario names must exist in the workspace. */
export function checkNames(scenario: Scenario, known: KnownNames): PathIssue[] {
  const issues: PathIssue[] = []
  const uses = nameUses(scenario)
  for (const kind of ['lists', 'partners', 'channels', 'comuni'] as const) {
    const names = known[kind]
    if (names === undefined) continue
    for (const use of uses[kind]) {
      if (findName(use.name, names) !== undefined) continue
      const suggestion = suggestName(use.name, names)
      issues.push(
        issue(
          use.path,
          UNKNOWN_CODE[kind],
          suggestion ? { name: use.name, suggestion } : { name: use.name },
        ),
      )
    }
  }
  return issues
}

/** The names a workspace must have for this scenario (what a demo seed or a README lists). */
export function scenarioRequirements(scenario: Scenario): ScenarioRequirements {
  const uses = nameUses(scenario)
  const distinct = (list: NameUse[]): string[] => {
    const out: string[] = []
    for (const { name } of list) if (findName(name, out) === undefined) out.push(name)
    return out.sort((a, b) => a.localeCompare(b, 'it'))
  }
  return {
    lists: distinct(uses.lists),
    partners: distinct(uses.partners),
    channels: distinct(uses.channels),
    comuni: distinct(uses.comuni),
  }
}
