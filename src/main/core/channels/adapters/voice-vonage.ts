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
import {
  AdapterConfigError,
  httpBase,
  optionalSetting,
  requireSecret,
  requireSetting,
  type HttpAdapterOptions,
} from './config'
import { httpRequest, joinUrl, parseRetryAfter, type HttpResult } from './http'
import {
  failure,
  statusFailure,
  stringField,
  transportFailure,
  unreadableAnswer,
  type FailedOutcome,
} from './http-errors'
import { limitsWithRate } from './limits'
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
import { loadVonagePrivateKey, redactJwts, signVonageJwt } from './vonage-jwt'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'

/**
 * Vonage Voice API v1: one call per message, `POST /v1/calls` with an NCCO
 * inline (`talk` the text in the account's language, or `stream` the
 * operator's recording), machine detection when the account asks for it, and
 * the call's fate polled from `GET /v1/calls/{uuid}`. Requests are authorised
 * by a short JWT signed with the application's private key (vonage-jwt.ts).
 *
 * A call is not idempotent: Vonage takes no key that drops a repeat, so a
 * request that may have reached Vonage is `uncertain`, never placed twice.
 */

const PROVIDER = 'Vonage'
/** Vonage reads at most this many characters in one `talk` action. */
const MAX_TALK = 1500

/** The last part of a Vonage problem `type` (`https://…/api-errors#unauthorized` → `unauthorized`). */
function problemCode(type: string | undefined): string | undefined {
  if (!type) return undefined
  const m = /[#/]([^#/]+)$/.exec(type)
  return (m?.[1] ?? type).toLowerCase()
}

interface InvalidParameter {
  name: string
  reason: string
}

function invalidParameters(body: unknown): InvalidParameter[] {
  const list = (body as { invalid_parameters?: unknown } | undefined)?.invalid_parameters
  if (!Array.isArray(list)) return []
  return list.map((p) => ({
    name: stringField(p, 'name') ?? '',
    reason: stringField(p, 'reason') ?? '',
  }))
}

/** What a Vonage call record says, as the board shows it. */
export function mapVonageCall(body: unknown): DeliveryStatus {
  const status = stringField(body, 'status')
  const at = providerTime(stringField(body, 'end_time'))
  const durationSeconds = seconds((body as { duration?: unknown } | undefined)?.duration)
  const outcomes: Record<string, CallOutcome> = {
    started: 'queued',
    ringing: 'ringing',
    answered: 'in_progress',
    machine: 'voicemail',
    completed: 'answered',
    busy: 'busy',
    cancelled: 'canceled',
    failed: 'failed',
    rejected: 'failed',
    timeout: 'no_answer',
    unanswered: 'no_answer',
  }
  const outcome = status === undefined ? undefined : outcomes[status]
  if (!outcome) return { status: 'unknown' }
  return callStatus(outcome, {
    at,
    durationSeconds:
      outcome === 'answered' || outcome === 'voicemail' ? durationSeconds : undefined,
    detail: status,
  })
}

/** The NCCO of one call: speak the text, or play the recording. */
export function nccoOf(call: CallRequest, language: string, style: number | undefined): unknown[] {
  if (call.play !== undefined) return [{ action: 'stream', streamUrl: [call.play] }]
  return [{ action: 'talk', text: call.say, language, ...(style === undefined ? {} : { style }) }]
}

/** Builds the Vonage voice adapter from an account's settings and secrets. */
export function createVonageVoiceAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const applicationId = requireSetting(config, 'applicationId')
  // Vonage writes numbers without the plus.
  const from = requireSetting(config, 'from').replace(/^\+/, '').replace(/[\s-]/g, '')
  const key = loadVonagePrivateKey(requireSecret(config, 'privateKey'))
  const language = optionalSetting(config, 'language', 'it-IT')
  const voice = optionalSetting(config, 'voice', '')
  // Vonage picks a voice of the language by its style number (0, 1, …).
  if (voice !== '' && !/^\d{1,2}$/.test(voice)) {
    throw new AdapterConfigError(
      'settings.voice',
      `Voce Vonage non valida: «${voice}». Scrivi il numero di stile della voce (0, 1, 2…) o lascia vuoto`,
    )
  }
  const style = voice === '' ? undefined : Number(voice)
  const machineDetection = booleanSetting(config, 'machineDetection', true)
  const rate = rateSetting(config)
  const policy = callPolicyOf(config)

  function request(path: string, init: RequestInit, signal?: AbortSignal): Promise<HttpResult> {
    const jwt = signVonageJwt(key, applicationId, base.now())
    return httpRequest(
      joinUrl(baseUrl, path),
      {
        ...init,
        headers: { Authorization: `Bearer ${jwt}`, Accept: 'application/json', ...init.headers },
      },
      { fetch: base.fetch, timeoutMs: base.timeoutMs, ...(signal ? { signal } : {}) },
    )
  }

  function errorOutcome(res: Extract<HttpResult, { type: 'response' }>): FailedOutcome {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), base.now())
    const code = problemCode(stringField(res.json, 'type'))
    const title = stringField(res.json, 'title') ?? stringField(res.json, 'error_title')
    const invalid = invalidParameters(res.json)
    const words = [
      title,
      stringField(res.json, 'detail'),
      ...invalid.map((p) => `${p.name}: ${p.reason}`),
    ].filter((w): w is string => w !== undefined && w !== '')
    const raw = words.length > 0 ? words.join(' — ') : res.text || undefined
    const providerText = raw === undefined ? undefined : redactJwts(raw)
    const fail = (retry: 'transient' | 'permanent', failCode: string, reason: string) =>
      failure(
        {
          retry,
          code: failCode,
          reason,
          ...(providerText === undefined ? {} : { providerText }),
          ...(retry === 'transient' && retryAfterMs !== undefined ? { retryAfterMs } : {}),
        },
        base.redactor,
      )
    if (res.status === 429 || code === 'throttled' || code === 'rate-limit')
      return fail('transient', 'rate_limited', 'Vonage: troppe chiamate insieme, riprovo più tardi')
    if (res.status < 500) {
      if (
        res.status === 401 ||
        ['unauthorized', 'jwt-expired', 'jwt-revoked', 'invalid-signature'].includes(code ?? '')
      ) {
        return fail(
          'permanent',
          'auth',
          'Vonage ha rifiutato l’autorizzazione: controlla l’Application ID e la chiave privata dell’applicazione (e l’ora del computer)',
        )
      }
      if (code === 'low-balance')
        return fail(
          'permanent',
          'low_balance',
          'Credito Vonage esaurito: ricarica l’account per chiamare',
        )
      if (code === 'account-suspended')
        return fail('permanent', 'account_suspended', 'Account Vonage sospeso')
      const names = invalid.map((p) => p.name.toLowerCase())
      if (names.some((n) => n.startsWith('to')))
        return fail('permanent', 'invalid_number', 'Numero del destinatario non valido per Vonage')
      if (names.some((n) => n.startsWith('from')))
        return fail(
          'permanent',
          'invalid_sender',
          'Il numero chiamante non è valido o non è collegato all’applicazione Vonage',
        )
      if (res.status === 403 || code === 'forbidden' || code === 'unprovisioned')
        return fail(
          'permanent',
          'permission',
          'L’applicazione Vonage non può fare questa chiamata: verifica che la funzione Voice sia attiva e la destinazione consentita',
        )
    }
    return statusFailure(res.status, PROVIDER, providerText, base.redactor, retryAfterMs)
  }

  return {
    kind: 'voice_vonage',
    idempotent: false,
    simulated: false,
    limits: () => limitsWithRate('voice_vonage', rate),
    callPolicy: () => ({ ...policy }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const call = callRequestOf(message, PROVIDER, base.redactor)
      if ('status' in call) return call
      if (call.say !== undefined && call.say.length > MAX_TALK)
        return tooLong(PROVIDER, MAX_TALK, base.redactor)
      const body = {
        to: [{ type: 'phone', number: call.number.slice(1) }],
        from: { type: 'phone', number: from },
        ncco: nccoOf(call, language, style),
        // Hang up on an answering machine: the call then ends as `machine`, which the
        // outbox reads as voicemail, rather than as `completed` like a person who listened.
        ...(machineDetection ? { machine_detection: 'hangup' } : {}),
      }
      const res = await request(
        '/v1/calls',
        {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'Content-Type': 'application/json' },
        },
        signal,
      )
      if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
      if (res.status !== 201 && res.status !== 200) return errorOutcome(res)
      const uuid = stringField(res.json, 'uuid')
      if (!uuid) return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
      return { status: 'sent', providerId: uuid }
    },

    async fetchStatus(providerId: string, signal?: AbortSignal): Promise<DeliveryStatus> {
      const res = await request(
        `/v1/calls/${encodeURIComponent(providerId)}`,
        { method: 'GET' },
        signal,
      )
      // Not knowing now is not a verdict: the dispatcher polls again.
      if (res.type !== 'response' || res.status !== 200) return { status: 'unknown' }
      return mapVonageCall(res.json)
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await request('/v1/calls?page_size=1', { method: 'GET' }, signal)
      if (res.type !== 'response') return checkUnanswered(res, PROVIDER, base.redactor)
      if (res.status === 200)
        return checkPassed(
          'vonage_application',
          { application: applicationId },
          `Applicazione Vonage ${applicationId} raggiungibile: può fare chiamate`,
        )
      return checkRefused(errorOutcome(res), PROVIDER)
    },
  }
}
