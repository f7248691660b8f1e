import { describe, expect, it, vi } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createBlueskyAdapter } from '../../../src/main/core/channels/adapters/bluesky'
import { recordKeyFor, TID_RE } from '../../../src/main/core/channels/adapters/bluesky-record'
import { startFakeBluesky, type FakeBlueskyOptions } from '../../fakes/bluesky-fake'
import type { RecordedRequest } from '../../fakes/http-fake'
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

const creates = (fake: { requests: RecordedRequest[] }) =>
  fake.requests.filter((r) => r.path === '/xrpc/com.atproto.repo.createRecord')

describe('Bluesky record helpers', () => {
  it('derives a valid, stable record key per outbox row', () => {
    const a = recordKeyFor('row-1')
    expect(a).toMatch(TID_RE)
    expect(recordKeyFor('row-1')).toBe(a)
    expect(recordKeyFor('row-2')).not.toBe(a)
    for (let i = 0; i < 200; i++) expect(recordKeyFor(`k${i}`)).toMatch(TID_RE)
  })
})

interface PostedFacet {
  index: { byteStart: number; byteEnd: number }
  features: Record<string, unknown>[]
}

/** Each facet's feature with the exact UTF-8 bytes it covers in the text. */
function covered(text: string, facets: unknown) {
  const bytes = Buffer.from(text)
  return ((facets ?? []) as PostedFacet[]).map((f) => ({
    bytes: bytes.subarray(f.index.byteStart, f.index.byteEnd).toString(),
    ...f.features[0],
  }))
}

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

  it('marks links, hashtags and mentions as facets at their UTF-8 byte offsets', async () => {
    const { fake, adapter } = await setup({
      knownHandles: { 'comune.empoli.bsky.social': 'did:plc:comuneempoli2026abcdefg' },
    })
    const text =
      'Città ⚠️ #allertameteoTOS https://www.cfr.toscana.it/allerta. Con @comune.empoli.bsky.social'
    expect((await adapter.send(toPage(text))).status).toBe('sent')
    expect(covered(text, fake.posts[0]?.value.facets)).toEqual([
      { bytes: '#allertameteoTOS', $type: 'app.bsky.richtext.facet#tag', tag: 'allertameteoTOS' },
      {
        bytes: 'https://www.cfr.toscana.it/allerta',
        $type: 'app.bsky.richtext.facet#link',
        uri: 'https://www.cfr.toscana.it/allerta',
      },
      {
        bytes: '@comune.empoli.bsky.social',
        $type: 'app.bsky.richtext.facet#mention',
        did: 'did:plc:comuneempoli2026abcdefg',
      },
    ])
    // "Città ⚠️ " is 14 bytes though 8 UTF-16 units: the offsets are bytes.
    expect((fake.posts[0]?.value.facets as PostedFacet[])[0]?.index).toEqual({
      byteStart: 14,
      byteEnd: 30,
    })
    expect(
      fake.requests.filter((r) => r.path === '/xrpc/com.atproto.identity.resolveHandle'),
    ).toHaveLength(1)
  })

  it('leaves a mention the PDS cannot resolve as plain text', async () => {
    const { fake, adapter } = await setup()
    const text = 'Avviso per @sconosciuto.bsky.social #allertameteoTOS'
    expect((await adapter.send(toPage(text))).status).toBe('sent')
    expect(covered(text, fake.posts[0]?.value.facets)).toEqual([
      { bytes: '#allertameteoTOS', $type: 'app.bsky.richtext.facet#tag', tag: 'allertameteoTOS' },
    ])
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
    // The expired token was refused once, then the refreshed one posted.
    const tokens = creates(fake).map((r) => r.headers.authorization)
    expect(tokens).toHaveLength(3)
    expect(tokens[1]).toBe(tokens[0])
    expect(tokens[2]).not.toBe(tokens[1])
  })

  it('logs in again when the refresh token is refused too, and posts once', async () => {
    const { fake, adapter } = await setup()
    await adapter.send(toPage('Prima'))
    fake.expireAccessTokens()
    fake.revokeRefreshTokens()
    expect((await adapter.send(toPage('Seconda'))).status).toBe('sent')
    expect(fake.sessionsCreated).toBe(2)
    expect(fake.posts.map((p) => p.value.text)).toEqual(['Prima', 'Seconda'])
  })

  it('stops a post in flight when the operator presses Stop, saying it may have gone', async () => {
    const { fake, adapter } = await setup()
    await adapter.testConnection()
    fake.delayNext(1, 400)
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 50)
    expect(expectFailure(await adapter.send(toPage('Evacuazione'), stop.signal))).toMatchObject({
      code: 'aborted',
      retry: 'uncertain',
    })
  })

  it('keeps every request on the configured PDS URL, whatever host the DID document names', async () => {
    const elsewhere = track(await startFakeBluesky({ now: clock }))
    const { fake, adapter } = await setup({ didDocPds: elsewhere.url })
    expect((await adapter.send(toPage('Prima'))).status).toBe('sent')
    fake.expireAccessTokens()
    expect((await adapter.send(toPage('Seconda @pcempolese.bsky.social'))).status).toBe('sent')
    expect(fake.posts).toHaveLength(2)
    expect(fake.refreshes).toBe(1)
    expect(elsewhere.requests).toHaveLength(0)
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
