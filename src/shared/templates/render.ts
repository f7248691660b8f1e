/**
 * Fills a template text with values. Values are inserted once, as they are: a
 * value that itself contains `{{…}}` is not expanded again.
 */

import { parseTemplateText, type PlaceholderProblem } from './placeholders'
import { TEMPLATE_VARIABLES, type TemplateValues, type TemplateVariableName } from './variables'

export interface RenderResult {
  /** Rendered text (NFC); a placeholder without a value is left as written, so it shows. */
  text: string
  /** Variables used by the text that have no value (or a blank one where blank is not allowed). */
  missing: TemplateVariableName[]
  /** Syntax problems: unknown names, unclosed or malformed placeholders (left as written). */
  problems: PlaceholderProblem[]
}

/** The value to insert, or undefined when the variable counts as missing. */
function valueFor(name: TemplateVariableName, values: TemplateValues): string | undefined {
  const value = values[name]
  const { allowEmpty, emptyWhenAbsent } = TEMPLATE_VARIABLES[name]
  if (typeof value !== 'string') return emptyWhenAbsent ? '' : undefined
  if (value.trim() === '' && !allowEmpty) return undefined
  return value
}

/**
 * Replaces the variables of `text` with `values` and reports what is missing
 * or malformed; never throws. For the sending path use {@link renderStrict}.
 * The result is NFC-normalised, so a decomposed `è` typed into a value does not
 * turn an SMS into UCS-2.
 */
export function renderTemplate(text: string, values: TemplateValues): RenderResult {
  const { parts, problems } = parseTemplateText(text)
  const missing = new Set<TemplateVariableName>()
  let out = ''
  let endsEmpty = false
  for (const part of parts) {
    if (part.kind === 'text') {
      out += part.text
      endsEmpty = false
      continue
    }
    const value = valueFor(part.name, values)
    if (value === undefined) {
      missing.add(part.name)
      out += part.raw
    } else {
      out += value
    }
    endsEmpty = value !== undefined && value.trim() === ''
  }
  // A text that ends with a variable left empty (`… {{link}} {{hashtag}}` without a hashtag)
  // does not end with the space or line break that stood before it.
  if (endsEmpty) out = out.trimEnd()
  return { text: out.normalize('NFC'), missing: [...missing], problems }
}

/** Why a text could not be rendered for sending. */
export class TemplateRenderError extends Error {
  readonly missing: TemplateVariableName[]
  readonly problems: PlaceholderProblem[]

  constructor(missing: TemplateVariableName[], problems: PlaceholderProblem[]) {
    const reasons = [
      ...(missing.length > 0 ? [`missing values for ${missing.join(', ')}`] : []),
      ...problems.map((p) => `${p.code.replace('_', ' ')} "${p.name}" at ${p.index}`),
    ]
    super(`Template cannot be sent: ${reasons.join('; ')}`)
    this.name = 'TemplateRenderError'
    this.missing = missing
    this.problems = problems
  }
}

/**
 * Renders for sending: every variable must have a value and the text must be
 * well formed, or nothing is rendered at all.
 * @throws TemplateRenderError listing the missing variables and syntax problems.
 */
export function renderStrict(text: string, values: TemplateValues): string {
  const result = renderTemplate(text, values)
  if (result.missing.length > 0 || result.problems.length > 0) {
    throw new TemplateRenderError(result.missing, result.problems)
  }
  return result.text
}
