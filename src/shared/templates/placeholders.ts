/**
 * Reads the `{{variable}}` placeholders of a template text.
 *
 * Syntax rules (the ones an operator can get wrong, each reported, never guessed):
 * - a variable is `{{name}}` with a name from the catalogue; spaces inside the
 *   braces are tolerated (`{{ comuni }}` is `{{comuni}}`), as in Mustache;
 * - names are case-sensitive: `{{Comuni}}` is unknown, with `comuni` suggested;
 * - `{{` with no `}}` before the next `{{` or the end is unclosed;
 * - `{{}}`, `{{{comuni}}}`, a stray `}}` and a known name in single braces
 *   (`{comuni}`, which would be sent literally) are malformed.
 * There is no escape: alert texts never need a literal `{{`.
 */

import {
  isTemplateVariableName,
  TEMPLATE_VARIABLE_NAMES,
  type TemplateVariableName,
} from './variables'

export type PlaceholderProblemCode = 'unknown_variable' | 'unclosed_variable' | 'malformed_variable'

export interface PlaceholderProblem {
  code: PlaceholderProblemCode
  /** The name or fragment as written, shortened to 30 characters. */
  name: string
  /** UTF-16 offset where the placeholder starts. */
  index: number
  /** For an unknown name, the catalogue name it most likely meant. */
  suggestion?: TemplateVariableName
}

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: TemplateVariableName; raw: string; index: number }

export interface ParsedTemplateText {
  parts: TemplatePart[]
  problems: PlaceholderProblem[]
  /** Known variables used, each once, in order of first use. */
  variables: TemplateVariableName[]
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const SINGLE_BRACED = /(?<!\{)\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}(?!\})/g
const clip = (s: string): string => (s.length > 30 ? `${s.slice(0, 29)}…` : s)

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost))
    }
    prev = row
  }
  return prev[b.length] ?? 0
}

/** The catalogue name closest to `name` (case aside, or at most two edits away). */
export function suggestVariable(name: string): TemplateVariableName | undefined {
  const lower = name.toLowerCase()
  let best: { name: TemplateVariableName; distance: number } | undefined
  for (const known of TEMPLATE_VARIABLE_NAMES) {
    const distance = editDistance(lower, known)
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: known, distance }
  }
  return best?.name
}

/** Problems hiding in literal text: a stray `}}`, or `{comuni}` written with single braces. */
function literalProblems(text: string, offset: number): PlaceholderProblem[] {
  const problems: PlaceholderProblem[] = []
  for (let i = text.indexOf('}}'); i !== -1; i = text.indexOf('}}', i + 2)) {
    problems.push({ code: 'malformed_variable', name: '}}', index: offset + i })
  }
  for (const m of text.matchAll(SINGLE_BRACED)) {
    const name = m[1] ?? ''
    if (isTemplateVariableName(name)) {
      problems.push({ code: 'malformed_variable', name: clip(m[0]), index: offset + m.index })
    }
  }
  return problems
}

/** Splits a template text into literal text and variables, listing every syntax problem. */
export function parseTemplateText(text: string): ParsedTemplateText {
  const parts: TemplatePart[] = []
  const problems: PlaceholderProblem[] = []
  const variables = new Set<TemplateVariableName>()
  let literal = ''
  /** Literal text as typed: scanned for stray braces (placeholders already judged are not). */
  const addLiteral = (chunk: string, offset: number): void => {
    problems.push(...literalProblems(chunk, offset))
    literal += chunk
  }
  const flushLiteral = (): void => {
    if (literal !== '') parts.push({ kind: 'text', text: literal })
    literal = ''
  }

  let i = 0
  while (i < text.length) {
    const open = text.indexOf('{{', i)
    if (open === -1) {
      addLiteral(text.slice(i), i)
      break
    }
    const close = text.indexOf('}}', open + 2)
    const nextOpen = text.indexOf('{{', open + 2)
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const fragment = text.slice(open + 2).split(/\s/, 1)[0] ?? ''
      problems.push({ code: 'unclosed_variable', name: clip(fragment), index: open })
      addLiteral(text.slice(i, open), i)
      literal += '{{'
      i = open + 2
      continue
    }
    addLiteral(text.slice(i, open), i)
    const raw = text.slice(open, close + 2)
    const name = text.slice(open + 2, close).trim()
    if (isTemplateVariableName(name)) {
      flushLiteral()
      parts.push({ kind: 'variable', name, raw, index: open })
      variables.add(name)
    } else if (IDENTIFIER.test(name)) {
      const suggestion = suggestVariable(name)
      problems.push({
        code: 'unknown_variable',
        name: clip(name),
        index: open,
        ...(suggestion ? { suggestion } : {}),
      })
      literal += raw
    } else {
      problems.push({ code: 'malformed_variable', name: clip(raw), index: open })
      literal += raw
    }
    i = close + 2
  }
  flushLiteral()
  problems.sort((a, b) => a.index - b.index)
  return { parts, problems, variables: [...variables] }
}
