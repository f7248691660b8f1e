import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { ChannelAccountView, Envelope } from '../../../src/shared/contract'
import { startFakeHttp, type FakeHttpServer } from '../../fakes/http-fake'
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-fake'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio-fake'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let call: (name: string, payload: unknown) => Promise<Envelope>
const servers: { close(): Promise<void> }[] = []
beforeEach(() => {
  t = createTestCore()
  const dispatch = createDispatch(t.core.handlers)
  call = (name, payload) => dispatch(name, payload, { operator: 'ict' })
})
afterEach(async () => {
  t.dispose()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const SID = `AC${'a'.repeat(32)}`

async function twilioAccount(baseUrl: string, authToken: string, accountSid = SID) {
  const r = await call('channels:create', {
    kind: 'sms_twilio',
    name: 'SMS Twilio',
    settings: { baseUrl, accountSid, from: '+390571123456' },
    secrets: { authToken },
  })
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return (r.value as ChannelAccountView).id
}

async function check(id: number) {
  const r = (await call('channels:test', { id })) as {
    ok: true
    value: { ok: boolean; message: string }
  }
  return r.value
}

describe('a failed connection check, in words for a person', () => {
  it('gives the code and reason of a provider answering an error JSON without a message', async () => {
    // A mock server's validation error (RFC 7807), as Prism answers a request off its spec.
    const prism: FakeHttpServer = await startFakeHttp(
      () => ({
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY',
          title: 'Invalid request',
          status: 422,
          detail:
            'Your request is not valid and no HTTP validation response was found in the spec.',
          validation: [{ location: ['path', 'AccountSid'], severity: 'Error', code: 'pattern' }],
        },
      }),
      {
        rateLimited: () => ({ status: 429 }),
        serverError: (status) => ({ status }),
      },
    )
    servers.push(prism)
    const result = await check(await twilioAccount(prism.url, 'token-di-prova'))
    expect(result.ok).toBe(false)
    expect(result.message).toContain('HTTP 422')
    expect(result.message).toContain('Invalid request')
    expect(result.message).not.toMatch(/[{}]|"status"|stoplight/)
  })

  it('names Twilio’s error code and says in Italian what it means', async () => {
    const twilio: FakeTwilio = await startFakeTwilio({ accountSid: SID })
    servers.push(twilio)
    const result = await check(await twilioAccount(twilio.url, 'token-sbagliato'))
    expect(result.ok).toBe(false)
    expect(result.message).toMatch(/Credenziali Twilio non valide/)
    expect(result.message).toContain('20003')
    expect(result.message).not.toMatch(/[{}]/)
    expect(result.message).not.toContain('token-sbagliato')
  })

  it('reads Telegram’s refusal as words, not its JSON', async () => {
    const telegram: FakeTelegram = await startFakeTelegram()
    servers.push(telegram)
    const r = await call('channels:create', {
      kind: 'telegram',
      name: 'Telegram allerte',
      settings: { baseUrl: telegram.url, chatId: '@allerte_empolese' },
      secrets: { botToken: '123456789:AAOtherTokenThatTelegramRefuses_xyz' },
    })
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    const result = await check((r.value as ChannelAccountView).id)
    expect(result.ok).toBe(false)
    expect(result.message).toContain('Unauthorized')
    expect(result.message).not.toMatch(/[{}]|"ok"/)
  })
})

describe('an account refused by its provider’s format', () => {
  it('does not save the Account SID "AC123", naming the field and the rule', async () => {
    const r = await call('channels:create', {
      kind: 'sms_twilio',
      name: 'SMS Twilio',
      settings: { baseUrl: 'https://api.twilio.com', accountSid: 'AC123', from: '+390571123456' },
      secrets: { authToken: 'token' },
    })
    expect(r.ok).toBe(false)
    expect(JSON.stringify(r)).toContain('"path":"settings.accountSid"')
    expect(JSON.stringify(r)).toContain('"code":"twilio_account_sid"')
    expect(await t.core.handlers['channels:list']({}, { operator: 'ict' })).toEqual([])
  })

  it('does not save a Telegram bot token that is not one', async () => {
    const r = await call('channels:create', {
      kind: 'telegram',
      name: 'Telegram allerte',
      settings: { baseUrl: 'https://api.telegram.org', chatId: '@allerte_empolese' },
      secrets: { botToken: '123:abc' },
    })
    expect(r.ok).toBe(false)
    expect(JSON.stringify(r)).toContain('"path":"secrets.botToken"')
    expect(JSON.stringify(r)).toContain('"code":"telegram_bot_token"')
  })
})
