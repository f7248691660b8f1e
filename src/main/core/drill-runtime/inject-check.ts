import {
  formatIssuePath,
  describeScenarioIssue,
  type PathIssue,
} from '../../../shared/drills/issues'
import type { InjectedEvent, Scenario, ScenarioEvent } from '../../../shared/drills/scenario'
import { checkNames, type KnownNames } from '../../../shared/drills/scenario-checks'
import { validateInjectedEvent } from '../../../shared/drills/validate'
import type { FieldIssue } from '../../../shared/validation/issues'
import { CoreError } from '../errors'

/**
 * Field issues for an injected event. The scenario catalogue words them
 * (`params.scenarioIssue` is its code), so the trainer reads the same sentence
 * as for a scenario file.
 */
function toFieldIssues(issues: readonly PathIssue[]): FieldIssue[] {
  return issues.map((i) => ({
    path: ['event', ...i.path].map(String).join('.'),
    code: 'invalid',
    params: { scenarioIssue: i.code, ...i.params },
  }))
}

/**
 * Checks an event the trainer injects: its shape, and that the channel,
 * partner and comuni it names exist in the drill (the timeline runner checks
 * the shape again; names it cannot know).
 */
export function checkInjectedEvent(
  raw: unknown,
  scenario: Scenario,
  known: KnownNames,
): InjectedEvent {
  const fail = (issues: PathIssue[]): never => {
    const detail = issues
      .map((i) => describeScenarioIssue({ ...i, path: formatIssuePath(['event', ...i.path]) }))
      .join('; ')
    throw new CoreError(
      'invalid_input',
      `the injected event is not valid: ${detail}`,
      toFieldIssues(issues),
    )
  }
  const shape = validateInjectedEvent(raw)
  if (!shape.ok) return fail(shape.issues)
  const asScheduled = { ...shape.value, at: 'T+0:00' } as ScenarioEvent
  const names = checkNames({ ...scenario, events: [asScheduled], checkpoints: [] }, known)
  if (names.length > 0) return fail(names.map((i) => ({ ...i, path: i.path.slice(2) })))
  return shape.value
}
