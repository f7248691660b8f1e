import { createHash } from 'node:crypto'
import { httpRequest, joinUrl, Redactor, type HttpResult, type NoAnswer } from './http'
import { numberField, objectField, stringField } from './http-errors'

/**
 * What the YouTube adapter, its inbound poller and the alert's link look-up
 * share: an OAuth access token obtained from the refresh token and kept until
 * it expires, one request helper that refreshes it once on a 401, the
 * quota cost of each call and Google's quota day, and the reading of Google's
 * error body. Written from Google's published YouTube Data API v3 reference
 * and its OAuth 2.0 documentation (there is no YouTube OpenAPI among the
 * project's specs).
 *
 * Authorisation: with a client id, client secret and refresh token the calls
 * carry `Authorization: Bearer <access token>` and may write (replies). With an
 * API key alone they carry `X-Goog-Api-Key` (a header Google accepts for every
 * API, so the key never sits in a URL) and may only read public data.
 */

export type Response = Extract<HttpResult, { type: 'response' }>

/**
 * Quota units per call, from Google's quota cost table (10,000 units a day per project).
 * search.list is no longer in that pool: Google's current table gives it a bucket of its own,
 * 100 calls a day by default, 1 per call (it used to cost 100 units of the pool).
 */
export const QUOTA_COST = {
  'commentThreads.list': 1,
  'comments.insert': 50,
  'channels.list': 1,
  'playlistItems.list': 1,
} as const

/** search.list's own daily bucket, in calls (Google's default allocation). */
export const SEARCH_CALLS_PER_DAY = 100
export type QuotaMethod = keyof typeof QUOTA_COST

/** Google resets the daily quota at midnight Pacific time. */
export const QUOTA_TIME_ZONE = 'America/Los_Angeles'

const pacificParts = new Intl.DateTimeFormat('en-US', {
  timeZone: QUOTA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function wallClock(ms: number): { y: number; m: number; d: number; offsetMs: number } {
  const parts = Object.fromEntries(pacificParts.formatToParts(ms).map((p) => [p.type, p.value]))
  const y = Number(parts['year'])
  const m = Number(parts['month'])
  const d = Number(parts['day'])
  const asUtc = Date.UTC(
    y,
    m - 1,
    d,
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  )
  return { y, m, d, offsetMs: asUtc - Math.floor(ms / 1000) * 1000 }
}

/** The quota day an instant belongs to (YYYY-MM-DD in Pacific time). */
export function quotaDay(ms: number): string {
  const { y, m, d } = wallClock(ms)
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** Milliseconds from `ms` to the next quota reset (midnight Pacific time, DST included). */
export function msUntilQuotaReset(ms: number): number {
  const { y, m, d, offsetMs } = wallClock(ms)
  let reset = Date.UTC(y, m - 1, d + 1) - offsetMs
  // Daylight saving changes at 2:00, so the offset at midnight may differ from now's.
  const later = wallClock(reset).offsetMs
  if (later !== offsetMs) reset = Date.UTC(y, m - 1, d + 1) - later
  return Math.max(1000, reset - ms)
}

/** Google's error body: `{error:{code,message,errors:[{domain,reason,message}]}}`. */
export interface GoogleError {
  status: number
  reason: string | undefined
  message: string | undefined
}

export function googleError(res: Response): GoogleError {
  const error = objectField(res.json, 'error')
  const errors = error?.['errors']
  const first = Array.isArray(errors) ? errors[0] : undefined
  return {
    status: numberField(error, 'code') ?? res.status,
    reason: stringField(first, 'reason'),
    message: stringField(error, 'message') ?? stringField(first, 'message'),
  }
}

/** Reasons Google gives when a quota (daily or per minute) is used up. */
export function isQuotaReason(reason: string | undefined): boolean {
  return (
    reason === 'quotaExceeded' ||
    reason === 'dailyLimitExceeded' ||
    reason === 'rateLimitExceeded' ||
    reason === 'userRateLimitExceeded'
  )
}

/** Only the daily ones wait for the reset; the per-minute ones pass in a minute. */
export function isDailyQuotaReason(reason: string | undefined): boolean {
  return reason === 'quotaExceeded' || reason === 'dailyLimitExceeded'
}

export interface YoutubeClientOptions {
  baseUrl: string
  tokenUrl: string
  clientId: string | undefined
  secrets: Record<string, string>
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
  maxBytes?: number
}

/** Why no access token could be had. */
export type TokenFailure =
  | { type: 'no_credentials' }
  | { type: 'refused'; status: number; error: string | undefined; description: string | undefined }
  | { type: 'unreadable'; status: number }
  | { type: 'no_answer'; result: NoAnswer }

/** A call's result: the API's answer, or the token endpoint's refusal before it. */
export type YoutubeResult = HttpResult | { type: 'token'; failure: TokenFailure }

export interface YoutubeClient {
  /** True when OAuth credentials are present: the account may reply. */
  readonly canWrite: boolean
  readonly redactor: Redactor
  /**
   * One call to the Data API (`path` under `/youtube/v3/`). A 401 with OAuth
   * drops the cached token, fetches a new one and tries once more: Google
   * refused the call before doing anything, so repeating it cannot double it.
   */
  call(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string>,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<YoutubeResult>
}

/** Margin before the announced expiry when a token is no longer used. */
const EXPIRY_MARGIN_MS = 60_000

/**
 * Access tokens by credentials (a digest of token URL, client and refresh token), shared by
 * every client of the process: the inbox builds a poller per poll and the outbox an adapter
 * per account, and neither should ask Google for a new token each time.
 */
const TOKENS = new Map<string, { token: string; until: number }>()

export function createYoutubeClient(options: YoutubeClientOptions): YoutubeClient {
  const { secrets } = options
  const clientSecret = secrets['clientSecret'] ?? ''
  const refreshToken = secrets['refreshToken'] ?? ''
  const apiKey = secrets['apiKey'] ?? ''
  const clientId = options.clientId ?? ''
  const oauth = clientId !== '' && clientSecret !== '' && refreshToken !== ''
  const redactor = new Redactor([clientSecret, refreshToken, apiKey].filter((s) => s !== ''))
  const cacheKey = createHash('sha256')
    .update(JSON.stringify([options.tokenUrl, clientId, clientSecret, refreshToken]))
    .digest('hex')
  const http = (signal?: AbortSignal) => ({
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(signal ? { signal } : {}),
  })

  async function accessToken(
    signal?: AbortSignal,
  ): Promise<{ token: string } | { failure: TokenFailure }> {
    const cached = TOKENS.get(cacheKey)
    if (cached && cached.until > options.now()) {
      redactor.add(cached.token)
      return { token: cached.token }
    }
    const res = await httpRequest(
      options.tokenUrl,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: clientId,
          client_secret: clientSecret,
          refresh_token: refreshToken,
        }),
      },
      http(signal),
    )
    if (res.type !== 'response') return { failure: { type: 'no_answer', result: res } }
    const token = stringField(res.json, 'access_token')
    if (res.status === 200 && token) {
      redactor.add(token)
      const expiresIn = numberField(res.json, 'expires_in') ?? 3600
      TOKENS.set(cacheKey, { token, until: options.now() + expiresIn * 1000 - EXPIRY_MARGIN_MS })
      return { token }
    }
    if (res.status === 200) return { failure: { type: 'unreadable', status: res.status } }
    return {
      failure: {
        type: 'refused',
        status: res.status,
        error: stringField(res.json, 'error'),
        description: stringField(res.json, 'error_description'),
      },
    }
  }

  async function once(
    method: 'GET' | 'POST',
    url: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<YoutubeResult> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (oauth) {
      const got = await accessToken(signal)
      if ('failure' in got) return { type: 'token', failure: got.failure }
      headers['Authorization'] = `Bearer ${got.token}`
    } else if (apiKey !== '') {
      headers['X-Goog-Api-Key'] = apiKey
    } else {
      return { type: 'token', failure: { type: 'no_credentials' } }
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    return httpRequest(
      url,
      { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
      http(signal),
    )
  }

  return {
    canWrite: oauth,
    redactor,
    async call(method, path, query, body, signal) {
      const url = joinUrl(
        options.baseUrl,
        `youtube/v3/${path}?${new URLSearchParams(query).toString()}`,
      )
      const first = await once(method, url, body, signal)
      if (!oauth || first.type !== 'response' || first.status !== 401) return first
      TOKENS.delete(cacheKey)
      return once(method, url, body, signal)
    },
  }
}
