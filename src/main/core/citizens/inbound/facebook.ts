import { joinUrl, parseJson } from '../../channels/adapters/http'
import { numberField, objectField, stringField } from '../../channels/adapters/http-errors'
import type { IncomingCitizenMessage } from '../types'
import { InboundError } from './errors'
import { inboundHttp, secret, setting, type HttpResponse, type ProviderErrors } from './http-get'
import type { InboundAccount, InboundContext, InboundPoller, InboundPollResult } from './types'

/**
 * Comments on our Facebook Page posts: `GET /{version}/{page-id}/feed` with
 * the comments of each post expanded. The feed's `since` filters posts, not
 * comments, so each poll reads the posts of the last days (people comment on
 * yesterday's alert) and keeps the comments newer than the cursor, minus a
 * small overlap for late-indexed comments; the inbox drops what it has. The
 * page token travels in the Authorization header, never in a URL.
 */

/** Posts older than this get few new comments; their comments are not polled. */
const LOOKBACK_MS = 7 * 24 * 3600_000
/** Comments can appear in the feed a little after their created_time. */
const OVERLAP_MS = 10 * 60_000
const POSTS_PER_PAGE = 25
const COMMENTS_PER_POST = 100
const MAX_PAGES = 8

const RATE_CODES = new Set([4, 17, 32, 613, 80001])

function regainAccessMs(res: HttpResponse): number | undefined {
  const parsed = parseJson(res.headers.get('x-business-use-case-usage') ?? '')
  if (typeof parsed !== 'object' || parsed === null) return undefined
  let minutes = 0
  for (const entries of Object.values(parsed as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue
    for (const e of entries)
      minutes = Math.max(minutes, numberField(e, 'estimated_time_to_regain_access') ?? 0)
  }
  return minutes > 0 ? minutes * 60_000 : undefined
}

export const FACEBOOK_ERRORS: ProviderErrors = {
  name: 'Facebook',
  retryAfterMs: regainAccessMs,
  text: (res) => stringField(objectField(res.json, 'error'), 'message'),
  classify: (res) => {
    const error = objectField(res.json, 'error')
    const code = numberField(error, 'code')
    const said = stringField(error, 'message')
    const suffix = said ? ` (#${code} ${said})` : ''
    if (code !== undefined && RATE_CODES.has(code)) {
      return new InboundError(
        'rate_limited',
        `Facebook: limite di richieste raggiunto${suffix}`,
        regainAccessMs(res),
      )
    }
    if (code === 190 || code === 102)
      return new InboundError('auth', `Facebook: token della pagina scaduto o non valido${suffix}`)
    if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
      return new InboundError(
        'permission',
        `Facebook: permesso mancante per leggere i commenti${suffix}`,
      )
    }
    return undefined
  },
}

/** One comment as a citizen message. */
export function commentToMessage(
  comment: unknown,
  post: Record<string, unknown>,
  accountId: number,
  pageId: string,
): IncomingCitizenMessage | undefined {
  const id = stringField(comment, 'id')
  if (!id) return undefined
  const from = objectField(comment, 'from')
  // Our own answers in the thread are not citizens talking.
  if (stringField(from, 'id') === pageId) return undefined
  const parent = stringField(objectField(comment, 'parent'), 'id')
  const permalink = stringField(comment, 'permalink_url') ?? stringField(post, 'permalink_url')
  return {
    family: 'facebook',
    accountId,
    externalId: id,
    threadId: stringField(post, 'id') ?? null,
    inReplyTo: parent ?? stringField(post, 'id') ?? null,
    authorName: stringField(from, 'name') ?? null,
    authorHandle: null,
    text: stringField(comment, 'message') ?? '[commento senza testo]',
    receivedAt: stringField(comment, 'created_time') ?? null,
    flags: permalink ? { permalink } : {},
  }
}

export function createFacebookInbound(account: InboundAccount, ctx: InboundContext): InboundPoller {
  const baseUrl = setting(account.settings, 'baseUrl', 'https://graph.facebook.com')
  const apiVersion = setting(account.settings, 'apiVersion', 'v23.0')
  const pageId = setting(account.settings, 'pageId')
  const now = ctx.now ?? Date.now

  return {
    accountId: account.id,
    kind: 'facebook_page',
    async poll(sinceCursor, signal): Promise<InboundPollResult> {
      const token = secret(await ctx.secretsFor(account.id), 'pageAccessToken')
      const http = inboundHttp(ctx, FACEBOOK_ERRORS, [token])
      const cursorMs = sinceCursor === null ? Number.NaN : Date.parse(sinceCursor)
      const startMs = now() - LOOKBACK_MS
      const keepAfter = Number.isNaN(cursorMs) ? startMs : cursorMs - OVERLAP_MS
      const fields = `id,created_time,permalink_url,comments.limit(${COMMENTS_PER_POST}).order(reverse_chronological){id,from,message,created_time,parent{id},permalink_url}`
      const query = new URLSearchParams({
        fields,
        since: String(Math.floor(startMs / 1000)),
        limit: String(POSTS_PER_PAGE),
      })
      let url: string | undefined = joinUrl(
        baseUrl,
        `${encodeURIComponent(apiVersion)}/${encodeURIComponent(pageId)}/feed?${query.toString()}`,
      )
      const messages: IncomingCitizenMessage[] = []
      let newest = Number.isNaN(cursorMs) ? undefined : cursorMs
      for (let page = 0; page < MAX_PAGES && url; page++) {
        const res = await http.get(url, { Authorization: `Bearer ${token}` }, signal)
        const posts = (res.json as { data?: unknown })?.data
        if (!Array.isArray(posts))
          throw new InboundError('bad_response', 'Facebook: risposta del feed incomprensibile')
        for (const post of posts) {
          const comments = objectField(post, 'comments')?.['data']
          if (!Array.isArray(comments)) continue
          for (const comment of comments) {
            const at = Date.parse(stringField(comment, 'created_time') ?? '')
            if (Number.isNaN(at) || at <= keepAfter) continue
            const message = commentToMessage(
              comment,
              post as Record<string, unknown>,
              account.id,
              pageId,
            )
            if (!message) continue
            messages.push(message)
            newest = Math.max(newest ?? at, at)
          }
        }
        // Follow the feed's own next page, but only on the same host we were configured with.
        const next = stringField(objectField(res.json, 'paging'), 'next')
        url = next && new URL(next).origin === new URL(baseUrl).origin ? next : undefined
      }
      messages.sort((a, b) => Date.parse(a.receivedAt ?? '') - Date.parse(b.receivedAt ?? ''))
      return {
        messages,
        nextCursor: newest === undefined ? sinceCursor : new Date(newest).toISOString(),
      }
    },
  }
}
