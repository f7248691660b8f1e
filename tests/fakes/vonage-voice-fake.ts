import { generateKeyPairSync, randomUUID, verify, type KeyObject } from 'node:crypto'
import { bearer, startFakeHttp, type FakeHttpServer, type FakeReply } from './http-fake'

/**
 * A loopback Vonage Voice API v1 (`/v1/calls`): requests authorised by an
 * RS256 JWT that it verifies with the application's public key (signature,
 * `application_id`, `exp`, a `jti` never seen before), JSON bodies checked as
 * Vonage checks them (a phone `to` of 7–15 digits, a `from` linked to the
 * application, an NCCO of `talk` or `stream`), Vonage's RFC 7807 error bodies
 * with `invalid_parameters`, and a call that moves one step each time it is
 * read: started → ringing → answered → completed, or → machine / busy /
 * unanswered / timeout / rejected / failed, as the test scripts it per number.
 * Like Vonage it refuses a call (429, nothing placed) while
 * `maxConcurrentCalls` calls are started, ringing or answered. `stallNext`
 * places the call and then never answers; `outage` answers 503 and places
 * nothing.
 */

export type VonageCallScript =
  'completed' | 'machine' | 'busy' | 'unanswered' | 'timeout' | 'rejected' | 'failed'

export interface FakeVonageCall {
  uuid: string
  to: string
  from: string
  ncco: Record<string, unknown>[]
  machineDetection: string | null
  status: string
  duration: number | null
  createdAt: number
  endedAt: number | null
  next: string[]
  scriptedDuration: number
}

export interface JwtClaims {
  application_id?: unknown
  iat?: unknown
  exp?: unknown
  jti?: unknown
}

export interface FakeVonageVoice extends FakeHttpServer {
  applicationId: string
  /** PEM of the application's private key, as the Vonage dashboard hands it out. */
  privateKey: string
  publicKey: KeyObject
  calls: FakeVonageCall[]
  /** Claims of every token that verified. */
  tokens: JwtClaims[]
  script(number: string, outcome: VonageCallScript, durationSeconds?: number): void
  /**
   * Calls to this number are refused when created: `invalid` as a number Vonage cannot
   * dial (400 with `invalid_parameters`), `forbidden` as a destination the account may
   * not call (403).
   */
  refuse(number: string, why: 'invalid' | 'forbidden'): void
  inProgress(): number
  stallNext(count?: number): void
  outage(on: boolean): void
}

export interface FakeVonageVoiceOptions {
  applicationId?: string
  /** Numbers linked to the application: the only valid `from` (digits, no plus). */
  linkedNumbers?: string[]
  maxConcurrentCalls?: number
  now?: () => number
}

const LIVE = new Set(['started', 'ringing', 'answered'])
const API_ERRORS = 'https://developer.nexmo.com/api-errors'

const problem = (status: number, code: string, title: string, extra: object = {}): FakeReply => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: { type: `${API_ERRORS}#${code}`, title, instance: randomUUID(), ...extra },
})

const vonageTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown
  } catch {
    return undefined
  }
}

let keys: { publicKey: KeyObject; privatePem: string } | undefined

/** The application's key pair: made once per test run (RSA generation is slow). */
function applicationKeys(): { publicKey: KeyObject; privatePem: string } {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    keys = {
      publicKey: pair.publicKey,
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    }
  }
  return keys
}

export async function startFakeVonageVoice(
  options: FakeVonageVoiceOptions = {},
): Promise<FakeVonageVoice> {
  const applicationId = options.applicationId ?? 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab'
  const linked = new Set(options.linkedNumbers ?? ['390571000000'])
  const cap = options.maxConcurrentCalls ?? 100
  const now = options.now ?? Date.now
  const { publicKey, privatePem } = applicationKeys()
  const calls: FakeVonageCall[] = []
  const tokens: JwtClaims[] = []
  const seenJti = new Set<string>()
  const scripts = new Map<string, { outcome: VonageCallScript; duration: number }>()
  const refusals = new Map<string, 'invalid' | 'forbidden'>()
  const stalled = new Set<() => void>()
  let stalls = 0
  let down = false

  /** Why a token is refused, or undefined when it verifies. */
  function refuseToken(token: string | undefined): string | undefined {
    if (!token) return 'Missing Authorization header'
    const parts = token.split('.')
    if (parts.length !== 3) return 'Invalid token'
    const [head, body, signature] = parts as [string, string, string]
    const header = decodePart(head) as { alg?: unknown } | undefined
    if (header?.alg !== 'RS256') return 'Unsupported algorithm'
    const ok = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      publicKey,
      Buffer.from(signature, 'base64url'),
    )
    if (!ok) return 'Invalid signature'
    const claims = decodePart(body) as JwtClaims | undefined
    if (!claims || claims.application_id !== applicationId) return 'Invalid application_id'
    const t = now() / 1000
    if (typeof claims.exp !== 'number' || claims.exp <= t) return 'Token expired'
    if (typeof claims.iat !== 'number' || claims.iat > t + 60) return 'Token issued in the future'
    if (typeof claims.jti !== 'string' || seenJti.has(claims.jti)) return 'Token replayed'
    seenJti.add(claims.jti)
    tokens.push(claims)
    return undefined
  }

  const record = (c: FakeVonageCall) => ({
    _links: { self: { href: `/v1/calls/${c.uuid}` } },
    uuid: c.uuid,
    conversation_uuid: `CON-${c.uuid}`,
    to: { type: 'phone', number: c.to },
    from: { type: 'phone', number: c.from },
    status: c.status,
    direction: 'outbound',
    network: '22210',
    ...(c.status === 'completed'
      ? {
          rate: '0.10',
          price: (((c.duration ?? 0) / 60) * 0.1).toFixed(4),
          duration: String(c.duration ?? 0),
          start_time: vonageTime(c.createdAt),
          end_time: vonageTime(c.endedAt ?? now()),
        }
      : c.endedAt === null
        ? {}
        : { end_time: vonageTime(c.endedAt) }),
  })

  function steps(outcome: VonageCallScript): string[] {
    switch (outcome) {
      case 'completed':
        return ['ringing', 'answered', 'completed']
      case 'machine':
        return ['ringing', 'machine']
      case 'busy':
        return ['busy']
      case 'unanswered':
        return ['ringing', 'unanswered']
      case 'timeout':
        return ['ringing', 'timeout']
      case 'rejected':
        return ['rejected']
      case 'failed':
        return ['failed']
    }
  }

  function createCall(body: unknown): FakeReply {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
    const invalid: { name: string; reason: string }[] = []
    const to = Array.isArray(b.to) ? (b.to[0] as Record<string, unknown> | undefined) : undefined
    if (!to || to.type !== 'phone')
      invalid.push({ name: 'to', reason: 'must contain one phone endpoint' })
    else if (typeof to.number !== 'string' || !/^[1-9]\d{6,14}$/.test(to.number))
      invalid.push({ name: 'to[0].number', reason: 'must be a number in E.164 format' })
    const from = b.from as Record<string, unknown> | undefined
    if (!from || from.type !== 'phone' || typeof from.number !== 'string')
      invalid.push({ name: 'from', reason: 'is required' })
    const ncco = b.ncco
    if (!Array.isArray(ncco) || ncco.length === 0)
      invalid.push({ name: 'ncco', reason: 'must be a non-empty array' })
    else
      for (const [i, action] of (ncco as Record<string, unknown>[]).entries()) {
        const ok =
          (action.action === 'talk' && typeof action.text === 'string' && action.text !== '') ||
          (action.action === 'stream' &&
            Array.isArray(action.streamUrl) &&
            typeof action.streamUrl[0] === 'string')
        if (!ok)
          invalid.push({ name: `ncco[${i}]`, reason: 'is not a valid talk or stream action' })
      }
    if (
      b.machine_detection !== undefined &&
      b.machine_detection !== 'continue' &&
      b.machine_detection !== 'hangup'
    )
      invalid.push({ name: 'machine_detection', reason: 'must be continue or hangup' })
    if (invalid.length > 0)
      return problem(400, 'validation', 'Bad Request', {
        detail: 'The request failed due to validation errors',
        invalid_parameters: invalid,
      })
    const toNumber = to!.number as string
    const fromNumber = from!.number as string
    if (!linked.has(fromNumber))
      return problem(400, 'validation', 'Bad Request', {
        detail: 'The request failed due to validation errors',
        invalid_parameters: [{ name: 'from.number', reason: 'is not linked to this application' }],
      })
    const refusal = refusals.get(toNumber)
    if (refusal === 'invalid')
      return problem(400, 'validation', 'Bad Request', {
        detail: 'The request failed due to validation errors',
        invalid_parameters: [{ name: 'to[0].number', reason: 'is not a valid phone number' }],
      })
    if (refusal === 'forbidden')
      return problem(403, 'forbidden', 'Forbidden', {
        detail: 'Your account does not have permission to call this destination',
      })
    if (calls.filter((c) => LIVE.has(c.status)).length >= cap)
      return problem(429, 'throttled', 'Too Many Requests', {
        detail: 'You have exceeded the number of concurrent calls allowed for your account',
      })
    const script = scripts.get(toNumber) ?? { outcome: 'completed' as const, duration: 12 }
    const call: FakeVonageCall = {
      uuid: randomUUID(),
      to: toNumber,
      from: fromNumber,
      ncco: ncco as Record<string, unknown>[],
      machineDetection: typeof b.machine_detection === 'string' ? b.machine_detection : null,
      status: 'started',
      duration: null,
      createdAt: now(),
      endedAt: null,
      // Without machine detection a voicemail is just a call someone answered.
      next: steps(
        script.outcome === 'machine' && !b.machine_detection ? 'completed' : script.outcome,
      ),
      scriptedDuration: script.duration,
    }
    calls.push(call)
    return {
      status: 201,
      body: {
        uuid: call.uuid,
        status: 'started',
        direction: 'outbound',
        conversation_uuid: `CON-${call.uuid}`,
      },
    }
  }

  function advance(c: FakeVonageCall): void {
    const step = c.next.shift()
    if (!step) return
    c.status = step
    if (!LIVE.has(step)) {
      c.endedAt = now()
      c.duration = step === 'completed' ? c.scriptedDuration : 0
    }
  }

  const server = await startFakeHttp(
    async (req) => {
      if (down)
        return problem(503, 'service-unavailable', 'Service Unavailable', {
          detail: 'The service is temporarily unavailable, no call was created',
        })
      const refused = refuseToken(bearer(req))
      if (refused)
        return problem(401, 'unauthorized', 'Unauthorized', {
          detail: `You did not provide correct credentials. ${refused}`,
        })
      if (req.method === 'POST' && req.path === '/v1/calls') {
        const reply = createCall(req.body)
        if (stalls > 0 && reply.status === 201) {
          stalls--
          await new Promise<void>((resolve) => stalled.add(resolve))
        }
        return reply
      }
      if (req.method === 'GET' && req.path === '/v1/calls') {
        const size = Math.min(100, Math.max(1, Number(req.query.page_size ?? 10) || 10))
        const page = calls.slice(0, size)
        return {
          status: 200,
          body: {
            count: calls.length,
            page_size: size,
            record_index: 0,
            _links: { self: { href: `/v1/calls?page_size=${size}` } },
            _embedded: { calls: page.map(record) },
          },
        }
      }
      const m = /^\/v1\/calls\/([^/]+)$/.exec(req.path)
      if (req.method === 'GET' && m) {
        const call = calls.find((c) => c.uuid === m[1])
        if (!call) return problem(404, 'not-found', 'Not Found', { detail: 'Call not found' })
        advance(call)
        return { status: 200, body: record(call) }
      }
      return problem(404, 'not-found', 'Not Found')
    },
    {
      rateLimited: (seconds) => ({
        ...problem(429, 'throttled', 'Too Many Requests', {
          detail: 'Rate limit exceeded',
        }),
        headers: { 'content-type': 'application/problem+json', 'retry-after': String(seconds) },
      }),
      serverError: (status) =>
        problem(status, 'internal-error', 'Internal Server Error', {
          detail: 'An error has occurred in the platform while processing this request',
        }),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    applicationId,
    privateKey: privatePem,
    publicKey,
    calls,
    tokens,
    script(number, outcome, durationSeconds = 12) {
      scripts.set(number.replace(/^\+/, ''), { outcome, duration: durationSeconds })
    },
    refuse(number, why) {
      refusals.set(number.replace(/^\+/, ''), why)
    },
    inProgress: () => calls.filter((c) => LIVE.has(c.status)).length,
    stallNext(count = 1) {
      stalls += count
    },
    outage(on) {
      down = on
    },
    async close() {
      for (const release of stalled) release()
      stalled.clear()
      await server.close()
    },
  }
}
