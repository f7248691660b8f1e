import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type {
  AlertDocument,
  ChannelAdapter,
  OutgoingMessage,
} from '../../../src/main/core/channels/adapter'
import { createWebsiteAdapter } from '../../../src/main/core/channels/adapters/website'

/** A loopback web server that accepts PUT like a WebDAV folder, with switchable answers. */
interface Received {
  method: string
  url: string
  authorization?: string
  contentType?: string
  body: string
}

let dir: string
let server: http.Server
let baseUrl: string
let received: Received[]
let answer: (req: Received) => { status: number; headers?: Record<string, string> }

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-put-'))
  received = []
  answer = () => ({ status: 201 })
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      }
      received.push(entry)
      const { status, headers } = answer(entry)
      res.writeHead(status, headers)
      res.end(status >= 400 ? 'errore' : '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterEach(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  fs.rmSync(dir, { recursive: true, force: true })
})

function adapter(putUrl: string, putToken?: string): ChannelAdapter {
  return createWebsiteAdapter({
    accountId: 9,
    name: 'PC Empolese',
    settings: {
      outputDir: path.join(dir, 'www'),
      publicBaseUrl: 'https://allerte.example.it/cap',
      putUrl,
      senderId: 'pc@empolese.example.it',
    },
    secrets: putToken ? { putToken } : {},
    now: () => Date.parse('2025-01-10T08:00:00Z'),
  })
}

const doc: AlertDocument = {
  identifier: 'urn:oid:2.49.0.1.380.2025.7',
  sent: '2025-01-10T08:00:00Z',
  status: 'Actual',
  msgType: 'Alert',
  references: [],
  event: 'Vento forte',
  level: 'rosso',
  headline: 'Allerta rossa per vento',
  description: 'Raffiche oltre 100 km/h.',
  instruction: 'Restare in casa.',
  onset: '2025-01-10T12:00:00Z',
  expires: '2025-01-11T12:00:00Z',
  areas: [{ name: 'Montespertoli', geocode: { valueName: 'ISTAT', value: '048030' } }],
}

const message: OutgoingMessage = {
  idempotencyKey: 'w1',
  destination: { type: 'page' },
  text: '',
  alert: doc,
}

describe('website adapter: upload with PUT', () => {
  it('PUTs the CAP file, then the feed, with the Bearer token', async () => {
    const outcome = await adapter(`${baseUrl}/dav/allerte/`, 'tok-123').send(message)
    expect(outcome).toMatchObject({ status: 'sent' })
    expect(received.map((r) => [r.method, r.url])).toEqual([
      ['PUT', '/dav/allerte/urn_oid_2.49.0.1.380.2025.7.xml'],
      ['PUT', '/dav/allerte/feed.xml'],
    ])
    expect(received.every((r) => r.authorization === 'Bearer tok-123')).toBe(true)
    expect(received[0]?.contentType).toContain('application/xml')
    expect(received[1]?.contentType).toContain('application/atom+xml')
    const local = fs.readFileSync(path.join(dir, 'www', 'urn_oid_2.49.0.1.380.2025.7.xml'), 'utf8')
    expect(received[0]?.body).toBe(local)
    expect(received[0]?.body).toContain('<identifier>urn:oid:2.49.0.1.380.2025.7</identifier>')
  })

  it('sends no Authorization header without a token', async () => {
    await adapter(`${baseUrl}/dav`).send(message)
    expect(received).toHaveLength(2)
    expect(received.every((r) => r.authorization === undefined)).toBe(true)
  })

  it('reports a refused token as permanent auth and does not upload the feed', async () => {
    answer = () => ({ status: 401 })
    const outcome = await adapter(`${baseUrl}/dav`, 'scaduto').send(message)
    expect(outcome).toMatchObject({ status: 'failed', retry: 'permanent', code: 'auth' })
    if (outcome.status === 'failed') expect(outcome.reason).not.toContain('scaduto')
    expect(received).toHaveLength(1)
  })

  it('reports 503 as transient and honours Retry-After in seconds', async () => {
    answer = () => ({ status: 503, headers: { 'retry-after': '7' } })
    expect(await adapter(`${baseUrl}/dav`).send(message)).toMatchObject({
      status: 'failed',
      retry: 'transient',
      code: 'server_error',
      retryAfterMs: 7000,
    })
  })

  it('reports 429 with an HTTP-date Retry-After as rate limited', async () => {
    answer = () => ({ status: 429, headers: { 'retry-after': 'Fri, 10 Jan 2025 08:00:30 GMT' } })
    expect(await adapter(`${baseUrl}/dav`).send(message)).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 30_000,
    })
  })

  it('reports other 4xx answers as permanent', async () => {
    answer = (r) => ({ status: r.url.endsWith('feed.xml') ? 409 : 201 })
    expect(await adapter(`${baseUrl}/dav`).send(message)).toMatchObject({
      retry: 'permanent',
      code: 'rejected',
    })
  })

  it('reports an unreachable web server as transient, keeping the local files', async () => {
    const deadPort = await new Promise<number>((resolve) => {
      const probe = http.createServer()
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const outcome = await adapter(`http://127.0.0.1:${deadPort}/dav`).send(message)
    expect(outcome).toMatchObject({ status: 'failed', retry: 'transient', code: 'network' })
    expect(fs.existsSync(path.join(dir, 'www', 'feed.xml'))).toBe(true)
    expect((await adapter(`http://127.0.0.1:${deadPort}/dav`).testConnection()).ok).toBe(false)
  })

  it('testConnection checks the token with HEAD', async () => {
    answer = (r) => ({ status: r.authorization === 'Bearer buono' ? 200 : 403 })
    expect((await adapter(`${baseUrl}/dav`, 'buono').testConnection()).ok).toBe(true)
    const refused = await adapter(`${baseUrl}/dav`, 'cattivo').testConnection()
    expect(refused.ok).toBe(false)
    expect(refused.message).toContain('token')
    expect(received.map((r) => r.method)).toEqual(['HEAD', 'HEAD'])
  })
})
