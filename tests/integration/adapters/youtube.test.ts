import { describe, expect, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { KIND_IDEMPOTENT } from '../../../src/main/core/channels/adapters/limits'
import { createYoutubeAdapter } from '../../../src/main/core/channels/adapters/youtube'
import { msUntilQuotaReset, quotaDay } from '../../../src/main/core/channels/adapters/youtube-api'
import { startFakeYoutube, type FakeYoutube } from '../../fakes/youtube-fake'
import { expectFailure, expectNoSecrets, toPage, track } from './http-helpers'

// The fake follows Google's published YouTube Data API v3 reference (no spec file exists).

async function setup(
  secrets: (fake: FakeYoutube) => Record<string, string> = (f) => ({
    clientSecret: f.clientSecret,
    refreshToken: f.refreshToken,
  }),
  timeoutMs = 2_000,
  channelId?: string,
) {
  const fake = track(await startFakeYoutube())
  const config: AdapterConfig = {
    accountId: 9,
    name: 'Canale YouTube',
    settings: {
      baseUrl: fake.url,
      tokenUrl: fake.tokenUrl,
      channelId: channelId ?? fake.channelId,
      clientId: fake.clientId,
    },
    secrets: secrets(fake),
  }
  return { fake, adapter: createYoutubeAdapter(config, { timeoutMs }) }
}

const secretsOf = (f: FakeYoutube) => [f.clientSecret, f.refreshToken, f.apiKey]
const tokenRequests = (f: FakeYoutube) => f.requests.filter((r) => r.path === '/token')
const inserts = (f: FakeYoutube) => f.requests.filter((r) => r.path === '/youtube/v3/comments')

describe('YouTube adapter against a loopback Data API', () => {
  it('answers a comment with comments.insert under the thread’s top-level comment', async () => {
    const { fake, adapter } = await setup()
    const top = fake.addComment({
      text: 'Domani le scuole sono aperte?',
      publishedAt: '2026-12-04T08:00:00Z',
    })
    const outcome = await adapter.send(toPage('Sì, le scuole restano aperte.', { inReplyTo: top }))
    expect(outcome).toMatchObject({ status: 'sent', providerId: `${top}.reply1` })
    const req = inserts(fake)[0]
    expect(req?.query).toEqual({ part: 'snippet' })
    expect(req?.body).toEqual({
      snippet: { parentId: top, textOriginal: 'Sì, le scuole restano aperte.' },
    })
    expect(req?.headers.authorization).toMatch(/^Bearer ya29\.fake-access-1-/)
    // The token came from the refresh token, by form POST, and is kept for the next call.
    expect(tokenRequests(fake)[0]?.body).toEqual({
      grant_type: 'refresh_token',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      refresh_token: fake.refreshToken,
    })
    await adapter.send(toPage('Seconda risposta', { inReplyTo: top }))
    expect(tokenRequests(fake)).toHaveLength(1)
  })

  it('refreshes the access token once on a 401 and then succeeds', async () => {
    const { fake, adapter } = await setup()
    const top = fake.addComment({ text: 'Ciao', publishedAt: '2026-12-04T08:00:00Z' })
    expect((await adapter.send(toPage('Primo', { inReplyTo: top }))).status).toBe('sent')
    fake.expireAccessTokens()
    const outcome = await adapter.send(toPage('Dopo la scadenza', { inReplyTo: top }))
    expect(outcome.status).toBe('sent')
    expect(tokenRequests(fake)).toHaveLength(2)
    // The refused call and its one repeat: two inserts, one reply.
    expect(inserts(fake)).toHaveLength(3)
    expect(fake.comments.filter((c) => c.parentId === top)).toHaveLength(2)
  })

  it('says a revoked refresh token must be replaced, without echoing a secret', async () => {
    const { fake, adapter } = await setup()
    const top = fake.addComment({ text: 'Ciao', publishedAt: '2026-12-04T08:00:00Z' })
    fake.revokeRefreshToken()
    const failure = expectFailure(await adapter.send(toPage('Prova', { inReplyTo: top })))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'token_expired' })
    expect(failure.reason).toContain('invalid_grant')
    expect(inserts(fake)).toHaveLength(0)
    expectNoSecrets(failure, secretsOf(fake))
  })

  it('a timeout after the reply left is uncertain and the kind is not retried blindly', async () => {
    const { fake, adapter } = await setup(undefined, 300)
    const top = fake.addComment({ text: 'Ciao', publishedAt: '2026-12-04T08:00:00Z' })
    fake.delayNext(1, 800)
    const failure = expectFailure(await adapter.send(toPage('Risposta lenta', { inReplyTo: top })))
    expect(failure).toMatchObject({ retry: 'uncertain', code: 'timeout' })
    expect(adapter.idempotent).toBe(false)
    expect(KIND_IDEMPOTENT.youtube).toBe(false)
    await new Promise((r) => setTimeout(r, 700))
    // The fake did post it: one insert, one reply, and nothing sent it again.
    expect(inserts(fake)).toHaveLength(1)
    expect(fake.comments.filter((c) => c.parentId === top)).toHaveLength(1)
  })

  it('a quotaExceeded 403 waits for the reset at midnight Pacific time', async () => {
    const { fake, adapter } = await setup()
    const top = fake.addComment({ text: 'Ciao', publishedAt: '2026-12-04T08:00:00Z' })
    fake.exhaustQuota()
    const failure = expectFailure(await adapter.send(toPage('Prova', { inReplyTo: top })))
    expect(failure).toMatchObject({ retry: 'transient', code: 'quota_exceeded' })
    expect(failure.detail).toContain('quotaExceeded')
    expect(failure.retryAfterMs).toBeGreaterThan(0)
    expect(failure.retryAfterMs).toBeLessThanOrEqual(25 * 3600_000)
  })

  it('refuses a reply whose comment is gone, and a post with nothing to answer', async () => {
    const { adapter } = await setup()
    expect(expectFailure(await adapter.send(toPage('x', { inReplyTo: 'Ugzgone' })))).toMatchObject({
      retry: 'permanent',
      code: 'reply_target_missing',
    })
    expect(expectFailure(await adapter.send(toPage('Allerta arancione')))).toMatchObject({
      retry: 'permanent',
      code: 'not_supported',
    })
  })

  it('with an API key alone it reads but does not reply', async () => {
    const { fake, adapter } = await setup((f) => ({ apiKey: f.apiKey }))
    const top = fake.addComment({ text: 'Ciao', publishedAt: '2026-12-04T08:00:00Z' })
    expect(expectFailure(await adapter.send(toPage('x', { inReplyTo: top })))).toMatchObject({
      retry: 'permanent',
      code: 'auth',
    })
    expect(inserts(fake)).toHaveLength(0)
    const check = await adapter.testConnection()
    expect(check).toMatchObject({
      ok: true,
      code: 'youtube_channel',
      params: { name: fake.channelTitle },
    })
    expect(check.message).toContain('solo lettura')
    const req = fake.requests.find((r) => r.path === '/youtube/v3/channels')
    expect(req?.headers['x-goog-api-key']).toBe(fake.apiKey)
    expect(JSON.stringify(req?.query)).not.toContain(fake.apiKey)
  })

  it('the connection check reads the channel, and fails with codes', async () => {
    const { fake, adapter } = await setup()
    const ok = await adapter.testConnection()
    expect(ok).toMatchObject({
      ok: true,
      code: 'youtube_channel',
      params: { name: fake.channelTitle },
    })
    expect(fake.requests.find((r) => r.path === '/youtube/v3/channels')?.query).toEqual({
      part: 'snippet',
      id: fake.channelId,
    })

    const unknown = await setup(undefined, 2_000, 'UCunknownChannel000000000'.slice(0, 24))
    expect(await unknown.adapter.testConnection()).toMatchObject({
      ok: false,
      code: 'not_found',
      params: { provider: 'YouTube' },
    })

    fake.revokeRefreshToken()
    const revoked = await createYoutubeAdapter({
      accountId: 9,
      name: 'x',
      settings: {
        baseUrl: fake.url,
        tokenUrl: fake.tokenUrl,
        channelId: fake.channelId,
        clientId: fake.clientId,
      },
      secrets: { clientSecret: fake.clientSecret, refreshToken: fake.refreshToken },
    }).testConnection()
    expect(revoked).toMatchObject({ ok: false, code: 'token_expired' })
    expectNoSecrets(revoked, secretsOf(fake))

    fake.resetQuota()
    const quota = await setup((f) => ({ apiKey: f.apiKey }))
    quota.fake.exhaustQuota()
    expect(await quota.adapter.testConnection()).toMatchObject({
      ok: false,
      code: 'quota_exceeded',
    })

    const closed = await setup()
    await closed.fake.close()
    expect(await closed.adapter.testConnection()).toMatchObject({
      ok: false,
      code: 'transport_network',
    })
  })
})

describe('Google’s quota day', () => {
  it('is the Pacific-time date and resets at midnight Pacific, through daylight saving', () => {
    // 2026-12-04 07:59 UTC is 23:59 PST on the 3rd.
    expect(quotaDay(Date.parse('2026-12-04T07:59:00Z'))).toBe('2026-12-03')
    expect(quotaDay(Date.parse('2026-12-04T08:00:00Z'))).toBe('2026-12-04')
    expect(msUntilQuotaReset(Date.parse('2026-12-04T07:59:00Z'))).toBe(60_000)
    // Summer: PDT, UTC-7.
    expect(msUntilQuotaReset(Date.parse('2026-07-01T06:00:00Z'))).toBe(3600_000)
    // 2026-11-01, the night PDT ends at 2:00: from 00:30 PDT the next midnight is PST, 24.5 h on.
    expect(msUntilQuotaReset(Date.parse('2026-11-01T07:30:00Z'))).toBe(24.5 * 3600_000)
  })
})
