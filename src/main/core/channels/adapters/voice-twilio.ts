import type {
  AdapterConfig,
  CallOutcome,
  ChannelAdapter,
  ConnectionCheck,
  DeliveryStatus,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { callPolicyOf } from './call-policy'
import { httpBase, optionalSetting, requireSetting, type HttpAdapterOptions } from './config'
import { stringField, transportFailure, unreadableAnswer } from './http-errors'
import { limitsWithRate } from './limits'
import { createTwilioAccount, TWILIO_ACCOUNT_CODES, type TwilioCodes } from './twilio-account'
import {
  booleanSetting,
  callRequestOf,
  callStatus,
  providerTime,
  rateSetting,
  seconds,
  tooLong,
  type CallRequest,
} from './voice-common'

/**
 * Twilio Programmable Voice (REST API 2010-04-01): one call per message,
 * `POST …/Calls.json` with the TwiML inline (`<Say>` the text in the
 * account's language, or `<Play>` the operator's recording), answering
 * machine detection when the account asks for it, and the call's fate polled
 * from `GET …/Calls/{Sid}.json`.
 *
 * A call is not idempotent: Twilio takes no key that drops a repeat, so a
 * request that may have reached Twilio (timeout, reset, unreadable 2xx, a 5xx
 * other than 503) is `uncertain` and never placed again by the dispatcher.
 */

const PROVIDER = 'Twilio'
/** Twilio refuses inline TwiML longer than this. */
const MAX_TWIML = 4000

/** Twilio error codes of the Calls resource, with what the operator can do about them. */
const VOICE_CODES: TwilioCodes = {
  ...TWILIO_ACCOUNT_CODES,
  20003: {
    retry: 'permanent',
    code: 'auth',
    reason: 'Credenziali Twilio non valide: controlla Account SID e Auth Token',
  },
  20005: {
    retry: 'permanent',
    code: 'account_suspended',
    reason: 'Account Twilio non attivo (sospeso o chiuso): verificalo nella console Twilio',
  },
  20404: {
    retry: 'permanent',
    code: 'not_found',
    reason: 'Risorsa Twilio inesistente: controlla l’Account SID',
  },
  20429: {
    retry: 'transient',
    code: 'rate_limited',
    reason: 'Twilio: troppe chiamate o richieste insieme, riprovo più tardi',
  },
  21201: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Manca il numero da chiamare',
  },
  21205: {
    retry: 'permanent',
    code: 'invalid_audio',
    reason: 'Twilio non accetta l’indirizzo della registrazione',
  },
  21210: {
    retry: 'permanent',
    code: 'unverified_caller_id',
    reason:
      'Il numero chiamante non è verificato su Twilio: aggiungilo tra i Verified Caller IDs o usa un numero dell’account',
  },
  21211: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Numero del destinatario non valido',
  },
  21212: {
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Il numero chiamante configurato non è valido',
  },
  21213: {
    retry: 'permanent',
    code: 'invalid_sender',
    reason: 'Manca il numero chiamante: impostalo nell’account',
  },
  21214: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Il numero del destinatario non è raggiungibile da Twilio',
  },
  21215: {
    retry: 'permanent',
    code: 'permission',
    reason:
      'L’account Twilio non è abilitato a chiamare verso questo paese: attiva il paese in Voice Geographic Permissions',
  },
  21216: {
    retry: 'permanent',
    code: 'blocked',
    reason: 'Twilio blocca le chiamate verso questo numero',
  },
  21217: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Il numero del destinatario non sembra un numero di telefono valido',
  },
  21219: {
    retry: 'permanent',
    code: 'unverified_number',
    reason:
      'Account Twilio di prova: può chiamare solo numeri verificati. Verifica il numero o passa a un account a pagamento',
  },
  13223: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Formato del numero da chiamare non valido',
  },
  13224: {
    retry: 'permanent',
    code: 'invalid_number',
    reason: 'Twilio non può chiamare questo numero',
  },
  13227: {
    retry: 'permanent',
    code: 'permission',
    reason:
      'L’account Twilio non è abilitato alle chiamate internazionali verso questo paese (Voice Geographic Permissions)',
  },
  12100: {
    retry: 'permanent',
    code: 'rejected',
    reason: 'Twilio non riesce a leggere le istruzioni della chiamata (TwiML)',
  },
}

/** Text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 forbids (other control characters) would make Twilio refuse the TwiML.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  )
}

/** The TwiML of one call: the text spoken in the account's language, or the recording played. */
export function twimlOf(call: CallRequest, language: string, voice: string | undefined): string {
  if (call.play !== undefined) return `<Response><Play>${escapeXml(call.play)}</Play></Response>`
  const voiceAttr = voice ? ` voice="${escapeXml(voice)}"` : ''
  return `<Response><Say language="${escapeXml(language)}"${voiceAttr}>${escapeXml(call.say)}</Say></Response>`
}

/** What a Twilio call resource says, as the board shows it. */
export function mapCall(body: unknown): DeliveryStatus {
  const status = stringField(body, 'status')
  const answeredBy = stringField(body, 'answered_by')
  const detail = answeredBy ? `${status ?? '?'} (answered_by: ${answeredBy})` : status
  const at = providerTime(stringField(body, 'end_time'))
  const durationSeconds = seconds((body as { duration?: unknown } | undefined)?.duration)
  let outcome: CallOutcome
  switch (status) {
    case 'queued':
    case 'initiated':
      outcome = 'queued'
      break
    case 'ringing':
      outcome = 'ringing'
      break
    case 'in-progress':
      outcome = 'in_progress'
      break
    case 'completed':
      outcome = answeredBy?.startsWith('machine') || answeredBy === 'fax' ? 'voicemail' : 'answered'
      break
    case 'busy':
      outcome = 'busy'
      break
    case 'no-answer':
      outcome = 'no_answer'
      break
    case 'failed':
      outcome = 'failed'
      break
    case 'canceled':
      outcome = 'canceled'
      break
    default:
      return { status: 'unknown' }
  }
  return callStatus(outcome, {
    at,
    durationSeconds:
      outcome === 'answered' || outcome === 'voicemail' ? durationSeconds : undefined,
    ...(detail ? { detail } : {}),
  })
}

/** Builds the Twilio voice adapter from an account's settings and secrets. */
export function createTwilioVoiceAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const from = requireSetting(config, 'from')
  const language = optionalSetting(config, 'language', 'it-IT')
  const voice = optionalSetting(config, 'voice', '') || undefined
  const machineDetection = booleanSetting(config, 'machineDetection', true)
  const rate = rateSetting(config)
  // Read once: a wrong night-hours setting refuses the account when it is built, not mid-alert.
  const policy = callPolicyOf(config)
  // By the status first where it says more than the code: a 5xx may have placed the call.
  const account = createTwilioAccount(config, base, {
    provider: PROVIDER,
    codes: VOICE_CODES,
    byStatus: (status) => status >= 500,
  })
  const { request, errorOutcome } = account

  return {
    kind: 'voice_twilio',
    idempotent: false,
    simulated: false,
    limits: () => limitsWithRate('voice_twilio', rate),
    callPolicy: () => ({ ...policy }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const call = callRequestOf(message, PROVIDER, base.redactor)
      if ('status' in call) return call
      const twiml = twimlOf(call, language, voice)
      if (twiml.length > MAX_TWIML) {
        // What is left for the text once the document around it is counted (escaped characters count more).
        const room = MAX_TWIML - twimlOf({ number: call.number, say: '' }, language, voice).length
        return tooLong(PROVIDER, room, base.redactor)
      }
      const form = new URLSearchParams({ To: call.number, From: from, Twiml: twiml })
      if (machineDetection) form.set('MachineDetection', 'Enable')
      const res = await request(
        '/Calls.json',
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
      return { status: 'sent', providerId: sid }
    },

    async fetchStatus(providerId: string, signal?: AbortSignal): Promise<DeliveryStatus> {
      const res = await request(
        `/Calls/${encodeURIComponent(providerId)}.json`,
        { method: 'GET' },
        signal,
      )
      // Not knowing now is not a verdict: the dispatcher polls again.
      if (res.type !== 'response' || res.status !== 200) return { status: 'unknown' }
      return mapCall(res.json)
    },

    testConnection: (signal?: AbortSignal): Promise<ConnectionCheck> =>
      account.testConnection(': può fare chiamate', signal, { service: 'voice' }),
  }
}
