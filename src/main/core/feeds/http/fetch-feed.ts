import {
  allowsInternal,
  createOutboundFetch,
  DestinationRefused,
  FEED_MAX_BYTES,
  formatBytes,
  MAX_REDIRECTS,
  type Resolver,
} from '../../net/outbound'
import { FeedError } from '../errors'
import { parseContentType, parseRetryAfter } from './content-type'
import { readCapped } from './read-capped'

export interface FetchFeedOptions {
  /** Validators from the previous successful poll. */
  etag?: string | null
  lastModified?: string | null
  /** Whole request budget, headers and body (default 30 s). */
  timeoutMs?: number
  /** Largest body accepted, after decompression (default 5 MiB). */
  maxBytes?: number
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number
  /** Cancels the request (e.g. the poller is stopping). */
  signal?: AbortSignal
  /**
   * The source is marked «rete interna» by the ICT office: it may live on loopback, link-local
   * or private addresses. Otherwise every hop of the request must reach a public address.
   */
  internalNetwork?: boolean
  /** Name resolution for the address check (tests); `dns.lookup` by default. */
  resolve?: Resolver
  /** Which addresses count as internal (tests that need a "public" loopback server). */
  isInternal?: (address: string) => boolean
  /**
   * Injected for tests that count or fake requests; such a fetch is its own policy. By default
   * the outbound client, which applies the address rule at every hop.
   */
  fetch?: typeof fetch
  accept?: string
  userAgent?: string
  now?: () => number
}

export type FetchFeedResult =
  | { status: 'not_modified'; url: string }
  | {
      status: 'ok'
      /** The final URL, after redirects. */
      url: string
      body: Uint8Array
      mediaType: string | null
      charset: string | null
      etag: string | null
      lastModified: string | null
    }

export const DEFAULT_MAX_BYTES = FEED_MAX_BYTES
export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_MAX_REDIRECTS = MAX_REDIRECTS

const REDIRECTS = new Set([301, 302, 303, 307, 308])

function checkedUrl(raw: string | URL, base?: URL): URL {
  let url: URL
  try {
    url = new URL(raw, base)
  } catch {
    throw new FeedError('bad_url', `indirizzo non valido: ${String(raw)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError('bad_url', `protocollo non ammesso (${url.protocol}): solo http e https`)
  }
  return url
}

function networkError(
  err: unknown,
  timedOut: boolean,
  caller: AbortSignal | undefined,
  timeoutMs: number,
): FeedError {
  if (err instanceof FeedError) return err
  if (err instanceof DestinationRefused) return new FeedError('internal_address', err.message)
  if (caller?.aborted) return new FeedError('aborted', 'lettura annullata')
  if (timedOut) {
    return new FeedError(
      'timeout',
      `nessuna risposta completa entro ${Math.round(timeoutMs / 100) / 10} s`,
    )
  }
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause
  const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))
  return new FeedError('network', `connessione non riuscita (${detail})`)
}

function httpError(res: Response, now: number): FeedError {
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now)
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`
  if (res.status === 429) {
    return new FeedError('rate_limited', `il server limita le richieste (HTTP ${status})`, {
      status: res.status,
      retryAfterMs,
    })
  }
  return new FeedError('http', `il server ha risposto HTTP ${status}`, {
    status: res.status,
    retryAfterMs,
  })
}

/**
 * Downloads a feed with conditional requests (ETag / If-Modified-Since: 304 → `not_modified`),
 * a total timeout, a streamed size cap, a redirect limit with loop detection, gzip, and the
 * outbound address rule checked again at every redirect (see `net/outbound.ts`). Every failure
 * is a FeedError with a readable message.
 */
export async function fetchFeed(
  url: string,
  options: FetchFeedOptions = {},
): Promise<FetchFeedResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS
  const fetchImpl =
    options.fetch ??
    createOutboundFetch({
      allowInternal: allowsInternal(options.internalNetwork),
      ...(options.resolve ? { resolve: options.resolve } : {}),
      ...(options.isInternal ? { isInternal: options.isInternal } : {}),
    })
  const now = options.now ?? Date.now
  let current = checkedUrl(url)
  // One controller per request, aborted by the deadline or by the caller. (Not AbortSignal.any:
  // tying every request to the poller's long-lived signal would accumulate listeners.)
  const controller = new AbortController()
  const signal = controller.signal
  let timedOut = false
  const deadline = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const onCallerAbort = (): void => controller.abort()
  if (options.signal?.aborted) controller.abort()
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true })
  const headers: Record<string, string> = {
    accept:
      options.accept ??
      'application/atom+xml, application/rss+xml, application/cap+xml, application/xml;q=0.9, application/json;q=0.9, */*;q=0.5',
    'user-agent': options.userAgent ?? 'Vedetta feed reader',
  }
  if (options.etag) headers['if-none-match'] = options.etag
  if (options.lastModified) headers['if-modified-since'] = options.lastModified

  const visited = new Set<string>()
  try {
    for (let redirects = 0; ; redirects++) {
      visited.add(current.href)
      const res = await fetchImpl(current, { redirect: 'manual', signal, headers })
      if (REDIRECTS.has(res.status)) {
        await res.body?.cancel().catch(() => undefined)
        const location = res.headers.get('location')
        if (!location) {
          throw new FeedError('bad_redirect', `rinvio HTTP ${res.status} senza destinazione`)
        }
        const next = checkedUrl(location, current)
        if (visited.has(next.href)) {
          throw new FeedError(
            'redirect_loop',
            `rinvii circolari: ${next.href} rimanda a un indirizzo già visitato`,
          )
        }
        if (redirects + 1 > maxRedirects) {
          throw new FeedError('too_many_redirects', `troppi rinvii (più di ${maxRedirects})`)
        }
        current = next
        continue
      }
      if (res.status === 304) {
        await res.body?.cancel().catch(() => undefined)
        return { status: 'not_modified', url: current.href }
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined)
        throw httpError(res, now())
      }
      const declared = Number(res.headers.get('content-length') ?? NaN)
      // Only trust the declared length when the body is not compressed (it counts encoded bytes).
      if (!res.headers.get('content-encoding') && declared > maxBytes) {
        await res.body?.cancel().catch(() => undefined)
        throw new FeedError(
          'too_large',
          `risposta troppo grande (${formatBytes(declared)} dichiarati, oltre ${formatBytes(maxBytes)}): la fonte è stata ignorata`,
        )
      }
      const body = await readCapped(res.body, maxBytes)
      const { mediaType, charset } = parseContentType(res.headers.get('content-type'))
      return {
        status: 'ok',
        url: current.href,
        body,
        mediaType,
        charset,
        etag: res.headers.get('etag'),
        lastModified: res.headers.get('last-modified'),
      }
    }
  } catch (err) {
    throw networkError(err, timedOut, options.signal, timeoutMs)
  } finally {
    clearTimeout(deadline)
    options.signal?.removeEventListener('abort', onCallerAbort)
  }
}
