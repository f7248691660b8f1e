import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * A loopback HTTP server that behaves like a feed publisher: it serves the public samples in
 * shared/specs (and documents set by the test) with ETag / Last-Modified and honest 304s, and
 * misbehaves on purpose on the /broken/* routes:
 *
 *   /specs/<path>                 a sample file (cap/…, meteoalarm/…), conditional requests honoured
 *   /gzip/specs/<path>            the same, gzip-encoded
 *   /doc/<name>                   a document set with setDocument() (changes ETag when changed)
 *   /broken/truncated             weather.cap cut in the middle
 *   /broken/wrong-encoding        ISO-8859-1 bytes whose XML declaration says UTF-8
 *   /broken/huge                  50 MB of valid-looking Atom, generated while streaming
 *   /broken/huge-declared         the same with Content-Length: 50 MB
 *   /broken/redirect-loop         /broken/redirect-loop → /broken/redirect-loop-b → back
 *   /broken/redirects/<n>         n redirects, then thunderstorm.cap
 *   /broken/hang                  accepts the request and never answers (closed by close())
 *   /broken/500                   500 Internal Server Error
 *   /broken/429                   429 Too Many Requests, Retry-After: 120
 *   /broken/slow                  a valid CAP trickled one byte every 50 ms
 *   /broken/html                  200 text/html: a login page instead of the feed
 *   /broken/connection-drop       headers, half a document, then the socket is destroyed
 */

export const SPECS_DIR = path.resolve(__dirname, '../../../shared/specs')

export interface LoggedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  status: number
  /** Body bytes written so far (tracked for the streamed /broken/huge routes). */
  bytesWritten?: number
}

interface Document {
  body: Buffer
  contentType: string
  etag: string
  lastModified: string
}

export interface FeedServer {
  baseUrl: string
  /** Absolute URL of a path on this server. */
  url(pathname: string): string
  /** Every request received, in order, with the status sent. */
  requests: LoggedRequest[]
  /** Requests received for one path. */
  requestsTo(pathname: string): LoggedRequest[]
  /** Serves `body` at /doc/<name>; calling again with other content changes ETag and Last-Modified. */
  setDocument(name: string, body: string | Buffer, contentType?: string): void
  /** Closes the server and every open connection (hanging and trickling ones too). */
  close(): Promise<void>
}

const CONTENT_TYPES: Record<string, string> = {
  '.cap': 'application/cap+xml',
  '.atom': 'application/atom+xml',
  '.xml': 'application/xml',
  '.json': 'application/json',
}

const HUGE_BYTES = 50 * 1024 * 1024
// A fixed date: samples do not change while a test runs.
const SPECS_LAST_MODIFIED = new Date('2024-01-01T00:00:00Z').toUTCString()

function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`
}

function readSpec(relative: string): Buffer | null {
  const file = path.resolve(SPECS_DIR, relative)
  if (!file.startsWith(SPECS_DIR + path.sep)) return null
  try {
    return readFileSync(file)
  } catch {
    return null
  }
}

/** RFC 9110: If-None-Match wins; If-Modified-Since only counts without it. */
function notModified(req: http.IncomingMessage, doc: Document): boolean {
  const inm = req.headers['if-none-match']
  if (inm !== undefined)
    return inm.split(',').some((t) => t.trim() === doc.etag || t.trim() === '*')
  const ims = req.headers['if-modified-since']
  if (ims === undefined) return false
  const since = Date.parse(ims)
  return !Number.isNaN(since) && Date.parse(doc.lastModified) <= since
}

function sendDocument(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  doc: Document,
  gzip = false,
): void {
  res.setHeader('ETag', doc.etag)
  res.setHeader('Last-Modified', doc.lastModified)
  if (notModified(req, doc)) {
    res.writeHead(304).end()
    return
  }
  const body = gzip ? gzipSync(doc.body) : doc.body
  res.writeHead(200, {
    'Content-Type': doc.contentType,
    'Content-Length': String(body.length),
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  })
  res.end(body)
}

function specDocument(relative: string): Document | null {
  const body = readSpec(relative)
  if (body === null) return null
  return {
    body,
    contentType: CONTENT_TYPES[path.extname(relative)] ?? 'application/octet-stream',
    etag: etagOf(body),
    lastModified: SPECS_LAST_MODIFIED,
  }
}

/** Streams ~50 MB of Atom entries, writing only as fast as the client reads. */
function streamHuge(res: http.ServerResponse, declareLength: boolean, log: LoggedRequest): void {
  res.writeHead(200, {
    'Content-Type': 'application/atom+xml',
    ...(declareLength ? { 'Content-Length': String(HUGE_BYTES) } : {}),
  })
  const entry = Buffer.from(
    `<entry><id>urn:x:${'0'.repeat(40)}</id><title>${'x'.repeat(400)}</title></entry>\n`,
  )
  let sent = 0
  const pump = (): void => {
    while (sent < HUGE_BYTES && !res.destroyed) {
      sent += entry.length
      log.bytesWritten = sent
      if (!res.write(entry)) {
        res.once('drain', pump)
        return
      }
    }
    if (!res.destroyed) res.end()
  }
  res.write('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">\n')
  pump()
}

/** Starts the fake publisher on 127.0.0.1 with a free port. */
export async function startFeedServer(): Promise<FeedServer> {
  const documents = new Map<string, Document>()
  const requests: LoggedRequest[] = []
  const timers = new Set<ReturnType<typeof setInterval>>()

  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    const log: LoggedRequest = {
      method: req.method ?? 'GET',
      path: pathname,
      headers: req.headers,
      status: 0,
    }
    requests.push(log)
    const origWriteHead = res.writeHead.bind(res)
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      log.status = status
      return (origWriteHead as (s: number, ...r: unknown[]) => http.ServerResponse)(status, ...rest)
    }) as typeof res.writeHead

    if (pathname.startsWith('/specs/') || pathname.startsWith('/gzip/specs/')) {
      const gzip = pathname.startsWith('/gzip/')
      const doc = specDocument(pathname.replace(/^(\/gzip)?\/specs\//, ''))
      if (doc === null) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      else sendDocument(req, res, doc, gzip)
      return
    }
    if (pathname.startsWith('/doc/')) {
      const doc = documents.get(pathname.slice('/doc/'.length))
      if (doc === undefined) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
      else sendDocument(req, res, doc)
      return
    }
    const redirects = /^\/broken\/redirects\/(\d+)$/.exec(pathname)
    if (redirects) {
      const left = Number(redirects[1])
      const location = left > 0 ? `/broken/redirects/${left - 1}` : null
      if (location) res.writeHead(302, { Location: location }).end()
      else sendDocument(req, res, specDocument('cap/thunderstorm.cap') as Document)
      return
    }
    switch (pathname) {
      case '/broken/truncated': {
        const body = readSpec('cap/weather.cap') as Buffer
        res
          .writeHead(200, { 'Content-Type': 'application/cap+xml' })
          .end(body.subarray(0, Math.floor(body.length * 0.6)))
        return
      }
      case '/broken/wrong-encoding': {
        const body = Buffer.from(
          (readSpec('cap/earthquake-iso8859-1.cap') as Buffer)
            .toString('latin1')
            .replace('ISO-8859-1', 'UTF-8'),
          'latin1',
        )
        res.writeHead(200, { 'Content-Type': 'application/cap+xml' }).end(body)
        return
      }
      case '/broken/huge':
      case '/broken/huge-declared':
        streamHuge(res, pathname === '/broken/huge-declared', log)
        return
      case '/broken/redirect-loop':
        res.writeHead(302, { Location: '/broken/redirect-loop-b' }).end()
        return
      case '/broken/redirect-loop-b':
        res.writeHead(301, { Location: '/broken/redirect-loop' }).end()
        return
      case '/broken/hang':
        return // never answers; close() destroys the socket
      case '/broken/500':
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error')
        return
      case '/broken/429':
        res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '120' }).end('slow down')
        return
      case '/broken/html':
        res
          .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
          .end(
            '<!DOCTYPE html><html><head><title>Accesso</title></head><body><form>login</form></body></html>',
          )
        return
      case '/broken/connection-drop': {
        const body = readSpec('cap/weather.cap') as Buffer
        res.writeHead(200, {
          'Content-Type': 'application/cap+xml',
          'Content-Length': String(body.length),
        })
        res.write(body.subarray(0, 300), () => res.destroy())
        return
      }
      case '/broken/slow': {
        const body = readSpec('cap/thunderstorm.cap') as Buffer
        res.writeHead(200, { 'Content-Type': 'application/cap+xml' })
        let i = 0
        const timer = setInterval(() => {
          if (res.destroyed || i >= body.length) {
            clearInterval(timer)
            timers.delete(timer)
            if (!res.destroyed) res.end()
            return
          }
          res.write(body.subarray(i, i + 1))
          i++
        }, 50)
        timers.add(timer)
        return
      }
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    }
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`

  return {
    baseUrl,
    url: (pathname) => `${baseUrl}${pathname}`,
    requests,
    requestsTo: (pathname) => requests.filter((r) => r.path === pathname),
    setDocument(name, body, contentType = 'application/xml') {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
      const previous = documents.get(name)
      const etag = etagOf(bytes)
      if (previous?.etag === etag) return
      // Last-Modified has 1 s resolution: move it forward so If-Modified-Since sees the change.
      const last = previous ? Date.parse(previous.lastModified) + 1000 : Date.now()
      documents.set(name, {
        body: bytes,
        contentType,
        etag,
        lastModified: new Date(Math.max(last, Date.now())).toUTCString(),
      })
    },
    async close() {
      for (const timer of timers) clearInterval(timer)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
