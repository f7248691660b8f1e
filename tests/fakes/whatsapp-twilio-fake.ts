import { randomBytes } from 'node:crypto'
import {
  basicAuth,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback Twilio Messages API (2010-04-01) for WhatsApp: Basic auth, form
 * bodies with `whatsapp:` addresses, Content templates (`ContentSid` +
 * `ContentVariables`) checked as Twilio and Meta check them, Twilio's error
 * JSON, and a status that advances on each poll (queued → sent → delivered →
 * read) or ends `failed` / `undelivered` with the 63xxx code WhatsApp gives:
 * 63003 for a number not on WhatsApp, 63016 for content that is not an
 * approved template (outside the 24-hour window), 63028 for a wrong number of
 * variables, 63018 for a sender over its rate. Also the account (`GET
 * …/Accounts/{Sid}.json`) and the message list, newest first, filtered by
 * `From`, `To` and `DateSent>`, in one page.
 */

export interface FakeWhatsappTemplate {
  /** Variables {{1}}…{{n}} the approved body has. */
  variables: number
  /** False for content WhatsApp has not approved as a template: outside the window it fails 63016. */
  approved: boolean
}

export interface FakeTwilioWhatsappMessage {
  sid: string
  to: string
  from: string | null
  messagingServiceSid: string | null
  contentSid: string
  variables: Record<string, string>
  status: string
  errorCode: number | null
  /** Remaining statuses, consumed one per GET. */
  next: { status: string; errorCode: number | null }[]
  createdAt: number
}

export interface FakeTwilioWhatsapp extends FakeHttpServer {
  accountSid: string
  authToken: string
  /** The sender's WhatsApp address, `whatsapp:+39…`. */
  sender: string
  /** An approved template with three variables. */
  contentSid: string
  templates: Map<string, FakeWhatsappTemplate>
  messages: FakeTwilioWhatsappMessage[]
  /** Messages to this number fail on delivery with this code (63003: not on WhatsApp). */
  failDelivery(number: string, errorCode?: number): void
}

const twilioError = (status: number, code: number, message: string): FakeReply => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
})

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000')

export interface FakeTwilioWhatsappOptions {
  accountSid?: string
  authToken?: string
  sender?: string
}

/** Starts the fake on 127.0.0.1. */
export async function startFakeTwilioWhatsapp(
  options: FakeTwilioWhatsappOptions = {},
): Promise<FakeTwilioWhatsapp> {
  const accountSid = options.accountSid ?? `AC${'a'.repeat(32)}`
  const authToken = options.authToken ?? 'twilio-whatsapp-test-token'
  const sender = options.sender ?? 'whatsapp:+390571000000'
  const contentSid = `HX${'1'.repeat(32)}`
  const templates = new Map<string, FakeWhatsappTemplate>([
    [contentSid, { variables: 3, approved: true }],
  ])
  const messages: FakeTwilioWhatsappMessage[] = []
  const deliveryFailures = new Map<string, number>()
  const base = `/2010-04-01/Accounts/${accountSid}`

  const resource = (m: FakeTwilioWhatsappMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: '',
    date_created: rfc2822(m.createdAt),
    date_updated: rfc2822(Date.now()),
    date_sent: m.status === 'queued' ? null : rfc2822(m.createdAt),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: '1',
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
    if (from && from !== sender)
      return twilioError(
        400,
        63007,
        'Twilio could not find a Channel with the specified From address',
      )
    if (!to.startsWith('whatsapp:'))
      return twilioError(
        400,
        21910,
        'Invalid From and To pair. From and To should be of the same channel',
      )
    const number = to.slice('whatsapp:'.length)
    if (!/^\+[1-9]\d{6,14}$/.test(number))
      return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
    const sid = form.ContentSid
    const template = sid ? templates.get(sid) : undefined
    if (!sid || !template) return twilioError(400, 21655, 'The ContentSid is Invalid')
    let variables: Record<string, string>
    try {
      const parsed = JSON.parse(form.ContentVariables ?? '{}') as unknown
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object')
      variables = parsed as Record<string, string>
      if (Object.values(variables).some((v) => typeof v !== 'string' || v === ''))
        throw new Error('empty value')
    } catch {
      return twilioError(400, 21656, 'The ContentVariables Parameter is invalid')
    }
    const wanted = Array.from({ length: template.variables }, (_, i) => String(i + 1))
    const countOk =
      Object.keys(variables).length === wanted.length && wanted.every((k) => k in variables)
    const failCode = !template.approved
      ? 63016
      : !countOk
        ? 63028
        : (deliveryFailures.get(number) ?? null)
    const message: FakeTwilioWhatsappMessage = {
      sid: `MM${randomBytes(16).toString('hex')}`,
      to,
      from,
      messagingServiceSid: service,
      contentSid: sid,
      variables,
      status: 'queued',
      errorCode: null,
      createdAt: Date.now(),
      next:
        failCode === null
          ? [
              { status: 'sent', errorCode: null },
              { status: 'delivered', errorCode: null },
              { status: 'read', errorCode: null },
            ]
          : [{ status: failCode === 63003 ? 'undelivered' : 'failed', errorCode: failCode }],
    }
    messages.push(message)
    return { status: 201, body: resource(message) }
  }

  function listMessages(req: RecordedRequest): FakeReply {
    const q = req.query
    const after = q['DateSent>']?.slice(0, 10)
    const listed = messages
      .filter((m) => m.status !== 'queued')
      .filter((m) => q.From === undefined || m.from === q.From)
      .filter((m) => q.To === undefined || m.to === q.To)
      .filter((m) => after === undefined || new Date(m.createdAt).toISOString() >= after)
      .reverse()
    return {
      status: 200,
      body: {
        messages: listed.map(resource),
        page: 0,
        page_size: Number(q.PageSize ?? 50),
        first_page_uri: `${base}/Messages.json`,
        next_page_uri: null,
        previous_page_uri: null,
        uri: `${base}/Messages.json`,
      },
    }
  }

  function handle(req: RecordedRequest): FakeReply {
    const auth = basicAuth(req)
    if (!auth || auth.user !== accountSid || auth.password !== authToken)
      return twilioError(401, 20003, 'Authenticate')
    if (req.path === `${base}.json` && req.method === 'GET')
      return {
        status: 200,
        body: { sid: accountSid, friendly_name: 'Protezione civile', status: 'active' },
      }
    if (req.path === `${base}/Messages.json`)
      return req.method === 'POST' ? createMessage(req) : listMessages(req)
    const one = new RegExp(`^${base}/Messages/([^/]+)\\.json$`).exec(req.path)
    if (one && req.method === 'GET') {
      const m = messages.find((x) => x.sid === one[1])
      if (!m) return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
      const step = m.next.shift()
      if (step) {
        m.status = step.status
        m.errorCode = step.errorCode
      }
      return { status: 200, body: resource(m) }
    }
    return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
  }

  const server = await startFakeHttp(
    handle,
    {
      rateLimited: (seconds) => ({
        status: 429,
        headers: { 'retry-after': String(seconds) },
        body: { code: 20429, message: 'Too Many Requests', status: 429 },
      }),
      serverError: (status) => ({
        status,
        body: { code: 20500, message: 'An internal server error has occurred', status },
      }),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    accountSid,
    authToken,
    sender,
    contentSid,
    templates,
    messages,
    failDelivery: (number, errorCode = 63003) => deliveryFailures.set(number, errorCode),
  }
}
