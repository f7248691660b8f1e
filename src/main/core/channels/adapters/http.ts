import { API_MAX_BYTES, BodyTooLarge, formatBytes, readCapped } from '../../net/outbound'

/**
 * The small HTTP toolkit every HTTP adapter shares: one request with a
 * deadline and a cap on the answer's size, provider hints about when to come
 * back, and a redactor so that tokens never reach a reason, a detail or a log
 * line.
 *
 * Provider APIs are configured by the ICT office with their base URLs (a
 * gateway on the office's network, a test double on 127.0.0.1): they are NOT
 * subject to the outbound address rule that feeds and partners' pages obey
 * (`net/outbound.ts`), only to the size cap.
 */

/** Per-request deadline when the caller does not choose one. */
export const DEFAULT_TIMEOUT_MS = 15_000

export interface HttpContext {
  fetch: typeof fetch
  timeoutMs: number
  /** The caller's signal (dispatcher shutdown, operator cancel). */
  signal?: AbortSignal
  /** Largest answer read, after decompression (default {@link API_MAX_BYTES}, 1 MiB). */
  maxBytes?: number
}

export type HttpResult =
  | {
      type: 'response'
      status: number
      headers: Headers
      text: string
      /** Parsed body when it is JSON, otherwise undefined. */
      json: unknown
    }
  /**
   * No answer: the deadline passed, the caller gave up, or the network failed.
   * `mayHaveSent` is false only when the request surely never reached the
   * provider (refused connection, unknown host, aborted before sending).
   */
  | { type: 'timeout' | 'aborted' | 'network'; message: string; mayHaveSent: boolean }
  /**
   * An answer larger than the cap: it was cut unread. The request had left and been
   * answered, so the provider may have acted on it (`mayHaveSent` is always true).
   */
  | { type: 'too_large'; status: number; limit: number; message: string; mayHaveSent: true }

/** Every result that carries no readable answer. */
export type NoAnswer = Exclude<HttpResult, { type: 'response' }>

/** Parses JSON without throwing: providers answer HTML error pages too. */
export function parseJson(text: string): unknown {
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** undici wraps the socket error ("connect ECONNREFUSED …") in `cause`. */
function rootError(err: unknown): unknown {
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined
  return cause instanceof Error ? cause : err
}

function describeNetworkError(err: unknown): string {
  const root = rootError(err)
  if (!(root instanceof Error)) return String(root)
  return root.message || (err instanceof Error ? err.message : String(err))
}

/**
 * Errors raised before a single byte of the request was written: the provider
 * cannot have acted on it. Anything else (a reset or a close after writing, a
 * malformed answer) may come after the provider accepted the message.
 */
const BEFORE_SENDING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** True unless the error proves the request never left (see {@link BEFORE_SENDING}). */
export function mayHaveSent(err: unknown): boolean {
  const code = (rootError(err) as { code?: unknown } | undefined)?.code
  return !(typeof code === 'string' && BEFORE_SENDING.has(code))
}

/**
 * Sends one request, bounded by the caller's signal and a timeout, and reads
 * the body up to the cap (the connection is dropped as soon as it crosses it).
 * Never throws: a missing or oversized answer is a result like any other.
 */
export async function httpRequest(
  url: string,
  init: RequestInit,
  ctx: HttpContext,
): Promise<HttpResult> {
  if (ctx.signal?.aborted)
    return { type: 'aborted', message: 'aborted before sending', mayHaveSent: false }
  const deadline = AbortSignal.timeout(ctx.timeoutMs)
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline]) : deadline
  try {
    const res = await ctx.fetch(url, { ...init, signal })
    const maxBytes = ctx.maxBytes ?? API_MAX_BYTES
    let text: string
    try {
      text = new TextDecoder().decode(await readCapped(res.body, maxBytes))
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err
      return {
        type: 'too_large',
        status: res.status,
        limit: maxBytes,
        message: `Risposta troppo grande (oltre ${formatBytes(maxBytes)}, HTTP ${res.status}): lettura interrotta`,
        mayHaveSent: true,
      }
    }
    return {
      type: 'response',
      status: res.status,
      headers: res.headers,
      text,
      json: parseJson(text),
    }
  } catch (err) {
    // Cut short while the request was out: the provider may have acted on it.
    if (ctx.signal?.aborted)
      return { type: 'aborted', message: 'aborted by caller', mayHaveSent: true }
    if (deadline.aborted)
      return { type: 'timeout', message: `no answer within ${ctx.timeoutMs} ms`, mayHaveSent: true }
    return { type: 'network', message: describeNetworkError(err), mayHaveSent: mayHaveSent(err) }
  }
}

/** Joins a configured base URL and a path, whether or not the base ends with a slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}

/** `Retry-After` as delta-seconds or HTTP-date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

/** A reset instant given as epoch seconds (X, Bluesky), in milliseconds from now. */
export function epochSecondsToDelay(value: string | null, nowMs: number): number | undefined {
  if (value === null || !/^\d+(?:\.\d+)?$/.test(value.trim())) return undefined
  return Math.max(0, Math.round(Number(value.trim()) * 1000 - nowMs))
}

/** A reset instant given as an ISO date (Mastodon), in milliseconds from now. */
export function isoDateToDelay(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined
  const at = Date.parse(value)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

/** Secrets shorter than this are not worth hunting for and would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4

/**
 * Replaces every known secret (and its URL-encoded and Base64 forms) by `***`.
 * Adapters add derived secrets (session keys, JWTs) as they learn them.
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s)
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return
    this.secrets.add(secret)
    this.secrets.add(encodeURIComponent(secret))
  }

  redact(text: string): string {
    let out = text
    // Longest first, so a secret containing another is replaced whole.
    const ordered = [...this.secrets].sort((a, b) => b.length - a.length)
    for (const s of ordered) out = out.split(s).join('***')
    return out
  }
}

/** Provider text shown to people is cut, so one odd answer cannot flood the journal. */
export function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine
}
