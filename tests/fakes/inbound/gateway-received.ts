import { startFakeHttp, type FakeHttpServer, type FakeReply } from '../http-fake'

/**
 * A loopback Skebby-style gateway for received SMS: `GET /login` answers
 * "user_key;session_key" (404 to wrong credentials); `GET /srsmshistory`
 * with `from` (yyyyMMddHHmmss, inclusive, Rome wall-clock), `pageNumber`,
 * `pageSize` and the `user_key`/`Session_key` headers answers
 * `{result, srsmshistory:[{id_message,id_sim,sender,message,sms_date,keyword}],
 * pageNumber, pageSize, total}`, newest first. Sessions can be expired (401).
 */

export interface FakeReceivedSms {
  sender: string
  message: string
  /** yyyyMMddHHmmss on Rome's wall clock. */
  smsDate: string
  keyword?: string
}

export interface FakeGatewayReceived extends FakeHttpServer {
  username: string
  password: string
  /** Adds a received SMS; returns its id_message. */
  receive(sms: FakeReceivedSms): number
  /** The next data request with the current session gets 401 (a new login is needed). */
  expireSession(): void
  logins(): number
}

const ko = (status: number, message: string): FakeReply => ({
  status,
  body: { result: 'KO', error_message: message },
})

export async function startFakeGatewayReceived(
  options: { username?: string; password?: string } = {},
): Promise<FakeGatewayReceived> {
  const username = options.username ?? 'protezione.civile'
  const password = options.password ?? 'gateway-pass-Secret!42'
  const received: (FakeReceivedSms & { id: number })[] = []
  const sessions = new Set<string>()
  let nextId = 31
  let loginCount = 0

  const server = await startFakeHttp(
    (req) => {
      if (req.path === '/API/v1.0/REST/login') {
        if (req.query.username !== username || req.query.password !== password)
          return { status: 404, body: '' }
        loginCount++
        const key = `SK${loginCount}x${Math.random().toString(36).slice(2, 10)}`
        sessions.add(key)
        return { status: 200, body: `UK777;${key}` }
      }
      const sessionKey = req.headers['session_key']
      if (
        req.headers['user_key'] !== 'UK777' ||
        typeof sessionKey !== 'string' ||
        !sessions.has(sessionKey)
      ) {
        return ko(401, 'Unauthorized')
      }
      if (req.path !== '/API/v1.0/REST/srsmshistory') return ko(404, 'Not found')
      const from = req.query.from
      if (!from || !/^\d{14}$/.test(from)) return ko(400, 'Missing or invalid parameter: from')
      const pageSize = Math.min(100, Number(req.query.pageSize ?? 10) || 10)
      const pageNumber = Math.max(1, Number(req.query.pageNumber ?? 1) || 1)
      const matching = received
        .filter((r) => r.smsDate >= from)
        .sort((a, b) => b.smsDate.localeCompare(a.smsDate) || b.id - a.id)
      const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
      return {
        status: 200,
        body: {
          result: 'OK',
          srsmshistory: page.map((r) => ({
            id_message: String(r.id),
            id_sim: '+393400000001',
            sender: r.sender,
            message: r.message,
            sms_date: r.smsDate,
            keyword: r.keyword ?? '',
          })),
          pageNumber,
          pageSize,
          total: matching.length,
        },
      }
    },
    {
      rateLimited: (seconds) => ({
        ...ko(429, 'Too many requests'),
        headers: { 'retry-after': String(seconds) },
      }),
      serverError: (status) => ({ status, body: 'Internal Server Error' }),
    },
    { isSend: (req) => req.path.endsWith('/srsmshistory') },
  )

  return Object.assign(server, {
    username,
    password,
    receive(sms: FakeReceivedSms): number {
      const id = nextId++
      received.push({ ...sms, id })
      return id
    },
    expireSession() {
      sessions.clear()
    },
    logins: () => loginCount,
  })
}
