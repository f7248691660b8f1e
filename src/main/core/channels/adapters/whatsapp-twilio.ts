import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  DeliveryStatus,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import {
  AdapterConfigError,
  httpBase,
  numberSetting,
  requireSetting,
  type HttpAdapterOptions,
} from './config'
import { stringField, transportFailure, unreadableAnswer } from './http-errors'
import { limitsWithRate, type ReceiptBatching } from './limits'
import {
  createTwilioAccount,
  messageStatusOf,
  TWILIO_ACCOUNT_CODES,
  type TwilioCodes,
} from './twilio-account'
import { createTwilioReceipts } from './twilio-receipts'
import { parametersOf, recipientOf, templateFieldsOf } from './whatsapp-common'

/**
 * WhatsApp through Twilio's Messages API (REST 2010-04-01): the same
 * `POST …/Messages.json` as an SMS, with `whatsapp:`-prefixed numbers and,
 * instead of a free text, the approved template (`ContentSid`) and its
 * variables (`ContentVariables`, JSON `{"1": …, "2": …}`): a message a
 * business starts outside the 24-hour window of the recipient's last message
 * must be a template. Twilio takes no idempotency key (`idempotent = false`).
 * Receipts are polled as for SMS (twilio-receipts.ts), the list filtered by
 * the WhatsApp sender; WhatsApp adds `read`, shown as delivered.
 */

const PROVIDER = 'Twilio WhatsApp'

/** Twilio error codes of WhatsApp messages: answers to the send and 63xxx delivery errors. */
const CODES: TwilioCodes = {
  ...TWILIO_ACCOUNT_CODES,
  14107: {
    retry: 'transient',
    code: 'rate_limited',
    reason: 'Twilio: limite di invio superato, riprovo più tardi',
  },
  21211: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Numero del destinatario non valido',
  },
  21408: {
    retry: 'permanent',
    code: 'permission',
    reason: 'L’account Twilio non è abilitato a inviare verso questo paese (Geo Permissions)',
  },
  21610: {
    retry: 'permanent',
    code: 'unsubscribed',
    reason: 'Il destinatario ha chiesto di non ricevere più messaggi da questo mittente',
  },
  21655: {
    retry: 'permanent',
    code: 'template_not_found',
    reason: 'Content SID del modello WhatsApp non valido: controlla l’impostazione contentSid',
  },
  21656: {
    retry: 'permanent',
    code: 'template_parameters',
    reason: 'Twilio rifiuta le variabili del modello WhatsApp (ContentVariables)',
  },
  21910: {
    retry: 'permanent',
    code: 'invalid_sender',
    reason:
      'Mittente e destinatario non sono dello stesso canale: il mittente deve essere un numero WhatsApp',
  },
  63003: {
    retry: 'permanent',
    code: 'not_on_whatsapp',
    reason: 'Il numero del destinatario non usa WhatsApp',
  },
  63005: {
    retry: 'permanent',
    code: 'rejected',
    reason: 'WhatsApp non ha accettato il contenuto del messaggio',
  },
  63007: {
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Il mittente configurato non è un numero WhatsApp di questo account Twilio',
  },
  63013: {
    retry: 'permanent',
    code: 'blocked',
    reason: 'WhatsApp ha bloccato il messaggio per le sue regole d’uso',
  },
  63015: {
    retry: 'permanent',
    code: 'sandbox',
    reason: 'Sandbox WhatsApp: il destinatario non si è iscritto alla sandbox',
  },
  63016: {
    retry: 'permanent',
    code: 'outside_window',
    reason:
      'Fuori dalla finestra di 24 ore: WhatsApp accetta solo un modello approvato; controlla che il Content SID sia un modello approvato da WhatsApp',
  },
  63018: {
    retry: 'transient',
    code: 'rate_limited',
    reason: 'WhatsApp: limite di velocità del numero mittente superato, riprovo più lentamente',
  },
  63024: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Destinatario WhatsApp non valido',
  },
  63027: {
    retry: 'permanent',
    code: 'template_not_found',
    reason: 'Il modello WhatsApp non esiste nella lingua indicata (o non è approvato)',
  },
  63028: {
    retry: 'permanent',
    code: 'template_parameters',
    reason:
      'Il numero di variabili non corrisponde al modello WhatsApp: controlla l’impostazione templateVariables',
  },
  63032: {
    retry: 'permanent',
    code: 'whatsapp_limitation',
    reason: 'WhatsApp non consegna messaggi a questo utente (limitazione di WhatsApp)',
  },
  63038: {
    retry: 'transient',
    code: 'daily_limit',
    reason: 'Limite giornaliero di messaggi WhatsApp dell’account raggiunto',
  },
  63049: {
    retry: 'permanent',
    code: 'marketing_not_delivered',
    reason:
      'Meta non ha consegnato il messaggio: il modello è di categoria marketing; per le allerte serve un modello di servizio (utility)',
  },
}

/** A Twilio WhatsApp message resource, mapped to what the room shows (`read` is delivered). */
const mapMessageStatus = messageStatusOf(CODES, 'Messaggio WhatsApp non consegnato')

const MESSAGING_SERVICE = /^MG[0-9a-fA-F]{32}$/
const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/

/** The sender as Twilio's WhatsApp channel addresses it. */
const whatsappAddress = (number: string) =>
  /^whatsapp:/i.test(number) ? `whatsapp:${number.slice(9).trim()}` : `whatsapp:${number}`

/** The Twilio WhatsApp adapter: the common interface, and receipts read in bulk. */
export interface TwilioWhatsappAdapter extends ChannelAdapter {
  fetchStatus(providerId: string, signal?: AbortSignal): Promise<DeliveryStatus>
  readonly receiptBatching: ReceiptBatching
}

/** Builds the Twilio WhatsApp adapter from an account's settings and secrets. */
export function createTwilioWhatsappAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): TwilioWhatsappAdapter {
  const base = httpBase(config, options)
  const fromSetting = requireSetting(config, 'from')
  const contentSid = requireSetting(config, 'contentSid')
  if (!CONTENT_SID.test(contentSid)) {
    throw new AdapterConfigError(
      'settings.contentSid',
      `${config.name}: il Content SID del modello WhatsApp inizia con HX seguito da 32 cifre esadecimali`,
    )
  }
  const fields = templateFieldsOf(config)
  const rate = numberSetting(config, 'ratePerSecond', 1)
  const service = MESSAGING_SERVICE.test(fromSetting) ? fromSetting : undefined
  const from = service ? undefined : whatsappAddress(fromSetting)
  // A 429 or a 5xx says more than its code.
  const account = createTwilioAccount(config, base, {
    provider: PROVIDER,
    codes: CODES,
    byStatus: (status) => status === 429 || status >= 500,
  })
  const { request, errorOutcome } = account

  const receipts = createTwilioReceipts({
    get: (path, signal) => request(path, { method: 'GET' }, signal),
    accountPath: `/${account.accountPath}`,
    // The account's list mixes SMS and WhatsApp: filtered by the WhatsApp sender when there is one.
    ...(from ? { fromNumber: from } : {}),
    mapStatus: mapMessageStatus,
    now: base.now,
  })

  return {
    kind: 'whatsapp_twilio',
    idempotent: false,
    simulated: false,
    limits: () => limitsWithRate('whatsapp_twilio', rate),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const to = recipientOf(message, base.redactor)
      if (!to.ok) return to.failure
      const params = parametersOf(message, fields, base.redactor)
      if (!params.ok) return params.failure
      const variables = Object.fromEntries(params.values.map((v, i) => [String(i + 1), v]))
      const form = new URLSearchParams({
        To: whatsappAddress(to.number),
        ContentSid: contentSid,
        ContentVariables: JSON.stringify(variables),
      })
      if (service) form.set('MessagingServiceSid', service)
      else if (from) form.set('From', from)
      const res = await request(
        '/Messages.json',
        {
          method: 'POST',
          body: form,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        },
        signal,
      )
      if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
      if (res.status !== 201 && res.status !== 200) return errorOutcome(res)
      const sid = stringField(res.json, 'sid')
      if (!sid) return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
      receipts.sent(sid, base.now())
      return { status: 'sent', providerId: sid }
    },

    fetchStatus: (providerId: string, signal?: AbortSignal): Promise<DeliveryStatus> =>
      receipts.fetchStatus(providerId, signal),

    receiptBatching: {
      observed: receipts.observed,
      pausedUntil: receipts.pausedUntil,
      expect: receipts.expect,
    },

    testConnection: (signal?: AbortSignal): Promise<ConnectionCheck> =>
      account.testConnection(`; WhatsApp invia il modello ${contentSid}`, signal, {
        service: 'whatsapp',
        template: contentSid,
      }),
  }
}
