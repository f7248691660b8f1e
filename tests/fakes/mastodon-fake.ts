import { bearer, startFakeHttp, type FakeHttpServer, type FakeReply } from './http-fake'

/**
 * A loopback Mastodon instance: `POST /api/v1/statuses` (JSON or form) with a
 * Bearer token and `Idempotency-Key` (a repeated key returns the status
 * already created), `{error}` answers (401, 403 scope, 404, 422 validation),
 * 429 with `X-RateLimit-Reset` as an ISO date, and HTML 5xx pages as a proxy
 * in front of a real instance serves them.
 */

export interface FakeStatus {
  id: string
  text: string
  visibility: string
  inReplyTo?: string
  idempotencyKey?: string
}

export interface FakeMastodon extends FakeHttpServer {
  token: string
  statuses: FakeStatus[]
  /** The token lacks `write:statuses`: posting gets 403. */
  makeReadOnly(): void
}

const mastoError = (status: number, error: string): FakeReply => ({ status, body: { error } })

export interface FakeMastodonOptions {
  token?: string
  maxCharacters?: number
  now?: () => number
}

/** Starts the fake instance on 127.0.0.1. */
export async function startFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  const token = options.token ?? 'mastodon-access-token-for-tests-0123'
  const maxCharacters = options.maxCharacters ?? 500
  const now = options.now ?? Date.now
  const statuses: FakeStatus[] = []
  const byKey = new Map<string, FakeStatus>()
  const state = { readOnly: false }
  let nextId = 113000000000000001n

  const render = (s: FakeStatus) => ({
    id: s.id,
    uri: `https://mastodon.example/users/pcempolese/statuses/${s.id}`,
    url: `https://mastodon.example/@pcempolese/${s.id}`,
    content: `<p>${s.text}</p>`,
    visibility: s.visibility,
    in_reply_to_id: s.inReplyTo ?? null,
    created_at: new Date(now()).toISOString(),
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
      if (req.method !== 'POST' || req.path !== '/api/v1/statuses')
        return mastoError(404, 'Not Found')
      if (state.readOnly) return mastoError(403, 'This action is outside the authorized scopes')
      const key = req.headers['idempotency-key']
      const known = typeof key === 'string' ? byKey.get(key) : undefined
      if (known) return { status: 200, body: render(known) }
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
        string,
        unknown
      >
      const text = typeof body.status === 'string' ? body.status : ''
      const visibility = typeof body.visibility === 'string' ? body.visibility : 'public'
      if (text.trim() === '') return mastoError(422, "Validation failed: Text can't be blank")
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
    makeReadOnly: () => {
      state.readOnly = true
    },
  }
}
