import type { ConnectionCheck, SendOutcome } from '../adapter'
import { clip, type HttpResult, type Redactor } from './http'

/**
 * How HTTP adapters turn "no answer" and "an answer we do not specifically
 * know" into outcomes the dispatcher understands, with Italian reasons. Each
 * adapter handles its provider's own error codes first and falls back here.
 */

export type FailedOutcome = Extract<SendOutcome, { status: 'failed' }>

export interface FailureFields {
  retry: 'transient' | 'permanent'
  code: string
  /** Italian sentence for the operator. */
  reason: string
  /** The provider's own words, appended to the reason and kept as detail. */
  providerText?: string
  retryAfterMs?: number
}

/** Builds a failure whose reason and detail have been cleaned of every secret. */
export function failure(fields: FailureFields, redactor: Redactor): FailedOutcome {
  const provider = fields.providerText ? clip(redactor.redact(fields.providerText)) : undefined
  const reason = redactor.redact(provider ? `${fields.reason} (${provider})` : fields.reason)
  return {
    status: 'failed',
    retry: fields.retry,
    code: fields.code,
    reason,
    ...(fields.retryAfterMs === undefined
      ? {}
      : { retryAfterMs: Math.max(0, fields.retryAfterMs) }),
    ...(provider === undefined ? {} : { detail: provider }),
  }
}

/**
 * The request got no answer. A timeout or a dropped connection after sending
 * may still have produced a message: the dispatcher decides what that means
 * for non-idempotent channels (code `timeout`/`network`).
 */
export function transportFailure(
  result: Extract<HttpResult, { type: 'timeout' | 'aborted' | 'network' }>,
  provider: string,
  redactor: Redactor,
): FailedOutcome {
  switch (result.type) {
    case 'timeout':
      return failure(
        {
          retry: 'transient',
          code: 'timeout',
          reason: `${provider} non ha risposto in tempo; il messaggio potrebbe essere stato comunque accettato`,
          providerText: result.message,
        },
        redactor,
      )
    case 'aborted':
      return failure(
        { retry: 'transient', code: 'aborted', reason: `Invio a ${provider} interrotto` },
        redactor,
      )
    case 'network':
      return failure(
        {
          retry: 'transient',
          code: 'network',
          reason: `${provider} non raggiungibile (errore di rete)`,
          providerText: result.message,
        },
        redactor,
      )
  }
}

/** Fallback by HTTP status when the provider's error code says nothing more specific. */
export function statusFailure(
  status: number,
  provider: string,
  providerText: string | undefined,
  redactor: Redactor,
  retryAfterMs?: number,
): FailedOutcome {
  const base = { ...(providerText === undefined ? {} : { providerText }) }
  if (status === 429) {
    return failure(
      {
        ...base,
        retry: 'transient',
        code: 'rate_limited',
        reason: `${provider}: troppe richieste, riprovo più tardi`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
      redactor,
    )
  }
  if (status === 401) {
    return failure(
      { ...base, retry: 'permanent', code: 'auth', reason: `${provider}: credenziali rifiutate` },
      redactor,
    )
  }
  if (status === 403) {
    return failure(
      {
        ...base,
        retry: 'permanent',
        code: 'permission',
        reason: `${provider}: operazione non consentita`,
      },
      redactor,
    )
  }
  if (status === 408 || status >= 500) {
    return failure(
      {
        ...base,
        retry: 'transient',
        code: 'provider_unavailable',
        reason: `${provider} momentaneamente non disponibile (HTTP ${status})`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
      redactor,
    )
  }
  return failure(
    {
      ...base,
      retry: 'permanent',
      code: 'rejected',
      reason: `${provider} ha rifiutato il messaggio (HTTP ${status})`,
    },
    redactor,
  )
}

/** A connection check that failed, with the same redaction as send outcomes. */
export function checkFailed(message: string, redactor: Redactor): ConnectionCheck {
  return { ok: false, message: redactor.redact(message) }
}

/** Short description of a missing answer for a connection check. */
export function describeTransport(
  result: Extract<HttpResult, { type: 'timeout' | 'aborted' | 'network' }>,
  provider: string,
): string {
  if (result.type === 'timeout') return `${provider} non ha risposto in tempo`
  if (result.type === 'aborted') return 'Verifica interrotta'
  return `${provider} non raggiungibile: ${result.message}`
}

/** The text of a JSON field when it is a non-empty string. */
export function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = (value as Record<string, unknown>)[key]
  return typeof v === 'string' && v.length > 0 ? v : undefined
}

/** The number of a JSON field (numbers or numeric strings). */
export function numberField(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = (value as Record<string, unknown>)[key]
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v)) return Number(v)
  return undefined
}

/** A nested JSON object, or undefined. */
export function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const v = (value as Record<string, unknown>)[key]
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined
}
