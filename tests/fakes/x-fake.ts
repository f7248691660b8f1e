import { parseTweet } from 'twitter-text'
import {
  bearer,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type MultipartBody,
} from './http-fake'

/**
 * A loopback X API v2: `POST /2/tweets` with a Bearer user token, problem
 * JSON errors as X sends them (401, 403 duplicate content, 400 invalid
 * request), 429 with `x-rate-limit-*` headers (reset in epoch seconds) or the
 * 24-hour user cap, and `GET /2/users/me`.
 *
 * Media as v2 takes it: `POST /2/media/upload` (multipart `media`, `media_category`
 * `tweet_image`, `media_type`) answers the media id, `POST /2/media/metadata` sets its
 * `alt_text` (at most 1000 characters), and a post's `media.media_ids` must name
 * uploaded media.
 */

export interface FakeTweet {
  id: string
  text: string
  inReplyTo?: string
  mediaIds?: string[]
}

export interface FakeXMedia {
  id: string
  type: string
  bytes: Buffer
  altText?: string
}

export interface FakeX extends FakeHttpServer {
  token: string
  tweets: FakeTweet[]
  media: FakeXMedia[]
  /** The app has read-only permissions: posting gets 403. */
  makeReadOnly(): void
  /** The user's 24-hour posting cap is used up until `resetSeconds` from now. */
  exhaustDailyCap(resetSeconds: number): void
}

const problem = (
  status: number,
  title: string,
  detail: string,
  type = 'about:blank',
  extra: Record<string, unknown> = {},
): FakeReply => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: { title, detail, type, status, ...extra },
})

export interface FakeXOptions {
  token?: string
  /** Clock for rate-limit reset instants; defaults to Date.now. */
  now?: () => number
}

/** Starts the fake X API on 127.0.0.1. */
export async function startFakeX(options: FakeXOptions = {}): Promise<FakeX> {
  const token = options.token ?? 'x-user-access-token-for-tests-0123456789'
  const now = options.now ?? Date.now
  const tweets: FakeTweet[] = []
  const media: FakeXMedia[] = []
  let nextMediaId = 1890000000000000001n
  const state = { readOnly: false, dailyResetAt: 0 }
  let nextId = 1880000000000000001n
  const epoch = (seconds: number) => String(Math.floor(now() / 1000) + seconds)

  const server = await startFakeHttp(
    (req) => {
      if (bearer(req) !== token) return problem(401, 'Unauthorized', 'Unauthorized')
      if (req.method === 'GET' && req.path === '/2/users/me') {
        return {
          status: 200,
          body: {
            data: {
              id: '1500000000000000000',
              name: 'Protezione Civile Empolese',
              username: 'PCEmpolese',
            },
          },
        }
      }
      const badMedia = (message: string) =>
        problem(
          400,
          'Invalid Request',
          message,
          'https://api.twitter.com/2/problems/invalid-request',
          {
            errors: [{ message }],
          },
        )
      if (req.method === 'POST' && req.path === '/2/media/upload') {
        const form = req.body as Partial<MultipartBody> | undefined
        const file = form?.multipart ? form.files?.media : undefined
        if (!file) return badMedia('media is required')
        if (form?.fields?.media_category !== 'tweet_image')
          return badMedia('media_category must be tweet_image')
        const type = form.fields.media_type ?? file.type
        if (!type.startsWith('image/')) return badMedia('media_type is not an image')
        const m: FakeXMedia = { id: String(nextMediaId++), type, bytes: file.bytes }
        media.push(m)
        return {
          status: 200,
          body: {
            data: {
              id: m.id,
              media_key: `3_${m.id}`,
              size: m.bytes.length,
              expires_after_secs: 86400,
            },
          },
        }
      }
      if (req.method === 'POST' && req.path === '/2/media/metadata') {
        const body = (req.body ?? {}) as {
          id?: unknown
          metadata?: { alt_text?: { text?: unknown } }
        }
        const m = media.find((x) => x.id === body.id)
        if (!m) return problem(404, 'Not Found Error', 'Could not find media')
        const alt = body.metadata?.alt_text?.text
        if (typeof alt !== 'string' || alt.length > 1000)
          return badMedia('alt_text.text must be at most 1000 characters')
        m.altText = alt
        return { status: 200, body: { data: { id: m.id, associated_metadata: true } } }
      }
      if (req.method !== 'POST' || req.path !== '/2/tweets')
        return problem(404, 'Not Found Error', 'Not found')
      if (state.readOnly)
        return problem(403, 'Forbidden', 'You are not permitted to perform this action.')
      if (now() < state.dailyResetAt) {
        return {
          ...problem(429, 'Too Many Requests', 'Too Many Requests'),
          headers: {
            'x-user-limit-24hour-limit': '17',
            'x-user-limit-24hour-remaining': '0',
            'x-user-limit-24hour-reset': String(Math.floor(state.dailyResetAt / 1000)),
            'x-rate-limit-limit': '100',
            'x-rate-limit-remaining': '99',
            'x-rate-limit-reset': epoch(900),
          },
        }
      }
      const body = (req.body ?? {}) as Record<string, unknown>
      const text = typeof body.text === 'string' ? body.text : undefined
      const invalid = (message: string) =>
        problem(
          400,
          'Invalid Request',
          'One or more parameters to your request was invalid.',
          'https://api.twitter.com/2/problems/invalid-request',
          {
            errors: [{ message }],
          },
        )
      if (!req.headers['content-type']?.includes('application/json'))
        return invalid('Content-Type must be application/json')
      if (text === undefined || text === '') return invalid('Post text is required')
      if (!parseTweet(text).valid) return invalid('The text is too long')
      if (tweets.some((t) => t.text === text)) {
        return problem(
          403,
          'Forbidden',
          'You are not allowed to create a Tweet with duplicate content.',
        )
      }
      const reply = body.reply as { in_reply_to_tweet_id?: string } | undefined
      const mediaIds = (body.media as { media_ids?: unknown } | undefined)?.media_ids
      if (mediaIds !== undefined) {
        if (!Array.isArray(mediaIds) || mediaIds.length < 1 || mediaIds.length > 4)
          return invalid('media.media_ids must list 1 to 4 media')
        for (const id of mediaIds)
          if (!media.some((m) => m.id === id)) return invalid(`Your media IDs are invalid.`)
      }
      const tweet: FakeTweet = {
        id: String(nextId++),
        text,
        ...(reply?.in_reply_to_tweet_id ? { inReplyTo: reply.in_reply_to_tweet_id } : {}),
        ...(Array.isArray(mediaIds) ? { mediaIds: mediaIds.map(String) } : {}),
      }
      tweets.push(tweet)
      return {
        status: 201,
        body: { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } },
      }
    },
    {
      rateLimited: (seconds) => ({
        ...problem(429, 'Too Many Requests', 'Too Many Requests'),
        headers: {
          'x-rate-limit-limit': '100',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': epoch(seconds),
        },
      }),
      serverError: (status) => problem(status, 'Service Unavailable', 'Service Unavailable'),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    token,
    tweets,
    media,
    makeReadOnly: () => {
      state.readOnly = true
    },
    exhaustDailyCap: (resetSeconds) => {
      state.dailyResetAt = now() + resetSeconds * 1000
    },
  }
}
