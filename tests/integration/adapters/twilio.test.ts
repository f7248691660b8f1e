import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createTwilioAdapter } from '../../../src/main/core/channels/adapters/twilio'
import {
  prismVerdict,
  recordingFetch,
  startPrism,
  type PrismMock,
  type PrismVerdict,
} from '../../fakes/prism'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio-fake'
import { expectFailure, expectNoSecrets, toPage, toPerson, track } from './http-helpers'

async function setup(settings: Record<string, unknown> = {}, token?: string, timeoutMs = 2_000) {
  const fake = track(await startFakeTwilio())
  const config: AdapterConfig = {
    accountId: 1,
    name: 'SMS Twilio',
    settings: { baseUrl: fake.url, accountSid: fake.accountSid, from: '+15005550006', ...settings },
    secrets: { authToken: token ?? fake.authToken },
  }
  return { fake, adapter: createTwilioAdapter(config, { timeoutMs }) }
}

const secretsOf = (fake: FakeTwilio) => [
  fake.authToken,
  Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64'),
]

describe('Twilio adapter against a loopback Twilio', () => {
  it('sends an SMS with Basic auth and a form body, and returns the SID and segments', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(
      toPerson('+393331234567', 'Allerta arancione: evitate i sottopassi'),
    )

    expect(outcome).toEqual({ status: 'sent', providerId: fake.messages[0]?.sid, segments: 1 })
    const req = fake.requests[0]
    expect(req?.headers['content-type']).toContain('application/x-www-form-urlencoded')
    expect(req?.body).toEqual({
      To: '+393331234567',
      From: '+15005550006',
      Body: 'Allerta arancione: evitate i sottopassi',
    })
    expect(adapter.idempotent).toBe(false)
  })

  it('sends through a Messaging Service when the sender is an MG… SID', async () => {
    const service = `MG${'b'.repeat(32)}`
    const { fake, adapter } = await setup({ from: service })
    const outcome = await adapter.send(toPerson('+393331234567', 'Prova'))
    expect(outcome.status).toBe('sent')
    expect(fake.requests[0]?.body).toEqual({
      To: '+393331234567',
      MessagingServiceSid: service,
      Body: 'Prova',
    })
  })

  it('counts the segments Twilio bills for a long Italian text with a UCS-2 character', async () => {
    const { adapter } = await setup()
    const outcome = await adapter.send(
      toPerson('+393331234567', `${'Scuole chiuse domani. '.repeat(5)}È ufficiale`),
    )
    expect(outcome).toMatchObject({ status: 'sent', segments: 2 })
  })

  it('polls the receipt until delivered', async () => {
    const { adapter } = await setup()
    const outcome = await adapter.send(toPerson('+393331234567', 'Prova'))
    if (outcome.status === 'failed' || !outcome.providerId) throw new Error('send failed')
    expect((await adapter.fetchStatus?.(outcome.providerId))?.status).toBe('sent')
    expect((await adapter.fetchStatus?.(outcome.providerId))?.status).toBe('delivered')
  })

  it('reports an undelivered message with the carrier error in Italian', async () => {
    const { fake, adapter } = await setup()
    fake.undeliverable('+393339999999', 30003)
    const outcome = await adapter.send(toPerson('+393339999999', 'Prova'))
    if (outcome.status === 'failed' || !outcome.providerId) throw new Error('send failed')
    await adapter.fetchStatus?.(outcome.providerId)
    const status = await adapter.fetchStatus?.(outcome.providerId)
    expect(status).toEqual({
      status: 'failed',
      code: '30003',
      reason: expect.stringContaining('spento o non raggiungibile'),
    })
  })

  it('answers unknown for a SID Twilio does not know', async () => {
    const { adapter } = await setup()
    expect(await adapter.fetchStatus?.(`SM${'0'.repeat(32)}`)).toEqual({ status: 'unknown' })
  })

  it('turns a 429 into a transient failure that honours Retry-After', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 12)
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))
    expect(failure).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 12_000,
    })
    expect(fake.messages).toHaveLength(0)
    expect((await adapter.send(toPerson('+393331234567', 'Prova'))).status).toBe('sent')
  })

  it('fails permanently with a readable reason on wrong credentials, without leaking them', async () => {
    const { fake, adapter } = await setup({}, 'wrong-token-123456')
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    expect(failure.reason).toContain('Credenziali Twilio non valide')
    expectNoSecrets(failure, [...secretsOf(fake), 'wrong-token-123456'])
    const check = await adapter.testConnection()
    expect(check.ok).toBe(false)
    expectNoSecrets(check, ['wrong-token-123456'])
  })

  it.each([
    ['+15005550001', 'invalid_number', 'Numero del destinatario non valido'],
    ['+15005550004', 'unsubscribed', 'STOP'],
    ['+15005550003', 'permission', 'Geo Permissions'],
    ['+15005550009', 'invalid_number', 'non è un cellulare'],
  ])('maps Twilio validation errors for %s to a permanent %s', async (to, code, words) => {
    const { adapter } = await setup()
    const failure = expectFailure(await adapter.send(toPerson(to, 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code })
    expect(failure.reason).toContain(words)
  })

  it('refuses an empty text with Twilio’s own error', async () => {
    const { adapter } = await setup()
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', '')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'empty_text' })
  })

  it('treats a server error as transient', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 503)
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))
    expect(failure).toMatchObject({ retry: 'transient', code: 'provider_unavailable' })
  })

  it('gives up on a slow answer as uncertain: Twilio may still send it', async () => {
    const { fake, adapter } = await setup({}, undefined, 150)
    fake.delayNext(1, 600)
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))
    expect(failure).toMatchObject({ retry: 'uncertain', code: 'timeout' })
  })

  it('reports a connection dropped after the request left as an uncertain network failure', async () => {
    const { fake, adapter } = await setup()
    fake.dropNext()
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))
    expect(failure).toMatchObject({ retry: 'uncertain', code: 'network' })
  })

  it('stops when the caller aborts', async () => {
    const { fake, adapter } = await setup()
    fake.delayNext(1, 1_000)
    const controller = new AbortController()
    const pending = adapter.send(toPerson('+393331234567', 'Prova'), controller.signal)
    setTimeout(() => controller.abort(), 50)
    // The request had left: Twilio may have queued it.
    expect(expectFailure(await pending)).toMatchObject({ retry: 'uncertain', code: 'aborted' })
    // Aborted before it left, nothing can have been sent.
    expect(
      expectFailure(await adapter.send(toPerson('+393331234567', 'Prova'), AbortSignal.abort())),
    ).toMatchObject({ retry: 'transient', code: 'aborted' })
  })

  it('refuses to send an SMS to a page destination without calling Twilio', async () => {
    const { fake, adapter } = await setup()
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      code: 'invalid_destination',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('checks the connection against the account resource', async () => {
    const { adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: expect.stringContaining('Protezione Civile Empolese'),
      code: 'twilio_account',
      params: { name: expect.stringContaining('Protezione Civile Empolese'), service: 'sms' },
    })
  })

  it('reports an unreachable provider in the connection check', async () => {
    const { fake, adapter } = await setup()
    await fake.close()
    const check = await adapter.testConnection()
    expect(check.ok).toBe(false)
    expect(check.message).toContain('non raggiungibile')
  })

  it('paces at the account rate', async () => {
    const { adapter } = await setup({ ratePerSecond: 3 })
    expect(adapter.limits()).toMatchObject({ ratePerSecond: 3, burst: 3, maxTextLength: 1600 })
  })
})

describe('Twilio adapter against Prism and the Twilio OpenAPI document', () => {
  const spec = path.resolve(__dirname, '../../../../shared/specs/openapi/twilio_api_v2010.json')
  const accountSid = `AC${'c'.repeat(32)}`
  let prism: PrismMock

  beforeAll(async () => {
    prism = await startPrism(spec)
  }, 90_000)

  afterAll(async () => {
    await prism?.close()
  })

  function prismAdapter(verdicts: PrismVerdict[], from: string) {
    return createTwilioAdapter({
      accountId: 1,
      name: 'SMS Twilio',
      settings: { baseUrl: prism.url, accountSid, from },
      secrets: { authToken: 'prism-auth-token' },
      fetch: recordingFetch(verdicts),
    })
  }

  it('sends messages, polls them and checks the account as the specification expects', async () => {
    const verdicts: PrismVerdict[] = []
    const adapter = prismAdapter(verdicts, '+15005550006')
    const outcome = await adapter.send(toPerson('+393331234567', 'Allerta: scuole chiuse domani'))
    expect(outcome).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^SM/) })
    await prismAdapter(verdicts, `MG${'d'.repeat(32)}`).send(toPerson('+393331234567', 'Prova'))
    await adapter.fetchStatus?.(`SM${'e'.repeat(32)}`)
    await adapter.testConnection()
    expect(verdicts).toHaveLength(4)
    for (const verdict of verdicts)
      expect(verdict).toEqual({ status: expect.any(Number), requestViolations: [] })
    expect(verdicts.map((v) => v.status)).toEqual([201, 201, 200, 200])
  })

  it('would notice a request the specification refuses', async () => {
    const res = await fetch(`${prism.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${accountSid}:x`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ Body: 'senza destinatario' }),
    })
    const verdict = await prismVerdict(res)
    expect(verdict.status).toBe(422)
    expect(verdict.requestViolations.join('\n')).toContain("'To'")
  })
})
