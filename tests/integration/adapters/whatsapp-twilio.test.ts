import net from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { AdapterConfigError } from '../../../src/main/core/channels/adapters/config'
import { createTwilioWhatsappAdapter } from '../../../src/main/core/channels/adapters/whatsapp-twilio'
import {
  prismVerdict,
  recordingFetch,
  startPrism,
  type PrismMock,
  type PrismVerdict,
} from '../../fakes/prism'
import { startFakeTwilioWhatsapp, type FakeTwilioWhatsapp } from '../../fakes/whatsapp-twilio-fake'
import { expectFailure, expectNoSecrets, toPage, toPerson, track } from './http-helpers'
import { RIVER_ALERT } from './whatsapp-alert'

const CITIZEN = '+393331234567'

async function setup(settings: Record<string, unknown> = {}, token?: string, timeoutMs = 2_000) {
  const fake = track(await startFakeTwilioWhatsapp())
  const config: AdapterConfig = {
    accountId: 1,
    name: 'WhatsApp Twilio',
    settings: {
      baseUrl: fake.url,
      accountSid: fake.accountSid,
      from: '+390571000000',
      contentSid: fake.contentSid,
      templateVariables: 'titolo,comuni,istruzioni',
      ...settings,
    },
    secrets: { authToken: token ?? fake.authToken },
  }
  return { fake, adapter: createTwilioWhatsappAdapter(config, { timeoutMs }) }
}

const alertTo = (to: string) => toPerson(to, 'testo libero non usato', { alert: RIVER_ALERT })

const secretsOf = (fake: FakeTwilioWhatsapp) => [
  fake.authToken,
  Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64'),
]

async function sentSid(
  adapter: ReturnType<typeof createTwilioWhatsappAdapter>,
  to: string,
): Promise<string> {
  const outcome = await adapter.send(alertTo(to))
  if (outcome.status === 'failed' || !outcome.providerId) throw new Error(JSON.stringify(outcome))
  return outcome.providerId
}

describe('Twilio WhatsApp adapter against a loopback Twilio', () => {
  it('sends the approved template with the alert’s fields as its variables', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(alertTo(CITIZEN))

    expect(outcome).toEqual({ status: 'sent', providerId: fake.messages[0]?.sid })
    const req = fake.requests[0]
    expect(req?.headers['content-type']).toContain('application/x-www-form-urlencoded')
    const body = req?.body as Record<string, string>
    expect(Object.keys(body).sort()).toEqual(['ContentSid', 'ContentVariables', 'From', 'To'])
    expect(body).toMatchObject({
      To: `whatsapp:${CITIZEN}`,
      From: 'whatsapp:+390571000000',
      ContentSid: fake.contentSid,
    })
    expect(JSON.parse(body.ContentVariables ?? '')).toEqual({
      '1': 'Allerta arancione per rischio idraulico',
      '2': 'Vinci, Empoli e Cerreto Guidi',
      '3': 'Non sostate sui ponti e nei sottopassi.',
    })
    expect(adapter.idempotent).toBe(false)
    expect(adapter.limits()).toMatchObject({ ratePerSecond: 1, maxTextLength: 1024 })
  })

  it('takes a sender already written as whatsapp:, and a Messaging Service', async () => {
    const { fake, adapter } = await setup({ from: 'whatsapp:+390571000000' })
    expect((await adapter.send(alertTo(CITIZEN))).status).toBe('sent')
    expect(fake.messages[0]?.from).toBe('whatsapp:+390571000000')

    const service = `MG${'b'.repeat(32)}`
    const viaService = await setup({ from: service })
    expect((await viaService.adapter.send(alertTo(CITIZEN))).status).toBe('sent')
    const body = viaService.fake.requests[0]?.body as Record<string, string>
    expect(body.MessagingServiceSid).toBe(service)
    expect(body.From).toBeUndefined()
  })

  it('polls the receipt through sent, delivered and read', async () => {
    const { adapter } = await setup()
    const sid = await sentSid(adapter, CITIZEN)
    expect((await adapter.fetchStatus(sid)).status).toBe('sent')
    expect((await adapter.fetchStatus(sid)).status).toBe('delivered')
    // WhatsApp's blue ticks: still delivered for the board.
    expect((await adapter.fetchStatus(sid)).status).toBe('delivered')
  })

  it.each([
    [63003, 'undelivered', 'non usa WhatsApp'],
    [63018, 'failed', 'limite di velocità'],
    [63049, 'failed', 'modello di servizio'],
  ])('explains the WhatsApp delivery error %i in Italian', async (code, _status, words) => {
    const { fake, adapter } = await setup()
    fake.failDelivery(CITIZEN, code)
    const status = await adapter.fetchStatus(await sentSid(adapter, CITIZEN))
    expect(status).toEqual({
      status: 'failed',
      code: String(code),
      reason: expect.stringContaining(words),
    })
  })

  it('says a content that is not an approved template cannot leave the 24-hour window', async () => {
    const { fake, adapter } = await setup()
    fake.templates.set(fake.contentSid, { variables: 3, approved: false })
    const status = await adapter.fetchStatus(await sentSid(adapter, CITIZEN))
    expect(status).toMatchObject({ status: 'failed', code: '63016' })
    if (status.status !== 'failed') return
    expect(status.reason).toContain('24 ore')
    expect(status.reason).toContain('modello approvato')
  })

  it('points at templateVariables when the template has another number of variables', async () => {
    const { adapter } = await setup({ templateVariables: 'titolo,comuni' })
    const status = await adapter.fetchStatus(await sentSid(adapter, CITIZEN))
    expect(status).toMatchObject({ status: 'failed', code: '63028' })
    if (status.status === 'failed') expect(status.reason).toContain('templateVariables')
  })

  it('refuses, without a request, a message with no alert, an empty field or no person', async () => {
    const { fake, adapter } = await setup({ templateVariables: 'titolo,link' })
    const noAlert = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(noAlert).toMatchObject({ retry: 'permanent', code: 'template_data_missing' })
    const noWeb = expectFailure(
      await adapter.send(toPerson(CITIZEN, 'x', { alert: { ...RIVER_ALERT, web: undefined } })),
    )
    expect(noWeb).toMatchObject({ retry: 'permanent', code: 'template_value_missing' })
    expect(noWeb.reason).toContain('link')
    const page = expectFailure(await adapter.send(toPage('Prova', { alert: RIVER_ALERT })))
    expect(page).toMatchObject({ retry: 'permanent', code: 'invalid_destination' })
    expect(fake.requests).toHaveLength(0)
  })

  it('refuses to build with an unknown template field or a malformed Content SID', async () => {
    const fake = track(await startFakeTwilioWhatsapp())
    const config = (settings: Record<string, unknown>): AdapterConfig => ({
      accountId: 1,
      name: 'WhatsApp Twilio',
      settings: {
        baseUrl: fake.url,
        accountSid: fake.accountSid,
        from: '+390571000000',
        contentSid: fake.contentSid,
        ...settings,
      },
      secrets: { authToken: fake.authToken },
    })
    expect(() => createTwilioWhatsappAdapter(config({ templateVariables: 'titolo,zona' }))).toThrow(
      expect.objectContaining({
        field: 'settings.templateVariables',
        message: expect.stringContaining('«zona»'),
      }) as Error,
    )
    expect(() => createTwilioWhatsappAdapter(config({ contentSid: 'allerta_it' }))).toThrow(
      AdapterConfigError,
    )
  })

  it.each([
    [{ contentSid: `HX${'9'.repeat(32)}` }, 'template_not_found', 'contentSid'],
    [{ from: '+390571999999' }, 'invalid_sender', 'non è un numero WhatsApp'],
  ])('maps Twilio’s refusal of %o to a permanent %s', async (settings, code, words) => {
    const { fake, adapter } = await setup(settings)
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({ retry: 'permanent', code })
    expect(failure.reason).toContain(words)
    expect(fake.messages).toHaveLength(0)
  })

  it('fails permanently on wrong credentials, without leaking them', async () => {
    const { fake, adapter } = await setup({}, 'wrong-token-123456')
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    expectNoSecrets(failure, [...secretsOf(fake), 'wrong-token-123456'])
    const check = await adapter.testConnection()
    expect(check.ok).toBe(false)
    expectNoSecrets(check, ['wrong-token-123456'])
  })

  it('checks the account', async () => {
    const { adapter } = await setup()
    expect(await adapter.testConnection()).toMatchObject({
      ok: true,
      message: expect.stringContaining('Protezione civile'),
      code: 'twilio_account',
      params: {
        name: expect.stringContaining('Protezione civile'),
        service: 'whatsapp',
        template: expect.stringMatching(/^HX/),
      },
    })
  })
})

describe('Twilio WhatsApp adapter when the request goes wrong', () => {
  it('waits out a 429 as transient, nothing accepted', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 12)
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 12_000,
    })
    expect(fake.messages).toHaveLength(0)
    expect((await adapter.send(alertTo(CITIZEN))).status).toBe('sent')
  })

  it('retries a 503 (nothing accepted) and leaves a 500 to the operator', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 503)
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
    fake.failNext(1, 500)
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'uncertain',
      code: 'provider_error',
    })
  })

  it('is uncertain when Twilio accepted the message but the answer never came', async () => {
    const { fake, adapter } = await setup({}, undefined, 150)
    fake.delayNext(1, 600)
    const slow = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(slow).toMatchObject({ retry: 'uncertain', code: 'timeout' })
    fake.dropAfterNext(1)
    const dropped = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(dropped).toMatchObject({ retry: 'uncertain', code: 'network' })
    fake.garbleNext(1)
    const garbled = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(garbled).toMatchObject({ retry: 'uncertain', code: 'bad_response' })
    // Each of them did produce a message.
    await vi.waitFor(() => expect(fake.messages).toHaveLength(3), { timeout: 3_000 })
  })

  it('is transient when Twilio cannot be reached at all', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address()
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
      })
    })
    const { adapter } = await setup({ baseUrl: `http://127.0.0.1:${port}` })
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'transient',
      code: 'network',
    })
  })
})

describe('Twilio WhatsApp adapter against Prism and the Twilio OpenAPI document', () => {
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
    return createTwilioWhatsappAdapter({
      accountId: 1,
      name: 'WhatsApp Twilio',
      settings: {
        baseUrl: prism.url,
        accountSid,
        from,
        contentSid: `HX${'d'.repeat(32)}`,
        templateVariables: 'titolo,livello,comuni,inizio,fine,istruzioni,link',
      },
      secrets: { authToken: 'prism-auth-token' },
      fetch: recordingFetch(verdicts),
    })
  }

  it('sends templates, polls them and checks the account as the specification expects', async () => {
    const verdicts: PrismVerdict[] = []
    const adapter = prismAdapter(verdicts, '+390571000000')
    const outcome = await adapter.send(alertTo(CITIZEN))
    expect(outcome).toMatchObject({ status: 'sent', providerId: expect.any(String) })
    await prismAdapter(verdicts, `MG${'e'.repeat(32)}`).send(alertTo(CITIZEN))
    await adapter.fetchStatus(`MM${'f'.repeat(32)}`)
    await adapter.testConnection()
    expect(verdicts).toHaveLength(4)
    for (const verdict of verdicts)
      expect(verdict).toEqual({ status: expect.any(Number), requestViolations: [] })
    expect(verdicts.map((v) => v.status)).toEqual([201, 201, 200, 200])
  })
  it('would notice a template request the specification refuses', async () => {
    const res = await fetch(`${prism.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${accountSid}:x`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        To: `whatsapp:${CITIZEN}`,
        From: 'whatsapp:+390571000000',
        ContentSid: 'allerta_arancione',
        ContentVariables: '{"1":"x"}',
      }),
    })
    const verdict = await prismVerdict(res)
    expect(verdict.status).toBe(422)
    expect(verdict.requestViolations.join('\n')).toContain('ContentSid')
  })
})
