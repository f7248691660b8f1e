import type { Alert } from '../alerts/types'
import { derivedValues } from '../templates/preview'
import { formatAlertWindow, formatItalianDate, joinComuni } from '../templates/format-it'
import { renderTemplate } from '../templates/render'
import type { Template, TemplateVariant } from '../templates/template-schema'
import type { TemplateValues } from '../templates/variables'
import type { CitizenFamily } from './types'

/** Which text of a template answers a citizen on each channel. */
export const REPLY_VARIANT: Record<CitizenFamily, TemplateVariant> = {
  sms: 'sms',
  telegram: 'telegram',
  facebook: 'facebook',
  x: 'x',
  mastodon: 'mastodon',
  email: 'email_body',
  // A comment under a video reads like one under a post.
  youtube: 'facebook',
}

/**
 * A quick reply from a template: the template's text for the citizen's
 * channel, filled with the alert in force (comuni, validity, headline…) and
 * the workspace's own values. What has no value stays visible as `{{name}}`
 * for the operator to complete before sending.
 */
export function replyFromTemplate(
  template: Template,
  family: CitizenFamily,
  alert: Alert | undefined,
  workspace: { ente: string; link: string; numeroEmergenza: string; hashtag?: string },
): { text: string; missing: string[] } {
  const values: TemplateValues = {
    ...derivedValues(template),
    ente: workspace.ente,
    ...(workspace.link ? { link: workspace.link } : {}),
    ...(workspace.numeroEmergenza ? { numero_emergenza: workspace.numeroEmergenza } : {}),
    hashtag: workspace.hashtag ?? '',
  }
  if (alert) {
    Object.assign(values, formatAlertWindow(alert.validFrom, alert.validTo), {
      data: formatItalianDate(alert.validFrom),
      comuni: joinComuni(alert.comuni.map((c) => c.name)),
      titolo: alert.headline,
      ...(alert.description ? { descrizione: alert.description } : {}),
      ...(alert.instruction ? { istruzioni: alert.instruction } : {}),
    })
  }
  const rendered = renderTemplate(template.variants[REPLY_VARIANT[family]], values)
  return { text: rendered.text, missing: rendered.missing }
}
