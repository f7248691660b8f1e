import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdapterConfig, ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { AdapterConfigError } from '../../../src/main/core/channels/adapters/config'
import { createTwilioVoiceAdapter } from '../../../src/main/core/channels/adapters/voice-twilio'
import { recordingFetch, startPrism, type PrismMock, type PrismVerdict } from '../../fakes/prism'
import {
  startFakeTwilioVoice,
  UNVERIFIED_FROM,
  type FakeTwilioVoiceOptions,
  type TwilioCallScript,
} from '../../fakes/twilio-voice-fake'
import { expectFailure, expectNoSecrets, toPage, toPerson, track } from './http-helpers'

const FROM = '+390571000000'
const CITIZEN = '+393331234567'

async function setup(
  settings: Record<string, unknown> = {},
  opts: { token?: string; timeoutMs?: number; fake?: FakeTwilioVoiceOptions } = {},
) {
  const fake = track(await startFakeTwilioVoice(opts.fake))
  const config: AdapterConfig = {
    accountId: 1,
    name: 'Chiamate Twilio',
    settings: {
      baseUrl: fake.url,
      accountSid: fake.accountSid,
      from: FROM,
      language: 'it-IT',
      ...settings,
    },
    secrets: { authToken: opts.token ?? fake.authToken },
  }
  return { fake, adapter: createTwilioVoiceAdapter(config, { timeoutMs: opts.timeoutMs ?? 2_000 }) }
}

async function placed(adapter: ChannelAdapter, to = CITIZEN): Promise<string> {
  const outcome = await adapter.send(toPerson(to, 'Allerta rossa: restate in casa'))
  if (outcome.status === 'failed' || !outcome.providerId)
    throw new Error(`call not placed: ${JSON.stringify(outcome)}`)
  return outcome.providerId
}

async function pollToEnd(adapter: ChannelAdapter, sid: string) {
  const seen = []
  for (let i = 0; i < 6; i++) {
    const status = await adapter.fetchStatus!(sid)
    seen.push(status)
    if (status.status !== 'call' || !['queued', 'ringing', 'in_progress'].includes(status.outcome))
      break
  }
  return seen
}

describe('Twilio voice adapter against a loopback Twilio', () => {
  it('places one call that speaks the text in Italian, with machine detection', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(toPerson(CITIZEN, 'Allerta rossa: restate in casa'))
    expect(outcome).toEqual({ status: 'sent', providerId: fake.calls[0]?.sid })
    expect(fake.calls).toHaveLength(1)
    const req = fake.requests[0]
    expect(req?.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Calls.json`)
    expect(req?.headers['content-type']).toContain('application/x-www-form-urlencoded')
    expect(req?.body).toMatchObject({ To: CITIZEN, From: FROM, MachineDetection: 'Enable' })
    expect(fake.calls[0]?.say).toEqual({
      text: 'Allerta rossa: restate in casa',
      language: 'it-IT',
    })
    expect(adapter).toMatchObject({ kind: 'voice_twilio', idempotent: false, simulated: false })
  })

  it('escapes the text so that TwiML stays well-formed and the person hears every word', async () => {
    const { fake, adapter } = await setup({ voice: 'Polly.Bianca' })
    const text = `Fiume <Arno> & "Elsa": l'acqua sale </Say><Hangup/>`
    expect((await adapter.send(toPerson(CITIZEN, text))).status).toBe('sent')
    expect(fake.calls[0]?.say).toEqual({ text, language: 'it-IT', voice: 'Polly.Bianca' })
    expect(fake.calls[0]?.twiml).not.toContain('<Hangup/>')
  })

  it('plays the operator’s recording instead of speaking, and can skip machine detection', async () => {
    const { fake, adapter } = await setup({ machineDetection: false })
    const audioUrl = 'https://comune.example.it/audio/allerta.mp3?v=1&lang=it'
    const outcome = await adapter.send(toPerson(CITIZEN, 'Testo di riserva', { audioUrl }))
    expect(outcome.status).toBe('sent')
    expect(fake.calls[0]?.play).toBe(audioUrl)
    expect(fake.calls[0]?.say).toBeUndefined()
    expect(fake.requests[0]?.body).not.toHaveProperty('MachineDetection')
  })

  it.each<[TwilioCallScript, string, number | undefined]>([
    ['answered', 'answered', 40],
    ['machine', 'voicemail', 25],
    ['busy', 'busy', undefined],
    ['no-answer', 'no_answer', undefined],
    ['failed', 'failed', undefined],
  ])('follows a call that ends %s to the outcome %s', async (script, outcome, duration) => {
    const { fake, adapter } = await setup()
    fake.script(CITIZEN, script, duration ?? 0)
    const sid = await placed(adapter)
    const seen = await pollToEnd(adapter, sid)
    const last = seen[seen.length - 1]
    expect(last).toMatchObject({ status: 'call', outcome })
    if (duration !== undefined) {
      expect(last).toMatchObject({ durationSeconds: duration, at: expect.any(String) })
      expect(Number.isNaN(Date.parse((last as { at: string }).at))).toBe(false)
    } else expect(last).not.toHaveProperty('durationSeconds')
    if (script !== 'failed') expect(seen[0]).toMatchObject({ outcome: 'ringing' })
    if (script === 'machine')
      expect(last).toMatchObject({ detail: expect.stringContaining('machine_start') })
  })

  it('answers unknown for a call Twilio does not know, rather than a verdict', async () => {
    const { adapter } = await setup()
    expect(await adapter.fetchStatus!(`CA${'0'.repeat(32)}`)).toEqual({ status: 'unknown' })
  })

  it('turns a 429 into a transient failure that honours Retry-After, with no call placed', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 12)
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 12_000,
    })
    expect(fake.calls).toHaveLength(0)
    expect((await adapter.send(toPerson(CITIZEN, 'Prova'))).status).toBe('sent')
  })

  it('is refused as transient beyond the account’s calls at once, and places again once one ends', async () => {
    const { fake, adapter } = await setup({}, { fake: { maxConcurrentCalls: 2 } })
    const first = await placed(adapter)
    await placed(adapter, '+393331234568')
    const refused = expectFailure(await adapter.send(toPerson('+393331234569', 'Prova')))
    expect(refused).toMatchObject({ retry: 'transient', code: 'rate_limited' })
    expect(fake.calls).toHaveLength(2)
    await pollToEnd(adapter, first)
    expect(fake.inProgress()).toBe(1)
    expect((await adapter.send(toPerson('+393331234569', 'Prova'))).status).toBe('sent')
  })

  it('calls a timeout uncertain: Twilio did place the call', async () => {
    const { fake, adapter } = await setup({}, { timeoutMs: 200 })
    fake.stallNext()
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({ retry: 'uncertain', code: 'timeout' })
    expect(fake.calls).toHaveLength(1)
  })

  it('calls a reset after the request, or an unreadable 2xx, uncertain', async () => {
    const { fake, adapter } = await setup()
    fake.dropAfterNext()
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'network',
    })
    fake.garbleNext()
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'bad_response',
    })
    expect(fake.calls).toHaveLength(2)
  })

  it('calls a 500 uncertain, a 503 transient', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 500)
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'provider_error',
    })
    fake.failNext(1, 503)
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
  })

  it('during an outage fails transient and places nothing', async () => {
    const { fake, adapter } = await setup()
    fake.outage(true)
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))).toMatchObject({
      retry: 'transient',
      code: 'provider_unavailable',
    })
    expect((await adapter.testConnection()).ok).toBe(false)
    expect(fake.calls).toHaveLength(0)
    fake.outage(false)
    expect((await adapter.send(toPerson(CITIZEN, 'Prova'))).status).toBe('sent')
  })

  it('fails transient when Twilio refuses the connection: nothing can have been placed', async () => {
    const { fake, adapter } = await setup()
    await fake.close()
    const refused = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(refused).toMatchObject({ retry: 'transient', code: 'network' })
    expect(refused.reason).toContain('non raggiungibile')
    expect((await adapter.testConnection()).message).toContain('non raggiungibile')
  })

  it('fails permanently on wrong credentials with an Italian reason, leaking no secret', async () => {
    const { fake, adapter } = await setup({}, { token: 'wrong-token-123456' })
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    expect(failure.reason).toContain('Credenziali Twilio non valide')
    const basic = Buffer.from(`${fake.accountSid}:wrong-token-123456`).toString('base64')
    expectNoSecrets(failure, ['wrong-token-123456', basic])
    const check = await adapter.testConnection()
    expect(check.ok).toBe(false)
    expectNoSecrets(check, ['wrong-token-123456', basic])
  })

  it.each([
    ['+15005550001', 'invalid_number', 'non sembra un numero'],
    ['+15005550002', 'invalid_number', 'non è raggiungibile'],
    ['+15005550003', 'permission', 'Geographic Permissions'],
    ['+15005550004', 'blocked', 'blocca'],
  ])('maps Twilio’s answer for %s to a permanent %s', async (to, code, words) => {
    const { fake, adapter } = await setup()
    const failure = expectFailure(await adapter.send(toPerson(to, 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code })
    expect(failure.reason).toContain(words)
    expect(fake.calls).toHaveLength(0)
  })

  it('explains an unverified caller id', async () => {
    const { adapter } = await setup({ from: UNVERIFIED_FROM })
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'unverified_caller_id' })
    expect(failure.reason).toContain('Verified Caller IDs')
  })

  it('refuses what cannot be a call without asking Twilio', async () => {
    const { fake, adapter } = await setup()
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'permanent',
      code: 'invalid_destination',
    })
    expect(expectFailure(await adapter.send(toPerson('3331234567', 'Prova')))).toMatchObject({
      code: 'invalid_number',
    })
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, '  ')))).toMatchObject({
      code: 'empty_text',
    })
    expect(
      expectFailure(await adapter.send(toPerson(CITIZEN, 'x', { audioUrl: 'file:///etc/passwd' }))),
    ).toMatchObject({ code: 'invalid_audio' })
    expect(
      expectFailure(await adapter.send(toPerson(CITIZEN, 'Acqua & fango. '.repeat(300)))),
    ).toMatchObject({ retry: 'permanent', code: 'too_long' })
    expect(fake.requests).toHaveLength(0)
  })

  it('checks the connection against the account resource', async () => {
    const { adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: expect.stringContaining('Protezione Civile Empolese'),
      code: 'twilio_account',
      params: { name: expect.stringContaining('Protezione Civile Empolese'), service: 'voice' },
    })
  })

  it('paces at the account rate and exposes its call policy', async () => {
    const { adapter } = await setup({
      ratePerSecond: 2,
      attempts: 2,
      attemptIntervalMinutes: 5,
      maxConcurrentCalls: 30,
      quietHours: '23:00-06:30',
    })
    expect(adapter.limits()).toMatchObject({ ratePerSecond: 2, burst: 2 })
    expect(adapter.callPolicy?.()).toEqual({
      attempts: 2,
      intervalMs: 300_000,
      maxConcurrentCalls: 30,
      quietHours: { fromMinute: 23 * 60, toMinute: 6 * 60 + 30 },
    })
  })

  it('refuses to build with night hours it cannot read, naming the field', async () => {
    const fake = track(await startFakeTwilioVoice())
    expect(() =>
      createTwilioVoiceAdapter({
        accountId: 1,
        name: 'Chiamate',
        settings: {
          baseUrl: fake.url,
          accountSid: fake.accountSid,
          from: FROM,
          quietHours: 'notte',
        },
        secrets: { authToken: fake.authToken },
      }),
    ).toThrow(AdapterConfigError)
  })
})

describe('Twilio voice adapter against Prism and the Twilio OpenAPI document', () => {
  const spec = path.resolve(__dirname, '../../../../shared/specs/openapi/twilio_api_v2010.json')
  const accountSid = `AC${'c'.repeat(32)}`
  let prism: PrismMock

  beforeAll(async () => {
    prism = await startPrism(spec)
  }, 90_000)

  afterAll(async () => {
    await prism?.close()
  })

  it('creates calls, polls one and checks the account as the specification expects', async () => {
    const verdicts: PrismVerdict[] = []
    const adapter = createTwilioVoiceAdapter({
      accountId: 1,
      name: 'Chiamate Twilio',
      settings: { baseUrl: prism.url, accountSid, from: FROM, language: 'it-IT' },
      secrets: { authToken: 'prism-auth-token' },
      fetch: recordingFetch(verdicts),
    })
    const spoken = await adapter.send(toPerson(CITIZEN, 'Allerta: scuole chiuse & ponti chiusi'))
    expect(spoken).toMatchObject({ status: 'sent', providerId: expect.stringMatching(/^CA/) })
    const played = await adapter.send(
      toPerson(CITIZEN, 'Prova', { audioUrl: 'https://comune.example.it/allerta.mp3' }),
    )
    expect(played.status).toBe('sent')
    const status = await adapter.fetchStatus!(`CA${'e'.repeat(32)}`)
    expect(status).toMatchObject({ status: 'call' })
    expect((await adapter.testConnection()).ok).toBe(true)
    expect(verdicts).toHaveLength(4)
    for (const verdict of verdicts)
      expect(verdict).toEqual({ status: expect.any(Number), requestViolations: [] })
    expect(verdicts.map((v) => v.status)).toEqual([201, 201, 200, 200])
  })
})
