/**
 * A template rendered for every channel, with each text's counter and problems.
 * The template editor calls it without values (sample values fill in), the
 * composer and the sender with the real values: then a missing value is an
 * error and `ok` is false, so the sender has one place to ask "can this go?".
 */

import type { FieldIssue } from '../validation/issues'
import { countFor, type TextCount } from '../text/counters'
import type { ChannelFamily } from '../channels/kinds'
import {
  ALERT_KIND_PHRASES,
  ALERT_KIND_PHRASES_EN,
  levelWord,
  levelWordEnglish,
} from './alert-kinds'
import { renderTemplate } from './render'
import {
  isEnglishVariant,
  TEMPLATE_VARIANTS,
  VARIANT_FAMILY,
  type Template,
  type TemplateVariant,
} from './template-schema'
import { issueFromProblem } from './validate'
import {
  DRILL_MARKER,
  DRILL_MARKER_EN,
  isWorkspaceVariable,
  SAMPLE_VALUES,
  SAMPLE_VALUES_EN,
  type TemplateValues,
} from './variables'

export type IssueSeverity = 'error' | 'warning'

/** A field issue with how much it matters: errors block sending, warnings inform. */
export interface PreviewIssue extends FieldIssue {
  severity: IssueSeverity
}

export interface VariantPreview {
  variant: TemplateVariant
  family: ChannelFamily
  /** False when the template leaves this variant empty: the channel is not used. */
  used: boolean
  text: string
  count: TextCount
  issues: PreviewIssue[]
}

export interface TemplatePreview {
  variants: Record<TemplateVariant, VariantPreview>
  /** Every variant's issues, in variant order. */
  issues: PreviewIssue[]
  /** True when no issue is an error. */
  ok: boolean
}

export interface PreviewOptions {
  /** A drill: `{{esercitazione}}` renders the drill marker. Not overridable by values. */
  drill?: boolean
  /** Most SMS parts allowed (the channel account's setting); see SMS_MAX_SEGMENTS. */
  smsMaxSegments?: number
  /**
   * The alert's values in English for the English variants (`website_en`):
   * comuni joined with "and", dates in English (alerts/template-texts.ts). Over
   * `values`; without them an English variant takes the Italian ones.
   */
  english?: TemplateValues
}

/**
 * The values a template gives itself: `livello` and `tipo` from its level and
 * kind, `esercitazione` from the mode (marker in a drill, empty otherwise).
 */
export function derivedValues(
  template: Pick<Template, 'kind' | 'level'>,
  drill = false,
): Required<Pick<TemplateValues, 'livello' | 'tipo' | 'esercitazione'>> {
  return {
    livello: levelWord(template.level),
    tipo: ALERT_KIND_PHRASES[template.kind],
    esercitazione: drill ? DRILL_MARKER : '',
  }
}

function previewVariant(
  variant: TemplateVariant,
  source: string,
  values: TemplateValues,
  strict: boolean,
  options: PreviewOptions,
): VariantPreview {
  const family = VARIANT_FAMILY[variant]
  const path = `variants.${variant}`
  if (source.trim() === '') {
    return {
      variant,
      family,
      used: false,
      text: '',
      count: countFor(family, '', options),
      issues: [{ path, code: 'empty', severity: 'warning' }],
    }
  }
  const rendered = renderTemplate(source, values)
  const count = countFor(family, rendered.text, options)
  const issues: PreviewIssue[] = rendered.problems.map((p) => ({
    ...issueFromProblem(path, p),
    severity: 'error',
  }))
  for (const name of rendered.missing) {
    // Without values every variable has a sample, so this only fires in strict mode.
    // The ente's own values are set in one place: the operator is sent there.
    issues.push({
      path,
      code: isWorkspaceVariable(name) ? 'missing_setting' : 'missing_value',
      params: { name },
      severity: strict ? 'error' : 'warning',
    })
  }
  if (rendered.text.trim() === '') issues.push({ path, code: 'empty', severity: 'error' })
  if (count.over && count.limit !== null) {
    issues.push({
      path,
      code: 'over_limit',
      params: { length: count.length, limit: count.limit },
      severity: 'error',
    })
  }
  if (count.sms && count.sms.offenders.length > 0) {
    issues.push({
      path,
      code: 'ucs2',
      params: {
        chars: count.sms.offenders.map((o) => o.char).join(' '),
        segments: count.sms.segments,
      },
      severity: 'warning',
    })
  }
  return { variant, family, used: true, text: rendered.text, count, issues }
}

/**
 * Renders every variant of `template` and checks it against its channel.
 * - Without `values`: a preview with sample values, for the template editor.
 * - With `values`: only those (over {@link derivedValues}); any variable left
 *   without a value is a `missing_value` error, and the placeholder stays visible.
 */
export function previewTemplate(
  template: Template,
  values?: TemplateValues,
  options: PreviewOptions = {},
): TemplatePreview {
  const strict = values !== undefined
  const { esercitazione, ...fromTemplate } = derivedValues(template, options.drill ?? false)
  // The caller may restate livello/tipo, never the drill marker: the mode decides it.
  const merged: TemplateValues = {
    ...(strict ? {} : SAMPLE_VALUES),
    ...fromTemplate,
    ...values,
    esercitazione,
  }
  // English texts: the same alert in English words, the level, kind and marker in English.
  const mergedEn: TemplateValues = {
    ...(strict ? {} : SAMPLE_VALUES_EN),
    ...values,
    ...options.english,
    livello: levelWordEnglish(template.level),
    tipo: ALERT_KIND_PHRASES_EN[template.kind],
    esercitazione: options.drill ? DRILL_MARKER_EN : '',
  }
  const variants = Object.fromEntries(
    TEMPLATE_VARIANTS.map((v) => [
      v,
      previewVariant(
        v,
        template.variants[v],
        isEnglishVariant(v) ? mergedEn : merged,
        strict,
        options,
      ),
    ]),
  ) as Record<TemplateVariant, VariantPreview>
  const issues = TEMPLATE_VARIANTS.flatMap((v) => variants[v].issues)
  return { variants, issues, ok: issues.every((i) => i.severity !== 'error') }
}
