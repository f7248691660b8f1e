/**
 * Checks a template before it is saved: its shape, the syntax of every
 * placeholder, and a few content rules.
 *
 * Content rules, kept few on purpose so they never get in the way in a hurry:
 * 1. at least one variant has text (`variants`: required);
 * 2. the e-mail subject and body come together (the blank one: required), and the
 *    subject is one line (invalid);
 * 3. except for `generico`, every message variant says where: it contains
 *    `{{comuni}}` (missing_variable). The e-mail subject is exempt.
 */

import type { FieldIssue } from '../validation/issues'
import { toFieldIssues } from '../validation/issues'
import { parseTemplateText, type PlaceholderProblem } from './placeholders'
import { TEMPLATE_VARIANTS, templateSchema, type TemplateVariant } from './template-schema'

/** A placeholder problem as a field issue on `path`. */
export function issueFromProblem(path: string, problem: PlaceholderProblem): FieldIssue {
  if (problem.code === 'unknown_variable' && problem.suggestion) {
    return {
      path,
      code: 'unknown_variable_suggestion',
      params: { name: problem.name, suggestion: problem.suggestion },
    }
  }
  return { path, code: problem.code, params: { name: problem.name } }
}

const isBlank = (s: string): boolean => s.trim() === ''

/** Strings of whichever variants are present, even when the template as a whole is malformed. */
function variantTexts(input: unknown): Partial<Record<TemplateVariant, string>> {
  const variants = (input as { variants?: unknown } | null)?.variants
  if (typeof variants !== 'object' || variants === null) return {}
  const out: Partial<Record<TemplateVariant, string>> = {}
  for (const v of TEMPLATE_VARIANTS) {
    const text = (variants as Record<string, unknown>)[v]
    if (typeof text === 'string') out[v] = text
  }
  return out
}

/** Every problem of a template, as field issues (empty when it can be saved). */
export function validateTemplate(input: unknown): FieldIssue[] {
  // reportInput lets toFieldIssues tell a wrong type (invalid) from a missing field (required).
  const parsed = templateSchema.safeParse(input, { reportInput: true })
  const issues: FieldIssue[] = parsed.success ? [] : toFieldIssues(parsed.error)
  const texts = parsed.success ? parsed.data.variants : variantTexts(input)

  for (const v of TEMPLATE_VARIANTS) {
    const text = texts[v]
    if (text === undefined) continue
    for (const problem of parseTemplateText(text).problems) {
      issues.push(issueFromProblem(`variants.${v}`, problem))
    }
  }
  if (!parsed.success) return issues

  const { kind, variants } = parsed.data
  if (TEMPLATE_VARIANTS.every((v) => isBlank(variants[v]))) {
    issues.push({ path: 'variants', code: 'required' })
  }
  if (isBlank(variants.email_subject) !== isBlank(variants.email_body)) {
    const blank = isBlank(variants.email_subject) ? 'email_subject' : 'email_body'
    issues.push({ path: `variants.${blank}`, code: 'required' })
  }
  if (/[\r\n]/.test(variants.email_subject)) {
    issues.push({ path: 'variants.email_subject', code: 'invalid' })
  }
  if (kind !== 'generico') {
    for (const v of TEMPLATE_VARIANTS) {
      if (v === 'email_subject' || isBlank(variants[v])) continue
      if (!parseTemplateText(variants[v]).variables.includes('comuni')) {
        issues.push({ path: `variants.${v}`, code: 'missing_variable', params: { name: 'comuni' } })
      }
    }
  }
  return issues
}
