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
 * undelivered with a 30xxx code for numbers declared unreachable) or, with
 * `progress: { sentAfterMs, finalAfterMs }`, with time as a real account's
 * does. The message list (`GET …/Messages.json`) is served as Twilio serves
 * it: newest first, filtered by `To`, `From` and the GMT day of `DateSent`
 * (`DateSent`, `DateSent<`, `DateSent>`; messages not sent yet have no send
 * date and are not listed), `PageSize` up to 1000, and a `next_page_uri`
 * whose `PageToken` resumes after the last message of the page.
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
  /** Remaining statuses, consumed one per GET (per-read progress). */
  next: { status: string; errorCode: number | null }[]
  createdAt: number
  /** When it left Twilio's queue (its `date_sent`), null while queued. */
  sentAt: number | null
  /** Never reaches a final status (a carrier that returns no receipt). */
  stuck: boolean
}

export interface FakeTwilio extends FakeHttpServer {
  accountSid: string
  authToken: string
  messages: FakeTwilioMessage[]
  /** Messages to this number end `undelivered` with this 30xxx code. */
  undeliverable(number: string, errorCode?: number): void
  /** Messages to this number stay `sent`: no final receipt ever comes. */
  neverFinal(number: string): void
  /** The next `count` receipt requests (list or single GET) get Twilio's 429 with Retry-After. */
  rateLimitReceiptsNext(count?: number, retryAfterSeconds?: number): void
  /** Receipt requests received: list pages and single-message GETs. */
  receiptRequests(): RecordedRequest[]
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

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000')

export interface FakeTwilioOptions {
  accountSid?: string
  authToken?: string
  /**
   * How statuses advance: one step per GET of the message (default), or with
   * time: queued for `sentAfterMs` after creation, then sent, then final at
   * `finalAfterMs`.
   */
  progress?: 'per-read' | { sentAfterMs: number; finalAfterMs: number }
  /** Clock of time-based progress and of the dates shown. */
  now?: () => number
}

/** Twilio's list page size: 50 by default, 1000 at most. */
const DEFAULT_PAGE_SIZE = 50
const MAX_PAGE_SIZE = 1000

/** The GMT day of a `DateSent` filter value (`YYYY-MM-DD`, or a date-time: its date part). */
function filterDay(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim())
  if (m) return m[1]
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10)
}

const gmtDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Starts the fake Twilio on 127.0.0.1. */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${'a'.repeat(32)}`
  const authToken = options.authToken ?? 'twilio-test-auth-token'
  const messages: FakeTwilioMessage[] = []
  const unreachable = new Map<string, number>()
  const stuckNumbers = new Set<string>()
  const base = `/2010-04-01/Accounts/${accountSid}`
  const now = options.now ?? Date.now
  const progress = options.progress ?? 'per-read'
  let receiptLimits: number[] = []

  /** Moves a message to the status its age gives it (time-based progress). */
  function age(m: FakeTwilioMessage): void {
    if (progress === 'per-read') return
    const t = now() - m.createdAt
    if (m.sentAt === null && t >= progress.sentAfterMs)
      m.sentAt = m.createdAt + progress.sentAfterMs
    while (m.next.length > 0) {
      const step = m.next[0]!
      const due = step.status === 'sent' ? progress.sentAfterMs : progress.finalAfterMs
      if (t < due || (m.stuck && step.status !== 'sent')) break
      m.next.shift()
      m.status = step.status
      m.errorCode = step.errorCode
    }
  }

  const resource = (m: FakeTwilioMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.createdAt),
    date_updated: rfc2822(now()),
    date_sent: m.sentAt === null ? null : rfc2822(m.sentAt),
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
      createdAt: now(),
      sentAt: null,
      stuck: stuckNumbers.has(to),
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

  /** The list, newest first, filtered and paged as Twilio does. */
  function listMessages(req: RecordedRequest): FakeReply {
    const q = req.query
    const requested = q.PageSize === undefined ? DEFAULT_PAGE_SIZE : Number(q.PageSize)
    if (!Number.isInteger(requested) || requested < 1)
      return twilioError(400, 20001, 'PageSize must be a positive integer')
    const pageSize = Math.min(MAX_PAGE_SIZE, requested)
    const on = filterDay(q.DateSent)
    const before = filterDay(q['DateSent<'])
    const after = filterDay(q['DateSent>'])
    for (const m of messages) age(m)
    const listed = messages
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => {
        if (q.To !== undefined && m.to !== q.To) return false
        if (q.From !== undefined && m.from !== q.From) return false
        const dated = on !== undefined || before !== undefined || after !== undefined
        if (!dated) return true
        if (m.sentAt === null) return false
        const day = gmtDay(m.sentAt)
        return (
          (on === undefined || day === on) &&
          (before === undefined || day <= before) &&
          (after === undefined || day >= after)
        )
      })
      .sort((a, b) => (b.m.sentAt ?? b.m.createdAt) - (a.m.sentAt ?? a.m.createdAt) || b.i - a.i)
      .map(({ m }) => m)
    let start = 0
    const token = q.PageToken
    if (token !== undefined) {
      const anchor = listed.findIndex((m) => `PA${m.sid}` === token)
      if (anchor === -1) return twilioError(400, 20001, `Invalid PageToken ${token}`)
      start = anchor + 1
    }
    const page = Number(q.Page ?? 0)
    const slice = listed.slice(start, start + pageSize)
    const filters = new URLSearchParams()
    for (const key of ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'])
      if (q[key] !== undefined) filters.set(key, q[key])
    filters.set('PageSize', String(pageSize))
    const uri = (extra: Record<string, string>) => {
      const u = new URLSearchParams(filters)
      for (const [k, v] of Object.entries(extra)) u.set(k, v)
      return `${base}/Messages.json?${u.toString()}`
    }
    const last = slice[slice.length - 1]
    const more = last !== undefined && start + pageSize < listed.length
    return {
      status: 200,
      body: {
        messages: slice.map(resource),
        page,
        page_size: pageSize,
        start: start,
        end: start + Math.max(0, slice.length - 1),
        uri: uri(
          token === undefined ? { Page: String(page) } : { Page: String(page), PageToken: token },
        ),
        first_page_uri: uri({ Page: '0' }),
        previous_page_uri: page > 0 ? uri({ Page: String(page - 1) }) : null,
        next_page_uri: more ? uri({ Page: String(page + 1), PageToken: `PA${last.sid}` }) : null,
      },
    }
  }

  const isReceipt = (req: RecordedRequest) =>
    req.method === 'GET' &&
    (req.path === `${base}/Messages.json` || /\/Messages\/[^/]+\.json$/.test(req.path))

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
      const seconds = isReceipt(req) ? receiptLimits.shift() : undefined
      if (seconds !== undefined) {
        return {
          ...twilioError(429, 20429, 'Too Many Requests'),
          headers: { 'retry-after': String(seconds) },
        }
      }
      if (req.method === 'GET' && req.path === `${base}/Messages.json`) return listMessages(req)
      const m = new RegExp(`^${base}/Messages/(SM[0-9a-f]{32})\\.json$`).exec(req.path)
      if (req.method === 'GET' && m) {
        const message = messages.find((x) => x.sid === m[1])
        if (!message)
          return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
        if (progress === 'per-read') {
          const step = message.next.shift()
          if (step) {
            message.status = step.status
            message.errorCode = step.errorCode
            if (message.sentAt === null) message.sentAt = now()
          }
        } else age(message)
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
    neverFinal: (number) => {
      stuckNumbers.add(number)
    },
    rateLimitReceiptsNext: (count = 1, retryAfterSeconds = 30) => {
      receiptLimits = [...receiptLimits, ...Array.from({ length: count }, () => retryAfterSeconds)]
    },
    receiptRequests: () => server.requests.filter(isReceipt),
  }
}
