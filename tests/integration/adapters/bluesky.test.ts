import { describe, expect, it, vi } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createBlueskyAdapter } from '../../../src/main/core/channels/adapters/bluesky'
import {
  linkFacets,
  recordKeyFor,
  TID_RE,
} from '../../../src/main/core/channels/adapters/bluesky-record'
import { startFakeBluesky, type FakeBlueskyOptions } from '../../fakes/bluesky-fake'
import { expectFailure, expectNoSecrets, toPage, track } from './http-helpers'

const NOW = Date.parse('2026-01-23T10:00:00Z')
const clock = () => NOW

async function setup(fakeOptions: FakeBlueskyOptions = {}, password?: string, timeoutMs = 2_000) {
  const fake = track(await startFakeBluesky({ now: clock, ...fakeOptions }))
  const config: AdapterConfig = {
    accountId: 7,
    name: 'Bluesky',
    settings: { baseUrl: fake.url, handle: `@${fake.handle}` },
    secrets: { appPassword: password ?? fake.appPassword },
    now: clock,
  }
  return { fake, adapter: createBlueskyAdapter(config, { timeoutMs }) }
}

const creates = (fake: { requests: { path: string }[] }) =>
  fake.requests.filter((r) => r.path === '/xrpc/com.atproto.repo.createRecord')

describe('Bluesky record helpers', () => {
  it('derives a valid, stable record key per outbox row', () => {
    const a = recordKeyFor('row-1')
    expect(a).toMatch(TID_RE)
    expect(recordKeyFor('row-1')).toBe(a)
    expect(recordKeyFor('row-2')).not.toBe(a)
    for (let i = 0; i < 200; i++) expect(recordKeyFor(`k${i}`)).toMatch(TID_RE)
  })

  it('marks links with UTF-8 byte offsets, leaving out trailing punctuation', () => {
    const text = '⚠️ Allerta: https://www.protezionecivile.it/allerta.'
    const [facet] = linkFacets(text)
    const bytes = Buffer.from(text)
    expect(facet?.features[0]?.uri).toBe('https://www.protezionecivile.it/allerta')
    expect(bytes.subarray(facet?.index.byteStart, facet?.index.byteEnd).toString()).toBe(
      'https://www.protezionecivile.it/allerta',
    )
    expect(linkFacets('nessun link qui')).toEqual([])
  })
})

describe('Bluesky adapter against a loopback PDS', () => {
  it('opens a session and creates the post at the row’s record key', async () => {
    const { fake, adapter } = await setup()
    const message = toPage('Allerta arancione sul bacino dell’Elsa')
    const outcome = await adapter.send(message)
    const rkey = recordKeyFor(message.idempotencyKey)
    expect(outcome).toEqual({
      status: 'sent',
      providerId: `at://${fake.did}/app.bsky.feed.post/${rkey}`,
    })
    expect(creates(fake)[0]).toMatchObject({
      headers: { authorization: expect.stringMatching(/^Bearer eyJhY2Nlc3Mi\./) },
      body: {
        repo: fake.did,
        collection: 'app.bsky.feed.post',
        rkey,
        record: {
          $type: 'app.bsky.feed.post',
          text: message.text,
          createdAt: '2026-01-23T10:00:00.000Z',
          langs: ['it'],
        },
      },
    })
    expect(adapter.idempotent).toBe(true)
  })

  it('reuses the session for later posts', async () => {
    const { fake, adapter } = await setup()
    await Promise.all([
      adapter.send(toPage('Uno')),
      adapter.send(toPage('Due')),
      adapter.send(toPage('Tre')),
    ])
    expect(fake.sessionsCreated).toBe(1)
    expect(fake.posts).toHaveLength(3)
  })

  it('adds link facets the PDS accepts', async () => {
    const { fake, adapter } = await setup()
    expect(
      (
        await adapter.send(
          toPage('🌧️ Aggiornamenti su https://www.comune.empoli.fi.it/allerta, restate informati'),
        )
      ).status,
    ).toBe('sent')
    expect(fake.posts[0]?.value.facets).toHaveLength(1)
  })

  it.each(['internal_error', 'invalid_request'] as const)(
    'treats a second write at the same key as already posted (PDS answers %s)',
    async (duplicateKeyAnswer) => {
      const { fake, adapter } = await setup({ duplicateKeyAnswer })
      const message = toPage('Fine allerta')
      const first = await adapter.send(message)
      const second = await adapter.send(message)
      expect(second).toEqual(first)
      expect(fake.posts).toHaveLength(1)
      expect(creates(fake)).toHaveLength(2)
    },
  )

  it('recovers from a timeout without a second post', async () => {
    const { fake, adapter } = await setup({}, undefined, 150)
    await adapter.testConnection()
    fake.delayNext(1, 400)
    const message = toPage('Evacuazione')
    expect(expectFailure(await adapter.send(message))).toMatchObject({ code: 'timeout' })
    await vi.waitFor(() => expect(fake.posts).toHaveLength(1))
    expect((await adapter.send(message)).status).toBe('sent')
    expect(fake.posts).toHaveLength(1)
  })

  it('refreshes an expired access token and posts once', async () => {
    const { fake, adapter } = await setup()
    await adapter.send(toPage('Prima'))
    fake.expireAccessTokens()
    expect((await adapter.send(toPage('Seconda'))).status).toBe('sent')
    expect(fake.refreshes).toBe(1)
    expect(fake.sessionsCreated).toBe(1)
    expect(fake.posts.map((p) => p.value.text)).toEqual(['Prima', 'Seconda'])
  })

  it('fails permanently on a wrong app password, never showing it', async () => {
    const { adapter } = await setup({}, 'zzzz-yyyy-xxxx-wwww')
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    expectNoSecrets(failure, ['zzzz-yyyy-xxxx-wwww'])
    expect(await adapter.testConnection()).toMatchObject({ ok: false })
  })

  it('refuses posts over 300 graphemes or 3000 bytes before calling the PDS', async () => {
    const { fake, adapter } = await setup()
    expect(expectFailure(await adapter.send(toPage('a'.repeat(301))))).toMatchObject({
      retry: 'permanent',
      code: 'too_long',
    })
    // 200 family emoji are 200 graphemes but 3600 bytes.
    expect(expectFailure(await adapter.send(toPage('👨‍👩‍👧'.repeat(200))))).toMatchObject({
      code: 'too_long',
    })
    expect(creates(fake)).toHaveLength(0)
    expect((await adapter.send(toPage('👨‍👩‍👧'.repeat(150)))).status).toBe('sent')
  })

  it('waits until ratelimit-reset on 429', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 900)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 900_000,
    })
  })

  it('treats a server error as transient when nothing was written', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 502)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
    expect(fake.posts).toHaveLength(0)
  })

  it('threads replies with root and parent references', async () => {
    const { fake, adapter } = await setup()
    const root = fake.seedPost('Allerta rossa')
    const first = await adapter.send(toPage('Aggiornamento 1', { inReplyTo: root.uri }))
    const firstUri = first.status === 'sent' ? first.providerId : undefined
    await adapter.send(toPage('Aggiornamento 2', firstUri ? { inReplyTo: firstUri } : {}))
    const [, second, third] = fake.posts
    expect(second?.value.reply).toEqual({
      root: { uri: root.uri, cid: root.cid },
      parent: { uri: root.uri, cid: root.cid },
    })
    expect(third?.value.reply).toEqual({
      root: { uri: root.uri, cid: root.cid },
      parent: { uri: second?.uri, cid: second?.cid },
    })
  })

  it('refuses to reply to a post that does not exist', async () => {
    const { fake, adapter } = await setup()
    const failure = expectFailure(
      await adapter.send(
        toPage('Prova', { inReplyTo: `at://${fake.did}/app.bsky.feed.post/3lbaaaaaaaa22` }),
      ),
    )
    expect(failure).toMatchObject({ retry: 'permanent', code: 'not_found' })
  })

  it('checks the connection by logging in', async () => {
    const { fake, adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: `Accesso a Bluesky riuscito come @${fake.handle}`,
      code: 'bluesky_login',
      params: { handle: fake.handle },
    })
  })
})
