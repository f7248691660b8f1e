import { describe, expect, expectTypeOf, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import {
  createAdapter,
  createAdapterFactory,
  createSimulatedRegistry,
  type DrillAdapterFactory,
  type SimulatedChannelAdapter,
  type SimulatedRegistry,
} from '../../../src/main/core/channels/adapters'
import { createDrillAdapterFactory } from '../../../src/main/core/drill-runtime'
import { CHANNEL_KINDS } from '../../../src/shared/channels/kinds'

const config = (accountId: number): AdapterConfig => ({
  accountId,
  name: 'SMS Twilio',
  settings: { baseUrl: 'https://api.twilio.com', accountSid: 'AC1', from: '+390571000000' },
  secrets: { authToken: 'segreto' },
})

describe('in a drill a real adapter cannot be built', () => {
  it('by type: the drill factory returns only simulated twins', () => {
    expectTypeOf(createDrillAdapterFactory).returns.toEqualTypeOf<DrillAdapterFactory>()
    expectTypeOf<ReturnType<DrillAdapterFactory>>().toEqualTypeOf<SimulatedChannelAdapter>()
    expectTypeOf<ReturnType<DrillAdapterFactory>['simulated']>().toEqualTypeOf<true>()
    expectTypeOf(createAdapterFactory('drill')).toEqualTypeOf<DrillAdapterFactory>()
  })

  it('at run time: every kind, real settings and secrets included, gets its twin', async () => {
    const factory = createDrillAdapterFactory({
      registry: createSimulatedRegistry(),
      marker: () => 'ESERCITAZIONE - ',
    })
    for (const [i, kind] of CHANNEL_KINDS.entries()) {
      const adapter = factory(kind, config(i + 1))
      expect(adapter.simulated, kind).toBe(true)
      expect(await adapter.testConnection()).toMatchObject({ ok: true, message: /simulato/ })
    }
  })

  it('at run time: a registry that hands back a real adapter is refused before anything is sent', () => {
    const real = createAdapter('sms_twilio', config(1))
    expect(real.simulated).toBe(false)
    const treacherous = {
      ...createSimulatedRegistry(),
      adapterFor: () => real as unknown as SimulatedChannelAdapter,
    } satisfies SimulatedRegistry
    const factory = createDrillAdapterFactory({ registry: treacherous, marker: () => 'X' })
    expect(() => factory('sms_twilio', config(1))).toThrow(/non è simulato/)
  })

  it('marks each message before the twin records it, with the wording of the moment', async () => {
    const registry = createSimulatedRegistry()
    let wording = 'ESERCITAZIONE - '
    const factory = createDrillAdapterFactory({ registry, marker: () => wording })
    const twin = factory('telegram', { ...config(7), settings: { chatId: '@allerte' } })
    await twin.send({ idempotencyKey: 'a', destination: { type: 'page' }, text: 'Neve in arrivo' })
    wording = '[PROVA]'
    await twin.send({ idempotencyKey: 'b', destination: { type: 'page' }, text: 'Neve' })
    expect(registry.sent().map((s) => s.message.text)).toEqual([
      'ESERCITAZIONE - Neve in arrivo',
      '[PROVA] Neve',
    ])
    expect(twin.sent).toHaveLength(2)
    expect(twin.attempts).toBe(2)
  })

  it('lets a drill call like the real account: the spoken marker first, its tries and its cap kept', async () => {
    const registry = createSimulatedRegistry()
    const factory = createDrillAdapterFactory({ registry, marker: () => 'ESERCITAZIONE - ' })
    const settings = {
      attempts: 2,
      attemptIntervalMinutes: 15,
      maxConcurrentCalls: 7,
      quietHours: '',
    }
    const twin = factory('voice_twilio', { ...config(8), settings })
    expect(twin.callPolicy?.()).toEqual({
      attempts: 2,
      intervalMs: 15 * 60_000,
      maxConcurrentCalls: 7,
      quietHours: null,
    })
    await twin.send({
      idempotencyKey: 'c',
      destination: { type: 'person', address: '+390571000001' },
      text: 'Allerta arancione.',
    })
    expect(registry.sent().map((s) => s.message.text)).toEqual([
      'Esercitazione. Allerta arancione.',
    ])
  })
})
