import { randomBytes } from 'node:crypto'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { basicAuth, startFakeHttp, type FakeHttpServer, type FakeReply } from './http-fake'

/**
 * A loopback Twilio Programmable Voice API (2010-04-01 Calls resource): Basic
 * auth, form bodies, inline TwiML parsed as Twilio parses it (malformed XML is
 * refused), Twilio's error JSON and its test "magic numbers", answering
 * machine detection, and a call that moves one step each time it is read:
 * queued → ringing → in-progress → completed (a person, or a machine with
 * `answered_by`), or → busy / no-answer / failed, as the test scripts it per
 * number. Like an account with a concurrency cap, it refuses a call while
 * `maxConcurrentCalls` calls are queued, ringing or in progress (429, 20429,
 * nothing placed). `stallNext` places the call and then never answers;
 * `outage` answers every request 503 and places nothing.
 */

export type TwilioCallScript = 'answered' | 'machine' | 'busy' | 'no-answer' | 'failed'

export interface FakeTwilioCall {
  sid: string
  to: string
  from: string
  twiml: string
  /** What the person hears: the spoken text with its language and voice, or a recording. */
  say?: { text: string; language?: string; voice?: string }
  play?: string
  machineDetection: string | null
  status: string
  answeredBy: string | null
  duration: number | null
  createdAt: number
  endedAt: number | null
  /** Steps still to come, one per read. */
  next: { status: string; answeredBy?: string }[]
  scriptedDuration: number
}

export interface FakeTwilioVoice extends FakeHttpServer {
  accountSid: string
  authToken: string
  calls: FakeTwilioCall[]
  /** How calls to this number end (default: a person answers and listens 12 s). */
  script(number: string, outcome: TwilioCallScript, durationSeconds?: number): void
  /** Calls queued, ringing or in progress. */
  inProgress(): number
  /** The next `count` calls are placed, and then Twilio never answers the request. */
  stallNext(count?: number): void
  /** While on, every request is answered 503 and no call is placed. */
  outage(on: boolean): void
}

export interface FakeTwilioVoiceOptions {
  accountSid?: string
  authToken?: string
  /** Calls queued, ringing or in progress at once before Twilio refuses more. */
  maxConcurrentCalls?: number
  now?: () => number
}

/** Twilio's test numbers for calls and the errors they trigger. */
const MAGIC_TO: Record<string, { code: number; message: string }> = {
  '+15005550001': { code: 21217, message: 'Phone number does not appear to be valid' },
  '+15005550002': { code: 21214, message: "'To' phone number cannot be reached" },
  '+15005550003': {
    code: 21215,
    message:
      'Account not authorized to call +15005550003. Perhaps you need to enable some international permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk',
  },
  '+15005550004': { code: 21216, message: 'Account not allowed to call +15005550004' },
}
/** A caller id that is not verified for the account. */
export const UNVERIFIED_FROM = '+15005550007'

const twilioError = (status: number, code: number, message: string): FakeReply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
})

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000')
const LIVE = new Set(['queued', 'ringing', 'in-progress'])

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
})

/** The `<Say>` or `<Play>` of a TwiML document, or an error as Twilio words it. */
function readTwiml(twiml: string): Pick<FakeTwilioCall, 'say' | 'play'> | string {
  if (XMLValidator.validate(twiml) !== true) return 'Document parse failure'
  const doc = xml.parse(twiml) as { Response?: Record<string, unknown> }
  const response = doc.Response
  if (!response || typeof response !== 'object') return 'The root element must be Response'
  const say = response.Say
  if (say !== undefined) {
    if (typeof say === 'string') return { say: { text: say } }
    const node = say as Record<string, string>
    return {
      say: {
        text: node['#text'] ?? '',
        ...(node.language ? { language: node.language } : {}),
        ...(node.voice ? { voice: node.voice } : {}),
      },
    }
  }
  const play = response.Play
  if (typeof play === 'string') return { play }
  return 'Response has no verb'
}

export async function startFakeTwilioVoice(
  options: FakeTwilioVoiceOptions = {},
): Promise<FakeTwilioVoice> {
  const accountSid = options.accountSid ?? `AC${'a'.repeat(32)}`
  const authToken = options.authToken ?? 'twilio-voice-test-token'
  const cap = options.maxConcurrentCalls ?? 100
  const now = options.now ?? Date.now
  const base = `/2010-04-01/Accounts/${accountSid}`
  const calls: FakeTwilioCall[] = []
  const scripts = new Map<string, { outcome: TwilioCallScript; duration: number }>()
  const stalled = new Set<() => void>()
  let stalls = 0
  let down = false

  const resource = (c: FakeTwilioCall) => ({
    sid: c.sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    to: c.to,
    from: c.from,
    status: c.status,
    answered_by: c.answeredBy,
    direction: 'outbound-api',
    duration: c.duration === null ? null : String(c.duration),
    date_created: rfc2822(c.createdAt),
    date_updated: rfc2822(now()),
    start_time: null,
    end_time: c.endedAt === null ? null : rfc2822(c.endedAt),
    price: null,
    price_unit: 'USD',
    uri: `${base}/Calls/${c.sid}.json`,
  })

  function steps(outcome: TwilioCallScript, md: boolean): FakeTwilioCall['next'] {
    switch (outcome) {
      case 'answered':
        return [
          { status: 'ringing' },
          { status: 'in-progress', ...(md ? { answeredBy: 'human' } : {}) },
          { status: 'completed', ...(md ? { answeredBy: 'human' } : {}) },
        ]
      case 'machine':
        return [
          { status: 'ringing' },
          { status: 'in-progress', ...(md ? { answeredBy: 'machine_start' } : {}) },
          { status: 'completed', ...(md ? { answeredBy: 'machine_start' } : {}) },
        ]
      case 'busy':
        return [{ status: 'ringing' }, { status: 'busy' }]
      case 'no-answer':
        return [{ status: 'ringing' }, { status: 'no-answer' }]
      case 'failed':
        return [{ status: 'failed' }]
    }
  }

  function createCall(form: Record<string, string>): FakeReply {
    const to = form.To
    if (!to) return twilioError(400, 21201, "No 'To' number is specified")
    const from = form.From
    if (!from) return twilioError(400, 21213, 'Caller phone number is required')
    if (!form.Twiml && !form.Url)
      return twilioError(400, 21205, 'Url or ApplicationSid or Twiml is required')
    const magic = MAGIC_TO[to]
    if (magic) return twilioError(400, magic.code, magic.message)
    if (!/^\+[1-9]\d{6,14}$/.test(to))
      return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`)
    if (from === UNVERIFIED_FROM)
      return twilioError(
        400,
        21210,
        `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`,
      )
    if (form.Twiml && form.Twiml.length > 4000)
      return twilioError(400, 21232, 'Twiml exceeds 4000 characters')
    const heard = form.Twiml ? readTwiml(form.Twiml) : {}
    if (typeof heard === 'string') return twilioError(400, 12100, heard)
    if (calls.filter((c) => LIVE.has(c.status)).length >= cap)
      return twilioError(429, 20429, 'Too Many Requests: concurrent call limit reached')
    const md = form.MachineDetection === 'Enable' || form.MachineDetection === 'DetectMessageEnd'
    const script = scripts.get(to) ?? { outcome: 'answered' as const, duration: 12 }
    const call: FakeTwilioCall = {
      sid: `CA${randomBytes(16).toString('hex')}`,
      to,
      from,
      twiml: form.Twiml ?? '',
      ...heard,
      machineDetection: form.MachineDetection ?? null,
      status: 'queued',
      answeredBy: null,
      duration: null,
      createdAt: now(),
      endedAt: null,
      next: steps(script.outcome, md),
      scriptedDuration: script.duration,
    }
    calls.push(call)
    return { status: 201, body: resource(call) }
  }

  function advance(c: FakeTwilioCall): void {
    const step = c.next.shift()
    if (!step) return
    c.status = step.status
    if (step.answeredBy) c.answeredBy = step.answeredBy
    if (!LIVE.has(step.status)) {
      c.endedAt = now()
      c.duration = step.status === 'completed' ? c.scriptedDuration : 0
    }
  }

  const server = await startFakeHttp(
    async (req) => {
      if (down) return twilioError(503, 20503, 'Service Unavailable')
      const auth = basicAuth(req)
      if (!auth || auth.user !== accountSid || auth.password !== authToken) {
        return {
          ...twilioError(401, 20003, 'Authenticate'),
          headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
        }
      }
      if (req.method === 'GET' && req.path === `${base}.json`) {
        return {
          status: 200,
          body: { sid: accountSid, friendly_name: 'Protezione Civile Empolese', status: 'active' },
        }
      }
      if (req.method === 'POST' && req.path === `${base}/Calls.json`) {
        const reply = createCall((req.body ?? {}) as Record<string, string>)
        if (stalls > 0 && reply.status === 201) {
          stalls--
          // The call is placed; the answer never comes (until the fake closes).
          await new Promise<void>((resolve) => stalled.add(resolve))
        }
        return reply
      }
      const m = new RegExp(`^${base}/Calls/([^/]+)\\.json$`).exec(req.path)
      if (req.method === 'GET' && m) {
        const call = calls.find((c) => c.sid === m[1])
        if (!call)
          return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
        advance(call)
        return { status: 200, body: resource(call) }
      }
      return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
    },
    {
      rateLimited: (seconds) => ({
        ...twilioError(429, 20429, 'Too Many Requests'),
        headers: { 'retry-after': String(seconds) },
      }),
      serverError: (status) => twilioError(status, 20500, 'An internal server error has occurred'),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    accountSid,
    authToken,
    calls,
    script(number, outcome, durationSeconds = 12) {
      scripts.set(number, { outcome, duration: durationSeconds })
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
