import type { AdapterConfig, CallOutcome, CallStatus, OutgoingMessage } from '../adapter'
import type { Redactor } from './http'
import { failure, type FailedOutcome } from './http-errors'

/**
 * What the two voice adapters (voice-twilio.ts, voice-vonage.ts) read and
 * check the same way: the account's switches, the call to place (a number and
 * either a text to speak or a recording to play), and the call status shown
 * on the board.
 */

/** E.164: a plus, a country code that does not start with 0, at most 15 digits. */
const E164 = /^\+[1-9]\d{6,14}$/

/** A boolean setting (the form stores booleans; imported accounts may hold "true"/"false"). */
export function booleanSetting(config: AdapterConfig, key: string, fallback: boolean): boolean {
  const v = config.settings[key]
  if (typeof v === 'boolean') return v
  if (v === 1 || v === 'true' || v === '1') return true
  if (v === 0 || v === 'false' || v === '0') return false
  return fallback
}

/** The account's own calls-per-second, when it set a valid one (else the kind's default). */
export function rateSetting(config: AdapterConfig): number | undefined {
  const v = config.settings.ratePerSecond
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/** One call to place: the number, and what the person hears. */
export type CallRequest =
  | { number: string; say: string; play?: undefined }
  | { number: string; play: string; say?: undefined }

/**
 * Checks an outbox message before a call is placed: a person with an E.164
 * number, and a text to speak or an http(s) recording to play. Refusals are
 * permanent: no retry can fix them, the operator can.
 */
export function callRequestOf(
  message: OutgoingMessage,
  provider: string,
  redactor: Redactor,
): CallRequest | FailedOutcome {
  if (message.destination.type !== 'person') {
    return failure(
      {
        retry: 'permanent',
        code: 'invalid_destination',
        reason: 'Una chiamata vocale va fatta a un numero di telefono',
      },
      redactor,
    )
  }
  const number = message.destination.address.replace(/[\s-]/g, '')
  if (!E164.test(number)) {
    return failure(
      {
        retry: 'permanent',
        code: 'invalid_number',
        reason: `Numero del destinatario non valido per ${provider}: serve il formato internazionale, es. +393331234567`,
        providerText: message.destination.address,
      },
      redactor,
    )
  }
  if (message.audioUrl !== undefined && message.audioUrl !== '') {
    let url: URL | undefined
    try {
      url = new URL(message.audioUrl)
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      return failure(
        {
          retry: 'permanent',
          code: 'invalid_audio',
          reason: `La registrazione da far ascoltare non ha un indirizzo web valido: ${provider} deve poterla scaricare`,
          providerText: message.audioUrl,
        },
        redactor,
      )
    }
    return { number, play: url.toString() }
  }
  if (message.text.trim() === '') {
    return failure(
      {
        retry: 'permanent',
        code: 'empty_text',
        reason: 'Il testo da leggere al telefono è vuoto e non c’è una registrazione',
      },
      redactor,
    )
  }
  return { number, say: message.text }
}

/** A refusal of a text longer than the provider reads in one call. */
export function tooLong(provider: string, max: number, redactor: Redactor): FailedOutcome {
  return failure(
    {
      retry: 'permanent',
      code: 'too_long',
      reason: `Testo troppo lungo per una chiamata ${provider} (al massimo ${max} caratteri): accorcia il messaggio vocale o carica una registrazione`,
    },
    redactor,
  )
}

/** A call status with only the fields the provider gave. */
export function callStatus(
  outcome: CallOutcome,
  fields: { durationSeconds?: number | undefined; at?: string | undefined; detail?: string },
): CallStatus {
  return {
    status: 'call',
    outcome,
    ...(fields.durationSeconds === undefined ? {} : { durationSeconds: fields.durationSeconds }),
    ...(fields.at === undefined ? {} : { at: fields.at }),
    ...(fields.detail === undefined || fields.detail === '' ? {} : { detail: fields.detail }),
  }
}

/**
 * A provider's time as ISO 8601: RFC 2822 (Twilio), ISO 8601, or Vonage's
 * `YYYY-MM-DD HH:MM:SS`, which is UTC.
 */
export function providerTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const plain = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(value.trim())
  const ms = Date.parse(plain ? `${plain[1]}T${plain[2]}Z` : value)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

/** Whole seconds from a provider's duration ("37", 37), or undefined. */
export function seconds(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return typeof value === 'string' && value.trim() === ''
    ? undefined
    : Number.isFinite(n) && n >= 0
      ? Math.round(n)
      : undefined
}
