import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import type { PathIssue, ScenarioIssue } from '../../../shared/drills/issues'
import { formatIssuePath, formatScenarioIssue } from '../../../shared/drills/issues'
import type { Scenario } from '../../../shared/drills/scenario'
import type { KnownNames } from '../../../shared/drills/scenario-checks'
import { validateScenario } from '../../../shared/drills/validate'
import { positionOf } from './yaml-positions'

/** Scenarios are a few hundred lines; anything far larger is not one. */
export const MAX_SCENARIO_BYTES = 1024 * 1024

export type ScenarioLoad =
  | { ok: true; fileName: string; scenario: Scenario }
  | { ok: false; fileName: string; issues: ScenarioIssue[] }

export interface ParseOptions {
  /** Shown in formatted issues (`neve.yaml:12: …`). */
  fileName?: string
  /** The workspace's names; when given, every name the scenario uses must be among them. */
  known?: KnownNames
}

/** The parser's message without its own position and code excerpt (we give the line apart). */
function syntaxDetail(message: string): string {
  const first = message.split('\n')[0] ?? message
  return first.replace(/ at line \d+, column \d+:?$/, '').trim()
}

const byPlace = (a: ScenarioIssue, b: ScenarioIssue): number =>
  a.line - b.line || a.column - b.column

/**
 * Parses and validates a scenario from text. YAML and JSON go through the same
 * YAML 1.2 parser (JSON is a subset of it), so both get line numbers: for syntax
 * errors from the parser, for every other problem from the node it is about.
 */
export function parseScenarioText(text: string, options: ParseOptions = {}): ScenarioLoad {
  const fileName = options.fileName ?? 'scenario.yaml'
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true })
  const first = doc.errors[0]
  if (first) {
    // Only the first: the parser's later errors are mostly echoes of it.
    const pos = first.linePos?.[0]
    const issue: ScenarioIssue = {
      line: pos?.line ?? 1,
      column: pos?.col ?? 1,
      path: '',
      code: first.code === 'BLOCK_AS_IMPLICIT_KEY' ? 'syntax_colon' : 'syntax',
      params: { detail: syntaxDetail(first.message) },
    }
    return { ok: false, fileName, issues: [issue] }
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 })
  const result = validateScenario(raw, options.known)
  if (result.ok) return { ok: true, fileName, scenario: result.value }
  const placed = result.issues.map((issue: PathIssue): ScenarioIssue => {
    const { line, column } = positionOf(doc, lines, issue.path)
    return {
      line,
      column,
      path: formatIssuePath(issue.path),
      code: issue.code,
      ...(issue.params ? { params: issue.params } : {}),
    }
  })
  return { ok: false, fileName, issues: placed.sort(byPlace) }
}

/** Reads a scenario file (`.yaml`, `.yml` or `.json`) and validates it. */
export function loadScenarioFile(file: string, known?: KnownNames): ScenarioLoad {
  const fileName = basename(file)
  const fail = (
    code: 'unreadable' | 'too_large',
    params: Record<string, string | number>,
  ): ScenarioLoad => ({
    ok: false,
    fileName,
    issues: [{ line: 0, column: 0, path: '', code, params }],
  })
  let text: string
  try {
    const size = statSync(file).size
    if (size > MAX_SCENARIO_BYTES) return fail('too_large', { max: MAX_SCENARIO_BYTES })
    text = readFileSync(file, 'utf8')
  } catch (err) {
    return fail('unreadable', { detail: (err as Error).message })
  }
  return parseScenarioText(text, { fileName, ...(known ? { known } : {}) })
}

/** The issues of a failed load, one compiler-style line each (for the CLI). */
export function scenarioIssueLines(load: ScenarioLoad, locale: 'it' | 'en' = 'en'): string[] {
  return load.ok
    ? []
    : load.issues.map((issue) => formatScenarioIssue(load.fileName, issue, locale))
}
