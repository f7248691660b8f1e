import type { SendOutcome } from '../../adapter'

/**
 * Upload of a published file to the web server with HTTP PUT (WebDAV-style:
 * `PUT <putUrl>/<file>`), authenticated with a Bearer token when one is set.
 */

type Failure = Extract<SendOutcome, { status: 'failed' }>

export interface PutRequest {
  url: string
  body: string | Buffer
  contentType: string
  token?: string
  fetch: typeof fetch
  now: () => number
  signal?: AbortSignal
}

/** The URL of one file under the PUT base. */
export function putTarget(putUrl: string, fileName: string): string {
  return `${putUrl.replace(/\/+$/, '')}/${encodeURIComponent(fileName)}`
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function failure(
  retry: Failure['retry'],
  code: string,
  reason: string,
  extra: Partial<Failure> = {},
): Failure {
  return { status: 'failed', retry, code, reason, ...extra }
}

/** PUTs one file; undefined on success, else a classified failure. */
export async function putFile(request: PutRequest): Promise<Failure | undefined> {
  let response: Response
  try {
    response = await request.fetch(request.url, {
      method: 'PUT',
      headers: {
        'content-type': request.contentType,
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      },
      // A copy typed as the fetch API wants it: Node's Buffer is not a BodyInit in the DOM lib.
      body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body),
      ...(request.signal ? { signal: request.signal } : {}),
    })
  } catch (error) {
    const aborted = request.signal?.aborted === true
    return failure(
      'transient',
      aborted ? 'aborted' : 'network',
      aborted
        ? 'Invio annullato'
        : `Sito web non raggiungibile per la pubblicazione (${request.url})`,
      {
        detail: error instanceof Error ? error.message : String(error),
      },
    )
  }
  // The body is not needed, but must be consumed so the connection can be reused.
  const text = (await response.text().catch(() => '')).slice(0, 300)
  if (response.ok) return undefined
  const status = response.status
  const detail = `HTTP ${status}${text ? `: ${text}` : ''}`
  const wait = retryAfterMs(response.headers.get('retry-after'), request.now())
  const extra = { detail, ...(wait === undefined ? {} : { retryAfterMs: wait }) }
  if (status === 401 || status === 403) {
    return failure(
      'permanent',
      'auth',
      `Il sito web ha rifiutato la pubblicazione: token mancante o non valido (HTTP ${status})`,
      extra,
    )
  }
  if (status === 429)
    return failure(
      'transient',
      'rate_limited',
      'Il sito web chiede di rallentare (HTTP 429)',
      extra,
    )
  if (status === 408 || status >= 500) {
    return failure(
      'transient',
      'server_error',
      `Errore del sito web durante la pubblicazione (HTTP ${status})`,
      extra,
    )
  }
  return failure(
    'permanent',
    'rejected',
    `Il sito web ha rifiutato il file (HTTP ${status})`,
    extra,
  )
}
