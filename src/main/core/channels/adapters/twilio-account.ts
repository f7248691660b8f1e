/**
 * What every Twilio adapter (SMS, WhatsApp, voice) says to the same REST API
 * 2010-04-01 the same way: Basic auth on the account's path, Twilio's error
 * JSON turned into an outcome for the operator, the account check, and the
 * statuses of a message resource. Each adapter keeps only its own resource
 * (Messages or Calls) and its own error codes.
 */
import type { AdapterConfig, ConnectionCheck, DeliveryStatus } from '../adapter'
import { requireSecret, requireSetting, type HttpAdapterBase } from './config'
import { httpRequest, joinUrl, parseRetryAfter, type HttpResult } from './http'
import {
  checkFailed,
  failure,
  numberField,
  providerWords,
  statusFailure,
  stringField,
  type FailedOutcome,
} from './http-errors'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'
import type { CheckParams } from '../../../../shared/channels/check-results'

/** What one of Twilio's error codes means for the operator. */
export interface TwilioCodeMeaning {
  retry: 'transient' | 'permanent'
  code: string
  reason: string
}

export type TwilioCodes = Readonly<Record<number, TwilioCodeMeaning>>

/** The codes of the account itself, the same for every resource. */
export const TWILIO_ACCOUNT_CODES: TwilioCodes = {
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
}

export type TwilioResponse = Extract<HttpResult, { type: 'response' }>

export interface TwilioAccount {
  accountSid: string
  /** `2010-04-01/Accounts/{Sid}`, without a leading slash. */
  accountPath: string
  /** A request below the account's path, authorised, asking for JSON. */
  request(path: string, init: RequestInit, signal?: AbortSignal): Promise<HttpResult>
  /** Twilio's error answer as an outcome for the operator (see `TwilioErrors`). */
  errorOutcome(res: TwilioResponse): FailedOutcome
  /** The account resource read: active, or why not; `reachable` ends the sentence that it is. */
  testConnection(
    reachable: string,
    signal?: AbortSignal,
    params?: CheckParams,
  ): Promise<ConnectionCheck>
}

/**
 * How an adapter reads Twilio's errors: by the code where it is one of
 * `codes`, else by the HTTP status; and by the status first where
 * `byStatus` says it tells more (a 5xx that may have done the work).
 */
export interface TwilioErrors {
  provider: string
  codes: TwilioCodes
  byStatus(status: number): boolean
}

export function createTwilioAccount(
  config: AdapterConfig,
  base: HttpAdapterBase,
  errors: TwilioErrors,
): TwilioAccount {
  const { provider, codes, byStatus } = errors
  const baseUrl = requireSetting(config, 'baseUrl')
  const accountSid = requireSetting(config, 'accountSid')
  const authToken = requireSecret(config, 'authToken')
  const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64')
  base.redactor.add(basic)
  const accountPath = `2010-04-01/Accounts/${encodeURIComponent(accountSid)}`

  const request: TwilioAccount['request'] = (path, init, signal) =>
    httpRequest(
      joinUrl(baseUrl, `${accountPath}${path}`),
      {
        ...init,
        headers: { Authorization: `Basic ${basic}`, Accept: 'application/json', ...init.headers },
      },
      { fetch: base.fetch, timeoutMs: base.timeoutMs, ...(signal ? { signal } : {}) },
    )

  const errorOutcome: TwilioAccount['errorOutcome'] = (res) => {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), base.now())
    const code = numberField(res.json, 'code')
    const providerText = stringField(res.json, 'message') ?? providerWords(res.json, res.text)
    const meaning = code === undefined ? undefined : codes[code]
    if (byStatus(res.status) || !meaning) {
      return statusFailure(res.status, provider, providerText, base.redactor, retryAfterMs)
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
    accountSid,
    accountPath,
    request,
    errorOutcome,
    async testConnection(reachable, signal, params = {}) {
      const res = await request('.json', { method: 'GET' }, signal)
      if (res.type !== 'response') return checkUnanswered(res, provider, base.redactor)
      if (res.status === 200) {
        const name = stringField(res.json, 'friendly_name') ?? accountSid
        const state = stringField(res.json, 'status')
        if (state && state !== 'active')
          return {
            ...checkFailed(`Account Twilio ${name} non attivo (${state})`, base.redactor),
            code: 'account_inactive',
            params: { provider, name, state },
          }
        return checkPassed(
          'twilio_account',
          { name, ...params },
          `Account Twilio ${name} raggiungibile${reachable}`,
        )
      }
      return checkRefused(errorOutcome(res), provider)
    },
  }
}

/**
 * The statuses of a Twilio message resource (SMS or WhatsApp), mapped to what
 * the room shows; a failure is explained by `codes`, else by `undelivered`.
 */
export function messageStatusOf(codes: TwilioCodes, undelivered: string) {
  return (body: unknown): DeliveryStatus => {
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
        const meaning = code === undefined ? undefined : codes[code]
        const reason = meaning?.reason ?? (status === 'canceled' ? 'Invio annullato' : undelivered)
        return {
          status: 'failed',
          reason: code === undefined ? reason : `${reason} (errore ${code})`,
          ...(code === undefined ? {} : { code: String(code) }),
        }
      }
      default:
        return { status: 'unknown' }
    }
  }
}
