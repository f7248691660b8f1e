import {
  bearer,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback YouTube Data API v3 for one channel, with Google's OAuth 2.0
 * token endpoint on the same server (`POST /token`). There is no YouTube
 * OpenAPI among the project's specs: this fake follows Google's published
 * reference pages for the calls Vedetta makes, and their error shapes:
 *
 * - `POST /token` with grant_type=refresh_token, client_id, client_secret and
 *   refresh_token → `{access_token, expires_in, scope, token_type}`; a wrong or
 *   revoked refresh token → 400 `{error:'invalid_grant', error_description}`,
 *   a wrong client → 401 `{error:'invalid_client'}`.
 * - `GET /youtube/v3/commentThreads?part=snippet,replies&allThreadsRelatedToChannelId=…&order=time`
 *   with `maxResults` (1–100, default 20) and `pageToken`/`nextPageToken` paging,
 *   threads newest first, each with its top-level comment and its replies
 *   (`textDisplay` HTML; `textOriginal` as typed, only to the channel's owner). 1 unit.
 * - `POST /youtube/v3/comments?part=snippet` with `snippet.parentId` and
 *   `snippet.textOriginal` → the new comment; a parent that is not a top-level
 *   comment → 404 `commentNotFound`. 50 units.
 * - `GET /youtube/v3/channels?part=…&id=…` → the channel with
 *   `contentDetails.relatedPlaylists.uploads`; an unknown id → `items: []`. 1 unit.
 * - `GET /youtube/v3/playlistItems?part=contentDetails&playlistId=…&maxResults=1` → the
 *   latest upload. 1 unit.
 * - `GET /youtube/v3/search?part=id&channelId=…&eventType=live&type=video` → the live
 *   broadcast, if any. Its own bucket: 100 calls a day, 1 each (Google's current table;
 *   formerly 100 units of the pool).
 * - Every call needs `Authorization: Bearer <access token>` or `X-Goog-Api-Key`;
 *   writes need OAuth. Missing or expired credentials → 401 with Google's error
 *   object `{error:{code,message,errors:[{domain,reason,message}]}}`.
 * - A daily quota in units: once spent, every call → 403 `quotaExceeded`
 *   (domain `youtube.quota`), as Google answers until midnight Pacific time.
 */

export interface FakeYoutubeComment {
  id: string
  /** The top-level comment it answers (replies only). */
  parentId?: string
  videoId: string
  authorDisplayName: string
  authorChannelId: string
  textOriginal: string
  publishedAt: string
}

export interface FakeYoutube extends FakeHttpServer {
  channelId: string
  channelTitle: string
  clientId: string
  clientSecret: string
  refreshToken: string
  apiKey: string
  tokenUrl: string
  /** Top-level comments and replies, in the order they were written. */
  comments: FakeYoutubeComment[]
  /** Quota units spent today, by the fake's reckoning (search.list apart). */
  unitsUsed(): number
  /** search.list calls made today (their own bucket of 100). */
  searchesUsed(): number
  /** search.list's 100 calls are spent: it answers quotaExceeded, the rest still works. */
  exhaustSearchQuota(): void
  /** A citizen comments on a video (or replies under a top-level comment); returns its id. */
  addComment(input: {
    videoId?: string
    parentId?: string
    text: string
    html?: string
    author?: string
    publishedAt: string
  }): string
  /** Every access token issued so far stops working (calls get 401 until a refresh). */
  expireAccessTokens(): void
  /** The refresh token is revoked: the token endpoint answers invalid_grant. */
  revokeRefreshToken(): void
  /** The daily quota is spent: every call gets 403 quotaExceeded until {@link resetQuota}. */
  exhaustQuota(): void
  /** Midnight Pacific: the quota is whole again. */
  resetQuota(): void
  /** Only this many more units may be spent today. */
  allowUnits(units: number): void
  /** The channel is (or stops being, with null) live on this video. */
  setLive(videoId: string | null): void
  /** A video is uploaded (the newest is first in the uploads playlist). */
  upload(videoId: string, publishedAt: string): void
}

export interface FakeYoutubeOptions {
  channelId?: string
  /** Units per day before quotaExceeded (default 10,000, Google's default allocation). */
  dailyQuota?: number
  /** Threads per page at most, whatever maxResults asks (to page with few threads). */
  pageSize?: number
}

const COST: Record<string, number> = {
  commentThreads: 1,
  comments: 50,
  channels: 1,
  playlistItems: 1,
}

const googleError = (status: number, reason: string, message: string, domain = 'youtube.api') => ({
  status,
  body: { error: { code: status, message, errors: [{ message, domain, reason }] } },
})

const QUOTA_MESSAGE =
  'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.'

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Starts the fake YouTube Data API on 127.0.0.1. */
export async function startFakeYoutube(options: FakeYoutubeOptions = {}): Promise<FakeYoutube> {
  const channelId = options.channelId ?? 'UCpcEmpoleseValdelsa0001'
  const channelTitle = 'Protezione Civile Empolese Valdelsa'
  const clientId = '123456789-fake.apps.googleusercontent.com'
  const clientSecret = 'GOCSPX-fakeClientSecretForTests'
  const refreshToken = '1//0fakeRefreshTokenForTestsOnly'
  const apiKey = 'AIzaSyFakeApiKeyForTestsOnly000000'
  const comments: FakeYoutubeComment[] = []
  const html = new Map<string, string>()
  const uploads: { videoId: string; publishedAt: string }[] = []
  const valid = new Set<string>()
  const state = {
    units: 0,
    quota: options.dailyQuota ?? 10_000,
    revoked: false,
    live: null as string | null,
    tokens: 0,
    comments: 0,
    searches: 0,
  }

  function token(req: RecordedRequest): FakeReply {
    const body = (req.body ?? {}) as Record<string, string>
    if (body['grant_type'] !== 'refresh_token')
      return { status: 400, body: { error: 'unsupported_grant_type' } }
    if (body['client_id'] !== clientId || body['client_secret'] !== clientSecret)
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' },
      }
    if (state.revoked || body['refresh_token'] !== refreshToken)
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
      }
    const accessToken = `ya29.fake-access-${++state.tokens}-${'x'.repeat(20)}`
    valid.add(accessToken)
    return {
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: 3599,
        scope: 'https://www.googleapis.com/auth/youtube.force-ssl',
        token_type: 'Bearer',
      },
    }
  }

  /** Who is calling: 'oauth', 'key', or the 401 to answer. */
  function caller(req: RecordedRequest): 'oauth' | 'key' | FakeReply {
    const t = bearer(req)
    if (t !== undefined) {
      if (valid.has(t)) return 'oauth'
      return googleError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        'global',
      )
    }
    const key = req.headers['x-goog-api-key']
    if (key === apiKey) return 'key'
    if (key !== undefined)
      return googleError(400, 'badRequest', 'API key not valid. Please pass a valid API key.')
    return googleError(
      401,
      'required',
      'Request is missing required authentication credential.',
      'global',
    )
  }

  // textOriginal is given only to a viewer who may see it (the channel's owner, with OAuth).
  const commentResource = (c: FakeYoutubeComment, owner = true) => ({
    kind: 'youtube#comment',
    etag: `etag-${c.id}`,
    id: c.id,
    snippet: {
      channelId,
      videoId: c.videoId,
      textDisplay: html.get(c.id) ?? escapeHtml(c.textOriginal),
      ...(owner ? { textOriginal: c.textOriginal } : {}),
      ...(c.parentId ? { parentId: c.parentId } : {}),
      authorDisplayName: c.authorDisplayName,
      authorChannelUrl: `http://www.youtube.com/channel/${c.authorChannelId}`,
      authorChannelId: { value: c.authorChannelId },
      canRate: true,
      viewerRating: 'none',
      likeCount: 0,
      publishedAt: c.publishedAt,
      updatedAt: c.publishedAt,
    },
  })

  function threads(req: RecordedRequest, who: 'oauth' | 'key'): FakeReply {
    if (req.query['allThreadsRelatedToChannelId'] !== channelId)
      return googleError(404, 'channelNotFound', 'The channel could not be found.')
    const max = Math.min(
      options.pageSize ?? 100,
      Math.max(1, Number(req.query['maxResults'] ?? 20)),
    )
    const offset = req.query['pageToken']
      ? Number(Buffer.from(req.query['pageToken'], 'base64url').toString('utf8'))
      : 0
    const tops = comments
      .filter((c) => !c.parentId)
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
    const page = tops.slice(offset, offset + max)
    const parts = (req.query['part'] ?? '').split(',')
    const items = page.map((top) => {
      const replies = comments.filter((c) => c.parentId === top.id)
      return {
        kind: 'youtube#commentThread',
        etag: `etag-thread-${top.id}`,
        id: top.id,
        snippet: {
          channelId,
          videoId: top.videoId,
          topLevelComment: commentResource(top, who === 'oauth'),
          canReply: true,
          totalReplyCount: replies.length,
          isPublic: true,
        },
        ...(parts.includes('replies') && replies.length > 0
          ? {
              replies: {
                comments: replies.slice(0, 5).map((r) => commentResource(r, who === 'oauth')),
              },
            }
          : {}),
      }
    })
    const next = offset + max < tops.length
    return {
      status: 200,
      body: {
        kind: 'youtube#commentThreadListResponse',
        etag: 'etag-list',
        ...(next
          ? { nextPageToken: Buffer.from(String(offset + max), 'utf8').toString('base64url') }
          : {}),
        pageInfo: { totalResults: page.length, resultsPerPage: max },
        items,
      },
    }
  }

  function insertComment(req: RecordedRequest, who: 'oauth' | 'key'): FakeReply {
    if (who !== 'oauth') return googleError(401, 'required', 'Login Required.', 'global')
    const snippet = ((req.body ?? {}) as { snippet?: Record<string, unknown> }).snippet ?? {}
    const parentId = typeof snippet['parentId'] === 'string' ? snippet['parentId'] : ''
    const text = typeof snippet['textOriginal'] === 'string' ? snippet['textOriginal'] : ''
    if (!parentId)
      return googleError(400, 'parentIdMissing', 'The comment must be linked to a parent comment.')
    if (text.trim() === '')
      return googleError(400, 'commentTextRequired', 'The comment must have a text.')
    const parent = comments.find((c) => c.id === parentId && !c.parentId)
    if (!parent)
      return googleError(404, 'commentNotFound', 'The specified parent comment could not be found.')
    const reply: FakeYoutubeComment = {
      id: `${parentId}.reply${++state.comments}`,
      parentId,
      videoId: parent.videoId,
      authorDisplayName: channelTitle,
      authorChannelId: channelId,
      textOriginal: text,
      publishedAt: new Date().toISOString(),
    }
    comments.push(reply)
    return { status: 200, body: commentResource(reply) }
  }

  const server = await startFakeHttp(
    (req) => {
      if (req.path === '/token' && req.method === 'POST') return token(req)
      const m = /^\/youtube\/v3\/([A-Za-z]+)$/.exec(req.path)
      const resource = m?.[1] ?? ''
      const cost = COST[resource]
      if (cost === undefined && resource !== 'search')
        return googleError(404, 'notFound', 'Not Found')
      const who = caller(req)
      if (typeof who !== 'string') return who
      if (resource === 'search') {
        if (state.searches >= 100)
          return googleError(403, 'quotaExceeded', QUOTA_MESSAGE, 'youtube.quota')
        state.searches += 1
      } else {
        if (state.units + (cost ?? 1) > state.quota)
          return googleError(403, 'quotaExceeded', QUOTA_MESSAGE, 'youtube.quota')
        state.units += cost ?? 1
      }
      if (resource === 'comments' && req.method === 'POST') return insertComment(req, who)
      if (req.method !== 'GET') return googleError(405, 'methodNotAllowed', 'Method not allowed')
      if (resource === 'commentThreads') return threads(req, who)
      if (resource === 'channels') {
        const ids = (req.query['id'] ?? '').split(',')
        const items = ids.includes(channelId)
          ? [
              {
                kind: 'youtube#channel',
                id: channelId,
                snippet: { title: channelTitle },
                contentDetails: { relatedPlaylists: { uploads: `UU${channelId.slice(2)}` } },
              },
            ]
          : []
        return { status: 200, body: { kind: 'youtube#channelListResponse', items } }
      }
      if (resource === 'playlistItems') {
        if (req.query['playlistId'] !== `UU${channelId.slice(2)}`)
          return googleError(404, 'playlistNotFound', 'The playlist could not be found.')
        const newest = [...uploads].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
        const max = Number(req.query['maxResults'] ?? 5)
        return {
          status: 200,
          body: {
            kind: 'youtube#playlistItemListResponse',
            items: newest.slice(0, max).map((u) => ({
              kind: 'youtube#playlistItem',
              id: `item-${u.videoId}`,
              contentDetails: { videoId: u.videoId, videoPublishedAt: u.publishedAt },
            })),
          },
        }
      }
      // search
      const live =
        req.query['channelId'] === channelId &&
        req.query['eventType'] === 'live' &&
        req.query['type'] === 'video' &&
        state.live !== null
      return {
        status: 200,
        body: {
          kind: 'youtube#searchListResponse',
          items: live
            ? [{ kind: 'youtube#searchResult', id: { kind: 'youtube#video', videoId: state.live } }]
            : [],
        },
      }
    },
    {
      rateLimited: () =>
        googleError(
          403,
          'rateLimitExceeded',
          'The request cannot be completed: too many requests.',
        ),
      serverError: (status) => googleError(status, 'backendError', 'Backend Error', 'global'),
    },
    { isSend: (req) => req.method === 'POST' && req.path === '/youtube/v3/comments' },
  )

  let nextId = 0
  return {
    ...server,
    channelId,
    channelTitle,
    clientId,
    clientSecret,
    refreshToken,
    apiKey,
    tokenUrl: `${server.url}/token`,
    comments,
    unitsUsed: () => state.units,
    searchesUsed: () => state.searches,
    exhaustSearchQuota: () => {
      state.searches = 100
    },
    addComment({ videoId, parentId, text, html: markup, author, publishedAt }) {
      const parent = parentId ? comments.find((c) => c.id === parentId) : undefined
      const id = parentId
        ? `${parentId}.c${++nextId}`
        : `Ugz${String(++nextId).padStart(8, '0')}AaABAg`
      comments.push({
        id,
        ...(parentId ? { parentId } : {}),
        videoId: parent?.videoId ?? videoId ?? 'dQw4w9WgXcQ',
        authorDisplayName: author ?? 'Mario Rossi',
        authorChannelId: `UCcitizen${String(nextId).padStart(15, '0')}`,
        textOriginal: text,
        publishedAt,
      })
      if (markup !== undefined) html.set(id, markup)
      return id
    },
    expireAccessTokens: () => valid.clear(),
    revokeRefreshToken: () => {
      state.revoked = true
      valid.clear()
    },
    exhaustQuota: () => {
      state.units = state.quota
    },
    resetQuota: () => {
      state.units = 0
      state.searches = 0
    },
    allowUnits: (units) => {
      state.units = state.quota - units
    },
    setLive: (videoId) => {
      state.live = videoId
    },
    upload: (videoId, publishedAt) => {
      uploads.push({ videoId, publishedAt })
    },
  }
}
