import {
  bearer,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type MultipartBody,
} from './http-fake'

/**
 * A loopback Mastodon instance: `POST /api/v1/statuses` (JSON or form) with a
 * Bearer token and `Idempotency-Key` (a repeated key returns the status
 * already created), `{error}` answers (401, 403 scope, 404, 422 validation),
 * 429 with `X-RateLimit-Reset` as an ISO date, and HTML 5xx pages as a proxy
 * in front of a real instance serves them.
 *
 * Media: `POST /api/v2/media` (multipart `file` + `description`) answers 200, or
 * 202 while the instance processes the file, `GET /api/v1/media/:id` answers 206
 * until it is done, and a status whose `media_ids` name unknown or unfinished
 * media is refused with 422, as Mastodon does.
 */

export interface FakeStatus {
  id: string
  text: string
  visibility: string
  inReplyTo?: string
  idempotencyKey?: string
  mediaIds?: string[]
}

export interface FakeMedia {
  id: string
  filename: string
  type: string
  bytes: Buffer
  description?: string
  /** GET polls still to answer 206 before the file is ready. */
  processingPolls: number
}

export interface FakeMastodon extends FakeHttpServer {
  token: string
  statuses: FakeStatus[]
  media: FakeMedia[]
  /** The token lacks `write:statuses`: posting gets 403. */
  makeReadOnly(): void
}

const mastoError = (status: number, error: string): FakeReply => ({ status, body: { error } })

export interface FakeMastodonOptions {
  token?: string
  maxCharacters?: number
  now?: () => number
  /** Uploads answer 202 and this many polls answer 206 before the media is ready (default 0: 200 at once). */
  mediaProcessingPolls?: number
}

/** Starts the fake instance on 127.0.0.1. */
export async function startFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  const token = options.token ?? 'mastodon-access-token-for-tests-0123'
  const maxCharacters = options.maxCharacters ?? 500
  const now = options.now ?? Date.now
  const statuses: FakeStatus[] = []
  const media: FakeMedia[] = []
  const processingPolls = options.mediaProcessingPolls ?? 0
  const byKey = new Map<string, FakeStatus>()
  const state = { readOnly: false }
  let nextId = 113000000000000001n
  let nextMediaId = 114000000000000001n

  const renderMedia = (m: FakeMedia) => ({
    id: m.id,
    type: 'image',
    url: m.processingPolls > 0 ? null : `https://files.mastodon.example/media/${m.id}.png`,
    preview_url: `https://files.mastodon.example/media/${m.id}-small.png`,
    remote_url: null,
    text_url: null,
    meta: {},
    description: m.description ?? null,
    blurhash: null,
  })

  function upload(body: unknown): FakeReply {
    const form = body as Partial<MultipartBody> | undefined
    const file = form?.multipart ? form.files?.file : undefined
    if (!file) return mastoError(422, "Validation failed: File can't be blank")
    if (!file.type.startsWith('image/'))
      return mastoError(422, 'Validation failed: File content type is invalid')
    const description = form?.fields?.description
    if (description !== undefined && [...description].length > 1500)
      return mastoError(
        422,
        'Validation failed: Description is too long (maximum is 1500 characters)',
      )
    const m: FakeMedia = {
      id: String(nextMediaId++),
      filename: file.filename,
      type: file.type,
      bytes: file.bytes,
      ...(description === undefined ? {} : { description }),
      processingPolls,
    }
    media.push(m)
    return { status: processingPolls > 0 ? 202 : 200, body: renderMedia(m) }
  }

  const render = (s: FakeStatus) => ({
    id: s.id,
    uri: `https://mastodon.example/users/pcempolese/statuses/${s.id}`,
    url: `https://mastodon.example/@pcempolese/${s.id}`,
    content: `<p>${s.text}</p>`,
    visibility: s.visibility,
    in_reply_to_id: s.inReplyTo ?? null,
    created_at: new Date(now()).toISOString(),
    media_attachments: (s.mediaIds ?? []).map((id) =>
      renderMedia(media.find((m) => m.id === id) as FakeMedia),
    ),
  })

  const server = await startFakeHttp(
    (req) => {
      if (bearer(req) !== token) return mastoError(401, 'The access token is invalid')
      if (req.method === 'GET' && req.path === '/api/v1/accounts/verify_credentials') {
        return {
          status: 200,
          body: {
            id: '109000000000000001',
            username: 'pcempolese',
            acct: 'pcempolese',
            display_name: 'Protezione Civile Empolese',
          },
        }
      }
      const mediaPath = /^\/api\/v1\/media\/(\d+)$/.exec(req.path)
      if (req.method === 'GET' && mediaPath) {
        const m = media.find((x) => x.id === mediaPath[1])
        if (!m) return mastoError(404, 'Record not found')
        if (m.processingPolls > 0) {
          m.processingPolls--
          return { status: 206, body: { ...renderMedia(m), url: null } }
        }
        return { status: 200, body: renderMedia(m) }
      }
      if (state.readOnly && req.method === 'POST')
        return mastoError(403, 'This action is outside the authorized scopes')
      if (req.method === 'POST' && req.path === '/api/v2/media') return upload(req.body)
      if (req.method !== 'POST' || req.path !== '/api/v1/statuses')
        return mastoError(404, 'Not Found')
      const key = req.headers['idempotency-key']
      const known = typeof key === 'string' ? byKey.get(key) : undefined
      if (known) return { status: 200, body: render(known) }
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
        string,
        unknown
      >
      const text = typeof body.status === 'string' ? body.status : ''
      const visibility = typeof body.visibility === 'string' ? body.visibility : 'public'
      const mediaIds = Array.isArray(body.media_ids) ? body.media_ids.map(String) : []
      for (const id of mediaIds) {
        const m = media.find((x) => x.id === id)
        if (!m) return mastoError(422, 'Validation failed: Media attachments are invalid')
        if (m.processingPolls > 0)
          return mastoError(
            422,
            'Cannot attach files that have not finished processing. Try again in a moment!',
          )
      }
      if (text.trim() === '' && mediaIds.length === 0)
        return mastoError(422, "Validation failed: Text can't be blank")
      if ([...text].length > maxCharacters)
        return mastoError(
          422,
          `Validation failed: Text character limit of ${maxCharacters} exceeded`,
        )
      if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) {
        return mastoError(422, 'Validation failed: Visibility is not included in the list')
      }
      const inReplyTo = typeof body.in_reply_to_id === 'string' ? body.in_reply_to_id : undefined
      if (inReplyTo && !statuses.some((s) => s.id === inReplyTo))
        return mastoError(404, 'Record not found')
      const status: FakeStatus = {
        id: String(nextId++),
        text,
        visibility,
        ...(inReplyTo ? { inReplyTo } : {}),
        ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
        ...(mediaIds.length ? { mediaIds } : {}),
      }
      statuses.push(status)
      if (typeof key === 'string') byKey.set(key, status)
      return { status: 200, body: render(status) }
    },
    {
      rateLimited: (seconds) => ({
        ...mastoError(429, 'Too many requests'),
        headers: {
          'x-ratelimit-limit': '300',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': new Date(now() + seconds * 1000).toISOString(),
        },
      }),
      serverError: (status) => ({
        status,
        headers: { 'content-type': 'text/html' },
        body: `<html><head><title>${status}</title></head><body><h1>${status} Service Temporarily Unavailable</h1></body></html>`,
      }),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    token,
    statuses,
    media,
    makeReadOnly: () => {
      state.readOnly = true
    },
  }
}
