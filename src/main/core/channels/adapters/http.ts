/**
 * The small HTTP toolkit every HTTP adapter shares: one request with a
 * deadline, provider hints about when to come back, and a redactor so that
 * tokens never reach a reason, a detail or a log line.
 */

/** Per-request deadline when the caller does not choose one. */
export const DEFAULT_TIMEOUT_MS = 15_000

export interface HttpContext {
  fetch: typeof fetch
  timeoutMs: number
  /** The caller's signal (dispatcher shutdown, operator cancel). */
  signal?: AbortSignal
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
  /** No answer: the deadline passed, the caller gave up, or the network failed. */
  | { type: 'timeout' | 'aborted' | 'network'; message: string }

/** Parses JSON without throwing: providers answer HTML error pages too. */
export function parseJson(text: string): unknown {
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  // undici wraps the socket error ("connect ECONNREFUSED …") in `cause`.
  const cause = (err as { cause?: unknown }).cause
  if (cause instanceof Error && cause.message) return cause.message
  return err.message
}

/**
 * Sends one request, bounded by the caller's signal and a timeout, and reads
 * the whole body. Never throws: a missing answer is a result like any other.
 */
export async function httpRequest(
  url: string,
  init: RequestInit,
  ctx: HttpContext,
): Promise<HttpResult> {
  if (ctx.signal?.aborted) return { type: 'aborted', message: 'aborted before sending' }
  const deadline = AbortSignal.timeout(ctx.timeoutMs)
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline]) : deadline
  try {
    const res = await ctx.fetch(url, { ...init, signal })
    const text = await res.text()
    return {
      type: 'response',
      status: res.status,
      headers: res.headers,
      text,
      json: parseJson(text),
    }
  } catch (err) {
    if (ctx.signal?.aborted) return { type: 'aborted', message: 'aborted by caller' }
    if (deadline.aborted)
      return { type: 'timeout', message: `no answer within ${ctx.timeoutMs} ms` }
    return { type: 'network', message: describeNetworkError(err) }
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
