import { describe, expect, it } from 'vitest'
import type { SendOutcome } from '../../../src/main/core/channels/adapter'
import { createSimulatedAdapter } from '../../../src/main/core/channels/adapters/simulated'
import { splitTelegramText } from '../../../src/main/core/channels/adapters/telegram-split'
import { expectFailure, toPage, toPerson } from './http-helpers'

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-01-23T10:00:00Z')) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

async function sendMany(seed: number, count: number): Promise<SendOutcome['status'][]> {
  const twin = createSimulatedAdapter('sms_gateway', {
    seed,
    failureRate: { transient: 0.3, permanent: 0.1 },
  })
  const out: SendOutcome['status'][] = []
  for (let i = 0; i < count; i++) {
    const outcome = await twin.send(toPerson(`+39333000${String(i).padStart(4, '0')}`, 'Prova'))
    out.push(outcome.status === 'failed' ? (`failed` as const) : outcome.status)
  }
  return out
}

describe('simulated channel twin', () => {
  it('records what it sent and says it is simulated', async () => {
    const twin = createSimulatedAdapter('sms_twilio', { accountId: 9 })
    const message = toPerson('+393331234567', 'Esercitazione: allerta rossa')
    const outcome = await twin.send(message)
    expect(outcome).toEqual({ status: 'sent', providerId: 'sim-sms_twilio-9-1' })
    expect(twin.simulated).toBe(true)
    expect(twin.sent).toEqual([
      { providerId: 'sim-sms_twilio-9-1', at: expect.any(Number), accountId: 9, message },
    ])
    expect((await twin.testConnection()).message).toContain('simulato')
  })

  it('tells the same story for the same seed, and another for another seed', async () => {
    const a = await sendMany(42, 60)
    expect(await sendMany(42, 60)).toEqual(a)
    expect(await sendMany(43, 60)).not.toEqual(a)
  })

  it('fails at about the configured rates', async () => {
    const twin = createSimulatedAdapter('sms_gateway', {
      seed: 7,
      failureRate: { transient: 0.2, permanent: 0.05 },
    })
    const counts = { sent: 0, transient: 0, permanent: 0, uncertain: 0 }
    for (let i = 0; i < 1000; i++) {
      const outcome = await twin.send(
        toPerson('+393331234567', 'Prova', { idempotencyKey: `k${i}` }),
      )
      if (outcome.status === 'failed') counts[outcome.retry]++
      else counts.sent++
    }
    expect(counts.transient).toBeGreaterThan(150)
    expect(counts.transient).toBeLessThan(250)
    expect(counts.permanent).toBeGreaterThan(25)
    expect(counts.permanent).toBeLessThan(80)
    // A simulated failure is a refusal the twin knows about: never "maybe sent".
    expect(counts.uncertain).toBe(0)
    expect(twin.sent).toHaveLength(counts.sent)
    expect(twin.attempts).toBe(1000)
  })

  it('answers pending, then delivered once the receipt delay has passed', async () => {
    const clock = manualClock()
    const twin = createSimulatedAdapter('sms_gateway', { now: clock.now, receiptDelayMs: 30_000 })
    const outcome = await twin.send(toPerson('+393331234567', 'Prova'))
    const id = outcome.status === 'sent' ? outcome.providerId : undefined
    if (!id) throw new Error('send failed')
    expect(await twin.fetchStatus?.(id)).toEqual({ status: 'pending' })
    clock.advance(29_999)
    expect(await twin.fetchStatus?.(id)).toEqual({ status: 'pending' })
    clock.advance(1)
    expect(await twin.fetchStatus?.(id)).toEqual({
      status: 'delivered',
      at: '2026-01-23T10:00:30.000Z',
    })
    expect(await twin.fetchStatus?.('sconosciuto')).toEqual({ status: 'unknown' })
  })

  it('waits its latency and can be interrupted', async () => {
    const twin = createSimulatedAdapter('telegram', { latencyMs: { min: 5_000, max: 10_000 } })
    const controller = new AbortController()
    const pending = twin.send(toPage('Prova'), controller.signal)
    controller.abort()
    expect(expectFailure(await pending)).toMatchObject({ retry: 'transient', code: 'aborted' })
    expect(twin.sent).toHaveLength(0)
  })

  it('plays a fault window: the gateway is down for ten minutes', async () => {
    const clock = manualClock()
    const twin = createSimulatedAdapter('sms_gateway', { now: clock.now })
    twin.setFault({ until: clock.now() + 10 * 60_000, kind: 'down' })
    expect(expectFailure(await twin.send(toPerson('+393331234567', 'Prova')))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
    expect((await twin.testConnection()).ok).toBe(false)
    clock.advance(10 * 60_000)
    expect((await twin.send(toPerson('+393331234567', 'Prova'))).status).toBe('sent')
    expect((await twin.testConnection()).ok).toBe(true)
  })

  it('rate limits until the end of the window, or rejects outright', async () => {
    const clock = manualClock()
    const twin = createSimulatedAdapter('x', { now: clock.now })
    twin.setFault({ until: clock.now() + 90_000, kind: 'rate_limited' })
    clock.advance(30_000)
    expect(expectFailure(await twin.send(toPage('Prova')))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 60_000,
    })
    twin.setFault({ until: clock.now() + 1_000, kind: 'reject' })
    const rejected = expectFailure(await twin.send(toPage('Prova')))
    expect(rejected).toMatchObject({ retry: 'permanent', code: 'rejected' })
    expect(rejected.reason).toMatch(/^Simulazione: /)
    twin.setFault(null)
    expect((await twin.send(toPage('Prova'))).status).toBe('sent')
  })

  it('absorbs a resend where the real provider is idempotent, and duplicates where it is not', async () => {
    const gateway = createSimulatedAdapter('sms_gateway')
    const twilio = createSimulatedAdapter('sms_twilio')
    const message = toPerson('+393331234567', 'Prova')
    for (const twin of [gateway, twilio]) {
      await twin.send(message)
      await twin.send(message)
    }
    expect(gateway.idempotent).toBe(true)
    expect(gateway.sent).toHaveLength(1)
    expect(twilio.idempotent).toBe(false)
    expect(twilio.sent).toHaveLength(2)
  })

  it('splits long Telegram texts like the real adapter', async () => {
    const twin = createSimulatedAdapter('telegram')
    const text = `${'Aggiornamento sulla piena. '.repeat(200)}\n\n${'Restate in casa. '.repeat(200)}`
    const outcome = await twin.send(toPage(text))
    expect(outcome).toMatchObject({ status: 'sent', partIds: expect.any(Array) })
    expect(outcome.status === 'sent' ? outcome.partIds : []).toHaveLength(
      splitTelegramText(text).length - 1,
    )
  })

  it('paces like the real provider unless the drill says otherwise', () => {
    expect(createSimulatedAdapter('x').limits()).toMatchObject({
      ratePerSecond: 0.2,
      maxTextLength: 280,
    })
    expect(createSimulatedAdapter('x', { limits: { ratePerSecond: 50 } }).limits()).toMatchObject({
      ratePerSecond: 50,
      maxTextLength: 280,
    })
  })

  it('forgets everything on reset and replays the same draws', async () => {
    const twin = createSimulatedAdapter('mastodon', { seed: 5, failureRate: { transient: 0.5 } })
    const first = await twin.send(toPage('A', { idempotencyKey: 'a' }))
    twin.reset()
    expect(twin.sent).toHaveLength(0)
    expect(twin.attempts).toBe(0)
    expect(await twin.send(toPage('A', { idempotencyKey: 'a' }))).toEqual(first)
  })
})
