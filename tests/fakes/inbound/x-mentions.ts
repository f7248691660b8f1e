import { bearer, startFakeHttp, type FakeHttpServer, type FakeReply } from '../http-fake'

/**
 * A loopback X API v2 for reading mentions: `GET /2/users/me` and
 * `GET /2/users/:id/mentions` with `since_id`, `max_results` (5-100),
 * `pagination_token`, the `author_id` expansion (`includes.users`) and `meta`
 * (`newest_id`, `oldest_id`, `result_count`, `next_token`). Tweet text is
 * HTML-escaped (`&amp;`, `&lt;`, `&gt;`) as X sends it. Errors are problem
 * documents; 429 carries `x-rate-limit-reset` in epoch seconds.
 */

export interface FakeMentionTweet {
  text: string
  username?: string
  name?: string
  conversationId?: string
  repliedTo?: string
  createdAt?: string
}

export interface FakeXMentions extends FakeHttpServer {
  token: string
  userId: string
  /** Adds a mention; returns the tweet id. */
  mention(t: FakeMentionTweet): string
}

const problem = (status: number, title: string, detail: string): FakeReply => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: { title, detail, type: 'about:blank', status },
})

const escapeTweet = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export async function startFakeXMentions(
  options: { token?: string; now?: () => number } = {},
): Promise<FakeXMentions> {
  const token = options.token ?? 'x-user-access-token-for-tests-abcdef'
  const now = options.now ?? Date.now
  const userId = '1500000000000000001'
  const tweets: { id: bigint; authorId: string; t: FakeMentionTweet }[] = []
  const users = new Map<string, { id: string; name: string; username: string }>()
  let nextTweet = 1890000000000000000n
  let nextUser = 2000n

  const server = await startFakeHttp(
    (req) => {
      if (bearer(req) !== token) return problem(401, 'Unauthorized', 'Unauthorized')
      if (req.method === 'GET' && req.path === '/2/users/me') {
        return {
          status: 200,
          body: {
            data: { id: userId, name: 'Protezione Civile Empolese', username: 'pcempolese' },
          },
        }
      }
      const match = /^\/2\/users\/(\d+)\/mentions$/.exec(req.path)
      if (req.method !== 'GET' || !match) return problem(404, 'Not Found Error', 'Not found')
      if (match[1] !== userId)
        return problem(403, 'Forbidden', 'You are not permitted to see this user')
      const max = Number(req.query.max_results ?? 10)
      if (!Number.isInteger(max) || max < 5 || max > 100) {
        return problem(
          400,
          'Invalid Request',
          'The `max_results` query parameter value is not between 5 and 100',
        )
      }
      const since = req.query.since_id === undefined ? undefined : BigInt(req.query.since_id)
      const before =
        req.query.pagination_token === undefined ? undefined : BigInt(req.query.pagination_token)
      const all = tweets
        .filter(
          (t) => (since === undefined || t.id > since) && (before === undefined || t.id < before),
        )
        .sort((a, b) => (a.id > b.id ? -1 : 1))
      const page = all.slice(0, max)
      if (page.length === 0) return { status: 200, body: { meta: { result_count: 0 } } }
      const more = all.length > max
      const fields = new Set((req.query['tweet.fields'] ?? '').split(','))
      const data = page.map((t) => ({
        id: String(t.id),
        text: escapeTweet(t.t.text),
        author_id: t.authorId,
        edit_history_tweet_ids: [String(t.id)],
        ...(fields.has('created_at')
          ? { created_at: t.t.createdAt ?? new Date(now()).toISOString() }
          : {}),
        ...(fields.has('conversation_id')
          ? { conversation_id: t.t.conversationId ?? String(t.id) }
          : {}),
        ...(fields.has('referenced_tweets') && t.t.repliedTo
          ? { referenced_tweets: [{ type: 'replied_to', id: t.t.repliedTo }] }
          : {}),
      }))
      const expand = (req.query.expansions ?? '').split(',').includes('author_id')
      return {
        status: 200,
        body: {
          data,
          ...(expand
            ? {
                includes: {
                  users: [...new Set(page.map((t) => t.authorId))].map((id) => users.get(id)),
                },
              }
            : {}),
          meta: {
            result_count: page.length,
            newest_id: data[0]?.id,
            oldest_id: data.at(-1)?.id,
            ...(more ? { next_token: String(page.at(-1)?.id) } : {}),
          },
        },
      }
    },
    {
      rateLimited: (seconds) => ({
        ...problem(429, 'Too Many Requests', 'Too Many Requests'),
        headers: {
          'content-type': 'application/problem+json',
          'x-rate-limit-limit': '10',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.floor(now() / 1000) + seconds),
        },
      }),
      serverError: (status) => problem(status, 'Service Unavailable', 'Service Unavailable'),
    },
  )

  return Object.assign(server, {
    token,
    userId,
    mention(t: FakeMentionTweet): string {
      const username = t.username ?? 'cittadino'
      let user = [...users.values()].find((u) => u.username === username)
      if (!user) {
        user = { id: String(nextUser++), name: t.name ?? 'Cittadino', username }
        users.set(user.id, user)
      }
      const id = nextTweet++
      tweets.push({ id, authorId: user.id, t })
      return String(id)
    },
  })
}
