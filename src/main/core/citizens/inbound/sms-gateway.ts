import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { joinUrl, parseRetryAfter } from '../../channels/adapters/http'
import { parseGatewayDate } from '../../channels/adapters/sms-gateway'
import { stringField } from '../../channels/adapters/http-errors'
import type { IncomingCitizenMessage } from '../types'
import { InboundError } from './errors'
import { inboundHttp, secret, setting, type InboundHttp, type ProviderErrors } from './http-get'
import type { InboundAccount, InboundContext, InboundPoller, InboundPollResult } from './types'
import { toRomeCompact } from '../../../../shared/time'

/**
 * SMS citizens send back to the gateway's receiving number (Skebby REST API
 * v1.0, "Received SMS"): `GET srsmshistory?from=yyyyMMddHHmmss&pageNumber=&pageSize=`
 * with the same session as sending (`GET login` → "user_key;session_key",
 * headers `user_key` and `Session_key`, a new login on 401).
 *
 * Chosen over `newsrsmsmessage` ("new since the last call"), which consumes
 * what it returns: a crash between reading and storing would lose replies.
 * The history is read again from the cursor (the newest `sms_date` seen) and
 * the inbox drops what it has by `id_message`.
 *
 * Assumed answer, as the provider documents it: `{"result":"OK",
 * "srsmshistory":[{"id_message","id_sim","sender","message","sms_date","keyword"}],
 * "pageNumber","pageSize","total"}`, dates on Italian wall-clock time.
 */

const PAGE_SIZE = 100
/** Beyond this many pages in one poll the cursor is kept, so the rest is read next time. */
const MAX_PAGES = 20
/** The first poll looks back this far. */
const FIRST_LOOKBACK_MS = 24 * 3600_000

/** An instant as the gateway writes dates: "yyyyMMddHHmmss" on Rome's wall clock. */
export function formatGatewayDate(ms: number): string {
  return toRomeCompact(ms)
}

export const GATEWAY_ERRORS: ProviderErrors = {
  name: 'Gateway SMS',
  retryAfterMs: (res, now) => parseRetryAfter(res.headers.get('retry-after'), now),
  text: (res) =>
    stringField(res.json, 'error_message') ??
    stringField(res.json, 'message') ??
    (res.text.trim().startsWith('<') ? undefined : res.text.trim() || undefined),
}

/** The sender as E.164 when it is a phone number (Italian numbers may come without prefix). */
export function senderToE164(sender: string): string {
  const cleaned = sender.trim().replace(/^00/, '+')
  const withPlus = /^\d{11,15}$/.test(cleaned) && cleaned.startsWith('39') ? `+${cleaned}` : cleaned
  const parsed = parsePhoneNumberFromString(withPlus, 'IT')
  return parsed?.isPossible() ? parsed.number : sender.trim()
}

/** One received SMS as a citizen message. */
export function receivedSmsToMessage(
  item: unknown,
  accountId: number,
): IncomingCitizenMessage | undefined {
  const rawId = (item as { id_message?: unknown } | null)?.id_message
  const id =
    typeof rawId === 'number' && Number.isInteger(rawId)
      ? String(rawId)
      : stringField(item, 'id_message')
  const sender = stringField(item, 'sender')
  if (!id || !sender) return undefined
  const date = stringField(item, 'sms_date')
  return {
    family: 'sms',
    accountId,
    externalId: id,
    threadId: stringField(item, 'id_sim') ?? null,
    inReplyTo: null,
    authorName: null,
    authorHandle: senderToE164(sender),
    text: stringField(item, 'message') ?? '',
    receivedAt: date ? (parseGatewayDate(date) ?? null) : null,
  }
}

export function createSmsGatewayInbound(
  account: InboundAccount,
  ctx: InboundContext,
): InboundPoller {
  const baseUrl = setting(account.settings, 'baseUrl', 'https://api.skebby.it/API/v1.0/REST/')
  const username = setting(account.settings, 'username')
  const now = ctx.now ?? Date.now
  let session: { userKey: string; sessionKey: string } | undefined

  async function login(http: InboundHttp, password: string, signal?: AbortSignal) {
    const query = new URLSearchParams({ username, password })
    let res
    try {
      res = await http.get(joinUrl(baseUrl, `login?${query.toString()}`), {}, signal)
    } catch (err) {
      // The gateway answers 404 to unknown credentials.
      if (err instanceof InboundError && err.code === 'rejected') {
        throw new InboundError('auth', 'Accesso al gateway SMS rifiutato: utente o password errati')
      }
      throw err
    }
    const [userKey, sessionKey] = res.text.trim().split(';')
    if (!userKey || !sessionKey)
      throw new InboundError('bad_response', 'Risposta di login del gateway incomprensibile')
    http.redactor.add(sessionKey)
    return { userKey, sessionKey }
  }

  async function authedGet(
    http: InboundHttp,
    password: string,
    path: string,
    signal?: AbortSignal,
  ) {
    for (let attempt = 0; ; attempt++) {
      session ??= await login(http, password, signal)
      http.redactor.add(session.sessionKey)
      try {
        return await http.get(
          joinUrl(baseUrl, path),
          { user_key: session.userKey, Session_key: session.sessionKey },
          signal,
        )
      } catch (err) {
        // Sessions expire after minutes of inactivity: log in again, once.
        if (err instanceof InboundError && err.code === 'auth' && attempt === 0) {
          session = undefined
          continue
        }
        throw err
      }
    }
  }

  return {
    accountId: account.id,
    kind: 'sms_gateway',
    async poll(sinceCursor, signal): Promise<InboundPollResult> {
      const password = secret(await ctx.secretsFor(account.id), 'password')
      const http = inboundHttp(ctx, GATEWAY_ERRORS, [password])
      const from =
        sinceCursor && /^\d{14}$/.test(sinceCursor)
          ? sinceCursor
          : formatGatewayDate(now() - FIRST_LOOKBACK_MS)
      const messages: IncomingCitizenMessage[] = []
      let newest = from
      let complete = false
      for (let page = 1; page <= MAX_PAGES; page++) {
        const query = new URLSearchParams({
          from,
          pageNumber: String(page),
          pageSize: String(PAGE_SIZE),
        })
        const res = await authedGet(http, password, `srsmshistory?${query.toString()}`, signal)
        const items = (res.json as { srsmshistory?: unknown })?.srsmshistory
        if (!Array.isArray(items))
          throw new InboundError(
            'bad_response',
            'Gateway SMS: elenco dei messaggi ricevuti incomprensibile',
          )
        for (const item of items) {
          const message = receivedSmsToMessage(item, account.id)
          if (!message) continue
          messages.push(message)
          const date = stringField(item, 'sms_date')
          if (date && /^\d{14}$/.test(date) && date > newest) newest = date
        }
        if (items.length < PAGE_SIZE) {
          complete = true
          break
        }
      }
      messages.sort((a, b) => (a.receivedAt ?? '').localeCompare(b.receivedAt ?? ''))
      // "from" is inclusive: the next poll re-reads the newest second, and duplicates are dropped.
      return { messages, nextCursor: complete ? newest : (sinceCursor ?? from) }
    },
  }
}
