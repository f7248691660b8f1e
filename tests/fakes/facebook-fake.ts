import { randomBytes } from 'node:crypto'
import {
  bearer,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback Facebook Graph API for one page: `POST /{version}/{page}/feed`
 * with the page token in the body (or an Authorization header), Graph's error
 * object (`{error:{message,type,code,error_subcode,fbtrace_id}}`), expired
 * tokens (190), missing permissions (200), duplicate posts (506), and page
 * rate limits (32) with `X-Business-Use-Case-Usage`.
 */

export interface FakeFacebookPost {
  id: string
  message: string
}

export interface FakeFacebook extends FakeHttpServer {
  pageId: string
  pageToken: string
  posts: FakeFacebookPost[]
  /** The page token expires: calls get error 190. */
  expireToken(): void
  /** The app loses the permission to publish: calls get error 200. */
  revokePermission(): void
}

const graphError = (
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): FakeReply => ({
  status,
  body: {
    error: {
      message,
      type: code === 190 ? 'OAuthException' : 'GraphMethodException',
      code,
      fbtrace_id: randomBytes(6).toString('base64'),
      ...extra,
    },
  },
})

export interface FakeFacebookOptions {
  pageId?: string
  pageToken?: string
}

/** Starts the fake Graph API on 127.0.0.1. */
export async function startFakeFacebook(options: FakeFacebookOptions = {}): Promise<FakeFacebook> {
  const pageId = options.pageId ?? '104857600123456'
  const pageToken = options.pageToken ?? 'EAAGfakePageTokenForTests0123456789'
  const posts: FakeFacebookPost[] = []
  const state = { expired: false, permitted: true }

  function tokenOf(req: RecordedRequest): string | undefined {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >
    const fromBody = typeof body.access_token === 'string' ? body.access_token : undefined
    return fromBody ?? req.query.access_token ?? bearer(req)
  }

  function checkToken(req: RecordedRequest): FakeReply | undefined {
    const token = tokenOf(req)
    if (!token)
      return graphError(
        400,
        2500,
        'An active access token must be used to query information about the current user.',
      )
    if (token !== pageToken)
      return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token')
    if (state.expired) {
      return graphError(
        400,
        190,
        'Error validating access token: Session has expired on Friday, 23-Jan-26 10:00:00 PST.',
        { error_subcode: 463 },
      )
    }
    return undefined
  }

  const server = await startFakeHttp(
    (req) => {
      const m = /^\/(v\d+\.\d+)\/([^/]+)(\/feed)?$/.exec(req.path)
      if (!m || m[2] !== pageId)
        return graphError(404, 803, '(#803) Some of the aliases you requested do not exist')
      const denied = checkToken(req)
      if (denied) return denied
      if (req.method === 'GET' && !m[3])
        return { status: 200, body: { id: pageId, name: 'Protezione Civile Empolese Valdelsa' } }
      if (req.method !== 'POST' || !m[3]) return graphError(400, 100, '(#100) Unsupported request')
      if (!state.permitted) {
        return graphError(
          403,
          200,
          "(#200) The user hasn't authorized the application to perform this action",
        )
      }
      const body = (req.body ?? {}) as Record<string, unknown>
      const message = typeof body.message === 'string' ? body.message : ''
      if (message.trim() === '')
        return graphError(400, 100, '(#100) The parameter message is required')
      if (posts.some((p) => p.message === message))
        return graphError(400, 506, 'Duplicate status message', { error_subcode: 1366046 })
      const post = { id: `${pageId}_${100000 + posts.length}`, message }
      posts.push(post)
      return { status: 200, body: { id: post.id } }
    },
    {
      rateLimited: (seconds) => ({
        ...graphError(400, 32, 'Page request limit reached', { error_subcode: 2446079 }),
        headers: {
          'x-business-use-case-usage': JSON.stringify({
            [pageId]: [
              {
                type: 'pages',
                call_count: 100,
                total_cputime: 30,
                total_time: 40,
                estimated_time_to_regain_access: Math.ceil(seconds / 60),
              },
            ],
          }),
        },
      }),
      serverError: (status) =>
        graphError(
          status,
          status === 503 ? 2 : 1,
          status === 503 ? 'Service temporarily unavailable' : 'An unknown error has occurred.',
          {
            is_transient: true,
          },
        ),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    pageId,
    pageToken,
    posts,
    expireToken: () => {
      state.expired = true
    },
    revokePermission: () => {
      state.permitted = false
    },
  }
}
