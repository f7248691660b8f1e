import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, expectTypeOf, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AdapterConfig, ChannelAdapter } from '../../../src/main/core/channels/adapter'
import {
  AdapterConfigError,
  assertSimulated,
  createAdapter,
  createAdapterFactory,
  createSimulatedRegistry,
  type DrillAdapterFactory,
  type SimulatedChannelAdapter,
} from '../../../src/main/core/channels/adapters'
import { CHANNEL_KINDS, describeKind, type ChannelKind } from '../../../src/shared/channels/kinds'
import { toPage, toPerson } from './http-helpers'

/** An RSA key made for this test run: a Vonage account signs its JWTs with one. */
const TEST_PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString()

/** Settings a real account of each kind could have (nothing listens at these addresses). */
function realConfig(
  kind: ChannelKind,
  accountId: number,
  fetchImpl: typeof fetch,
  outputDir = '/tmp',
): AdapterConfig {
  const settings: Record<ChannelKind, Record<string, unknown>> = {
    sms_twilio: {
      baseUrl: 'https://api.twilio.com',
      accountSid: `AC${'a'.repeat(32)}`,
      from: '+15005550006',
    },
    sms_gateway: {
      baseUrl: 'https://api.skebby.it/API/v1.0/REST/',
      username: 'pc',
      sender: 'PC',
      messageType: 'GP',
    },
    sms_smpp: { host: '127.0.0.1', port: 1, systemId: 'pc', sourceAddr: 'PC' },
    email_smtp: { host: '127.0.0.1', port: 1, security: 'none', fromAddress: 'pc@example.org' },
    telegram: { baseUrl: 'https://api.telegram.org', chatId: '@pc' },
    facebook_page: { baseUrl: 'https://graph.facebook.com', apiVersion: 'v23.0', pageId: '1' },
    x: { baseUrl: 'https://api.x.com', handle: 'pc' },
    mastodon: { baseUrl: 'https://mastodon.example', visibility: 'public' },
    bluesky: { baseUrl: 'https://bsky.social', handle: 'pc.bsky.social' },
    website: {
      outputDir,
      publicBaseUrl: 'https://www.example.org/allerte',
      senderId: 'pc@example.org',
    },
    voice_twilio: {
      baseUrl: 'https://api.twilio.com',
      accountSid: `AC${'a'.repeat(32)}`,
      from: '+390571000000',
      language: 'it-IT',
    },
    voice_vonage: {
      baseUrl: 'https://api.nexmo.com',
      applicationId: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
      from: '390571000000',
      language: 'it-IT',
    },
    whatsapp_twilio: {
      baseUrl: 'https://api.twilio.com',
      accountSid: `AC${'a'.repeat(32)}`,
      from: '+390571000000',
      contentSid: `HX${'b'.repeat(32)}`,
      templateVariables: 'titolo,comuni,istruzioni',
    },
    whatsapp_cloud: {
      baseUrl: 'https://graph.facebook.com',
      apiVersion: 'v23.0',
      phoneNumberId: '1',
      templateName: 'allerta',
      templateLanguage: 'it',
      templateVariables: 'titolo,comuni,istruzioni',
    },
    youtube: {
      baseUrl: 'https://www.googleapis.com',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      channelId: `UC${'a'.repeat(22)}`,
      clientId: 'client.apps.googleusercontent.com',
    },
  }
  const secrets: Record<ChannelKind, Record<string, string>> = {
    sms_twilio: { authToken: 'real-token' },
    sms_gateway: { password: 'real-password' },
    sms_smpp: { password: 'real-password' },
    email_smtp: { password: 'real-password' },
    telegram: { botToken: '1:real' },
    facebook_page: { pageAccessToken: 'real-token' },
    x: { accessToken: 'real-token' },
    mastodon: { accessToken: 'real-token' },
    bluesky: { appPassword: 'real-password' },
    website: {},
    voice_twilio: { authToken: 'real-token' },
    voice_vonage: { privateKey: TEST_PRIVATE_KEY },
    whatsapp_twilio: { authToken: 'real-token' },
    whatsapp_cloud: { accessToken: 'real-token' },
    youtube: { clientSecret: 'real-secret', refreshToken: 'real-refresh-token' },
  }
  return {
    accountId,
    name: kind,
    settings: settings[kind],
    secrets: secrets[kind],
    fetch: fetchImpl,
  }
}

/** A fetch that must never be called: a drill reaching the network is a bug. */
function forbiddenFetch(calls: string[]): typeof fetch {
  return async (input) => {
    calls.push(String(input))
    throw new Error('network forbidden in a drill')
  }
}

describe('drill mode can only build simulated adapters', () => {
  it('builds a simulated twin for every kind, and none of them touches the network', async () => {
    const calls: string[] = []
    const factory = createAdapterFactory('drill')
    for (const [i, kind] of CHANNEL_KINDS.entries()) {
      const adapter = factory(kind, realConfig(kind, i + 1, forbiddenFetch(calls)))
      expect(adapter).toMatchObject({ kind, simulated: true })
      const outcome = await adapter.send(
        describeKind(kind).audience === 'people'
          ? toPerson('+393331234567', 'Esercitazione')
          : toPage('Esercitazione'),
      )
      expect(outcome.status).toBe('sent')
    }
    expect(calls).toEqual([])
  })

  it('promises simulated twins in its type', () => {
    expectTypeOf(createAdapterFactory('drill')).toEqualTypeOf<DrillAdapterFactory>()
    expectTypeOf<ReturnType<DrillAdapterFactory>['simulated']>().toEqualTypeOf<true>()
    // A real adapter is not assignable where a drill adapter is expected.
    expectTypeOf<ChannelAdapter>().not.toExtend<SimulatedChannelAdapter>()
  })

  it('refuses a real adapter at run time too', () => {
    const real = createAdapter('x', realConfig('x', 1, forbiddenFetch([])))
    expect(real.simulated).toBe(false)
    expect(() => assertSimulated(real)).toThrow(/non è simulato/)
    const impostor = { ...real, simulated: true } as ChannelAdapter
    expect(assertSimulated(impostor)).toBe(impostor)
  })

  it('keeps one twin per account, so faults and records last the whole drill', async () => {
    let t = Date.parse('2026-01-23T10:00:00Z')
    const registry = createSimulatedRegistry({ seed: 3, now: () => (t += 1_000) })
    const factory = createAdapterFactory('drill', { registry })
    const calls: string[] = []
    const gateway = factory('sms_gateway', realConfig('sms_gateway', 11, forbiddenFetch(calls)))
    expect(factory('sms_gateway', realConfig('sms_gateway', 11, forbiddenFetch(calls)))).toBe(
      gateway,
    )
    expect(registry.get(11)).toBe(gateway)

    registry.setFault({ kind: 'sms_gateway' }, { until: t + 600_000, kind: 'down' })
    expect((await gateway.send(toPerson('+393331234567', 'Prova'))).status).toBe('failed')
    // A gateway account first used after the fault was declared is down too.
    const second = factory('sms_gateway', realConfig('sms_gateway', 12, forbiddenFetch(calls)))
    expect((await second.send(toPerson('+393331234567', 'Prova'))).status).toBe('failed')
    const telegram = factory('telegram', realConfig('telegram', 13, forbiddenFetch(calls)))
    expect((await telegram.send(toPage('Prova'))).status).toBe('sent')

    registry.setFault({ accountId: 11 }, null)
    expect((await gateway.send(toPerson('+393331234567', 'Prova'))).status).toBe('sent')
    registry.setFault({ kind: 'sms_gateway' }, null)
    expect((await second.send(toPerson('+393331234567', 'Prova'))).status).toBe('sent')

    expect(registry.sent().map((s) => s.accountId)).toEqual([13, 11, 12])
    expect(registry.list()).toHaveLength(3)
    registry.clear()
    expect(registry.list()).toHaveLength(0)
    expect(calls).toEqual([])
  })

  it('applies per-kind drill settings', async () => {
    const registry = createSimulatedRegistry({}, { sms_gateway: { failureRate: { permanent: 1 } } })
    const factory = createAdapterFactory('drill', { registry })
    const gateway = factory('sms_gateway', realConfig('sms_gateway', 1, fetch))
    const x = factory('x', realConfig('x', 2, fetch))
    expect((await gateway.send(toPerson('+393331234567', 'Prova'))).status).toBe('failed')
    expect((await x.send(toPage('Prova'))).status).toBe('sent')
  })
})

describe('real mode builds the real adapter of each kind', () => {
  it('gives every kind its provider adapter, never a simulation', async () => {
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-registry-'))
    try {
      const factory = createAdapterFactory('real', { http: { timeoutMs: 500 } })
      for (const [i, kind] of CHANNEL_KINDS.entries()) {
        const adapter = factory(kind, realConfig(kind, i + 1, forbiddenFetch([]), outputDir))
        expect(adapter).toMatchObject({ kind, simulated: false })
        await adapter.close?.()
      }
    } finally {
      fs.rmSync(outputDir, { recursive: true, force: true })
    }
  })

  it('names the missing secret of an incomplete account', () => {
    const config = realConfig('mastodon', 1, fetch)
    expect(() => createAdapter('mastodon', { ...config, secrets: {} })).toThrow(AdapterConfigError)
    let caught: unknown
    try {
      createAdapter('telegram', { ...realConfig('telegram', 1, fetch), secrets: {} })
    } catch (err) {
      caught = err
    }
    expect(caught).toMatchObject({ field: 'secrets.botToken' })
  })
})
