import { epochSecondsToDelay, joinUrl } from '../../channels/adapters/http'
import { objectField, stringField } from '../../channels/adapters/http-errors'
import type { IncomingCitizenMessage } from '../types'
import { InboundError } from './errors'
import { compareIds, inboundHttp, maxId, secret, setting, type ProviderErrors } from './http-get'
import type { InboundAccount, InboundContext, InboundPoller, InboundPollResult } from './types'

/**
 * Mentions of our X profile (replies included): `GET /2/users/:id/mentions`
 * with `since_id`, the author expansion and the fields the room shows. Our user
 * id comes from `GET /2/users/me`, asked once. A 429 carries the window reset
 * (`x-rate-limit-reset`, epoch seconds), which the scheduler honours.
 */

const PAGE = 100
const MAX_PAGES = 8

export const X_ERRORS: ProviderErrors = {
  name: 'X',
  retryAfterMs: (res, now) => epochSecondsToDelay(res.headers.get('x-rate-limit-reset'), now),
  text: (res) => {
    const first: unknown = Array.isArray((res.json as { errors?: unknown })?.errors)
      ? (res.json as { errors: unknown[] }).errors[0]
      : undefined
    return (
      stringField(res.json, 'detail') ??
      stringField(first, 'message') ??
      stringField(res.json, 'title')
    )
  },
}

/** X escapes these three in tweet text; the room shows what the citizen typed. */
const unescapeTweet = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

function usersById(body: unknown): Map<string, Record<string, unknown>> {
  const users = objectField(body, 'includes')?.['users']
  const map = new Map<string, Record<string, unknown>>()
  if (Array.isArray(users)) {
    for (const u of users) {
      const id = stringField(u, 'id')
      if (id) map.set(id, u as Record<string, unknown>)
    }
  }
  return map
}

/** One mention as a citizen message. */
export function tweetToMessage(
  tweet: unknown,
  users: Map<string, Record<string, unknown>>,
  accountId: number,
): IncomingCitizenMessage | undefined {
  const id = stringField(tweet, 'id')
  const text = stringField(tweet, 'text')
  if (!id || text === undefined) return undefined
  const author = users.get(stringField(tweet, 'author_id') ?? '')
  const username = stringField(author, 'username')
  const replied = (tweet as { referenced_tweets?: unknown }).referenced_tweets
  const inReplyTo = Array.isArray(replied)
    ? replied.find((r) => stringField(r, 'type') === 'replied_to')
    : undefined
  return {
    family: 'x',
    accountId,
    externalId: id,
    threadId: stringField(tweet, 'conversation_id') ?? null,
    inReplyTo: stringField(inReplyTo, 'id') ?? null,
    authorName: stringField(author, 'name') ?? null,
    authorHandle: username ? `@${username}` : null,
    text: unescapeTweet(text),
    receivedAt: stringField(tweet, 'created_at') ?? null,
    flags: username ? { permalink: `https://x.com/${username}/status/${id}` } : {},
  }
}

export function createXInbound(account: InboundAccount, ctx: InboundContext): InboundPoller {
  const baseUrl = setting(account.settings, 'baseUrl', 'https://api.x.com')
  let userId: string | undefined

  return {
    accountId: account.id,
    kind: 'x',
    async poll(sinceCursor, signal): Promise<InboundPollResult> {
      const token = secret(await ctx.secretsFor(account.id), 'accessToken')
      const http = inboundHttp(ctx, X_ERRORS, [token])
      const auth = { Authorization: `Bearer ${token}` }
      if (userId === undefined) {
        const me = await http.get(joinUrl(baseUrl, '2/users/me'), auth, signal)
        userId = stringField(objectField(me.json, 'data'), 'id')
        if (!userId) throw new InboundError('bad_response', 'X: risposta di /2/users/me senza id')
      }
      const messages: IncomingCitizenMessage[] = []
      let newest: string | null = null
      let paginationToken: string | undefined
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({
          max_results: String(PAGE),
          expansions: 'author_id',
          'tweet.fields': 'created_at,conversation_id,in_reply_to_user_id,referenced_tweets',
          'user.fields': 'name,username',
        })
        if (sinceCursor !== null) query.set('since_id', sinceCursor)
        if (paginationToken) query.set('pagination_token', paginationToken)
        const res = await http.get(
          joinUrl(baseUrl, `2/users/${encodeURIComponent(userId)}/mentions?${query.toString()}`),
          auth,
          signal,
        )
        const data = (res.json as { data?: unknown })?.data
        const users = usersById(res.json)
        if (Array.isArray(data)) {
          for (const tweet of data) {
            const message = tweetToMessage(tweet, users, account.id)
            if (!message) continue
            newest = maxId(newest, message.externalId)
            messages.push(message)
          }
        }
        paginationToken = stringField(objectField(res.json, 'meta'), 'next_token')
        // First poll: the newest page only. Later: page back down to the cursor.
        if (!paginationToken || sinceCursor === null) break
      }
      messages.sort((a, b) => compareIds(a.externalId, b.externalId))
      return { messages, nextCursor: maxId(sinceCursor, newest) }
    },
  }
}
