import { describe, expect, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createFacebookAdapter } from '../../../src/main/core/channels/adapters/facebook'
import { startFakeFacebook } from '../../fakes/facebook-fake'
import { expectFailure, expectNoSecrets, toPage, track } from './http-helpers'

async function setup(token?: string, timeoutMs = 2_000) {
  const fake = track(await startFakeFacebook())
  const config: AdapterConfig = {
    accountId: 4,
    name: 'Pagina Facebook',
    settings: { baseUrl: fake.url, apiVersion: 'v23.0', pageId: fake.pageId },
    secrets: { pageAccessToken: token ?? fake.pageToken },
  }
  return { fake, adapter: createFacebookAdapter(config, { timeoutMs }) }
}

describe('Facebook Page adapter against a loopback Graph API', () => {
  it('publishes on the page feed with the token in the form body, not the URL', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(toPage('Allerta arancione per rischio idrogeologico'))
    expect(outcome).toEqual({ status: 'sent', providerId: `${fake.pageId}_100000` })
    const req = fake.requests[0]
    expect(req?.path).toBe(`/v23.0/${fake.pageId}/feed`)
    expect(req?.query).toEqual({})
    expect(req?.body).toEqual({
      message: 'Allerta arancione per rischio idrogeologico',
      access_token: fake.pageToken,
    })
  })

  it('says the token expired and must be regenerated (error 190)', async () => {
    const { fake, adapter } = await setup()
    fake.expireToken()
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'token_expired' })
    expect(failure.reason).toContain('token scaduto: rigeneralo')
    expectNoSecrets(failure, [fake.pageToken])
  })

  it('refuses an unknown token without echoing it', async () => {
    const { adapter } = await setup('EAAGsomeOtherTokenThatIsWrong')
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'token_expired' })
    expectNoSecrets(failure, ['EAAGsomeOtherTokenThatIsWrong'])
  })

  it('reports a missing permission as permanent (error 200)', async () => {
    const { fake, adapter } = await setup()
    fake.revokePermission()
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'permanent',
      code: 'permission',
    })
  })

  it('reports a duplicate post (error 506)', async () => {
    const { adapter } = await setup()
    await adapter.send(toPage('Stesso testo'))
    expect(expectFailure(await adapter.send(toPage('Stesso testo')))).toMatchObject({
      retry: 'permanent',
      code: 'duplicate_content',
    })
  })

  it('waits as long as the page rate limit says (error 32 with usage header)', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 600)
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 600_000,
    })
    expect(failure.detail).toContain('#32')
  })

  it('treats Graph’s temporary errors as transient', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 503)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
  })

  it('refuses an empty post with Graph’s validation error', async () => {
    const { adapter } = await setup()
    const failure = expectFailure(await adapter.send(toPage('')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'rejected' })
    expect(failure.detail).toContain('message is required')
  })

  it('times out on a slow answer: the post may exist, so the row is uncertain', async () => {
    const { fake, adapter } = await setup(undefined, 150)
    fake.delayNext(1, 600)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'timeout',
    })
  })

  it('checks the connection by reading the page with the token in a header', async () => {
    const { fake, adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: 'Pagina Facebook «Protezione Civile Empolese Valdelsa» raggiungibile',
      code: 'facebook_page',
      params: { name: 'Protezione Civile Empolese Valdelsa' },
    })
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${fake.pageToken}`)
    fake.expireToken()
    expect(await adapter.testConnection()).toEqual({
      ok: false,
      message: expect.stringContaining('rigeneralo'),
      code: 'token_expired',
      params: expect.objectContaining({ provider: 'Facebook' }),
    })
  })
})
