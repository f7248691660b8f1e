import type { z } from 'zod'
import { isScenarioIssueCode, type IssueParams, type PathIssue } from './issues'

/**
 * Turns zod's issues into scenario issues. The schemas carry issue codes as
 * their messages; what they cannot know (the value written, the allowed
 * choices, whether the field was missing) is read here from the raw document.
 */

type Path = (string | number)[]

const toPath = (path: readonly PropertyKey[]): Path =>
  path.map((p) => (typeof p === 'number' ? p : String(p)))

function valueAt(raw: unknown, path: Path): unknown {
  let node = raw
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[seg]
  }
  return node
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)))

/** Paths of the fields whose union decides the event or checkpoint type (a lone `type`: an injected event). */
function discriminatorCode(
  path: Path,
): 'unknown_event_type' | 'unknown_checkpoint_type' | undefined {
  if (path.length === 1 && path[0] === 'type') return 'unknown_event_type'
  if (path.length !== 3 || path[2] !== 'type') return undefined
  if (path[0] === 'events') return 'unknown_event_type'
  if (path[0] === 'checkpoints') return 'unknown_checkpoint_type'
  return undefined
}

function one(issue: z.core.$ZodIssue, raw: unknown): PathIssue[] {
  const path = toPath(issue.path)
  const value = valueAt(raw, path)
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], code: 'unknown_key', params: { key } }))
  }
  if (value === undefined) return [{ path, code: 'required' }]
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    const code = discriminatorCode(path)
    const options = ((issue as { options?: unknown[] }).options ?? []).map(String).join(', ')
    if (code) return [{ path, code, params: { type: shown(value), options } }]
  }
  const message = issue.message
  if (isScenarioIssueCode(message)) {
    const params: IssueParams = {}
    if (issue.code === 'too_big' && message === 'too_long') params.max = Number(issue.maximum)
    if (issue.code === 'invalid_value') params.options = issue.values.map(String).join(', ')
    if (message === 'time_format' || message === 'duration_format' || message === 'delay_format') {
      params.value = shown(value)
    }
    const custom = (issue as { params?: IssueParams }).params
    if (custom) Object.assign(params, custom)
    return [Object.keys(params).length ? { path, code: message, params } : { path, code: message }]
  }
  if (issue.code === 'invalid_type') return [{ path, code: 'wrong_type' }]
  if (issue.code === 'invalid_value') {
    return [{ path, code: 'choice', params: { options: issue.values.map(String).join(', ') } }]
  }
  return [{ path, code: 'invalid', params: { detail: message } }]
}

/** One scenario issue per problem zod found (one per unknown key). */
export function schemaIssues(error: z.ZodError, raw: unknown): PathIssue[] {
  const seen = new Set<string>()
  const out: PathIssue[] = []
  for (const issue of error.issues.flatMap((i) => one(i, raw))) {
    const key = `${issue.path.join('\u0000')}|${issue.code}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(issue)
  }
  return out
}
