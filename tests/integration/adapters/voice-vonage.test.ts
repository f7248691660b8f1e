import { generateKeyPairSync, verify } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import type { AdapterConfig, ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { createVonageVoiceAdapter } from '../../../src/main/core/channels/adapters/voice-vonage'
import { recordingFetch, startPrism, type PrismMock, type PrismVerdict } from '../../fakes/prism'
import {
  startFakeVonageVoice,
  type FakeVonageVoiceOptions,
  type VonageCallScript,
} from '../../fakes/vonage-voice-fake'
import { expectFailure, expectNoSecrets, toPage, toPerson, track } from './http-helpers'

const FROM = '390571000000'
const CITIZEN = '+393331234567'
const APPLICATION_ID = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab'

const otherKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()

async function setup(
  settings: Record<string, unknown> = {},
  opts: { privateKey?: string; timeoutMs?: number; fake?: FakeVonageVoiceOptions } = {},
) {
  const fake = track(await startFakeVonageVoice(opts.fake))
  const config: AdapterConfig = {
    accountId: 2,
    name: 'Chiamate Vonage',
    settings: {
      baseUrl: fake.url,
      applicationId: fake.applicationId,
      from: FROM,
      language: 'it-IT',
      ...settings,
    },
    secrets: { privateKey: opts.privateKey ?? fake.privateKey },
  }
  return { fake, adapter: createVonageVoiceAdapter(config, { timeoutMs: opts.timeoutMs ?? 2_000 }) }
}

async function placed(adapter: ChannelAdapter, to = CITIZEN): Promise<string> {
  const outcome = await adapter.send(toPerson(to, 'Allerta rossa: restate in casa'))
  if (outcome.status === 'failed' || !outcome.providerId)
    throw new Error(`call not placed: ${JSON.stringify(outcome)}`)
  return outcome.providerId
}

async function pollToEnd(adapter: ChannelAdapter, uuid: string) {
  const seen = []
  for (let i = 0; i < 6; i++) {
    const status = await adapter.fetchStatus!(uuid)
    seen.push(status)
    if (status.status !== 'call' || !['queued', 'ringing', 'in_progress'].includes(status.outcome))
      break
  }
  return seen
}

function decode(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

describe('Vonage voice adapter against a loopback Vonage', () => {
  it('places one call with a talk NCCO in Italian and machine detection', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(toPerson(CITIZEN, 'Allerta rossa: restate in casa'))
    expect(outcome).toEqual({ status: 'sent', providerId: fake.calls[0]?.uuid })
    const req = fake.requests[0]
    expect(req?.path).toBe('/v1/calls')
    expect(req?.headers['content-type']).toContain('application/json')
    expect(req?.body).toEqual({
      to: [{ type: 'phone', number: '393331234567' }],
      from: { type: 'phone', number: FROM },
      ncco: [{ action: 'talk', text: 'Allerta rossa: restate in casa', language: 'it-IT' }],
      machine_detection: 'hangup',
    })
    expect(adapter).toMatchObject({ kind: 'voice_vonage', idempotent: false, simulated: false })
  })

  it('signs each request with an RS256 JWT that the application’s public key verifies', async () => {
    const { fake, adapter } = await setup()
    await placed(adapter)
    await adapter.testConnection()
    const tokens = fake.requests.map(
      (r) => /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1],
    )
    expect(tokens).toHaveLength(2)
    for (const token of tokens) {
      const [head, body, signature] = (token ?? '').split('.')
      expect(decode(head)).toEqual({ alg: 'RS256', typ: 'JWT' })
      const ok = verify(
        'sha256',
        Buffer.from(`${head}.${body}`),
        fake.publicKey,
        Buffer.from(signature ?? '', 'base64url'),
      )
      expect(ok).toBe(true)
      const claims = decode(body)
      expect(claims).toMatchObject({ application_id: fake.applicationId, jti: expect.any(String) })
      expect(Number(claims.exp) - Number(claims.iat)).toBe(300)
      expect(Math.abs(Number(claims.iat) - Date.now() / 1000)).toBeLessThan(120)
    }
    // A token is never reused: Vonage may refuse a replayed jti.
    expect(decode(tokens[0]?.split('.')[1]).jti).not.toBe(decode(tokens[1]?.split('.')[1]).jti)
    expect(fake.tokens).toHaveLength(2)
  })

  it('speaks with the chosen voice style, or streams the operator’s recording', async () => {
    const { fake, adapter } = await setup({ voice: '2', machineDetection: false })
    await placed(adapter)
    expect(fake.calls[0]?.ncco).toEqual([
      { action: 'talk', text: 'Allerta rossa: restate in casa', language: 'it-IT', style: 2 },
    ])
    expect(fake.requests[0]?.body).not.toHaveProperty('machine_detection')
    const audioUrl = 'https://comune.example.it/audio/allerta.mp3'
    expect((await adapter.send(toPerson(CITIZEN, 'Testo', { audioUrl }))).status).toBe('sent')
    expect(fake.calls[1]?.ncco).toEqual([{ action: 'stream', streamUrl: [audioUrl] }])
  })

  it.each<[VonageCallScript, string, number | undefined]>([
    ['completed', 'answered', 40],
    ['machine', 'voicemail', undefined],
    ['busy', 'busy', undefined],
    ['unanswered', 'no_answer', undefined],
    ['timeout', 'no_answer', undefined],
    ['rejected', 'failed', undefined],
    ['failed', 'failed', undefined],
  ])('follows a call that ends %s to the outcome %s', async (script, outcome, duration) => {
    const { fake, adapter } = await setup()
    fake.script(CITIZEN, script, duration ?? 0)
    const uuid = await placed(adapter)
    const seen = await pollToEnd(adapter, uuid)
    const last = seen[seen.length - 1]
    expect(last).toMatchObject({ status: 'call', outcome, detail: script })
    expect(last).toMatchObject({ at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) })
    if (duration !== undefined) expect(last).toMatchObject({ durationSeconds: duration })
    if (script === 'completed')
      expect(seen.map((s) => (s as { outcome: string }).outcome)).toEqual([
        'ringing',
        'in_progress',
        'answered',
      ])
  })

  it('answers unknown for a call Vonage does not know', async () => {
    const { adapter } = await setup()
    expect(await adapter.fetchStatus!('63f61863-4a51-4f6b-86e1-46edebcf9356')).toEqual({
      status: 'unknown',
    })
  })

  it('turns a 429 into a transient failure that honours Retry-After, with no call placed', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 9)
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({ retry: 'transient', code: 'rate_limited', retryAfterMs: 9_000 })
    expect(fake.calls).toHaveLength(0)
    expect((await adapter.send(toPerson(CITIZEN, 'Prova'))).status).toBe('sent')
  })

  it('is refused as transient beyond the calls Vonage allows at once, and places again once one ends', async () => {
    const { fake, adapter } = await setup({}, { fake: { maxConcurrentCalls: 1 } })
    const first = await placed(adapter)
    const refused = expectFailure(await adapter.send(toPerson('+393331234568', 'Prova')))
    expect(refused).toMatchObject({ retry: 'transient', code: 'rate_limited' })
    expect(refused.reason).toContain('concurrent calls')
    expect(fake.calls).toHaveLength(1)
    await pollToEnd(adapter, first)
    expect(fake.inProgress()).toBe(0)
    expect((await adapter.send(toPerson('+393331234568', 'Prova'))).status).toBe('sent')
  })

  it('calls a timeout uncertain: Vonage did place the call', async () => {
    const { fake, adapter } = await setup({}, { timeoutMs: 200 })
    fake.stallNext()
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({ retry: 'uncertain', code: 'timeout' })
    expect(fake.calls).toHaveLength(1)
  })

  it('calls a reset after the request, an unreadable 2xx or a 500 uncertain', async () => {
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
    fake.failNext(1, 500)
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'provider_error',
    })
  })

  it('during an outage fails transient and places nothing', async () => {
    const { fake, adapter } = await setup()
    fake.outage(true)
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({ retry: 'transient', code: 'provider_unavailable' })
    expect(failure.reason).toContain('no call was created')
    expect((await adapter.testConnection()).ok).toBe(false)
    expect(fake.calls).toHaveLength(0)
  })

  it('fails transient when Vonage refuses the connection', async () => {
    const { fake, adapter } = await setup()
    await fake.close()
    const refused = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(refused).toMatchObject({ retry: 'transient', code: 'network' })
    expect((await adapter.testConnection()).message).toContain('non raggiungibile')
  })

  it('fails permanently when the key is not the application’s, leaking neither key nor token', async () => {
    const wrong = otherKey()
    const { fake, adapter } = await setup({}, { privateKey: wrong })
    const failure = expectFailure(await adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    expect(failure.reason).toContain('chiave privata')
    const token = /^Bearer (.+)$/.exec(fake.requests[0]?.headers.authorization ?? '')?.[1] ?? ''
    expectNoSecrets(failure, [wrong, token, token.split('.')[2] ?? 'x'.repeat(20)])
    const check = await adapter.testConnection()
    expect(check.ok).toBe(false)
    expect(check.message).toContain('Application ID')
    expect(fake.calls).toHaveLength(0)
  })

  it('maps Vonage’s refusals of a number, a destination and a caller id to permanent reasons', async () => {
    const { fake, adapter } = await setup()
    fake.refuse('+390000000001', 'invalid')
    fake.refuse('+862112345678', 'forbidden')
    const invalid = expectFailure(await adapter.send(toPerson('+390000000001', 'Prova')))
    expect(invalid).toMatchObject({ retry: 'permanent', code: 'invalid_number' })
    expect(invalid.reason).toContain('to[0].number')
    const forbidden = expectFailure(await adapter.send(toPerson('+862112345678', 'Prova')))
    expect(forbidden).toMatchObject({ retry: 'permanent', code: 'permission' })
    const other = await setup({ from: '390571999999' })
    const sender = expectFailure(await other.adapter.send(toPerson(CITIZEN, 'Prova')))
    expect(sender).toMatchObject({ retry: 'permanent', code: 'invalid_sender' })
    expect(sender.reason).toContain('non è collegato all’applicazione')
    expect(fake.calls).toHaveLength(0)
  })

  it('refuses what cannot be a call without asking Vonage', async () => {
    const { fake, adapter } = await setup()
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      code: 'invalid_destination',
    })
    expect(expectFailure(await adapter.send(toPerson('0571 123456', 'Prova')))).toMatchObject({
      code: 'invalid_number',
    })
    expect(expectFailure(await adapter.send(toPerson(CITIZEN, 'x'.repeat(1501))))).toMatchObject({
      retry: 'permanent',
      code: 'too_long',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('checks the connection with one listed call', async () => {
    const { fake, adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: expect.stringContaining(fake.applicationId),
      code: 'vonage_application',
      params: { application: fake.applicationId },
    })
    expect(fake.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v1/calls',
      query: { page_size: '1' },
    })
  })

  it('paces at the account rate and exposes its call policy', async () => {
    const { adapter } = await setup({ ratePerSecond: 3, attempts: 4, quietHours: '' })
    expect(adapter.limits()).toMatchObject({ ratePerSecond: 3, burst: 3 })
    expect(adapter.callPolicy?.()).toEqual({
      attempts: 4,
      intervalMs: 600_000,
      maxConcurrentCalls: 10,
      quietHours: null,
    })
  })

  it('refuses to build with a key that is not a PEM RSA key, or a voice that is not a style', async () => {
    const fake = track(await startFakeVonageVoice())
    const build = (settings: Record<string, unknown>, privateKey: string) => () =>
      createVonageVoiceAdapter({
        accountId: 1,
        name: 'Chiamate',
        settings: { baseUrl: fake.url, applicationId: APPLICATION_ID, from: FROM, ...settings },
        secrets: { privateKey },
      })
    expect(build({}, 'non è una chiave')).toThrow(
      expect.objectContaining({ field: 'secrets.privateKey' }),
    )
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    expect(build({}, ec)).toThrow(expect.objectContaining({ field: 'secrets.privateKey' }))
    expect(build({ voice: 'Bianca' }, fake.privateKey)).toThrow(
      expect.objectContaining({ field: 'settings.voice' }),
    )
    // A key pasted with its line breaks escaped still works.
    const escaped = fake.privateKey.replace(/\n/g, '\\n')
    expect(build({}, escaped)).not.toThrow()
  })
})

/**
 * The Vonage document's endpoint schemas tell `phone`, `sip`, `websocket`
 * and `vbc` apart only in prose ("Must be `phone`"), so a phone endpoint also
 * matches `EndpointSip` (whose only required field is `type`) and Prism
 * refuses every real `to` for matching two branches of the `oneOf`. The copy
 * given to Prism adds those documented values as enums, nothing else.
 */
function vonageSpecForPrism(): string {
  const source = path.resolve(__dirname, '../../../../shared/specs/openapi/vonage_voice.yml')
  const doc = YAML.parse(fs.readFileSync(source, 'utf8')) as {
    components: { schemas: Record<string, { properties: { type: { enum?: string[] } } }> }
  }
  const kinds: Record<string, string> = {
    EndpointPhoneTo: 'phone',
    EndpointPhoneFrom: 'phone',
    EndpointSip: 'sip',
    EndpointWebsocket: 'websocket',
    EndpointVBCExtension: 'vbc',
    EndpointApp: 'app',
  }
  for (const [name, type] of Object.entries(kinds)) {
    const schema = doc.components.schemas[name]
    if (!schema) throw new Error(`${name} missing from the Vonage document`)
    schema.properties.type.enum = [type]
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-vonage-spec-'))
  const file = path.join(dir, 'vonage_voice.json')
  fs.writeFileSync(file, JSON.stringify(doc))
  return file
}

describe('Vonage voice adapter against Prism and the Vonage OpenAPI document', () => {
  let prism: PrismMock
  let specFile = ''

  beforeAll(async () => {
    specFile = vonageSpecForPrism()
    // Dynamic answers: the document's own example conversation_uuid is not a uuid.
    prism = await startPrism(specFile, { dynamic: true })
  }, 90_000)

  afterAll(async () => {
    await prism?.close()
    if (specFile) fs.rmSync(path.dirname(specFile), { recursive: true, force: true })
  })

  it('creates calls with an NCCO, reads one and lists calls as the specification expects', async () => {
    const verdicts: PrismVerdict[] = []
    const recording = recordingFetch(verdicts)
    // The document's server is https://api.nexmo.com/v1/calls: its paths start below /v1/calls.
    const belowCalls: typeof fetch = (input, init) =>
      recording(String(input).replace(`${prism.url}/v1/calls`, prism.url), init)
    const adapter = createVonageVoiceAdapter({
      accountId: 2,
      name: 'Chiamate Vonage',
      settings: {
        baseUrl: prism.url,
        applicationId: APPLICATION_ID,
        from: FROM,
        language: 'it-IT',
      },
      secrets: { privateKey: otherKey() },
      fetch: belowCalls,
    })
    const spoken = await adapter.send(toPerson(CITIZEN, 'Allerta: scuole chiuse domani'))
    expect(spoken).toMatchObject({ status: 'sent', providerId: expect.any(String) })
    const played = await adapter.send(
      toPerson(CITIZEN, 'Prova', { audioUrl: 'https://comune.example.it/allerta.mp3' }),
    )
    expect(played.status).toBe('sent')
    await adapter.fetchStatus!('63f61863-4a51-4f6b-86e1-46edebcf9356')
    expect((await adapter.testConnection()).ok).toBe(true)
    expect(verdicts).toHaveLength(4)
    for (const verdict of verdicts)
      expect(verdict).toEqual({ status: expect.any(Number), requestViolations: [] })
    expect(verdicts.map((v) => v.status)).toEqual([201, 201, 200, 200])
  })
})
