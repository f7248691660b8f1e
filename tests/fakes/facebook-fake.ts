import { randomBytes } from 'node:crypto'
import {
  bearer,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type MultipartBody,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback Facebook Graph API for one page: `POST /{version}/{page}/feed`
 * with the page token in the body (or an Authorization header),
 * `POST /{version}/{object}/comments` answering a post or a comment (#100
 * subcode 33 when the object does not exist), Graph's error
 * object (`{error:{message,type,code,error_subcode,fbtrace_id}}`), expired
 * tokens (190), missing permissions (200), duplicate posts (506), and page
 * rate limits (32) with `X-Business-Use-Case-Usage`.
 *
 * Photo posts: `POST /{version}/{page}/photos` as multipart (`source` file, `message`,
 * `alt_text_custom`, the token in the form), answering the photo's `id` and its
 * `post_id`; a file that is not an image gets (#324).
 */

export interface FakeFacebookPost {
  id: string
  message: string
  /** A photo post: the uploaded image and its alt text. */
  photo?: { bytes: Buffer; type: string; altText?: string }
}

/** A comment under a post, or a reply under a comment. */
export interface FakeFacebookComment {
  id: string
  /** The post or comment it answers. */
  parentId: string
  message: string
  /** Who wrote it: a citizen's name, or the page for its own replies. */
  from: string
}

export interface FakeFacebook extends FakeHttpServer {
  pageId: string
  pageToken: string
  posts: FakeFacebookPost[]
  comments: FakeFacebookComment[]
  /** A citizen comments on a post (or replies to a comment); returns the new comment's id. */
  addComment(parentId: string, message: string, from?: string): string
  /** The page token expires: calls get error 190. */
  expireToken(): void
  /** The app loses the permission to publish: calls get error 200. */
  revokePermission(): void
  /** The page grants the permission again. */
  restorePermission(): void
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
  const comments: FakeFacebookComment[] = []
  const state = { expired: false, permitted: true }
  let nextComment = 500000

  const exists = (id: string) => posts.some((p) => p.id === id) || comments.some((c) => c.id === id)
  const addComment = (parentId: string, message: string, from: string): FakeFacebookComment => {
    const comment = { id: `${parentId.split('_').pop()}_${nextComment++}`, parentId, message, from }
    comments.push(comment)
    return comment
  }

  function comment(req: RecordedRequest, objectId: string): FakeReply {
    const denied = checkToken(req)
    if (denied) return denied
    if (req.method !== 'POST') return graphError(400, 100, '(#100) Unsupported request')
    if (!exists(objectId)) {
      return graphError(
        400,
        100,
        `Unsupported post request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        { error_subcode: 33 },
      )
    }
    const body = (req.body ?? {}) as Record<string, unknown>
    const message = typeof body.message === 'string' ? body.message : ''
    if (message.trim() === '')
      return graphError(400, 100, '(#100) The parameter message is required')
    return { status: 200, body: { id: addComment(objectId, message, 'page').id } }
  }

  function photo(req: RecordedRequest): FakeReply {
    const form = req.body as Partial<MultipartBody> | undefined
    const file = form?.multipart ? form.files?.source : undefined
    if (!file || !file.type.startsWith('image/') || file.bytes.subarray(1, 4).toString() !== 'PNG')
      return graphError(400, 324, '(#324) Requires upload file')
    const message = form?.fields?.message ?? ''
    const altText = form?.fields?.alt_text_custom
    const id = `${pageId}_${100000 + posts.length}`
    posts.push({
      id,
      message,
      photo: { bytes: file.bytes, type: file.type, ...(altText === undefined ? {} : { altText }) },
    })
    return { status: 200, body: { id: `${900000 + posts.length}`, post_id: id } }
  }

  function tokenOf(req: RecordedRequest): string | undefined {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >
    const form = body as unknown as Partial<MultipartBody>
    const fields: Record<string, unknown> = form.multipart ? (form.fields ?? {}) : body
    const fromBody = typeof fields.access_token === 'string' ? fields.access_token : undefined
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
      const answer = /^\/v\d+\.\d+\/([^/]+)\/comments$/.exec(req.path)
      if (answer?.[1]) return comment(req, decodeURIComponent(answer[1]))
      const m = /^\/(v\d+\.\d+)\/([^/]+)(\/feed|\/photos)?$/.exec(req.path)
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
      if (m[3] === '/photos') return photo(req)
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
    comments,
    addComment: (parentId, message, from = 'Cittadino') => addComment(parentId, message, from).id,
    expireToken: () => {
      state.expired = true
    },
    revokePermission: () => {
      state.permitted = false
    },
    restorePermission: () => {
      state.permitted = true
    },
  }
}
