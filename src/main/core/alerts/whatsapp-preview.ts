/**
 * What a WhatsApp recipient will read. A message a business starts must be a
 * template WhatsApp approved, so an alert has no WhatsApp text of its own:
 * the account names the alert fields that fill the template's {{1}}, {{2}}…
 * (the same ones its adapter sends), and, when the ICT office pasted the
 * approved body, the preview shows it filled in. A field the alert leaves
 * empty, or a setting that cannot be read, is an error before confirming,
 * not a refusal by the provider afterwards.
 */
import {
  fillTemplateBody,
  parseTemplateVariables,
  templateParameters,
  WHATSAPP_FIELD_DESCRIPTIONS,
} from '../../../shared/channels/whatsapp-variables'
import type { ChannelAccountRow } from '../channels/accounts-repository'
import { alertDocument } from '../outbox/message-builder'
import type { Alert } from './types'

export type WhatsappPreview = { ok: true; text: string } | { ok: false; message: string }

export function whatsappPreview(alert: Alert, account: ChannelAccountRow): WhatsappPreview {
  const setting = account.settings.templateVariables
  const parsed = parseTemplateVariables(typeof setting === 'string' ? setting : '')
  if (!parsed.ok) return { ok: false, message: parsed.error }
  // The same document the message builder hands the adapter: the preview fills what is sent.
  const params = templateParameters(parsed.fields, alertDocument(alert, [], ''))
  if (!params.ok) {
    const names = params.empty.map((f) => `${f} (${WHATSAPP_FIELD_DESCRIPTIONS[f]})`).join(', ')
    return { ok: false, message: `il modello usa campi che l’allerta lascia vuoti: ${names}` }
  }
  const body = account.settings.templateBody
  if (typeof body === 'string' && body.trim() !== '')
    return { ok: true, text: fillTemplateBody(body, params.values) }
  // Without the approved body, the values themselves, in their places.
  return { ok: true, text: params.values.map((v, i) => `{{${i + 1}}} ${v}`).join('\n') }
}
