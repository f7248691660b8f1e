import type { PathIssue } from './issues'
import {
  injectedEventSchema,
  scenarioSchema,
  SCENARIO_SCHEMA_VERSION,
  type InjectedEvent,
  type Scenario,
} from './scenario'
import { checkNames, checkScenario, checkTimeOrder, type KnownNames } from './scenario-checks'
import { schemaIssues } from './schema-issues'

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: PathIssue[] }

const isMapping = (raw: unknown): raw is Record<string, unknown> =>
  raw !== null && typeof raw === 'object' && !Array.isArray(raw)

/**
 * Validates a parsed scenario document: its shape, then its inner consistency,
 * then (given the workspace's names) what it refers to. Time order is reported
 * even when the shape is wrong elsewhere, so one pass shows most problems.
 */
export function validateScenario(raw: unknown, known?: KnownNames): Validation<Scenario> {
  if (!isMapping(raw)) return { ok: false, issues: [{ path: [], code: 'not_object' }] }
  if (raw.schemaVersion !== undefined && raw.schemaVersion !== SCENARIO_SCHEMA_VERSION) {
    // A newer format: its other fields would only produce confusing errors.
    return {
      ok: false,
      issues: [
        {
          path: ['schemaVersion'],
          code: 'schema_version',
          params: { supported: SCENARIO_SCHEMA_VERSION },
        },
      ],
    }
  }
  const parsed = scenarioSchema.safeParse(raw)
  if (!parsed.success) {
    const order = Array.isArray(raw.events) ? checkTimeOrder(raw.events) : []
    return { ok: false, issues: [...schemaIssues(parsed.error, raw), ...order] }
  }
  const issues = checkScenario(parsed.data)
  if (known) issues.push(...checkNames(parsed.data, known))
  return issues.length ? { ok: false, issues } : { ok: true, value: parsed.data }
}

/** Validates an event the trainer injects by hand (from the UI or the CLI). */
export function validateInjectedEvent(raw: unknown): Validation<InjectedEvent> {
  if (!isMapping(raw)) return { ok: false, issues: [{ path: [], code: 'not_object' }] }
  const parsed = injectedEventSchema.safeParse(raw)
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: schemaIssues(parsed.error, raw) }
}
