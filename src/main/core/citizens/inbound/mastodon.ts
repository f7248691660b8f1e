import { isoDateToDelay, joinUrl } from '../../channels/adapters/http'
import { objectField, stringField } from '../../channels/adapters/http-errors'
import type { IncomingCitizenMessage } from '../types'
import { InboundError } from './errors'
import { htmlToText } from '../../../../shared/text/html-to-text'
import { compareIds, inboundHttp, maxId, secret, setting, type ProviderErrors } from './http-get'
import type { InboundAccount, InboundContext, InboundPoller, InboundPollResult } from './types'

/**
 * Mentions of our Mastodon account: `GET /api/v1/notifications?types[]=mention`
 * with the Bearer token. With a cursor it asks `min_id` (the page immediately
 * after it, walking forward) rather than `since_id` (the newest page above
 * it): after a burst of more than one page, `since_id` would skip the middle.
 * The status HTML becomes plain text; no markup is kept.
 */

const PAGE = 40
const MAX_PAGES = 10

export const MASTODON_ERRORS: ProviderErrors = {
  name: 'Mastodon',
  retryAfterMs: (res, now) => isoDateToDelay(res.headers.get('x-ratelimit-reset'), now),
  text: (res) =>
    stringField(res.json, 'error') ??
    (res.text.trim().startsWith('<') ? undefined : res.text.trim() || undefined),
}

/** One mention notification as a citizen message, or undefined when it is not one. */
export function mentionToMessage(
  notification: unknown,
  accountId: number,
  instanceHost: string,
): IncomingCitizenMessage | undefined {
  if (stringField(notification, 'type') !== 'mention') return undefined
  const status = objectField(notification, 'status')
  const author = objectField(notification, 'account') ?? objectField(status, 'account')
  const id = stringField(status, 'id')
  if (!status || !id) return undefined
  const acctRaw = stringField(author, 'acct')
  const acct = acctRaw
    ? acctRaw.includes('@')
      ? acctRaw
      : `${acctRaw}@${instanceHost}`
    : undefined
  const warning = stringField(status, 'spoiler_text')
  const body = htmlToText(stringField(status, 'content') ?? '')
  const url = stringField(status, 'url')
  return {
    family: 'mastodon',
    accountId,
    externalId: id,
    threadId: null,
    inReplyTo: stringField(status, 'in_reply_to_id') ?? null,
    authorName: stringField(author, 'display_name') ?? stringField(author, 'username') ?? null,
    authorHandle: acct ? `@${acct}` : null,
    text: warning ? `[CW: ${warning}]\n${body}` : body,
    receivedAt:
      stringField(status, 'created_at') ?? stringField(notification, 'created_at') ?? null,
    flags: { ...(acct ? { acct } : {}), ...(url ? { permalink: url } : {}) },
  }
}

export function createMastodonInbound(account: InboundAccount, ctx: InboundContext): InboundPoller {
  const baseUrl = setting(account.settings, 'baseUrl')
  const host = new URL(baseUrl).host

  return {
    accountId: account.id,
    kind: 'mastodon',
    async poll(sinceCursor, signal): Promise<InboundPollResult> {
      const token = secret(await ctx.secretsFor(account.id), 'accessToken')
      const http = inboundHttp(ctx, MASTODON_ERRORS, [token])
      const messages: IncomingCitizenMessage[] = []
      let cursor = sinceCursor
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ 'types[]': 'mention', limit: String(PAGE) })
        if (cursor !== null) query.set('min_id', cursor)
        const res = await http.get(
          joinUrl(baseUrl, `api/v1/notifications?${query.toString()}`),
          { Authorization: `Bearer ${token}` },
          signal,
        )
        if (!Array.isArray(res.json)) {
          throw new InboundError(
            'bad_response',
            'Mastodon: risposta alle notifiche incomprensibile',
          )
        }
        const items = res.json as unknown[]
        let newest: string | null = null
        for (const n of items) {
          const nid = stringField(n, 'id')
          if (nid === undefined || (cursor !== null && compareIds(nid, cursor) <= 0)) continue
          newest = maxId(newest, nid)
          const message = mentionToMessage(n, account.id, host)
          if (message) messages.push(message)
        }
        // The first poll starts from the newest page only: old mentions are not today's news.
        if (newest === null || sinceCursor === null) {
          cursor = maxId(cursor, newest)
          break
        }
        cursor = newest
        if (items.length < PAGE) break
      }
      messages.sort((a, b) => compareIds(a.externalId, b.externalId))
      return { messages, nextCursor: cursor }
    },
  }
}
