import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { fetchFeed, type FetchFeedOptions } from '../../../src/main/core/feeds/http/fetch-feed'
import { SPECS_DIR, startFeedServer, type FeedServer } from '../../fakes/feed-server'

let server: FeedServer

beforeAll(async () => {
  server = await startFeedServer()
})

afterAll(async () => {
  await server.close()
})

async function fetchError(url: string, options: FetchFeedOptions = {}): Promise<FeedError> {
  try {
    await fetchFeed(url, options)
  } catch (err) {
    if (err instanceof FeedError) return err
    throw err
  }
  throw new Error('expected a FeedError')
}

describe('fetchFeed', () => {
  it('downloads a feed with its validators and content type', async () => {
    const res = await fetchFeed(server.url('/specs/cap/weather.cap'))
    if (res.status !== 'ok') throw new Error('expected a body')
    expect(
      Buffer.from(res.body).equals(readFileSync(path.join(SPECS_DIR, 'cap/weather.cap'))),
    ).toBe(true)
    expect(res.mediaType).toBe('application/cap+xml')
    expect(res.etag).toMatch(/^"[0-9a-f]+"$/)
    expect(res.lastModified).toBe('Mon, 01 Jan 2024 00:00:00 GMT')
  })

  it('sends If-None-Match / If-Modified-Since and reports 304 as not modified', async () => {
    const first = await fetchFeed(server.url('/specs/cap/australia.cap'))
    if (first.status !== 'ok') throw new Error('expected a body')
    const byEtag = await fetchFeed(server.url('/specs/cap/australia.cap'), { etag: first.etag })
    const byDate = await fetchFeed(server.url('/specs/cap/australia.cap'), {
      lastModified: first.lastModified,
    })
    expect(byEtag.status).toBe('not_modified')
    expect(byDate.status).toBe('not_modified')
    const log = server.requestsTo('/specs/cap/australia.cap')
    expect(log.map((r) => r.status)).toEqual([200, 304, 304])
    expect(log[1]?.headers['if-none-match']).toBe(first.etag)
    expect(log[2]?.headers['if-modified-since']).toBe(first.lastModified)
  })

  it('decompresses gzip', async () => {
    const res = await fetchFeed(server.url('/gzip/specs/cap/canada.cap'))
    if (res.status !== 'ok') throw new Error('expected a body')
    expect(Buffer.from(res.body).equals(readFileSync(path.join(SPECS_DIR, 'cap/canada.cap')))).toBe(
      true,
    )
    expect(
      server.requestsTo('/gzip/specs/cap/canada.cap')[0]?.headers['accept-encoding'],
    ).toContain('gzip')
  })

  it('follows a few redirects and reports the final URL', async () => {
    const res = await fetchFeed(server.url('/broken/redirects/3'))
    expect(res.status).toBe('ok')
    expect(res.url).toBe(server.url('/broken/redirects/0'))
  })

  it('stops on too many redirects and on a redirect loop', async () => {
    const tooMany = await fetchError(server.url('/broken/redirects/8'), { maxRedirects: 5 })
    expect(tooMany.code).toBe('too_many_redirects')
    const loop = await fetchError(server.url('/broken/redirect-loop'))
    expect(loop.code).toBe('redirect_loop')
    expect(loop.message).toContain('/broken/redirect-loop')
  })

  it('cuts a 50 MB body at the cap instead of buffering it', async () => {
    const err = await fetchError(server.url('/broken/huge'))
    expect(err.code).toBe('too_large')
    expect(err.message).toContain('oltre 5 MiB')
    // The server was stopped well before writing its 50 MB.
    const written = server.requestsTo('/broken/huge')[0]?.bytesWritten ?? 0
    expect(written).toBeLessThan(25 * 1024 * 1024)
  })

  it('refuses a body whose declared length is over the cap without reading it', async () => {
    const err = await fetchError(server.url('/broken/huge-declared'), { maxBytes: 1024 * 1024 })
    expect(err.code).toBe('too_large')
    expect(err.message).toContain('50 MiB dichiarati')
  })

  it('gives up on a server that never answers, and on one that trickles', async () => {
    const hang = await fetchError(server.url('/broken/hang'), { timeoutMs: 300 })
    expect(hang.code).toBe('timeout')
    expect(hang.message).toContain('0.3 s')
    const slow = await fetchError(server.url('/broken/slow'), { timeoutMs: 300 })
    expect(slow.code).toBe('timeout')
  })

  it('classifies HTTP errors, keeping Retry-After', async () => {
    const e500 = await fetchError(server.url('/broken/500'))
    expect(e500.code).toBe('http')
    expect(e500.extra.status).toBe(500)
    expect(e500.message).toContain('HTTP 500')
    const e429 = await fetchError(server.url('/broken/429'))
    expect(e429.code).toBe('rate_limited')
    expect(e429.extra.retryAfterMs).toBe(120_000)
    const e404 = await fetchError(server.url('/nowhere'))
    expect(e404.extra.status).toBe(404)
  })

  it('reports a dropped connection and a refused one as network errors', async () => {
    const dropped = await fetchError(server.url('/broken/connection-drop'))
    expect(dropped.code).toBe('network')
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const refused = await fetchError(`http://127.0.0.1:${port}/feed`)
    expect(refused.code).toBe('network')
    expect(refused.message).toContain('ECONNREFUSED')
  })

  it('refuses non-HTTP URLs and honours cancellation', async () => {
    expect((await fetchError('file:///etc/passwd')).code).toBe('bad_url')
    expect((await fetchError('not a url')).code).toBe('bad_url')
    const controller = new AbortController()
    const pending = fetchError(server.url('/broken/hang'), { signal: controller.signal })
    controller.abort()
    expect((await pending).code).toBe('aborted')
  })
})
