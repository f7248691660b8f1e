import type { z } from 'zod'
import { ACCOUNT_FORMATS } from '../channels/formats'

/**
 * A field-level problem, as a code the UI translates (Italian or English) and
 * the CLI prints. Codes, not sentences, cross the contract so that one message
 * catalogue serves every side.
 */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `settings.baseUrl`. */
  path: string
  code: ValidationCode
  params?: Record<string, string | number>
}

export const VALIDATION_CODES = [
  'required',
  'url',
  'host',
  'port',
  'number',
  'range',
  'email',
  'path',
  'choice',
  'too_long',
  'duplicate',
  'invalid',
  // Templates (src/shared/templates): params { name } unless noted.
  'unknown_variable',
  'unknown_variable_suggestion', // { name, suggestion }
  'unclosed_variable',
  'malformed_variable',
  'missing_variable',
  'missing_value',
  'missing_setting', // { name }: a workspace value (Configurazione → Ente) is not set
  // Rendered text against its channel (previewTemplate).
  'ucs2', // { chars, segments }
  'over_limit', // { length, limit }
  'empty',
  // Times typed on Rome's clock (src/shared/time): { time, date }.
  'time_gap',
  // Workspace settings.
  'hashtag',
  // Channel accounts: the provider's shape of a value (shared/channels/formats.ts).
  ...ACCOUNT_FORMATS,
] as const
export type ValidationCode = (typeof VALIDATION_CODES)[number]

/** zod keeps custom `params` on refinement issues; range messages need them. */
function paramsOf(issue: z.core.$ZodIssue): { params?: Record<string, string | number> } {
  const params = (issue as { params?: Record<string, string | number> }).params
  return params ? { params } : {}
}

const isCode = (s: string): s is ValidationCode =>
  (VALIDATION_CODES as readonly string[]).includes(s)

/** Turns zod's issues into field issues; schemas carry our codes as their messages. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    if (issue.code === 'invalid_type' && issue.input === undefined)
      return { path, code: 'required' }
    if (isCode(issue.message)) return { path, code: issue.message, ...paramsOf(issue) }
    if (issue.code === 'invalid_value') return { path, code: 'choice' }
    if (issue.code === 'unrecognized_keys')
      return { path, code: 'invalid', params: { keys: issue.keys.join(', ') } }
    return { path, code: 'invalid', params: { detail: issue.message } }
  })
}
