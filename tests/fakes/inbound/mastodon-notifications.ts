import { bearer, startFakeHttp, type FakeHttpServer, type FakeReply } from '../http-fake'

/**
 * A loopback Mastodon instance serving `GET /api/v1/notifications` as Mastodon
 * does: newest first; `types[]` filtering; `since_id` (the newest page above
 * an id), `min_id` (the page immediately after an id), `max_id` and `limit`
 * (default 40, at most 80); `Link` headers; `{error}` bodies; 429 with
 * `X-RateLimit-Reset` as an ISO date. Mentions carry HTML `content`.
 */

export interface FakeMention {
  /** Status text as HTML (Mastodon always sends HTML). */
  html: string
  acct?: string
  displayName?: string
  spoiler?: string
  inReplyTo?: string | null
  createdAt?: string
}

export interface FakeMastodonInbox extends FakeHttpServer {
  token: string
  /** Adds a mention notification; returns [notification id, status id]. */
  mention(m: FakeMention): [string, string]
  /** Adds a notification of another type (favourite, follow), which a mention poll must not return. */
  other(type: 'favourite' | 'follow' | 'reblog'): string
}

interface Stored {
  id: bigint
  type: string
  body: Record<string, unknown>
}

export async function startFakeMastodonInbox(
  options: { token?: string; now?: () => number } = {},
): Promise<FakeMastodonInbox> {
  const token = options.token ?? 'mastodon-inbox-token-0123456789'
  const now = options.now ?? Date.now
  const notifications: Stored[] = []
  let nextNotification = 200000n
  let nextStatus = 113500000000000000n

  const error = (status: number, message: string): FakeReply => ({
    status,
    body: { error: message },
  })

  const server = await startFakeHttp(
    (req) => {
      if (bearer(req) !== token) return error(401, 'The access token is invalid')
      if (req.method !== 'GET' || req.path !== '/api/v1/notifications')
        return error(404, 'Not Found')
      const types = req.query['types[]']
      const limit = Math.min(80, Math.max(1, Number(req.query.limit ?? 40) || 40))
      const above = (key: string) =>
        req.query[key] === undefined ? undefined : BigInt(req.query[key] as string)
      const since = above('since_id')
      const min = above('min_id')
      const max = above('max_id')
      let items = notifications.filter((n) => !types || n.type === types)
      if (max !== undefined) items = items.filter((n) => n.id < max)
      if (since !== undefined) items = items.filter((n) => n.id > since)
      if (min !== undefined) {
        // min_id: the oldest `limit` items after it, returned newest first.
        items = items
          .filter((n) => n.id > min)
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .slice(0, limit)
      }
      items = items.sort((a, b) => (a.id > b.id ? -1 : 1)).slice(0, limit)
      const headers: Record<string, string> = {}
      if (items.length > 0) {
        const first = items[0]?.id
        const last = items.at(-1)?.id
        headers.link = `<${server.url}/api/v1/notifications?max_id=${last}>; rel="next", <${server.url}/api/v1/notifications?min_id=${first}>; rel="prev"`
      }
      return { status: 200, headers, body: items.map((n) => n.body) }
    },
    {
      rateLimited: (seconds) => ({
        status: 429,
        headers: {
          'x-ratelimit-limit': '300',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': new Date(now() + seconds * 1000).toISOString(),
        },
        body: { error: 'Too many requests' },
      }),
      serverError: (status) => ({
        status,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><h1>We&#39;re sorry, but something went wrong</h1></body></html>',
      }),
    },
  )

  return Object.assign(server, {
    token,
    mention(m: FakeMention): [string, string] {
      const id = nextNotification++
      const statusId = String(nextStatus++)
      const acct = m.acct ?? 'cittadino@mastodon.uno'
      const account = {
        id: String(100 + notifications.length),
        username: acct.split('@')[0],
        acct,
        display_name: m.displayName ?? 'Cittadino',
        url: `https://${acct.split('@')[1] ?? 'localhost'}/@${acct.split('@')[0]}`,
      }
      const createdAt = m.createdAt ?? new Date(now()).toISOString()
      notifications.push({
        id,
        type: 'mention',
        body: {
          id: String(id),
          type: 'mention',
          created_at: createdAt,
          account,
          status: {
            id: statusId,
            created_at: createdAt,
            in_reply_to_id: m.inReplyTo ?? null,
            content: m.html,
            spoiler_text: m.spoiler ?? '',
            visibility: 'public',
            url: `${account.url}/${statusId}`,
            account,
          },
        },
      })
      return [String(id), statusId]
    },
    other(type: 'favourite' | 'follow' | 'reblog'): string {
      const id = nextNotification++
      notifications.push({
        id,
        type,
        body: {
          id: String(id),
          type,
          created_at: new Date(now()).toISOString(),
          account: { id: '1', acct: 'x', username: 'x' },
        },
      })
      return String(id)
    },
  })
}
