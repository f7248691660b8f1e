import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import {
  httpBase,
  numberSetting,
  optionalSetting,
  requireSecret,
  requireSetting,
  type HttpAdapterOptions,
} from './config'
import { httpRequest, joinUrl, parseRetryAfter, type HttpResult } from './http'
import {
  failure,
  numberField,
  objectField,
  providerWords,
  statusFailure,
  stringField,
  transportFailure,
  type FailedOutcome,
  unreadableAnswer,
} from './http-errors'
import { regainAccessMs } from './graph-usage'
import { limitsWithRate } from './limits'
import { parametersOf, recipientOf, templateFieldsOf } from './whatsapp-common'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'

/**
 * WhatsApp through Meta's Cloud API (Graph): `POST /{version}/{phone-number-id}/messages`
 * with a bearer token and a JSON template message (name, language, the body's
 * text parameters). Graph takes no idempotency key (`idempotent = false`).
 *
 * No `fetchStatus`: the Cloud API reports sent / delivered / read only through
 * webhooks to a public HTTPS endpoint, which a desktop app does not have, and
 * offers no endpoint to ask about a message. Rows stay `sent` (Meta accepted
 * the message, its `wamid` is kept) and the board says no receipt comes.
 */

const PROVIDER = 'WhatsApp (Meta)'

type Response = Extract<HttpResult, { type: 'response' }>

interface Meaning {
  retry: 'transient' | 'permanent' | 'uncertain'
  code: string
  reason: string
  /** Wait before retrying when Meta gives no hint (transient only). */
  defaultWaitMs?: number
}

const AUTH: Meaning = {
  retry: 'permanent',
  code: 'auth',
  reason: 'WhatsApp: token di accesso non valido o scaduto: generane uno nuovo (utente di sistema)',
}

const PERMISSION: Meaning = {
  retry: 'permanent',
  code: 'permission',
  reason:
    'WhatsApp: il token non ha il permesso whatsapp_business_messaging per questo numero mittente',
}

const APP_RATE: Meaning = {
  retry: 'transient',
  code: 'rate_limited',
  reason: 'WhatsApp: limite di richieste dell’app o dell’account raggiunto, riprovo più tardi',
  defaultWaitMs: 60_000,
}

/** WhatsApp Cloud API error codes (Graph `error.code`) we explain. */
function cloudMeaning(code: number | undefined): Meaning | undefined {
  switch (code) {
    case 0:
    case 190:
      return AUTH
    case 3:
    case 10:
      return PERMISSION
    case 4:
    case 80007:
      return APP_RATE
    case 130429:
      return {
        retry: 'transient',
        code: 'rate_limited',
        reason: 'WhatsApp: superati i messaggi al secondo del numero mittente, rallento',
        defaultWaitMs: 2_000,
      }
    case 131056:
      return {
        retry: 'transient',
        code: 'rate_limited',
        reason:
          'WhatsApp: troppi messaggi di fila allo stesso destinatario, riprovo tra qualche secondo',
        defaultWaitMs: 6_000,
      }
    case 131047:
      return {
        retry: 'permanent',
        code: 'outside_window',
        reason:
          'WhatsApp: sono passate più di 24 ore dall’ultimo messaggio del destinatario, e fuori da quella finestra si può inviare solo un modello approvato',
      }
    case 132001:
      return {
        retry: 'permanent',
        code: 'template_not_found',
        reason:
          'WhatsApp: il modello non esiste (o non è approvato) in questa lingua: controlla templateName e templateLanguage',
      }
    case 132000:
      return {
        retry: 'permanent',
        code: 'template_parameters',
        reason:
          'WhatsApp: il numero di variabili non corrisponde al modello: controlla l’impostazione templateVariables',
      }
    case 132012:
    case 132018:
      return {
        retry: 'permanent',
        code: 'template_parameters',
        reason: 'WhatsApp: una variabile del modello ha un formato che Meta non accetta',
      }
    case 132015:
    case 132016:
      return {
        retry: 'permanent',
        code: 'template_paused',
        reason:
          'WhatsApp: Meta ha sospeso o disattivato il modello per la sua qualità: serve un altro modello approvato',
      }
    case 131026:
      return {
        retry: 'permanent',
        code: 'undeliverable',
        reason:
          'WhatsApp: messaggio non consegnabile: il numero non usa WhatsApp, o non ha accettato i termini aggiornati, o usa una versione troppo vecchia',
      }
    case 131009:
    case 100:
      return {
        retry: 'permanent',
        code: 'rejected',
        reason: 'WhatsApp ha rifiutato i parametri del messaggio',
      }
    case 131021:
      return {
        retry: 'permanent',
        code: 'invalid_number',
        reason: 'WhatsApp: il destinatario è lo stesso numero del mittente',
      }
    case 131031:
      return {
        retry: 'permanent',
        code: 'account_locked',
        reason: 'WhatsApp: l’account business è bloccato da Meta',
      }
    case 131042:
      return {
        retry: 'permanent',
        code: 'payment',
        reason: 'WhatsApp: problema con il metodo di pagamento dell’account business',
      }
    case 133010:
      return {
        retry: 'permanent',
        code: 'invalid_sender',
        reason: 'WhatsApp: il numero mittente non è registrato sulla Cloud API',
      }
    // Meta documents these as "something went wrong" after the request arrived: with no
    // idempotency key the message may or may not have left, so a person decides.
    case 1:
    case 2:
    case 131000:
      return {
        retry: 'uncertain',
        code: 'provider_error',
        reason: 'WhatsApp: errore del servizio Meta; il messaggio potrebbe essere stato accettato',
      }
    default:
      if (code !== undefined && code >= 200 && code <= 299) return PERMISSION
      return undefined
  }
}

/** Builds the WhatsApp Cloud API adapter from an account's settings and secrets. */
export function createCloudWhatsappAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = optionalSetting(config, 'baseUrl', 'https://graph.facebook.com')
  const apiVersion = optionalSetting(config, 'apiVersion', 'v23.0')
  const phoneNumberId = requireSetting(config, 'phoneNumberId')
  const templateName = requireSetting(config, 'templateName')
  const templateLanguage = optionalSetting(config, 'templateLanguage', 'it')
  const fields = templateFieldsOf(config)
  const token = requireSecret(config, 'accessToken')
  const rate = numberSetting(config, 'ratePerSecond', 10)
  const numberUrl = joinUrl(
    baseUrl,
    `${encodeURIComponent(apiVersion)}/${encodeURIComponent(phoneNumberId)}`,
  )
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' }
  const ctx = (signal?: AbortSignal) => ({
    fetch: base.fetch,
    timeoutMs: base.timeoutMs,
    ...(signal ? { signal } : {}),
  })

  function errorOutcome(res: Response): FailedOutcome {
    const error = objectField(res.json, 'error')
    const code = numberField(error, 'code')
    const details = stringField(objectField(error, 'error_data'), 'details')
    const message = stringField(error, 'message') ?? providerWords(res.json, res.text)
    const said = [message, details].filter((s) => s !== undefined).join(': ')
    const providerText =
      said === '' ? {} : { providerText: code === undefined ? said : `#${code} ${said}` }
    const meaning = cloudMeaning(code)
    if (meaning) {
      const { defaultWaitMs, ...fields } = meaning
      const hinted =
        parseRetryAfter(res.headers.get('retry-after'), base.now()) ?? regainAccessMs(res.headers)
      const wait = meaning.retry === 'transient' ? (hinted ?? defaultWaitMs) : undefined
      return failure(
        { ...fields, ...providerText, ...(wait === undefined ? {} : { retryAfterMs: wait }) },
        base.redactor,
      )
    }
    return statusFailure(
      res.status,
      PROVIDER,
      said === '' ? undefined : said,
      base.redactor,
      parseRetryAfter(res.headers.get('retry-after'), base.now()),
    )
  }

  return {
    kind: 'whatsapp_cloud',
    idempotent: false,
    simulated: false,
    limits: () => limitsWithRate('whatsapp_cloud', rate),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const to = recipientOf(message, base.redactor)
      if (!to.ok) return to.failure
      const params = parametersOf(message, fields, base.redactor)
      if (!params.ok) return params.failure
      const body = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: to.number.replace(/^\+/, ''),
        type: 'template',
        template: {
          name: templateName,
          language: { code: templateLanguage },
          components: [
            { type: 'body', parameters: params.values.map((text) => ({ type: 'text', text })) },
          ],
        },
      }
      const res = await httpRequest(
        `${numberUrl}/messages`,
        {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { ...headers, 'Content-Type': 'application/json' },
        },
        ctx(signal),
      )
      if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
      if (res.status !== 200) return errorOutcome(res)
      const messages = (res.json as { messages?: unknown } | undefined)?.messages
      const id = Array.isArray(messages) ? stringField(messages[0], 'id') : undefined
      if (!id) return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
      return { status: 'sent', providerId: id }
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await httpRequest(
        `${numberUrl}?fields=display_phone_number,verified_name,quality_rating`,
        { method: 'GET', headers },
        ctx(signal),
      )
      if (res.type !== 'response') return checkUnanswered(res, PROVIDER, base.redactor)
      if (res.status !== 200) return checkRefused(errorOutcome(res), PROVIDER)
      const number = stringField(res.json, 'display_phone_number') ?? phoneNumberId
      const name = stringField(res.json, 'verified_name')
      const quality = stringField(res.json, 'quality_rating')
      return checkPassed(
        'whatsapp_cloud_number',
        {
          number,
          ...(name ? { name } : {}),
          ...(quality ? { quality } : {}),
          template: `${templateName} (${templateLanguage})`,
        },
        `Numero WhatsApp ${number}${name ? ` («${name}»)` : ''} raggiungibile` +
          `${quality ? `, qualità ${quality}` : ''}; modello ${templateName} (${templateLanguage})`,
      )
    },
  }
}
