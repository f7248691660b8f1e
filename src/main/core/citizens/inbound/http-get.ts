import {
  clip,
  httpRequest,
  Redactor,
  DEFAULT_TIMEOUT_MS,
  type HttpResult,
} from '../../channels/adapters/http'
import { INBOUND_MAX_BYTES } from '../../net/outbound'
import type { InboundContext } from './types'
import { InboundError } from './errors'

export type HttpResponse = Extract<HttpResult, { type: 'response' }>

/** How one provider words its errors and its "come back later" hints. */
export interface ProviderErrors {
  /** Provider name for the operator ("Mastodon", "X"…). */
  name: string
  /** Milliseconds to wait, from the provider's rate-limit headers or body. */
  retryAfterMs(res: HttpResponse, nowMs: number): number | undefined
  /** The provider's own error text, when the body has one. */
  text(res: HttpResponse): string | undefined
  /** A specific reading of an error answer; undefined falls back to the HTTP status. */
  classify?(res: HttpResponse, nowMs: number): InboundError | undefined
}

/** An HTTP client bound to one account: deadline, clock, and a redactor holding its secrets. */
export interface InboundHttp {
  get(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<HttpResponse>
  redactor: Redactor
  now: () => number
}

/**
 * Builds the HTTP side of a poller; `secrets` are redacted from every error it raises.
 * Inbound accounts are provider APIs the ICT office configured: answers are capped (5 MiB, a
 * page of many messages; `ctx.maxBytes`), and the address rule of feeds does not apply (see
 * `net/outbound.ts`).
 */
export function inboundHttp(
  ctx: InboundContext,
  provider: ProviderErrors,
  secrets: Iterable<string>,
): InboundHttp {
  const redactor = new Redactor(secrets)
  const now = ctx.now ?? Date.now
  const fetchImpl = ctx.fetch ?? fetch
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const fail = (code: InboundError['code'], message: string, retryAfterMs?: number) =>
    new InboundError(code, redactor.redact(message), retryAfterMs)

  return {
    redactor,
    now,
    async get(url, headers, signal) {
      const res = await httpRequest(
        url,
        { method: 'GET', headers: { Accept: 'application/json', ...headers } },
        {
          fetch: fetchImpl,
          timeoutMs,
          maxBytes: ctx.maxBytes ?? INBOUND_MAX_BYTES,
          ...(signal ? { signal } : {}),
        },
      )
      if (res.type !== 'response') {
        if (res.type === 'timeout')
          throw fail('timeout', `${provider.name} non ha risposto in tempo`)
        if (res.type === 'aborted') throw fail('aborted', `Lettura da ${provider.name} interrotta`)
        if (res.type === 'too_large')
          throw fail(
            'bad_response',
            `${provider.name}: ${res.message.charAt(0).toLowerCase()}${res.message.slice(1)}`,
          )
        throw fail('network', `${provider.name} non raggiungibile: ${clip(res.message)}`)
      }
      if (res.status >= 200 && res.status < 300) return res
      const specific = provider.classify?.(res, now())
      if (specific) throw fail(specific.code, specific.message, specific.retryAfterMs)
      const said = provider.text(res)
      const suffix = said ? ` (${clip(said)})` : ''
      const wait = provider.retryAfterMs(res, now())
      if (res.status === 429) {
        throw fail(
          'rate_limited',
          `${provider.name}: troppe richieste, riprovo più tardi${suffix}`,
          wait,
        )
      }
      if (res.status === 401) throw fail('auth', `${provider.name}: credenziali rifiutate${suffix}`)
      if (res.status === 403)
        throw fail('permission', `${provider.name}: accesso non consentito${suffix}`)
      if (res.status === 408 || res.status >= 500) {
        throw fail(
          'provider_unavailable',
          `${provider.name} momentaneamente non disponibile (HTTP ${res.status})${suffix}`,
          wait,
        )
      }
      throw fail(
        'rejected',
        `${provider.name} ha rifiutato la richiesta (HTTP ${res.status})${suffix}`,
      )
    },
  }
}

/** A required text setting of an inbound account. */
export function setting(settings: Record<string, unknown>, key: string, fallback?: string): string {
  const v = settings[key]
  if (typeof v === 'string' && v.trim() !== '') return v.trim()
  if (typeof v === 'number') return String(v)
  if (fallback !== undefined) return fallback
  throw new InboundError('config', `Impostazione mancante: ${key}`)
}

/** A required secret of an inbound account. */
export function secret(secrets: Record<string, string>, key: string): string {
  const v = secrets[key]
  if (typeof v === 'string' && v !== '') return v
  throw new InboundError('config', `Credenziale mancante: ${key}`)
}

/** Orders numeric provider ids given as strings (snowflakes exceed 2^53). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}

/** The larger of two numeric string ids (null counts as smallest). */
export function maxId(a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  return compareIds(a, b) >= 0 ? a : b
}
