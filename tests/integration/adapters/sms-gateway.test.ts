import { describe, expect, it, vi } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import {
  createSmsGatewayAdapter,
  orderIdFor,
  parseGatewayDate,
} from '../../../src/main/core/channels/adapters/sms-gateway'
import { startFakeSmsGateway } from '../../fakes/sms-gateway-fake'
import { expectFailure, expectNoSecrets, toPage, toPerson, track } from './http-helpers'

async function setup(settings: Record<string, unknown> = {}, password?: string, timeoutMs = 2_000) {
  const fake = track(await startFakeSmsGateway())
  const config: AdapterConfig = {
    accountId: 2,
    name: 'SMS scuole',
    settings: {
      baseUrl: fake.baseUrl,
      username: fake.username,
      sender: 'ProtCivile',
      messageType: 'GP',
      ...settings,
    },
    secrets: { password: password ?? fake.password },
  }
  return { fake, adapter: createSmsGatewayAdapter(config, { timeoutMs }) }
}

describe('SMS gateway adapter against a loopback Skebby-style gateway', () => {
  it('logs in, then sends with the session headers and our order id', async () => {
    const { fake, adapter } = await setup()
    const message = toPerson('+393331234567', 'Domani scuole chiuse per neve')
    const outcome = await adapter.send(message)

    expect(outcome).toEqual({ status: 'sent', providerId: message.idempotencyKey, segments: 1 })
    const [login, post] = fake.requests
    expect(login?.path).toBe('/API/v1.0/REST/login')
    expect(post?.headers['user_key']).toBe('UK1234')
    expect(post?.headers['session_key']).toMatch(/^SK-/)
    expect(post?.body).toEqual({
      message_type: 'GP',
      message: 'Domani scuole chiuse per neve',
      recipient: ['+393331234567'],
      sender: 'ProtCivile',
      order_id: message.idempotencyKey,
      returnCredits: true,
    })
    expect(adapter.idempotent).toBe(true)
  })

  it('keeps one session for many sends', async () => {
    const { fake, adapter } = await setup()
    await Promise.all([1, 2, 3].map((i) => adapter.send(toPerson(`+39333123456${i}`, 'Prova'))))
    expect(fake.logins).toBe(1)
    expect(fake.orders).toHaveLength(3)
  })

  it('logs in again when the session expired, and the send goes through once', async () => {
    const { fake, adapter } = await setup()
    await adapter.send(toPerson('+393331234567', 'Prima'))
    fake.expireSessions()
    const outcome = await adapter.send(toPerson('+393331234567', 'Seconda'))
    expect(outcome.status).toBe('sent')
    expect(fake.logins).toBe(2)
    expect(fake.orders.map((o) => o.message)).toEqual(['Prima', 'Seconda'])
  })

  it('treats the same order id twice as one message (the gateway refuses the duplicate)', async () => {
    const { fake, adapter } = await setup()
    const message = toPerson('+393331234567', 'Allerta meteo')
    const first = await adapter.send(message)
    const again = await adapter.send(message)
    expect(again).toEqual({
      status: 'sent',
      providerId: first.status === 'sent' ? first.providerId : 'x',
    })
    expect(fake.orders).toHaveLength(1)
    // The second POST really reached the gateway and was refused there.
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
  })

  it('recovers from a timeout after the gateway accepted: the retry does not text twice', async () => {
    const { fake, adapter } = await setup({}, undefined, 150)
    await adapter.testConnection()
    fake.delayNext(1, 400)
    const message = toPerson('+393331234567', 'Evacuazione via Roma')
    // Maybe sent; the order id makes the outbox's retry harmless on this gateway.
    expect(adapter.idempotent).toBe(true)
    expect(expectFailure(await adapter.send(message))).toMatchObject({
      retry: 'uncertain',
      code: 'timeout',
    })
    await vi.waitFor(() => expect(fake.orders).toHaveLength(1))
    expect(await adapter.send(message)).toMatchObject({
      status: 'sent',
      providerId: message.idempotencyKey,
    })
    expect(fake.orders).toHaveLength(1)
  })

  it('derives a stable, gateway-safe order id from a long key', async () => {
    const key = 'outbox:alert-2026-01-23/row 17 (sms)'
    expect(orderIdFor(key)).toMatch(/^[A-Za-z0-9_-]{1,32}$/)
    expect(orderIdFor(key)).toBe(orderIdFor(key))
    expect(orderIdFor(key)).not.toBe(orderIdFor(`${key}!`))
    const { fake, adapter } = await setup()
    await adapter.send(toPerson('+393331234567', 'Prova', { idempotencyKey: key }))
    expect(fake.orders[0]?.orderId).toBe(orderIdFor(key))
  })

  it('polls the order until delivered, with the gateway’s Italian time as UTC', async () => {
    const { adapter } = await setup()
    const outcome = await adapter.send(toPerson('+393331234567', 'Prova'))
    if (outcome.status !== 'sent' || !outcome.providerId) throw new Error('send failed')
    expect(await adapter.fetchStatus?.(outcome.providerId)).toEqual({ status: 'sent' })
    expect(await adapter.fetchStatus?.(outcome.providerId)).toEqual({
      status: 'delivered',
      at: '2026-01-23T14:45:12.000Z',
    })
  })

  it('reads gateway dates in summer time too', () => {
    expect(parseGatewayDate('20260715120000')).toBe('2026-07-15T10:00:00.000Z')
    expect(parseGatewayDate('not a date')).toBeUndefined()
  })

  it('reports a blacklisted number as a failed delivery', async () => {
    const { fake, adapter } = await setup()
    fake.blacklist('+393330000000')
    const outcome = await adapter.send(toPerson('+393330000000', 'Prova'))
    if (outcome.status !== 'sent' || !outcome.providerId) throw new Error('send failed')
    expect(await adapter.fetchStatus?.(outcome.providerId)).toEqual({
      status: 'failed',
      code: 'BLACKLISTED',
      reason: expect.stringContaining('lista nera'),
    })
  })

  it('answers unknown for an order the gateway does not know', async () => {
    const { adapter } = await setup()
    expect(await adapter.fetchStatus?.('nope')).toEqual({ status: 'unknown' })
  })

  it('fails permanently on a wrong password, never showing it', async () => {
    const { adapter } = await setup({}, 'sbagliata-123')
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    expectNoSecrets(failure, ['sbagliata-123'])
    const check = await adapter.testConnection()
    expect(check).toEqual({
      ok: false,
      message: expect.stringContaining('utente o password errati'),
      code: 'auth',
      params: { provider: 'Gateway SMS' },
    })
  })

  it('honours Retry-After on 429', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 30)
    const failure = expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))
    expect(failure).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 30_000,
    })
  })

  it('treats a gateway error as maybe sent, and a gateway that is down as not sent', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 500)
    expect(expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'provider_error',
    })
    fake.failNext(1, 503)
    expect(expectFailure(await adapter.send(toPerson('+393331234567', 'Prova')))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
  })

  it('refuses an invalid number permanently with the gateway’s words', async () => {
    const { adapter } = await setup()
    const failure = expectFailure(await adapter.send(toPerson('333-abc', 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'invalid_number' })
    expect(failure.detail).toContain('Invalid recipient')
  })

  it('leaves the sender out for low-cost messages, which cannot carry one', async () => {
    const { fake, adapter } = await setup({ messageType: 'SI' })
    expect((await adapter.send(toPerson('+393331234567', 'Prova'))).status).toBe('sent')
    expect(fake.orders[0]).toMatchObject({ messageType: 'SI', sender: undefined })
  })

  it('refuses a page destination without calling the gateway', async () => {
    const { fake, adapter } = await setup()
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      code: 'invalid_destination',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('checks the connection with a fresh login', async () => {
    const { fake, adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: expect.stringContaining(fake.username),
      code: 'sms_gateway_login',
      params: { user: fake.username },
    })
    expect(fake.logins).toBe(1)
  })
})
