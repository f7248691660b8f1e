import net from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { AdapterConfigError } from '../../../src/main/core/channels/adapters/config'
import { createCloudWhatsappAdapter } from '../../../src/main/core/channels/adapters/whatsapp-cloud'
import { bearer } from '../../fakes/http-fake'
import { startFakeWhatsappCloud } from '../../fakes/whatsapp-cloud-fake'
import { expectFailure, expectNoSecrets, toPage, toPerson, track } from './http-helpers'
import { RIVER_ALERT } from './whatsapp-alert'

/**
 * Meta publishes no OpenAPI document of the WhatsApp Cloud API that we keep,
 * so these tests run against a loopback fake written from Meta's reference
 * (request shape, error codes and the HTTP statuses that carry them).
 */

const CITIZEN = '+393331234567'

async function setup(settings: Record<string, unknown> = {}, token?: string, timeoutMs = 2_000) {
  const fake = track(await startFakeWhatsappCloud())
  const config: AdapterConfig = {
    accountId: 1,
    name: 'WhatsApp Meta',
    settings: {
      baseUrl: fake.url,
      apiVersion: 'v23.0',
      phoneNumberId: fake.phoneNumberId,
      templateName: 'allerta_protezione_civile',
      templateLanguage: 'it',
      templateVariables: 'titolo,comuni,istruzioni',
      ...settings,
    },
    secrets: { accessToken: token ?? fake.accessToken },
  }
  return { fake, adapter: createCloudWhatsappAdapter(config, { timeoutMs }) }
}

const alertTo = (to: string) => toPerson(to, 'testo libero non usato', { alert: RIVER_ALERT })

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

describe('WhatsApp Cloud API adapter against a loopback Graph', () => {
  it('sends the approved template, its body filled with the alert’s fields', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(alertTo(CITIZEN))

    expect(outcome).toEqual({ status: 'sent', providerId: fake.messages[0]?.id })
    expect(fake.messages[0]?.id).toMatch(/^wamid\./)
    const req = fake.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe(`/v23.0/${fake.phoneNumberId}/messages`)
    expect(bearer(req!)).toBe(fake.accessToken)
    expect(req?.headers['content-type']).toContain('application/json')
    expect(req?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '393331234567',
      type: 'template',
      template: {
        name: 'allerta_protezione_civile',
        language: { code: 'it' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Allerta arancione per rischio idraulico' },
              { type: 'text', text: 'Vinci, Empoli e Cerreto Guidi' },
              { type: 'text', text: 'Non sostate sui ponti e nei sottopassi.' },
            ],
          },
        ],
      },
    })
    expect(adapter.idempotent).toBe(false)
    // Delivery receipts come only by webhook: there is nothing to poll.
    expect(adapter.fetchStatus).toBeUndefined()
    expect(adapter.limits()).toMatchObject({ ratePerSecond: 10 })
  })

  it('puts a paragraph on one line, as Meta requires of a parameter', async () => {
    const { fake, adapter } = await setup({ templateVariables: 'livello,descrizione,inizio' })
    const alert = { ...RIVER_ALERT, description: 'Piena attesa.\n\nEvitate\tgli argini.' }
    expect((await adapter.send(toPerson(CITIZEN, 'x', { alert }))).status).toBe('sent')
    expect(fake.messages[0]?.template?.parameters).toEqual([
      'ARANCIONE',
      'Piena attesa. Evitate gli argini.',
      '14:00 di sabato 7 febbraio',
    ])
  })

  it('names the template and language Meta does not know (132001)', async () => {
    const { fake, adapter } = await setup({ templateLanguage: 'fr' })
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'template_not_found' })
    expect(failure.reason).toContain('templateLanguage')
    expect(failure.reason).toContain('#132001')
    expect(fake.messages).toHaveLength(0)
    expect(
      (await (await setup({ templateLanguage: 'en' })).adapter.send(alertTo(CITIZEN))).status,
    ).toBe('sent')
  })

  it('points at templateVariables when the count does not match the template (132000)', async () => {
    const { adapter } = await setup({ templateVariables: 'titolo,comuni' })
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'template_parameters' })
    expect(failure.reason).toContain('templateVariables')
  })

  it('says a paused template needs another one (132015)', async () => {
    const { fake, adapter } = await setup()
    fake.templates[0]!.status = 'PAUSED'
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'permanent',
      code: 'template_paused',
    })
  })

  it('does not retry a number without WhatsApp (131026)', async () => {
    const { fake, adapter } = await setup()
    fake.notOnWhatsapp(CITIZEN)
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'undeliverable' })
    expect(failure.reason).toContain('non usa WhatsApp')
  })

  it('explains the 24-hour window when Meta asks for re-engagement (131047)', async () => {
    const { fake, adapter } = await setup()
    fake.errorNext(131047)
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'outside_window' })
    expect(failure.reason).toContain('24 ore')
    expect(failure.reason).toContain('modello approvato')
  })

  it('fails permanently on a wrong or expired token, without leaking it', async () => {
    const { fake, adapter } = await setup({}, 'EAAGwrongTokenForTests987654')
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    const check = await adapter.testConnection()
    expect(check.ok).toBe(false)
    expectNoSecrets([failure, check], ['EAAGwrongTokenForTests987654', fake.accessToken])

    const valid = await setup()
    valid.fake.expireToken()
    expect(expectFailure(await valid.adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'permanent',
      code: 'auth',
    })
  })

  it('refuses, without a request, a message with no alert, an empty field or no person', async () => {
    const { fake, adapter } = await setup({ templateVariables: 'titolo,link,comuni' })
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))).toMatchObject({
      retry: 'permanent',
      code: 'template_data_missing',
    })
    const noWeb = expectFailure(
      await adapter.send(toPerson(CITIZEN, 'x', { alert: { ...RIVER_ALERT, web: undefined } })),
    )
    expect(noWeb).toMatchObject({ retry: 'permanent', code: 'template_value_missing' })
    expect(noWeb.reason).toContain('link')
    expect(
      expectFailure(await adapter.send(toPage('Prova', { alert: RIVER_ALERT }))),
    ).toMatchObject({ retry: 'permanent', code: 'invalid_destination' })
    expect(fake.requests).toHaveLength(0)
  })

  it('refuses to build with an unknown template field', () => {
    const config: AdapterConfig = {
      accountId: 1,
      name: 'WhatsApp Meta',
      settings: { phoneNumberId: '1', templateName: 'allerta', templateVariables: 'titolo,ora' },
      secrets: { accessToken: 'token-1234' },
    }
    expect(() => createCloudWhatsappAdapter(config)).toThrow(AdapterConfigError)
    expect(() => createCloudWhatsappAdapter(config)).toThrow(/«ora».*titolo, livello/)
  })

  it('checks the phone number and shows its name and quality', async () => {
    const { fake, adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: expect.stringContaining('Protezione Civile Empolese Valdelsa'),
      code: 'whatsapp_cloud_number',
      params: expect.objectContaining({ name: expect.stringContaining('Protezione Civile') }),
    })
    expect((await adapter.testConnection()).message).toContain('qualità GREEN')
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      path: `/v23.0/${fake.phoneNumberId}`,
    })
    const wrongId = await setup({ phoneNumberId: '999' })
    expect((await wrongId.adapter.testConnection()).ok).toBe(false)
  })
})

describe('WhatsApp Cloud API adapter when the request goes wrong', () => {
  it.each([
    [130429, 2_000],
    [131056, 6_000],
  ])('waits out the rate limit %i as transient, nothing accepted', async (code, waitMs) => {
    const { fake, adapter } = await setup()
    fake.errorNext(code)
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: waitMs,
    })
    expect(fake.messages).toHaveLength(0)
    expect((await adapter.send(alertTo(CITIZEN))).status).toBe('sent')
  })

  it('waits as long as Meta says on an HTTP 429 (80007)', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 120)
    const failure = expectFailure(await adapter.send(alertTo(CITIZEN)))
    expect(failure).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 120_000,
    })
    expect(fake.messages).toHaveLength(0)
  })

  it('leaves Meta’s “something went wrong” (131000, 1, 2, HTTP 500) to the operator', async () => {
    const { fake, adapter } = await setup()
    fake.errorNext(131000, { accept: true })
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'uncertain',
      code: 'provider_error',
    })
    expect(fake.messages).toHaveLength(1)
    for (const code of [1, 2]) {
      fake.errorNext(code)
      expect(expectFailure(await adapter.send(alertTo(CITIZEN))).retry).toBe('uncertain')
    }
    fake.failNext(1, 500)
    expect(expectFailure(await adapter.send(alertTo(CITIZEN))).retry).toBe('uncertain')
  })

  it('retries through an outage in which Meta accepts nothing', async () => {
    const { fake, adapter } = await setup()
    fake.outage(true)
    for (let i = 0; i < 3; i++) {
      expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
        retry: 'transient',
        code: 'provider_unavailable',
      })
    }
    expect(fake.messages).toHaveLength(0)
    fake.outage(false)
    expect((await adapter.send(alertTo(CITIZEN))).status).toBe('sent')
    expect(fake.messages).toHaveLength(1)
  })

  it('is uncertain when Meta accepted the message but the answer never came', async () => {
    const { fake, adapter } = await setup({}, undefined, 150)
    fake.delayNext(1, 600)
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'uncertain',
      code: 'timeout',
    })
    fake.dropAfterNext(1)
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'uncertain',
      code: 'network',
    })
    fake.garbleNext(1)
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'uncertain',
      code: 'bad_response',
    })
    await vi.waitFor(() => expect(fake.messages).toHaveLength(3), { timeout: 3_000 })
  })

  it('is transient when Graph cannot be reached at all', async () => {
    const { adapter } = await setup({ baseUrl: `http://127.0.0.1:${await freePort()}` })
    expect(expectFailure(await adapter.send(alertTo(CITIZEN)))).toMatchObject({
      retry: 'transient',
      code: 'network',
    })
  })
})
