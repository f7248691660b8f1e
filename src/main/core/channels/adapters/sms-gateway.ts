import { createHash } from 'node:crypto'
import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  DeliveryStatus,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import {
  httpBase,
  numberSetting,
  optionalSetting,
  requireSecret,
  requireSetting,
  type HttpAdapterOptions,
} from './config'
import { httpRequest, joinUrl, parseRetryAfter, type HttpResult } from './http'
import {
  failure,
  numberField,
  providerWords,
  statusFailure,
  stringField,
  transportFailure,
  type FailedOutcome,
  unreadableAnswer,
} from './http-errors'
import { limitsWithRate } from './limits'
import { fromRomeCompact } from '../../../../shared/time'
import { checkPassed, checkRefused } from './check-results'

/**
 * Italian SMS gateway with the Skebby REST API (v1.0): session login
 * (`GET login` → "user_key;session_key"), `POST sms` with a client `order_id`,
 * `GET sms/{order_id}` for receipts. The order id is our idempotency key, so a
 * resend cannot text a citizen twice: the gateway refuses a known order id.
 */

const PROVIDER = 'Gateway SMS'

interface Session {
  userKey: string
  sessionKey: string
}

type Response = Extract<HttpResult, { type: 'response' }>

type Authed = { ok: true; res: HttpResult } | { ok: false; outcome: FailedOutcome }

/** Order ids the gateway accepts: short and plain. Longer keys are hashed, deterministically. */
const ORDER_ID_RE = /^[A-Za-z0-9_-]{1,32}$/

/** The gateway order id for an outbox idempotency key. */
export function orderIdFor(idempotencyKey: string): string {
  if (ORDER_ID_RE.test(idempotencyKey)) return idempotencyKey
  return `v${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 31)}`
}

/** Recipient statuses of `GET sms/{order_id}`, mapped to what the room shows. */
/** A message's receipt: what an SMS can be (never a call's state). */
type SmsReceipt = Exclude<DeliveryStatus, { status: 'call' }>

const RECIPIENT_STATUS: Record<string, SmsReceipt> = {
  WAITING: { status: 'pending' },
  SCHEDULED: { status: 'pending' },
  WAIT4DLVR: { status: 'sent' },
  SENT: { status: 'sent' },
  DEMO: { status: 'sent' },
  DLVRD: { status: 'delivered' },
  ERROR: { status: 'failed', code: 'ERROR', reason: 'Errore di consegna del gateway' },
  TIMEOUT: {
    status: 'failed',
    code: 'TIMEOUT',
    reason: 'Consegna scaduta: telefono spento o fuori copertura',
  },
  TOOM4USER: { status: 'failed', code: 'TOOM4USER', reason: 'Troppi SMS inviati dall’account' },
  TOOM4NUM: { status: 'failed', code: 'TOOM4NUM', reason: 'Troppi SMS verso questo numero' },
  UNKNRCPT: {
    status: 'failed',
    code: 'UNKNRCPT',
    reason: 'Numero del destinatario non interpretabile',
  },
  UNKNPFX: { status: 'failed', code: 'UNKNPFX', reason: 'Prefisso del destinatario sconosciuto' },
  INVALIDDST: { status: 'failed', code: 'INVALIDDST', reason: 'Destinatario non valido' },
  BLACKLISTED: {
    status: 'failed',
    code: 'BLACKLISTED',
    reason: 'Numero in lista nera: il destinatario non riceve SMS',
  },
  KO: { status: 'failed', code: 'KO', reason: 'Messaggio rifiutato dall’operatore' },
  INVALIDCONTENTS: {
    status: 'failed',
    code: 'INVALIDCONTENTS',
    reason: 'Contenuto del messaggio non ammesso',
  },
}

function mapRecipientStatus(body: unknown): DeliveryStatus {
  const recipients = (body as { recipients?: unknown } | undefined)?.recipients
  const first: unknown = Array.isArray(recipients) ? recipients[0] : undefined
  const status = stringField(first, 'status')
  const mapped = status === undefined ? undefined : RECIPIENT_STATUS[status]
  if (!mapped) return { status: 'unknown' }
  const date = stringField(first, 'delivery_date')
  const at = date ? parseGatewayDate(date) : undefined
  if (at === undefined || mapped.status === 'failed' || mapped.status === 'unknown') return mapped
  return { status: mapped.status, at }
}

/** The gateway writes receipt dates as "yyyyMMddHHmmss" on Italian wall-clock time. */
export function parseGatewayDate(value: string): string | undefined {
  const compact = fromRomeCompact(value)
  if (compact !== undefined) return new Date(compact).toISOString()
  if (/^\d{14}$/.test(value)) return undefined // 14 digits that are no date (month 13…)
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString()
}

/** The gateway's error text: JSON fields when it answers JSON, the body otherwise. */
function gatewayText(res: Response): string | undefined {
  return (
    stringField(res.json, 'error_message') ??
    stringField(res.json, 'message') ??
    stringField(res.json, 'error') ??
    providerWords(res.json, res.text)
  )
}

const RECIPIENT_RE = /recipient|destinat/i

/** Builds the SMS gateway adapter from an account's settings and secrets. */
export function createSmsGatewayAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const username = requireSetting(config, 'username')
  const sender = optionalSetting(config, 'sender', '')
  const messageType = optionalSetting(config, 'messageType', 'GP')
  const password = requireSecret(config, 'password')
  const rate = numberSetting(config, 'ratePerSecond', 5)

  let session: Session | undefined
  let loggingIn: Promise<Session | FailedOutcome> | undefined

  const ctx = (signal?: AbortSignal) => ({
    fetch: base.fetch,
    timeoutMs: base.timeoutMs,
    ...(signal ? { signal } : {}),
  })

  async function login(signal?: AbortSignal): Promise<Session | FailedOutcome> {
    const query = new URLSearchParams({ username, password })
    const res = await httpRequest(
      joinUrl(baseUrl, `login?${query.toString()}`),
      { method: 'GET' },
      ctx(signal),
    )
    if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
    if (res.status === 200) {
      const [userKey, sessionKey] = res.text.trim().split(';')
      if (userKey && sessionKey) {
        base.redactor.add(sessionKey)
        return { userKey, sessionKey }
      }
      return failure(
        {
          retry: 'transient',
          code: 'bad_response',
          reason: 'Risposta di login del gateway incomprensibile',
        },
        base.redactor,
      )
    }
    // The gateway answers 404 (or 401) to wrong credentials.
    if (res.status === 404 || res.status === 401 || res.status === 403) {
      return failure(
        {
          retry: 'permanent',
          code: 'auth',
          reason: 'Accesso al gateway SMS rifiutato: utente o password errati',
        },
        base.redactor,
      )
    }
    return statusFailure(
      res.status,
      PROVIDER,
      gatewayText(res),
      base.redactor,
      parseRetryAfter(res.headers.get('retry-after'), base.now()),
    )
  }

  /** One login at a time: concurrent sends share it. */
  async function ensureSession(): Promise<Session | FailedOutcome> {
    if (session) return session
    // Shared by concurrent sends, so bound by its own deadline, not one caller's signal.
    loggingIn ??= login().finally(() => {
      loggingIn = undefined
    })
    const result = await loggingIn
    if ('sessionKey' in result) session = result
    return result
  }

  /** Calls the API with the session headers; logs in again once when the session expired. */
  async function authed(path: string, init: RequestInit, signal?: AbortSignal): Promise<Authed> {
    let s = await ensureSession()
    if ('status' in s) return { ok: false, outcome: s }
    let res = await callWith(s, path, init, signal)
    // Sessions expire after minutes of inactivity: 401 means "log in again".
    if (res.type === 'response' && res.status === 401) {
      if (session === s) session = undefined
      s = await ensureSession()
      if ('status' in s) return { ok: false, outcome: s }
      res = await callWith(s, path, init, signal)
    }
    return { ok: true, res }
  }

  function callWith(
    s: Session,
    path: string,
    init: RequestInit,
    signal?: AbortSignal,
  ): Promise<HttpResult> {
    const headers = {
      ...(init.headers as Record<string, string>),
      user_key: s.userKey,
      Session_key: s.sessionKey,
    }
    return httpRequest(joinUrl(baseUrl, path), { ...init, headers }, ctx(signal))
  }

  async function orderExists(orderId: string, signal?: AbortSignal): Promise<boolean> {
    const answer = await authed(`sms/${encodeURIComponent(orderId)}`, { method: 'GET' }, signal)
    return answer.ok && answer.res.type === 'response' && answer.res.status === 200
  }

  async function errorOutcome(
    res: Response,
    orderId: string,
    signal?: AbortSignal,
  ): Promise<SendOutcome> {
    const text = gatewayText(res)
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), base.now())
    // The gateway refuses a known order id; its wording is not part of the documented API,
    // so any refusal is checked against the order itself: if it exists, an earlier attempt got through.
    if ((res.status === 400 || res.status === 409) && (await orderExists(orderId, signal))) {
      return { status: 'sent', providerId: orderId }
    }
    if (res.status === 400 && text && RECIPIENT_RE.test(text)) {
      return failure(
        {
          retry: 'permanent',
          code: 'invalid_number',
          reason: 'Numero del destinatario non valido',
          providerText: text,
        },
        base.redactor,
      )
    }
    if (res.status === 401 || res.status === 404) {
      return failure(
        {
          retry: 'permanent',
          code: 'auth',
          reason: 'Sessione del gateway SMS rifiutata dopo un nuovo accesso',
        },
        base.redactor,
      )
    }
    if (res.status === 402) {
      return failure(
        {
          retry: 'permanent',
          code: 'no_credit',
          reason: 'Credito SMS esaurito',
          providerText: text,
        },
        base.redactor,
      )
    }
    if (res.status === 200 || res.status === 201) {
      // A success we cannot read (a proxy's page): the order itself says whether it got through.
      if (await orderExists(orderId, signal)) return { status: 'sent', providerId: orderId }
      return unreadableAnswer(res.status, PROVIDER, text, base.redactor)
    }
    return statusFailure(res.status, PROVIDER, text, base.redactor, retryAfterMs)
  }

  return {
    kind: 'sms_gateway',
    idempotent: true,
    simulated: false,
    limits: () => limitsWithRate('sms_gateway', rate),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      if (message.destination.type !== 'person') {
        return failure(
          {
            retry: 'permanent',
            code: 'invalid_destination',
            reason: 'Un SMS va inviato a un numero di telefono',
          },
          base.redactor,
        )
      }
      const orderId = orderIdFor(message.idempotencyKey)
      const body = {
        message_type: messageType,
        message: message.text,
        recipient: [message.destination.address],
        // Low-cost (SI) messages cannot carry a custom sender: the gateway refuses one.
        ...(sender === '' || messageType === 'SI' ? {} : { sender }),
        order_id: orderId,
        returnCredits: true,
      }
      const call = await authed(
        'sms',
        {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'Content-Type': 'application/json' },
        },
        signal,
      )
      if (!call.ok) return call.outcome
      const answer = call.res
      if (answer.type !== 'response') return transportFailure(answer, PROVIDER, base.redactor)
      if (
        (answer.status === 200 || answer.status === 201) &&
        stringField(answer.json, 'result') === 'OK'
      ) {
        const credits = numberField(answer.json, 'total_sent')
        return {
          status: 'sent',
          providerId: orderId,
          ...(credits === undefined ? {} : { segments: credits }),
        }
      }
      return errorOutcome(answer, orderId, signal)
    },

    async fetchStatus(providerId: string, signal?: AbortSignal): Promise<DeliveryStatus> {
      const call = await authed(`sms/${encodeURIComponent(providerId)}`, { method: 'GET' }, signal)
      if (!call.ok || call.res.type !== 'response' || call.res.status !== 200)
        return { status: 'unknown' }
      return mapRecipientStatus(call.res.json)
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      // A fresh login, so the check proves today's credentials, not a cached session.
      const s = await login(signal)
      if ('status' in s) return checkRefused(s, PROVIDER)
      session = s
      return checkPassed(
        'sms_gateway_login',
        { user: username },
        `Accesso al gateway SMS riuscito (utente ${username})`,
      )
    },
  }
}
