import fs from 'node:fs'
import http from 'node:http'
import type { LookupAddress } from 'node:dns'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRelayWatch } from '../../../src/main/core/alerts/relay-watch'
import type { Alert } from '../../../src/shared/alerts/types'
import type { Partner } from '../../../src/shared/contacts'
import { createTelegramAdapter } from '../../../src/main/core/channels/adapters/telegram'
import { httpRequest } from '../../../src/main/core/channels/adapters/http'
import { InboundError } from '../../../src/main/core/citizens/inbound/errors'
import { inboundHttp } from '../../../src/main/core/citizens/inbound/http-get'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { fetchFeed, type FetchFeedOptions } from '../../../src/main/core/feeds/http/fetch-feed'
import { createFeedPoller } from '../../../src/main/core/feeds/poller'
import { createFeedsRepository } from '../../../src/main/core/feeds/repository'
import {
  INTERNAL_NETWORK_ENV,
  isInternalAddress,
  MIB,
  type Resolver,
} from '../../../src/main/core/net/outbound'
import { toPerson } from '../adapters/http-helpers'

const CAP = fs.readFileSync(
  path.resolve(__dirname, '../../../../shared/specs/cap/weather.cap'),
  'utf8',
)

interface Peer {
  url: string
  port: number
  /** Requests received, by path. */
  hits: string[]
  /** Body bytes written by the streaming route before the client hung up. */
  streamed: { written: number; finished: boolean }
  close(): Promise<void>
}

const peers: Peer[] = []

/**
 * A loopback publisher: `/feed` is a CAP message, `/to?u=…` redirects there, `/huge` streams
 * 6 MiB in 64 KiB chunks (no Content-Length) and counts what it wrote until the client left.
 */
async function startPeer(host = '127.0.0.1'): Promise<Peer> {
  const hits: string[] = []
  const streamed = { written: 0, finished: false }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    hits.push(url.pathname)
    if (url.pathname === '/feed') {
      res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(CAP)
    } else if (url.pathname === '/to') {
      res.writeHead(302, { location: url.searchParams.get('u') ?? '/' }).end()
    } else if (url.pathname === '/huge' || url.pathname.endsWith('/sendMessage')) {
      const total = url.pathname === '/huge' ? 6 * MIB : 2 * MIB
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      res.writeHead(200, { 'content-type': 'application/json' })
      // Paced, so what the client stops early is visible on this side of the socket.
      const pump = (): void => {
        if (res.destroyed) return
        if (streamed.written >= total) {
          streamed.finished = true
          res.end()
          return
        }
        streamed.written += chunk.length
        res.write(chunk)
        setTimeout(pump, 2)
      }
      pump()
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const port = (server.address() as AddressInfo).port
  const peer: Peer = {
    url: `http://${host}:${port}`,
    port,
    hits,
    streamed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  peers.push(peer)
  return peer
}

/** A resolver answering from a table, never from the real DNS. */
function resolverOf(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = []
  const resolve = ((hostname, _options, callback) => {
    asked.push(hostname)
    const addresses: LookupAddress[] = (table[hostname] ?? []).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }))
    queueMicrotask(() => callback(null, addresses))
  }) as Resolver & { asked: string[] }
  resolve.asked = asked
  return resolve
}

async function feedError(url: string, options: FetchFeedOptions): Promise<FeedError> {
  try {
    await fetchFeed(url, { timeoutMs: 2_000, ...options })
  } catch (err) {
    if (err instanceof FeedError) return err
    throw err
  }
  throw new Error('expected a FeedError')
}

beforeEach(() => {
  // The test runner treats every destination as «rete interna»: here the rule is on.
  vi.stubEnv(INTERNAL_NETWORK_ENV, '')
})

afterEach(async () => {
  vi.unstubAllEnvs()
  for (const peer of peers.splice(0)) await peer.close()
})

describe('feeds reach only public addresses unless marked «rete interna»', () => {
  it.each([
    ['private 10/8', '10.0.0.1'],
    ['link-local, the cloud metadata service', '169.254.169.254'],
    ['IPv6 loopback', '::1'],
    ['private 192.168/16', '192.168.1.1'],
    ['CGNAT 100.64/10', '100.64.0.1'],
    ['private 172.16/12', '172.20.3.4'],
    ['IPv4 loopback', '127.0.0.1'],
    ['unspecified', '0.0.0.0'],
    ['IPv6 unique local', 'fd12:3456::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ])('refuses a name resolving to %s (%s) without connecting', async (_label, address) => {
    const resolve = resolverOf({ 'bollettini.example.it': [address] })
    const err = await feedError('http://bollettini.example.it/feed.xml', { resolve })
    expect(resolve.asked).toEqual(['bollettini.example.it'])
    expect(err.code).toBe('internal_address')
    expect(err.message).toContain(address)
    expect(err.message).toContain('rete interna')
  })

  it('refuses a name when any of its addresses is internal', async () => {
    const resolve = resolverOf({ 'misto.example.it': ['93.184.216.34', '10.1.2.3'] })
    const err = await feedError('http://misto.example.it/feed.xml', { resolve })
    expect(err.code).toBe('internal_address')
    expect(err.message).toContain('10.1.2.3')
  })

  it('refuses literal internal addresses in the URL, however they are written', async () => {
    const resolve = resolverOf({})
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/feed',
      'http://0x7f.1/feed',
      'http://2130706433/feed',
      'http://[::ffff:10.0.0.1]/feed',
    ]) {
      const err = await feedError(url, { resolve })
      expect(err.code, url).toBe('internal_address')
    }
    expect(resolve.asked).toEqual([])
  })

  it('refuses a redirect from a public server into an internal one, and never connects to it', async () => {
    const publicPeer = await startPeer('127.0.0.1')
    const intranet = await startPeer('127.0.0.2')
    const resolve = resolverOf({
      'feed.example.it': ['127.0.0.1'],
      'intranet.example.it': ['127.0.0.2'],
    })
    // This test's publisher at 127.0.0.1 stands for a public server; 127.0.0.2 stays internal.
    const isInternal = (a: string) => a !== '127.0.0.1' && isInternalAddress(a)
    const start = `http://feed.example.it:${publicPeer.port}/to?u=${encodeURIComponent(
      `http://intranet.example.it:${intranet.port}/feed`,
    )}`

    const err = await feedError(start, { resolve, isInternal })
    expect(err.code).toBe('internal_address')
    expect(err.message).toContain('intranet.example.it (127.0.0.2)')
    expect(publicPeer.hits).toEqual(['/to'])
    expect(intranet.hits).toEqual([])

    // A redirect to the metadata service, named or literal, is refused the same way.
    for (const target of [
      'http://metadata.example.it/latest/meta-data/',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const viaMetadata = `http://feed.example.it:${publicPeer.port}/to?u=${encodeURIComponent(target)}`
      const refused = await feedError(viaMetadata, {
        resolve: resolverOf({
          'feed.example.it': ['127.0.0.1'],
          'metadata.example.it': ['169.254.169.254'],
        }),
        isInternal,
      })
      expect(refused.code, target).toBe('internal_address')
    }

    // Marked «rete interna», the same chain is followed to the end.
    const res = await fetchFeed(start, { resolve, isInternal, internalNetwork: true })
    expect(res.status).toBe('ok')
    expect(intranet.hits).toEqual(['/feed'])
  })

  it('cuts an oversized feed at 5 MiB without reading the rest', async () => {
    const peer = await startPeer()
    const err = await feedError(`${peer.url}/huge`, { internalNetwork: true, timeoutMs: 20_000 })
    expect(err.code).toBe('too_large')
    expect(err.message).toBe('risposta troppo grande (oltre 5 MiB): la fonte è stata ignorata')
    await vi.waitFor(() => expect(peer.hits).toEqual(['/huge']))
    // The connection was dropped while the server still had most of its last MiB to send.
    expect(peer.streamed.finished).toBe(false)
    expect(peer.streamed.written).toBeLessThan(5.75 * MIB)
  })
})

describe('partners’ pages', () => {
  it('are never read from an internal address: the watch reports why', async () => {
    const peer = await startPeer()
    const errors: string[] = []
    const watch = createRelayWatch({
      alerts: () =>
        [
          {
            id: 1,
            headline: 'Allerta arancione per neve',
            status: 'done',
            confirmedAt: new Date().toISOString(),
          },
        ] as Alert[],
      relays: () => [
        {
          alertId: 1,
          partnerId: 7,
          status: 'requested',
          requestedAt: new Date().toISOString(),
          confirmedAt: null,
          seenAt: null,
          note: null,
        },
      ],
      partner: () =>
        ({
          id: 7,
          name: 'Istituto Checchi',
          pages: [{ id: 1, kind: 'website', url: `${peer.url}/feed`, channelAccountId: null }],
        }) as unknown as Partner,
      markSeen: () => undefined,
      onError: (err) => errors.push(String((err as Error).message)),
    })
    expect(await watch.check()).toBe(0)
    expect(peer.hits).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('127.0.0.1 è in rete interna')
  })
})

describe('the «rete interna» mark of a stored source', () => {
  let dir: string
  let db: Db

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-outbound-'))
    db = openDatabase(path.join(dir, 'workspace.sqlite'))
  })

  afterEach(() => {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('is off by default, refuses a loopback feed with a reason, and lets it through once set', async () => {
    const peer = await startPeer()
    const repo = createFeedsRepository(db)
    const source = repo.createSource({
      name: 'Centro funzionale',
      kind: 'cap',
      url: `${peer.url}/feed`,
    })
    expect(source.internalNetwork).toBe(false)
    const poller = createFeedPoller({ repo, timeoutMs: 2_000, random: () => 0.5 })

    const refused = await poller.pollOnce(source.id)
    expect(refused.outcome).toBe('error')
    expect(peer.hits).toEqual([])
    const stored = repo.getSource(source.id)
    expect(stored?.lastErrorCode).toBe('internal_address')
    expect(stored?.lastError).toContain('127.0.0.1')

    const marked = repo.updateSource(source.id, {
      name: source.name,
      kind: 'cap',
      url: source.url,
      internalNetwork: true,
    })
    expect(marked.internalNetwork).toBe(true)
    const read = await poller.pollOnce(source.id)
    expect(read.outcome).toBe('ok')
    expect(read.inserted).toBe(1)
    expect(peer.hits).toEqual(['/feed'])
    await poller.stop()
  })
})

describe('provider APIs: loopback allowed, answers capped at 1 MiB', () => {
  it('reads a provider on 127.0.0.1 (ICT configures its base URL) but cuts a 2 MiB answer', async () => {
    const peer = await startPeer()
    const ok = await httpRequest(`${peer.url}/feed`, { method: 'GET' }, { fetch, timeoutMs: 2_000 })
    expect(ok.type).toBe('response')

    const big = await httpRequest(
      `${peer.url}/bot1/sendMessage`,
      { method: 'POST', body: '{}' },
      { fetch, timeoutMs: 20_000 },
    )
    expect(big).toMatchObject({ type: 'too_large', status: 200, limit: MIB, mayHaveSent: true })
    expect(peer.streamed.finished).toBe(false)
    // A larger cap, when the caller sets one, reads the same answer whole.
    const other = await startPeer()
    const whole = await httpRequest(
      `${other.url}/bot1/sendMessage`,
      { method: 'POST', body: '{}' },
      { fetch, timeoutMs: 20_000, maxBytes: 3 * MIB },
    )
    expect(whole.type === 'response' && whole.text.length).toBe(2 * MIB)
  })

  it('counts an oversized answer to a send as maybe sent, never as not sent', async () => {
    const peer = await startPeer()
    const adapter = createTelegramAdapter(
      {
        accountId: 3,
        name: 'Canale Telegram',
        // sendMessage answers 200 and 2 MiB of body.
        settings: { baseUrl: peer.url, chatId: '@pc_empolese' },
        secrets: { botToken: '123456:segreto-del-bot' },
      },
      { timeoutMs: 20_000 },
    )
    const outcome = await adapter.send(toPerson('987654321', 'Allerta neve'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'uncertain', code: 'too_large' })
    if (outcome.status !== 'failed') throw new Error('expected a failure')
    expect(outcome.reason).toContain('troppo grande (oltre 1 MiB)')
    expect(outcome.reason).toContain('potrebbe essere stato accettato')
    expect(outcome.reason).not.toContain('segreto-del-bot')
    expect(peer.hits.length).toBe(1)
  })

  it('fails an inbound poll whose page is over its cap with a reason, not a crash', async () => {
    const peer = await startPeer()
    const client = inboundHttp(
      { secretsFor: () => ({}), maxBytes: 256 * 1024, timeoutMs: 20_000 },
      { name: 'Mastodon', retryAfterMs: () => undefined, text: () => undefined },
      [],
    )
    const err = await client.get(`${peer.url}/bot1/sendMessage`, {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InboundError)
    expect(err).toMatchObject({ code: 'bad_response' })
    expect((err as Error).message).toBe(
      'Mastodon: risposta troppo grande (oltre 256 KiB, HTTP 200): lettura interrotta',
    )
    expect(peer.streamed.finished).toBe(false)
  })
})
