import type { ConnectionCheck, SendOutcome } from '../adapter'
import { formatBytes } from '../../net/outbound'
import { clip, type NoAnswer, type Redactor } from './http'

/**
 * How HTTP adapters turn "no answer" and "an answer we do not specifically
 * know" into outcomes the dispatcher understands, with Italian reasons. Each
 * adapter handles its provider's own error codes first and falls back here.
 */

export type FailedOutcome = Extract<SendOutcome, { status: 'failed' }>

export interface FailureFields {
  retry: 'transient' | 'permanent' | 'uncertain'
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
 * The request got no readable answer. A timeout, a connection dropped after
 * the request was written, or an answer too large to read may still have
 * produced a message: `uncertain`, which the dispatcher retries only where the
 * provider honours the idempotency key. A connection refused (or aborted
 * before sending) surely sent nothing.
 */
export function transportFailure(
  result: NoAnswer,
  provider: string,
  redactor: Redactor,
): FailedOutcome {
  const retry = result.mayHaveSent ? 'uncertain' : 'transient'
  switch (result.type) {
    case 'too_large':
      // Like a garbled answer: the request left and was answered, but we cannot read it.
      return failure(
        {
          retry: 'uncertain',
          code: 'too_large',
          reason: `${provider} ha risposto HTTP ${result.status} con una risposta troppo grande (oltre ${formatBytes(result.limit)}), non letta: il messaggio potrebbe essere stato accettato`,
        },
        redactor,
      )
    case 'timeout':
      return failure(
        {
          retry,
          code: 'timeout',
          reason: `${provider} non ha risposto in tempo; il messaggio potrebbe essere stato comunque accettato`,
          providerText: result.message,
        },
        redactor,
      )
    case 'aborted':
      return failure(
        {
          retry,
          code: 'aborted',
          reason: result.mayHaveSent
            ? `Invio a ${provider} interrotto mentre la richiesta era partita: il messaggio potrebbe essere stato accettato`
            : `Invio a ${provider} interrotto prima di partire`,
        },
        redactor,
      )
    case 'network':
      return failure(
        {
          retry,
          code: 'network',
          reason: result.mayHaveSent
            ? `Connessione con ${provider} caduta dopo l’invio della richiesta: il messaggio potrebbe essere stato accettato`
            : `${provider} non raggiungibile (errore di rete)`,
          providerText: result.message,
        },
        redactor,
      )
  }
}

/**
 * A success status whose body cannot be read (HTML from a proxy, cut JSON):
 * the provider probably accepted the message, but its id is unknown.
 */
export function unreadableAnswer(
  status: number,
  provider: string,
  providerText: string | undefined,
  redactor: Redactor,
): FailedOutcome {
  return failure(
    {
      retry: 'uncertain',
      code: 'bad_response',
      reason: `${provider} ha risposto HTTP ${status} con una risposta illeggibile: il messaggio potrebbe essere stato accettato`,
      ...(providerText === undefined ? {} : { providerText }),
    },
    redactor,
  )
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
  // 408 and 503 say the request was not processed; 500, 502, 504 may come after
  // the provider (or the service behind its gateway) accepted the message.
  if (status >= 500 && status !== 503) {
    return failure(
      {
        ...base,
        retry: 'uncertain',
        code: 'provider_error',
        reason: `${provider}: errore del servizio (HTTP ${status}); il messaggio potrebbe essere stato accettato`,
      },
      redactor,
    )
  }
  if (status === 408 || status === 503) {
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
export function describeTransport(result: NoAnswer, provider: string): string {
  if (result.type === 'too_large')
    return `${provider} ha risposto con una risposta troppo grande (oltre ${formatBytes(result.limit)})`
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

/** Fields where providers put their error in words (Twilio, Meta, Telegram, RFC 7807, OAuth…). */
const WORD_FIELDS = ['message', 'detail', 'title', 'error_description', 'description', 'error']

function wordsIn(value: unknown, depth = 0): string[] {
  if (depth > 2 || typeof value !== 'object' || value === null) return []
  if (Array.isArray(value)) return value.slice(0, 3).flatMap((v) => wordsIn(v, depth + 1))
  const out: string[] = []
  for (const key of WORD_FIELDS) {
    const v = (value as Record<string, unknown>)[key]
    if (typeof v === 'string' && v.trim() !== '') out.push(v.trim())
    else if (typeof v === 'object') out.push(...wordsIn(v, depth + 1))
  }
  out.push(...wordsIn((value as Record<string, unknown>).errors, depth + 1))
  return out
}

/**
 * What a provider's error answer says in words: the message fields of its
 * JSON, never the JSON itself; a short plain-text answer as it is; nothing
 * from an HTML page or a body that says nothing readable.
 */
export function providerWords(json: unknown, text: string): string | undefined {
  const body = json ?? parseJson(text)
  if (body !== undefined) {
    const words = [...new Set(wordsIn(body))]
    return words.length > 0 ? clip(words.join(' — ')) : undefined
  }
  const plain = text.trim()
  if (plain === '' || plain.startsWith('<')) return undefined
  return clip(plain)
}

function parseJson(text: string): unknown {
  const t = text.trim()
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined
  try {
    return JSON.parse(t) as unknown
  } catch {
    return undefined
  }
}

/**
 * A check's or a failure's sentence with any JSON a provider sent replaced by
 * its words: an operator reads "Twilio ha rifiutato… (Invalid request)",
 * never `{"status":422,…}`.
 */
export function withoutJson(message: string): string {
  const start = message.indexOf('{')
  const end = message.lastIndexOf('}')
  if (start < 0 || end <= start) return message
  const body = parseJson(message.slice(start, end + 1))
  if (body === undefined) return message
  const words = providerWords(body, '')
  const before = message.slice(0, start).replace(/[\s(:—-]+$/, '')
  const after = message.slice(end + 1).replace(/^[\s)]+/, '')
  const joined = words ? `${before} (${words})` : before
  return after ? `${joined} ${after}` : joined
}
