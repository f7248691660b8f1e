import {
  formatAlertWindow,
  formatItalianDate,
  joinComuni,
} from '../../../shared/templates/format-it'
import {
  formatEnglishAlertWindow,
  formatEnglishDate,
  joinComuniEnglish,
} from '../../../shared/templates/format-en'
import { previewTemplate, type TemplatePreview } from '../../../shared/templates/preview'
import { TEMPLATE_VARIANTS, type Template } from '../../../shared/templates/template-schema'
import { countFor } from '../../../shared/text/counters'
import { toSpokenItalian } from '../../../shared/text/spoken-it'
import type { TemplateValues } from '../../../shared/templates/variables'
import type { AlertTexts } from './alert-schema'
import type { Alert } from './types'

/** What the office fills in once (Configurazione → Ente) or per alert (a day). */
export type ExtraTemplateValues = Pick<
  TemplateValues,
  'ente' | 'link' | 'numero_emergenza' | 'hashtag' | 'data'
>

/**
 * The template values an alert gives: its comuni joined the Italian way, its
 * validity as "dalle … alle …" in Rome's time, the day it starts (`data`: the
 * day schools close, for a "scuole chiuse" alert), headline, description and
 * instructions. Level and kind come from the template itself.
 */
export function alertTemplateValues(
  alert: Pick<
    Alert,
    'comuni' | 'validFrom' | 'validTo' | 'headline' | 'description' | 'instruction'
  >,
  extra: ExtraTemplateValues = {},
): TemplateValues {
  return {
    comuni: joinComuni(alert.comuni.map((c) => c.name)),
    ...formatAlertWindow(alert.validFrom, alert.validTo),
    data: formatItalianDate(alert.validFrom),
    titolo: alert.headline,
    descrizione: alert.description,
    istruzioni: alert.instruction,
    ...extra,
  }
}

/**
 * The alert's values for the English texts (`website_en`): comuni joined with
 * "and" (names in Italian), validity and day in English, Rome's time. Headline,
 * description and instructions are the alert's own (the operator's words).
 */
export function alertTemplateValuesEnglish(
  alert: Pick<Alert, 'comuni' | 'validFrom' | 'validTo'>,
): TemplateValues {
  return {
    comuni: joinComuniEnglish(alert.comuni.map((c) => c.name)),
    ...formatEnglishAlertWindow(alert.validFrom, alert.validTo),
    data: formatEnglishDate(alert.validFrom),
  }
}

/**
 * Renders a template for an alert: one text per variant (empty where the
 * template does not use the channel), and the preview with its issues.
 *
 * The voice text is stored as it will be said (shared/text/spoken-it.ts):
 * numbers, times and dates in words, no links or symbols. The draft holds that
 * form, so the composer, the send preview and the call all read the same text;
 * a date without its year is the one nearest the alert's start.
 */
export function renderAlertTexts(
  template: Template,
  alert: Parameters<typeof alertTemplateValues>[0] & Pick<Alert, 'mode'>,
  extra: ExtraTemplateValues = {},
): { texts: AlertTexts; preview: TemplatePreview } {
  const preview = previewTemplate(template, alertTemplateValues(alert, extra), {
    drill: alert.mode === 'drill',
    english: alertTemplateValuesEnglish(alert),
  })
  const voice = preview.variants.voice
  if (voice.used) {
    const spoken = toSpokenItalian(voice.text, { now: alert.validFrom })
    preview.variants.voice = { ...voice, text: spoken, count: countFor(voice.family, spoken) }
  }
  const texts = Object.fromEntries(
    TEMPLATE_VARIANTS.map((v) => [v, preview.variants[v].used ? preview.variants[v].text : '']),
  ) as AlertTexts
  return { texts, preview }
}
