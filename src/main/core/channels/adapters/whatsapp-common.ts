import type { AdapterConfig, OutgoingMessage } from '../adapter'
import {
  parseTemplateVariables,
  templateParameters,
  WHATSAPP_FIELD_DESCRIPTIONS,
  type WhatsappField,
} from '../../../../shared/channels/whatsapp-variables'
import { AdapterConfigError, optionalSetting } from './config'
import type { Redactor } from './http'
import { failure, type FailedOutcome } from './http-errors'

/**
 * What both WhatsApp adapters (Twilio, Meta Cloud API) do the same way: read
 * which alert fields fill the approved template, and turn one outbox message
 * into the template's parameters or into a failure the operator can act on.
 */

/** The account's `templateVariables`, refused at build time when it names an unknown field. */
export function templateFieldsOf(config: AdapterConfig): WhatsappField[] {
  const parsed = parseTemplateVariables(
    optionalSetting(config, 'templateVariables', 'titolo,comuni,istruzioni'),
  )
  if (!parsed.ok) throw new AdapterConfigError('settings.templateVariables', parsed.error)
  return parsed.fields
}

/** The E.164 number of a person destination, or the failure that says why there is none. */
export function recipientOf(
  message: OutgoingMessage,
  redactor: Redactor,
): { ok: true; number: string } | { ok: false; failure: FailedOutcome } {
  if (message.destination.type !== 'person') {
    return {
      ok: false,
      failure: failure(
        {
          retry: 'permanent',
          code: 'invalid_destination',
          reason: 'Un messaggio WhatsApp va inviato al numero di telefono di una persona',
        },
        redactor,
      ),
    }
  }
  return { ok: true, number: message.destination.address.trim().replace(/^whatsapp:/i, '') }
}

/**
 * The values of the template's {{1}}, {{2}}… for this message's alert. Without
 * the alert, or with a field it leaves empty, nothing is sent: WhatsApp refuses
 * an empty parameter, and the operator must know which field to fill.
 */
export function parametersOf(
  message: OutgoingMessage,
  fields: readonly WhatsappField[],
  redactor: Redactor,
): { ok: true; values: string[] } | { ok: false; failure: FailedOutcome } {
  if (!message.alert) {
    return {
      ok: false,
      failure: failure(
        {
          retry: 'permanent',
          code: 'template_data_missing',
          reason:
            'WhatsApp invia solo il modello approvato, compilato con i dati di un’allerta: questo messaggio non ne ha',
        },
        redactor,
      ),
    }
  }
  const params = templateParameters(fields, message.alert)
  if (params.ok) return params
  const names = params.empty.map((f) => `${f} (${WHATSAPP_FIELD_DESCRIPTIONS[f]})`).join(', ')
  return {
    ok: false,
    failure: failure(
      {
        retry: 'permanent',
        code: 'template_value_missing',
        reason: `Il modello WhatsApp usa campi che l’allerta lascia vuoti: ${names}. Compilali o cambia le variabili dell’account`,
      },
      redactor,
    ),
  }
}
