import { randomBytes } from 'node:crypto'
import {
  basicAuth,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback Twilio Messages API (2010-04-01): Basic auth, form bodies,
 * Twilio's error JSON and codes, its test "magic numbers", segment counting,
 * and a status that advances on each poll (queued → sent → delivered, or
 * undelivered with a 30xxx code for numbers declared unreachable).
 */

export interface FakeTwilioMessage {
  sid: string
  to: string
  from: string | null
  messagingServiceSid: string | null
  body: string
  status: string
  errorCode: number | null
  numSegments: number
  /** Remaining statuses, consumed one per GET. */
  next: { status: string; errorCode: number | null }[]
}

export interface FakeTwilio extends FakeHttpServer {
  accountSid: string
  authToken: string
  messages: FakeTwilioMessage[]
  /** Messages to this number end `undelivered` with this 30xxx code. */
  undeliverable(number: string, errorCode?: number): void
}

/** Twilio's test numbers and the errors they trigger. */
const MAGIC_TO: Record<string, { code: number; message: string }> = {
  '+15005550001': {
    code: 21211,
    message: "The 'To' number +15005550001 is not a valid phone number.",
  },
  '+15005550002': {
    code: 21612,
    message: "The 'To' phone number is not currently reachable via SMS.",
  },
  '+15005550003': {
    code: 21408,
    message:
      "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
  },
  '+15005550004': { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  '+15005550009': { code: 21614, message: "'To' number is not a valid mobile number" },
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
const GSM_EXTENDED = '^{}\\[~]|€'

/** SMS segments as Twilio bills them (GSM-7 160/153, else UCS-2 70/67 units). */
export function countSegments(text: string): number {
  let septets = 0
  let gsm = true
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) septets += 1
    else if (GSM_EXTENDED.includes(ch)) septets += 2
    else gsm = false
  }
  if (gsm) return septets <= 160 ? 1 : Math.ceil(septets / 153)
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67)
}

const twilioError = (status: number, code: number, message: string): FakeReply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
})

const rfc2822 = () => new Date().toUTCString().replace('GMT', '+0000')

export interface FakeTwilioOptions {
  accountSid?: string
  authToken?: string
}

/** Starts the fake Twilio on 127.0.0.1. */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${'a'.repeat(32)}`
  const authToken = options.authToken ?? 'twilio-test-auth-token'
  const messages: FakeTwilioMessage[] = []
  const unreachable = new Map<string, number>()
  const base = `/2010-04-01/Accounts/${accountSid}`

  const resource = (m: FakeTwilioMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(),
    date_updated: rfc2822(),
    date_sent: null,
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: String(m.numSegments),
    price: null,
    price_unit: 'USD',
    status: m.status,
    to: m.to,
    uri: `${base}/Messages/${m.sid}.json`,
  })

  function createMessage(req: RecordedRequest): FakeReply {
    const form = (req.body ?? {}) as Record<string, string>
    const to = form.To
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.")
    const from = form.From ?? null
    const service = form.MessagingServiceSid ?? null
    if (!from && !service) return twilioError(400, 21603, "A 'From' phone number is required.")
    if (!form.Body) return twilioError(400, 21602, 'Message body is required.')
    if (form.Body.length > 1600)
      return twilioError(
        400,
        21617,
        'The concatenated message body exceeds the 1600 character limit.',
      )
    const magic = MAGIC_TO[to]
    if (magic) return twilioError(400, magic.code, magic.message)
    if (!/^\+[1-9]\d{6,14}$/.test(to))
      return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
    const failCode = unreachable.get(to)
    const message: FakeTwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to,
      from,
      messagingServiceSid: service,
      body: form.Body,
      status: 'queued',
      errorCode: null,
      numSegments: countSegments(form.Body),
      next:
        failCode === undefined
          ? [
              { status: 'sent', errorCode: null },
              { status: 'delivered', errorCode: null },
            ]
          : [
              { status: 'sent', errorCode: null },
              { status: 'undelivered', errorCode: failCode },
            ],
    }
    messages.push(message)
    return { status: 201, body: resource(message) }
  }

  const server = await startFakeHttp(
    (req) => {
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
      if (req.method === 'POST' && req.path === `${base}/Messages.json`) return createMessage(req)
      const m = new RegExp(`^${base}/Messages/(SM[0-9a-f]{32})\\.json$`).exec(req.path)
      if (req.method === 'GET' && m) {
        const message = messages.find((x) => x.sid === m[1])
        if (!message)
          return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
        const step = message.next.shift()
        if (step) {
          message.status = step.status
          message.errorCode = step.errorCode
        }
        return { status: 200, body: resource(message) }
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
    messages,
    undeliverable: (number, errorCode = 30003) => {
      unreachable.set(number, errorCode)
    },
  }
}
