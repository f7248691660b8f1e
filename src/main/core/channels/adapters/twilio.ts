import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  DeliveryStatus,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import {
  httpBase,
  numberSetting,
  requireSecret,
  requireSetting,
  type HttpAdapterOptions,
} from './config'
import { httpRequest, joinUrl, parseRetryAfter, type HttpResult } from './http'
import {
  checkFailed,
  describeTransport,
  failure,
  numberField,
  statusFailure,
  stringField,
  transportFailure,
  unreadableAnswer,
  type FailedOutcome,
} from './http-errors'
import { limitsWithRate, type ReceiptBatching } from './limits'
import { createTwilioReceipts } from './twilio-receipts'

/**
 * Twilio Programmable Messaging (REST API 2010-04-01).
 * Twilio has no idempotency key: a resend after an unclear failure may text
 * the citizen twice, so the adapter says `idempotent = false`.
 * Receipts are read in bulk from the account's message list where that saves
 * requests (twilio-receipts.ts).
 */

const PROVIDER = 'Twilio'

interface CodeMeaning {
  retry: 'transient' | 'permanent'
  code: string
  reason: string
}

/** Twilio error codes we explain to the operator (REST errors and 30xxx delivery errors). */
const TWILIO_CODES: Record<number, CodeMeaning> = {
  20003: {
    retry: 'permanent',
    code: 'auth',
    reason: 'Credenziali Twilio non valide (Account SID o Auth Token)',
  },
  20404: {
    retry: 'permanent',
    code: 'not_found',
    reason: 'Risorsa Twilio inesistente: controlla l’Account SID',
  },
  20429: {
    retry: 'transient',
    code: 'rate_limited',
    reason: 'Twilio: troppe richieste, riprovo più tardi',
  },
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

function describeTwilioCode(code: number | undefined): CodeMeaning | undefined {
  return code === undefined ? undefined : TWILIO_CODES[code]
}

/** Statuses of a Twilio message resource, mapped to what the room shows. */
function mapMessageStatus(body: unknown): DeliveryStatus {
  const status = stringField(body, 'status')
  const at = stringField(body, 'date_updated')
  const when = at && !Number.isNaN(Date.parse(at)) ? { at: new Date(at).toISOString() } : {}
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return { status: 'pending', ...when }
    case 'sent':
      return { status: 'sent', ...when }
    case 'delivered':
    case 'read':
      return { status: 'delivered', ...when }
    case 'undelivered':
    case 'failed':
    case 'canceled': {
      const code = numberField(body, 'error_code')
      const meaning = describeTwilioCode(code)
      const fallback = status === 'canceled' ? 'Invio annullato' : 'Messaggio non consegnato'
      const reason = meaning?.reason ?? fallback
      const codeText = code === undefined ? {} : { code: String(code) }
      return {
        status: 'failed',
        reason: code === undefined ? reason : `${reason} (errore ${code})`,
        ...codeText,
      }
    }
    default:
      return { status: 'unknown' }
  }
}

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
  const baseUrl = requireSetting(config, 'baseUrl')
  const accountSid = requireSetting(config, 'accountSid')
  const from = requireSetting(config, 'from')
  const authToken = requireSecret(config, 'authToken')
  const rate = numberSetting(config, 'ratePerSecond', 1)
  const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64')
  base.redactor.add(basic)
  const accountPath = `2010-04-01/Accounts/${encodeURIComponent(accountSid)}`
  const authHeader = { Authorization: `Basic ${basic}` }

  function request(path: string, init: RequestInit, signal?: AbortSignal): Promise<HttpResult> {
    return httpRequest(
      joinUrl(baseUrl, `${accountPath}${path}`),
      { ...init, headers: { ...authHeader, Accept: 'application/json', ...(init.headers ?? {}) } },
      { fetch: base.fetch, timeoutMs: base.timeoutMs, ...(signal ? { signal } : {}) },
    )
  }

  const receipts = createTwilioReceipts({
    get: (path, signal) => request(path, { method: 'GET' }, signal),
    accountPath: `/${accountPath}`,
    // A Messaging Service picks its sender per message: then the list is not filtered by sender.
    ...(/^MG[0-9a-fA-F]{32}$/.test(from) ? {} : { fromNumber: from }),
    mapStatus: mapMessageStatus,
    now: base.now,
  })

  function errorOutcome(res: Extract<HttpResult, { type: 'response' }>): FailedOutcome {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), base.now())
    const code = numberField(res.json, 'code')
    const providerText = stringField(res.json, 'message') ?? (res.text || undefined)
    const meaning = describeTwilioCode(code)
    if (res.status === 429 || res.status >= 500 || !meaning) {
      return statusFailure(res.status, PROVIDER, providerText, base.redactor, retryAfterMs)
    }
    return failure(
      {
        ...meaning,
        ...(providerText === undefined ? {} : { providerText: `${code}: ${providerText}` }),
        ...(meaning.retry === 'transient' && retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
      base.redactor,
    )
  }

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

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await request('.json', { method: 'GET' }, signal)
      if (res.type !== 'response')
        return checkFailed(describeTransport(res, PROVIDER), base.redactor)
      if (res.status === 200) {
        const name = stringField(res.json, 'friendly_name') ?? accountSid
        const state = stringField(res.json, 'status')
        if (state && state !== 'active')
          return checkFailed(`Account Twilio ${name} non attivo (${state})`, base.redactor)
        return { ok: true, message: `Account Twilio ${name} raggiungibile` }
      }
      return checkFailed(errorOutcome(res).reason, base.redactor)
    },
  }
}
