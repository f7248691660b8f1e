import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import {
  httpBase,
  optionalSetting,
  requireSecret,
  requireSetting,
  type HttpAdapterOptions,
} from './config'
import { httpRequest, isoDateToDelay, joinUrl, parseRetryAfter, type HttpResult } from './http'
import {
  checkFailed,
  describeTransport,
  failure,
  providerWords,
  statusFailure,
  stringField,
  transportFailure,
  type FailedOutcome,
  unreadableAnswer,
} from './http-errors'
import { DEFAULT_LIMITS } from './limits'

/**
 * Mastodon `POST /api/v1/statuses`. The instance honours `Idempotency-Key`
 * (kept for one hour), so a resend of the same outbox row returns the status
 * already created instead of posting twice.
 */

const PROVIDER = 'Mastodon'

type Response = Extract<HttpResult, { type: 'response' }>

/** Builds the Mastodon adapter from an account's settings and secrets. */
export function createMastodonAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const visibility = optionalSetting(config, 'visibility', 'public')
  const token = requireSecret(config, 'accessToken')
  const ctx = (signal?: AbortSignal) => ({
    fetch: base.fetch,
    timeoutMs: base.timeoutMs,
    ...(signal ? { signal } : {}),
  })
  const auth = { Authorization: `Bearer ${token}` }

  function errorOutcome(res: Response): FailedOutcome {
    const text = stringField(res.json, 'error') ?? providerWords(res.json, res.text)
    const withText = text === undefined ? {} : { providerText: text }
    if (res.status === 429) {
      const now = base.now()
      const delay =
        isoDateToDelay(res.headers.get('x-ratelimit-reset'), now) ??
        parseRetryAfter(res.headers.get('retry-after'), now)
      return statusFailure(429, PROVIDER, text, base.redactor, delay)
    }
    if (res.status === 422) {
      const tooLong = text !== undefined && /character limit|too long/i.test(text)
      return failure(
        {
          retry: 'permanent',
          code: tooLong ? 'too_long' : 'validation',
          reason: tooLong
            ? 'Post troppo lungo per questa istanza Mastodon'
            : 'L’istanza Mastodon ha rifiutato il post',
          ...withText,
        },
        base.redactor,
      )
    }
    if (res.status === 401) {
      return failure(
        {
          retry: 'permanent',
          code: 'auth',
          reason: 'Mastodon: token di accesso non valido o revocato',
          ...withText,
        },
        base.redactor,
      )
    }
    if (res.status === 403) {
      return failure(
        {
          retry: 'permanent',
          code: 'permission',
          reason: 'Mastodon: l’account non può pubblicare (sospeso o limitato)',
          ...withText,
        },
        base.redactor,
      )
    }
    if (res.status === 404 || res.status === 410) {
      return failure(
        {
          retry: 'permanent',
          code: 'not_found',
          reason: 'Mastodon: risorsa inesistente (post di riferimento o account)',
          ...withText,
        },
        base.redactor,
      )
    }
    return statusFailure(
      res.status,
      PROVIDER,
      text,
      base.redactor,
      parseRetryAfter(res.headers.get('retry-after'), base.now()),
    )
  }

  return {
    kind: 'mastodon',
    idempotent: true,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.mastodon }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const body = {
        status: message.text,
        visibility,
        language: 'it',
        ...(message.inReplyTo ? { in_reply_to_id: message.inReplyTo } : {}),
      }
      const res = await httpRequest(
        joinUrl(baseUrl, 'api/v1/statuses'),
        {
          method: 'POST',
          body: JSON.stringify(body),
          headers: {
            ...auth,
            'Content-Type': 'application/json',
            'Idempotency-Key': message.idempotencyKey,
          },
        },
        ctx(signal),
      )
      if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
      if (res.status === 200) {
        const id = stringField(res.json, 'id')
        if (id) return { status: 'sent', providerId: id }
        return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
      }
      return errorOutcome(res)
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await httpRequest(
        joinUrl(baseUrl, 'api/v1/accounts/verify_credentials'),
        { method: 'GET', headers: auth },
        ctx(signal),
      )
      if (res.type !== 'response')
        return checkFailed(describeTransport(res, PROVIDER), base.redactor)
      if (res.status !== 200) return checkFailed(errorOutcome(res).reason, base.redactor)
      const acct = stringField(res.json, 'acct')
      return {
        ok: true,
        message: acct
          ? `Account Mastodon @${acct} raggiungibile`
          : 'Account Mastodon raggiungibile',
      }
    },
  }
}
