import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  DeliveryStatus,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { httpBase, numberSetting, requireSetting, type HttpAdapterOptions } from './config'
import {
  failure,
  numberField,
  stringField,
  transportFailure,
  unreadableAnswer,
} from './http-errors'
import { limitsWithRate, type ReceiptBatching } from './limits'
import {
  createTwilioAccount,
  messageStatusOf,
  TWILIO_ACCOUNT_CODES,
  type TwilioCodes,
} from './twilio-account'
import { createTwilioReceipts } from './twilio-receipts'

/**
 * Twilio Programmable Messaging (REST API 2010-04-01).
 * Twilio has no idempotency key: a resend after an unclear failure may text
 * the citizen twice, so the adapter says `idempotent = false`.
 * Receipts are read in bulk from the account's message list where that saves
 * requests (twilio-receipts.ts).
 */

const PROVIDER = 'Twilio'

/** Twilio error codes we explain to the operator (REST errors and 30xxx delivery errors). */
const TWILIO_CODES: TwilioCodes = {
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
  21214: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Il numero del destinatario non è raggiungibile',
  },
  21612: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Twilio non può instradare SMS verso questo numero',
  },
  21614: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Il numero non è un cellulare e non può ricevere SMS',
  },
  21610: {
    retry: 'permanent',
    code: 'unsubscribed',
    reason: 'Il destinatario ha risposto STOP: non riceve più SMS da questo mittente',
  },
  21408: {
    retry: 'permanent',
    code: 'permission',
    reason: 'L’account Twilio non è abilitato a inviare SMS verso questo paese (Geo Permissions)',
  },
  21606: {
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Il mittente configurato non può inviare SMS',
  },
  21212: {
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Il mittente configurato non è valido',
  },
  21659: {
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Il mittente non appartiene a questo account Twilio',
  },
  21602: { retry: 'permanent', code: 'empty_text', reason: 'Il testo del messaggio è vuoto' },
  21617: {
    retry: 'permanent',
    code: 'too_long',
    reason: 'Testo troppo lungo (oltre 1600 caratteri)',
  },
  30001: {
    retry: 'transient',
    code: 'queue_overflow',
    reason: 'Coda Twilio piena: troppi messaggi in attesa',
  },
  30002: { retry: 'permanent', code: 'account_suspended', reason: 'Account Twilio sospeso' },
  30003: {
    retry: 'permanent',
    code: 'unreachable',
    reason: 'Telefono del destinatario spento o non raggiungibile',
  },
  30004: { retry: 'permanent', code: 'blocked', reason: 'Il destinatario ha bloccato i messaggi' },
  30005: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Numero sconosciuto o non più attivo',
  },
  30006: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Numero fisso o operatore non raggiungibile',
  },
  30007: {
    retry: 'permanent',
    code: 'filtered',
    reason: 'Messaggio filtrato dall’operatore telefonico',
  },
  30008: { retry: 'transient', code: 'delivery_unknown', reason: 'Errore di consegna sconosciuto' },
}

/** Statuses of a Twilio message resource, mapped to what the room shows. */
const mapMessageStatus = messageStatusOf(TWILIO_CODES, 'Messaggio non consegnato')

/** The Twilio adapter: the common interface, and receipts read in bulk. */
export interface TwilioAdapter extends ChannelAdapter {
  fetchStatus(providerId: string, signal?: AbortSignal): Promise<DeliveryStatus>
  readonly receiptBatching: ReceiptBatching
}

/** Builds the Twilio adapter from an account's settings and secrets. */
export function createTwilioAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): TwilioAdapter {
  const base = httpBase(config, options)
  const from = requireSetting(config, 'from')
  const rate = numberSetting(config, 'ratePerSecond', 1)
  // A 429 or a 5xx says more than its code.
  const account = createTwilioAccount(config, base, {
    provider: PROVIDER,
    codes: TWILIO_CODES,
    byStatus: (status) => status === 429 || status >= 500,
  })
  const { request, errorOutcome } = account

  const receipts = createTwilioReceipts({
    get: (path, signal) => request(path, { method: 'GET' }, signal),
    accountPath: `/${account.accountPath}`,
    // A Messaging Service picks its sender per message: then the list is not filtered by sender.
    ...(/^MG[0-9a-fA-F]{32}$/.test(from) ? {} : { fromNumber: from }),
    mapStatus: mapMessageStatus,
    now: base.now,
  })

  return {
    kind: 'sms_twilio',
    idempotent: false,
    simulated: false,
    limits: () => limitsWithRate('sms_twilio', rate),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      if (message.destination.type !== 'person') {
        return failure(
          {
            retry: 'permanent',
            code: 'invalid_destination',
            reason: 'Un SMS va inviato a un numero di telefono',
          },
          base.redactor,
        )
      }
      const form = new URLSearchParams({ To: message.destination.address, Body: message.text })
      // A Messaging Service SID (MG…) picks the sender from its pool.
      if (/^MG[0-9a-fA-F]{32}$/.test(from)) form.set('MessagingServiceSid', from)
      else form.set('From', from)
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
      if (!sid) {
        return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
      }
      receipts.sent(sid, base.now())
      const segments = numberField(res.json, 'num_segments')
      return { status: 'sent', providerId: sid, ...(segments === undefined ? {} : { segments }) }
    },

    fetchStatus: (providerId: string, signal?: AbortSignal): Promise<DeliveryStatus> =>
      receipts.fetchStatus(providerId, signal),

    receiptBatching: {
      observed: receipts.observed,
      pausedUntil: receipts.pausedUntil,
      expect: receipts.expect,
    },

    testConnection: (signal?: AbortSignal): Promise<ConnectionCheck> =>
      account.testConnection('', signal, { service: 'sms' }),
  }
}
