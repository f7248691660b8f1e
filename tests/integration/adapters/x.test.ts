import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createXAdapter } from '../../../src/main/core/channels/adapters/x'
import {
  prismVerdict,
  recordingFetch,
  startPrism,
  type PrismMock,
  type PrismVerdict,
} from '../../fakes/prism'
import { startFakeX } from '../../fakes/x-fake'
import { expectFailure, expectNoSecrets, toPage, track } from './http-helpers'

const NOW = Date.parse('2026-01-23T10:00:00Z')
const clock = () => NOW

async function setup(token?: string, timeoutMs = 2_000) {
  const fake = track(await startFakeX({ now: clock }))
  const config: AdapterConfig = {
    accountId: 5,
    name: 'Profilo X',
    settings: { baseUrl: fake.url, handle: 'PCEmpolese' },
    secrets: { accessToken: token ?? fake.token },
    now: clock,
  }
  return { fake, adapter: createXAdapter(config, { timeoutMs }) }
}

describe('X adapter against a loopback X API v2', () => {
  it('posts with the user token and returns the post id', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(toPage('Allerta gialla per neve sul Montalbano'))
    expect(outcome).toEqual({ status: 'sent', providerId: fake.tweets[0]?.id })
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${fake.token}`)
    expect(fake.requests[0]?.body).toEqual({ text: 'Allerta gialla per neve sul Montalbano' })
  })

  it('threads a follow-up as a reply', async () => {
    const { fake, adapter } = await setup()
    const first = await adapter.send(toPage('Allerta'))
    const firstId = first.status === 'sent' ? first.providerId : undefined
    await adapter.send(toPage('Aggiornamento', { ...(firstId ? { inReplyTo: firstId } : {}) }))
    expect(fake.tweets[1]).toMatchObject({ text: 'Aggiornamento', inReplyTo: firstId })
  })

  it('reports duplicate content as a permanent duplicate_content failure', async () => {
    const { adapter } = await setup()
    await adapter.send(toPage('Scuole chiuse domani'))
    const failure = expectFailure(await adapter.send(toPage('Scuole chiuse domani')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'duplicate_content' })
    expect(failure.detail).toBe('You are not allowed to create a Tweet with duplicate content.')
  })

  it('turns x-rate-limit-reset into the wait before retrying', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 300)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 300_000,
    })
  })

  it('waits for the daily cap reset when the 24-hour allowance is spent', async () => {
    const { fake, adapter } = await setup()
    fake.exhaustDailyCap(7_200)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 7_200_000,
    })
  })

  it('fails permanently on a bad token, without echoing it', async () => {
    const { adapter } = await setup('x-token-that-is-not-valid-999')
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    expectNoSecrets(failure, ['x-token-that-is-not-valid-999'])
    expect((await adapter.testConnection()).ok).toBe(false)
  })

  it('explains an app without write permission', async () => {
    const { fake, adapter } = await setup()
    fake.makeReadOnly()
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'permanent',
      code: 'permission',
    })
  })

  it('refuses a post over 280 weighted characters before calling X', async () => {
    const { fake, adapter } = await setup()
    // Accented letters weigh one, but 300 of them are still too many.
    const failure = expectFailure(await adapter.send(toPage('è'.repeat(300))))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'too_long' })
    expect(fake.requests).toHaveLength(0)
    // A long link counts 23 characters, so this one fits.
    const link = `https://www.comune.empoli.fi.it/${'a'.repeat(300)}`
    expect((await adapter.send(toPage(`Aggiornamenti: ${link}`))).status).toBe('sent')
  })

  it('treats 503 as transient', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 503)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
  })

  it('times out on a slow answer: the post may exist, so the row is uncertain', async () => {
    const { fake, adapter } = await setup(undefined, 150)
    fake.delayNext(1, 600)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'timeout',
    })
  })

  it('checks the connection with users/me', async () => {
    const { adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: 'Profilo X @PCEmpolese raggiungibile',
      code: 'x_account',
      params: { account: ' @PCEmpolese' },
    })
  })
})

describe('X adapter against Prism and the X OpenAPI document', () => {
  const spec = path.resolve(__dirname, '../../../../shared/specs/openapi/x_api_v2.json')
  let prism: PrismMock

  beforeAll(async () => {
    prism = await startPrism(spec)
  }, 90_000)

  afterAll(async () => {
    await prism?.close()
  })

  function prismAdapter(verdicts: PrismVerdict[]) {
    return createXAdapter({
      accountId: 5,
      name: 'Profilo X',
      settings: { baseUrl: prism.url, handle: 'PCEmpolese' },
      secrets: { accessToken: 'prism-user-token' },
      fetch: recordingFetch(verdicts),
    })
  }

  it('sends a post and a reply that the specification accepts', async () => {
    const verdicts: PrismVerdict[] = []
    const adapter = prismAdapter(verdicts)
    const post = await adapter.send(toPage('Allerta arancione: https://www.protezionecivile.it'))
    const reply = await adapter.send(toPage('Aggiornamento', { inReplyTo: '1346889436626259968' }))
    expect(verdicts).toEqual([
      { status: 201, requestViolations: [] },
      { status: 201, requestViolations: [] },
    ])
    expect(post).toMatchObject({ status: 'sent', providerId: expect.any(String) })
    expect(reply.status).toBe('sent')
  })

  it('would notice a request the specification refuses', async () => {
    // The check is not vacuous: the same endpoint with a field X does not define.
    const res = await fetch(`${prism.url}/2/tweets`, {
      method: 'POST',
      headers: { Authorization: 'Bearer prism-user-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'Prova', visibility: 'public' }),
    })
    const verdict = await prismVerdict(res)
    expect(verdict.status).toBe(422)
    expect(verdict.requestViolations.join('\n')).toContain('visibility')
  })
})
