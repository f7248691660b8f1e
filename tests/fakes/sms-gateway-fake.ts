import { randomBytes } from 'node:crypto'
import {
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'
import { countSegments } from './twilio-fake'

/**
 * A loopback Italian SMS gateway speaking the Skebby REST API v1.0: session
 * login (`GET login` → "user_key;session_key"), `user_key`/`Session_key`
 * headers, `POST sms` with a client `order_id` (a known order id is refused),
 * `GET sms/{order_id}` whose recipient status advances on each poll
 * (WAITING → SENT → DLVRD, or BLACKLISTED), sessions that can be expired.
 */

export interface FakeGatewayOrder {
  orderId: string
  messageType: string
  message: string
  recipients: string[]
  sender: string | undefined
  statuses: string[]
  /** Remaining statuses per recipient index, one consumed per poll. */
  next: string[][]
}

export interface FakeSmsGateway extends FakeHttpServer {
  /** The base URL to configure, with the API prefix and trailing slash. */
  baseUrl: string
  username: string
  password: string
  orders: FakeGatewayOrder[]
  logins: number
  /** Every open session becomes invalid (the gateway's idle expiry). */
  expireSessions(): void
  /** Messages to this number end BLACKLISTED. */
  blacklist(number: string): void
}

const PREFIX = '/API/v1.0/REST/'
const MESSAGE_TYPES = ['GP', 'TI', 'SI']

const ko = (status: number, error: string): FakeReply => ({ status, body: { result: 'KO', error } })

export interface FakeSmsGatewayOptions {
  username?: string
  password?: string
}

/** Starts the fake gateway on 127.0.0.1. */
export async function startFakeSmsGateway(
  options: FakeSmsGatewayOptions = {},
): Promise<FakeSmsGateway> {
  const username = options.username ?? 'pc-empolese'
  const password = options.password ?? 'gateway-password-1'
  const userKey = 'UK1234'
  const sessions = new Set<string>()
  const blacklisted = new Set<string>()
  const orders: FakeGatewayOrder[] = []
  const state = { logins: 0 }

  function authorised(req: RecordedRequest): boolean {
    const sessionKey = req.headers['session_key']
    return (
      req.headers['user_key'] === userKey &&
      typeof sessionKey === 'string' &&
      sessions.has(sessionKey)
    )
  }

  function send(req: RecordedRequest): FakeReply {
    const body = (req.body ?? {}) as Record<string, unknown>
    const messageType = body.message_type
    if (typeof messageType !== 'string' || !MESSAGE_TYPES.includes(messageType))
      return ko(400, 'Invalid message_type')
    if (typeof body.message !== 'string' || body.message === '') return ko(400, 'Missing message')
    if (body.message.length > 1000) return ko(400, 'Message too long')
    const recipients = body.recipient
    if (!Array.isArray(recipients) || recipients.length === 0) return ko(400, 'Missing recipient')
    for (const r of recipients) {
      if (typeof r !== 'string' || !/^\+?\d{8,15}$/.test(r))
        return ko(400, `Invalid recipient: ${String(r)}`)
    }
    const sender = typeof body.sender === 'string' && body.sender !== '' ? body.sender : undefined
    if (sender && messageType === 'SI')
      return ko(400, 'Custom sender not allowed for message_type SI')
    const orderId =
      typeof body.order_id === 'string' ? body.order_id : randomBytes(8).toString('hex')
    if (orders.some((o) => o.orderId === orderId))
      return ko(400, `order_id ${orderId} already exists`)
    const order: FakeGatewayOrder = {
      orderId,
      messageType,
      message: body.message,
      recipients: recipients as string[],
      sender,
      statuses: (recipients as string[]).map(() => 'WAITING'),
      next: (recipients as string[]).map((r) =>
        blacklisted.has(r) ? ['BLACKLISTED'] : ['SENT', 'DLVRD'],
      ),
    }
    orders.push(order)
    const credits = countSegments(body.message) * recipients.length
    return {
      status: 201,
      body: {
        result: 'OK',
        order_id: orderId,
        total_sent: body.returnCredits === true ? credits : recipients.length,
        internal_order_id: randomBytes(6).toString('hex'),
      },
    }
  }

  function status(orderId: string): FakeReply {
    const order = orders.find((o) => o.orderId === orderId)
    if (!order) return ko(404, 'Order not found')
    order.statuses = order.statuses.map((s, i) => order.next[i]?.shift() ?? s)
    return {
      status: 200,
      body: {
        recipient_number: order.recipients.length,
        result: 'OK',
        recipients: order.recipients.map((destination, i) => ({
          status: order.statuses[i],
          destination,
          delivery_date: order.statuses[i] === 'DLVRD' ? '20260123154512' : '',
        })),
      },
    }
  }

  const server = await startFakeHttp(
    (req) => {
      if (!req.path.startsWith(PREFIX)) return ko(404, 'Not found')
      const route = req.path.slice(PREFIX.length)
      if (req.method === 'GET' && route === 'login') {
        if (req.query.username !== username || req.query.password !== password)
          return { status: 404, body: '' }
        state.logins++
        const sessionKey = `SK-${randomBytes(8).toString('hex')}`
        sessions.add(sessionKey)
        return { status: 200, body: `${userKey};${sessionKey}` }
      }
      if (!authorised(req)) return { status: 401, body: '' }
      if (req.method === 'POST' && route === 'sms') return send(req)
      const m = /^sms\/([^/]+)$/.exec(route)
      if (req.method === 'GET' && m?.[1]) return status(decodeURIComponent(m[1]))
      return ko(404, 'Not found')
    },
    {
      rateLimited: (seconds) => ({
        status: 429,
        headers: { 'retry-after': String(seconds) },
        body: ko(429, 'Too many requests').body,
      }),
      serverError: (code) => ({ status: code, body: 'Internal Server Error' }),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    baseUrl: `${server.url}${PREFIX}`,
    username,
    password,
    orders,
    get logins() {
      return state.logins
    },
    expireSessions: () => sessions.clear(),
    blacklist: (number) => {
      blacklisted.add(number)
    },
  }
}
