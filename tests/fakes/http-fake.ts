import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The base of every loopback HTTP fake provider: a node:http server on
 * 127.0.0.1, a record of each request, and scripted faults (429 with the
 * provider's own hints, 5xx, slow answers) that each fake formats the way its
 * provider does. Reused by adapter tests, end-to-end tests and benchmarks.
 */

export interface RecordedRequest {
  method: string
  /** Path without the query string, e.g. `/2/tweets`. */
  path: string
  query: Record<string, string>
  /** Header names are lower-case, as node:http gives them. */
  headers: http.IncomingHttpHeaders
  rawBody: string
  /** The body's bytes as they came (a multipart upload's file is binary). */
  rawBytes: Buffer
  /** JSON or form bodies parsed to an object, multipart as {@link MultipartBody}; other bodies as text. */
  body: unknown
}

/** A `multipart/form-data` body: its text fields, and its files with their bytes. */
export interface MultipartBody {
  multipart: true
  fields: Record<string, string>
  files: Record<string, { filename: string; type: string; bytes: Buffer }>
}

/** Parses a multipart body with the platform's own parser (undici's `Response.formData`). */
async function parseMultipart(raw: Buffer, contentType: string): Promise<MultipartBody | string> {
  try {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData()
    const body: MultipartBody = { multipart: true, fields: {}, files: {} }
    for (const [name, value] of form) {
      if (typeof value === 'string') body.fields[name] = value
      else
        body.files[name] = {
          filename: value.name,
          type: value.type,
          bytes: Buffer.from(await value.arrayBuffer()),
        }
    }
    return body
  } catch {
    // Not a multipart body after all: the test sees it as text and fails on it.
    return raw.toString('utf8')
  }
}

export interface FakeReply {
  status: number
  headers?: Record<string, string>
  /** Objects are sent as JSON, strings as plain text. */
  body?: unknown
}

/** How a provider answers an imposed fault. */
export interface FaultFormat {
  rateLimited(retryAfterSeconds: number): FakeReply
  serverError(status: number): FakeReply
}

type Fault =
  | { type: 'rate'; seconds: number }
  | { type: 'error'; status: number }
  | { type: 'delay'; ms: number }
  | { type: 'drop' }
  | { type: 'drop-after' }
  | { type: 'garble' }
  | { type: 'pass' }

export interface FakeHttpServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string
  /** Every request received, in order, including those answered with a fault. */
  requests: RecordedRequest[]
  /** The next `count` send requests get the provider's 429. */
  rateLimitNext(count?: number, retryAfterSeconds?: number): void
  /** The next `count` send requests get a server error. */
  failNext(count?: number, status?: number): void
  /** The next `count` send requests are handled and answered only after `ms`. */
  delayNext(count: number, ms: number): void
  /** The next `count` send requests have their connection closed without an answer. */
  dropNext(count?: number): void
  /** The next `count` send requests are handled (the message goes out), then their connection is closed. */
  dropAfterNext(count?: number): void
  /** The next `count` send requests are handled, then answered 200 with a proxy's HTML page. */
  garbleNext(count?: number): void
  /** The next `count` send requests are answered normally (to place a fault later in a sequence). */
  passNext(count?: number): void
  close(): Promise<void>
}

export type Handler = (req: RecordedRequest) => FakeReply | Promise<FakeReply>

export interface FakeHttpOptions {
  /** Which requests scripted faults apply to (the provider's "send"); all by default. */
  isSend?: (req: RecordedRequest) => boolean
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      return raw
    }
  }
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw))
  }
  return raw
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function write(res: http.ServerResponse, reply: FakeReply): void {
  const headers: Record<string, string> = { ...reply.headers }
  let payload = ''
  if (typeof reply.body === 'string') {
    payload = reply.body
    headers['content-type'] ??= 'text/plain; charset=utf-8'
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body)
    headers['content-type'] ??= 'application/json; charset=utf-8'
  }
  res.writeHead(reply.status, headers)
  res.end(payload)
}

/** Starts a fake on 127.0.0.1 with a free port. */
export async function startFakeHttp(
  handler: Handler,
  format: FaultFormat,
  options: FakeHttpOptions = {},
): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = []
  const faults: Fault[] = []
  const timers = new Set<NodeJS.Timeout>()
  const isSend = options.isSend ?? (() => true)

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const rawBytes = await readAll(req)
      const rawBody = rawBytes.toString('utf8')
      const contentType = req.headers['content-type']
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        rawBody,
        rawBytes,
        body: contentType?.includes('multipart/form-data')
          ? await parseMultipart(rawBytes, contentType)
          : parseBody(rawBody, contentType),
      }
      requests.push(recorded)
      const fault = isSend(recorded) ? faults.shift() : undefined
      if (fault?.type === 'delay') await wait(fault.ms)
      if (fault?.type === 'drop') {
        req.socket.destroy()
        return
      }
      if (fault?.type === 'rate') return write(res, format.rateLimited(fault.seconds))
      if (fault?.type === 'error') return write(res, format.serverError(fault.status))
      // Like a real provider, the work is done even when the client gave up waiting.
      const reply = await handler(recorded)
      if (fault?.type === 'drop-after') {
        req.socket.destroy()
        return
      }
      if (fault?.type === 'garble') {
        return write(res, {
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: '<html><body>502 Proxy Error</body></html>',
        })
      }
      if (!res.destroyed) write(res, reply)
    })().catch((err: unknown) => {
      if (!res.headersSent) write(res, { status: 500, body: `fake error: ${String(err)}` })
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const queue = (count: number, fault: Fault) => {
    for (let i = 0; i < count; i++) faults.push(fault)
  }

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rateLimitNext: (count = 1, retryAfterSeconds = 7) =>
      queue(count, { type: 'rate', seconds: retryAfterSeconds }),
    failNext: (count = 1, status = 503) => queue(count, { type: 'error', status }),
    delayNext: (count, ms) => queue(count, { type: 'delay', ms }),
    dropNext: (count = 1) => queue(count, { type: 'drop' }),
    dropAfterNext: (count = 1) => queue(count, { type: 'drop-after' }),
    garbleNext: (count = 1) => queue(count, { type: 'garble' }),
    passNext: (count = 1) => queue(count, { type: 'pass' }),
    async close() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Basic auth credentials of a request, if any. */
export function basicAuth(req: RecordedRequest): { user: string; password: string } | undefined {
  const m = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')
  if (!m?.[1]) return undefined
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  return i < 0 ? undefined : { user: decoded.slice(0, i), password: decoded.slice(i + 1) }
}

/** Bearer token of a request, if any. */
export function bearer(req: RecordedRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
}
